package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// loopedHistory runs a service-day problem through the loop in the domain — received on
// the visit of Friday 6 February 2026, assigned with an assisting department, accepted,
// answered by both, rated satisfied by the linked leader on Monday — as a city's earlier
// records would have it.
func loopedHistory(t *testing.T, s *Store, c *loopCity) HistoryProblem {
	t.Helper()
	ctx := context.Background()
	cal, err := s.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rules := domain.DefaultProblemRules()
	v := &domain.ServiceVisit{LeaderID: c.leader.ID, EnterpriseID: c.enterprise.ID, VisitOn: "2026-02-06", Notes: "走访生产车间"}
	p := &domain.Problem{Source: domain.SourceServiceDay, EnterpriseID: c.enterprise.ID, UnitID: c.county.ID, Category: "utilities",
		Urgency: domain.UrgencyGeneral, Title: "二期厂房用电增容", Description: "需增容至2000千伏安", LeaderID: c.leader.ID}
	at := func(s string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", s, domain.ChinaTime)
		return tm
	}
	fx, err := domain.ReceiveProblem(p, as(c.leader), at("2026-02-06 15:00"), rules)
	if err != nil {
		t.Fatal(err)
	}
	h := HistoryProblem{Problem: p, Timeline: []domain.ProblemAction{fx.Action}, Visit: v}
	for _, step := range []struct {
		who  *domain.User
		when string
		cmd  domain.ProblemCommand
	}{
		{c.coordinator, "2026-02-06 16:00", domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: c.d1.ID, AssistingUnitIDs: []int64{c.d2.ID}}},
		{c.handler1, "2026-02-09 09:00", domain.ProblemCommand{Kind: domain.ActAccept}},
		{c.handler2, "2026-02-09 10:00", domain.ProblemCommand{Kind: domain.ActAssist, Text: "同意增容方案"}},
		{c.handler1, "2026-02-09 15:00", domain.ProblemCommand{Kind: domain.ActReply, Text: "已协调供电公司，本月完成增容"}},
		{c.leader, "2026-02-09 17:00", domain.ProblemCommand{Kind: domain.ActRate, Rating: domain.RatingSatisfied}},
	} {
		fx, err := domain.ApplyProblem(p, step.cmd, as(step.who), at(step.when), cal.WorkingDays(), rules)
		if err != nil {
			t.Fatalf("%s: %v", step.cmd.Kind, err)
		}
		h.Timeline = append(h.Timeline, fx.Action)
	}
	return h
}

func problemCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM problems) + (SELECT COUNT(*) FROM service_visits)
		+ (SELECT COUNT(*) FROM problem_actions) + (SELECT COUNT(*) FROM problem_assists)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadProblemHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)

		// Each bad record refuses the whole load, naming the problem, and writes nothing.
		for name, spoil := range map[string]func(h *HistoryProblem){
			"timeline missing a step": func(h *HistoryProblem) { h.Timeline = append(h.Timeline[:2:2], h.Timeline[3:]...) },
			"lead not a department":   func(h *HistoryProblem) { h.Problem.LeadUnitID = c.county.ID },
			"unknown enterprise":      func(h *HistoryProblem) { h.Problem.EnterpriseID = 99999 },
			"unit not the firm's":     func(h *HistoryProblem) { h.Problem.UnitID = c.d1.ID },
			"bad category":            func(h *HistoryProblem) { h.Problem.Category = "nope" },
			"not on the visit's day":  func(h *HistoryProblem) { h.Visit.VisitOn = "2026-02-05" },
			"unknown actor":           func(h *HistoryProblem) { h.Timeline[1].ActorUserID = 99999 },
			"in the future":           func(h *HistoryProblem) { h.Timeline[5].At = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) },
		} {
			before := problemCount(t, s)
			h := loopedHistory(t, s, c)
			spoil(&h)
			err := s.LoadProblemHistory(ctx, system, "历史数据", []*domain.ServiceVisit{h.Visit}, []HistoryProblem{h})
			if code := domain.ErrorCode(err); code != domain.EINVALID {
				t.Errorf("%s: %v", name, err)
			} else if msg := domain.ErrorMessage(err); !strings.HasPrefix(msg, "第1") {
				t.Errorf("%s: not named: %s", name, msg)
			}
			if after := problemCount(t, s); after != before {
				t.Errorf("%s: %d rows written", name, after-before)
			}
		}

		h := loopedHistory(t, s, c)
		if err := s.LoadProblemHistory(ctx, system, "历史数据", []*domain.ServiceVisit{h.Visit}, []HistoryProblem{h}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindProblemByID(ctx, h.Problem.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *h.Problem
		if got.Version != 6 || got.Status != domain.ProblemClosed || got.Rating != domain.RatingSatisfied || len(got.Assists) != 1 ||
			got.Assists[0].AnsweredAt.IsZero() || !got.DueAt.Equal(want.DueAt) || !got.FirstReplyAt.Equal(want.FirstReplyAt) ||
			got.LeaderID != c.leader.ID {
			t.Errorf("loaded %+v", got)
		}
		timeline, err := s.FindProblemActions(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(timeline) != 6 || timeline[1].Kind != domain.ActAssign || !reflect.DeepEqual(timeline[1].UnitIDs, []int64{c.d1.ID, c.d2.ID}) ||
			timeline[5].Party != domain.PartyLeader || timeline[5].ActorUserID != c.leader.ID {
			t.Errorf("timeline %+v", timeline)
		}
		// What was loaded is a problem the loop accepts, as read back.
		list := make([]domain.ProblemAction, len(timeline))
		for i, a := range timeline {
			list[i] = *a
		}
		if err := domain.CheckProblemTimeline(got, list, s.Now()); err != nil {
			t.Error(err)
		}
		visits, err := s.FindVisits(ctx, c.leader.ID, 0, 10)
		if err != nil || len(visits) != 1 || visits[0].Problems != 1 {
			t.Errorf("visits %+v %v", visits, err)
		}
		rep, err := s.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment)
		if err != nil || rep.Total.Count != 1 || rep.Total.Closed != 1 || rep.Total.OnTime != 1 {
			t.Errorf("statistics %+v %v", rep, err)
		}
		if _, brk, err := s.VerifyAudit(ctx); brk != nil || err != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}

func TestLoadLeaderLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)
		other := mustEnterprise(t, s, c.county.ID, "乙企业", "")
		count := func() int {
			_, n, err := s.FindLinks(ctx, LinkFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		for name, l := range map[string]*domain.LeaderLink{
			"overlaps the fixture's": {LeaderID: c.leader.ID, EnterpriseID: c.enterprise.ID, StartOn: "2025-06-01", EndOn: "2026-01-01"},
			"not a leader":           {LeaderID: c.handler1.ID, EnterpriseID: other.ID, StartOn: "2025-06-01"},
			"unknown enterprise":     {LeaderID: c.leader.ID, EnterpriseID: 99999, StartOn: "2025-06-01"},
			"bad dates":              {LeaderID: c.leader.ID, EnterpriseID: other.ID, StartOn: "2025-06-01", EndOn: "2025-01-01"},
		} {
			good := &domain.LeaderLink{LeaderID: c.leader.ID, EnterpriseID: other.ID, StartOn: "2024-01-01", EndOn: "2024-12-31"}
			err := s.LoadLeaderLinks(ctx, system, "历史数据", []*domain.LeaderLink{good, l})
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
			if count() != before {
				t.Errorf("%s: a refused load wrote links", name)
			}
		}
		links := []*domain.LeaderLink{
			{LeaderID: c.leader.ID, EnterpriseID: other.ID, StartOn: "2024-01-01", EndOn: "2024-12-31"},
			{LeaderID: c.leader.ID, EnterpriseID: other.ID, StartOn: "2025-01-01"},
		}
		if err := s.LoadLeaderLinks(ctx, system, "历史数据", links); err != nil {
			t.Fatal(err)
		}
		if count() != before+2 || links[1].ID == 0 {
			t.Errorf("%d links, %+v", count(), links[1])
		}
		// Within one load too, a pair's links may not overlap.
		if err := s.LoadLeaderLinks(ctx, system, "", []*domain.LeaderLink{{LeaderID: c.leader.ID, EnterpriseID: other.ID, StartOn: "2025-03-01"}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("overlap: %v", err)
		}
	})
}
