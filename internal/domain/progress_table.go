package domain

import (
	"math/big"
	"slices"
)

// CellKey names one unit's figure for one indicator.
type CellKey struct {
	UnitID, IndicatorID int64
}

// ProgressInput is everything one period's progress is computed from: the approved
// figures of this period and of the same month last year, and the year's targets.
type ProgressInput struct {
	Year, Month  int
	TimeProgress *big.Rat
	YellowWithin *big.Rat
	Indicators   []*Indicator
	City         *Unit   // the city row: its own figures, or the counties' sum
	Units        []*Unit // assessed units, ranked against each other
	Actual       map[CellKey]Dec
	LastYear     map[CellKey]Dec
	Targets      map[CellKey]*Target
	// Phased replaces TimeProgress for indicators with a phased schedule this year.
	Phased map[int64]*big.Rat
	// Scope, when set, keeps only the units of that kind as rows (see InScope).
	Scope UnitKind
}

// ProgressRow is one unit's line in an indicator's table. Nil rationals show NoValue.
type ProgressRow struct {
	Unit              *Unit
	Summed            bool // the city's figure is the sum of its counties
	Actual            *big.Rat
	Base, Stretch     *big.Rat
	CompletionBase    *big.Rat
	CompletionStretch *big.Rat
	Gap               *big.Rat // against the base target, in fractions (×100 for points)
	Colour            Colour
	Rank              int
	Tied              bool
	YearOnYear        *big.Rat
}

// ProgressTable is one indicator's table: the city first, then the assessed units.
type ProgressTable struct {
	Indicator *Indicator
	// TimeProgress is what completion is compared with: the period's share of the year,
	// or the indicator's phased schedule (Phased).
	TimeProgress *big.Rat
	Phased       bool
	// WholeTarget marks a rate or point-in-time indicator, compared with its whole target
	// (time progress 100%) in every month.
	WholeTarget bool
	City        ProgressRow
	Rows        []ProgressRow
	// RankedBy says what the ranks compare: completion of the base target, or the
	// actual value where no unit has a target.
	RankedBy string
}

// Scopes are the groups of units a progress table may rank against each other.
var Scopes = []struct{ Key, Label string }{{"all", "全部考核单位"}, {"county", "县（市、区）"}, {"park", "园区"}}

// InScope limits the rows to a scope's units: "county", "park", or anything else for
// all. Ranks are then among those units only; the city's figure is unchanged, since as a
// sum it needs every county.
func (in ProgressInput) InScope(scope string) ProgressInput {
	if scope == string(UnitCounty) || scope == string(UnitPark) {
		in.Scope = UnitKind(scope)
	}
	return in
}

// BuildProgress computes every indicator's table for the period.
func BuildProgress(in ProgressInput) []ProgressTable {
	yellow := in.YellowWithin
	if yellow == nil {
		yellow = DefaultYellowWithin
	}
	byID := map[int64]*Indicator{}
	for _, ind := range in.Indicators {
		byID[ind.ID] = ind
	}
	tables := make([]ProgressTable, 0, len(in.Indicators))
	for _, ind := range in.Indicators {
		value := func(figures map[CellKey]Dec, u *Unit, city bool) (*big.Rat, bool) {
			return indicatorValue(ind, byID, figures, u, in.Units, city)
		}
		t := ProgressTable{Indicator: ind, TimeProgress: in.TimeProgress}
		switch ph := in.Phased[ind.ID]; {
		case ph != nil:
			t.TimeProgress, t.Phased = ph, true
		case ind.Accumulation == PointInTime || ind.Kind == KindRatio:
			// A rate or a state (增速, 开工率) is not built up month by month: in any month
			// it is judged against its whole target, so time progress is 100%.
			t.TimeProgress, t.WholeTarget = big.NewRat(1, 1), true
		}
		row := func(u *Unit, city bool) ProgressRow {
			r := ProgressRow{Unit: u}
			r.Actual, r.Summed = value(in.Actual, u, city)
			if last, _ := value(in.LastYear, u, city); last != nil && last.Sign() > 0 && r.Actual != nil {
				r.YearOnYear = new(big.Rat).Sub(new(big.Rat).Quo(r.Actual, last), big.NewRat(1, 1))
			}
			if tg := in.Targets[CellKey{u.ID, ind.ID}]; tg != nil {
				r.Base = tg.Base.Rat()
				if tg.Stretch != nil {
					r.Stretch = tg.Stretch.Rat()
				}
			}
			r.CompletionBase = completionRat(r.Actual, r.Base, ind.HigherIsBetter)
			r.CompletionStretch = completionRat(r.Actual, r.Stretch, ind.HigherIsBetter)
			r.Gap = Gap(r.CompletionBase, t.TimeProgress)
			r.Colour = StatusColour(r.CompletionBase, t.TimeProgress, r.CompletionBase != nil, yellow)
			return r
		}
		if in.City != nil {
			t.City = row(in.City, true)
		}
		for _, u := range in.Units {
			if in.Scope == "" || u.Kind == in.Scope {
				t.Rows = append(t.Rows, row(u, false))
			}
		}
		rankRows(&t)
		tables = append(tables, t)
	}
	return tables
}

