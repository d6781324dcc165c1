package domain

import (
	"math/big"
	"slices"
	"testing"
	"time"
)

func rat(num, den int64) *big.Rat { return big.NewRat(num, den) }

func TestCompletion(t *testing.T) {
	tests := []struct {
		actual, target string
		higher         bool
		want           string // the exact rate, or "" when there is none
	}{
		{"629.0", "647.4", true, "3145/3237"},
		{"32", "34", true, "16/17"},
		{"0", "100", true, "0/1"},
		{"-5", "100", true, "-1/20"},
		{"150", "100", true, "3/2"},
		{"100", "0", true, ""},
		{"100", "-5", true, ""},
		{"0", "0", true, ""},
		// lower is better: target ÷ actual
		{"0.8", "0.9", false, "9/8"},
		{"1.0", "0.9", false, "9/10"},
		{"0", "0.9", false, ""},
		{"-1", "0.9", false, ""},
		{"1", "0", false, ""},
	}
	for _, tt := range tests {
		r, ok := Completion(mustDec(t, tt.actual), mustDec(t, tt.target), tt.higher)
		if ok != (tt.want != "") || ok && r.RatString() != tt.want && r.String() != tt.want {
			t.Errorf("Completion(%s, %s, %v) = %v, %v; want %q", tt.actual, tt.target, tt.higher, r, ok, tt.want)
		}
		if !ok && (r != nil || FormatPercent(r, 1) != "—") {
			t.Errorf("Completion(%s, %s) without a rate = %v, shown %q", tt.actual, tt.target, r, FormatPercent(r, 1))
		}
	}
}

