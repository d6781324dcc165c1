package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// who may do what, written out by hand from DESIGN.md's roles rather than derived from
// auth.Can, so that a change to the policy has to change this table too.
type rule struct {
	name  string
	allow func(role domain.Role, own bool) bool
}

var (
	anyone    = rule{"anyone", func(domain.Role, bool) bool { return true }}
	signedIn  = rule{"signed in", func(domain.Role, bool) bool { return true }}
	orgReader = rule{"org reader", func(r domain.Role, _ bool) bool { return r != domain.RoleAuditor }}
	adminOnly = rule{"admin", func(r domain.Role, _ bool) bool { return r == domain.RoleAdmin }}
	auditOnly = rule{"auditor", func(r domain.Role, _ bool) bool { return r == domain.RoleAuditor }}
	// The campaign's data is read by everyone but the auditor and written by coordinators.
	campaignReader  = rule{"campaign reader", func(r domain.Role, _ bool) bool { return r != domain.RoleAuditor }}
	coordinatorOnly = rule{"coordinator", func(r domain.Role, _ bool) bool { return r == domain.RoleCoordinator }}
	// Monthly reports: coordinators and leaders read every unit's, reporters their own
	// unit's only (the period overview sends a reporter to it, the list API filters to
	// it); only a unit's own reporters fill it in; coordinators review it.
	reportReader = rule{"report reader", func(r domain.Role, _ bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || r == domain.RoleReporter
	}}
	unitReportReader = rule{"unit report reader", func(r domain.Role, own bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || (r == domain.RoleReporter && own)
	}}
	reportEditor = rule{"report editor", func(r domain.Role, own bool) bool { return r == domain.RoleReporter && own }}
	// Projects: coordinators write any unit's, reporters their own unit's only; a
	// reporter may open the new-project form and post it (for their own unit).
	projectEditor = rule{"project editor", func(r domain.Role, own bool) bool {
		return r == domain.RoleCoordinator || (r == domain.RoleReporter && own)
	}}
	projectCreator = rule{"project creator", func(r domain.Role, _ bool) bool { return r == domain.RoleCoordinator || r == domain.RoleReporter }}
	// Action items (交办事项): coordinators and leaders read every unit's; a county's
	// reporter or a department's handler reads and answers their own unit's only.
	// Admins keep accounts and do not take part in dispatch.
	actionReader = rule{"action item reader", func(r domain.Role, own bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || ((r == domain.RoleReporter || r == domain.RoleHandler) && own)
	}}
	actionLister = rule{"action item lister", func(r domain.Role, _ bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || r == domain.RoleReporter || r == domain.RoleHandler
	}}
	actionReplier = rule{"action item replier", func(r domain.Role, own bool) bool {
		return (r == domain.RoleReporter || r == domain.RoleHandler) && own
	}}
	// The cockpit is for those who run the campaign and those who lead it; everyone else
	// lands on a workbench at "/".
	cockpitReader = rule{"cockpit reader", func(r domain.Role, _ bool) bool { return r == domain.RoleCoordinator || r == domain.RoleLeader }}
	// Problems (诉求): coordinators and leaders read all; a reporter reads their county's
	// enterprises' problems, a handler those their department leads or assists. Actions
	// are the loop's parties'; the domain decides which (an empty form is refused 422).
	problemReader = rule{"problem reader", func(r domain.Role, own bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || ((r == domain.RoleReporter || r == domain.RoleHandler) && own)
	}}
	problemListReader = rule{"problem list reader", func(r domain.Role, _ bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || r == domain.RoleReporter || r == domain.RoleHandler
	}}
	problemQueueReader = rule{"problem queue reader", func(r domain.Role, _ bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || r == domain.RoleHandler
	}}
	problemActor = rule{"problem actor", func(r domain.Role, own bool) bool {
		return r == domain.RoleCoordinator || r == domain.RoleLeader || (r == domain.RoleHandler && own)
	}}
	visitRecorder = rule{"visit recorder", func(r domain.Role, _ bool) bool { return r == domain.RoleCoordinator || r == domain.RoleLeader }}
	// A reporter edits the contact details of their own unit only; admins of any unit.
	contactEditor = rule{"contact editor", func(r domain.Role, own bool) bool {
		return r == domain.RoleAdmin || (r == domain.RoleReporter && own)
	}}
)

