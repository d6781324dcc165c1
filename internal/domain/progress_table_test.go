package domain

import (
	"math/big"
	"testing"
)

func TestBuildProgress(t *testing.T) {
	city := &Unit{ID: 1, Name: "市", Kind: UnitCity}
	a := &Unit{ID: 2, Name: "甲区", Kind: UnitCounty}
	b := &Unit{ID: 3, Name: "乙县", Kind: UnitCounty}
	c := &Unit{ID: 4, Name: "丙园区", Kind: UnitPark}
	revenue := &Indicator{ID: 10, Code: "revenue", Measure: "亿元", Decimals: 1, HigherIsBetter: true, Kind: KindReported}
	signed := &Indicator{ID: 11, Code: "signed", Measure: "个", HigherIsBetter: true, Kind: KindReported}
	started := &Indicator{ID: 12, Code: "started", Measure: "个", HigherIsBetter: true, Kind: KindReported}
	rate := &Indicator{ID: 13, Code: "start_rate", Measure: "%", Decimals: 1, HigherIsBetter: true, Kind: KindRatio, NumeratorID: 12, DenominatorID: 11}
	stretch := mustDec(t, "700")
	in := ProgressInput{
		Year: 2026, Month: 10, TimeProgress: TimeProgressMonths(10),
		Indicators: []*Indicator{revenue, signed, started, rate},
		City:       city, Units: []*Unit{a, b, c},
		Actual: map[CellKey]Dec{
			{2, 10}: mustDec(t, "629.0"), {3, 10}: mustDec(t, "500"), {4, 10}: mustDec(t, "90"),
			{2, 11}: mustDec(t, "32"), {2, 12}: mustDec(t, "22"),
			{3, 11}: mustDec(t, "34"), {3, 12}: mustDec(t, "32"),
			{4, 11}: mustDec(t, "3"), {4, 12}: mustDec(t, "2"),
		},
		LastYear: map[CellKey]Dec{{2, 10}: mustDec(t, "500")},
		Targets: map[CellKey]*Target{
			{2, 10}: {Base: mustDec(t, "647.4"), Stretch: &stretch},
			{3, 10}: {Base: mustDec(t, "1000")},
			{4, 10}: {Base: mustDec(t, "0")},
			{1, 10}: {Base: mustDec(t, "2000")},
		},
	}
	tables := BuildProgress(in)
	if len(tables) != 4 {
		t.Fatalf("%d tables", len(tables))
	}
	rev := tables[0]
	ra := rev.Rows[0]
	// DOMAIN.md §2: 629.0 of 647.4 in October is 97.2%, 13.8 points ahead (from unrounded values).
	if got := FormatPercent(ra.CompletionBase, 1); got != "97.2" {
		t.Errorf("completion = %s", got)
	}
	if got := FormatPoints(ra.Gap, 1); got != "+13.8" {
		t.Errorf("gap = %s", got)
	}
	if ra.Colour != ColourGreen || FormatPercent(ra.CompletionStretch, 1) != "89.9" {
		t.Errorf("colour %s, stretch %s", ra.Colour, FormatPercent(ra.CompletionStretch, 1))
	}
	if FormatPercent(ra.YearOnYear, 1) != "25.8" {
		t.Errorf("yoy = %s", FormatPercent(ra.YearOnYear, 1))
	}
	// 乙县 at 50% against 83.3% is red; 丙园区's zero target shows no rate and no rank.
	if rb := rev.Rows[1]; rb.Colour != ColourRed || rb.Rank != 2 {
		t.Errorf("乙县: %s rank %d", rb.Colour, rb.Rank)
	}
	if rc := rev.Rows[2]; rc.CompletionBase != nil || rc.Colour != ColourNone || rc.Rank != 0 || RankLabel(rc.Rank, rc.Tied) != NoValue {
		t.Errorf("丙园区: %+v", rc)
	}
	// The city has no report: its figure is the counties' sum (parks are inside them).
	if !rev.City.Summed || RoundHalfUp(rev.City.Actual, 1) != "1129.0" || FormatPercent(rev.City.CompletionBase, 1) != "56.5" {
		t.Errorf("city: summed=%v %s %s", rev.City.Summed, RoundHalfUp(rev.City.Actual, 1), FormatPercent(rev.City.CompletionBase, 1))
	}
	// A ratio divides its parts; with no targets the units rank by value.
	st := tables[3]
	if got := RoundHalfUp(st.Rows[0].Actual, 1); got != "68.8" {
		t.Errorf("start rate 22/32 = %s, want 68.8 (a bulletin that printed 68.9 was wrong)", got)
	}
	if st.RankedBy != "value" || st.Rows[1].Rank != 1 || st.Rows[0].Rank != 2 || st.Rows[2].Rank != 3 {
		t.Errorf("ratio ranks: %d %d %d by %s", st.Rows[0].Rank, st.Rows[1].Rank, st.Rows[2].Rank, st.RankedBy)
	}
	if RoundHalfUp(st.City.Actual, 1) != "81.8" { // (22+32)/(32+34)
		t.Errorf("city start rate = %s", RoundHalfUp(st.City.Actual, 1))
	}
}