// DOMAIN.md §2: 629.0 of 647.4 by the end of October. The gap is taken from unrounded
// values: 97.158 − 83.333 = 13.825 → "+13.8", where rounding first gives 97.2 − 83.3 = 13.9.
func TestWorkedExampleGap(t *testing.T) {
	c, ok := Completion(mustDec(t, "629.0"), mustDec(t, "647.4"), true)
	if !ok {
		t.Fatal("no completion")
	}
	tp := TimeProgressMonths(10)
	checks := []struct{ name, got, want string }{
		{"completion", FormatPercent(c, 1), "97.2"},
		{"completion 3", FormatPercent(c, 3), "97.158"},
		{"time progress", FormatPercent(tp, 1), "83.3"},
		{"time progress 3", FormatPercent(tp, 3), "83.333"},
		{"gap", FormatPoints(Gap(c, tp), 1), "+13.8"},
		{"gap 3", FormatPoints(Gap(c, tp), 3), "+13.825"},
		{"colour", string(StatusColour(c, tp, ok, nil)), "green"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
}

// DOMAIN.md §2: start rates of a 2024 Jan–Jun bulletin. Every published rate reproduces
// with half-up rounding except U2 (22/32 = 68.75% → 68.8, published 68.9), which
// reconciliation must flag.
func TestBulletinReconcile(t *testing.T) {
	tests := []struct {
		unit             string
		started, signed  int64
		computed, pub    string
		matches          bool
		computedAtPubDec string
	}{
		{"U1", 32, 34, "94.1", "94.1%", true, "94.1"},
		{"U2", 22, 32, "68.8", "68.9%", false, "68.8"},
		{"U3", 17, 27, "63.0", "63%", true, "63"},
		{"U4", 13, 25, "52.0", "52%", true, "52"},
		{"U5", 10, 21, "47.6", "47.6%", true, "47.6"},
		{"U6", 7, 18, "38.9", "38.9%", true, "38.9"},
		{"U7", 11, 14, "78.6", "78.6%", true, "78.6"},
		{"U8", 2, 3, "66.7", "66.7%", true, "66.7"},
	}
	for _, tt := range tests {
		rate, ok := Completion(DecFromInt(tt.started), DecFromInt(tt.signed), true)
		if !ok {
			t.Fatalf("%s: no rate", tt.unit)
		}
		if got := FormatPercent(rate, 1); got != tt.computed {
			t.Errorf("%s: rate = %q, want %q", tt.unit, got, tt.computed)
		}
		if got := Reconcile(rate, tt.pub, -1); got != tt.matches {
			t.Errorf("%s: Reconcile(%s, %q) = %v, want %v", tt.unit, rate.FloatString(6), tt.pub, got, tt.matches)
		}
		// The same figure without "%" is compared with the percentage itself.
		pct := new(big.Rat).Mul(rate, big.NewRat(100, 1))
		bare := tt.pub[:len(tt.pub)-1]
		if got := Reconcile(pct, bare, -1); got != tt.matches {
			t.Errorf("%s: Reconcile(%s, %q) = %v, want %v", tt.unit, pct.FloatString(4), bare, got, tt.matches)
		}
	}
}

func TestReconcile(t *testing.T) {
	tests := []struct {
		computed  *big.Rat
		published string
		decimals  int
		want      bool
	}{
		{rat(6875, 100), "68.8", -1, true},
		{rat(6875, 100), "68.9", -1, false},
		{rat(6875, 100), "69", -1, true},
		{rat(6875, 100), "68.75", -1, true},
		{rat(6875, 100), "68.750", -1, true},
		{rat(6875, 100), "68.8", 1, true},
		{rat(6875, 100), "68.80", 1, true}, // an explicit 1 decimal ignores the figure's own
		{rat(6875, 100), "69", 1, false},   // 68.8 ≠ 69
		{rat(6875, 100), "68.75", 1, false},
		{rat(1700, 27), "63", -1, true},
		{rat(1700, 27), "62.96", -1, true},
		{rat(1700, 27), "63.0", -1, true},
		{rat(1700, 27), "62.9", -1, false},
		{rat(1700, 27), " ６３ ", -1, true},
		{rat(1700, 27), "６３％", -1, false}, // 6296% ≠ 63%
		{rat(17, 27), "６３％", -1, true},
		{rat(-25, 10), "-3", -1, true},
		{rat(-25, 10), "-2", -1, false},
		{rat(1, 1000), "0", -1, true},
		{rat(-1, 1000), "0.0", -1, true},
		{rat(12345, 1), "12,345", -1, true},
		{rat(1, 3), "0.33333", -1, false}, // not a Dec: more than four decimals
		{rat(1, 2), "—", -1, false},
		{rat(1, 2), "", -1, false},
		{nil, "50", -1, false},
	}
	for _, tt := range tests {
		if got := Reconcile(tt.computed, tt.published, tt.decimals); got != tt.want {
			t.Errorf("Reconcile(%v, %q, %d) = %v, want %v", tt.computed, tt.published, tt.decimals, got, tt.want)
		}
	}
}

func TestTimeProgressMonths(t *testing.T) {
	tests := []struct {
		month int
		want  string
	}{
		{-1, "0"}, {0, "0"}, {1, "1/12"}, {6, "1/2"}, {10, "5/6"}, {12, "1"}, {13, "1"},
	}
	for _, tt := range tests {
		if got := TimeProgressMonths(tt.month).RatString(); got != tt.want {
			t.Errorf("TimeProgressMonths(%d) = %s, want %s", tt.month, got, tt.want)
		}
	}
}

func TestTimeProgressDays(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		date time.Time
		want string
	}{
		{time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), "1/365"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "1/366"},
		{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "60/366"},
		{time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), "60/365"},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "61/366"},
		{time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), "365/365"},
		{time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC), "366/366"},
		{time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), "182/366"},
		{time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC), "366/366"}, // divisible by 400
		{time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC), "365/365"}, // divisible by 100 only
		// The date as it is in its own zone: 1 January 00:30 in Shanghai is day 1.
		{time.Date(2025, 1, 1, 0, 30, 0, 0, shanghai), "1/365"},
	}
	for _, tt := range tests {
		got := TimeProgressDays(tt.date)
		want, _ := new(big.Rat).SetString(tt.want)
		if got.Cmp(want) != 0 {
			t.Errorf("TimeProgressDays(%s) = %s, want %s", tt.date.Format(time.DateOnly), got, tt.want)
		}
	}
	if got := FormatPercent(TimeProgressDays(time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)), 1); got != "49.7" {
		t.Errorf("30 June 2024 = %s%%, want 49.7", got)
	}
}

