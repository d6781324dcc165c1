package auth

import "beizeng/internal/domain"

// Action names what a request wants to do. Every route declares one; Can decides it.
type Action string

const (
	// Public needs no sign-in (login page, health checks, assets).
	Public Action = "public"
	// Self is any signed-in user acting on their own account: me, password, tokens.
	Self Action = "self"
	// ReadOrg reads the unit tree: every signed-in user needs it to find their way.
	ReadOrg         Action = "org.read"
	ManageUnits     Action = "unit.manage"
	EditUnitContact Action = "unit.contact"
	ManageUsers     Action = "user.manage"
	ReadAudit       Action = "audit.read"

	// ReadCampaign reads the campaign's business data: indicators, targets, letters,
	// progress, plans. Everyone but the auditor needs it.
	ReadCampaign Action = "campaign.read"
	// ManageCampaign writes the catalogue, targets, letters and plans: the coordinators'
	// work (倍增办).
	ManageCampaign Action = "campaign.manage"
	// ReadReport reads one unit's monthly report: that unit's reporters, coordinators and
	// leaders.
	ReadReport Action = "report.read"
	// EditReport fills in and submits one unit's monthly report: its own reporters.
	EditReport Action = "report.edit"
	// ReviewReports approves, returns and corrects reports, and sees who is late.
	ReviewReports Action = "report.review"
	// EditProject creates and changes one unit's projects: that unit's reporters, and
	// coordinators for any unit.
	EditProject Action = "project.edit"
	// ManageMeetings records dispatch meetings (调度会) and assigns, edits, closes, reopens
	// and cancels their action items (交办事项): the coordinators who run dispatch.
	ManageMeetings Action = "meeting.manage"
	// ReadActionItems reads one unit's action items: coordinators and leaders read every
	// unit's; a reporter (county, park) or handler (department) reads their own unit's.
	ReadActionItems Action = "action.read"
	// ReplyActionItem answers an action item for its owner unit: that unit's reporters or
	// handlers only. The answer awaits a coordinator's closure.
	ReplyActionItem Action = "action.reply"
	// ReadCockpit reads the cockpit (驾驶舱): the whole campaign at a glance, for those who
	// run it (coordinators) and lead it (leaders). Others land on a workbench of their own.
	ReadCockpit Action = "cockpit.read"
	// EditEnterprise registers and changes one unit's enterprises, their above-scale
	// entries and exits, yearly figures and honours: that unit's reporters, and
	// coordinators for any unit. Reading the registry is ReadCampaign.
	EditEnterprise Action = "enterprise.edit"

	// ReadProblems reads enterprises' problems (诉求): coordinators and leaders all of
	// them; a reporter those of their unit's enterprises; a handler those their department
	// leads or assists (CanProblem decides per problem, ProblemScope per list).
	ReadProblems Action = "problem.read"
	// RaiseProblem registers a problem for an enterprise of recordUnit: coordinators for
	// any, reporters for their own unit's enterprises. Leaders raise theirs through a
	// service-day visit (RecordVisit).
	RaiseProblem Action = "problem.raise"
	// ActOnProblem takes an action in the loop: the domain's party rules decide which
	// (domain.ApplyProblem); this only lets the loop's parties reach the forms.
	ActOnProblem Action = "problem.act"
	// RecordVisit records a service-day visit to a linked enterprise: leaders for their
	// own links (the store checks the link), coordinators for a linked leader.
	RecordVisit Action = "visit.record"
	// ManageLinks links leaders to enterprises and issues enterprise contact links: the
	// coordinators' work.
	ManageLinks Action = "link.manage"
	// ReadProblemStats reads the loop's statistics and the departments' red and black
	// lists: published within the government, so everyone taking part in the loop.
	ReadProblemStats Action = "problem.stats"
)

