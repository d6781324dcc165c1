package domain

import (
	"math/big"
	"strings"
	"time"
)

// Cohort is a frozen set of projects signed in a window: its members are recorded when it
// is created, so projects signed or re-dated later do not change it (DOMAIN.md §3).
type Cohort struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	SignedFrom string    `json:"signed_from"`
	SignedTo   string    `json:"signed_to"`
	FrozenAt   time.Time `json:"frozen_at"`
	Projects   int       `json:"projects"`
}

// Validate checks the name and the window.
func (c *Cohort) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	p := Problems{}
	if n := len([]rune(c.Name)); n == 0 || n > 64 {
		p.Add("name", "请填写批次名称（不超过64个字）。")
	}
	from, errFrom := time.Parse(time.DateOnly, c.SignedFrom)
	to, errTo := time.Parse(time.DateOnly, c.SignedTo)
	if errFrom != nil {
		p.Add("signed_from", "请填写签约起始日期（YYYY-MM-DD）。")
	}
	if errTo != nil {
		p.Add("signed_to", "请填写签约截止日期（YYYY-MM-DD）。")
	}
	if errFrom == nil && errTo == nil && to.Before(from) {
		p.Add("signed_to", "截止日期不能早于起始日期。")
	}
	return p.Err()
}

// PerformanceRule is the local definition of a project that performed (履约): by default
// started with funds in place of at least half the contract investment.
type PerformanceRule struct {
	RequireStarted bool `json:"require_started"`
	MinFundsRatio  Dec  `json:"min_funds_ratio"` // funds in place ÷ contract investment, e.g. 0.5
}

// DefaultPerformanceRule is "started and funds in place ≥ 50% of contract".
var DefaultPerformanceRule = PerformanceRule{RequireStarted: true, MinFundsRatio: 5000}

// Validate checks the ratio is between 0 and 1.
func (r PerformanceRule) Validate() error {
	if r.MinFundsRatio < 0 || r.MinFundsRatio > DecFromInt(1) {
		return Problems{"min_funds_ratio": "资金到位比例应在0到1之间。"}.Err()
	}
	return nil
}

// Describe says the rule in words, for the page.
func (r PerformanceRule) Describe() string {
	var parts []string
	if r.RequireStarted {
		parts = append(parts, "已开工")
	}
	if r.MinFundsRatio > 0 {
		parts = append(parts, "到位资金≥合同投资的"+FormatPercent(r.MinFundsRatio.Rat(), 1)+"%")
	}
	if len(parts) == 0 {
		return "已签约即视为履约"
	}
	return strings.Join(parts, "且")
}

// CohortCounts are one unit's counts and sums within a cohort.
type CohortCounts struct {
	UnitID       int64  `json:"unit_id"`
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	Signed       int64  `json:"signed"`
	Registered   int64  `json:"registered"`
	Started      int64  `json:"started"`
	InProduction int64  `json:"in_production"`
	Performed    int64  `json:"performed"`
	Contract     int64  `json:"contract_investment"` // whole yuan
	Funds        int64  `json:"funds_in_place"`      // whole yuan
}

// CohortRate is a unit's row: the counts and the rates they give, unrounded; a nil rate
// has no denominator and shows NoValue.
type CohortRate struct {
	CohortCounts
	Registration, Start, Production, FundsRate, Performance *big.Rat
	Rank                                                    int
	Tied                                                    bool
}

func ratio(num, den int64) *big.Rat {
	if den <= 0 {
		return nil
	}
	return new(big.Rat).SetFrac64(num, den)
}

// CohortRates turns counts into rates and ranks the units by start rate (competition
// ranking, ties 并列); units with nothing signed are unranked.
func CohortRates(counts []CohortCounts) []CohortRate {
	rows := make([]CohortRate, len(counts))
	starts := make([]*big.Rat, len(counts))
	for i, c := range counts {
		rows[i] = CohortRate{CohortCounts: c,
			Registration: ratio(c.Registered, c.Signed),
			Start:        ratio(c.Started, c.Signed),
			Production:   ratio(c.InProduction, c.Signed),
			FundsRate:    ratio(c.Funds, c.Contract),
			Performance:  ratio(c.Performed, c.Signed),
		}
		starts[i] = rows[i].Start
	}
	ranks, tied := Ranks(starts, true)
	for i := range rows {
		rows[i].Rank, rows[i].Tied = ranks[i], tied[i]
	}
	return rows
}

// CohortTotal sums the units' counts into one row for the whole cohort.
func CohortTotal(counts []CohortCounts) CohortCounts {
	t := CohortCounts{UnitName: "合计"}
	for _, c := range counts {
		t.Signed += c.Signed
		t.Registered += c.Registered
		t.Started += c.Started
		t.InProduction += c.InProduction
		t.Performed += c.Performed
		t.Contract += c.Contract
		t.Funds += c.Funds
	}
	return t
}