// expectations names every registered route. A route missing here fails the test, so no
// later route can escape the policy unreviewed.
var expectations = map[string]rule{
	"GET /healthz":                     anyone,
	"GET /readyz":                      anyone,
	"GET /metrics":                     anyone,
	"GET /assets/{hash}/{file...}":     anyone,
	"GET /login":                       anyone,
	"POST /login":                      anyone,
	"GET /api/v1/openapi.yaml":         anyone,
	"POST /logout":                     signedIn,
	"GET /{$}":                         signedIn,
	"GET /account":                     signedIn,
	"GET /account/password":            signedIn,
	"POST /account/password":           signedIn,
	"POST /account/tokens":             signedIn,
	"POST /account/tokens/{id}/revoke": signedIn,
	"GET /api/v1/me":                   signedIn,
	"GET /api/v1/tokens":               signedIn,
	"POST /api/v1/tokens":              signedIn,
	"DELETE /api/v1/tokens/{id}":       signedIn,

	"GET /units":                     orgReader,
	"GET /units/export.xlsx":         orgReader,
	"GET /units/{id}":                orgReader,
	"GET /api/v1/units":              orgReader,
	"GET /api/v1/units/{id}":         orgReader,
	"GET /units/new":                 adminOnly,
	"POST /units":                    adminOnly,
	"GET /units/{id}/edit":           adminOnly,
	"POST /units/{id}":               adminOnly,
	"POST /api/v1/units":             adminOnly,
	"PUT /api/v1/units/{id}":         adminOnly,
	"GET /units/{id}/contact":        contactEditor,
	"POST /units/{id}/contact":       contactEditor,
	"PUT /api/v1/units/{id}/contact": contactEditor,

	"GET /users":                       adminOnly,
	"GET /users/export.xlsx":           adminOnly,
	"GET /users/new":                   adminOnly,
	"POST /users":                      adminOnly,
	"GET /users/{id}/edit":             adminOnly,
	"POST /users/{id}":                 adminOnly,
	"POST /users/{id}/password":        adminOnly,
	"GET /api/v1/users":                adminOnly,
	"POST /api/v1/users":               adminOnly,
	"GET /api/v1/users/{id}":           adminOnly,
	"PUT /api/v1/users/{id}":           adminOnly,
	"POST /api/v1/users/{id}/password": adminOnly,

	"GET /indicators":               campaignReader,
	"GET /indicators/export.xlsx":   campaignReader,
	"GET /indicators/new":           coordinatorOnly,
	"POST /indicators":              coordinatorOnly,
	"GET /indicators/{id}/edit":     coordinatorOnly,
	"POST /indicators/{id}":         coordinatorOnly,
	"GET /targets":                  campaignReader,
	"POST /targets":                 coordinatorOnly,
	"GET /targets/export.xlsx":      campaignReader,
	"GET /letters":                  campaignReader,
	"POST /letters":                 coordinatorOnly,
	"GET /letters/{id}":             campaignReader,
	"GET /letters/{id}/export.xlsx": campaignReader,
	"GET /api/v1/indicators":        campaignReader,
	"POST /api/v1/indicators":       coordinatorOnly,
	"GET /api/v1/indicators/{id}":   campaignReader,
	"PUT /api/v1/indicators/{id}":   coordinatorOnly,
	"GET /api/v1/targets":           campaignReader,
	"PUT /api/v1/targets":           coordinatorOnly,
	"GET /api/v1/letters":           campaignReader,
	"POST /api/v1/letters":          coordinatorOnly,
	"GET /api/v1/letters/{id}":      campaignReader,

	"GET /api/v1/phases":            campaignReader,
	"PUT /api/v1/phases":            coordinatorOnly,
	"GET /api/v1/plans":             campaignReader,
	"POST /api/v1/plans":            coordinatorOnly,
	"GET /api/v1/plans/{id}":        campaignReader,
	"PUT /api/v1/plans/{id}":        coordinatorOnly,
	"GET /api/v1/reconciliation":    campaignReader,
	"PUT /api/v1/published-figures": coordinatorOnly,
	"GET /api/v1/progress":          campaignReader,

	// The bulletin as PDF: whoever reads the bulletin (with no browser configured they
	// get a 503, which is not a refusal).
	"GET /bulletin.pdf":                       campaignReader,
	"GET /bulletins/{id}/bulletin.pdf":        campaignReader,
	"GET /api/v1/bulletin.pdf":                campaignReader,
	"GET /api/v1/bulletins/{id}/bulletin.pdf": campaignReader,

	// The dispatch bulletin: everyone who reads the campaign reads it; coordinators
	// publish versions and set what it shows.
	"GET /bulletin":                   campaignReader,
	"GET /bulletin/print":             campaignReader,
	"GET /bulletin/export.xlsx":       campaignReader,
	"POST /bulletin/settings":         coordinatorOnly,
	"GET /bulletins":                  campaignReader,
	"POST /bulletins":                 coordinatorOnly,
	"GET /bulletins/{id}":             campaignReader,
	"GET /bulletins/{id}/print":       campaignReader,
	"GET /bulletins/{id}/export.xlsx": campaignReader,
	"GET /api/v1/bulletin":            campaignReader,
	"GET /api/v1/bulletins":           campaignReader,
	"POST /api/v1/bulletins":          coordinatorOnly,
	"GET /api/v1/bulletins/{id}":      campaignReader,
	"GET /api/v1/bulletins/{id}/diff": campaignReader,
	"GET /targets/phases":             campaignReader,
	"POST /targets/phases":            coordinatorOnly,
	"GET /plans":                      campaignReader,
	"POST /plans":                     coordinatorOnly,
	"GET /plans/{id}":                 campaignReader,
	"GET /plans/{id}/export.xlsx":     campaignReader,
	"POST /plans/{id}":                coordinatorOnly,
	"GET /reconcile":                  campaignReader,
	"POST /reconcile":                 coordinatorOnly,
	"GET /progress":                   campaignReader,
	"GET /progress/export.xlsx":       campaignReader,
	"POST /progress/settings":         coordinatorOnly,
	"GET /api/v1/cockpit":             cockpitReader,
	"GET /scoring":                    campaignReader,
	"GET /scoring/export.xlsx":        campaignReader,
	"GET /scoring/scheme":             coordinatorOnly,
	"POST /scoring/scheme":            coordinatorOnly,
	"GET /api/v1/scoring":             campaignReader,
	"GET /api/v1/scoring/history":     campaignReader,
	"GET /api/v1/scoring/scheme":      campaignReader,
	"PUT /api/v1/scoring/scheme":      coordinatorOnly,

	"GET /reports":                                         reportReader,
	"GET /reports/export.xlsx":                             reportReader,
	"GET /api/v1/reports":                                  reportReader,
	"GET /reports/late":                                    coordinatorOnly,
	"POST /reports/settings":                               coordinatorOnly,
	"GET /reports/{unitID}/{year}/{month}":                 unitReportReader,
	"GET /api/v1/reports/{unitID}/{year}/{month}":          unitReportReader,
	"POST /reports/{unitID}/{year}/{month}":                reportEditor,
	"POST /reports/{unitID}/{year}/{month}/submit":         reportEditor,
	"PUT /api/v1/reports/{unitID}/{year}/{month}":          reportEditor,
	"POST /api/v1/reports/{unitID}/{year}/{month}/submit":  reportEditor,
	"POST /reports/{unitID}/{year}/{month}/approve":        coordinatorOnly,
	"POST /reports/{unitID}/{year}/{month}/return":         coordinatorOnly,
	"POST /reports/{unitID}/{year}/{month}/correct":        coordinatorOnly,
	"POST /api/v1/reports/{unitID}/{year}/{month}/approve": coordinatorOnly,
	"POST /api/v1/reports/{unitID}/{year}/{month}/return":  coordinatorOnly,
	"POST /api/v1/reports/{unitID}/{year}/{month}/correct": coordinatorOnly,

	// XLSX imports. A target template is read like the grid; importing, and fetching the
	// annotated copy of a refused file (also bound to the user by its token), is the
	// coordinators'. A unit's report template is read like its report; only the unit's
	// own reporters import into it.
	"GET /targets/template.xlsx":                                 campaignReader,
	"POST /targets/import":                                       coordinatorOnly,
	"GET /targets/import/errors/{token}":                         coordinatorOnly,
	"GET /reports/{unitID}/{year}/{month}/template.xlsx":         unitReportReader,
	"POST /reports/{unitID}/{year}/{month}/import":               reportEditor,
	"GET /reports/{unitID}/{year}/{month}/import/errors/{token}": reportEditor,

	"GET /projects":                                  campaignReader,
	"GET /projects/export.xlsx":                      campaignReader,
	"GET /projects/new":                              projectCreator,
	"POST /projects":                                 projectCreator,
	"GET /projects/template.xlsx":                    campaignReader,
	"POST /projects/import":                          projectCreator,
	"GET /projects/import/errors/{token}":            projectCreator,
	"GET /projects/{id}":                             campaignReader,
	"GET /projects/edit/{id}":                        projectEditor,
	"POST /projects/{id}":                            projectEditor,
	"POST /projects/{id}/stage":                      projectEditor,
	"POST /projects/{id}/ledger":                     projectEditor,
	"POST /projects/{id}/notes":                      projectEditor,
	"POST /projects/{id}/attachments":                projectEditor,
	"GET /projects/{id}/attachments/{aid}/download":  campaignReader,
	"POST /projects/{id}/attachments/{aid}/delete":   projectEditor,
	"GET /api/v1/projects/{id}/attachments":          campaignReader,
	"POST /api/v1/projects/{id}/attachments":         projectEditor,
	"GET /api/v1/projects/{id}/attachments/{aid}":    campaignReader,
	"DELETE /api/v1/projects/{id}/attachments/{aid}": projectEditor,
	"GET /api/v1/projects":                           campaignReader,
	"POST /api/v1/projects":                          projectCreator,
	"GET /api/v1/projects/{id}":                      campaignReader,
	"PUT /api/v1/projects/{id}":                      projectEditor,
	"POST /api/v1/projects/{id}/stage":               projectEditor,
	"PUT /api/v1/projects/{id}/ledger/{month}":       projectEditor,
	"POST /api/v1/projects/{id}/notes":               projectEditor,
	"GET /projects/warnings":                         campaignReader,
	"GET /projects/rates":                            campaignReader,
	"POST /projects/rates":                           coordinatorOnly,
	"GET /projects/rates/{id}":                       campaignReader,
	"GET /projects/rates/{id}/export.xlsx":           campaignReader,
	"GET /projects/quality":                          campaignReader,
	"GET /projects/tags":                             coordinatorOnly,
	"POST /projects/tags":                            coordinatorOnly,
	"POST /projects/tags/{id}/update":                coordinatorOnly,
	"GET /projects/analysis/settings":                coordinatorOnly,
	"POST /projects/analysis/settings":               coordinatorOnly,
	"GET /api/v1/projects/warnings":                  campaignReader,
	"GET /api/v1/project-tags":                       campaignReader,
	"GET /api/v1/cohorts":                            campaignReader,
	"POST /api/v1/cohorts":                           coordinatorOnly,
	"GET /api/v1/cohorts/{id}/rates":                 campaignReader,

	// The working-day calendar and the service-day rule are campaign configuration: read
	// by everyone who reads the campaign, changed by coordinators. The inbox is each
	// user's own (Self); its handlers scope every query to the signed-in user.
	"GET /calendar":                        campaignReader,
	"GET /calendar/export.xlsx":            campaignReader,
	"GET /calendar/template.xlsx":          campaignReader,
	"POST /calendar/days":                  coordinatorOnly,
	"POST /calendar/days/remove":           coordinatorOnly,
	"POST /calendar/national":              coordinatorOnly,
	"POST /calendar/service-day-rule":      coordinatorOnly,
	"POST /calendar/import":                coordinatorOnly,
	"GET /calendar/import/errors/{token}":  coordinatorOnly,
	"GET /api/v1/calendar/{year}":          campaignReader,
	"PUT /api/v1/calendar/{year}":          coordinatorOnly,
	"GET /inbox":                           signedIn,
	"POST /inbox/{id}/read":                signedIn,
	"POST /inbox/read-all":                 signedIn,
	"GET /api/v1/notifications":            signedIn,
	"POST /api/v1/notifications/{id}/read": signedIn,
	// Dispatch meetings are campaign records: everyone but the auditor reads them (a
	// unit's users see only their own unit's items on them); coordinators run them.
	"GET /meetings":                         campaignReader,
	"GET /meetings/new":                     coordinatorOnly,
	"POST /meetings":                        coordinatorOnly,
	"GET /meetings/{id}":                    campaignReader,
	"GET /meetings/{id}/edit":               coordinatorOnly,
	"POST /meetings/{id}":                   coordinatorOnly,
	"GET /meetings/{id}/minutes":            campaignReader,
	"POST /meetings/{id}/items":             coordinatorOnly,
	"GET /action-items":                     actionLister,
	"POST /action-items/settings":           coordinatorOnly,
	"GET /action-items/export.xlsx":         actionLister,
	"GET /action-items/{id}":                actionReader,
	"POST /action-items/{id}":               coordinatorOnly,
	"POST /action-items/{id}/reply":         actionReplier,
	"POST /action-items/{id}/close":         coordinatorOnly,
	"POST /action-items/{id}/reopen":        coordinatorOnly,
	"POST /action-items/{id}/cancel":        coordinatorOnly,
	"GET /api/v1/meetings":                  campaignReader,
	"POST /api/v1/meetings":                 coordinatorOnly,
	"GET /api/v1/meetings/{id}":             campaignReader,
	"PUT /api/v1/meetings/{id}":             coordinatorOnly,
	"GET /api/v1/action-items":              actionLister,
	"POST /api/v1/action-items":             coordinatorOnly,
	"GET /api/v1/action-items/{id}":         actionReader,
	"PUT /api/v1/action-items/{id}":         coordinatorOnly,
	"POST /api/v1/action-items/{id}/reply":  actionReplier,
	"POST /api/v1/action-items/{id}/close":  coordinatorOnly,
	"POST /api/v1/action-items/{id}/reopen": coordinatorOnly,
	"POST /api/v1/action-items/{id}/cancel": coordinatorOnly,
	// Enterprises follow the projects' rule: reporters write their own unit's only.
	"GET /enterprises":                            campaignReader,
	"GET /enterprises/export.xlsx":                campaignReader,
	"GET /enterprises/new":                        projectCreator,
	"POST /enterprises":                           projectCreator,
	"GET /enterprises/template.xlsx":              campaignReader,
	"POST /enterprises/import":                    projectCreator,
	"GET /enterprises/import/errors/{token}":      projectCreator,
	"GET /enterprises/above-scale":                campaignReader,
	"GET /enterprises/per-mu":                     campaignReader,
	"POST /enterprises/per-mu/settings":           coordinatorOnly,
	"POST /enterprises/settings":                  coordinatorOnly,
	"GET /enterprises/above-scale/export.xlsx":    campaignReader,
	"GET /enterprises/honours":                    campaignReader,
	"GET /enterprises/honours/export.xlsx":        campaignReader,
	"GET /enterprises/{id}":                       campaignReader,
	"GET /enterprises/{id}/edit":                  projectEditor,
	"POST /enterprises/{id}":                      projectEditor,
	"POST /enterprises/{id}/status":               projectEditor,
	"POST /enterprises/{id}/scale/entry":          projectEditor,
	"POST /enterprises/{id}/scale/exit":           projectEditor,
	"POST /enterprises/{id}/figures":              projectEditor,
	"POST /enterprises/{id}/honours":              projectEditor,
	"GET /api/v1/enterprises":                     campaignReader,
	"POST /api/v1/enterprises":                    projectCreator,
	"GET /api/v1/enterprises/above-scale":         campaignReader,
	"GET /api/v1/enterprises/per-mu":              campaignReader,
	"GET /api/v1/enterprises/{id}":                campaignReader,
	"PUT /api/v1/enterprises/{id}":                projectEditor,
	"POST /api/v1/enterprises/{id}/status":        projectEditor,
	"POST /api/v1/enterprises/{id}/scale/entries": projectEditor,
	"POST /api/v1/enterprises/{id}/scale/exit":    projectEditor,
	"PUT /api/v1/enterprises/{id}/figures/{year}": projectEditor,
	"POST /api/v1/enterprises/{id}/honours":       projectEditor,

	// An enterprise's honours are corrected and withdrawn by whoever may add them.
	"POST /enterprises/{id}/honours/{hid}":                 projectEditor,
	"POST /enterprises/{id}/honours/{hid}/withdraw":        projectEditor,
	"PUT /api/v1/enterprises/{id}/honours/{hid}":           projectEditor,
	"POST /api/v1/enterprises/{id}/honours/{hid}/withdraw": projectEditor,

	// Contact links are issued by coordinators for any unit's enterprise.
	"POST /enterprises/{id}/contact-link":        coordinatorOnly,
	"POST /api/v1/enterprises/{id}/contact-link": coordinatorOnly,
	// The working-day calendar and the service-day rule are campaign configuration: read
	// by everyone who reads the campaign, changed by coordinators. The inbox is each
	// user's own (Self); its handlers scope every query to the signed-in user.
	"GET /problems":                      problemListReader,
	"GET /problems/export.xlsx":          problemListReader,
	"GET /problems/queue":                problemQueueReader,
	"GET /problems/new":                  projectCreator,
	"POST /problems":                     projectCreator,
	"GET /problems/stats":                problemListReader,
	"GET /problems/stats/export.xlsx":    problemListReader,
	"GET /problems/rules":                problemListReader,
	"POST /problems/rules":               coordinatorOnly,
	"GET /problems/{id}":                 problemReader,
	"POST /problems/{id}/act":            problemActor,
	"POST /problems/{id}/contact-link":   coordinatorOnly,
	"GET /service":                       visitRecorder,
	"POST /service/visits":               visitRecorder,
	"GET /links":                         coordinatorOnly,
	"GET /links/export.xlsx":             coordinatorOnly,
	"POST /links":                        coordinatorOnly,
	"POST /links/{id}/end":               coordinatorOnly,
	"GET /c/{token}":                     anyone,
	"GET /api/v1/problems":               problemListReader,
	"POST /api/v1/problems":              projectCreator,
	"GET /api/v1/problems/stats":         problemListReader,
	"GET /api/v1/problems/{id}":          problemReader,
	"POST /api/v1/problems/{id}/actions": problemActor,
	"GET /api/v1/problem-rules":          problemListReader,
	"PUT /api/v1/problem-rules":          coordinatorOnly,
	"GET /api/v1/links":                  coordinatorOnly,
	"POST /api/v1/links":                 coordinatorOnly,
	"POST /api/v1/links/{id}/end":        coordinatorOnly,
	"GET /api/v1/visits":                 visitRecorder,
	"POST /api/v1/visits":                visitRecorder,
	"POST /c/{token}/problems":           anyone,
	"POST /c/{token}/problems/{id}/rate": anyone,

	"GET /audit":               auditOnly,
	"GET /audit/export.xlsx":   auditOnly,
	"GET /audit/verify":        auditOnly,
	"GET /api/v1/audit":        auditOnly,
	"GET /api/v1/audit/verify": auditOnly,
}

