package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// seedProgressBench fills a database the size of the targets issue's benchmark: 120
// assessed units × 30 reported indicators × 60 months of approved reports (five years),
// and the last year's targets. It writes in bulk, below the store's audited methods:
// the benchmark measures reading, and 216,000 audited writes would only slow the setup.
func seedProgressBench(b *testing.B, s *Store, units, indicators, months int) (year, month int) {
	b.Helper()
	ctx := context.Background()
	city := &domain.Unit{Code: "BC", Name: "基准市", Kind: domain.UnitCity, Active: true}
	if err := s.CreateUnit(ctx, system, city); err != nil {
		b.Fatal(err)
	}
	year, month = 2026, 12
	firstYear := year - (months-1)/12
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		for u := 0; u < units; u++ {
			if _, err := tx.exec(ctx, `INSERT INTO units (code, name, kind, parent_id, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, 'county', ?, ?, ?, ?, 1, ?, ?)`, fmt.Sprintf("B%03d", u), fmt.Sprintf("县%03d", u), city.ID, true, u, true, now, now); err != nil {
				return err
			}
		}
		for i := 0; i < indicators; i++ {
			if _, err := tx.exec(ctx, `INSERT INTO indicators (code, name, measure, decimals, higher_is_better, kind, accumulation,
				headline, sort_order, active, version, created_at, updated_at) VALUES (?, ?, '亿元', 1, ?, 'reported', 'cumulative', ?, ?, ?, 1, ?, ?)`,
				fmt.Sprintf("i%02d", i), fmt.Sprintf("指标%02d", i), true, i < 4, i, true, now, now); err != nil {
				return err
			}
		}
		var unitIDs, indIDs []int64
		for _, q := range []struct {
			sql string
			out *[]int64
		}{{`SELECT id FROM units WHERE kind = 'county' ORDER BY id`, &unitIDs}, {`SELECT id FROM indicators ORDER BY id`, &indIDs}} {
			rows, err := tx.query(ctx, q.sql)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				*q.out = append(*q.out, id)
			}
			rows.Close()
		}
		for ui, u := range unitIDs {
			for k := 0; k < months; k++ {
				y, m := firstYear+k/12, k%12+1
				var reportID int64
				if err := tx.queryRow(ctx, `INSERT INTO reports (unit_id, year, month, status, version, created_at, updated_at)
					VALUES (?, ?, ?, 'approved', 3, ?, ?) RETURNING id`, u, y, m, now, now).Scan(&reportID); err != nil {
					return err
				}
				for ii, ind := range indIDs {
					if _, err := tx.exec(ctx, `INSERT INTO report_values (report_id, indicator_id, value) VALUES (?, ?, ?)`,
						reportID, ind, fmt.Sprintf("%d.%d", (ui+1)*(ii+1)*m, k%10)); err != nil {
						return err
					}
				}
			}
			for ii, ind := range indIDs {
				if _, err := tx.exec(ctx, `INSERT INTO targets (year, unit_id, indicator_id, base, stretch, version, updated_at)
					VALUES (?, ?, ?, ?, ?, 1, ?)`, year, u, ind, fmt.Sprint((ui+1)*(ii+1)*12), fmt.Sprint((ui+1)*(ii+1)*14), now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return year, month
}

// BenchmarkProgress reads one period's figures and builds every indicator's table with
// completion, gaps, colours, ranks and year-on-year, for 120 units × 30 indicators over a
// database holding 60 months of reports.
func BenchmarkProgress(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		start := time.Now()
		year, month := seedProgressBench(b, s, 120, 30, 60)
		b.Logf("seeded 120 units × 30 indicators × 60 months in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			in, err := s.ProgressInput(ctx, year, month)
			if err != nil {
				b.Fatal(err)
			}
			tables := domain.BuildProgress(in)
			if len(tables) != 30 || len(tables[0].Rows) != 120 || tables[0].Rows[0].CompletionBase == nil {
				b.Fatalf("%d tables", len(tables))
			}
		}
	})
}