// Can is the one authorization policy. recordUnit is the unit that owns the record being
// read or written, or 0 when the action is not about one unit's record.
//
// The three-role separation (三员分立) is deliberate: admins manage accounts and settings
// but never see the audit log; auditors read the audit log and change nothing.
func Can(u *domain.User, a Action, recordUnit int64) bool {
	if a == Public {
		return true
	}
	if u == nil || u.Disabled {
		return false
	}
	switch a {
	case Self:
		return true
	case ReadOrg:
		return u.HasRole(domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReporter,
			domain.RoleHandler, domain.RoleLeader)
	case ManageUnits, ManageUsers:
		return u.HasRole(domain.RoleAdmin)
	case EditUnitContact:
		if u.HasRole(domain.RoleAdmin) {
			return true
		}
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case ReadAudit:
		return u.HasRole(domain.RoleAuditor)
	case ReadCampaign:
		return u.HasRole(domain.RoleAdmin, domain.RoleCoordinator, domain.RoleReporter, domain.RoleHandler, domain.RoleLeader)
	case ReadCockpit:
		return u.HasRole(domain.RoleCoordinator, domain.RoleLeader)
	case ManageCampaign, ReviewReports, ManageMeetings:
		return u.HasRole(domain.RoleCoordinator)
	case ReadReport:
		if u.HasRole(domain.RoleCoordinator, domain.RoleLeader) {
			return true
		}
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case EditReport:
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case EditProject, EditEnterprise, RaiseProblem:
		if u.HasRole(domain.RoleCoordinator) {
			return true
		}
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case ReadActionItems, ReadProblems:
		if u.HasRole(domain.RoleCoordinator, domain.RoleLeader) {
			return true
		}
		return u.HasRole(domain.RoleReporter, domain.RoleHandler) && recordUnit != 0 && recordUnit == u.UnitID
	case ReplyActionItem:
		return u.HasRole(domain.RoleReporter, domain.RoleHandler) && recordUnit != 0 && recordUnit == u.UnitID
	case ActOnProblem:
		return u.HasRole(domain.RoleCoordinator, domain.RoleHandler, domain.RoleLeader)
	case RecordVisit:
		return u.HasRole(domain.RoleCoordinator, domain.RoleLeader)
	case ManageLinks:
		return u.HasRole(domain.RoleCoordinator)
	case ReadProblemStats:
		return u.HasRole(domain.RoleCoordinator, domain.RoleLeader, domain.RoleHandler, domain.RoleReporter)
	}
	return false
}

// CanAtAll reports whether the user could do the action on some record: the route-level
// check, before the handler knows which record is meant.
func CanAtAll(u *domain.User, a Action) bool {
	if u != nil && !u.Disabled && u.HasRole(domain.RoleReporter) {
		switch a {
		case EditUnitContact, ReadReport, EditReport, EditProject, EditEnterprise, RaiseProblem, ReadProblems:
			return true
		}
	}
	if u != nil && !u.Disabled && u.HasRole(domain.RoleReporter, domain.RoleHandler) {
		switch a {
		case ReadActionItems, ReplyActionItem:
			return true
		}
	}
	if u != nil && !u.Disabled && u.HasRole(domain.RoleHandler) && a == ReadProblems {
		return true
	}
	return Can(u, a, 0)
}

// CanProblem decides an action on one problem, which belongs to several units: a reporter
// reaches it through the enterprise's unit, a handler through the lead or an assisting
// department.
func CanProblem(u *domain.User, a Action, p *domain.Problem) bool {
	if Can(u, a, 0) {
		return true
	}
	if u == nil {
		return false
	}
	if u.HasRole(domain.RoleReporter) && Can(u, a, p.UnitID) {
		return true
	}
	if u.HasRole(domain.RoleHandler) {
		for _, id := range append([]int64{p.LeadUnitID}, p.AssistingUnitIDs()...) {
			if id != 0 && Can(u, a, id) {
				return true
			}
		}
	}
	return false
}

// ProblemScope narrows a list of problems to what the user may read (ReadProblems): all
// of them, or the problems of the enterprises of unitID (reporters), or those
// departmentID leads or assists (handlers). ok is false when the user may read none.
func ProblemScope(u *domain.User) (all bool, unitID, departmentID int64, ok bool) {
	switch {
	case Can(u, ReadProblems, 0):
		return true, 0, 0, true
	case u == nil || u.Disabled:
		return false, 0, 0, false
	case u.HasRole(domain.RoleHandler):
		return false, 0, u.UnitID, true
	case u.HasRole(domain.RoleReporter):
		return false, u.UnitID, 0, true
	}
	return false, 0, 0, false
}

// ScopeProblems narrows a problem filter to what the user may read (ProblemScope), for
// every list, export and queue of problems; it refuses a user who may read none.
func ScopeProblems(u *domain.User, f *domain.ProblemFilter) error {
	all, unit, department, ok := ProblemScope(u)
	switch {
	case !ok:
		return domain.ErrForbidden
	case all:
	case unit != 0:
		f.UnitID = unit
	default:
		f.DepartmentID = department
	}
	return nil
}
