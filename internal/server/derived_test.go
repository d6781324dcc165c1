package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// TestDerivedFiguresOnPages checks a derived indicator reaches the progress page and the
// report page from project records alone, with nothing typed.
func TestDerivedFiguresOnPages(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	sys := domain.Actor{Via: "test"}
	a := f.units["countyA"]
	a.Assessed = true
	if err := f.st.UpdateUnit(ctx, sys, a); err != nil {
		t.Fatal(err)
	}
	ind := &domain.Indicator{Code: "signed_100m", Name: "亿元以上签约项目", Measure: "个", HigherIsBetter: true, Kind: domain.KindDerived,
		Accumulation: domain.Cumulative, Active: true,
		Rule: `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`}
	if err := f.st.CreateIndicator(ctx, sys, ind); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for i, p := range []struct {
		amount int64
		signed string
	}{{300_000_000, "2026-03-01"}, {100_000_000, "2026-09-30"}, {99_999_999, "2026-05-01"}, {500_000_000, "2025-06-01"}} {
		if _, err := f.st.DB().Exec(`INSERT INTO projects (code, name, unit_id, stage, contract_investment, signed_on, created_at, updated_at)
			VALUES (?, ?, ?, 'signed', ?, ?, ?, ?)`, fmt.Sprintf("P%d", i), "项目", a.ID, p.amount, p.signed, now, now); err != nil {
			t.Fatal(err)
		}
	}
	leader := f.login("leader")
	_, body := f.get(leader, "/progress?year=2026&month=10")
	if !strings.Contains(body, "亿元以上签约项目") || !strings.Contains(body, "<td>甲区</td><td class=\"num\">2</td>") {
		t.Errorf("progress page lacks the derived count of 2")
	}
	_, body = f.get(f.login("reporter"), fmt.Sprintf("/reports/%d/2026/10", a.ID))
	if !strings.Contains(body, "按统计规则从项目台账自动得出") || !strings.Contains(body, `<td class="num">2</td><td class="num">1</td>`) {
		t.Errorf("report page lacks the derived figures (2 this year, 1 last year)")
	}
}