var roleUsers = map[domain.Role]string{
	domain.RoleAdmin: "admin", domain.RoleCoordinator: "coordinator", domain.RoleReporter: "reporter",
	domain.RoleHandler: "handler", domain.RoleLeader: "leader", domain.RoleAuditor: "auditor",
}

// TestAuthorizationEveryRoute walks every registered route × every role × a record of
// the user's own unit and of another unit, and asserts that the policy answers 403
// exactly where the table says no; anonymous requests to non-public routes get 401 or
// the login page.
func TestAuthorizationEveryRoute(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	tokens := map[string]int64{} // a token of each user, for the token routes' {id}
	for name, u := range f.users {
		_, tok, err := f.svc.CreateToken(ctx, domain.Actor{User: u, Via: "test"}, u, "authz")
		if err != nil {
			t.Fatal(err)
		}
		tokens[name] = tok.ID
	}

	for _, rt := range f.srv.Routes() {
		want, ok := expectations[rt.Key()]
		if !ok {
			t.Errorf("route %s has no authorization expectation: add it to the table", rt.Key())
			continue
		}
		if (rt.Action == auth.Public) != (want.name == anyone.name) {
			t.Errorf("route %s: action %s but the table says %s", rt.Key(), rt.Action, want.name)
		}

		if rt.Action != auth.Public {
			res := f.do(f.client(), rt.Method, f.resolve(rt.Pattern, "admin", true, tokens), "")
			if res.StatusCode != http.StatusUnauthorized && !(res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login")) {
				t.Errorf("anonymous %s: %d, want 401 or login", rt.Key(), res.StatusCode)
			}
		}
		for _, role := range domain.Roles {
			for _, own := range []bool{true, false} {
				name := roleUsers[role]
				path := f.resolve(rt.Pattern, name, own, tokens)
				res := f.do(f.sessionClient(name), rt.Method, path, "")
				allowed := want.allow(role, own)
				denied := res.StatusCode == http.StatusForbidden
				if allowed == denied || res.StatusCode == http.StatusUnauthorized {
					t.Errorf("%s as %s (own unit %v) → %s: %d, want allowed=%v", rt.Key(), role, own, path, res.StatusCode, allowed)
				}
			}
		}
	}
	if n, brk, err := f.st.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("audit chain after %d events: %v %v", n, brk, err)
	}
}

