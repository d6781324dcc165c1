package domain

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// QualityScheme is the transparent project quality score: each item earns points up to
// its cap, and the total is capped. Benchmarks are in 万元 per 亩.
type QualityScheme struct {
	IntensityBenchmark Dec `json:"intensity_benchmark"` // fixed investment per 亩, 万元, city-wide
	// ParkIntensity are parks' own intensity benchmarks (万元/亩) by park unit id: a
	// project in a park is measured against its park's, others against the city-wide one.
	ParkIntensity   map[int64]Dec  `json:"park_intensity,omitempty"`
	IntensityPoints Dec            `json:"intensity_points"` // points at or above the benchmark
	TaxBenchmark    Dec            `json:"tax_benchmark"`    // expected tax per 亩, 万元
	TaxPoints       Dec            `json:"tax_points"`
	TagPoints       map[string]Dec `json:"tag_points"`
	TagCap          Dec            `json:"tag_cap"`
	ForeignPoints   Dec            `json:"foreign_points"`
	ChainPoints     Dec            `json:"chain_points"`
	CertifiedPoints Dec            `json:"certified_points"` // 5020 certified
	AppliedPoints   Dec            `json:"applied_points"`   // 5020 applied
	TotalCap        Dec            `json:"total_cap"`
}

// DefaultQualityScheme: intensity 40 and tax 25 points at the benchmarks (300 and 30
// 万元/亩), investor tags up to 15, foreign capital 5, chain fit 5, 5020 up to 10; 100 in all.
var DefaultQualityScheme = QualityScheme{
	IntensityBenchmark: DecFromInt(300), IntensityPoints: DecFromInt(40),
	TaxBenchmark: DecFromInt(30), TaxPoints: DecFromInt(25),
	TagPoints: map[string]Dec{"世界500强": DecFromInt(10), "中国500强": DecFromInt(6), "民营500强": DecFromInt(5),
		"上市公司": DecFromInt(4), "行业龙头": DecFromInt(4)},
	TagCap:        DecFromInt(15),
	ForeignPoints: DecFromInt(5), ChainPoints: DecFromInt(5),
	CertifiedPoints: DecFromInt(10), AppliedPoints: DecFromInt(5),
	TotalCap: DecFromInt(100),
}

// Validate refuses negative points and benchmarks.
func (s QualityScheme) Validate() error {
	p := Problems{}
	for field, d := range map[string]Dec{"intensity_benchmark": s.IntensityBenchmark, "intensity_points": s.IntensityPoints,
		"tax_benchmark": s.TaxBenchmark, "tax_points": s.TaxPoints, "tag_cap": s.TagCap, "foreign_points": s.ForeignPoints,
		"chain_points": s.ChainPoints, "certified_points": s.CertifiedPoints, "applied_points": s.AppliedPoints, "total_cap": s.TotalCap} {
		if d < 0 || d > DecFromInt(1000) {
			p.Add(field, "应在0到1000之间。")
		}
	}
	for _, d := range s.ParkIntensity {
		if d <= 0 || d > DecFromInt(100000) {
			p.Add("park_intensity", "园区投资强度基准应大于0、不超过100000万元/亩；留空表示采用全市基准。")
		}
	}
	for tag, d := range s.TagPoints {
		if d < 0 || d > DecFromInt(1000) || strings.TrimSpace(tag) == "" {
			p.Add("tag_points", "标签分值应在0到1000之间，标签不能为空。")
		}
	}
	return p.Err()
}

// QualityFacts are the fields of a project the score looks at.
type QualityFacts struct {
	ParkID          int64  // 0 when the project is not in a park
	ParkName        string // for the explanation
	FixedInvestment int64  // whole yuan
	ExpectedTax     int64  // whole yuan a year at full production
	LandMu          Dec
	Tags            []string
	Foreign         bool // foreign or HK/Macao/Taiwan capital
	Chain           string
	Cert5020        string // none, applied, certified, rejected
}

// ScoreItem is one line of the breakdown.
type ScoreItem struct {
	Name        string `json:"name"`
	Points      Dec    `json:"points"`
	Cap         Dec    `json:"cap"`
	Explanation string `json:"explanation"`
}