func TestGap(t *testing.T) {
	tests := []struct {
		c, tp *big.Rat
		want  string
	}{
		{rat(1, 2), rat(1, 2), "0.0"},
		{rat(1, 2), rat(5, 12), "+8.3"},
		{rat(1, 2), rat(13, 25), "-2.0"},
		{rat(1, 3), rat(1, 3), "0.0"},
		{rat(9999, 10000), rat(1, 1), "0.0"},   // −0.01 points
		{rat(9995, 10000), rat(1, 1), "-0.1"},  // −0.05 points rounds away from zero
		{rat(10005, 10000), rat(1, 1), "+0.1"}, // +0.05 points
		{nil, rat(1, 2), "—"},
		{rat(1, 2), nil, "—"},
	}
	for _, tt := range tests {
		if got := FormatPoints(Gap(tt.c, tt.tp), 1); got != tt.want {
			t.Errorf("FormatPoints(Gap(%v, %v)) = %q, want %q", tt.c, tt.tp, got, tt.want)
		}
	}
}

func TestRounding(t *testing.T) {
	tests := []struct {
		r        *big.Rat
		decimals int
		value    string // RoundHalfUp
		percent  string // FormatPercent
		points   string // FormatPoints
	}{
		{rat(1235, 10000), 1, "0.1", "12.4", "+12.4"}, // 12.35% → 12.4
		{rat(-1235, 10000), 1, "-0.1", "-12.4", "-12.4"},
		{rat(1225, 10000), 1, "0.1", "12.3", "+12.3"},
		{rat(5, 2), 0, "3", "250", "+250"},
		{rat(-5, 2), 0, "-3", "-250", "-250"},
		{rat(3, 2), 0, "2", "150", "+150"},
		{rat(-3, 2), 0, "-2", "-150", "-150"},
		{rat(1, 2), 0, "1", "50", "+50"},
		{rat(-1, 2), 0, "-1", "-50", "-50"},
		{rat(49, 100), 0, "0", "49", "+49"},
		{rat(-49, 100), 0, "0", "-49", "-49"},
		{rat(-4, 1000), 0, "0", "0", "0"}, // −0.4 points: no "-0"
		{rat(-4, 10000), 1, "0.0", "0.0", "0.0"},
		{rat(0, 1), 2, "0.00", "0.00", "0.00"},
		{rat(2, 3), 3, "0.667", "66.667", "+66.667"},
		{rat(1, 8), 2, "0.13", "12.50", "+12.50"},
		{rat(-1, 8), 2, "-0.13", "-12.50", "-12.50"},
		{rat(9995, 10000), 3, "1.000", "99.950", "+99.950"},
		{rat(9995, 10000), 1, "1.0", "100.0", "+100.0"},
		{rat(123456789, 1), 0, "123456789", "12345678900", "+12345678900"},
		{rat(7, 3), -1, "2", "233", "+233"}, // negative decimals behave as 0
		{rat(1, 1000000), 4, "0.0000", "0.0001", "+0.0001"},
		{nil, 1, "—", "—", "—"},
	}
	for _, tt := range tests {
		if got := RoundHalfUp(tt.r, tt.decimals); got != tt.value {
			t.Errorf("RoundHalfUp(%v, %d) = %q, want %q", tt.r, tt.decimals, got, tt.value)
		}
		if got := FormatPercent(tt.r, tt.decimals); got != tt.percent {
			t.Errorf("FormatPercent(%v, %d) = %q, want %q", tt.r, tt.decimals, got, tt.percent)
		}
		if got := FormatPoints(tt.r, tt.decimals); got != tt.points {
			t.Errorf("FormatPoints(%v, %d) = %q, want %q", tt.r, tt.decimals, got, tt.points)
		}
	}
}

