package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// analysisProject is a project record for the analysis tests, written directly.
type analysisProject struct {
	unit                                   int64
	stage                                  string
	contract, funds, fixed, tax            int64
	land                                   string
	signed, registered, started, producing string
	plannedStart, lastNote, cert, chain    string
	foreign                                bool
	tags                                   []string
}

func insertAnalysisProjects(t *testing.T, s *Store, ps []analysisProject) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := s.inWrite(ctx, func(tx *Tx) error {
		var first int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects`).Scan(&first); err != nil {
			return err
		}
		for i, p := range ps {
			i += first
			if p.cert == "" {
				p.cert = "none"
			}
			land := domain.Dec(0)
			if p.land != "" {
				land = dec(t, p.land)
			}
			source := "domestic"
			if p.foreign {
				source = "foreign"
			}
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO projects (code, name, unit_id, stage, contract_investment, funds_in_place,
				fixed_investment, expected_tax, land_mu, signed_on, registered_on, started_on, in_production_on,
				planned_start_on, last_note_on, cert_5020, chain, capital_source, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				fmt.Sprintf("A%04d", i), fmt.Sprintf("项目%d", i), p.unit, p.stage, p.contract, p.funds, p.fixed, p.tax, int64(land),
				nullText(p.signed), nullText(p.registered), nullText(p.started), nullText(p.producing),
				nullText(p.plannedStart), nullText(p.lastNote), p.cert, p.chain, source, tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
			for _, tag := range p.tags {
				if _, err := tx.exec(ctx, `INSERT INTO project_tags (project_id, tag) VALUES (?, ?)`, id, tag); err != nil {
					return err
				}
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func analysisUnits(t *testing.T, s *Store) (a, b, c *domain.Unit) {
	t.Helper()
	city := mustUnit(t, s, "360200", domain.UnitCity, 0)
	a = &domain.Unit{Code: "360202", Name: "甲区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
	b = &domain.Unit{Code: "360203", Name: "乙区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
	c = &domain.Unit{Code: "360222", Name: "丙县", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
	for _, u := range []*domain.Unit{a, b, c} {
		if err := s.CreateUnit(context.Background(), system, u); err != nil {
			t.Fatal(err)
		}
	}
	return a, b, c
}

func TestCohortRatesMatchHandCounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, c := analysisUnits(t, s)
		const yi = 100_000_000
		insertAnalysisProjects(t, s, []analysisProject{
			// 甲区: 4 signed in the window; registered 3 (one only by its start date), started 2, producing 1, performed 1.
			{unit: a.ID, stage: "in_production", contract: 2 * yi, funds: 2 * yi, signed: "2026-01-01", registered: "2026-01-10", started: "2026-02-01", producing: "2026-09-01"},
			{unit: a.ID, stage: "started", contract: 4 * yi, funds: yi, signed: "2026-03-01", started: "2026-05-01"},   // funds 25%: not performed
			{unit: a.ID, stage: "registered", contract: yi, funds: yi, signed: "2026-06-30", registered: "2026-07-01"}, // not started: not performed
			{unit: a.ID, stage: "terminated", contract: yi, signed: "2026-04-01"},
			{unit: a.ID, stage: "signed", contract: yi, signed: "2025-12-31"}, // before the window
			{unit: a.ID, stage: "signed", contract: yi, signed: "2026-07-01"}, // after the window
			// 乙区: 2 signed, 1 started and performed exactly at 50%.
			{unit: b.ID, stage: "started", contract: 2 * yi, funds: yi, signed: "2026-02-02", started: "2026-03-03"},
			{unit: b.ID, stage: "signed", contract: 3 * yi, signed: "2026-05-05"},
			// 丙县: nothing in the window.
			{unit: c.ID, stage: "lead"},
		})
		co := &domain.Cohort{Name: "2026年上半年签约", SignedFrom: "2026-01-01", SignedTo: "2026-06-30"}
		if err := s.CreateCohort(ctx, system, co); err != nil {
			t.Fatal(err)
		}
		if co.Projects != 6 {
			t.Fatalf("members %d, want 6", co.Projects)
		}
		if err := s.CreateCohort(ctx, system, &domain.Cohort{Name: co.Name, SignedFrom: "2026-01-01", SignedTo: "2026-01-02"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("duplicate name: %v", err)
		}
		// A project signed later inside the window does not join the frozen cohort.
		insertAnalysisProjects(t, s, []analysisProject{{unit: b.ID, stage: "started", contract: yi, funds: yi, signed: "2026-03-03", started: "2026-04-04"}})

		counts, err := s.CohortRates(ctx, co.ID, domain.DefaultPerformanceRule)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]domain.CohortCounts{}
		for _, c := range counts {
			got[c.UnitName] = c
		}
		want := map[string]domain.CohortCounts{
			"甲区": {Signed: 4, Registered: 3, Started: 2, InProduction: 1, Performed: 1, Contract: 8 * yi, Funds: 4 * yi},
			"乙区": {Signed: 2, Registered: 1, Started: 1, InProduction: 0, Performed: 1, Contract: 5 * yi, Funds: yi},
			"丙县": {},
		}
		if len(got) != len(want) {
			t.Fatalf("rows %v", counts)
		}
		for name, w := range want {
			g := got[name]
			w.UnitID, w.UnitCode, w.UnitName = g.UnitID, g.UnitCode, name
			if g != w {
				t.Errorf("%s: got %+v, want %+v", name, g, w)
			}
		}
		rates := domain.CohortRates(counts)
		for _, r := range rates {
			if r.UnitName == "乙区" && (domain.FormatPercent(r.Start, 1) != "50.0" || domain.RankLabel(r.Rank, r.Tied) != "并列第1") {
				t.Errorf("乙区 %s %s", domain.FormatPercent(r.Start, 1), domain.RankLabel(r.Rank, r.Tied))
			}
			if r.UnitName == "丙县" && (r.Start != nil || r.Rank != 0) {
				t.Errorf("丙县 should have no rate")
			}
		}
		// Without the started condition the registered 甲区 project with full funds performs.
		loose, err := s.CohortRates(ctx, co.ID, domain.PerformanceRule{MinFundsRatio: 5000})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range loose {
			if c.UnitName == "甲区" && c.Performed != 2 {
				t.Errorf("loose performed %d, want 2", c.Performed)
			}
		}
		cs, err := s.FindCohorts(ctx)
		if err != nil || len(cs) != 1 || cs[0].Projects != 6 {
			t.Fatalf("FindCohorts %v %v", cs, err)
		}
		if _, err := s.CohortRates(ctx, 999, domain.DefaultPerformanceRule); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing cohort: %v", err)
		}
	})
}

func TestProjectWarningsAndQuality(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, _ := analysisUnits(t, s)
		today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		ids := insertAnalysisProjects(t, s, []analysisProject{
			{unit: a.ID, stage: "signed", signed: "2026-04-28", lastNote: "2026-11-20"}, // 213 days: red
			{unit: a.ID, stage: "started", signed: "2026-01-01", started: "2026-02-01", lastNote: "2026-11-26", contract: 100, funds: 100,
				fixed: 300 * 10_000 * 10, tax: 30 * 10_000 * 10, land: "10", foreign: true, chain: "陶瓷", cert: "certified", tags: []string{"世界500强", "上市公司", "行业龙头"}},
			{unit: b.ID, stage: "signed", signed: "2026-11-01", lastNote: "2026-11-01", plannedStart: "2026-11-15"},
			{unit: b.ID, stage: "terminated", signed: "2025-01-01"},
		})
		rows, err := s.ProjectWarnings(ctx, 0, today, domain.DefaultWarningRules)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].ProjectID != ids[0] || rows[0].Level != domain.WarningRed || rows[1].ProjectID != ids[2] {
			t.Fatalf("warnings %+v", rows)
		}
		if rows[0].Warnings[0].Reason != "签约已213天仍未开工（超过180天）" {
			t.Errorf("reason %q", rows[0].Warnings[0].Reason)
		}
		onlyB, err := s.ProjectWarnings(ctx, b.ID, today, domain.DefaultWarningRules)
		if err != nil || len(onlyB) != 1 || onlyB[0].Warnings[0].Code != domain.WarnPlannedStart {
			t.Fatalf("unit warnings %+v %v", onlyB, err)
		}

		list, total, err := s.ProjectQuality(ctx, 0, domain.DefaultQualityScheme, 0, 2)
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(list) != 2 || list[0].ProjectID != ids[1] || list[0].Score.String() != "100" {
			t.Fatalf("quality %d %+v", total, list)
		}
		page2, _, err := s.ProjectQuality(ctx, 0, domain.DefaultQualityScheme, 2, 2)
		if err != nil || len(page2) != 1 || page2[0].Score != 0 {
			t.Fatalf("page 2 %+v %v", page2, err)
		}

		// The rules round-trip through the settings.
		w := domain.DefaultWarningRules
		w.NotStartedRedDays = 240
		q := domain.DefaultQualityScheme
		q.TaxBenchmark = domain.DecFromInt(50)
		if err := s.SetProjectAnalysisRules(ctx, system, w, q, domain.DefaultPerformanceRule); err != nil {
			t.Fatal(err)
		}
		gw, err := s.WarningRules(ctx)
		if err != nil || gw.NotStartedRedDays != 240 {
			t.Errorf("rules %+v %v", gw, err)
		}
		gq, err := s.QualityScheme(ctx)
		if err != nil || gq.TaxBenchmark != domain.DecFromInt(50) || gq.TagPoints["世界500强"] != domain.DecFromInt(10) {
			t.Errorf("scheme %+v %v", gq, err)
		}
		w.NotStartedRedDays = 10
		if err := s.SetProjectAnalysisRules(ctx, system, w, q, domain.DefaultPerformanceRule); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("invalid rules: %v", err)
		}
	})
}

// seedCohortBench writes n synthetic projects over the given number of county units in
// one transaction, in multi-row inserts below the audited methods: the benchmark
// measures the rates query, not the setup.
func seedCohortBench(b *testing.B, s *Store, units, n int) {
	b.Helper()
	ctx := context.Background()
	city := &domain.Unit{Code: "RC", Name: "基准市", Kind: domain.UnitCity, Active: true}
	if err := s.CreateUnit(ctx, system, city); err != nil {
		b.Fatal(err)
	}
	err := s.inWrite(ctx, func(tx *Tx) error {
		now := tx.now
		var unitIDs []int64
		for u := 0; u < units; u++ {
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, assessed, sort_order, active, version, created_at, updated_at)
				VALUES (?, ?, 'county', ?, ?, ?, ?, 1, ?, ?) RETURNING id`, fmt.Sprintf("R%03d", u), fmt.Sprintf("县%03d", u), city.ID, true, u, true, now, now).Scan(&id); err != nil {
				return err
			}
			unitIDs = append(unitIDs, id)
		}
		stages := []string{"signed", "registered", "started", "in_production", "terminated"}
		const batch = 500
		for start := 0; start < n; start += batch {
			var q strings.Builder
			q.WriteString(`INSERT INTO projects (code, name, unit_id, stage, contract_investment, funds_in_place, signed_on,
				registered_on, started_on, in_production_on, created_at, updated_at) VALUES `)
			var args []any
			for i := start; i < min(start+batch, n); i++ {
				if i > start {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				stage := stages[i%len(stages)]
				signed := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%(4*365)).Format(time.DateOnly)
				var reg, started, prod any
				if stage != "signed" && stage != "terminated" {
					reg = signed
				}
				if stage == "started" || stage == "in_production" {
					started = signed
				}
				if stage == "in_production" {
					prod = signed
				}
				contract := int64(100_000_000 + (i%97)*10_000_000)
				args = append(args, fmt.Sprintf("B%06d", i), fmt.Sprintf("项目%d", i), unitIDs[i%len(unitIDs)], stage,
					contract, contract*int64(i%11)/10, signed, reg, started, prod, now, now)
			}
			if _, err := tx.exec(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if s.dialect == Postgres {
		if _, err := s.write.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCohortRates: rates for all 120 units of a one-year cohort out of 50,000
// projects (about 12,500 members). Aim: under 200 ms on SQLite.
func BenchmarkCohortRates(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		seedCohortBench(b, s, 120, 50_000)
		ctx := context.Background()
		co := &domain.Cohort{Name: "2025年签约", SignedFrom: "2025-01-01", SignedTo: "2025-12-31"}
		if err := s.CreateCohort(ctx, system, co); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			counts, err := s.CohortRates(ctx, co.ID, domain.DefaultPerformanceRule)
			if err != nil {
				b.Fatal(err)
			}
			if rows := domain.CohortRates(counts); len(rows) != 120 {
				b.Fatalf("%d rows", len(rows))
			}
		}
		b.ReportMetric(float64(co.Projects), "members")
	})
}

// BenchmarkProjectQualityPage: the first page of 50 of 50,000 projects ordered by
// quality score, which the database computes for every row.
func BenchmarkProjectQualityPage(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		seedCohortBench(b, s, 120, 50_000)
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			rows, total, err := s.ProjectQuality(ctx, 0, domain.DefaultQualityScheme, 0, 50)
			if err != nil {
				b.Fatal(err)
			}
			if len(rows) != 50 || total != 40_000 {
				b.Fatalf("%d rows of %d", len(rows), total)
			}
		}
	})
}
