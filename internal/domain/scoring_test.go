package domain

import (
	"math/big"
	"testing"
)

func dp(s string) *Dec {
	d := decOf(s)
	return &d
}

func decOf(s string) Dec {
	d, err := ParseDec(s)
	if err != nil {
		panic(err)
	}
	return d
}

// scoringFixture: three counties of a 2026 Jan–Jun period. Indicator NEW (higher is
// better) has actuals 13, 15, 5 against base targets 10, 20, 0 (the last cannot give a
// completion rate). Projects, in whole yuan:
//
//	U1: four ≥1亿 signed in 2026 (three started, one signed 1 May: 60 days, not late),
//	    one 0.5亿 signed in 2026, one ≥1亿 signed in 2025;
//	U2: one ≥1亿 signed 1 Feb 2026, never started (149 days: late), one signed 1 Oct
//	    2025 that started only on 5 July 2026 (late as of 30 June), one signed 1 Sep
//	    2025 never started (late): three late;
//	U3: none.
func scoringFixture() ScoringData {
	units := []*Unit{{ID: 1, Name: "U1", Kind: UnitCounty}, {ID: 2, Name: "U2", Kind: UnitCounty}, {ID: 3, Name: "U3", Kind: UnitCounty}}
	ind := &Indicator{ID: 7, Code: "NEW", Name: "新增规上", Kind: KindReported, HigherIsBetter: true}
	actual := map[CellKey]Dec{{1, 7}: decOf("13"), {2, 7}: decOf("15"), {3, 7}: decOf("5")}
	targets := map[CellKey]*Target{
		{1, 7}: {Base: decOf("10"), Stretch: dp("12")},
		{2, 7}: {Base: decOf("20")},
		{3, 7}: {Base: 0},
	}
	p := func(unit int64, amount int64, signed, started string) ScoringProject {
		return ScoringProject{UnitID: unit, ContractInvestment: amount, Facts: ProjectFacts{Stage: "started", SignedOn: signed, StartedOn: started}}
	}
	yi := int64(Yi)
	projects := []ScoringProject{
		p(1, 15*yi/10, "2026-01-10", "2026-02-10"),
		p(1, 15*yi/10, "2026-02-01", "2026-03-01"),
		p(1, yi, "2026-03-01", "2026-04-01"),
		p(1, 15*yi/10, "2026-05-01", ""),
		p(1, yi/2, "2026-01-05", "2026-02-01"),
		p(1, 2*yi, "2025-12-01", "2026-01-15"),
		p(2, 3*yi, "2026-02-01", ""),
		p(2, yi/2, "2025-10-01", "2026-07-05"),
		p(2, yi/2, "2025-09-01", ""),
	}
	projects[3].Facts.Stage, projects[6].Facts.Stage, projects[8].Facts.Stage = "signed", "signed", "signed"
	return ScoringData{
		Progress: ProgressInput{Year: 2026, Month: 6, Indicators: []*Indicator{ind}, Units: units, Actual: actual, Targets: targets},
		Projects: projects,
		Warnings: DefaultWarningRules,
	}
}

func ratString(r *big.Rat) string {
	if r == nil {
		return NoValue
	}
	return RoundHalfUp(r, 4)
}

