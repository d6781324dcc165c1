package store

import (
	"context"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// loopCity is a small city for the service loop: a county with an enterprise linked to
// a leader, two departments with a handler each, a coordinator, and the 2026 calendar.
type loopCity struct {
	county, d1, d2                          *domain.Unit
	coordinator, leader, handler1, handler2 *domain.User
	enterprise                              *domain.Enterprise
	clock                                   *time.Time
}

func newLoopCity(t *testing.T, s *Store) *loopCity {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 2, 10, 1, 0, 0, 0, time.UTC) // Tuesday 09:00 in China, before the Spring Festival
	c := &loopCity{clock: &now}
	s.Now = func() time.Time { return *c.clock }
	city := mustUnit(t, s, "369900", domain.UnitCity, 0)
	c.county = mustUnit(t, s, "369901", domain.UnitCounty, city.ID)
	c.d1 = mustUnit(t, s, "D01", domain.UnitDepartment, city.ID)
	c.d2 = mustUnit(t, s, "D02", domain.UnitDepartment, city.ID)
	user := func(name string, unit int64, role domain.Role) *domain.User {
		u := &domain.User{Username: name, DisplayName: name, UnitID: unit, Roles: []domain.Role{role}}
		if err := s.CreateUser(ctx, system, u, "h"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	c.coordinator = user("coordinator", city.ID, domain.RoleCoordinator)
	c.leader = user("leader", city.ID, domain.RoleLeader)
	c.handler1 = user("handler1", c.d1.ID, domain.RoleHandler)
	c.handler2 = user("handler2", c.d2.ID, domain.RoleHandler)
	days, _ := domain.NationalCalendar(2026)
	if err := s.SaveCalendarYear(ctx, system, 2026, 0, days, "国务院办公厅通知"); err != nil {
		t.Fatal(err)
	}
	c.enterprise = mustEnterprise(t, s, c.county.ID, "甲区陶瓷有限公司", "")
	if err := s.CreateLink(ctx, system, &domain.LeaderLink{LeaderID: c.leader.ID, EnterpriseID: c.enterprise.ID, StartOn: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func as(u *domain.User) domain.ProblemActor {
	return domain.ProblemActor{Actor: domain.Actor{User: u, Via: "test"}}
}

func unread(t *testing.T, s *Store, u *domain.User) int {
	t.Helper()
	n, err := s.UnreadNotifications(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProblemLoopFromVisitToRating(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)

		// A visit to an enterprise the leader is not linked to is refused, nothing written.
		other := mustEnterprise(t, s, c.county.ID, "未挂点企业", "")
		bad := &domain.ServiceVisit{EnterpriseID: other.ID, VisitOn: "2026-02-06"}
		if err := s.RecordVisit(ctx, as(c.leader), bad, nil); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("unlinked visit: %v", err)
		}
		// A bad problem refuses the whole visit.
		v := &domain.ServiceVisit{EnterpriseID: c.enterprise.ID, VisitOn: "2026-02-06", Notes: "走访生产车间"}
		if err := s.RecordVisit(ctx, as(c.leader), v, []*domain.Problem{{Category: "nope", Urgency: domain.UrgencyGeneral, Title: "x", Description: "y"}}); domain.ErrorFields(err)["category"] == "" {
			t.Fatalf("bad problem: %v", err)
		}
		if visits, _ := s.FindVisits(ctx, c.leader.ID, 0, 10); len(visits) != 0 {
			t.Fatalf("refused visit written: %+v", visits)
		}
		p := &domain.Problem{Category: "utilities", Urgency: domain.UrgencyGeneral, Title: "二期厂房用电增容", Description: "需增容至2000千伏安"}
		if err := s.RecordVisit(ctx, as(c.leader), v, []*domain.Problem{p}); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Status != domain.ProblemReceived || p.LeaderID != c.leader.ID || p.UnitID != c.county.ID || p.Source != domain.SourceServiceDay {
			t.Fatalf("raised %+v", p)
		}
		if visits, _ := s.FindVisits(ctx, c.leader.ID, 0, 10); len(visits) != 1 || visits[0].Problems != 1 {
			t.Fatalf("visits %+v", visits)
		}
		if unread(t, s, c.coordinator) != 1 {
			t.Fatal("coordinator not told of the new problem")
		}

		// Assign to D1 with D2 assisting: a general problem with an assisting department is
		// complex (25 working days), counted on the city's calendar across the festival.
		p, err := s.ActOnProblem(ctx, as(c.coordinator), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAssign,
			LeadUnitID: c.d1.ID, AssistingUnitIDs: []int64{c.d2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 23, 23, 59, 59, 0, domain.ChinaTime); !p.DueAt.Equal(want) {
			t.Fatalf("due %s, want %s", p.DueAt.In(domain.ChinaTime), want)
		}
		if unread(t, s, c.handler1) != 1 || unread(t, s, c.handler2) != 1 {
			t.Fatal("departments not told")
		}
		// D2 sees it in its queue as the assisting department.
		if rows, n, err := s.FindProblems(ctx, domain.ProblemFilter{DepartmentID: c.d2.ID, Sort: "due"}); err != nil || n != 1 || rows[0].EnterpriseName != c.enterprise.Name || len(rows[0].Assists) != 1 {
			t.Fatalf("D2 queue: %d %v", n, err)
		}
		// The wrong department and a stale version are refused; nothing changes.
		if _, err := s.ActOnProblem(ctx, as(c.handler2), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAccept}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("other department accepts: %v", err)
		}
		if _, err := s.ActOnProblem(ctx, as(c.handler1), p.ID, p.Version-1, domain.ProblemCommand{Kind: domain.ActAccept}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale accept: %v", err)
		}
		if _, err := s.ActOnProblem(ctx, as(c.handler1), p.ID, p.Version, domain.ProblemCommand{Kind: "jump"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad action: %v", err)
		}
		if got, _ := s.FindProblemByID(ctx, p.ID); got.Status != domain.ProblemAssigned || got.Version != p.Version {
			t.Fatalf("refusals changed the problem: %+v", got)
		}

		*c.clock = c.clock.Add(2 * time.Hour)
		p, err = s.ActOnProblem(ctx, as(c.handler1), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAccept})
		if err != nil {
			t.Fatal(err)
		}
		p, err = s.ActOnProblem(ctx, as(c.handler2), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAssist, Text: "可走绿色通道"})
		if err != nil || p.Assists[0].Answer != "可走绿色通道" {
			t.Fatalf("assist: %v %+v", err, p)
		}
		p, err = s.ActOnProblem(ctx, as(c.handler1), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActReply, Text: "已协调供电公司3月底前完成增容"})
		if err != nil {
			t.Fatal(err)
		}
		p, err = s.ActOnProblem(ctx, as(c.leader), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActRate, Rating: domain.RatingSatisfied})
		if err != nil || p.Status != domain.ProblemClosed {
			t.Fatalf("rate: %v %+v", err, p)
		}
		actions, err := s.FindProblemActions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, a := range actions {
			kinds = append(kinds, a.Kind)
		}
		if want := []string{"receive", "assign", "accept", "assist", "reply", "rate"}; len(kinds) != len(want) || kinds[1] != "assign" || kinds[5] != "rate" {
			t.Fatalf("timeline %v, want %v", kinds, want)
		}
		if len(actions[1].UnitIDs) != 2 || actions[1].UnitIDs[0] != c.d1.ID || actions[1].DueAt.IsZero() {
			t.Fatalf("assign entry %+v", actions[1])
		}

		rep, err := s.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 1 || rep.Rows[0].ID != c.d1.ID || rep.Rows[0].OnTime != 1 || rep.Rows[0].Satisfied != 1 || rep.Total.Closed != 1 {
			t.Fatalf("stats %+v", rep.Rows)
		}
	})
}

