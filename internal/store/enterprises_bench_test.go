package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// seedEnterpriseBench inserts n synthetic enterprises over 120 counties, with a year of
// figures each and an honour for one in ten, in one transaction below the audited store
// methods: the benchmark measures listing.
func seedEnterpriseBench(b *testing.B, s *Store, n int) (unitIDs []int64) {
	b.Helper()
	ctx := context.Background()
	statuses := []string{"active", "active", "active", "active", "active", "active", "active", "active", "zombie", "closed"}
	rng := rand.New(rand.NewPCG(51, 1127))
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		for u := 0; u < 120; u++ {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO units (code, name, kind, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, 'county', ?, ?, ?, 1, ?, ?) RETURNING id`, fmt.Sprintf("E%03d", u), fmt.Sprintf("县%03d", u), true, u, true, now, now).Scan(&id); err != nil {
				return err
			}
			unitIDs = append(unitIDs, id)
		}
		for i := 0; i < n; i++ {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO enterprises (uscc, name, unit_id, industry_section, industry_division, status,
				above_scale, version, created_at, updated_at) VALUES (?, ?, ?, 'C', ?, ?, ?, 1, ?, ?) RETURNING id`,
				domain.CompleteUSCC(fmt.Sprintf("91369900%09d", i)), fmt.Sprintf("基准企业%d有限公司", i),
				unitIDs[rng.IntN(len(unitIDs))], fmt.Sprint(13+rng.IntN(30)), statuses[rng.IntN(len(statuses))],
				rng.IntN(4) == 0, now, now).Scan(&id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO enterprise_figures (enterprise_id, year, revenue, updated_at) VALUES (?, 2025, ?, ?)`,
				id, int64(rng.IntN(5000))*10_000, now); err != nil {
				return err
			}
			if rng.IntN(10) == 0 {
				if _, err := tx.exec(ctx, `INSERT INTO enterprise_honours (enterprise_id, type, level, year, created_at) VALUES (?, ?, 'provincial', 2024, ?)`,
					id, domain.HonourTypes[rng.IntN(2)].Value, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return unitIDs
}

// BenchmarkEnterpriseList reads one filtered, counted page of 50 over 100,000 enterprises.
func BenchmarkEnterpriseList(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		start := time.Now()
		units := seedEnterpriseBench(b, s, 100_000)
		b.Logf("seeded 100,000 enterprises in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		rules := domain.DefaultEnterpriseRules
		for name, f := range map[string]domain.EnterpriseFilter{
			"unit+above scale+active": {UnitID: units[7], AboveScale: "yes", Status: "active", Limit: 50},
			"honour":                  {Honour: "specialized_sme", Limit: 50},
			"candidates by revenue":   {Candidate: true, FiguresYear: 2025, Rules: rules, Sort: "revenue_desc", Limit: 50},
			"search":                  {Query: "企业1234", Limit: 50},
			"all, page 100":           {Offset: 5000, Limit: 50},
		} {
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, total, err := s.FindEnterprises(ctx, f); err != nil || total == 0 {
						b.Fatal(total, err)
					}
				}
			})
		}
	})
}