// CityValue is the city's figure for an indicator: its own, or its counties' sum (see
// indicatorValue). The trend chart needs it month by month.
func CityValue(ind *Indicator, catalogue []*Indicator, figures map[CellKey]Dec, city *Unit, units []*Unit) *big.Rat {
	byID := map[int64]*Indicator{}
	for _, i := range catalogue {
		byID[i.ID] = i
	}
	v, _ := indicatorValue(ind, byID, figures, city, units, true)
	return v
}

// rankRows ranks by completion of the base target when any unit has one, else by value.
func rankRows(t *ProgressTable) {
	byCompletion := slices.ContainsFunc(t.Rows, func(r ProgressRow) bool { return r.CompletionBase != nil })
	values := make([]*big.Rat, len(t.Rows))
	higher := true
	for i, r := range t.Rows {
		if byCompletion {
			values[i] = r.CompletionBase
		} else {
			values[i] = r.Actual
			higher = t.Indicator.HigherIsBetter
		}
	}
	t.RankedBy = "completion"
	if !byCompletion {
		t.RankedBy = "value"
	}
	ranks, tied := Ranks(values, higher)
	for i := range t.Rows {
		t.Rows[i].Rank, t.Rows[i].Tied = ranks[i], tied[i]
	}
}

// completionRat is Completion over rationals: a ratio indicator's actual is not a Dec.
func completionRat(actual, target *big.Rat, higherIsBetter bool) *big.Rat {
	if actual == nil || target == nil || target.Sign() <= 0 {
		return nil
	}
	if higherIsBetter {
		return new(big.Rat).Quo(actual, target)
	}
	if actual.Sign() <= 0 {
		return nil
	}
	return new(big.Rat).Quo(target, actual)
}

// indicatorValue is a unit's figure for an indicator. A ratio divides its parts (×100
// for a % measure). The city's figure is its own when it reported one; otherwise the sum
// of its county-level units (parks sit inside counties, so they are not added again),
// except for % measures, which do not add up.
func indicatorValue(ind *Indicator, byID map[int64]*Indicator, figures map[CellKey]Dec, u *Unit, units []*Unit, city bool) (*big.Rat, bool) {
	if ind.Kind == KindRatio {
		num, den := byID[ind.NumeratorID], byID[ind.DenominatorID]
		if num == nil || den == nil {
			return nil, false
		}
		n, s1 := indicatorValue(num, byID, figures, u, units, city)
		d, s2 := indicatorValue(den, byID, figures, u, units, city)
		return ind.RatioValue(n, d), s1 || s2
	}
	if v, ok := figures[CellKey{u.ID, ind.ID}]; ok {
		return v.Rat(), false
	}
	if !city || ind.Measure == "%" {
		return nil, false
	}
	sum, any := new(big.Rat), false
	for _, c := range units {
		if c.Kind != UnitCounty {
			continue
		}
		if v, ok := figures[CellKey{c.ID, ind.ID}]; ok {
			sum.Add(sum, v.Rat())
			any = true
		}
	}
	if !any {
		return nil, false
	}
	return sum, true
}
