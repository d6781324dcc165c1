package domain

// Decomposition compares the city's base target on one indicator with what its assessed
// counties were given: when the counties' targets add up to less than the city's, the
// city's goal cannot be met even if every county meets its own.
type Decomposition struct {
	IndicatorID int64
	City        Dec  // the city's base target
	Sum         Dec  // the assessed counties' base targets added up
	Counted     int  // assessed counties with a base target
	Missing     int  // assessed counties without one (they count as zero)
	Short       bool // Sum < City
}

// CheckDecomposition returns, in the order of indicators, one Decomposition for each
// indicator that has a base target for the city unit. Only active, assessed county-kind
// units are added up: parks sit inside counties, so adding theirs would count twice.
// Indicators measured in % are skipped, since rates do not add up. The city is the first
// active unit of kind city in units.
func CheckDecomposition(indicators []*Indicator, units []*Unit, targets []Target) []Decomposition {
	var city *Unit
	var counties []*Unit
	for _, u := range units {
		switch {
		case !u.Active:
		case u.Kind == UnitCity && city == nil:
			city = u
		case u.Kind == UnitCounty && u.Assessed:
			counties = append(counties, u)
		}
	}
	if city == nil {
		return nil
	}
	type key struct{ unit, indicator int64 }
	base := make(map[key]Dec, len(targets))
	for _, t := range targets {
		base[key{t.UnitID, t.IndicatorID}] = t.Base
	}
	var out []Decomposition
	for _, ind := range indicators {
		cityBase, ok := base[key{city.ID, ind.ID}]
		if !ok || ind.Measure == "%" {
			continue
		}
		d := Decomposition{IndicatorID: ind.ID, City: cityBase}
		for _, c := range counties {
			v, ok := base[key{c.ID, ind.ID}]
			if !ok {
				d.Missing++
				continue
			}
			d.Counted++
			d.Sum = saturatingAdd(d.Sum, v)
		}
		d.Short = d.Sum < d.City
		out = append(out, d)
	}
	return out
}

// saturatingAdd adds, pinning the result at the range's ends: a sum beyond the range is
// still correctly above (or below) any single target it is compared with.
func saturatingAdd(a, b Dec) Dec {
	if s, ok := a.AddChecked(b); ok {
		return s
	}
	if b > 0 {
		return MaxDec
	}
	return MinDec
}
