package domain

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
)

// Per-mu evaluation (亩均评价, DOMAIN.md §4): each firm's items are its value ÷ the
// benchmark × the item's weight; the score is their sum; classes A–D go by percentile of
// score within the group (above-scale firms and below-scale firms are scored by their own
// items and ranked apart). Everything is computed exactly and rounded only for display.

// Per-mu indicators a scheme can weigh.
const (
	MuTaxPerMu          = "tax_per_mu"          // 税收 ÷ 用地（万元/亩）
	MuVAPerMu           = "va_per_mu"           // 工业增加值 ÷ 用地（万元/亩）
	MuVAPerEnergy       = "va_per_energy"       // 工业增加值 ÷ 综合能耗（万元/吨标煤）
	MuVAPerEmission     = "va_per_emission"     // 工业增加值 ÷ 排放当量（万元/吨）
	MuLabour            = "labour_productivity" // 工业增加值 ÷ 从业人员（万元/人）
	MuRDRatio           = "rd_ratio"            // 研发经费 ÷ 营业收入
	MuTaxPerElectricity = "tax_per_electricity" // 税收 ÷ 用电量（万元/万千瓦时）
)

// PerMuIndicators name the indicators.
var PerMuIndicators = []Choice{{MuTaxPerMu, "亩均税收（万元/亩）"}, {MuVAPerMu, "亩均工业增加值（万元/亩）"},
	{MuVAPerEnergy, "单位能耗工业增加值（万元/吨标煤）"}, {MuVAPerEmission, "单位排放工业增加值（万元/吨）"},
	{MuLabour, "全员劳动生产率（万元/人）"}, {MuRDRatio, "研发经费占营业收入比重"}, {MuTaxPerElectricity, "单位电耗税收（万元/万千瓦时）"}}

// PerMuItem is one weighted indicator. Benchmark is the value that earns the full
// weight; zero means the group's average of the indicator that year (over the firms
// that have it).
type PerMuItem struct {
	Indicator string `json:"indicator"`
	Weight    Dec    `json:"weight"`
	Benchmark Dec    `json:"benchmark"`
}

// PerMuScheme is a city's evaluation scheme (a setting).
type PerMuScheme struct {
	AboveScale []PerMuItem `json:"above_scale"`
	BelowScale []PerMuItem `json:"below_scale"`
	// Shares are the percentages of classes A, B, C and D, best first; they sum to 100.
	Shares [4]int64 `json:"shares"`
	// ExemptSections are the GB/T 4754 sections whose firms are not ranked (utilities);
	// ExemptClass is what they get: "T" or "B".
	ExemptSections []string `json:"exempt_sections"`
	ExemptClass    string   `json:"exempt_class"`
}

// DefaultPerMuScheme is the published benchmark model of DOMAIN.md §4: benchmarks are
// the group's averages until a city sets its own.
var DefaultPerMuScheme = PerMuScheme{
	AboveScale: []PerMuItem{{MuTaxPerMu, DecFromInt(30), 0}, {MuVAPerMu, DecFromInt(20), 0}, {MuVAPerEnergy, DecFromInt(20), 0},
		{MuVAPerEmission, DecFromInt(10), 0}, {MuLabour, DecFromInt(10), 0}, {MuRDRatio, DecFromInt(10), 0}},
	BelowScale:     []PerMuItem{{MuTaxPerMu, DecFromInt(50), 0}, {MuTaxPerElectricity, DecFromInt(50), 0}},
	Shares:         [4]int64{20, 40, 35, 5},
	ExemptSections: []string{"D"},
	ExemptClass:    "T",
}

// Validate checks the scheme.
func (s PerMuScheme) Validate() error {
	probs := Problems{}
	for field, items := range map[string][]PerMuItem{"above_scale": s.AboveScale, "below_scale": s.BelowScale} {
		if len(items) == 0 {
			probs.Add(field, "至少需要一项评价指标。")
		}
		seen := map[string]bool{}
		for _, it := range items {
			if !slices.ContainsFunc(PerMuIndicators, func(c Choice) bool { return c.Value == it.Indicator }) || seen[it.Indicator] {
				probs.Add(field, fmt.Sprintf("评价指标“%s”无效或重复。", it.Indicator))
			}
			seen[it.Indicator] = true
			if it.Weight.Sign() <= 0 || it.Benchmark.Sign() < 0 {
				probs.Add(field, "权重须为正数，基准值不能为负数。")
			}
		}
	}
	var sum int64
	for _, v := range s.Shares {
		if v < 0 {
			probs.Add("shares", "各档比例不能为负数。")
		}
		sum += v
	}
	if sum != 100 {
		probs.Add("shares", "A、B、C、D 四档比例之和须为100%。")
	}
	if s.ExemptClass != "T" && s.ExemptClass != "B" {
		probs.Add("exempt_class", "免评企业归档应为 T 或 B。")
	}
	return probs.Err()
}

// PerMuInput is one firm's year for the evaluation.
type PerMuInput struct {
	EnterpriseID int64
	AboveScale   bool
	Section      string
	Figures      EnterpriseFigures
}

