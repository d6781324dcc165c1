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
	// EditEnterprise registers and changes one unit's enterprises, their above-scale
	// entries and exits, yearly figures and honours: that unit's reporters, and
	// coordinators for any unit. Reading the registry is ReadCampaign.
	EditEnterprise Action = "enterprise.edit"
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
	case ManageCampaign, ReviewReports:
		return u.HasRole(domain.RoleCoordinator)
	case ReadReport:
		if u.HasRole(domain.RoleCoordinator, domain.RoleLeader) {
			return true
		}
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case EditReport:
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	case EditProject, EditEnterprise:
		if u.HasRole(domain.RoleCoordinator) {
			return true
		}
		return u.HasRole(domain.RoleReporter) && recordUnit != 0 && recordUnit == u.UnitID
	}
	return false
}

// CanAtAll reports whether the user could do the action on some record: the route-level
// check, before the handler knows which record is meant.
func CanAtAll(u *domain.User, a Action) bool {
	if u != nil && !u.Disabled && u.HasRole(domain.RoleReporter) {
		switch a {
		case EditUnitContact, ReadReport, EditReport, EditProject, EditEnterprise:
			return true
		}
	}
	return Can(u, a, 0)
}
