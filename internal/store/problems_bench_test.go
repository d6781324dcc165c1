package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// seedProblemBench inserts n synthetic problems (a fifth of them open, some overdue) over
// 1,000 enterprises of 10 counties and 30 departments, in one transaction below the
// audited store methods: the benchmark measures the queue and the statistics.
func seedProblemBench(b *testing.B, s *Store, n int) (departments []int64) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(16, 1127))
	statuses := []string{domain.ProblemAssigned, domain.ProblemInProgress, domain.ProblemReplied, domain.ProblemReopened}
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		unit := func(code, kind string) (id int64, err error) {
			err = tx.queryRow(ctx, `INSERT INTO units (code, name, kind, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, 0, ?, 1, ?, ?) RETURNING id`, code, code, kind, false, true, now, now).Scan(&id)
			return id, err
		}
		var counties, firms []int64
		for i := range 10 {
			id, err := unit(fmt.Sprintf("C%02d", i), "county")
			if err != nil {
				return err
			}
			counties = append(counties, id)
		}
		for i := range 30 {
			id, err := unit(fmt.Sprintf("D%02d", i), "department")
			if err != nil {
				return err
			}
			departments = append(departments, id)
		}
		for i := range 1000 {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO enterprises (name, unit_id, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?) RETURNING id`,
				fmt.Sprintf("基准企业%d", i), counties[i%10], now, now).Scan(&id); err != nil {
				return err
			}
			firms = append(firms, id)
		}
		for i := range n {
			received := now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour)
			assigned := received.Add(20 * time.Hour)
			due := assigned.Add(14 * 24 * time.Hour)
			status, closed := domain.ProblemClosed, true
			if rng.IntN(5) == 0 {
				status, closed = statuses[rng.IntN(len(statuses))], false
			}
			var firstReply, firstDue, rated any
			rating := ""
			if closed || status == domain.ProblemReplied {
				firstReply, firstDue = assigned.Add(time.Duration(rng.IntN(20*24))*time.Hour), due
			}
			if closed {
				rating, rated = []string{"satisfied", "satisfied", "basic", "unsatisfied"}[rng.IntN(4)], due
			}
			if _, err := tx.exec(ctx, `INSERT INTO problems (source, enterprise_id, unit_id, category, urgency, title, description,
				lead_unit_id, status, received_at, assigned_at, due_at, first_reply_at, first_reply_due_at, rating, rated_at,
				escalations, version, created_at, updated_at) VALUES ('coordinator', ?, ?, 'land', 'general', ?, '基准', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				firms[i%1000], counties[i%10], fmt.Sprintf("基准诉求%d", i), departments[rng.IntN(30)], status, received, assigned, due,
				firstReply, firstDue, rating, rated, rng.IntN(2)*rng.IntN(2), now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return departments
}

// BenchmarkProblems reads a department's queue (its open problems by deadline, a counted
// page of 50) and the statistics by department with the red and black lists, over 50,000
// problems.
func BenchmarkProblems(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		start := time.Now()
		departments := seedProblemBench(b, s, 50_000)
		b.Logf("seeded 50,000 problems in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		b.Run("queue", func(b *testing.B) {
			for b.Loop() {
				if _, total, err := s.FindProblems(ctx, domain.ProblemFilter{DepartmentID: departments[3], Status: domain.ProblemOpen, Sort: "due", Limit: 50}); err != nil || total == 0 {
					b.Fatal(total, err)
				}
			}
		})
		b.Run("statistics by department", func(b *testing.B) {
			for b.Loop() {
				if rep, err := s.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment); err != nil || rep.Total.Count != 50_000 {
					b.Fatal(err)
				}
			}
		})
	})
}
