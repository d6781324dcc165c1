package auth

import (
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("Correct#Horse1")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q, %v", h, err)
	}
	h2, _ := HashPassword("Correct#Horse1")
	if h == h2 {
		t.Fatal("same salt twice")
	}
	for pw, want := range map[string]bool{"Correct#Horse1": true, "correct#horse1": false, "": false} {
		if ok, err := VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("verify %q = %v, %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestPolicy(t *testing.T) {
	user := func(unit int64, roles ...domain.Role) *domain.User {
		return &domain.User{ID: 1, UnitID: unit, Roles: roles}
	}
	tests := []struct {
		u      *domain.User
		a      Action
		unit   int64
		want   bool
		reason string
	}{
		{nil, Public, 0, true, "public needs nobody"},
		{nil, Self, 0, false, "anonymous has no self"},
		{user(1, domain.RoleReporter), EditUnitContact, 1, true, "own unit"},
		{user(1, domain.RoleReporter), EditUnitContact, 2, false, "other unit"},
		{user(1, domain.RoleReporter), EditUnitContact, 0, false, "no unit named"},
		{user(1, domain.RoleCoordinator), EditUnitContact, 1, false, "coordinators do not edit units"},
		{user(1, domain.RoleAdmin), EditUnitContact, 2, true, "admin any unit"},
		{user(1, domain.RoleAdmin), ReadAudit, 0, false, "三员分立: admin cannot read audit"},
		{user(1, domain.RoleAuditor), ReadAudit, 0, true, "auditor reads audit"},
		{user(1, domain.RoleAuditor), ManageUsers, 0, false, "auditor changes nothing"},
		{user(1, domain.RoleAuditor), ReadOrg, 0, false, "auditor reads only the log"},
		{user(1, domain.RoleLeader), ReadOrg, 0, true, "leaders read"},
		{user(1, domain.RoleLeader), ManageUnits, 0, false, "leaders do not manage"},
		{&domain.User{Roles: []domain.Role{domain.RoleAdmin}, Disabled: true}, ManageUsers, 0, false, "disabled"},
		{user(1, domain.RoleAdmin), Action("nonsense"), 0, false, "unknown actions are refused"},
		{user(1, domain.RoleCoordinator), ManageCampaign, 0, true, "coordinators set targets"},
		{user(1, domain.RoleAdmin), ManageCampaign, 0, false, "admins manage accounts, not the campaign"},
		{user(1, domain.RoleLeader), ReadCampaign, 0, true, "leaders read everything"},
		{user(1, domain.RoleAuditor), ReadCampaign, 0, false, "auditors read only the log"},
		{user(1, domain.RoleReporter), EditReport, 1, true, "reporter fills own report"},
		{user(1, domain.RoleReporter), EditReport, 2, false, "not another unit's"},
		{user(1, domain.RoleCoordinator), EditReport, 1, false, "coordinators review, they do not fill in"},
		{user(1, domain.RoleReporter), ReadReport, 2, false, "reporters read only their unit's report"},
		{user(1, domain.RoleLeader), ReadReport, 2, true, "leaders read every report"},
		{user(1, domain.RoleCoordinator), ReviewReports, 0, true, "coordinators review"},
		{user(1, domain.RoleReporter), ReviewReports, 0, false, "reporters do not review"},
		{user(1, domain.RoleReporter), EditProject, 1, true, "reporters keep their unit's projects"},
		{user(1, domain.RoleReporter), EditProject, 2, false, "not another county's"},
		{user(1, domain.RoleCoordinator), EditProject, 2, true, "coordinators any unit's"},
		{user(1, domain.RoleLeader), EditProject, 1, false, "leaders read"},
		{user(1, domain.RoleCoordinator), ManageMeetings, 0, true, "coordinators run dispatch"},
		{user(1, domain.RoleLeader), ManageMeetings, 0, false, "leaders read the minutes"},
		{user(1, domain.RoleCoordinator), ReadActionItems, 2, true, "coordinators read every unit's items"},
		{user(1, domain.RoleLeader), ReadActionItems, 2, true, "leaders read every unit's items"},
		{user(1, domain.RoleReporter), ReadActionItems, 1, true, "a county reads its own items"},
		{user(1, domain.RoleReporter), ReadActionItems, 2, false, "not another county's"},
		{user(3, domain.RoleHandler), ReadActionItems, 3, true, "a department reads its own items"},
		{user(1, domain.RoleAdmin), ReadActionItems, 1, false, "admins keep accounts, not dispatch"},
		{user(1, domain.RoleReporter), ReplyActionItem, 1, true, "the owner county replies"},
		{user(1, domain.RoleReporter), ReplyActionItem, 2, false, "not for another county"},
		{user(3, domain.RoleHandler), ReplyActionItem, 3, true, "the owner department replies"},
		{user(1, domain.RoleCoordinator), ReplyActionItem, 1, false, "coordinators close, the unit replies"},
	}
	for _, tt := range tests {
		if got := Can(tt.u, tt.a, tt.unit); got != tt.want {
			t.Errorf("%s: Can = %v", tt.reason, got)
		}
	}
	if !CanAtAll(user(1, domain.RoleReporter), EditUnitContact) {
		t.Error("a reporter may reach the contact route")
	}
}

func TestThrottle(t *testing.T) {
	th := newThrottle(3, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !th.reserve("1.2.3.4", now) {
			t.Fatalf("attempt %d refused too early", i+1)
		}
	}
	if th.reserve("1.2.3.4", now) || !th.reserve("5.6.7.8", now) {
		t.Fatal("throttle by address wrong")
	}
	th.release("1.2.3.4") // a success gives its attempt back
	if !th.reserve("1.2.3.4", now) {
		t.Fatal("released attempt not given back")
	}
	if !th.reserve("1.2.3.4", now.Add(61*time.Second)) {
		t.Fatal("window did not slide")
	}
}

func TestProblemPolicy(t *testing.T) {
	user := func(unit int64, roles ...domain.Role) *domain.User {
		return &domain.User{ID: 1, UnitID: unit, Roles: roles}
	}
	// Enterprise of county 10, led by department 20 with department 21 assisting.
	p := &domain.Problem{UnitID: 10, LeadUnitID: 20, Assists: []domain.ProblemAssist{{UnitID: 21}}}
	tests := []struct {
		u      *domain.User
		a      Action
		want   bool
		reason string
	}{
		{user(1, domain.RoleCoordinator), ReadProblems, true, "coordinators read all"},
		{user(1, domain.RoleLeader), ReadProblems, true, "leaders read all"},
		{user(10, domain.RoleReporter), ReadProblems, true, "the enterprise's county"},
		{user(11, domain.RoleReporter), ReadProblems, false, "another county"},
		{user(20, domain.RoleHandler), ReadProblems, true, "the lead department"},
		{user(21, domain.RoleHandler), ReadProblems, true, "an assisting department"},
		{user(22, domain.RoleHandler), ReadProblems, false, "another department"},
		{user(10, domain.RoleHandler), ReadProblems, false, "a handler is scoped by department, not county"},
		{user(1, domain.RoleAuditor), ReadProblems, false, "auditors read only the log"},
		{user(1, domain.RoleAdmin), ReadProblems, false, "admins manage accounts"},
		{user(10, domain.RoleReporter), RaiseProblem, true, "reporters raise for their county"},
		{user(11, domain.RoleReporter), RaiseProblem, false, "not for another county"},
		{user(20, domain.RoleHandler), RaiseProblem, false, "handlers answer, they do not raise"},
	}
	for _, tt := range tests {
		if got := CanProblem(tt.u, tt.a, p); got != tt.want {
			t.Errorf("%s: CanProblem = %v", tt.reason, got)
		}
	}
	for _, tt := range []struct {
		u                *domain.User
		all              bool
		unit, department int64
		ok               bool
	}{
		{user(1, domain.RoleCoordinator), true, 0, 0, true},
		{user(20, domain.RoleHandler), false, 0, 20, true},
		{user(10, domain.RoleReporter), false, 10, 0, true},
		{user(1, domain.RoleAuditor), false, 0, 0, false},
	} {
		all, unit, dept, ok := ProblemScope(tt.u)
		if all != tt.all || unit != tt.unit || dept != tt.department || ok != tt.ok {
			t.Errorf("%v: scope %v %d %d %v", tt.u.Roles, all, unit, dept, ok)
		}
	}
	if !CanAtAll(user(20, domain.RoleHandler), ReadProblems) || CanAtAll(user(1, domain.RoleAuditor), ReadProblems) {
		t.Error("route-level ReadProblems")
	}
}
