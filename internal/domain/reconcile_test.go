package domain

import (
	"math/big"
	"testing"
)

// TestReconcileBulletin is DOMAIN.md §2's published table: every start rate reproduces
// with half-up rounding except U2's, which the records give as 68.8 and the bulletin
// printed as 68.9 — reconciliation must flag it.
func TestReconcileBulletin(t *testing.T) {
	rate := &Indicator{Measure: "%", Kind: KindRatio}
	rows := []struct {
		signed, started int64
		published       string
		shown           string
		matches         bool
	}{
		{34, 32, "94.1", "94.1", true}, {32, 22, "68.9", "68.8", false}, {27, 17, "63", "63", true},
		{25, 13, "52", "52", true}, {21, 10, "47.6", "47.6", true}, {18, 7, "38.9", "38.9", true},
		{14, 11, "78.6", "78.6", true}, {3, 2, "66.7", "66.7", true}, {3, 2, "66.7%", "66.7", true},
	}
	for _, r := range rows {
		computed := rate.RatioValue(big.NewRat(r.started, 1), big.NewRat(r.signed, 1))
		shown, ok := ReconcileFigure(PublishedFigure{Figure: r.published}, rate, computed)
		if shown != r.shown || ok != r.matches {
			t.Errorf("%d/%d published %s: shown %s matches %v, want %s %v", r.started, r.signed, r.published, shown, ok, r.shown, r.matches)
		}
	}
	count := &Indicator{Measure: "个"}
	if _, ok := ReconcileFigure(PublishedFigure{Figure: "87"}, count, big.NewRat(87, 1)); !ok {
		t.Error("an exact count did not match")
	}
	if _, ok := ReconcileFigure(PublishedFigure{Figure: "87"}, count, nil); ok {
		t.Error("a figure with no computed value matched")
	}
	if ValidatePublished("六十") == nil || ValidatePublished("68.9%") != nil {
		t.Error("published figure validation")
	}
}