func TestScoreItems(t *testing.T) {
	d := scoringFixture()
	cases := []struct {
		name   string
		item   ScoringItem
		points [3]string // U1, U2, U3 exactly to four decimals; "—" not scored
		capped [3]bool
	}{
		{"capped ratio 120%: 1.3 capped, 0.75, target 0 not scored",
			ScoringItem{Source: SourceCompletionBase, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("25"), RatioCap: decOf("1.2")},
			[3]string{"30.0000", "18.7500", "—"}, [3]bool{true, false, false}},
		{"capped ratio 100% against the stretch target; no stretch → not scored",
			ScoringItem{Source: SourceCompletionStretch, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("10"), RatioCap: decOf("1")},
			[3]string{"10.0000", "—", "—"}, [3]bool{true, false, false}},
		{"capped ratio on a value against a fixed target",
			ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("10"), RatioCap: decOf("1.2"), Target: dp("12")},
			[3]string{"10.8333", "12.0000", "4.1667"}, [3]bool{false, true, false}},
		{"efficacy on values 13, 15, 5: 92%, 100%, 60% of 25",
			ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("25")},
			[3]string{"23.0000", "25.0000", "15.0000"}, [3]bool{}},
		{"efficacy on completion: U3 has none and is left out of min and max",
			ScoringItem{Source: SourceCompletionBase, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("10")},
			[3]string{"10.0000", "6.0000", "—"}, [3]bool{}},
		{"min–max with floor 20: 84%, 100%, 20% of 20",
			ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodMinMax, Weight: decOf("20"), Floor: decOf("20")},
			[3]string{"16.8000", "20.0000", "4.0000"}, [3]bool{}},
		{"tier count with deductions: required 3 of ≥1亿, −0.5 each missing",
			ScoringItem{Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodDeduction, Weight: decOf("15"), Target: dp("3"), Step: decOf("0.5")},
			[3]string{"15.0000", "14.0000", "13.5000"}, [3]bool{}},
		{"deductions floored at a minimum",
			ScoringItem{Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodDeduction, Weight: decOf("5"), Target: dp("3"), Step: decOf("2"), MinPoints: decOf("1")},
			[3]string{"5.0000", "1.0000", "1.0000"}, [3]bool{false, false, true}},
		{"tier ≥2亿: U1's 2025 project does not count",
			ScoringItem{Source: SourceProjectsSigned, TierYi: decOf("2"), Method: MethodDeduction, Weight: decOf("10"), Target: dp("1"), Step: decOf("1")},
			[3]string{"9.0000", "10.0000", "9.0000"}, [3]bool{}},
		{"penalty per late project, at most 2 deducted",
			ScoringItem{Source: SourceProjectsLate, Method: MethodPenalty, Step: decOf("1"), Cap: dp("2")},
			[3]string{"0.0000", "-2.0000", "0.0000"}, [3]bool{false, true, false}},
		{"efficacy on late projects: fewer is better",
			ScoringItem{Source: SourceProjectsLate, Method: MethodEfficacy, Weight: decOf("10")},
			[3]string{"10.0000", "6.0000", "10.0000"}, [3]bool{}},
		{"bonus +2 per project over 0, at most 6",
			ScoringItem{Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodBonus, Target: dp("0"), Step: decOf("2"), Cap: dp("6")},
			[3]string{"6.0000", "2.0000", "0.0000"}, [3]bool{true, false, false}},
		{"bonus over the unit's own base target counts whole extra units",
			ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodBonus, Step: decOf("1"), Cap: dp("10")},
			[3]string{"3.0000", "0.0000", "5.0000"}, [3]bool{}},
		{"item cap on a weighted item",
			ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("25"), Cap: dp("24")},
			[3]string{"23.0000", "24.0000", "15.0000"}, [3]bool{false, true, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := scoreItem(tc.item, d)
			for i := range 3 {
				if s := ratString(got[i].Points); s != tc.points[i] {
					t.Errorf("U%d points = %s, want %s (%s%s)", i+1, s, tc.points[i], got[i].Formula, got[i].Note)
				}
				if got[i].Capped != tc.capped[i] {
					t.Errorf("U%d capped = %v, want %v", i+1, got[i].Capped, tc.capped[i])
				}
				if got[i].Points == nil && got[i].Note == "" || got[i].Points != nil && got[i].Formula == "" {
					t.Errorf("U%d: a result needs a formula or a note: %+v", i+1, got[i])
				}
			}
		})
	}
}

