package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func scoringScheme(t *testing.T) *domain.ScoringScheme {
	return &domain.ScoringScheme{Year: 2026, Name: "2026年考核", TotalCap: dec(t, "105"), Items: []domain.ScoringItem{
		{Name: "新增规上", Source: domain.SourceCompletionBase, Indicator: "NEW", Method: domain.MethodCappedRatio, Weight: dec(t, "25"), RatioCap: dec(t, "1.2")},
		{Name: "亿元以上项目", Source: domain.SourceProjectsSigned, TierYi: dec(t, "1"), Method: domain.MethodDeduction, Weight: dec(t, "10"),
			Target: decp(t, "2"), Step: dec(t, "5")},
	}}
}

func TestScoringSchemeSaveConflictAndAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustIndicator(t, s, "NEW", "新增规上企业", domain.KindReported)
		if _, err := s.FindScoringScheme(ctx, 2026); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("no scheme yet: %v", err)
		}
		sch := scoringScheme(t)
		if err := s.SaveScoringScheme(ctx, system, sch); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindScoringScheme(ctx, 2026)
		if err != nil || got.Version != 1 || len(got.Items) != 2 || got.Items[1].Target.String() != "2" || got.Decimals != 2 {
			t.Fatalf("saved: %+v %v", got, err)
		}
		got.Items[0].Weight = dec(t, "30")
		if err := s.SaveScoringScheme(ctx, system, got); err != nil || got.Version != 2 {
			t.Fatalf("update: %v version %d", err, got.Version)
		}
		stale := scoringScheme(t)
		stale.Version = 1
		if err := s.SaveScoringScheme(ctx, system, stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
		fresh := scoringScheme(t) // version 0 means "create", but the year has one
		if err := s.SaveScoringScheme(ctx, system, fresh); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("second create: %v", err)
		}
		bad := scoringScheme(t)
		bad.Version = 2
		bad.Items[0].RatioCap = 0
		bad.Items[1].Indicator, bad.Items[1].Source = "NOPE", domain.SourceIndicatorValue
		err = s.SaveScoringScheme(ctx, system, bad)
		if f := domain.ErrorFields(err); f["items.0.ratio_cap"] == "" || f["items.1.indicator"] == "" {
			t.Fatalf("invalid scheme: %v", err)
		}
		got, _ = s.FindScoringScheme(ctx, 2026)
		if got.Version != 2 || got.Items[0].Weight.String() != "30" {
			t.Fatalf("a refused save changed the scheme: %+v", got)
		}
		var events int
		if err := s.inRead(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_events WHERE entity = 'scoring_scheme' AND entity_id = '2026'`).Scan(&events)
		}); err != nil || events != 2 {
			t.Fatalf("audit events: %d %v", events, err)
		}
	})
}

// TestUnitScoresHandComputed scores three counties for January and February 2026.
//
// February: completion 13/10 = 1.3 → capped at 1.2 × 25 = 30; 15/20 → 18.75; 9.5/10 →
// 23.75. Projects ≥1亿 signed by the end of February: 甲 1, 乙 2, 丙 1 (丙's 0.5亿 does
// not count; nor does 乙's terminated one), required 2, −5 each missing: 5, 10, 5.
// Totals 35, 28.75, 28.75 → 第1, 并列第2, 并列第2.
// January: 5/10, 10/20, 5/10 → 12.5 each; projects 甲 1, 乙 1, 丙 0 → 5, 5, 0: totals
// 17.5, 17.5, 12.5 → 并列第1, 并列第1, 第3. Change: —, ↓1, ↑1.
func TestUnitScoresHandComputed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, c := analysisUnits(t, s)
		ind := mustIndicator(t, s, "NEW", "新增规上企业", domain.KindReported)
		approve := func(unit int64, month int, v string) {
			r, err := s.SaveReportDraft(ctx, system, unit, 2026, month, 0, map[int64]domain.Dec{ind.ID: dec(t, v)})
			if err != nil {
				t.Fatal(err)
			}
			r, _ = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
			if _, err := s.TransitionReport(ctx, system, r.ID, r.Version, TransitionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []struct {
			unit  int64
			month int
			v     string
		}{{a.ID, 1, "5"}, {b.ID, 1, "10"}, {c.ID, 1, "5"}, {a.ID, 2, "13"}, {b.ID, 2, "15"}, {c.ID, 2, "9.5"}} {
			approve(r.unit, r.month, r.v)
		}
		// A report still in draft does not count.
		if _, err := s.SaveReportDraft(ctx, system, c.ID, 2026, 3, 0, map[int64]domain.Dec{ind.ID: dec(t, "100")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveTargets(ctx, system, 2026, []TargetChange{{UnitID: a.ID, IndicatorID: ind.ID, Base: decp(t, "10")},
			{UnitID: b.ID, IndicatorID: ind.ID, Base: decp(t, "20")}, {UnitID: c.ID, IndicatorID: ind.ID, Base: decp(t, "10")}}, ""); err != nil {
			t.Fatal(err)
		}
		yi := int64(domain.Yi)
		insertAnalysisProjects(t, s, []analysisProject{
			{unit: a.ID, stage: "started", contract: 2 * yi, signed: "2026-01-15", started: "2026-02-01"},
			{unit: b.ID, stage: "signed", contract: yi, signed: "2026-01-20"},
			{unit: b.ID, stage: "signed", contract: 3 * yi, signed: "2026-02-10"},
			{unit: b.ID, stage: "signed", contract: 3 * yi, signed: "2026-03-10"}, // after the period
			{unit: c.ID, stage: "signed", contract: yi, signed: "2026-02-20"},
			{unit: c.ID, stage: "signed", contract: yi / 2, signed: "2026-02-21"},
		})
		ids := insertAnalysisProjects(t, s, []analysisProject{{unit: b.ID, stage: "terminated", contract: 5 * yi, signed: "2026-01-05"}})
		if err := s.inWrite(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE projects SET terminated_on = '2026-01-25' WHERE id = ?`, ids[0])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UnitScores(ctx, 2026, 2); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("scores without a scheme: %v", err)
		}
		if err := s.SaveScoringScheme(ctx, system, scoringScheme(t)); err != nil {
			t.Fatal(err)
		}
		board, err := s.UnitScores(ctx, 2026, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]struct {
			total, item1, item2, rank, change string
			capped                            bool
		}{
			a.ID: {"35.00", "30.00", "5.00", "第1", "—", true},
			b.ID: {"28.75", "18.75", "10.00", "并列第2", "↓1", false},
			c.ID: {"28.75", "23.75", "5.00", "并列第2", "↑1", false},
		}
		if len(board.Units) != 3 || board.Month != 2 {
			t.Fatalf("board: %d units, month %d", len(board.Units), board.Month)
		}
		sch := board.Scheme
		for _, u := range board.Units {
			w := want[u.Unit.ID]
			got := []string{sch.FormatScore(u.Total), sch.FormatScore(u.Items[0].Points), sch.FormatScore(u.Items[1].Points),
				domain.RankLabel(u.Rank, u.Tied), domain.RankChange(u.PrevRank, u.Rank)}
			if got[0] != w.total || got[1] != w.item1 || got[2] != w.item2 || got[3] != w.rank || got[4] != w.change || u.Items[0].Capped != w.capped {
				t.Errorf("%s: %v capped %v, want %+v", u.Unit.Name, got, u.Items[0].Capped, w)
			}
			if len(u.History) != 2 {
				t.Errorf("%s history %v", u.Unit.Name, u.History)
			}
		}
		if h := board.Units[0].History[0]; h.Rank != 1 || !h.Tied {
			t.Errorf("甲区 in January: %+v", h)
		}
		// The preview scores an unsaved scheme the same way.
		draft := scoringScheme(t)
		draft.Items = draft.Items[1:]
		draft.Normalize()
		prev, err := s.PreviewScores(ctx, draft, 2)
		if err != nil || sch.FormatScore(prev.Units[1].Total) != "10.00" {
			t.Fatalf("preview: %v", err)
		}
	})
}