// resolve fills a pattern's wildcards with a record of the user's own unit or another.
func (f *fixture) resolve(pattern, username string, own bool, tokens map[string]int64) string {
	user := f.users[username]
	other := "reporter2"
	if username == "reporter2" {
		other = "reporter"
	}
	var id int64
	switch {
	case strings.Contains(pattern, "/units/{id}"):
		id = user.UnitID
		if !own {
			id = f.users[other].UnitID
		}
	case strings.Contains(pattern, "/users/{id}"):
		id = user.ID
		if !own {
			id = f.users[other].ID
		}
	case strings.Contains(pattern, "/tokens/{id}"):
		id = tokens[username]
		if !own {
			id = tokens[other]
		}
	case strings.Contains(pattern, "/projects/{id}"), strings.Contains(pattern, "/projects/edit/{id}"):
		unitID := user.UnitID
		if !own {
			unitID = f.users[other].UnitID
		}
		id = f.projectOf(unitID)
		pattern = strings.Replace(pattern, "{month}", "2026-10", 1)
		if strings.Contains(pattern, "{aid}") {
			pattern = strings.Replace(pattern, "{aid}", fmt.Sprint(f.attachmentOf(id)), 1)
		}
	case strings.Contains(pattern, "/meetings/{id}"), strings.Contains(pattern, "/action-items/{id}"):
		// A unit's own item, or another unit's; city users own no items, so theirs is
		// county A's (their rules do not depend on the unit).
		unitID := user.UnitID
		if !own || unitID == f.units["city"].ID {
			unitID = f.users[other].UnitID
		}
		item := f.actionItemOf(unitID)
		id = item.ID
		if strings.Contains(pattern, "/meetings/") {
			id = item.MeetingID
		}
	case strings.Contains(pattern, "/problems/{id}"):
		unitID := user.UnitID
		if !own {
			unitID = f.users[other].UnitID
		}
		id = f.problemOf(unitID)
	case strings.Contains(pattern, "/enterprises/{id}"):
		unitID := user.UnitID
		if !own {
			unitID = f.users[other].UnitID
		}
		id = f.enterpriseOf(unitID)
		pattern = strings.Replace(pattern, "{year}", "2025", 1)
		if strings.Contains(pattern, "{hid}") {
			pattern = strings.Replace(pattern, "{hid}", fmt.Sprint(f.honourOf(id)), 1)
		}
	}
	if strings.Contains(pattern, "{unitID}") {
		unitID := user.UnitID
		if !own {
			unitID = f.users[other].UnitID
		}
		pattern = strings.NewReplacer("{unitID}", fmt.Sprint(unitID), "{year}", "2026", "{month}", "10").Replace(pattern)
	}
	path := strings.Replace(pattern, "{id}", fmt.Sprint(id), 1)
	path = strings.Replace(path, "{year}", "2026", 1)
	path = strings.Replace(path, "{hash}/{file...}", "0/app.css", 1)
	return strings.TrimSuffix(path, "{$}")
}

// sessionClient signs a user in by writing a session directly: the policy is under test
// here, not the password check, and a fresh session per request survives POST /logout.
func (f *fixture) sessionClient(username string) *http.Client {
	id := fmt.Sprintf("authz-%s-%d", username, time.Now().UnixNano())
	sess := &store.Session{IDHash: auth.HashSecret(id), UserID: f.users[username].ID, ExpiresAt: time.Now().Add(time.Hour)}
	if err := f.st.CreateSession(context.Background(), sess, "127.0.0.1", "authz"); err != nil {
		f.t.Fatal(err)
	}
	c := f.client()
	req, _ := http.NewRequest("GET", f.ts.URL, nil)
	c.Jar.SetCookies(req.URL, []*http.Cookie{{Name: "bz_session", Value: id}})
	return c
}

func (f *fixture) do(c *http.Client, method, path, body string) *http.Response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	return res
}
