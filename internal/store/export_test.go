package store

import (
	"context"
	"math/rand/v2"
	"testing"
)

// What the external test package (store_test) needs from the internal test helpers: the
// bulletin benchmark builds a report, and report imports store.

var BenchEachDB = benchEachDB

// SeedBulletinBench fills a province-sized campaign: 120 counties × 30 indicators × 60
// months of approved reports with the last year's targets (seedProgressBench), and
// 50,000 projects spread over those counties.
func SeedBulletinBench(b *testing.B, s *Store) (year, month int) {
	b.Helper()
	year, month = seedProgressBench(b, s, 120, 30, 60)
	ctx := context.Background()
	err := s.inWrite(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id FROM units WHERE kind = 'county' ORDER BY id`)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		return tx.insertBenchProjects(ctx, rand.New(rand.NewPCG(50, 1127)), ids, 50_000)
	})
	if err != nil {
		b.Fatal(err)
	}
	if s.dialect == Postgres {
		if _, err := s.write.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	return year, month
}
