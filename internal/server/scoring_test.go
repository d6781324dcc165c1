package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// seedScoring makes 甲区 and 乙县 assessed, with two indicators and approved reports for
// September and October 2026:
//
//	revenue (targets 647.4 and 1000): Sep 500 / 900, Oct 629 / 400;
//	growth (no targets):             Sep 5 / 12,    Oct 6 / 12.
func seedScoring(t *testing.T, f *fixture) {
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
	var ids []int64
	for _, ind := range []*domain.Indicator{
		{Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1},
		{Code: "growth", Name: "增加值增速", Measure: "%", Decimals: 1, Accumulation: domain.PointInTime},
	} {
		ind.HigherIsBetter, ind.Kind, ind.Active = true, domain.KindReported, true
		if err := f.st.CreateIndicator(ctx, sys, ind); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ind.ID)
	}
	d := func(s string) *domain.Dec { v, _ := domain.ParseDec(s); return &v }
	if _, err := f.st.SaveTargets(ctx, sys, 2026, []store.TargetChange{
		{UnitID: f.units["countyA"].ID, IndicatorID: ids[0], Base: d("647.4")},
		{UnitID: f.units["countyB"].ID, IndicatorID: ids[0], Base: d("1000")},
	}, ""); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		unit          string
		month         int
		revenue, grow string
	}{{"countyA", 9, "500", "5"}, {"countyB", 9, "900", "12"}, {"countyA", 10, "629", "6"}, {"countyB", 10, "400", "12"}} {
		rep, err := f.st.SaveReportDraft(ctx, sys, f.units[r.unit].ID, 2026, r.month, 0, map[int64]domain.Dec{ids[0]: *d(r.revenue), ids[1]: *d(r.grow)})
		if err != nil {
			t.Fatal(err)
		}
		rep, _ = f.st.TransitionReport(ctx, sys, rep.ID, rep.Version, store.TransitionSubmit, "")
		if _, err := f.st.TransitionReport(ctx, sys, rep.ID, rep.Version, store.TransitionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// schemeForm is the editor's form for a two-item scheme: revenue completion capped at
// 120% × 25, and the efficacy coefficient on growth × growthWeight.
func schemeForm(version, growthWeight string) url.Values {
	return url.Values{
		"op": {"save"}, "version": {version}, "name": {"2026年考核"}, "total_cap": {"105"}, "decimals": {"2"},
		"item_name": {"营收完成率", "增速"}, "item_source": {domain.SourceCompletionBase, domain.SourceIndicatorValue},
		"item_indicator": {"revenue", "growth"}, "item_tier_yi": {"", ""}, "item_method": {domain.MethodCappedRatio, domain.MethodEfficacy},
		"item_weight": {"25", growthWeight}, "item_cap": {"", ""}, "item_ratio_cap": {"1.2", ""}, "item_floor": {"", ""},
		"item_target": {"", ""}, "item_step": {"", ""}, "item_min_points": {"", ""},
	}
}

// TestScoringPagesAndScheme: October 2026 gives 甲区 629/647.4 × 25 = 24.29 + growth 6
// (the worst, 60% of 10) = 30.29, and 乙县 400/1000 × 25 = 10 + 10 = 20; September
// gives 甲区 19.31 + 6 = 25.31 and 乙县 22.5 + 10 = 32.5, so 甲区 moves up one place.
func TestScoringPagesAndScheme(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		seedScoring(t, f)
		coord, leader := f.login("coordinator"), f.login("leader")

		if _, body := f.get(leader, "/scoring?year=2026&month=10"); !strings.Contains(body, "尚未制定考核方案") || strings.Contains(body, "制定考核方案</a>。") {
			t.Fatal("a year without a scheme: no notice, or a leader is offered the editor")
		}
		// A reporter may not edit the scheme, nor open the editor.
		if res := f.post(f.login("reporter"), "/scoring/scheme?year=2026", schemeForm("0", "10")); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter saved a scheme: %d", res.StatusCode)
		}
		// Invalid parameters: a Chinese message by the field, the input kept, nothing saved.
		bad := schemeForm("0", "10")
		bad["item_ratio_cap"] = []string{"0", ""}
		bad["item_weight"] = []string{"二十五", "10"}
		res, body := f.postBody(coord, "/scoring/scheme?year=2026", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请输入数字") || !strings.Contains(body, `value="二十五"`) ||
			!strings.Contains(body, "完成率封顶应大于0") {
			t.Fatalf("bad number (and, in the same answer, a zero ratio cap): %d", res.StatusCode)
		}
		bad["item_weight"] = []string{"25", "10"}
		res, body = f.postBody(coord, "/scoring/scheme?year=2026", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "完成率封顶应大于0") {
			t.Fatalf("zero ratio cap: %d", res.StatusCode)
		}
		if _, err := st.FindScoringScheme(ctx, 2026); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("a refused form saved a scheme: %v", err)
		}
		// Preview, add and move are answered with the form, and save nothing.
		pv := schemeForm("0", "10")
		pv.Set("op", "preview")
		pv.Set("month", "10")
		res, body = f.postBody(coord, "/scoring/scheme?year=2026", pv)
		if res.StatusCode != 200 || !strings.Contains(body, "预览") || !strings.Contains(body, "<td class=\"num\">30.29</td>") {
			t.Fatalf("preview: %d", res.StatusCode)
		}
		pv.Set("op", "down:0")
		if _, body = f.postBody(coord, "/scoring/scheme?year=2026", pv); strings.Index(body, `value="增速"`) > strings.Index(body, `value="营收完成率"`) {
			t.Error("down:0 did not move the first item down")
		}
		pv.Set("op", "add")
		if _, body = f.postBody(coord, "/scoring/scheme?year=2026", pv); strings.Count(body, `name="item_name"`) != 3 {
			t.Error("add did not add an item")
		}
		if _, err := st.FindScoringScheme(ctx, 2026); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatal("preview or editing saved a scheme")
		}

		if res := f.post(coord, "/scoring/scheme?year=2026", schemeForm("0", "10")); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/scoring?year=2026" {
			t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// A second editor still holding version 0 conflicts: 409, nothing overwritten.
		res, body = f.postBody(coord, "/scoring/scheme?year=2026", schemeForm("0", "99"))
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Fatalf("stale save: %d", res.StatusCode)
		}
		if s, _ := st.FindScoringScheme(ctx, 2026); s.Version != 1 || s.Items[1].Weight.String() != "10" {
			t.Fatalf("after the conflict: %+v", s)
		}

		_, body = f.get(leader, "/scoring?year=2026&month=10")
		for _, want := range []string{"<td>第1</td><td>甲区</td><td class=\"num\"><strong>30.29</strong>", "<td class=\"rank-change\">↑1</td>",
			"<td>第2</td><td>乙县</td><td class=\"num\"><strong>20.00</strong>", "<td class=\"rank-change\">↓1</td>",
			"min(完成率 97.16%, 封顶 120%) × 25", "data-rank-history="} {
			if !strings.Contains(body, want) {
				t.Errorf("scores page lacks %q", want)
			}
		}
		if strings.Contains(body, "编辑考核方案") {
			t.Error("a leader is offered the editor")
		}
		if res, _ := f.get(leader, "/scoring/scheme?year=2026"); res.StatusCode != http.StatusForbidden {
			t.Errorf("leader opened the editor: %d", res.StatusCode)
		}
		if res, _ := f.get(leader, "/scoring?year=abc"); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Errorf("bad year: %d", res.StatusCode)
		}

		res, body = f.get(leader, "/scoring/export.xlsx?year=2026&month=10")
		if res.StatusCode != 200 {
			t.Fatalf("export: %d", res.StatusCode)
		}
		rows, err := xlsx.ReadRows(strings.NewReader(body), "得分排名")
		if err != nil || len(rows) != 4 || rows[2][0] != "第1" || rows[2][1] != "甲区" || rows[2][2] != "30.29" || rows[3][3] != "↓1" {
			t.Fatalf("export rows: %q %v", rows, err)
		}
		if detail, err := xlsx.ReadRows(strings.NewReader(body), "得分明细"); err != nil || len(detail) != 6 {
			t.Fatalf("export detail: %q %v", detail, err)
		}
	})
}

func TestScoringAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedScoring(t, f)
		coord, leader, reporter := "Bearer "+f.apiToken("coordinator"), "Bearer "+f.apiToken("leader"), "Bearer "+f.apiToken("reporter")
		scheme := `{"name":"2026年考核","total_cap":105,"version":%s,"items":[
			{"name":"营收完成率","source":"completion_base","indicator":"revenue","method":"capped_ratio","weight":25,"ratio_cap":%s},
			{"name":"增速","source":"indicator_value","indicator":"growth","method":"efficacy","weight":"10"}]}`
		body := func(version, ratioCap string) string { return fmt.Sprintf(scheme, version, ratioCap) }
		if r := f.apiCall(nil, leader, "GET", "/api/v1/scoring/scheme?year=2026", "", nil); r.status != http.StatusNotFound {
			t.Fatalf("no scheme: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, reporter, "PUT", "/api/v1/scoring/scheme?year=2026", body("0", "1.2"), nil); r.status != http.StatusForbidden {
			t.Fatalf("reporter put: %d", r.status)
		}
		r := f.apiCall(nil, coord, "PUT", "/api/v1/scoring/scheme?year=2026", body("0", "0"), nil)
		var problem struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		json.Unmarshal(r.body, &problem)
		if r.status != http.StatusUnprocessableEntity || problem.Error.Fields["items.0.ratio_cap"] == "" {
			t.Fatalf("invalid ratio cap: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/scoring/scheme?year=2026", `{"name":"x","total_cap":1,"version":0,"items":[{"name":"a","sauce":"x"}]}`, nil); r.status != http.StatusBadRequest {
			t.Fatalf("unknown field: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/scoring/scheme?year=2026", body("0", "1.2"), nil); r.status != 200 || !strings.Contains(string(r.body), `"version":1`) {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/scoring/scheme?year=2026", body("0", "1.1"), nil); r.status != http.StatusConflict {
			t.Fatalf("stale put: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/scoring/scheme?year=2026", body("1", "1.1"), nil); r.status != 200 || !strings.Contains(string(r.body), `"version":2`) {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		r = f.apiCall(nil, leader, "GET", "/api/v1/scoring?year=2026&month=10", "", nil)
		var scores struct {
			Units []struct {
				UnitName  string `json:"unit_name"`
				Total     string `json:"total"`
				RankLabel string `json:"rank_label"`
				Change    string `json:"change"`
				Items     []struct {
					Points  string `json:"points"`
					RatePct string `json:"rate_pct"`
				} `json:"items"`
			} `json:"units"`
		}
		if err := json.Unmarshal(r.body, &scores); err != nil || r.status != 200 || len(scores.Units) != 2 {
			t.Fatalf("scores: %d %s", r.status, r.body)
		}
		a := scores.Units[0]
		if a.UnitName != "甲区" || a.Total != "30.29" || a.RankLabel != "第1" || a.Change != "↑1" || a.Items[0].RatePct != "97.16" {
			t.Errorf("甲区: %+v", a)
		}
		r = f.apiCall(nil, leader, "GET", "/api/v1/scoring/history?year=2026", "", nil)
		if r.status != 200 || !strings.Contains(string(r.body), `{"month":9,"rank":2,"tied":false},{"month":10,"rank":1,"tied":false}`) {
			t.Errorf("history: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, leader, "GET", "/api/v1/scoring?year=2026&month=13", "", nil); r.status != http.StatusBadRequest {
			t.Errorf("month 13: %d", r.status)
		}
		if r := f.apiCall(nil, leader, "GET", "/api/v1/scoring?year=2026", "", nil); r.status != http.StatusBadRequest {
			t.Errorf("a year without its month: %d", r.status)
		}
		// No period: the newest month with a report, as on the page.
		if r := f.apiCall(nil, leader, "GET", "/api/v1/scoring", "", nil); r.status != 200 ||
			!strings.HasPrefix(string(r.body), `{"year":2026,"month":10,`) {
			t.Errorf("the latest period: %d %.80s", r.status, r.body)
		}
		if r := f.apiCall(nil, leader, "GET", "/api/v1/scoring?year=2026&month=10&x=1", "", nil); r.status != http.StatusBadRequest {
			t.Errorf("unknown parameter: %d", r.status)
		}
	})
}