func TestRoundingDoesNotModifyInput(t *testing.T) {
	r := rat(1235, 10000)
	FormatPercent(r, 1)
	FormatPoints(r, 1)
	RoundHalfUp(r, 1)
	Reconcile(r, "12.4%", -1)
	if r.Cmp(rat(1235, 10000)) != 0 {
		t.Errorf("input changed to %v", r)
	}
}

func TestStatusColour(t *testing.T) {
	tp := TimeProgressMonths(10) // 83.333…%
	tests := []struct {
		name       string
		completion *big.Rat
		ok         bool
		within     *big.Rat
		want       Colour
	}{
		{"ahead", rat(9, 10), true, nil, ColourGreen},
		{"exactly on time", rat(5, 6), true, nil, ColourGreen},
		{"just behind", rat(8333, 10000), true, nil, ColourYellow},
		{"9.99 points behind", new(big.Rat).Sub(tp, rat(999, 10000)), true, nil, ColourYellow},
		{"exactly 10 points behind", new(big.Rat).Sub(tp, rat(1, 10)), true, nil, ColourRed},
		{"far behind", rat(1, 2), true, nil, ColourRed},
		{"negative", rat(-1, 10), true, nil, ColourRed},
		{"custom threshold: yellow", rat(7, 10), true, rat(15, 100), ColourYellow},
		{"custom threshold: red", rat(7, 10), true, rat(5, 100), ColourRed},
		{"zero threshold", rat(8, 10), true, rat(0, 1), ColourRed},
		{"no rate", nil, false, nil, ColourNone},
		{"not ok", rat(9, 10), false, nil, ColourNone},
		{"ok but nil", nil, true, nil, ColourNone},
	}
	for _, tt := range tests {
		if got := StatusColour(tt.completion, tp, tt.ok, tt.within); got != tt.want {
			t.Errorf("%s: StatusColour = %s, want %s", tt.name, got, tt.want)
		}
	}
	if got := StatusColour(rat(1, 2), nil, true, nil); got != ColourNone {
		t.Errorf("nil time progress = %s", got)
	}
	if DefaultYellowWithin.Cmp(rat(1, 10)) != 0 {
		t.Errorf("DefaultYellowWithin = %v", DefaultYellowWithin)
	}
	labels := map[Colour]string{ColourGreen: "绿", ColourYellow: "黄", ColourRed: "红", ColourNone: "—"}
	for c, want := range labels {
		if c.Label() != want {
			t.Errorf("%s.Label() = %q", c, c.Label())
		}
	}
}

func TestRanks(t *testing.T) {
	r := func(vs ...int64) []*big.Rat {
		out := make([]*big.Rat, len(vs))
		for i, v := range vs {
			if v >= 0 {
				out[i] = rat(v, 1)
			}
		}
		return out // −1 stands for "no value"
	}
	tests := []struct {
		name   string
		values []*big.Rat
		higher bool
		ranks  []int
		tied   []bool
	}{
		{"ties share, next skips", r(5, 5, 3), true, []int{1, 1, 3}, []bool{true, true, false}},
		{"1224", r(9, 7, 7, 1), true, []int{1, 2, 2, 4}, []bool{false, true, true, false}},
		{"unordered", r(3, 9, 3, 7), true, []int{3, 1, 3, 2}, []bool{true, false, true, false}},
		{"all tied", r(4, 4, 4), true, []int{1, 1, 1}, []bool{true, true, true}},
		{"lower is better", r(5, 5, 3), false, []int{2, 2, 1}, []bool{true, true, false}},
		{"lower is better 1224", r(1, 7, 7, 9), false, []int{1, 2, 2, 4}, []bool{false, true, true, false}},
		{"missing values", r(5, -1, 3, -1, 5), true, []int{1, 0, 3, 0, 1}, []bool{true, false, false, false, true}},
		{"only missing", r(-1, -1), true, []int{0, 0}, []bool{false, false}},
		{"single", r(0), true, []int{1}, []bool{false}},
		{"empty", nil, true, []int{}, []bool{}},
	}
	for _, tt := range tests {
		ranks, tied := Ranks(tt.values, tt.higher)
		if !slices.Equal(ranks, tt.ranks) || !slices.Equal(tied, tt.tied) {
			t.Errorf("%s: Ranks = %v %v, want %v %v", tt.name, ranks, tied, tt.ranks, tt.tied)
		}
		if got := CompetitionRank(tt.values, tt.higher); !slices.Equal(got, tt.ranks) {
			t.Errorf("%s: CompetitionRank = %v, want %v", tt.name, got, tt.ranks)
		}
	}

	// Rates equal as fractions tie even when written differently.
	ranks, tied := Ranks([]*big.Rat{rat(1, 2), rat(2, 4), rat(3, 4)}, true)
	if !slices.Equal(ranks, []int{2, 2, 1}) || !tied[0] || !tied[1] || tied[2] {
		t.Errorf("equal fractions: %v %v", ranks, tied)
	}
}

