package store_test

import (
	"context"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
)

// BenchmarkBulletin builds a whole bulletin, as the page does, for a province-sized
// campaign (120 counties × 30 indicators over 60 months of reports, 50,000 projects, a
// one-year cohort of about 8,000): the sources read by store.BulletinData, then
// report.Assemble. The sub-benchmarks time each source on its own, to show where the
// time goes.
func BenchmarkBulletin(b *testing.B) {
	store.BenchEachDB(b, func(b *testing.B, s *store.Store) {
		start := time.Now()
		year, month := store.SeedBulletinBench(b, s)
		b.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		sys := domain.Actor{Via: "bench"}
		co := &domain.Cohort{Name: "2025年签约", SignedFrom: "2025-01-01", SignedTo: "2025-12-31"}
		if err := s.CreateCohort(ctx, sys, co); err != nil {
			b.Fatal(err)
		}
		cst := time.FixedZone("CST", 8*3600)
		b.Run("whole", func(b *testing.B) {
			for b.Loop() {
				data, err := s.BulletinData(ctx, year, month, cst)
				if err != nil {
					b.Fatal(err)
				}
				bl := report.Assemble(data, "all")
				if len(bl.Sections) != 8 || len(bl.Sections[1].Tables) != 30 || len(bl.Sections[1].Tables[0].Rows) != 121 {
					b.Fatalf("%d sections", len(bl.Sections))
				}
			}
		})
		b.Run("movements", func(b *testing.B) {
			for b.Loop() {
				if m, err := s.ProjectMovements(ctx, year, month, domain.DefaultTiers); err != nil || len(m) != 120 {
					b.Fatal(len(m), err)
				}
			}
		})
		b.Run("warnings", func(b *testing.B) {
			rules, _ := s.WarningRules(ctx)
			for b.Loop() {
				if _, err := s.ProjectWarnings(ctx, 0, s.Now(), rules); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("assemble", func(b *testing.B) {
			data, err := s.BulletinData(ctx, year, month, cst)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				report.Assemble(data, "all")
			}
		})
	})
}
