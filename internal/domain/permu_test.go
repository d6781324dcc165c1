package domain

import (
	"math/big"
	"testing"
)

func TestEvaluatePerMuHandComputed(t *testing.T) {
	wan := func(n int64) int64 { return n * 10000 }
	in := []PerMuInput{
		// Below scale, default items: tax per mu (50) and tax per electricity (50), benchmarks the averages.
		{EnterpriseID: 1, Section: "C", Figures: EnterpriseFigures{Tax: wan(100), LandMu: DecFromInt(10), Electricity: DecFromInt(20)}}, // 10, 5
		{EnterpriseID: 2, Section: "C", Figures: EnterpriseFigures{Tax: wan(50), LandMu: DecFromInt(10), Electricity: DecFromInt(5)}},   // 5, 10
		{EnterpriseID: 3, Section: "C", Figures: EnterpriseFigures{Tax: wan(30), LandMu: DecFromInt(10)}},                               // 3, missing
		{EnterpriseID: 4, Section: "D", Figures: EnterpriseFigures{Tax: wan(999), LandMu: DecFromInt(1)}},                               // a utility: exempt
	}
	res := map[int64]PerMuResult{}
	for _, r := range EvaluatePerMu(DefaultPerMuScheme, in) {
		res[r.EnterpriseID] = r
	}
	// Averages: tax per mu (10+5+3)/3 = 6; tax per electricity (5+10)/2 = 7.5.
	// 1: 50×10/6 + 50×5/7.5 = 250/3 + 100/3 = 350/3
	// 2: 50×5/6 + 50×10/7.5 = 125/3 + 200/3 = 325/3
	// 3: 50×3/6 = 25, plus the average of the others' second item (100/3 + 200/3)/2 = 50: 75
	for id, want := range map[int64]string{1: "350/3", 2: "325/3", 3: "75/1"} {
		if got := res[id].Score.RatString(); got != want && got+"/1" != want {
			t.Errorf("firm %d: score %s, want %s", id, got, want)
		}
	}
	if !res[3].Items[1].Missing || res[3].Items[1].Points.Cmp(big.NewRat(50, 1)) != 0 {
		t.Errorf("missing item: %+v", res[3].Items[1])
	}
	if res[1].Items[0].Benchmark.Cmp(big.NewRat(6, 1)) != 0 {
		t.Errorf("benchmark %v, want the average 6", res[1].Items[0].Benchmark)
	}
	// Three ranked firms at 20/40/35/5: position 1 is within 60% (B), 2 within 95% (C), 3 is D.
	for id, want := range map[int64]string{1: "B", 2: "C", 3: "D", 4: "T"} {
		if res[id].Class != want {
			t.Errorf("firm %d: class %s, want %s", id, res[id].Class, want)
		}
	}
	if !res[4].Exempt || res[4].Score != nil {
		t.Errorf("exempt firm %+v", res[4])
	}
	// The exempt class is a setting.
	s := DefaultPerMuScheme
	s.ExemptClass = "B"
	for _, r := range EvaluatePerMu(s, in) {
		if r.EnterpriseID == 4 && r.Class != "B" {
			t.Errorf("exempt as B: %s", r.Class)
		}
	}
}

func TestEvaluatePerMuBenchmarkAndClasses(t *testing.T) {
	// A fixed benchmark: value added per mu 30 against 20 at weight 100 earns 150.
	s := PerMuScheme{AboveScale: []PerMuItem{{MuVAPerMu, DecFromInt(100), DecFromInt(20)}},
		BelowScale: []PerMuItem{{MuTaxPerMu, DecFromInt(100), 0}}, Shares: [4]int64{20, 40, 35, 5}, ExemptClass: "T"}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	var in []PerMuInput
	for i := int64(1); i <= 10; i++ {
		// Ten above-scale firms with value added per mu 30, 29, …, 21; firms 5 and 6 tie.
		va := 31 - i
		if i == 6 {
			va = 26
		}
		in = append(in, PerMuInput{EnterpriseID: i, AboveScale: true, Section: "C",
			Figures: EnterpriseFigures{ValueAdded: va * 100_000, LandMu: DecFromInt(10)}})
	}
	classes := map[string]int{}
	for _, r := range EvaluatePerMu(s, in) {
		classes[r.Class]++
		if r.EnterpriseID == 1 && r.Score.Cmp(big.NewRat(150, 1)) != 0 {
			t.Errorf("firm 1: %s, want 150", r.Score.RatString())
		}
		if r.EnterpriseID == 6 && r.Rank != 5 {
			t.Errorf("tie: firm 6 ranks %d, want 5 with firm 5", r.Rank)
		}
	}
	// Positions 1–2 A (≤20%), 3–6 B (≤60%), 7–9 C (≤95%), 10 D.
	if classes["A"] != 2 || classes["B"] != 4 || classes["C"] != 3 || classes["D"] != 1 {
		t.Errorf("classes %v", classes)
	}
	// Another city's shares 25/45/25/5.
	s.Shares = [4]int64{25, 45, 25, 5}
	classes = map[string]int{}
	for _, r := range EvaluatePerMu(s, in) {
		classes[r.Class]++
	}
	if classes["A"] != 2 || classes["B"] != 5 || classes["C"] != 2 || classes["D"] != 1 {
		t.Errorf("25/45/25/5 classes %v", classes)
	}
}

func TestPerMuSchemeValidate(t *testing.T) {
	if err := DefaultPerMuScheme.Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	for name, mod := range map[string]func(*PerMuScheme){
		"shares not 100":    func(s *PerMuScheme) { s.Shares = [4]int64{20, 40, 30, 5} },
		"unknown indicator": func(s *PerMuScheme) { s.BelowScale = []PerMuItem{{"smiles", DecFromInt(1), 0}} },
		"zero weight":       func(s *PerMuScheme) { s.BelowScale = []PerMuItem{{MuTaxPerMu, 0, 0}} },
		"bad exempt class":  func(s *PerMuScheme) { s.ExemptClass = "Z" },
		"no items":          func(s *PerMuScheme) { s.AboveScale = nil },
	} {
		s := DefaultPerMuScheme
		mod(&s)
		if s.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
