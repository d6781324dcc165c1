package domain

import (
	"strings"
	"testing"
)

func TestQualityScore(t *testing.T) {
	const wan = 10_000
	mu := func(n int64) Dec { return DecFromInt(n) }
	tests := []struct {
		name   string
		f      QualityFacts
		total  string
		points []string // per item: intensity, tax, tags, foreign, chain, 5020
	}{
		{"empty", QualityFacts{}, "0", []string{"0", "0", "0", "0", "0", "0"}},
		{"half the benchmarks", QualityFacts{FixedInvestment: 150 * wan * 100, ExpectedTax: 15 * wan * 100, LandMu: mu(100)}, "32.5",
			[]string{"20", "12.5", "0", "0", "0", "0"}},
		{"above benchmark is capped", QualityFacts{FixedInvestment: 600 * wan * 10, ExpectedTax: 90 * wan * 10, LandMu: mu(10)}, "65",
			[]string{"40", "25", "0", "0", "0", "0"}},
		{"tags capped at 15", QualityFacts{Tags: []string{"世界500强", "上市公司", "行业龙头", "央企"}}, "15",
			[]string{"0", "0", "15", "0", "0", "0"}},
		{"tags under the cap", QualityFacts{Tags: []string{"民营500强", "上市公司"}}, "9", []string{"0", "0", "9", "0", "0", "0"}},
		{"foreign, chain, certified", QualityFacts{Foreign: true, Chain: "陶瓷新材料", Cert5020: "certified"}, "20",
			[]string{"0", "0", "0", "5", "5", "10"}},
		{"applied", QualityFacts{Cert5020: "applied"}, "5", []string{"0", "0", "0", "0", "0", "5"}},
		{"rejected", QualityFacts{Cert5020: "rejected"}, "0", []string{"0", "0", "0", "0", "0", "0"}},
		{"everything", QualityFacts{FixedInvestment: 1e10, ExpectedTax: 1e9, LandMu: mu(100), Tags: []string{"世界500强", "中国500强"},
			Foreign: true, Chain: "航空", Cert5020: "certified"}, "100", []string{"40", "25", "15", "5", "5", "10"}},
		{"thirds are exact to 4 places", QualityFacts{FixedInvestment: 100 * wan * 3, LandMu: mu(3)}, "13.3333",
			[]string{"13.3333", "0", "0", "0", "0", "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			total, items := QualityScore(tt.f, DefaultQualityScheme)
			if total.String() != tt.total {
				t.Errorf("total %s, want %s", total, tt.total)
			}
			for i, it := range items {
				if it.Points.String() != tt.points[i] {
					t.Errorf("%s: %s, want %s (%s)", it.Name, it.Points, tt.points[i], it.Explanation)
				}
				if it.Points > it.Cap {
					t.Errorf("%s over its cap", it.Name)
				}
			}
		})
	}
	_, items := QualityScore(QualityFacts{FixedInvestment: 150 * wan * 100, LandMu: mu(100)}, DefaultQualityScheme)
	if !strings.Contains(items[0].Explanation, "固定资产投资150.0万元/亩，全市基准300万元/亩") {
		t.Error(items[0].Explanation)
	}
	s := DefaultQualityScheme
	s.TotalCap = DecFromInt(50)
	if total, _ := QualityScore(QualityFacts{Foreign: true, Chain: "x", Cert5020: "certified", Tags: []string{"世界500强", "上市公司"}, FixedInvestment: 3e9, LandMu: mu(100)}, s); total.String() != "50" {
		t.Errorf("total cap: %s", total)
	}
	if DefaultQualityScheme.Validate() != nil {
		t.Error("default scheme invalid")
	}
}

// A project in a park with its own intensity benchmark is measured against it; other
// parks and projects outside parks against the city-wide one.
func TestQualityParkBenchmark(t *testing.T) {
	s := DefaultQualityScheme
	s.ParkIntensity = map[int64]Dec{7: DecFromInt(500)}
	facts := QualityFacts{FixedInvestment: 250 * 10_000 * 100, LandMu: DecFromInt(100)} // 250万元/亩
	for _, c := range []struct {
		name   string
		park   int64
		points string
		whose  string
	}{
		{"own benchmark 500", 7, "20", "高新园基准500万元/亩"},
		{"other park: city-wide 300", 8, "33.3333", "全市基准300万元/亩"},
		{"no park: city-wide 300", 0, "33.3333", "全市基准300万元/亩"},
	} {
		f := facts
		f.ParkID, f.ParkName = c.park, "高新园"
		_, items := QualityScore(f, s)
		if items[0].Points.String() != c.points || !strings.Contains(items[0].Explanation, c.whose) {
			t.Errorf("%s: %s (%s)", c.name, items[0].Points, items[0].Explanation)
		}
	}
	for _, bad := range []Dec{0, -1, DecFromInt(100001)} {
		s.ParkIntensity = map[int64]Dec{7: bad}
		if ErrorFields(s.Validate())["park_intensity"] == "" {
			t.Errorf("park benchmark %s accepted", bad)
		}
	}
}
