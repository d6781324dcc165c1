package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// seedProgress gives the fixture a revenue indicator with DOMAIN.md's worked example:
// county A reached 629.0 of a 647.4 target by October; county B 400 of 1000.
func seedProgress(t *testing.T, f *fixture) *domain.Indicator {
	t.Helper()
	ctx := context.Background()
	sys := domain.Actor{Via: "test"}
	for _, k := range []string{"countyA", "countyB"} {
		u := f.units[k]
		u.Assessed = true
		if err := f.st.UpdateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	ind := &domain.Indicator{Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true,
		Kind: domain.KindReported, Headline: true, Active: true}
	if err := f.st.CreateIndicator(ctx, sys, ind); err != nil {
		t.Fatal(err)
	}
	d := func(s string) *domain.Dec { v, _ := domain.ParseDec(s); return &v }
	if _, err := f.st.SaveTargets(ctx, sys, 2026, []store.TargetChange{
		{UnitID: f.units["countyA"].ID, IndicatorID: ind.ID, Base: d("647.4"), Stretch: d("700")},
		{UnitID: f.units["countyB"].ID, IndicatorID: ind.ID, Base: d("1000")},
		{UnitID: f.units["city"].ID, IndicatorID: ind.ID, Base: d("1600")},
	}, ""); err != nil {
		t.Fatal(err)
	}
	for unit, v := range map[string]string{"countyA": "629.0", "countyB": "400"} {
		r, err := f.st.SaveReportDraft(ctx, sys, f.units[unit].ID, 2026, 10, 0, map[int64]domain.Dec{ind.ID: *d(v)})
		if err != nil {
			t.Fatal(err)
		}
		r, _ = f.st.TransitionReport(ctx, sys, r.ID, r.Version, store.TransitionSubmit, "")
		if _, err := f.st.TransitionReport(ctx, sys, r.ID, r.Version, store.TransitionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	return ind
}

func TestProgressPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedProgress(t, f)
		leader := f.login("leader")
		res, body := f.get(leader, "/progress?year=2026&month=10")
		if res.StatusCode != 200 {
			t.Fatalf("progress: %d", res.StatusCode)
		}
		for _, want := range []string{"时序进度 83.3%", "629.0", "97.2", "&#43;13.8", "status-green", "第1", "40.0", "-43.3", "status-red",
			"1029.0", "县区合计", "data-progress=", "data-trend="} {
			if !strings.Contains(body, want) {
				t.Errorf("progress page lacks %q", want)
			}
		}
		if strings.Contains(body, "13.9") {
			t.Error("gap rounded from rounded values")
		}

		res, body = f.get(leader, "/progress/export.xlsx?year=2026&month=10")
		rows, err := xlsx.ReadRows(strings.NewReader(body), "目标进度")
		if res.StatusCode != 200 || err != nil || len(rows) != 5 {
			t.Fatalf("export: %d %v %d rows", res.StatusCode, err, len(rows))
		}
		if got := strings.Join(rows[3][2:9], " "); got != "甲区 629.0 647.4 97.2 700.0 89.9 +13.8" {
			t.Errorf("export row = %q", got)
		}

		// The API carries the same figures.
		bearer := "Bearer " + f.apiToken("leader")
		api := f.apiCall(nil, bearer, "GET", "/api/v1/progress?year=2026&month=10", "", nil)
		if got := string(api.body); api.status != 200 || !strings.Contains(got, `"completion_base_pct":"97.2"`) || !strings.Contains(got, `"gap_points":"+13.8"`) ||
			!strings.Contains(got, `"rank_label":"第1"`) || !strings.Contains(got, `"time_progress_pct":"83.3"`) {
			t.Errorf("api progress: %d %s", api.status, got)
		}
		if api := f.apiCall(nil, bearer, "GET", "/api/v1/progress?year=2026", "", nil); api.status != http.StatusBadRequest {
			t.Errorf("api without month: %d", api.status)
		}
		if api := f.apiCall(nil, "Bearer "+f.apiToken("auditor"), "GET", "/api/v1/progress?year=2026&month=10", "", nil); api.status != http.StatusForbidden {
			t.Errorf("auditor read progress: %d", api.status)
		}

		// Scoped to parks, the counties drop out of the ranking (the fixture has no parks).
		if _, body := f.get(leader, "/progress?year=2026&month=10&scope=park"); strings.Contains(body, "<td>甲区</td>") || !strings.Contains(body, "1029.0") {
			t.Error("park scope still lists counties, or lost the city's figure")
		}
		if api := f.apiCall(nil, bearer, "GET", "/api/v1/progress?year=2026&month=10&scope=moon", "", nil); api.status != http.StatusBadRequest {
			t.Errorf("bad scope: %d", api.status)
		}

		if res, _ := f.get(leader, "/progress?year=2026&month=13"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad month: %d", res.StatusCode)
		}
		// Only coordinators change the rules; days-based progress for October is 304/365.
		if res := f.post(leader, "/progress/settings", url.Values{"time_progress": {"days"}, "yellow_points": {"5"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("leader changed settings: %d", res.StatusCode)
		}
		coord := f.login("coordinator")
		if res := f.post(coord, "/progress/settings?year=2026&month=10", url.Values{"time_progress": {"days"}, "yellow_points": {"5"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings: %d", res.StatusCode)
		}
		if _, body := f.get(coord, "/progress?year=2026&month=10"); !strings.Contains(body, "按日计算") || !strings.Contains(body, "落后不足5个百分点") {
			t.Error("settings not applied")
		}
		if res := f.post(coord, "/progress/settings", url.Values{"time_progress": {"weekly"}, "yellow_points": {"5"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("bad settings: %d", res.StatusCode)
		}
		if v, _ := f.st.Setting(context.Background(), store.SettingTimeProgress); v != "days" {
			t.Errorf("bad settings changed the mode to %q", v)
		}
	})
}
