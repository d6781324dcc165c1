package domain

import (
	"slices"
	"time"
)

// CheckProblemTimeline checks that a problem and its timeline agree as the loop
// (ApplyProblem) leaves them: the timeline starts with the receipt; every later action is
// one the loop allows from the status the action before left, taken by a party the loop
// allows, and leaves the status the loop gives it; times never run backwards nor pass
// now; the last status is the problem's. The problem's own counts and dates must follow
// from the timeline too: escalations, approved extensions and reopenings; a deadline
// after the assignment, which is not before the receipt; a good rating only on a closed
// problem. History loaded in bulk (store.LoadProblemHistory) does not run through
// ApplyProblem, so this is what keeps it honest.
func CheckProblemTimeline(p *Problem, actions []ProblemAction, now time.Time) error {
	bad := func(format string, args ...any) error {
		return Errorf(EINVALID, "诉求「%s」的办理记录与诉求不一致："+format, append([]any{p.Title}, args...)...)
	}
	if len(actions) == 0 {
		return bad("缺少登记记录。")
	}
	first := actions[0]
	if first.Kind != ActReceive || first.From != "" || first.To != ProblemReceived || !first.At.Equal(p.ReceivedAt) {
		return bad("第1条应为登记，时间与收到时间相同。")
	}
	escalations, extensions, reopens := 0, 0, 0
	var lastAssign, firstReply time.Time
	for i, a := range actions[1:] {
		prev := actions[i]
		n := i + 2
		t, ok := problemTransitions[a.Kind]
		switch {
		case !ok:
			return bad("第%d条的操作「%s」未知。", n, a.Kind)
		case a.From != prev.To:
			return bad("第%d条应从「%s」开始。", n, ProblemStatusLabels[prev.To])
		case !slices.Contains(t.from, a.From):
			return bad("第%d条%s不能在「%s」时进行。", n, ProblemActionLabels[a.Kind], ProblemStatusLabels[a.From])
		case !slices.Contains(t.parties, a.Party):
			return bad("第%d条%s不能由%s进行。", n, ProblemActionLabels[a.Kind], ProblemPartyLabels[a.Party])
		case a.Kind == ActRate && !validChoice(ProblemRatings, a.Rating):
			return bad("第%d条评价无效。", n)
		case a.At.Before(prev.At):
			return bad("第%d条的时间早于前一条。", n)
		case a.To != statusAfter(a):
			return bad("第%d条%s后应为「%s」。", n, ProblemActionLabels[a.Kind], ProblemStatusLabels[statusAfter(a)])
		}
		switch a.Kind {
		case ActAssign, ActReassign:
			lastAssign, firstReply = a.At, time.Time{}
		case ActReply:
			if firstReply.IsZero() {
				firstReply = a.At
			}
		case ActEscalate:
			escalations++
		case ActApproveExtension:
			extensions++
		case ActRate:
			if a.Rating == RatingUnsatisfied {
				reopens++
			}
		}
	}
	last := actions[len(actions)-1]
	switch {
	case last.At.After(now):
		return bad("办理时间晚于当前时间。")
	case last.To != p.Status:
		return bad("最后状态应为「%s」。", ProblemStatusLabels[last.To])
	case p.Escalations != escalations || p.Extensions != extensions || p.Reopens != reopens:
		return bad("督办、延期或重办次数与记录不符。")
	case !p.AssignedAt.Equal(lastAssign):
		return bad("交办时间应为最后一次交办或改派的时间。")
	case !p.FirstReplyAt.Equal(firstReply):
		return bad("首次答复时间应为本次交办后的第一次答复。")
	case !lastAssign.IsZero() && (p.LeadUnitID <= 0 || !p.DueAt.After(p.AssignedAt)):
		return bad("已交办的诉求应有主办部门和晚于交办时间的答复期限。")
	case (p.Rating == RatingSatisfied || p.Rating == RatingBasic) && p.Status != ProblemClosed:
		return bad("评价满意或基本满意的诉求应已办结。")
	case (p.Status == ProblemClosed) == p.ClosedAt.IsZero():
		return bad("办结时间与状态不符。")
	}
	return nil
}

// statusAfter is the status the loop leaves after an action: its fixed target, the
// rating's outcome, or (for side actions) the status it started from.
func statusAfter(a ProblemAction) string {
	switch a.Kind {
	case ActAssign, ActReassign:
		return ProblemAssigned
	case ActAccept:
		return ProblemInProgress
	case ActObject:
		return ProblemReassignRequested
	case ActReply:
		return ProblemReplied
	case ActClose:
		return ProblemClosed
	case ActRate:
		if a.Rating == RatingUnsatisfied {
			return ProblemReopened
		}
		return ProblemClosed
	}
	return a.From
}
