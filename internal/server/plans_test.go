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
	"beizeng/internal/xlsx"
)

func TestPlanPages(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	ind := &domain.Indicator{Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true, Kind: domain.KindReported, Active: true}
	if err := f.st.CreateIndicator(ctx, domain.Actor{Via: "test"}, ind); err != nil {
		t.Fatal(err)
	}
	coord := f.login("coordinator")
	res, body := f.postBody(coord, "/plans", url.Values{"name": {"工业倍增三年行动"}, "indicator_id": {fmt.Sprint(ind.ID)},
		"baseline_year": {"2020"}, "end_year": {"2020"}, "multiple": {"两倍"}, "path": {"geometric"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "目标年份应晚于基期") || !strings.Contains(body, "不是有效的数字") ||
		!strings.Contains(body, `value="工业倍增三年行动"`) {
		t.Fatalf("bad plan: %d", res.StatusCode)
	}
	res = f.post(coord, "/plans", url.Values{"name": {"工业倍增三年行动"}, "indicator_id": {fmt.Sprint(ind.ID)},
		"baseline_year": {"2020"}, "end_year": {"2023"}, "multiple": {"2"}, "path": {"geometric"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create plan: %d", res.StatusCode)
	}
	planURL := res.Header.Get("Location")
	plans, _ := f.st.FindPlans(ctx)
	p := plans[0]
	city := f.units["city"].ID
	form := url.Values{"version": {"1"}, "name": {p.Name}, "indicator_id": {fmt.Sprint(ind.ID)}, "baseline_year": {"2020"},
		"end_year": {"2023"}, "multiple": {"2"}, "path": {"geometric"}, fmt.Sprintf("v_%d_2020", city): {"10000"},
		fmt.Sprintf("v_%d_2021", city): {"abc"}}
	res, body = f.postBody(coord, planURL, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "测试市 2021年") || !strings.Contains(body, `value="abc"`) {
		t.Fatalf("bad cell: %d", res.StatusCode)
	}
	if got, _ := f.st.FindPlanByID(ctx, p.ID); len(got.Values) != 0 || got.Version != 1 {
		t.Fatal("a refused save changed the plan")
	}
	form.Set(fmt.Sprintf("v_%d_2021", city), "")
	form.Set("generate", "1")
	if res := f.post(coord, planURL, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("generate: %d", res.StatusCode)
	}
	_, body = f.get(f.login("leader"), planURL)
	for _, want := range []string{"12599.2", "15874.0", "20000.0", "data-plan="} {
		if !strings.Contains(body, want) {
			t.Errorf("plan page lacks %q", want)
		}
	}
	res, body = f.get(f.login("leader"), planURL+"/export.xlsx")
	if rows, err := xlsx.ReadRows(strings.NewReader(body), "规划"); res.StatusCode != 200 || err != nil || len(rows) < 3 ||
		rows[1][1] != "2020年基期" || rows[2][0] != "测试市" || rows[2][1] != "10000.0" || rows[2][3] != "12599.2" {
		t.Errorf("plan export: %d %v %q", res.StatusCode, err, rows)
	}
	_, body = f.get(f.login("leader"), planURL)
	if strings.Contains(body, `<input class="cell"`) {
		t.Error("a leader sees inputs")
	}
	if res := f.post(f.login("leader"), planURL, form); res.StatusCode != http.StatusForbidden {
		t.Errorf("leader saved a plan: %d", res.StatusCode)
	}
	// A stale form gets the conflict box, the typed figures kept.
	form.Del("generate")
	form.Set(fmt.Sprintf("v_%d_2022", city), "16000")
	res, body = f.postBody(coord, planURL, form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="16000"`) {
		t.Fatalf("stale plan: %d", res.StatusCode)
	}
}

func TestPlanAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ind := &domain.Indicator{Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true, Kind: domain.KindReported, Active: true}
		if err := f.st.CreateIndicator(context.Background(), domain.Actor{Via: "test"}, ind); err != nil {
			t.Fatal(err)
		}
		coord := "Bearer " + f.apiToken("coordinator")
		body := fmt.Sprintf(`{"name":"倍增","indicator_id":%d,"baseline_year":2020,"end_year":2023,"multiple":2,"path":"linear",
			"values":[{"unit_id":%d,"year":2020,"value":"300"}],"generate":true}`, ind.ID, f.units["city"].ID)
		res := f.apiCall(nil, coord, "POST", "/api/v1/plans", body, nil)
		if res.status != http.StatusCreated || !strings.Contains(string(res.body), `"year":2021,"value":400`) || !strings.Contains(string(res.body), `"year":2023,"value":600`) {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		loc := res.header.Get("Location")
		if r := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", loc, "", nil); r.status != 200 {
			t.Fatalf("leader get: %d", r.status)
		}
		if r := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "PUT", loc, body, nil); r.status != http.StatusForbidden {
			t.Fatalf("leader put: %d", r.status)
		}
		stale := strings.Replace(body, `"generate":true`, `"generate":true,"version":7`, 1)
		if r := f.apiCall(nil, coord, "PUT", loc, stale, nil); r.status != http.StatusConflict {
			t.Fatalf("stale put: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", loc, strings.Replace(body, `"linear"`, `"spiral"`, 1), nil); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad path: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", "/api/v1/plans", `{"name":"x","extra":1}`, nil); r.status != http.StatusBadRequest {
			t.Fatalf("unknown field: %d", r.status)
		}
	})
}