// BenchmarkUnitScores scores December with a six-item scheme (indicator and project
// items) for 120 units, with the rank history of all twelve months: twelve periods of
// figures over 120 units × 10 indicators, and 20,000 projects dated month by month.
func BenchmarkUnitScores(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		year, month := seedProgressBench(b, s, 120, 10, 12)
		rng := rand.New(rand.NewPCG(120, 1127))
		err := s.inWrite(ctx, func(tx *Tx) error {
			var units []int64
			rows, err := tx.query(ctx, `SELECT id FROM units WHERE kind = 'county'`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				units = append(units, id)
			}
			rows.Close()
			for i := 0; i < 20_000; i++ {
				signed := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(730))
				var started any
				if rng.IntN(100) < 70 {
					started = signed.AddDate(0, 0, 30+rng.IntN(150)).Format(time.DateOnly)
				}
				if _, err := tx.exec(ctx, `INSERT INTO projects (code, name, unit_id, stage, contract_investment, signed_on, started_on,
					version, created_at, updated_at) VALUES (?, ?, ?, 'signed', ?, ?, ?, 1, ?, ?)`, fmt.Sprintf("S%06d", i), fmt.Sprintf("项目%d", i),
					units[rng.IntN(len(units))], int64(rng.IntN(3000))*1_000_000, signed.Format(time.DateOnly), started, tx.now, tx.now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		d := func(v string) domain.Dec { x, _ := domain.ParseDec(v); return x }
		dp := func(v string) *domain.Dec { x := d(v); return &x }
		sch := &domain.ScoringScheme{Year: year, Name: "基准", TotalCap: d("105"), Items: []domain.ScoringItem{
			{Name: "完成率", Source: domain.SourceCompletionBase, Indicator: "i00", Method: domain.MethodCappedRatio, Weight: d("25"), RatioCap: d("1.2")},
			{Name: "功效", Source: domain.SourceCompletionBase, Indicator: "i01", Method: domain.MethodEfficacy, Weight: d("25")},
			{Name: "极差", Source: domain.SourceIndicatorValue, Indicator: "i02", Method: domain.MethodMinMax, Weight: d("20"), Floor: d("20")},
			{Name: "亿元项目", Source: domain.SourceProjectsSigned, TierYi: d("1"), Method: domain.MethodDeduction, Weight: d("15"), Target: dp("60"), Step: d("0.5")},
			{Name: "10亿加分", Source: domain.SourceProjectsSigned, TierYi: d("10"), Method: domain.MethodBonus, Target: dp("20"), Step: d("2"), Cap: dp("6")},
			{Name: "逾期未开工", Source: domain.SourceProjectsLate, Method: domain.MethodPenalty, Step: d("0.2"), Cap: dp("5")},
		}}
		if err := s.SaveScoringScheme(ctx, system, sch); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			board, err := s.UnitScores(ctx, year, month)
			if err != nil {
				b.Fatal(err)
			}
			if len(board.Units) != 120 || board.Units[0].Total == nil || len(board.Units[0].History) != 12 {
				b.Fatalf("%d units", len(board.Units))
			}
		}
	})
}