func TestRankLabel(t *testing.T) {
	tests := []struct {
		rank int
		tied bool
		want string
	}{
		{1, false, "第1"}, {1, true, "并列第1"}, {3, false, "第3"}, {12, true, "并列第12"}, {0, false, "—"}, {-1, true, "—"},
	}
	for _, tt := range tests {
		if got := RankLabel(tt.rank, tt.tied); got != tt.want {
			t.Errorf("RankLabel(%d, %v) = %q, want %q", tt.rank, tt.tied, got, tt.want)
		}
	}
}

func TestYearOnYear(t *testing.T) {
	tests := []struct {
		current, last string
		want          string // FormatPoints at 1 decimal, "" without a rate
	}{
		{"112", "100", "+12.0"},
		{"95", "100", "-5.0"},
		{"100", "100", "0.0"},
		{"0", "100", "-100.0"},
		{"1259.9", "1000", "+26.0"},
		{"100.05", "100", "+0.1"}, // +0.05 points half-up
		{"100", "0", ""},
		{"100", "-3", ""},
	}
	for _, tt := range tests {
		r, ok := YearOnYear(mustDec(t, tt.current), mustDec(t, tt.last))
		if ok != (tt.want != "") || ok && FormatPoints(r, 1) != tt.want {
			t.Errorf("YearOnYear(%s, %s) = %v, %v; want %q", tt.current, tt.last, r, ok, tt.want)
		}
	}
}

func TestDoublingPath(t *testing.T) {
	tests := []struct {
		name      string
		baseline  string
		years     int
		multiple  string
		geometric bool
		want      []string // nil when no path
	}{
		{"geometric doubling", "10000", 3, "2", true, []string{"12599.2105", "15874.0105", "20000"}},
		{"geometric doubling of 1", "1", 3, "2", true, []string{"1.2599", "1.5874", "2"}},
		{"linear doubling", "10000", 3, "2", false, []string{"13333.3333", "16666.6667", "20000"}},
		{"linear doubling of 1", "1", 3, "2", false, []string{"1.3333", "1.6667", "2"}},
		{"geometric, exact roots", "100", 2, "4", true, []string{"200", "400"}},
		{"geometric, cube of 8", "1", 3, "8", true, []string{"2", "4", "8"}},
		{"geometric, a half rounds up", "0.0001", 1, "2.5", true, []string{"0.0003"}}, // 0.00025 → half-up
		{"geometric 2 years √2", "1", 2, "2", true, []string{"1.4142", "2"}},
		{"geometric, negative baseline", "-10000", 3, "2", true, []string{"-12599.2105", "-15874.0105", "-20000"}},
		{"geometric, decline", "100", 2, "0.81", true, []string{"90", "81"}},
		{"linear, decline", "100", 4, "0.8", false, []string{"95", "90", "85", "80"}},
		{"linear, negative multiple", "100", 2, "-1", false, []string{"0", "-100"}},
		{"zero baseline", "0", 3, "2", true, []string{"0", "0", "0"}},
		{"one year", "123.4567", 1, "2", true, []string{"246.9134"}},
		{"five years", "1000", 5, "2", true, []string{"1148.6984", "1319.5079", "1515.7166", "1741.1011", "2000"}},
		{"zero years", "100", 0, "2", true, nil},
		{"too many years", "100", MaxPathYears + 1, "2", false, nil},
		{"zero multiple", "100", 3, "0", true, nil},
		{"negative multiple", "100", 3, "-2", true, nil},
		{"overflow", "900000000000000", 2, "4", true, nil},
		{"overflow linear", "900000000000000", 2, "4", false, nil},
	}
	for _, tt := range tests {
		got := DoublingPath(mustDec(t, tt.baseline), tt.years, mustDec(t, tt.multiple), tt.geometric)
		var gs []string
		for _, d := range got {
			gs = append(gs, d.String())
		}
		if !slices.Equal(gs, tt.want) {
			t.Errorf("%s: DoublingPath(%s, %d, %s, %v) = %v, want %v",
				tt.name, tt.baseline, tt.years, tt.multiple, tt.geometric, gs, tt.want)
		}
	}

	// The multipliers DOMAIN.md quotes: ×1.2599, ×1.5874, ×2.0 and ×1.3333, ×1.6667, ×2.
	for _, c := range []struct {
		geometric bool
		want      []string
	}{
		{true, []string{"1.2599", "1.5874", "2.0000"}},
		{false, []string{"1.3333", "1.6667", "2.0000"}},
	} {
		var gs []string
		for _, d := range DoublingPath(DecFromInt(1), 3, DecFromInt(2), c.geometric) {
			gs = append(gs, d.Format(4))
		}
		if !slices.Equal(gs, c.want) {
			t.Errorf("geometric=%v multipliers = %v, want %v", c.geometric, gs, c.want)
		}
	}
}

