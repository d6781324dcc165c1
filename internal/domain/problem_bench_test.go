package domain

import (
	"testing"
	"time"
)

// BenchmarkProblemStats counts DESIGN.md's large city — 200,000 problems over five years —
// by department, as the statistics page does.
func BenchmarkProblemStats(b *testing.B) {
	start := at("2022-01-03 09:00")
	problems := make([]ProblemFigures, 200_000)
	ratings := []string{RatingSatisfied, RatingBasic, RatingUnsatisfied, ""}
	for i := range problems {
		assigned := start.Add(time.Duration(i%1800) * 24 * time.Hour)
		reply := assigned.Add(time.Duration(i%30) * 24 * time.Hour)
		problems[i] = ProblemFigures{LeadUnitID: int64(200 + i%40), UnitID: int64(300 + i%12), LeaderID: int64(i % 25),
			Category: DefaultProblemRules().Categories[i%9].Code, Status: ProblemClosed, AssignedAt: assigned,
			DueAt: assigned.Add(14 * 24 * time.Hour), FirstReplyAt: reply, FirstReplyDueAt: assigned.Add(14 * 24 * time.Hour),
			Rating: ratings[i%4], Escalations: i % 50 / 49}
	}
	now := start.AddDate(5, 0, 0)
	w := DefaultProblemRules().Satisfaction
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProblemStatsBy(problems, ProblemByDepartment, now, cal, w); err != nil {
			b.Fatal(err)
		}
	}
}
