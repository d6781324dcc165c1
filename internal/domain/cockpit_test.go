package domain

import (
	"math/big"
	"testing"
)

func TestBuildCockpit(t *testing.T) {
	city := &Unit{ID: 1, Name: "市", Kind: UnitCity}
	a := &Unit{ID: 2, Name: "甲区", Kind: UnitCounty}
	b := &Unit{ID: 3, Name: "乙县", Kind: UnitCounty}
	revenue := &Indicator{ID: 10, Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true,
		Kind: KindReported, Accumulation: Cumulative, Headline: true}
	signed := &Indicator{ID: 11, Code: "signed", Name: "签约项目", Measure: "个", HigherIsBetter: true, Kind: KindReported,
		Accumulation: Cumulative, Headline: true}
	other := &Indicator{ID: 12, Code: "other", Name: "非主要指标", Measure: "个", HigherIsBetter: true, Kind: KindReported}
	d := func(s string) Dec { return mustDec(t, s) }
	oct := map[CellKey]Dec{{2, 10}: d("629.0"), {3, 10}: d("400"), {2, 11}: d("5"), {3, 11}: d("5")}
	sep := map[CellKey]Dec{{2, 10}: d("500"), {3, 10}: d("300")}
	in := CockpitInput{
		Progress: ProgressInput{Year: 2026, Month: 10, TimeProgress: TimeProgressMonths(10),
			Indicators: []*Indicator{revenue, signed, other}, City: city, Units: []*Unit{a, b},
			Actual: oct, LastYear: map[CellKey]Dec{},
			Targets: map[CellKey]*Target{{1, 10}: {Base: d("1600")}, {2, 10}: {Base: d("647.4")}, {3, 10}: {Base: d("1000")},
				{2, 11}: {Base: d("10")}, {3, 11}: {Base: d("10")}}},
		Monthly:         map[int]map[CellKey]Dec{9: sep, 10: oct},
		MonthlyProgress: map[int]*big.Rat{9: TimeProgressMonths(9), 10: TimeProgressMonths(10)},
		Stages:          map[string]int{"lead": 4, "signed": 2, "in_production": 1, "terminated": 3},
		Warnings:        []UnitWarnings{{1, "甲", 0, 5}, {2, "乙", 2, 0}, {3, "丙", 2, 3}, {4, "丁", 0, 1}, {5, "戊", 0, 2}, {6, "己", 1, 0}},
	}

	c := BuildCockpit(in)
	if len(c.Headline) != 2 || c.Selected != 10 || c.TimeProgressPct != "83.3" {
		t.Fatalf("headline %d, selected %d, tp %s", len(c.Headline), c.Selected, c.TimeProgressPct)
	}
	// The city sums its counties: 1029.0 of 1600 is 64.3%, 19.0 points behind: red.
	h := c.Headline[0]
	if h.Actual != "1029.0" || h.Target != "1600.0" || h.CompletionPct != "64.3" || h.GapPoints != "-19.0" || h.Colour != ColourRed ||
		h.Completion == nil || *h.Completion != 64.3 {
		t.Errorf("revenue %+v", h)
	}
	// No city target for 签约项目: no rate, no colour, nothing for the gauge.
	if s := c.Headline[1]; s.Actual != "10" || s.Target != NoValue || s.CompletionPct != NoValue || s.Colour != ColourNone || s.Completion != nil {
		t.Errorf("signed %+v", s)
	}
	if r := c.Ranking; len(r) != 2 || r[0].RankLabel != "第1" || r[0].UnitName != "甲区" || r[0].CompletionPct != "97.2" || r[1].GapPoints != "-43.3" {
		t.Errorf("ranking %+v", r)
	}
	// Months without figures stay empty; the line is the target at each month's time progress.
	tr := c.Trend
	if len(tr.Months) != 10 || tr.Actual[0] != nil || *tr.Actual[8] != "800.0" || *tr.Actual[9] != "1029.0" ||
		tr.Planned[0] != nil || *tr.Planned[8] != "1200.0" || *tr.Planned[9] != "1333.3" {
		t.Errorf("trend %+v", tr)
	}
	if len(c.Funnel) != 8 || c.Funnel[0].Label != "线索" || c.Funnel[0].Count != 4 || c.Funnel[1].Count != 0 || c.Funnel[7].Stage != "in_production" ||
		c.Terminated != 3 {
		t.Errorf("funnel %+v, terminated %d", c.Funnel, c.Terminated)
	}
	// Most red first, then most warned; at most CockpitTopUnits, ties in their order.
	w := c.Warnings
	if w.Red != 5 || w.Yellow != 11 || len(w.Units) != CockpitTopUnits || w.Units[0].UnitName != "丙" || w.Units[1].UnitName != "乙" ||
		w.Units[2].UnitName != "己" || w.Units[3].UnitName != "甲" || w.Units[4].UnitName != "戊" {
		t.Errorf("warnings %+v", w)
	}

	// The ranking lists the best first, whatever the units' order.
	in.Progress.Units = []*Unit{b, a}
	if r := BuildCockpit(in).Ranking; r[0].UnitName != "甲区" || r[1].RankLabel != "第2" {
		t.Errorf("ranking order %+v", r)
	}
	in.Progress.Units = []*Unit{a, b}

	// Another headline indicator can be chosen; a non-headline one is not one of them.
	in.Indicator = 11
	if c := BuildCockpit(in); c.Selected != 11 || c.Ranking[0].RankLabel != "并列第1" || c.Trend.Planned[9] != nil || !c.HasHeadline(11) || c.HasHeadline(12) {
		t.Errorf("chosen: %d %+v", c.Selected, c.Ranking)
	}
	// Nothing at all: empty lists, not nil (the API answers []).
	empty := BuildCockpit(CockpitInput{Progress: ProgressInput{Year: 2026, Month: 1, TimeProgress: TimeProgressMonths(1)}})
	if empty.Headline == nil || empty.Ranking == nil || empty.Trend.Months == nil || len(empty.Funnel) != 8 || empty.Warnings.Units == nil {
		t.Errorf("empty cockpit %+v", empty)
	}
}
