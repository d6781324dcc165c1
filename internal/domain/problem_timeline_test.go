package domain

import (
	"testing"
	"time"
)

// loopedProblem runs a problem through the loop with real actions — assignment, an
// approved extension, a late reply, an escalation, an unsatisfied rating, a second reply
// and a good rating — and returns it with its timeline.
func loopedProblem(t *testing.T) (*Problem, []ProblemAction) {
	t.Helper()
	rules := testRules()
	p := &Problem{ID: 42, Source: SourceServiceDay, EnterpriseID: 501, UnitID: 301, Category: "land", Urgency: UrgencyGeneral,
		Title: "厂房用地指标", Description: "二期厂房需新增用地30亩，指标未落实。", LeaderID: 7}
	fx, err := ReceiveProblem(p, linkedLeader, t0.Add(-time.Hour), rules)
	if err != nil {
		t.Fatal(err)
	}
	timeline := []ProblemAction{fx.Action}
	do := func(actor ProblemActor, now time.Time, c ProblemCommand) {
		t.Helper()
		fx, err := ApplyProblem(p, c, actor, now, cal, rules)
		if err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
		timeline = append(timeline, fx.Action)
	}
	do(coordinator, t0, ProblemCommand{Kind: ActAssign, LeadUnitID: 201})
	do(leadHandler, t0.Add(time.Hour), ProblemCommand{Kind: ActAccept})
	do(leadHandler, at("2026-02-13 10:00"), ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-03-13", Text: "需现场踏勘"})
	do(coordinator, at("2026-02-13 15:00"), ProblemCommand{Kind: ActApproveExtension})
	do(escalateJob, at("2026-03-14 01:00"), ProblemCommand{Kind: ActEscalate})
	do(leadHandler, at("2026-03-16 10:00"), ProblemCommand{Kind: ActReply, Text: "已纳入年度用地计划"})
	do(enterprise, at("2026-03-17 10:00"), ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "时间太晚"})
	do(leadHandler, at("2026-03-19 10:00"), ProblemCommand{Kind: ActReply, Text: "已提前至二季度供地"})
	do(enterprise, at("2026-03-20 10:00"), ProblemCommand{Kind: ActRate, Rating: RatingBasic})
	return p, timeline
}

func TestCheckProblemTimeline(t *testing.T) {
	now := at("2026-04-01 00:00")
	p, timeline := loopedProblem(t)
	if err := CheckProblemTimeline(p, timeline, now); err != nil {
		t.Fatalf("the loop's own timeline: %v", err)
	}
	for name, spoil := range map[string]func(p *Problem, tl []ProblemAction) []ProblemAction{
		"empty":                 func(p *Problem, tl []ProblemAction) []ProblemAction { return nil },
		"no receipt first":      func(p *Problem, tl []ProblemAction) []ProblemAction { return tl[1:] },
		"receipt at other time": func(p *Problem, tl []ProblemAction) []ProblemAction { tl[0].At = tl[0].At.Add(time.Minute); return tl },
		"unknown kind":          func(p *Problem, tl []ProblemAction) []ProblemAction { tl[2].Kind = "visit"; return tl },
		"step skipped":          func(p *Problem, tl []ProblemAction) []ProblemAction { return append(tl[:2:2], tl[3:]...) },
		"wrong party":           func(p *Problem, tl []ProblemAction) []ProblemAction { tl[2].Party = PartyCoordinator; return tl },
		"time runs back":        func(p *Problem, tl []ProblemAction) []ProblemAction { tl[3].At = tl[1].At.Add(-time.Hour); return tl },
		"after now":             func(p *Problem, tl []ProblemAction) []ProblemAction { tl[len(tl)-1].At = now.Add(time.Hour); return tl },
		"wrong outcome":         func(p *Problem, tl []ProblemAction) []ProblemAction { tl[len(tl)-1].To = ProblemReopened; return tl },
		"bad rating":            func(p *Problem, tl []ProblemAction) []ProblemAction { tl[len(tl)-1].Rating = "good"; return tl },
		"status not the last":   func(p *Problem, tl []ProblemAction) []ProblemAction { p.Status = ProblemReplied; return tl },
		"escalations miscount":  func(p *Problem, tl []ProblemAction) []ProblemAction { p.Escalations = 0; return tl },
		"extensions miscount":   func(p *Problem, tl []ProblemAction) []ProblemAction { p.Extensions = 2; return tl },
		"reopens miscount":      func(p *Problem, tl []ProblemAction) []ProblemAction { p.Reopens = 0; return tl },
		"assigned at other time": func(p *Problem, tl []ProblemAction) []ProblemAction {
			p.AssignedAt = p.AssignedAt.Add(time.Hour)
			return tl
		},
		"first reply not first": func(p *Problem, tl []ProblemAction) []ProblemAction { p.FirstReplyAt = p.RepliedAt; return tl },
		"due before assignment": func(p *Problem, tl []ProblemAction) []ProblemAction { p.DueAt = p.AssignedAt; return tl },
		"no lead":               func(p *Problem, tl []ProblemAction) []ProblemAction { p.LeadUnitID = 0; return tl },
		"closed without time":   func(p *Problem, tl []ProblemAction) []ProblemAction { p.ClosedAt = time.Time{}; return tl },
		"satisfied but open": func(p *Problem, tl []ProblemAction) []ProblemAction {
			p.Status, p.ClosedAt = ProblemReplied, time.Time{}
			tl[len(tl)-1].To = ProblemReplied
			return tl
		},
	} {
		p, tl := loopedProblem(t)
		tl = spoil(p, tl)
		if err := CheckProblemTimeline(p, tl, now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}

	// A problem still waiting for assignment, and one a coordinator closed unassigned.
	rules := testRules()
	q := &Problem{Source: SourceCoordinator, EnterpriseID: 501, UnitID: 301, Category: "other", Urgency: UrgencyUrgent, Title: "重复登记", Description: "同一事项"}
	fx, err := ReceiveProblem(q, coordinator, t0, rules)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckProblemTimeline(q, []ProblemAction{fx.Action}, now); err != nil {
		t.Errorf("received: %v", err)
	}
	closed, err := ApplyProblem(q, ProblemCommand{Kind: ActClose, Text: "重复诉求"}, coordinator, t0.Add(time.Hour), cal, rules)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckProblemTimeline(q, []ProblemAction{fx.Action, closed.Action}, now); err != nil {
		t.Errorf("closed unassigned: %v", err)
	}
}
