package jobs

import (
	"context"
	"slices"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store/storetest"
)

// TestProblemDeadlinesJob runs the problem-deadlines job through the scheduler on a
// controlled clock: nothing before the deadline, a reminder on its last day, one
// escalation once it has passed, and nothing twice in later periods.
func TestProblemDeadlinesJob(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		clk := &clock{now: time.Date(2026, 2, 10, 1, 0, 0, 0, time.UTC)} // Tuesday 09:00 in China
		st.Now = clk.Now
		unit := func(code string, kind domain.UnitKind) *domain.Unit {
			u := &domain.Unit{Code: code, Name: code, Kind: kind, Active: true}
			if err := st.CreateUnit(ctx, tester, u); err != nil {
				t.Fatal(err)
			}
			return u
		}
		city, dept := unit("369900", domain.UnitCity), unit("D01", domain.UnitDepartment)
		user := func(name string, unit int64, role domain.Role) *domain.User {
			u := &domain.User{Username: name, DisplayName: name, UnitID: unit, Roles: []domain.Role{role}}
			if err := st.CreateUser(ctx, tester, u, "h"); err != nil {
				t.Fatal(err)
			}
			return u
		}
		coordinator, handler := user("coordinator", city.ID, domain.RoleCoordinator), user("handler", dept.ID, domain.RoleHandler)
		leader := user("leader", city.ID, domain.RoleLeader)
		days, _ := domain.NationalCalendar(2026)
		if err := st.SaveCalendarYear(ctx, tester, 2026, 0, days, ""); err != nil {
			t.Fatal(err)
		}
		e := &domain.Enterprise{Name: "企业", UnitID: city.ID}
		if err := st.CreateEnterprise(ctx, tester, e); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateLink(ctx, tester, &domain.LeaderLink{LeaderID: leader.ID, EnterpriseID: e.ID, StartOn: "2026-01-01"}); err != nil {
			t.Fatal(err)
		}
		as := domain.ProblemActor{Actor: domain.Actor{User: coordinator, Via: "test"}}
		p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: e.ID, Category: "land", Urgency: domain.UrgencyGeneral, Title: "用地", Description: "用地"}
		if err := st.RaiseProblem(ctx, as, p); err != nil {
			t.Fatal(err)
		}
		// Due at the end of Monday 2 March: the Spring Festival is skipped.
		if _, err := st.ActOnProblem(ctx, as, p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: dept.ID}); err != nil {
			t.Fatal(err)
		}
		s := New(st, quiet, ProblemDeadlines(st, quiet))
		unread := func(u *domain.User) int {
			n, err := st.UnreadNotifications(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		tests := []struct {
			at                   time.Time
			ran                  bool
			escalations, handler int // after the run; the handler had the assignment notice
		}{
			{time.Date(2026, 2, 27, 2, 0, 0, 0, time.UTC), true, 0, 1},  // a working day before: nothing
			{time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC), true, 0, 2},   // the last day: reminded
			{time.Date(2026, 3, 2, 2, 30, 0, 0, time.UTC), false, 0, 2}, // within the hour: the lease holds
			{time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC), true, 1, 3}, // 00:30 on 3 March: escalated
			{time.Date(2026, 3, 2, 18, 30, 0, 0, time.UTC), true, 1, 3}, // later: nothing twice
		}
		for _, tt := range tests {
			clk.set(tt.at)
			ran := slices.Contains(s.RunDue(ctx), "problem-deadlines")
			got, err := st.FindProblemByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ran != tt.ran || got.Escalations != tt.escalations || unread(handler) != tt.handler {
				t.Fatalf("%s: ran %v, escalations %d, handler's messages %d; want %v %d %d", tt.at, ran, got.Escalations, unread(handler), tt.ran, tt.escalations, tt.handler)
			}
		}
		if unread(leader) != 1 {
			t.Fatalf("the linked leader has %d messages, want the escalation", unread(leader))
		}
	})
}
