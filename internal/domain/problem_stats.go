package domain

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Problem statistics groupings.
const (
	ProblemByDepartment = "department" // the lead department
	ProblemByUnit       = "unit"       // the enterprise's county or park
	ProblemByLeader     = "leader"     // the linked leader
	ProblemByCategory   = "category"
)

// ProblemFigures are the fields of a problem the statistics count: a province's year is
// tens of thousands of problems, read for the bulletin without the rest of each record.
type ProblemFigures struct {
	LeadUnitID, UnitID, LeaderID  int64
	Category, Status, Rating      string
	AssignedAt, DueAt             time.Time
	FirstReplyAt, FirstReplyDueAt time.Time
	Escalations                   int
}

// Figures are the fields of p the statistics count.
func (p *Problem) Figures() ProblemFigures {
	return ProblemFigures{LeadUnitID: p.LeadUnitID, UnitID: p.UnitID, LeaderID: p.LeaderID, Category: p.Category,
		Status: p.Status, Rating: p.Rating, AssignedAt: p.AssignedAt, DueAt: p.DueAt, FirstReplyAt: p.FirstReplyAt,
		FirstReplyDueAt: p.FirstReplyDueAt, Escalations: p.Escalations}
}

// ProblemStats are the counts and rates of one group of problems. Rates are exact and
// nil when there is nothing to divide by; they are rounded only for display.
type ProblemStats struct {
	ID       int64  // the department, unit or leader; 0 for a category or the total
	Category string // the category's code when grouped by category

	Count   int
	Closed  int // resolved: closed after a good rating or by the coordinator
	Overdue int // still owed and past the deadline at the time of counting
	// Judged are the problems whose timeliness is known: answered, or owed and overdue;
	// OnTime of them were first answered by the deadline then in force (an approved
	// extension counts with its new deadline).
	Judged, OnTime int
	// Replied problems took ReplyWorkingDays in total from assignment to first answer.
	Replied, ReplyWorkingDays            int
	Rated, Satisfied, Basic, Unsatisfied int // by the latest rating
	Escalated, Escalations               int // problems escalated at least once; escalations in all

	OnTimeRate, SatisfactionRate, AvgReplyDays *big.Rat
}

// OnTimeLabel shows the on-time rate as a percentage with one decimal, half up.
func (s ProblemStats) OnTimeLabel() string { return FormatPercent(s.OnTimeRate, 1) }

// SatisfactionLabel shows the satisfaction rate as a percentage with one decimal, half up.
func (s ProblemStats) SatisfactionLabel() string { return FormatPercent(s.SatisfactionRate, 1) }

// AvgReplyDaysLabel shows the average working days to the first answer, one decimal.
func (s ProblemStats) AvgReplyDaysLabel() string { return RoundHalfUp(s.AvgReplyDays, 1) }

// add counts one problem at now.
func (s *ProblemStats) add(p *ProblemFigures, now time.Time, days workdays) {
	s.Count++
	if p.Status == ProblemClosed {
		s.Closed++
	}
	switch {
	case !p.FirstReplyAt.IsZero():
		s.Judged++
		if !p.FirstReplyAt.After(p.FirstReplyDueAt) {
			s.OnTime++
		}
		s.Replied++
		s.ReplyWorkingDays += days.between(p.AssignedAt, p.FirstReplyAt)
	case overdue(p.Status, p.DueAt, now):
		s.Judged++
	}
	if overdue(p.Status, p.DueAt, now) {
		s.Overdue++
	}
	switch p.Rating {
	case RatingSatisfied:
		s.Satisfied++
	case RatingBasic:
		s.Basic++
	case RatingUnsatisfied:
		s.Unsatisfied++
	}
	if p.Rating != "" {
		s.Rated++
	}
	if p.Escalations > 0 {
		s.Escalated++
		s.Escalations += p.Escalations
	}
}

// finish computes the rates from the counts.
func (s *ProblemStats) finish(w SatisfactionWeights) {
	s.OnTimeRate = ratio(int64(s.OnTime), int64(s.Judged))
	s.AvgReplyDays = ratio(int64(s.ReplyWorkingDays), int64(s.Replied))
	s.SatisfactionRate = nil
	if s.Rated > 0 {
		sum := new(big.Rat)
		for rating, n := range map[string]int{RatingSatisfied: s.Satisfied, RatingBasic: s.Basic, RatingUnsatisfied: s.Unsatisfied} {
			sum.Add(sum, new(big.Rat).Mul(w.weight(rating).Rat(), big.NewRat(int64(n), 1)))
		}
		s.SatisfactionRate = sum.Quo(sum, big.NewRat(int64(s.Rated), 1))
	}
}

