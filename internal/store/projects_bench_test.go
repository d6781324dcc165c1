package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// seedProjectBench inserts n synthetic projects over 120 counties in one transaction,
// below the audited store methods: the benchmark measures listing.
func seedProjectBench(b *testing.B, s *Store, n int) (unitIDs []int64) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(50, 1127))
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		for u := 0; u < 120; u++ {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO units (code, name, kind, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, 'county', ?, ?, ?, 1, ?, ?) RETURNING id`, fmt.Sprintf("P%03d", u), fmt.Sprintf("县%03d", u), true, u, true, now, now).Scan(&id); err != nil {
				return err
			}
			unitIDs = append(unitIDs, id)
		}
		return tx.insertBenchProjects(ctx, rng, unitIDs, n)
	})
	if err != nil {
		b.Fatal(err)
	}
	// A table in use is vacuumed and analysed by autovacuum; one loaded just now is not,
	// and without its visibility map PostgreSQL cannot read an index alone.
	if s.dialect == Postgres {
		if _, err := s.write.ExecContext(ctx, `VACUUM ANALYZE projects`); err != nil {
			b.Fatal(err)
		}
	}
	return unitIDs
}

// BenchmarkProjectList reads one filtered, counted page of 50 over 50,000 projects:
// unit + stage + tier + signed window, newest signed first.
func BenchmarkProjectList(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		start := time.Now()
		units := seedProjectBench(b, s, 50_000)
		b.Logf("seeded 50,000 projects in %s", time.Since(start).Round(time.Millisecond))
		ctx := context.Background()
		for name, f := range map[string]domain.ProjectFilter{
			"unit+stage+tier+window": {UnitID: units[7], Stage: "signed", MinAmount: domain.Yi, SignedFrom: "2022-01-01", SignedTo: "2025-12-31", Sort: "signed_desc", Limit: 50},
			"tier+window":            {MinAmount: 10 * domain.Yi, SignedFrom: "2024-01-01", SignedTo: "2024-12-31", Sort: "signed_desc", Limit: 50},
			"search":                 {Query: "投资方12", Sort: "amount_desc", Limit: 50},
			"all, page 100":          {Offset: 5000, Limit: 50},
		} {
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, total, err := s.FindProjects(ctx, f); err != nil || total == 0 {
						b.Fatal(total, err)
					}
				}
			})
		}
	})
}

// insertBenchProjects inserts n synthetic projects spread over the units: signed over
// six years from 2021, at every stage, started and in production on their signing day.
func (tx *Tx) insertBenchProjects(ctx context.Context, rng *rand.Rand, unitIDs []int64, n int) error {
	stages := []string{"lead", "negotiating", "signed", "registered", "land_supplied", "started", "completed", "in_production", "terminated"}
	now := tx.now
	for i := 0; i < n; i++ {
		signed := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(6*365)).Format(time.DateOnly)
		stage := stages[rng.IntN(len(stages))]
		var started any
		if stage == "started" || stage == "completed" || stage == "in_production" {
			started = signed
		}
		var producing any
		if stage == "in_production" {
			producing = signed
		}
		p := &domain.Project{Code: fmt.Sprintf("B%07d", i), Name: fmt.Sprintf("基准项目%d", i)}
		p.InvestorName = fmt.Sprintf("投资方%d", rng.IntN(5000))
		if _, err := tx.exec(ctx, `INSERT INTO projects (code, name, unit_id, stage, industry_section, industry_division,
			contract_investment, signed_on, started_on, in_production_on, investor_name, search_text, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'C', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, p.Code, p.Name,
			unitIDs[rng.IntN(len(unitIDs))], stage, fmt.Sprint(13+rng.IntN(30)), int64(rng.IntN(6000))*1_000_000,
			signed, started, producing, p.InvestorName, projectSearchText(p), now, now); err != nil {
			return err
		}
	}
	return nil
}