func TestScoreUnitsTotalsCapsAndRanks(t *testing.T) {
	d := scoringFixture()
	s := &ScoringScheme{Year: 2026, Name: "测试", TotalCap: decOf("90"), Decimals: 2, Items: []ScoringItem{
		{Name: "新增规上", Source: SourceCompletionBase, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("25"), RatioCap: decOf("1.2")},
		{Name: "功效", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("25")},
		{Name: "极差", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodMinMax, Weight: decOf("20"), Floor: decOf("20")},
		{Name: "亿元项目", Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodDeduction, Weight: decOf("15"), Target: dp("3"), Step: decOf("0.5")},
		{Name: "逾期未开工", Source: SourceProjectsLate, Method: MethodPenalty, Step: decOf("1"), Cap: dp("2")},
		{Name: "超额加分", Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodBonus, Target: dp("0"), Step: decOf("2"), Cap: dp("6")},
	}}
	got := ScoreUnits(s, d)
	// U1 30+23+16.8+15+0+6 = 90.8 → total cap 90; U2 18.75+25+20+14−2+2 = 77.75;
	// U3 (first item not scored) 15+4+13.5+0+0 = 32.5.
	want := []struct {
		sum, total string
		capped     bool
		rank       int
	}{{"90.80", "90.00", true, 1}, {"77.75", "77.75", false, 2}, {"32.50", "32.50", false, 3}}
	for i, w := range want {
		u := got[i]
		if s.FormatScore(u.Sum) != w.sum || s.FormatScore(u.Total) != w.total || u.TotalCapped != w.capped || u.Rank != w.rank {
			t.Errorf("%s: sum %s total %s capped %v rank %d, want %+v", u.Unit.Name, s.FormatScore(u.Sum), s.FormatScore(u.Total), u.TotalCapped, u.Rank, w)
		}
	}
}

func TestScoreUnitsTiesAndEqualFigures(t *testing.T) {
	d := scoringFixture()
	for k := range d.Progress.Actual {
		d.Progress.Actual[k] = decOf("8")
	}
	s := &ScoringScheme{Year: 2026, Name: "并列", TotalCap: decOf("100"), Decimals: 2, Items: []ScoringItem{
		{Name: "功效", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("30")},
	}}
	got := ScoreUnits(s, d)
	for _, u := range got {
		// max = min: everybody gets the full weight and shares the first place.
		if s.FormatScore(u.Total) != "30.00" || u.Rank != 1 || !u.Tied || RankLabel(u.Rank, u.Tied) != "并列第1" {
			t.Errorf("%s: total %s rank %s", u.Unit.Name, s.FormatScore(u.Total), RankLabel(u.Rank, u.Tied))
		}
	}
	// Totals are ranked as shown: 10.004 and 10.001 both show 10.00 and share the rank;
	// the next unit is third (competition ranking).
	d = scoringFixture()
	d.Progress.Actual[CellKey{1, 7}] = decOf("10.004")
	d.Progress.Actual[CellKey{2, 7}] = decOf("10.001")
	d.Progress.Actual[CellKey{3, 7}] = decOf("9")
	s.Items = []ScoringItem{{Name: "值", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("10"), RatioCap: decOf("2"), Target: dp("10")}}
	got = ScoreUnits(s, d)
	labels := []string{RankLabel(got[0].Rank, got[0].Tied), RankLabel(got[1].Rank, got[1].Tied), RankLabel(got[2].Rank, got[2].Tied)}
	if labels[0] != "并列第1" || labels[1] != "并列第1" || labels[2] != "第3" {
		t.Errorf("ranks = %v", labels)
	}
}

func TestScoreUnitsNothingScored(t *testing.T) {
	d := scoringFixture()
	d.Progress.Actual = map[CellKey]Dec{}
	s := &ScoringScheme{Year: 2026, Name: "空", TotalCap: decOf("100"), Decimals: 2, Items: []ScoringItem{
		{Name: "完成率", Source: SourceCompletionBase, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("10"), RatioCap: decOf("1")},
	}}
	for _, u := range ScoreUnits(s, d) {
		if u.Total != nil || u.Rank != 0 || s.FormatScore(u.Total) != NoValue || u.Items[0].Note == "" {
			t.Errorf("%s: total %v rank %d note %q", u.Unit.Name, u.Total, u.Rank, u.Items[0].Note)
		}
	}
}

