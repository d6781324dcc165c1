package domain

import (
	"math/big"
	"strings"
)

// PublishedFigure is a figure as it was published for a unit, indicator and period.
type PublishedFigure struct {
	Year, Month         int
	UnitID, IndicatorID int64
	Figure              string // as printed: its decimals are its rounding
	Source              string // e.g. 2024年6月调度通报
}

// ValidatePublished checks a published figure is a number, optionally with a % sign.
func ValidatePublished(figure string) error {
	f := strings.TrimSpace(figure)
	f = strings.TrimSuffix(strings.TrimSuffix(f, "%"), "％")
	if _, err := ParseDec(f); err != nil {
		return err
	}
	return nil
}

// Reconciliation is one published figure beside the value the records give.
type Reconciliation struct {
	Published PublishedFigure
	Indicator *Indicator
	Unit      *Unit
	Computed  *big.Rat // nil when the records give no value
	// Shown is the computed value rounded as the published figure is.
	Shown   string
	Matches bool
}

// ReconcileFigure compares a published figure with the computed value of its indicator
// and shows the computed value rounded as the figure is. An indicator measured in % is
// already a percentage, so a "%" typed after its figure is only a sign; on any other
// indicator a "%" figure is a fraction shown ×100.
func ReconcileFigure(p PublishedFigure, ind *Indicator, computed *big.Rat) (shown string, matches bool) {
	fig := strings.TrimSpace(p.Figure)
	bare, percent := strings.CutSuffix(strings.ReplaceAll(fig, "％", "%"), "%")
	if ind.Measure == "%" {
		fig, percent = bare, false
	}
	decimals := 0
	if _, frac, ok := strings.Cut(bare, "."); ok {
		decimals = len(frac)
	}
	value := computed
	if percent && value != nil {
		value = new(big.Rat).Mul(value, big.NewRat(100, 1))
	}
	return RoundHalfUp(value, decimals), Reconcile(computed, fig, -1)
}

// ReconcileAll compares each published figure with the period's computed tables, the
// city row included. Figures of indicators or units not in the tables compare with no
// value and are flagged.
func ReconcileAll(tables []ProgressTable, published []PublishedFigure, units map[int64]*Unit) []Reconciliation {
	values := map[CellKey]*big.Rat{}
	inds := map[int64]*Indicator{}
	for _, t := range tables {
		inds[t.Indicator.ID] = t.Indicator
		if t.City.Unit != nil {
			values[CellKey{t.City.Unit.ID, t.Indicator.ID}] = t.City.Actual
		}
		for _, r := range t.Rows {
			values[CellKey{r.Unit.ID, t.Indicator.ID}] = r.Actual
		}
	}
	out := make([]Reconciliation, 0, len(published))
	for _, p := range published {
		ind := inds[p.IndicatorID]
		if ind == nil {
			ind = &Indicator{ID: p.IndicatorID, Name: "（已停用的指标）"}
		}
		rc := Reconciliation{Published: p, Indicator: ind, Unit: units[p.UnitID], Computed: values[CellKey{p.UnitID, p.IndicatorID}]}
		rc.Shown, rc.Matches = ReconcileFigure(p, ind, rc.Computed)
		out = append(out, rc)
	}
	return out
}