// PerMuItemResult is one item of a firm's breakdown.
type PerMuItemResult struct {
	Indicator string
	Value     *big.Rat // nil when the firm lacks it (no denominator)
	Benchmark *big.Rat // nil when no firm of the group has it
	Points    *big.Rat // weight × value ÷ benchmark, or the group's average item points when missing
	Missing   bool
}

// PerMuResult is a firm's evaluation.
type PerMuResult struct {
	EnterpriseID int64
	AboveScale   bool
	Exempt       bool
	Score        *big.Rat // nil for an exempt firm
	Class        string   // A, B, C, D, or the exempt class
	Rank, Of     int      // position within its group (ties share the best), and the group's size
	Items        []PerMuItemResult
}

// perMuValue computes an indicator for a firm's figures in 万元 units, or nil when its
// denominator is zero.
func perMuValue(ind string, f EnterpriseFigures) *big.Rat {
	wan := func(yuan int64) *big.Rat { return big.NewRat(yuan, 10000) }
	var num, den *big.Rat
	switch ind {
	case MuTaxPerMu:
		num, den = wan(f.Tax), f.LandMu.Rat()
	case MuVAPerMu:
		num, den = wan(f.ValueAdded), f.LandMu.Rat()
	case MuVAPerEnergy:
		num, den = wan(f.ValueAdded), f.EnergyTce.Rat()
	case MuVAPerEmission:
		num, den = wan(f.ValueAdded), f.Emissions.Rat()
	case MuLabour:
		num, den = wan(f.ValueAdded), big.NewRat(f.Employees, 1)
	case MuRDRatio:
		num, den = wan(f.RDSpending), wan(f.Revenue)
	case MuTaxPerElectricity:
		num, den = wan(f.Tax), f.Electricity.Rat()
	}
	if den == nil || den.Sign() == 0 {
		return nil
	}
	return new(big.Rat).Quo(num, den)
}

// EvaluatePerMu scores and classes every input by the scheme.
func EvaluatePerMu(s PerMuScheme, inputs []PerMuInput) []PerMuResult {
	out := make([]PerMuResult, 0, len(inputs))
	for _, above := range []bool{true, false} {
		items := s.BelowScale
		if above {
			items = s.AboveScale
		}
		var group []PerMuResult
		var firms []PerMuInput
		for _, in := range inputs {
			if in.AboveScale != above {
				continue
			}
			if slices.Contains(s.ExemptSections, in.Section) {
				out = append(out, PerMuResult{EnterpriseID: in.EnterpriseID, AboveScale: above, Exempt: true, Class: s.ExemptClass})
				continue
			}
			firms = append(firms, in)
			group = append(group, PerMuResult{EnterpriseID: in.EnterpriseID, AboveScale: above, Items: make([]PerMuItemResult, len(items))})
		}
		for k, it := range items {
			bench := it.Benchmark.Rat()
			sum, n := new(big.Rat), 0
			for i, f := range firms {
				v := perMuValue(it.Indicator, f.Figures)
				group[i].Items[k] = PerMuItemResult{Indicator: it.Indicator, Value: v, Missing: v == nil}
				if v != nil {
					sum.Add(sum, v)
					n++
				}
			}
			if it.Benchmark.Sign() == 0 {
				bench = nil
				if n > 0 {
					bench = sum.Quo(sum, big.NewRat(int64(n), 1))
				}
			}
			// Points of the firms that have the indicator, then their average for the rest.
			pts, have := new(big.Rat), 0
			for i := range group {
				r := &group[i].Items[k]
				r.Benchmark = bench
				if r.Missing || bench == nil || bench.Sign() == 0 {
					continue
				}
				r.Points = new(big.Rat).Mul(it.Weight.Rat(), new(big.Rat).Quo(r.Value, bench))
				pts.Add(pts, r.Points)
				have++
			}
			avg := new(big.Rat)
			if have > 0 {
				avg.Quo(pts, big.NewRat(int64(have), 1))
			}
			for i := range group {
				if r := &group[i].Items[k]; r.Points == nil {
					r.Points, r.Missing = new(big.Rat).Set(avg), true
				}
			}
		}
		for i := range group {
			score := new(big.Rat)
			for _, r := range group[i].Items {
				score.Add(score, r.Points)
			}
			group[i].Score = score
		}
		classify(group, s.Shares)
		out = append(out, group...)
	}
	return out
}

// classify ranks a group by score, best first (ties share the best position), and gives
// each the class whose cumulative share its position falls in: position p of n is in
// class A when p ≤ n × A%, in B when p ≤ n × (A+B)%, and so on.
func classify(group []PerMuResult, shares [4]int64) {
	sort.SliceStable(group, func(i, j int) bool { return group[i].Score.Cmp(group[j].Score) > 0 })
	n := len(group)
	for i := range group {
		rank := i + 1
		if i > 0 && group[i].Score.Cmp(group[i-1].Score) == 0 {
			rank = group[i-1].Rank
		}
		group[i].Rank, group[i].Of = rank, n
		var cum int64
		group[i].Class = "D"
		for c, share := range shares {
			cum += share
			if int64(rank)*100 <= int64(n)*cum {
				group[i].Class = string(rune('A' + c))
				break
			}
		}
	}
}
