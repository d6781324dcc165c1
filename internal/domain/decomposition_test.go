package domain

import "testing"

func TestCheckDecomposition(t *testing.T) {
	d := func(s string) Dec {
		v, err := ParseDec(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	city := &Unit{ID: 1, Kind: UnitCity, Active: true}
	a := &Unit{ID: 2, Kind: UnitCounty, ParentID: 1, Assessed: true, Active: true}
	b := &Unit{ID: 3, Kind: UnitCounty, ParentID: 1, Assessed: true, Active: true}
	notAssessed := &Unit{ID: 4, Kind: UnitCounty, ParentID: 1, Active: true}
	park := &Unit{ID: 5, Kind: UnitPark, ParentID: 2, Assessed: true, Active: true}
	retired := &Unit{ID: 6, Kind: UnitCounty, ParentID: 1, Assessed: true}
	units := []*Unit{city, a, b, notAssessed, park, retired}

	count := &Indicator{ID: 10, Measure: "个"}
	money := &Indicator{ID: 11, Measure: "亿元"}
	rate := &Indicator{ID: 12, Measure: "%"}
	noCity := &Indicator{ID: 13, Measure: "户"}
	big := &Indicator{ID: 14, Measure: "万元"}
	indicators := []*Indicator{count, money, rate, noCity, big}

	targets := []Target{
		// 100 asked of the city; the counties hold 40 + 50, the park's 30 and the
		// unassessed and retired counties' must not make up the difference.
		{UnitID: 1, IndicatorID: 10, Base: d("100")},
		{UnitID: 2, IndicatorID: 10, Base: d("40")},
		{UnitID: 3, IndicatorID: 10, Base: d("50")},
		{UnitID: 4, IndicatorID: 10, Base: d("20")},
		{UnitID: 5, IndicatorID: 10, Base: d("30")},
		{UnitID: 6, IndicatorID: 10, Base: d("20")},
		// Exactly covered, in decimals; one county has no target.
		{UnitID: 1, IndicatorID: 11, Base: d("40.5")},
		{UnitID: 2, IndicatorID: 11, Base: d("40.5")},
		// Rates are not additive.
		{UnitID: 1, IndicatorID: 12, Base: d("8")},
		{UnitID: 2, IndicatorID: 12, Base: d("1")},
		// Only counties, no city target: nothing to check.
		{UnitID: 2, IndicatorID: 13, Base: d("5")},
		// A sum beyond the range saturates instead of wrapping round to a negative.
		{UnitID: 1, IndicatorID: 14, Base: d("1")},
		{UnitID: 2, IndicatorID: 14, Base: MaxDec},
		{UnitID: 3, IndicatorID: 14, Base: MaxDec},
	}
	got := CheckDecomposition(indicators, units, targets)
	want := []Decomposition{
		{IndicatorID: 10, City: d("100"), Sum: d("90"), Counted: 2, Short: true},
		{IndicatorID: 11, City: d("40.5"), Sum: d("40.5"), Counted: 1, Missing: 1},
		{IndicatorID: 14, City: d("1"), Sum: MaxDec, Counted: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d checks %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("check %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	if got := CheckDecomposition(indicators, []*Unit{a, b}, targets); got != nil {
		t.Errorf("without a city unit: %+v, want nil", got)
	}
}
