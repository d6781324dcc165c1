package domain

import (
	"fmt"
	"math/big"
)

// Thresholds5020 are the investment thresholds that flag a project as a *candidate* for
// provincial 5020 certification (DOMAIN.md §3). The official thresholds are unconfirmed
// (readings differ), so they are configuration; certification itself is the
// Cert5020 status.
type Thresholds5020 struct {
	DomesticYuan int64 `json:"domestic_yuan"` // domestic capital: contract investment ≥ this many yuan
	ForeignUSD   int64 `json:"foreign_usd"`   // foreign / HK-Macao-Taiwan capital: ≥ this many US dollars
	// USDRate is yuan per US dollar, used to convert a foreign project's contract
	// investment when it is not denominated in USD.
	USDRate Dec `json:"usd_rate"`
	// ClassName and Confirmed say which city class the thresholds are and whether
	// the province confirmed them (see Rules5020); the reason text names them.
	ClassName string `json:"-"`
	Confirmed bool   `json:"-"`
}

// CityClass5020 is one city class's candidate thresholds. Readings of the provincial
// rules differ (DOMAIN.md §3: domestic ≥50亿 or ≥20亿, foreign some hundred million
// USD, lower for small cities), so every class is configuration, marked unconfirmed
// until a coordinator confirms it.
type CityClass5020 struct {
	Key          string `json:"key"`
	Name         string `json:"name"`
	DomesticYuan int64  `json:"domestic_yuan"`
	ForeignUSD   int64  `json:"foreign_usd"`
	Confirmed    bool   `json:"confirmed"`
}

// Rules5020 are the candidate thresholds of each city class and the class this city is.
type Rules5020 struct {
	CityClass string          `json:"city_class"`
	Classes   []CityClass5020 `json:"classes"`
	USDRate   Dec             `json:"usd_rate"` // yuan per US dollar
}

// DefaultRules5020: a large or medium city at 50亿元 / 3亿美元, a small city at 20亿元 /
// 1亿美元, 7.1 yuan per dollar; this city a large or medium one; nothing confirmed.
var DefaultRules5020 = Rules5020{CityClass: "large", USDRate: Dec(71000), Classes: []CityClass5020{
	{Key: "large", Name: "大中城市", DomesticYuan: 5_000_000_000, ForeignUSD: 300_000_000},
	{Key: "small", Name: "小城市", DomesticYuan: 2_000_000_000, ForeignUSD: 100_000_000},
}}

// Validate checks every class's thresholds, the rate, and that the city's class exists.
func (r Rules5020) Validate() error {
	p := Problems{}
	found := false
	for _, c := range r.Classes {
		found = found || c.Key == r.CityClass
		if c.DomesticYuan <= 0 {
			p.Add("candidate_domestic_"+c.Key, c.Name+"内资门槛应大于0。")
		}
		if c.ForeignUSD <= 0 {
			p.Add("candidate_foreign_"+c.Key, c.Name+"外资门槛应大于0。")
		}
	}
	if !found {
		p.Add("city_class", "请选择本市的城市类别。")
	}
	if r.USDRate <= 0 {
		p.Add("candidate_usd_rate", "美元汇率应大于0。")
	}
	return p.Err()
}

// Thresholds are the chosen class's thresholds (the first class's when the choice is
// unknown, which Validate refuses).
func (r Rules5020) Thresholds() Thresholds5020 {
	t := Thresholds5020{USDRate: r.USDRate}
	for i, c := range r.Classes {
		if i == 0 || c.Key == r.CityClass {
			t.DomesticYuan, t.ForeignUSD, t.ClassName, t.Confirmed = c.DomesticYuan, c.ForeignUSD, c.Name, c.Confirmed
		}
	}
	return t
}

// DefaultThresholds5020 are the default class's: domestic ≥ 50亿元, foreign ≥ 3亿美元 at
// 7.1 yuan per dollar.
var DefaultThresholds5020 = DefaultRules5020.Thresholds()

// Validate refuses non-positive thresholds and rates.
func (t Thresholds5020) Validate() error {
	p := Problems{}
	if t.DomesticYuan <= 0 {
		p.Add("candidate_domestic", "内资门槛应大于0。")
	}
	if t.ForeignUSD <= 0 {
		p.Add("candidate_foreign", "外资门槛应大于0。")
	}
	if t.USDRate <= 0 {
		p.Add("candidate_usd_rate", "美元汇率应大于0。")
	}
	return p.Err()
}

// ForeignYuan is the foreign threshold in yuan at USDRate, rounded up: a non-USD foreign
// project is a candidate when its contract investment (yuan) reaches it.
func (t Thresholds5020) ForeignYuan() int64 {
	r := new(big.Rat).Mul(big.NewRat(t.ForeignUSD, 1), t.USDRate.Rat())
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// Candidate5020 reports whether a live project reaches the 5020 thresholds, and why (or
// why not). Domestic projects compare contract investment in yuan; foreign and
// HK/Macao/Taiwan projects compare the original amount when the currency is USD, else
// the yuan amount converted at the thresholds' USD rate. Terminated projects are never
// candidates.
func Candidate5020(p *Project, t Thresholds5020) (bool, string) {
	if p.Stage == "terminated" {
		return false, "项目已终止"
	}
	ok, why := candidate5020(p, t)
	if t.ClassName != "" {
		state := "未经确认"
		if t.Confirmed {
			state = "已确认"
		}
		why += "（" + t.ClassName + "门槛，" + state + "）"
	}
	return ok, why
}

func candidate5020(p *Project, t Thresholds5020) (bool, string) {
	foreign := p.ForeignCapital || (p.CapitalSource != "" && p.CapitalSource != "domestic")
	if !foreign {
		ok := p.ContractInvestment >= t.DomesticYuan
		return ok, fmt.Sprintf("内资项目合同投资%s亿元，%s门槛%s亿元", YiYuan(p.ContractInvestment), cmpWord(ok), YiYuan(t.DomesticYuan))
	}
	if p.Currency == "USD" {
		ok := p.ContractInvestmentOrig >= t.ForeignUSD
		return ok, fmt.Sprintf("外资项目合同投资%s亿美元，%s门槛%s亿美元", YiYuan(p.ContractInvestmentOrig), cmpWord(ok), YiYuan(t.ForeignUSD))
	}
	ok := p.ContractInvestment >= t.ForeignYuan()
	return ok, fmt.Sprintf("外资项目合同投资%s亿元（按%s元/美元折算），%s门槛%s亿美元", YiYuan(p.ContractInvestment), t.USDRate.String(), cmpWord(ok), YiYuan(t.ForeignUSD))
}

func cmpWord(ok bool) string {
	if ok {
		return "达到"
	}
	return "未达"
}
