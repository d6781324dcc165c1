package domain

import (
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"
)

// IndicatorKind says where an indicator's actual value comes from.
type IndicatorKind string

const (
	// Reported values are typed by each unit in its monthly report.
	KindReported IndicatorKind = "reported"
	// Derived values are computed from records by a declarative rule.
	KindDerived IndicatorKind = "derived"
	// Ratio values are one indicator's value divided by another's.
	KindRatio IndicatorKind = "ratio"
)

// Label is the kind's Chinese name.
func (k IndicatorKind) Label() string {
	switch k {
	case KindReported:
		return "填报"
	case KindDerived:
		return "自动统计"
	case KindRatio:
		return "比率"
	}
	return string(k)
}

// Accumulation says how monthly values relate to the year.
type Accumulation string

const (
	// Cumulative values are year-to-date: the report for October holds January–October.
	Cumulative Accumulation = "cumulative"
	// PointInTime values are a state at the month's end (e.g. a growth rate).
	PointInTime Accumulation = "point"
)

// Measures are the units of measure the catalogue offers.
var Measures = []string{"户", "个", "万元", "亿元", "%", "亩", "家", "项"}

// Indicator is one line of the campaign's catalogue.
type Indicator struct {
	ID             int64
	Code           string
	Name           string
	Measure        string
	Decimals       int // display decimals
	HigherIsBetter bool
	Kind           IndicatorKind
	Accumulation   Accumulation
	Rule           string // derived: the rule as JSON (DerivedRule)
	NumeratorID    int64  // ratio
	DenominatorID  int64  // ratio
	Headline       bool   // one of the city's headline indicators ("1234")
	SortOrder      int
	Active         bool
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

var indicatorCodePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{1,31}$`)

// Normalize trims typed fields.
func (i *Indicator) Normalize() {
	i.Code = strings.TrimSpace(i.Code)
	i.Name = strings.TrimSpace(i.Name)
	i.Measure = strings.TrimSpace(i.Measure)
	i.Rule = strings.TrimSpace(i.Rule)
	if i.Accumulation == "" {
		i.Accumulation = Cumulative
	}
}

// Validate checks the indicator's own fields; the store checks the ratio's references.
func (i *Indicator) Validate() error {
	p := Problems{}
	if !indicatorCodePattern.MatchString(i.Code) {
		p.Add("code", "编码为2至32位字母、数字或下划线，以字母开头，例如 new_above_scale。")
	}
	if n := len([]rune(i.Name)); n == 0 || n > 64 {
		p.Add("name", "请填写指标名称（不超过64个字）。")
	}
	if !slices.Contains(Measures, i.Measure) {
		p.Add("measure", "请选择计量单位。")
	}
	if i.Decimals < 0 || i.Decimals > 4 {
		p.Add("decimals", "显示小数位应为0至4。")
	}
	if i.SortOrder < 0 || i.SortOrder > 1_000_000 {
		p.Add("sort_order", "排序号应为0至1000000之间的整数。")
	}
	if i.Accumulation != Cumulative && i.Accumulation != PointInTime {
		p.Add("accumulation", "请选择累计或时点。")
	}
	switch i.Kind {
	case KindReported:
	case KindRatio:
		if i.NumeratorID == 0 || i.DenominatorID == 0 {
			p.Add("numerator_id", "比率指标需要选择分子和分母指标。")
		} else if i.NumeratorID == i.DenominatorID {
			p.Add("denominator_id", "分子和分母不能是同一个指标。")
		} else if i.ID != 0 && (i.NumeratorID == i.ID || i.DenominatorID == i.ID) {
			p.Add("numerator_id", "比率指标不能引用自身。")
		}
	case KindDerived:
		if _, err := ParseDerivedRule(i.Rule); err != nil {
			p.Add("rule", ErrorMessage(err))
		}
	default:
		p.Add("kind", "请选择指标类型。")
	}
	return p.Err()
}

// RatioValue is a ratio indicator's value from its parts: numerator ÷ denominator, ×100
// for a "%" measure. It is nil — shown as NoValue — when a part is missing or the
// denominator is zero.
func (i *Indicator) RatioValue(num, den *big.Rat) *big.Rat {
	if num == nil || den == nil || den.Sign() == 0 {
		return nil
	}
	r := new(big.Rat).Quo(num, den)
	if i.Measure == "%" {
		r.Mul(r, big.NewRat(100, 1))
	}
	return r
}