// The escalation job escalates an overdue problem once per missed deadline and tells the
// supervision office and the linked leader; the reminder comes a day before.
func TestEscalationAndReminders(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)
		supervision := mustUnit(t, s, "DCS", domain.UnitDepartment, 0)
		inspector := &domain.User{Username: "inspector", DisplayName: "督查员", UnitID: supervision.ID, Roles: []domain.Role{domain.RoleHandler}}
		if err := s.CreateUser(ctx, system, inspector, "h"); err != nil {
			t.Fatal(err)
		}
		rules := domain.DefaultProblemRules()
		rules.Escalation.SupervisionUnitID = supervision.ID
		if err := s.SetProblemRules(ctx, system, rules); err != nil {
			t.Fatal(err)
		}
		rules.Escalation.SupervisionUnitID = 99999
		if err := s.SetProblemRules(ctx, system, rules); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("unknown supervision unit: %v", err)
		}

		p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: c.enterprise.ID, Category: "finance",
			Urgency: domain.UrgencyGeneral, Title: "流动资金贷款", Description: "需500万元"}
		if err := s.RaiseProblem(ctx, as(c.coordinator), p); err != nil {
			t.Fatal(err)
		}
		if p.LeaderID != c.leader.ID {
			t.Fatal("the linked leader was not taken from the link")
		}
		p, err := s.ActOnProblem(ctx, as(c.coordinator), p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: c.d1.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Assigned Tuesday 10 February: 10 working days count Saturdays 14 and 28 February
		// (worked), skip the Spring Festival (15–23 February off) and end on Monday 2 March.
		if want := time.Date(2026, 3, 2, 23, 59, 59, 0, domain.ChinaTime); !p.DueAt.Equal(want) {
			t.Fatalf("due %s", p.DueAt.In(domain.ChinaTime))
		}
		if n, err := s.EscalateOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("nothing is overdue yet: %d %v", n, err)
		}
		before := unread(t, s, c.handler1)
		*c.clock = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // 10:00 on the last day
		for range 2 {
			if _, err := s.RemindDueSoon(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got := unread(t, s, c.handler1); got != before+1 {
			t.Fatalf("due-soon reminders: %d new, want 1", got-before)
		}

		*c.clock = time.Date(2026, 3, 3, 1, 0, 0, 0, time.UTC)
		leaderBefore, inspectorBefore := unread(t, s, c.leader), unread(t, s, inspector)
		if n, err := s.EscalateOverdue(ctx); err != nil || n != 1 {
			t.Fatalf("escalate: %d %v", n, err)
		}
		if n, err := s.EscalateOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("escalated twice: %d %v", n, err)
		}
		if unread(t, s, c.leader) != leaderBefore+1 || unread(t, s, inspector) != inspectorBefore+1 {
			t.Fatal("leader or supervision office not told")
		}
		got, _ := s.FindProblemByID(ctx, p.ID)
		if got.Escalations != 1 || !got.EscalatedDueAt.Equal(p.DueAt) {
			t.Fatalf("escalated %+v", got)
		}
		if rows, n, _ := s.FindProblems(ctx, domain.ProblemFilter{Overdue: true}); n != 1 || rows[0].ID != p.ID {
			t.Fatalf("overdue filter: %d", n)
		}
		rep, err := s.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByLeader)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Black) != 1 || rep.Black[0].ID != c.d1.ID || rep.Rows[0].ID != c.leader.ID || rep.Rows[0].Overdue != 1 {
			t.Fatalf("black list %+v rows %+v", rep.Black, rep.Rows)
		}
	})
}

func TestLinksAndContactLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)
		dup := &domain.LeaderLink{LeaderID: c.leader.ID, EnterpriseID: c.enterprise.ID, StartOn: "2026-02-01"}
		if err := s.CreateLink(ctx, system, dup); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("overlapping link: %v", err)
		}
		notLeader := &domain.LeaderLink{LeaderID: c.handler1.ID, EnterpriseID: c.enterprise.ID, StartOn: "2026-02-01"}
		if err := s.CreateLink(ctx, system, notLeader); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("handler as leader: %v", err)
		}
		links, n, err := s.FindLinks(ctx, LinkFilter{ActiveOn: "2026-02-10"})
		if err != nil || n != 1 || links[0].LeaderName != "leader" || links[0].EnterpriseName != c.enterprise.Name {
			t.Fatalf("links %d %v", n, err)
		}
		if _, err := s.EndLink(ctx, system, links[0].ID, links[0].Version+1, "2026-03-31"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale end: %v", err)
		}
		if _, err := s.EndLink(ctx, system, links[0].ID, links[0].Version, "2025-12-31"); domain.ErrorFields(err)["end_on"] == "" {
			t.Fatalf("end before start: %v", err)
		}
		if _, err := s.EndLink(ctx, system, links[0].ID, links[0].Version, "2026-03-31"); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := s.FindLinks(ctx, LinkFilter{ActiveOn: "2026-04-01"}); n != 0 {
			t.Fatal("ended link still active")
		}

		token, err := s.IssueContactLink(ctx, system, c.enterprise.ID, "王经理")
		if err != nil || len(token) < 40 {
			t.Fatalf("issue: %q %v", token, err)
		}
		a, e, err := s.ContactByToken(ctx, token)
		if err != nil || e.ID != c.enterprise.ID || a.EnterpriseID != c.enterprise.ID || a.ContactName != "王经理" {
			t.Fatalf("by token: %+v %v", a, err)
		}
		again, _ := s.IssueContactLink(ctx, system, c.enterprise.ID, "王经理")
		if _, _, err := s.ContactByToken(ctx, token); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("replaced token still works: %v", err)
		}
		// The contact raises a problem through its form and rates the reply.
		a, _, _ = s.ContactByToken(ctx, again)
		p := &domain.Problem{Source: domain.SourceContactForm, EnterpriseID: c.enterprise.ID, Category: "labour",
			Urgency: domain.UrgencyUrgent, Title: "招工难", Description: "缺熟练工50人"}
		if err := s.RaiseProblem(ctx, a, p); err != nil {
			t.Fatal(err)
		}
		other := mustEnterprise(t, s, c.county.ID, "另一家企业", "")
		q := &domain.Problem{Source: domain.SourceContactForm, EnterpriseID: other.ID, Category: "labour",
			Urgency: domain.UrgencyGeneral, Title: "冒名", Description: "x"}
		if err := s.RaiseProblem(ctx, a, q); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("contact raising for another enterprise: %v", err)
		}
	})
}