// workdays is WorkingDaysBetween for many problems at once: it asks the calendar once
// per date of their span and keeps a running count, so each problem costs a subtraction
// (200,000 problems would otherwise ask the calendar millions of times).
type workdays struct {
	first time.Time // midnight of the earliest assignment date
	cum   []int     // cum[i]: working days after first up to and including first + i days
}

// replyMeasured reports whether a problem's time to first answer can be counted: a reply
// recorded before its assignment (inconsistent data) counts 0 days.
func replyMeasured(p *ProblemFigures) bool {
	return !p.FirstReplyAt.IsZero() && !p.AssignedAt.IsZero() && !p.FirstReplyAt.Before(p.AssignedAt)
}

func newWorkdays(cal WorkCalendar, problems []ProblemFigures) workdays {
	var lo, hi time.Time
	for i := range problems {
		p := &problems[i]
		if !replyMeasured(p) {
			continue
		}
		if lo.IsZero() || p.AssignedAt.Before(lo) {
			lo = p.AssignedAt
		}
		if p.FirstReplyAt.After(hi) {
			hi = p.FirstReplyAt
		}
	}
	if lo.IsZero() {
		return workdays{}
	}
	w := workdays{first: dateOf(lo)}
	w.cum = make([]int, w.index(hi)+1)
	for i := 1; i < len(w.cum); i++ {
		w.cum[i] = w.cum[i-1]
		if cal.IsWorkingDay(w.first.AddDate(0, 0, i)) {
			w.cum[i]++
		}
	}
	return w
}

// index is t's date as days after first (China dates have no daylight saving).
func (w workdays) index(t time.Time) int {
	return int(dateOf(t).Sub(w.first) / (24 * time.Hour))
}

// between is WorkingDaysBetween(from, to) for a problem newWorkdays has seen.
func (w workdays) between(from, to time.Time) int {
	i, j := w.index(from), w.index(to)
	if i < 0 || j < i || j >= len(w.cum) {
		return 0
	}
	return w.cum[j] - w.cum[i]
}

// ProblemStatsBy groups problems and counts each group at now, ordered by ID or category
// code. A problem without the grouping's key (no lead department yet, no linked leader)
// is left out of that grouping; ProblemTotal counts every problem.
func ProblemStatsBy(problems []ProblemFigures, by string, now time.Time, cal WorkCalendar, w SatisfactionWeights) ([]ProblemStats, error) {
	type key struct {
		id       int64
		category string
	}
	keyOf := map[string]func(p *ProblemFigures) key{
		ProblemByDepartment: func(p *ProblemFigures) key { return key{id: p.LeadUnitID} },
		ProblemByUnit:       func(p *ProblemFigures) key { return key{id: p.UnitID} },
		ProblemByLeader:     func(p *ProblemFigures) key { return key{id: p.LeaderID} },
		ProblemByCategory:   func(p *ProblemFigures) key { return key{category: p.Category} },
	}[by]
	if keyOf == nil {
		return nil, Errorf(EINVALID, "未知的统计口径「%s」，可选：按部门、按县区、按挂点领导、按类别。", by)
	}
	groups, days := map[key]*ProblemStats{}, newWorkdays(cal, problems)
	for i := range problems {
		p := &problems[i]
		k := keyOf(p)
		if k.id == 0 && k.category == "" {
			continue
		}
		s := groups[k]
		if s == nil {
			s = &ProblemStats{ID: k.id, Category: k.category}
			groups[k] = s
		}
		s.add(p, now, days)
	}
	rows := make([]ProblemStats, 0, len(groups))
	for _, s := range groups {
		s.finish(w)
		rows = append(rows, *s)
	}
	slices.SortFunc(rows, func(a, b ProblemStats) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Category, b.Category))
	})
	return rows, nil
}

