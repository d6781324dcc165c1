package report

import (
	"math/big"
	"testing"

	"beizeng/internal/domain"
)

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func unit(id int64, name string) *domain.Unit {
	return &domain.Unit{ID: id, Code: name, Name: name, Kind: domain.UnitCounty}
}

// table is a headline table with the city's row and units ranked as given.
func table(name, measure string, decimals int, actual, completion, timeProgress string, ranks ...int) domain.ProgressTable {
	ind := &domain.Indicator{Name: name, Measure: measure, Decimals: decimals, Headline: true, HigherIsBetter: true}
	t := domain.ProgressTable{Indicator: ind, RankedBy: "completion", TimeProgress: rat(timeProgress)}
	t.City = domain.ProgressRow{Unit: unit(1, "市")}
	if actual != "" {
		t.City.Actual = rat(actual)
	}
	if completion != "" {
		t.City.CompletionBase = rat(completion)
		t.City.Gap = domain.Gap(t.City.CompletionBase, t.TimeProgress)
	}
	names := []string{"甲区", "乙县", "丙县", "丁区"}
	counts := map[int]int{}
	for _, r := range ranks {
		counts[r]++
	}
	for i, r := range ranks {
		t.Rows = append(t.Rows, domain.ProgressRow{Unit: unit(int64(i+2), names[i]), Rank: r, Tied: counts[r] > 1})
	}
	return t
}

func TestNarrative(t *testing.T) {
	cases := []struct {
		name   string
		month  int
		tables []domain.ProgressTable
		want   string
	}{
		{"ahead, one leader", 10, []domain.ProgressTable{table("新增规上工业企业", "户", 0, "87", "0.87", "10/12", 1, 2, 3)},
			"截至10月底，全市新增规上工业企业87户，完成年度基础目标的87.0%，超时间进度3.7个百分点，从完成进度看，甲区居第一，丙县居末位。"},
		{"tied first and last", 10, []domain.ProgressTable{table("新增规上工业企业", "户", 0, "87", "0.87", "10/12", 1, 1, 3, 3)},
			"截至10月底，全市新增规上工业企业87户，完成年度基础目标的87.0%，超时间进度3.7个百分点，从完成进度看，甲区、乙县并列第一，丙县、丁区并列末位。"},
		{"all tied: no last place", 6, []domain.ProgressTable{table("签约项目", "个", 0, "12", "0.5", "6/12", 1, 1)},
			"截至6月底，全市签约项目12个，完成年度基础目标的50.0%，与时间进度持平，从完成进度看，甲区、乙县并列第一。"},
		{"behind, money in 亿元 from 万元", 10, []domain.ProgressTable{table("工业营业收入", "万元", 1, "12345678", "0.7", "10/12", 2, 1)},
			"截至10月底，全市工业营业收入1234.6亿元，完成年度基础目标的70.0%，落后时间进度13.3个百分点，从完成进度看，乙县居第一，甲区居末位。"},
		{"target ≤ 0 shows —", 3, []domain.ProgressTable{table("工业固定资产投资", "亿元", 1, "45.25", "", "3/12")},
			"截至3月底，全市工业固定资产投资45.3亿元，未下达有效基础目标，完成率为“—”。"},
		{"no figure; gap from unrounded values", 10, []domain.ProgressTable{
			table("到位资金", "亿元", 1, "", "", "10/12"),
			// 629.0 of 647.4 against 10/12 is +13.825 points: shown +13.8, not +13.9 (DOMAIN.md §2).
			table("工业营业收入", "亿元", 1, "629.0", "6290/6474", "10/12", 1)},
			"截至10月底，全市到位资金暂无数据；工业营业收入629.0亿元，完成年度基础目标的97.2%，超时间进度13.8个百分点。"},
		{"percentage measure", 10, []domain.ProgressTable{table("工业增加值增速", "%", 1, "8.55", "1.05", "10/12")},
			"截至10月底，全市工业增加值增速为8.6%，完成年度基础目标的105.0%，超时间进度21.7个百分点。"},
		{"nothing headline", 10, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Narrative(tc.month, tc.tables); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestNarrativeRanksByValueWithoutTargets(t *testing.T) {
	tb := table("签约项目", "个", 0, "12", "", "10/12", 1, 2)
	tb.RankedBy = "value"
	want := "截至10月底，全市签约项目12个，未下达有效基础目标，完成率为“—”，从总量看，甲区居第一，乙县居末位。"
	if got := Narrative(10, []domain.ProgressTable{tb}); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