func TestBuildProgressTiesAndLowerIsBetter(t *testing.T) {
	units := []*Unit{{ID: 1, Kind: UnitCounty}, {ID: 2, Kind: UnitCounty}, {ID: 3, Kind: UnitCounty}}
	energy := &Indicator{ID: 9, Measure: "万元", HigherIsBetter: false, Kind: KindReported}
	in := ProgressInput{Month: 6, TimeProgress: TimeProgressMonths(6), Indicators: []*Indicator{energy}, Units: units,
		Actual:  map[CellKey]Dec{{1, 9}: mustDec(t, "0.5"), {2, 9}: mustDec(t, "0.5"), {3, 9}: mustDec(t, "1")},
		Targets: map[CellKey]*Target{{1, 9}: {Base: mustDec(t, "0.5")}, {2, 9}: {Base: mustDec(t, "0.5")}, {3, 9}: {Base: mustDec(t, "0.5")}},
	}
	rows := BuildProgress(in)[0].Rows
	want := []struct {
		rank int
		tied bool
		pct  string
	}{{1, true, "100.0"}, {1, true, "100.0"}, {3, false, "50.0"}}
	for i, w := range want {
		if rows[i].Rank != w.rank || rows[i].Tied != w.tied || FormatPercent(rows[i].CompletionBase, 1) != w.pct {
			t.Errorf("row %d: rank %d tied %v %s", i, rows[i].Rank, rows[i].Tied, FormatPercent(rows[i].CompletionBase, 1))
		}
	}
	if RankLabel(rows[0].Rank, rows[0].Tied) != "并列第1" {
		t.Error("tie label")
	}
}

func TestBuildProgressPhased(t *testing.T) {
	u := &Unit{ID: 1, Kind: UnitCounty}
	ind := &Indicator{ID: 5, Measure: "亿元", HigherIsBetter: true, Kind: KindReported}
	in := ProgressInput{Month: 6, TimeProgress: TimeProgressMonths(6), Indicators: []*Indicator{ind}, Units: []*Unit{u},
		Actual:  map[CellKey]Dec{{1, 5}: mustDec(t, "42")},
		Targets: map[CellKey]*Target{{1, 5}: {Base: mustDec(t, "100")}},
		Phased:  map[int64]*big.Rat{5: Phases{6: mustDec(t, "40")}.Progress(6)},
	}
	tb := BuildProgress(in)[0]
	// 42% done against a schedule of 40% by June: ahead, although behind months ÷ 12 (50%).
	if !tb.Phased || FormatPercent(tb.TimeProgress, 1) != "40.0" || FormatPoints(tb.Rows[0].Gap, 1) != "+2.0" || tb.Rows[0].Colour != ColourGreen {
		t.Errorf("phased: %v %s %s %s", tb.Phased, FormatPercent(tb.TimeProgress, 1), FormatPoints(tb.Rows[0].Gap, 1), tb.Rows[0].Colour)
	}
}

// A growth rate is not built up month by month: in October 9.6% against a 9.0% target is
// 106.7% complete and judged against the whole target (gap +6.7, green), not against 10/12
// of the year; 8.4% is behind by 6.7 points. A cumulative indicator keeps time progress.
func TestPointInTimeIndicatorsIgnoreTimeProgress(t *testing.T) {
	city := &Unit{ID: 1, Name: "市", Kind: UnitCity}
	a := &Unit{ID: 2, Name: "甲区", Kind: UnitCounty}
	b := &Unit{ID: 3, Name: "乙县", Kind: UnitCounty}
	growth := &Indicator{ID: 20, Code: "va_growth", Measure: "%", Decimals: 1, HigherIsBetter: true, Kind: KindReported, Accumulation: PointInTime}
	revenue := &Indicator{ID: 21, Code: "revenue", Measure: "亿元", Decimals: 1, HigherIsBetter: true, Kind: KindReported, Accumulation: Cumulative}
	in := ProgressInput{Year: 2026, Month: 10, TimeProgress: TimeProgressMonths(10), Indicators: []*Indicator{growth, revenue},
		City: city, Units: []*Unit{a, b},
		Actual:   map[CellKey]Dec{{2, 20}: mustDec(t, "9.6"), {3, 20}: mustDec(t, "8.4"), {2, 21}: mustDec(t, "629.0")},
		LastYear: map[CellKey]Dec{},
		Targets: map[CellKey]*Target{{2, 20}: {Base: mustDec(t, "9.0")}, {3, 20}: {Base: mustDec(t, "9.0")},
			{2, 21}: {Base: mustDec(t, "647.4")}},
	}
	tables := BuildProgress(in)
	g, r := tables[0], tables[1]
	if !g.WholeTarget || FormatPercent(g.TimeProgress, 1) != "100.0" || r.WholeTarget || FormatPercent(r.TimeProgress, 1) != "83.3" {
		t.Fatalf("time progress: growth %s (whole %v), revenue %s", FormatPercent(g.TimeProgress, 1), g.WholeTarget, FormatPercent(r.TimeProgress, 1))
	}
	for _, c := range []struct {
		row             ProgressRow
		completion, gap string
		colour          Colour
	}{
		{g.Rows[0], "106.7", "+6.7", ColourGreen},
		{g.Rows[1], "93.3", "-6.7", ColourYellow},
		{r.Rows[0], "97.2", "+13.8", ColourGreen},
	} {
		if got := FormatPercent(c.row.CompletionBase, 1); got != c.completion || FormatPoints(c.row.Gap, 1) != c.gap || c.row.Colour != c.colour {
			t.Errorf("%s: completion %s gap %s colour %s, want %s %s %s", c.row.Unit.Name, got, FormatPoints(c.row.Gap, 1), c.row.Colour, c.completion, c.gap, c.colour)
		}
	}
}
