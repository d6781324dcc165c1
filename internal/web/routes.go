package web

import (
	"beizeng/internal/auth"
	"beizeng/internal/request"
)

// Routes lists every page and form action of the UI, each with the action the
// authorization policy checks before the handler runs.
func (h *Handler) Routes() []request.Route {
	return []request.Route{
		{Method: "GET", Pattern: "/assets/{hash}/{file...}", Action: auth.Public, Handler: h.serveAsset},
		{Method: "GET", Pattern: "/login", Action: auth.Public, Handler: h.loginPage},
		{Method: "POST", Pattern: "/login", Action: auth.Public, Handler: h.login},
		{Method: "POST", Pattern: "/logout", Action: auth.Self, Handler: h.logout},
		{Method: "GET", Pattern: "/{$}", Action: auth.Self, Handler: h.home},

		{Method: "GET", Pattern: "/account", Action: auth.Self, Handler: h.account},
		{Method: "GET", Pattern: "/account/password", Action: auth.Self, Handler: h.passwordPage},
		{Method: "POST", Pattern: "/account/password", Action: auth.Self, Handler: h.changePassword},
		{Method: "POST", Pattern: "/account/tokens", Action: auth.Self, Handler: h.createToken},
		{Method: "POST", Pattern: "/account/tokens/{id}/revoke", Action: auth.Self, Handler: h.revokeToken},

		{Method: "GET", Pattern: "/units", Action: auth.ReadOrg, Handler: h.units},
		{Method: "GET", Pattern: "/units/export.xlsx", Action: auth.ReadOrg, Handler: h.exportUnits},
		{Method: "GET", Pattern: "/units/new", Action: auth.ManageUnits, Handler: h.newUnit},
		{Method: "POST", Pattern: "/units", Action: auth.ManageUnits, Handler: h.createUnit},
		{Method: "GET", Pattern: "/units/{id}", Action: auth.ReadOrg, Handler: h.unit},
		{Method: "GET", Pattern: "/units/{id}/edit", Action: auth.ManageUnits, Handler: h.editUnit},
		{Method: "POST", Pattern: "/units/{id}", Action: auth.ManageUnits, Handler: h.updateUnit},
		{Method: "GET", Pattern: "/units/{id}/contact", Action: auth.EditUnitContact, Handler: h.contactPage},
		{Method: "POST", Pattern: "/units/{id}/contact", Action: auth.EditUnitContact, Handler: h.updateContact},

		{Method: "GET", Pattern: "/users", Action: auth.ManageUsers, Handler: h.users},
		{Method: "GET", Pattern: "/users/export.xlsx", Action: auth.ManageUsers, Handler: h.exportUsers},
		{Method: "GET", Pattern: "/users/new", Action: auth.ManageUsers, Handler: h.newUser},
		{Method: "POST", Pattern: "/users", Action: auth.ManageUsers, Handler: h.createUser},
		{Method: "GET", Pattern: "/users/{id}/edit", Action: auth.ManageUsers, Handler: h.editUser},
		{Method: "POST", Pattern: "/users/{id}", Action: auth.ManageUsers, Handler: h.updateUser},
		{Method: "POST", Pattern: "/users/{id}/password", Action: auth.ManageUsers, Handler: h.resetPassword},

		{Method: "GET", Pattern: "/indicators", Action: auth.ReadCampaign, Handler: h.indicators},
		{Method: "GET", Pattern: "/indicators/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportIndicators},
		{Method: "GET", Pattern: "/indicators/new", Action: auth.ManageCampaign, Handler: h.newIndicator},
		{Method: "POST", Pattern: "/indicators", Action: auth.ManageCampaign, Handler: h.createIndicator},
		{Method: "GET", Pattern: "/indicators/{id}/edit", Action: auth.ManageCampaign, Handler: h.editIndicator},
		{Method: "POST", Pattern: "/indicators/{id}", Action: auth.ManageCampaign, Handler: h.updateIndicator},
		{Method: "GET", Pattern: "/targets", Action: auth.ReadCampaign, Handler: h.targets},
		{Method: "POST", Pattern: "/targets", Action: auth.ManageCampaign, Handler: h.saveTargets},
		{Method: "GET", Pattern: "/targets/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportTargets},
		{Method: "GET", Pattern: "/targets/phases", Action: auth.ReadCampaign, Handler: h.phases},
		{Method: "POST", Pattern: "/targets/phases", Action: auth.ManageCampaign, Handler: h.savePhases},
		{Method: "GET", Pattern: "/targets/template.xlsx", Action: auth.ReadCampaign, Handler: h.targetsTemplate},
		{Method: "POST", Pattern: "/targets/import", Action: auth.ManageCampaign, Handler: h.importTargets},
		{Method: "GET", Pattern: "/targets/import/errors/{token}", Action: auth.ManageCampaign, Handler: h.targetsImportErrors},
		{Method: "GET", Pattern: "/letters", Action: auth.ReadCampaign, Handler: h.letters},
		{Method: "POST", Pattern: "/letters", Action: auth.ManageCampaign, Handler: h.issueLetter},
		{Method: "GET", Pattern: "/letters/{id}", Action: auth.ReadCampaign, Handler: h.letter},
		{Method: "GET", Pattern: "/letters/{id}/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportLetter},

		{Method: "GET", Pattern: "/plans", Action: auth.ReadCampaign, Handler: h.plans},
		{Method: "POST", Pattern: "/plans", Action: auth.ManageCampaign, Handler: h.createPlan},
		{Method: "GET", Pattern: "/plans/{id}", Action: auth.ReadCampaign, Handler: h.plan},
		{Method: "GET", Pattern: "/plans/{id}/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportPlan},
		{Method: "POST", Pattern: "/plans/{id}", Action: auth.ManageCampaign, Handler: h.savePlan},

		{Method: "GET", Pattern: "/progress", Action: auth.ReadCampaign, Handler: h.progress},
		{Method: "GET", Pattern: "/reconcile", Action: auth.ReadCampaign, Handler: h.reconcile},
		{Method: "POST", Pattern: "/reconcile", Action: auth.ManageCampaign, Handler: h.savePublished},
		{Method: "GET", Pattern: "/progress/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportProgress},
		{Method: "POST", Pattern: "/progress/settings", Action: auth.ManageCampaign, Handler: h.saveProgressSettings},

		{Method: "GET", Pattern: "/reports", Action: auth.ReadReport, Handler: h.reports},
		{Method: "GET", Pattern: "/reports/late", Action: auth.ReviewReports, Handler: h.lateReports},
		{Method: "POST", Pattern: "/reports/settings", Action: auth.ReviewReports, Handler: h.saveReportDeadline},
		{Method: "GET", Pattern: "/reports/export.xlsx", Action: auth.ReadReport, Handler: h.exportReports},
		{Method: "GET", Pattern: "/reports/{unitID}/{year}/{month}", Action: auth.ReadReport, Handler: h.reportPage},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}", Action: auth.EditReport, Handler: h.saveReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/submit", Action: auth.EditReport, Handler: h.submitReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/approve", Action: auth.ReviewReports, Handler: h.approveReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/return", Action: auth.ReviewReports, Handler: h.returnReport},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/correct", Action: auth.ReviewReports, Handler: h.correctReport},
		{Method: "GET", Pattern: "/reports/{unitID}/{year}/{month}/template.xlsx", Action: auth.ReadReport, Handler: h.reportTemplate},
		{Method: "POST", Pattern: "/reports/{unitID}/{year}/{month}/import", Action: auth.EditReport, Handler: h.importReport},
		{Method: "GET", Pattern: "/reports/{unitID}/{year}/{month}/import/errors/{token}", Action: auth.EditReport, Handler: h.reportImportErrors},

		{Method: "GET", Pattern: "/projects", Action: auth.ReadCampaign, Handler: h.projects},
		{Method: "GET", Pattern: "/projects/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportProjects},
		{Method: "GET", Pattern: "/projects/new", Action: auth.EditProject, Handler: h.newProject},
		{Method: "POST", Pattern: "/projects", Action: auth.EditProject, Handler: h.createProject},
		{Method: "GET", Pattern: "/projects/{id}", Action: auth.ReadCampaign, Handler: h.project},
		{Method: "GET", Pattern: "/projects/edit/{id}", Action: auth.EditProject, Handler: h.editProject},
		{Method: "POST", Pattern: "/projects/{id}", Action: auth.EditProject, Handler: h.updateProject},
		{Method: "POST", Pattern: "/projects/{id}/stage", Action: auth.EditProject, Handler: h.transitionProject},
		{Method: "POST", Pattern: "/projects/{id}/ledger", Action: auth.EditProject, Handler: h.setProjectLedger},
		{Method: "POST", Pattern: "/projects/{id}/notes", Action: auth.EditProject, Handler: h.addProjectNote},
		{Method: "GET", Pattern: "/projects/warnings", Action: auth.ReadCampaign, Handler: h.projectWarnings},
		{Method: "GET", Pattern: "/projects/rates", Action: auth.ReadCampaign, Handler: h.projectRates},
		{Method: "POST", Pattern: "/projects/rates", Action: auth.ManageCampaign, Handler: h.createCohort},
		{Method: "GET", Pattern: "/projects/rates/{id}", Action: auth.ReadCampaign, Handler: h.projectCohort},
		{Method: "GET", Pattern: "/projects/rates/{id}/export.xlsx", Action: auth.ReadCampaign, Handler: h.exportCohort},
		{Method: "GET", Pattern: "/projects/quality", Action: auth.ReadCampaign, Handler: h.projectQuality},
		{Method: "GET", Pattern: "/projects/analysis/settings", Action: auth.ManageCampaign, Handler: h.projectAnalysisSettings},
		{Method: "POST", Pattern: "/projects/analysis/settings", Action: auth.ManageCampaign, Handler: h.saveProjectAnalysisSettings},

		{Method: "GET", Pattern: "/audit", Action: auth.ReadAudit, Handler: h.audit},
		{Method: "GET", Pattern: "/audit/export.xlsx", Action: auth.ReadAudit, Handler: h.exportAudit},
		{Method: "GET", Pattern: "/audit/verify", Action: auth.ReadAudit, Handler: h.verifyAudit},
	}
}