func TestBuildScoreboardHistory(t *testing.T) {
	s := &ScoringScheme{Year: 2026, Name: "历史", TotalCap: decOf("100"), Decimals: 2, Items: []ScoringItem{
		{Name: "值", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("10")},
	}}
	may := scoringFixture()
	may.Progress.Month = 5
	may.Progress.Actual = map[CellKey]Dec{{1, 7}: decOf("1"), {2, 7}: decOf("2"), {3, 7}: decOf("3")}
	june := scoringFixture() // 13, 15, 5
	b := BuildScoreboard(s, []ScoringData{may, june})
	if b.Year != 2026 || b.Month != 6 || len(b.Units) != 3 {
		t.Fatalf("board %d-%d with %d units", b.Year, b.Month, len(b.Units))
	}
	want := []struct {
		prev, cur int
		change    string
	}{{3, 2, "↑1"}, {2, 1, "↑1"}, {1, 3, "↓2"}}
	for i, w := range want {
		u := b.Units[i]
		if u.PrevRank != w.prev || u.Rank != w.cur || RankChange(u.PrevRank, u.Rank) != w.change || len(u.History) != 2 || u.History[0].Month != 5 {
			t.Errorf("%s: prev %d cur %d change %s history %v", u.Unit.Name, u.PrevRank, u.Rank, RankChange(u.PrevRank, u.Rank), u.History)
		}
	}
}

func TestRankChange(t *testing.T) {
	for _, tc := range []struct {
		prev, cur int
		want      string
	}{{3, 1, "↑2"}, {1, 2, "↓1"}, {2, 2, "—"}, {0, 1, "—"}, {1, 0, "—"}} {
		if got := RankChange(tc.prev, tc.cur); got != tc.want {
			t.Errorf("RankChange(%d, %d) = %s, want %s", tc.prev, tc.cur, got, tc.want)
		}
	}
}

func TestFactsAsOf(t *testing.T) {
	f := FactsAsOf(ProjectFacts{Stage: "in_production", SignedOn: "2026-01-01", StartedOn: "2026-03-01", InProductionOn: "2026-08-01"}, "2026-06-30")
	if f.Stage != "signed" || f.StartedOn != "2026-03-01" || f.InProductionOn != "" {
		t.Errorf("as of June: %+v", f)
	}
	if f := FactsAsOf(ProjectFacts{Stage: "signed", SignedOn: "2026-07-01"}, "2026-06-30"); f.Stage != "" || f.SignedOn != "" {
		t.Errorf("signed after the date: %+v", f)
	}
}