// ProblemTotal counts every problem at now: the total row.
func ProblemTotal(problems []ProblemFigures, now time.Time, cal WorkCalendar, w SatisfactionWeights) ProblemStats {
	var s ProblemStats
	days := newWorkdays(cal, problems)
	for i := range problems {
		s.add(&problems[i], now, days)
	}
	s.finish(w)
	return s
}

// DepartmentListing is a department on the red or black list, with its place on the
// list (ties share it, 并列) and why it is there.
type DepartmentListing struct {
	ProblemStats
	Rank    int
	Tied    bool
	Reasons []string
}

// pctRat turns a percentage setting (95 for 95%) into a fraction.
func pctRat(pct Dec) *big.Rat {
	return new(big.Rat).Quo(pct.Rat(), hundred)
}

// DepartmentLists draws the red and black lists from departments' statistics (grouped
// ProblemByDepartment). Black: any escalation (if so configured), or, with enough judged
// problems, an on-time or satisfaction rate below the threshold. Red: not black, enough
// judged problems, no escalation, rated, both rates at or above the thresholds; ranked by
// on-time rate then satisfaction, the top RedTopN ranks (ties at the edge stay in).
func DepartmentLists(rows []ProblemStats, r DepartmentListRules) (red, black []DepartmentListing) {
	minJudged := max(r.MinJudged, 1)
	for _, s := range rows {
		var reasons []string
		if r.BlackOnEscalation && s.Escalations > 0 {
			reasons = append(reasons, fmt.Sprintf("%d件诉求逾期被督办%d次", s.Escalated, s.Escalations))
		}
		if s.Judged >= minJudged && s.OnTimeRate.Cmp(pctRat(r.BlackBelowOnTimePct)) < 0 {
			reasons = append(reasons, fmt.Sprintf("按时答复率%s%%，低于%s%%", s.OnTimeLabel(), r.BlackBelowOnTimePct))
		}
		if r.BlackBelowSatisfactionPct > 0 && s.Judged >= minJudged && s.SatisfactionRate != nil &&
			s.SatisfactionRate.Cmp(pctRat(r.BlackBelowSatisfactionPct)) < 0 {
			reasons = append(reasons, fmt.Sprintf("满意率%s%%，低于%s%%", s.SatisfactionLabel(), r.BlackBelowSatisfactionPct))
		}
		if len(reasons) > 0 {
			black = append(black, DepartmentListing{ProblemStats: s, Reasons: reasons})
			continue
		}
		if s.Judged >= minJudged && s.Escalations == 0 && s.SatisfactionRate != nil &&
			s.OnTimeRate.Cmp(pctRat(r.RedMinOnTimePct)) >= 0 && s.SatisfactionRate.Cmp(pctRat(r.RedMinSatisfactionPct)) >= 0 {
			red = append(red, DepartmentListing{ProblemStats: s,
				Reasons: []string{fmt.Sprintf("按时答复率%s%%，满意率%s%%", s.OnTimeLabel(), s.SatisfactionLabel())}})
		}
	}
	better := func(a, b DepartmentListing) int { // best first
		return cmp.Or(b.OnTimeRate.Cmp(a.OnTimeRate), b.SatisfactionRate.Cmp(a.SatisfactionRate))
	}
	slices.SortStableFunc(red, func(a, b DepartmentListing) int { return cmp.Or(better(a, b), cmp.Compare(a.ID, b.ID)) })
	for i := range red {
		red[i].Rank = i + 1
		if i > 0 && better(red[i-1], red[i]) == 0 {
			red[i].Rank, red[i].Tied, red[i-1].Tied = red[i-1].Rank, true, true
		}
	}
	if r.RedTopN > 0 {
		red = slices.DeleteFunc(red, func(l DepartmentListing) bool { return l.Rank > r.RedTopN })
	}
	// The worst first: the most escalations, then the lowest on-time rate.
	slices.SortStableFunc(black, func(a, b DepartmentListing) int {
		return cmp.Or(cmp.Compare(b.Escalations, a.Escalations), compareRates(a.OnTimeRate, b.OnTimeRate), cmp.Compare(a.ID, b.ID))
	})
	for i := range black {
		black[i].Rank = i + 1
	}
	return red, black
}

// compareRates orders rates ascending with a missing rate last.
func compareRates(a, b *big.Rat) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Cmp(b)
}