// A geometric goal that lands exactly on a half must round up, which a float estimate
// just below the half would get wrong: 0.0001 × 6.25^(1/2) = 0.00025 → 0.0003.
func TestDoublingPathHalfExact(t *testing.T) {
	got := DoublingPath(1, 2, mustDec(t, "6.25"), true)
	if len(got) != 2 || got[0].String() != "0.0003" || got[1].String() != "0.0006" {
		t.Errorf("DoublingPath(0.0001, 2, 6.25) = %v, want [0.0003 0.0006]", got)
	}
	got = DoublingPath(-1, 2, mustDec(t, "6.25"), true)
	if len(got) != 2 || got[0].String() != "-0.0003" {
		t.Errorf("negative half = %v, want -0.0003 first", got)
	}
}

// Geometric goals agree with the exact rounding for many baselines and plan lengths: the
// goal g satisfies (g − ½ unit)^n ≤ baseline^n × multiple^k < (g + ½ unit)^n.
func TestDoublingPathBracketsExactValue(t *testing.T) {
	half := rat(1, 20000)
	for _, b := range []string{"1", "3.7", "647.4", "98765.4321", "123456789012.3456"} {
		for _, m := range []string{"2", "1.5", "3", "0.5"} {
			for n := 1; n <= 7; n++ {
				base, mult := mustDec(t, b), mustDec(t, m)
				path := DoublingPath(base, n, mult, true)
				if len(path) != n {
					t.Fatalf("DoublingPath(%s, %d, %s) = %v", b, n, m, path)
				}
				for k, g := range path {
					exact := new(big.Rat).Mul(pow(base.Rat(), n), pow(mult.Rat(), k+1))
					lo := pow(new(big.Rat).Sub(g.Rat(), half), n)
					hi := pow(new(big.Rat).Add(g.Rat(), half), n)
					if lo.Cmp(exact) > 0 || hi.Cmp(exact) <= 0 {
						t.Errorf("DoublingPath(%s, %d, %s)[%d] = %s is not the rounded value", b, n, m, k, g)
					}
				}
			}
		}
	}
}

func pow(r *big.Rat, n int) *big.Rat {
	out := big.NewRat(1, 1)
	for range n {
		out.Mul(out, r)
	}
	return out
}

func TestMonthsToDate(t *testing.T) {
	for month, want := range map[int]string{1: "1月", 2: "1–2月", 10: "1–10月", 12: "1–12月"} {
		if got := MonthsToDate(month); got != want {
			t.Errorf("MonthsToDate(%d) = %q, want %q", month, got, want)
		}
	}
}