// perMu is yuan ÷ 亩 in 万元/亩; land is a Dec (亩 × 10⁴), so yuan ÷ raw land is exact 万元/亩.
func perMu(yuan int64, land Dec) *big.Rat {
	if land <= 0 {
		return nil
	}
	return new(big.Rat).SetFrac64(yuan, int64(land))
}

// IntensityBenchmarkFor is the intensity benchmark a project in the park is measured
// against, and whose it is: the park's own when set, else the city-wide one.
func (s QualityScheme) IntensityBenchmarkFor(parkID int64, parkName string) (Dec, string) {
	if b, ok := s.ParkIntensity[parkID]; ok && parkID != 0 {
		return b, parkName + "基准"
	}
	return s.IntensityBenchmark, "全市基准"
}

// benchmarkItem gives points × min(value ÷ benchmark, 1); whose names the benchmark.
func benchmarkItem(name, what string, value *big.Rat, benchmark, points Dec, whose string) ScoreItem {
	it := ScoreItem{Name: name, Cap: points}
	switch {
	case value == nil:
		it.Explanation = "无用地面积，不计分"
	case benchmark <= 0:
		it.Explanation = "未设基准值，不计分"
	default:
		share := new(big.Rat).Quo(value, benchmark.Rat())
		if share.Cmp(big.NewRat(1, 1)) > 0 {
			share.SetInt64(1)
		}
		it.Points, _ = DecFromRat(new(big.Rat).Mul(share, points.Rat()))
		it.Explanation = fmt.Sprintf("%s%s万元/亩，%s%s万元/亩，得分=%s×min(%s÷%s,1)",
			what, RoundHalfUp(value, 1), whose, benchmark.String(), points.String(), RoundHalfUp(value, 1), benchmark.String())
	}
	return it
}

func minDec(a, b Dec) Dec {
	if a < b {
		return a
	}
	return b
}

// QualityScore scores a project under the scheme: item caps first, then the total cap.
func QualityScore(f QualityFacts, s QualityScheme) (total Dec, items []ScoreItem) {
	intensity, whose := s.IntensityBenchmarkFor(f.ParkID, f.ParkName)
	items = append(items,
		benchmarkItem("投资强度", "固定资产投资", perMu(f.FixedInvestment, f.LandMu), intensity, s.IntensityPoints, whose),
		benchmarkItem("亩均税收", "预计亩均税收", perMu(f.ExpectedTax, f.LandMu), s.TaxBenchmark, s.TaxPoints, "基准"))

	tags := ScoreItem{Name: "投资方标签", Cap: s.TagCap, Explanation: "无加分标签"}
	var parts []string
	var sum Dec
	for _, tag := range slices.Sorted(slices.Values(f.Tags)) {
		if pts, ok := s.TagPoints[tag]; ok && pts > 0 {
			sum = sum.Add(pts)
			parts = append(parts, tag+"+"+pts.String())
		}
	}
	if len(parts) > 0 {
		tags.Points = minDec(sum, s.TagCap)
		tags.Explanation = strings.Join(parts, "，") + "（封顶" + s.TagCap.String() + "分）"
	}
	items = append(items, tags)

	foreign := ScoreItem{Name: "外资", Cap: s.ForeignPoints, Explanation: "内资"}
	if f.Foreign {
		foreign.Points, foreign.Explanation = s.ForeignPoints, "外资或港澳台资"
	}
	chain := ScoreItem{Name: "产业链契合", Cap: s.ChainPoints, Explanation: "未关联产业链"}
	if c := strings.TrimSpace(f.Chain); c != "" {
		chain.Points, chain.Explanation = s.ChainPoints, "属于"+c
	}
	cert := ScoreItem{Name: "5020项目", Cap: max(s.CertifiedPoints, s.AppliedPoints), Explanation: "未申报"}
	switch f.Cert5020 {
	case "certified":
		cert.Points, cert.Explanation = s.CertifiedPoints, "已认定"
	case "applied":
		cert.Points, cert.Explanation = s.AppliedPoints, "已申报"
	case "rejected":
		cert.Explanation = "未通过认定"
	}
	items = append(items, foreign, chain, cert)

	for _, it := range items {
		total = total.Add(it.Points)
	}
	return minDec(total, s.TotalCap), items
}
