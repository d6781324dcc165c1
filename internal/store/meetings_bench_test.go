package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// seedActionItemBench inserts 120 counties, 600 meetings over five years and n action
// items in one transaction, below the audited store methods: the benchmark measures
// reading.
func seedActionItemBench(b *testing.B, s *Store, n int) (unitIDs []int64) {
	b.Helper()
	ctx := context.Background()
	statuses := []string{"open", "replied", "done", "done", "done", "cancelled"}
	rng := rand.New(rand.NewPCG(11, 2026))
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		for u := 0; u < 120; u++ {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO units (code, name, kind, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, 'county', ?, ?, ?, 1, ?, ?) RETURNING id`, fmt.Sprintf("M%03d", u), fmt.Sprintf("县%03d", u), true, u, true, now, now).Scan(&id); err != nil {
				return err
			}
			unitIDs = append(unitIDs, id)
		}
		var meetings []int64
		var held []time.Time
		for m := 0; m < 600; m++ {
			day := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, m*3)
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO meetings (held_on, kind, year, month, title, version, created_at, updated_at)
				VALUES (?, 'monthly', ?, ?, ?, 1, ?, ?) RETURNING id`, day.Format(time.DateOnly), day.Year(), int(day.Month()),
				fmt.Sprintf("调度会%d", m), now, now).Scan(&id); err != nil {
				return err
			}
			meetings, held = append(meetings, id), append(held, day)
		}
		for i := 0; i < n; i++ {
			m := rng.IntN(len(meetings))
			deadline := held[m].AddDate(0, 0, 7+rng.IntN(60)).Format(time.DateOnly)
			if _, err := tx.exec(ctx, `INSERT INTO action_items (meeting_id, text, owner_unit_id, deadline, status, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, meetings[m], fmt.Sprintf("交办事项%d", i), unitIDs[rng.IntN(len(unitIDs))], deadline,
				statuses[rng.IntN(len(statuses))], now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return unitIDs
}

// BenchmarkActionItems reads a counted page of 50 over 50,000 action items (one unit's
// overdue items; everyone's overdue items), and the bulletin's full overdue list.
func BenchmarkActionItems(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		start := time.Now()
		units := seedActionItemBench(b, s, 50_000)
		b.Logf("seeded 50,000 action items in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		for name, f := range map[string]domain.ActionItemFilter{
			"unit overdue page": {OwnerUnitID: units[7], Overdue: true, Today: "2026-11-27", Limit: 50},
			"all overdue page":  {Overdue: true, Today: "2026-11-27", Limit: 50},
		} {
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, total, err := s.FindActionItems(ctx, f); err != nil || total == 0 {
						b.Fatal(total, err)
					}
				}
			})
		}
		b.Run("OverdueActionItems", func(b *testing.B) {
			asOf := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
			for b.Loop() {
				if items, err := s.OverdueActionItems(ctx, asOf); err != nil || len(items) == 0 {
					b.Fatal(len(items), err)
				}
			}
			items, _ := s.OverdueActionItems(ctx, asOf)
			b.ReportMetric(float64(len(items)), "items")
		})
	})
}