func TestScoringSchemeValidate(t *testing.T) {
	inds := []*Indicator{{ID: 7, Code: "NEW"}}
	good := func() ScoringScheme {
		return ScoringScheme{Year: 2026, Name: "方案", TotalCap: decOf("105"), Items: []ScoringItem{
			{Name: "新增规上", Source: SourceCompletionBase, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("25"), RatioCap: decOf("1.2")},
		}}
	}
	cases := []struct {
		name  string
		edit  func(*ScoringScheme)
		field string
	}{
		{"valid", func(*ScoringScheme) {}, ""},
		{"no name", func(s *ScoringScheme) { s.Name = " " }, "name"},
		{"bad year", func(s *ScoringScheme) { s.Year = 1999 }, "year"},
		{"no total cap", func(s *ScoringScheme) { s.TotalCap = 0 }, "total_cap"},
		{"no items", func(s *ScoringScheme) { s.Items = nil }, "items"},
		{"unknown method", func(s *ScoringScheme) { s.Items[0].Method = "magic" }, "items.0.method"},
		{"unknown source", func(s *ScoringScheme) { s.Items[0].Source = "x" }, "items.0.source"},
		{"method not for the source", func(s *ScoringScheme) { s.Items[0].Method = MethodBonus }, "items.0.method"},
		{"unknown indicator", func(s *ScoringScheme) { s.Items[0].Indicator = "NOPE" }, "items.0.indicator"},
		{"zero weight", func(s *ScoringScheme) { s.Items[0].Weight = 0 }, "items.0.weight"},
		{"ratio cap missing", func(s *ScoringScheme) { s.Items[0].RatioCap = 0 }, "items.0.ratio_cap"},
		{"negative item cap", func(s *ScoringScheme) { s.Items[0].Cap = dp("-1") }, "items.0.cap"},
		{"tier missing", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "项目", Source: SourceProjectsSigned, Method: MethodEfficacy, Weight: decOf("10")}
		}, "items.0.tier_yi"},
		{"project ratio needs a fixed target", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "项目", Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodCappedRatio, Weight: decOf("10"), RatioCap: decOf("1")}
		}, "items.0.target"},
		{"floor 100", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "极差", Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodMinMax, Weight: decOf("10"), Floor: decOf("100")}
		}, "items.0.floor"},
		{"deduction without step", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "扣分", Source: SourceProjectsSigned, TierYi: decOf("10"), Method: MethodDeduction, Weight: decOf("10"), Target: dp("2")}
		}, "items.0.step"},
		{"deduction minimum above weight", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "扣分", Source: SourceProjectsSigned, TierYi: decOf("10"), Method: MethodDeduction, Weight: decOf("10"), Target: dp("2"), Step: decOf("1"), MinPoints: decOf("11")}
		}, "items.0.min_points"},
		{"bonus without a cap", func(s *ScoringScheme) {
			s.Items[0] = ScoringItem{Name: "加分", Source: SourceProjectsSigned, TierYi: decOf("1"), Method: MethodBonus, Target: dp("2"), Step: decOf("2")}
		}, "items.0.cap"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := good()
			tc.edit(&s)
			s.Normalize()
			err := s.Validate(inds)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorFields(err)[tc.field] == "" {
				t.Fatalf("want a problem on %s, got %v", tc.field, err)
			}
		})
	}
}

func TestScoringNormalizeClearsUnusedParameters(t *testing.T) {
	s := ScoringScheme{Items: []ScoringItem{{Name: " 加分 ", Source: SourceProjectsSigned, TierYi: decOf("1"), Indicator: "NEW", Method: MethodBonus,
		Weight: decOf("5"), RatioCap: decOf("1"), Floor: decOf("20"), Target: dp("1"), Step: decOf("2"), MinPoints: decOf("1")}}}
	s.Normalize()
	it := s.Items[0]
	if s.Decimals != DefaultScoreDecimals || it.Name != "加分" || it.Indicator != "" || it.Weight != 0 || it.RatioCap != 0 || it.Floor != 0 || it.MinPoints != 0 || it.Target == nil || it.Step == 0 || it.TierYi == 0 {
		t.Errorf("normalized: %+v", it)
	}
}

func TestScoreItemsLowerIsBetterAndMissingIndicator(t *testing.T) {
	d := scoringFixture()
	d.Progress.Indicators[0].HigherIsBetter = false // energy per unit, say: 13, 15, 5 against a fixed 10
	got := scoreItem(ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodCappedRatio, Weight: decOf("10"),
		RatioCap: decOf("1"), Target: dp("10")}, d)
	// 10/13 × 10, 10/15 × 10, 10/5 = 2 → capped at 100%.
	for i, want := range []string{"7.6923", "6.6667", "10.0000"} {
		if s := ratString(got[i].Points); s != want {
			t.Errorf("U%d: %s, want %s", i+1, s, want)
		}
	}
	// Efficacy on a lower-is-better value: the lowest (5) is best.
	got = scoreItem(ScoringItem{Source: SourceIndicatorValue, Indicator: "NEW", Method: MethodEfficacy, Weight: decOf("10")}, d)
	for i, want := range []string{"6.8000", "6.0000", "10.0000"} {
		if s := ratString(got[i].Points); s != want {
			t.Errorf("efficacy U%d: %s, want %s", i+1, s, want)
		}
	}
	got = scoreItem(ScoringItem{Source: SourceIndicatorValue, Indicator: "GONE", Method: MethodEfficacy, Weight: decOf("10")}, d)
	if got[0].Points != nil || got[0].Note != "指标 GONE 已停用或不存在，不计分" {
		t.Errorf("missing indicator: %+v", got[0])
	}
}
