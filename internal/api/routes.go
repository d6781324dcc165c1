package api

import (
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// Prefix is where the API lives; every pattern below starts with it.
const Prefix = "/api/v1"

// Routes lists every API endpoint with the action the policy checks before the handler
// runs. openapi.yaml documents exactly these (see TestOpenAPIMatchesRoutes).
func (h *Handler) Routes() []request.Route {
	routes := []request.Route{
		{Method: "GET", Pattern: "/openapi.yaml", Action: auth.Public, Handler: h.openAPI},
		{Method: "GET", Pattern: "/me", Action: auth.Self, Handler: h.me},

		{Method: "GET", Pattern: "/units", Action: auth.ReadOrg, Handler: h.listUnits},
		{Method: "POST", Pattern: "/units", Action: auth.ManageUnits, Handler: h.createUnit},
		{Method: "GET", Pattern: "/units/{id}", Action: auth.ReadOrg, Handler: h.getUnit},
		{Method: "PUT", Pattern: "/units/{id}", Action: auth.ManageUnits, Handler: h.updateUnit},
		{Method: "PUT", Pattern: "/units/{id}/contact", Action: auth.EditUnitContact, Handler: h.updateUnitContact},

		{Method: "GET", Pattern: "/users", Action: auth.ManageUsers, Handler: h.listUsers},
		{Method: "POST", Pattern: "/users", Action: auth.ManageUsers, Handler: h.createUser},
		{Method: "GET", Pattern: "/users/{id}", Action: auth.ManageUsers, Handler: h.getUser},
		{Method: "PUT", Pattern: "/users/{id}", Action: auth.ManageUsers, Handler: h.updateUser},
		{Method: "POST", Pattern: "/users/{id}/password", Action: auth.ManageUsers, Handler: h.resetPassword},

		{Method: "GET", Pattern: "/tokens", Action: auth.Self, Handler: h.listTokens},
		{Method: "POST", Pattern: "/tokens", Action: auth.Self, Handler: h.createToken},
		{Method: "DELETE", Pattern: "/tokens/{id}", Action: auth.Self, Handler: h.revokeToken},
		{Method: "GET", Pattern: "/notifications", Action: auth.Self, Handler: h.listNotifications},
		{Method: "POST", Pattern: "/notifications/{id}/read", Action: auth.Self, Handler: h.readNotification},

		{Method: "GET", Pattern: "/calendar/{year}", Action: auth.ReadCampaign, Handler: h.getCalendar},
		{Method: "PUT", Pattern: "/calendar/{year}", Action: auth.ManageCampaign, Handler: h.putCalendar},

		{Method: "GET", Pattern: "/progress", Action: auth.ReadCampaign, Handler: h.progress},
		{Method: "GET", Pattern: "/cockpit", Action: auth.ReadCockpit, Handler: h.cockpit},
		{Method: "GET", Pattern: "/reconciliation", Action: auth.ReadCampaign, Handler: h.reconciliation},
		{Method: "PUT", Pattern: "/published-figures", Action: auth.ManageCampaign, Handler: h.savePublished},
		{Method: "GET", Pattern: "/scoring", Action: auth.ReadCampaign, Handler: h.scores},
		{Method: "GET", Pattern: "/scoring/history", Action: auth.ReadCampaign, Handler: h.scoreHistory},
		{Method: "GET", Pattern: "/scoring/scheme", Action: auth.ReadCampaign, Handler: h.getScoringScheme},
		{Method: "PUT", Pattern: "/scoring/scheme", Action: auth.ManageCampaign, Handler: h.putScoringScheme},
		{Method: "GET", Pattern: "/phases", Action: auth.ReadCampaign, Handler: h.listPhases},
		{Method: "PUT", Pattern: "/phases", Action: auth.ManageCampaign, Handler: h.savePhases},
		{Method: "GET", Pattern: "/plans", Action: auth.ReadCampaign, Handler: h.listPlans},
		{Method: "POST", Pattern: "/plans", Action: auth.ManageCampaign, Handler: h.createPlan},
		{Method: "GET", Pattern: "/plans/{id}", Action: auth.ReadCampaign, Handler: h.getPlan},
		{Method: "PUT", Pattern: "/plans/{id}", Action: auth.ManageCampaign, Handler: h.updatePlan},

		{Method: "GET", Pattern: "/reports", Action: auth.ReadReport, Handler: h.listReports},
		{Method: "GET", Pattern: "/reports/{unitID}/{year}/{month}", Action: auth.ReadReport, Handler: h.getReport},
		{Method: "PUT", Pattern: "/reports/{unitID}/{year}/{month}", Action: auth.EditReport, Handler: h.putReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/submit", Action: auth.EditReport, Handler: h.submitReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/approve", Action: auth.ReviewReports, Handler: h.approveReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/return", Action: auth.ReviewReports, Handler: h.returnReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/correct", Action: auth.ReviewReports, Handler: h.correctReport},

		{Method: "GET", Pattern: "/indicators", Action: auth.ReadCampaign, Handler: h.listIndicators},
		{Method: "POST", Pattern: "/indicators", Action: auth.ManageCampaign, Handler: h.createIndicator},
		{Method: "GET", Pattern: "/indicators/{id}", Action: auth.ReadCampaign, Handler: h.getIndicator},
		{Method: "PUT", Pattern: "/indicators/{id}", Action: auth.ManageCampaign, Handler: h.updateIndicator},
		{Method: "GET", Pattern: "/targets", Action: auth.ReadCampaign, Handler: h.listTargets},
		{Method: "PUT", Pattern: "/targets", Action: auth.ManageCampaign, Handler: h.putTargets},
		{Method: "GET", Pattern: "/letters", Action: auth.ReadCampaign, Handler: h.listLetters},
		{Method: "POST", Pattern: "/letters", Action: auth.ManageCampaign, Handler: h.issueLetter},
		{Method: "GET", Pattern: "/letters/{id}", Action: auth.ReadCampaign, Handler: h.getLetter},

		{Method: "GET", Pattern: "/enterprises", Action: auth.ReadCampaign, Handler: h.listEnterprises},
		{Method: "POST", Pattern: "/enterprises", Action: auth.EditEnterprise, Handler: h.createEnterprise},
		{Method: "GET", Pattern: "/enterprises/above-scale", Action: auth.ReadCampaign, Handler: h.aboveScalePipeline},
		{Method: "GET", Pattern: "/enterprises/per-mu", Action: auth.ReadCampaign, Handler: h.perMuResults},
		{Method: "GET", Pattern: "/enterprises/{id}", Action: auth.ReadCampaign, Handler: h.getEnterprise},
		{Method: "PUT", Pattern: "/enterprises/{id}", Action: auth.EditEnterprise, Handler: h.updateEnterprise},
		{Method: "POST", Pattern: "/enterprises/{id}/status", Action: auth.EditEnterprise, Handler: h.setEnterpriseStatus},
		{Method: "POST", Pattern: "/enterprises/{id}/scale/entries", Action: auth.EditEnterprise, Handler: h.recordScaleEntry},
		{Method: "POST", Pattern: "/enterprises/{id}/scale/exit", Action: auth.EditEnterprise, Handler: h.recordScaleExit},
		{Method: "PUT", Pattern: "/enterprises/{id}/figures/{year}", Action: auth.EditEnterprise, Handler: h.putEnterpriseFigures},
		{Method: "POST", Pattern: "/enterprises/{id}/honours", Action: auth.EditEnterprise, Handler: h.addEnterpriseHonour},
		{Method: "PUT", Pattern: "/enterprises/{id}/honours/{hid}", Action: auth.EditEnterprise, Handler: h.putEnterpriseHonour},
		{Method: "POST", Pattern: "/enterprises/{id}/honours/{hid}/withdraw", Action: auth.EditEnterprise, Handler: h.withdrawEnterpriseHonour},
		{Method: "POST", Pattern: "/enterprises/{id}/contact-link", Action: auth.ManageLinks, Handler: h.issueContactLink},

		{Method: "GET", Pattern: "/problems", Action: auth.ReadProblems, Handler: h.listProblems},
		{Method: "POST", Pattern: "/problems", Action: auth.RaiseProblem, Handler: h.createProblem},
		{Method: "GET", Pattern: "/problems/stats", Action: auth.ReadProblemStats, Handler: h.problemStats},
		{Method: "GET", Pattern: "/problems/{id}", Action: auth.ReadProblems, Handler: h.getProblem},
		{Method: "POST", Pattern: "/problems/{id}/actions", Action: auth.ActOnProblem, Handler: h.actOnProblem},
		{Method: "GET", Pattern: "/problem-rules", Action: auth.ReadProblemStats, Handler: h.getProblemRules},
		{Method: "PUT", Pattern: "/problem-rules", Action: auth.ManageCampaign, Handler: h.putProblemRules},
		{Method: "GET", Pattern: "/links", Action: auth.ManageLinks, Handler: h.listLinks},
		{Method: "POST", Pattern: "/links", Action: auth.ManageLinks, Handler: h.createLink},
		{Method: "POST", Pattern: "/links/{id}/end", Action: auth.ManageLinks, Handler: h.endLink},
		{Method: "GET", Pattern: "/visits", Action: auth.RecordVisit, Handler: h.listVisits},
		{Method: "POST", Pattern: "/visits", Action: auth.RecordVisit, Handler: h.recordVisit},

		{Method: "GET", Pattern: "/projects", Action: auth.ReadCampaign, Handler: h.listProjects},
		{Method: "POST", Pattern: "/projects", Action: auth.EditProject, Handler: h.createProject},
		{Method: "GET", Pattern: "/projects/{id}", Action: auth.ReadCampaign, Handler: h.getProject},
		{Method: "PUT", Pattern: "/projects/{id}", Action: auth.EditProject, Handler: h.updateProject},
		{Method: "POST", Pattern: "/projects/{id}/stage", Action: auth.EditProject, Handler: h.transitionProject},
		{Method: "PUT", Pattern: "/projects/{id}/ledger/{month}", Action: auth.EditProject, Handler: h.putProjectLedger},
		{Method: "POST", Pattern: "/projects/{id}/notes", Action: auth.EditProject, Handler: h.addProjectNote},
		{Method: "GET", Pattern: "/projects/{id}/attachments", Action: auth.ReadCampaign, Handler: h.listProjectAttachments},
		{Method: "POST", Pattern: "/projects/{id}/attachments", Action: auth.EditProject, Handler: h.addProjectAttachment},
		{Method: "GET", Pattern: "/projects/{id}/attachments/{aid}", Action: auth.ReadCampaign, Handler: h.getProjectAttachment},
		{Method: "DELETE", Pattern: "/projects/{id}/attachments/{aid}", Action: auth.EditProject, Handler: h.deleteProjectAttachment},
		{Method: "GET", Pattern: "/projects/warnings", Action: auth.ReadCampaign, Handler: h.projectWarnings},
		{Method: "GET", Pattern: "/project-tags", Action: auth.ReadCampaign, Handler: h.projectTags},
		{Method: "GET", Pattern: "/cohorts", Action: auth.ReadCampaign, Handler: h.listCohorts},
		{Method: "POST", Pattern: "/cohorts", Action: auth.ManageCampaign, Handler: h.createCohort},
		{Method: "GET", Pattern: "/cohorts/{id}/rates", Action: auth.ReadCampaign, Handler: h.cohortRates},

		{Method: "GET", Pattern: "/meetings", Action: auth.ReadCampaign, Handler: h.listMeetings},
		{Method: "POST", Pattern: "/meetings", Action: auth.ManageMeetings, Handler: h.createMeeting},
		{Method: "GET", Pattern: "/meetings/{id}", Action: auth.ReadCampaign, Handler: h.getMeeting},
		{Method: "PUT", Pattern: "/meetings/{id}", Action: auth.ManageMeetings, Handler: h.updateMeeting},
		{Method: "GET", Pattern: "/action-items", Action: auth.ReadActionItems, Handler: h.listActionItems},
		{Method: "POST", Pattern: "/action-items", Action: auth.ManageMeetings, Handler: h.createActionItem},
		{Method: "GET", Pattern: "/action-items/{id}", Action: auth.ReadActionItems, Handler: h.getActionItem},
		{Method: "PUT", Pattern: "/action-items/{id}", Action: auth.ManageMeetings, Handler: h.updateActionItem},
		{Method: "POST", Pattern: "/action-items/{id}/reply", Action: auth.ReplyActionItem,
			Handler: h.changeActionItem(domain.ActionVerbReply, auth.ReplyActionItem)},
		{Method: "POST", Pattern: "/action-items/{id}/close", Action: auth.ManageMeetings,
			Handler: h.changeActionItem(domain.ActionVerbClose, auth.ManageMeetings)},
		{Method: "POST", Pattern: "/action-items/{id}/reopen", Action: auth.ManageMeetings,
			Handler: h.changeActionItem(domain.ActionVerbReopen, auth.ManageMeetings)},
		{Method: "POST", Pattern: "/action-items/{id}/cancel", Action: auth.ManageMeetings,
			Handler: h.changeActionItem(domain.ActionVerbCancel, auth.ManageMeetings)},
		{Method: "GET", Pattern: "/bulletin", Action: auth.ReadCampaign, Handler: h.bulletin},
		{Method: "GET", Pattern: "/bulletin.pdf", Action: auth.ReadCampaign, Handler: h.bulletinPDF},
		{Method: "GET", Pattern: "/bulletins", Action: auth.ReadCampaign, Handler: h.listBulletins},
		{Method: "POST", Pattern: "/bulletins", Action: auth.ManageCampaign, Handler: h.publishBulletin},
		{Method: "GET", Pattern: "/bulletins/{id}", Action: auth.ReadCampaign, Handler: h.getBulletin},
		{Method: "GET", Pattern: "/bulletins/{id}/diff", Action: auth.ReadCampaign, Handler: h.bulletinDiff},
		{Method: "GET", Pattern: "/bulletins/{id}/bulletin.pdf", Action: auth.ReadCampaign, Handler: h.publishedBulletinPDF},

		{Method: "GET", Pattern: "/audit", Action: auth.ReadAudit, Handler: h.listAudit},
		{Method: "GET", Pattern: "/audit/verify", Action: auth.ReadAudit, Handler: h.verifyAudit},
	}
	for i := range routes {
		routes[i].Pattern = Prefix + routes[i].Pattern
		routes[i].API = true
	}
	return routes
}
