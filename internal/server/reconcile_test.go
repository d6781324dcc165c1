package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// TestReconciliationFlagsTheTrap enters DOMAIN.md's published start rates for two units:
// 甲区 32 of 34 printed as 94.1 (reproduced), 乙县 22 of 32 printed as 68.9 (the records
// give 68.75 → 68.8: flagged).
func TestReconciliationFlagsTheTrap(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sys := domain.Actor{Via: "test"}
		for _, k := range []string{"countyA", "countyB"} {
			u := f.units[k]
			u.Assessed = true
			if err := st.UpdateUnit(ctx, sys, u); err != nil {
				t.Fatal(err)
			}
		}
		mk := func(i *domain.Indicator) *domain.Indicator {
			i.HigherIsBetter, i.Active = true, true
			if err := st.CreateIndicator(ctx, sys, i); err != nil {
				t.Fatal(err)
			}
			return i
		}
		signed := mk(&domain.Indicator{Code: "signed", Name: "签约亿元以上项目", Measure: "个", Kind: domain.KindReported})
		started := mk(&domain.Indicator{Code: "started", Name: "开工亿元以上项目", Measure: "个", Kind: domain.KindReported})
		rate := mk(&domain.Indicator{Code: "start_rate", Name: "开工率", Measure: "%", Decimals: 1, Kind: domain.KindRatio,
			NumeratorID: started.ID, DenominatorID: signed.ID})
		for unit, v := range map[string][2]string{"countyA": {"34", "32"}, "countyB": {"32", "22"}} {
			s, _ := domain.ParseDec(v[0])
			g, _ := domain.ParseDec(v[1])
			r, err := st.SaveReportDraft(ctx, sys, f.units[unit].ID, 2024, 6, 0, map[int64]domain.Dec{signed.ID: s, started.ID: g})
			if err != nil {
				t.Fatal(err)
			}
			r, _ = st.TransitionReport(ctx, sys, r.ID, r.Version, store.TransitionSubmit, "")
			st.TransitionReport(ctx, sys, r.ID, r.Version, store.TransitionApprove, "")
		}
		cell := func(unit string) string { return fmt.Sprintf("f_%d_%d", f.units[unit].ID, rate.ID) }
		coord := f.login("coordinator")
		res, body := f.postBody(coord, "/reconcile?year=2024&month=6", url.Values{cell("countyA"): {"94.1"}, cell("countyB"): {"六八点九"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "乙县 · 开工率") || !strings.Contains(body, `value="六八点九"`) {
			t.Fatalf("bad figure: %d", res.StatusCode)
		}
		if got, _ := st.FindPublishedFigures(ctx, 2024, 6); len(got) != 0 {
			t.Fatal("a refused form saved figures")
		}
		if res := f.post(coord, "/reconcile?year=2024&month=6", url.Values{cell("countyA"): {"94.1"}, cell("countyB"): {"68.9"},
			"source": {"2024年6月调度通报"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		_, body = f.get(f.login("leader"), "/reconcile?year=2024&month=6")
		if !strings.Contains(body, "1 个不一致") || !strings.Contains(body, `<td class="num">68.9</td><td class="num">68.8</td>`) ||
			!strings.Contains(body, `<td class="num">94.1</td><td class="num">94.1</td>`) {
			t.Error("reconciliation does not flag 68.9 against 68.8, or does not match 94.1")
		}
		if res := f.post(f.login("leader"), "/reconcile?year=2024&month=6", url.Values{cell("countyA"): {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("leader entered figures: %d", res.StatusCode)
		}
		api := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", "/api/v1/reconciliation?year=2024&month=6", "", nil)
		if got := string(api.body); api.status != 200 || !strings.Contains(got, `"published":"68.9","source":"2024年6月调度通报","computed":"68.8","matches":false`) {
			t.Errorf("api reconciliation: %d %s", api.status, got)
		}
		put := fmt.Sprintf(`{"year":2024,"month":6,"figures":[{"unit_id":%d,"indicator_id":%d,"figure":"x"}]}`, f.units["countyA"].ID, rate.ID)
		if api := f.apiCall(nil, "Bearer "+f.apiToken("coordinator"), "PUT", "/api/v1/published-figures", put, nil); api.status != http.StatusUnprocessableEntity {
			t.Errorf("api bad figure: %d %s", api.status, api.body)
		}
	})
}
