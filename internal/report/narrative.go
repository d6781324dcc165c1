package report

import (
	"math/big"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

// Narrative is the bulletin's opening paragraph, written from the headline indicators'
// tables: the city's figure, its completion of the base target against time progress,
// and the leading and lagging units (ties named together). Rates are half-up to one
// decimal; money is shown in 亿元 at the indicator's decimals.
func Narrative(month int, headline []domain.ProgressTable) string {
	if len(headline) == 0 {
		return ""
	}
	clauses := make([]string, 0, len(headline))
	for _, t := range headline {
		clauses = append(clauses, indicatorClause(t))
	}
	return "截至" + strconv.Itoa(month) + "月底，全市" + strings.Join(clauses, "；") + "。"
}

func indicatorClause(t domain.ProgressTable) string {
	ind := t.Indicator
	r := t.City
	if r.Actual == nil {
		return ind.Name + "暂无数据"
	}
	var b strings.Builder
	b.WriteString(ind.Name)
	b.WriteString(amountText(ind, r.Actual))
	if r.CompletionBase == nil {
		b.WriteString("，未下达有效基础目标，完成率为“—”")
	} else {
		b.WriteString("，完成年度基础目标的" + domain.FormatPercent(r.CompletionBase, 1) + "%，")
		b.WriteString(gapText(r.Gap))
	}
	if s := leadersText(t); s != "" {
		b.WriteString("，" + s)
	}
	return b.String()
}

// amountText is the figure with its measure: "87户", "1234.5亿元" (万元 become 亿元),
// "为8.5%" for a percentage.
func amountText(ind *domain.Indicator, v *big.Rat) string {
	switch ind.Measure {
	case "%":
		return "为" + domain.RoundHalfUp(v, ind.Decimals) + "%"
	case "万元":
		return domain.RoundHalfUp(new(big.Rat).Quo(v, big.NewRat(10000, 1)), ind.Decimals) + "亿元"
	}
	return domain.RoundHalfUp(v, ind.Decimals) + ind.Measure
}

// gapText reads the gap as displayed, so the words agree with the rounded figure.
func gapText(gap *big.Rat) string {
	s := domain.FormatPoints(gap, 1)
	switch {
	case strings.HasPrefix(s, "+"):
		return "超时间进度" + s[1:] + "个百分点"
	case strings.HasPrefix(s, "-"):
		return "落后时间进度" + s[1:] + "个百分点"
	}
	return "与时间进度持平"
}

// leadersText names the units ranked first and last: "从完成进度看，甲区、乙县并列第一，丙县居末位".
// Nothing is said with fewer than two ranked units, and no last place when all tie.
func leadersText(t domain.ProgressTable) string {
	var first, last []string
	lastRank, ranked := 0, 0
	for _, r := range t.Rows {
		if r.Rank <= 0 {
			continue
		}
		ranked++
		lastRank = max(lastRank, r.Rank)
	}
	if ranked < 2 {
		return ""
	}
	for _, r := range t.Rows {
		switch r.Rank {
		case 1:
			first = append(first, r.Unit.Name)
		case lastRank:
			last = append(last, r.Unit.Name)
		}
	}
	what := "从完成进度看，"
	if t.RankedBy == "value" {
		what = "从总量看，"
	}
	s := what + place(first, "第一")
	if lastRank > 1 {
		s += "，" + place(last, "末位")
	}
	return s
}

func place(names []string, where string) string {
	if len(names) > 1 {
		return strings.Join(names, "、") + "并列" + where
	}
	return names[0] + "居" + where
}
