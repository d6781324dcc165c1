package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// fixtureEnterprises remembers one enterprise per fixture store and unit.
var fixtureEnterprises sync.Map // projectKey → int64

// enterpriseOf returns an enterprise of the unit, creating it the first time.
func (f *fixture) enterpriseOf(unitID int64) int64 {
	f.t.Helper()
	if id, ok := fixtureEnterprises.Load(projectKey{f.st, unitID}); ok {
		return id.(int64)
	}
	e := &domain.Enterprise{Name: fmt.Sprintf("单位%d的企业", unitID), UnitID: unitID}
	if err := f.st.CreateEnterprise(context.Background(), domain.Actor{Via: "test"}, e); err != nil {
		f.t.Fatal(err)
	}
	fixtureEnterprises.Store(projectKey{f.st, unitID}, e.ID)
	return e.ID
}

func TestEnterprisePages(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		rep, rep2, coord := f.login("reporter"), f.login("reporter2"), f.login("coordinator")
		a, b := f.units["countyA"], f.units["countyB"]
		uscc := domain.CompleteUSCC("91" + a.Code + "MA35HG01A")
		form := func(unit int64, name, code string, extra ...string) url.Values {
			v := url.Values{"name": {name}, "unit_id": {fmt.Sprint(unit)}, "uscc": {code}, "industry_division": {"30"}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		// reporter belongs to 甲区; reporter2 to 乙县.
		if res := f.post(rep, "/enterprises", form(b.ID, "乙县的企业", "")); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter creates for another unit: %d", res.StatusCode)
		}
		if res, body := f.postBody(rep, "/enterprises", form(a.ID, "甲区华光陶瓷有限公司", "914403001922038217")); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "GB 32100") {
			t.Fatalf("bad USCC: %d", res.StatusCode)
		}
		if res := f.post(rep, "/enterprises", form(a.ID, "甲区华光陶瓷有限公司", strings.ToLower(uscc))); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		e, err := st.FindEnterpriseByUSCC(ctx, uscc)
		if err != nil || e.Name != "甲区华光陶瓷有限公司" || e.IndustrySection != "C" {
			t.Fatalf("created %+v %v", e, err)
		}
		path := fmt.Sprintf("/enterprises/%d", e.ID)
		// The same code again, typed with spaces: refused, naming the firm that holds it.
		res, body := f.postBody(coord, "/enterprises", form(b.ID, "另一家", " "+uscc+" "))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "已登记为企业“甲区华光陶瓷有限公司”") {
			t.Fatalf("duplicate USCC: %d", res.StatusCode)
		}
		// 乙县's reporter may read but not edit 甲区's enterprise.
		if res, _ := f.get(rep2, path); res.StatusCode != http.StatusOK {
			t.Fatalf("read: %d", res.StatusCode)
		}
		for _, p := range []string{path + "/edit"} {
			if res, _ := f.get(rep2, p); res.StatusCode != http.StatusForbidden {
				t.Fatalf("GET %s by 乙县: %d", p, res.StatusCode)
			}
		}
		for p, v := range map[string]url.Values{
			path:                  form(a.ID, "改名", uscc, "version", "1"),
			path + "/scale/entry": {"version": {"1"}, "entry_type": {"monthly"}, "entry_month": {"2026-03"}},
			path + "/figures":     {"year": {"2025"}, "revenue": {"1800"}},
			path + "/honours":     {"type": {"little_giant"}, "year": {"2025"}},
			path + "/status":      {"version": {"1"}, "status": {"zombie"}, "status_on": {"2026-01-01"}, "status_reason": {"亏损"}},
		} {
			if res := f.post(rep2, p, v); res.StatusCode != http.StatusForbidden {
				t.Fatalf("POST %s by 乙县: %d", p, res.StatusCode)
			}
		}
		// Stale version: conflict, nothing changed.
		if res := f.post(rep, path, form(a.ID, "新名", uscc, "version", "1", "chain", "陶瓷")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d", res.StatusCode)
		}
		if res, body := f.postBody(rep, path, form(a.ID, "旧版本", uscc, "version", "1")); res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Fatalf("stale update: %d", res.StatusCode)
		}
		if res := f.post(rep, path+"/scale/entry", url.Values{"version": {"1"}, "entry_type": {"monthly"}, "entry_month": {"2026-03"}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("stale entry: %d", res.StatusCode)
		}
		// Entry, then a refused exit before it, then figures and an honour.
		if res := f.post(rep, path+"/scale/entry", url.Values{"version": {"2"}, "entry_type": {"monthly"}, "entry_month": {"2026-03"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("entry: %d", res.StatusCode)
		}
		if res, body := f.postBody(rep, path+"/scale/exit", url.Values{"version": {"3"}, "exit_month": {"2026-01"}, "exit_reason": {"下降"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "退库月份须晚于入库月份") {
			t.Fatalf("exit before entry: %d", res.StatusCode)
		}
		if res, body := f.postBody(rep, path+"/figures", url.Values{"year": {"2025"}, "revenue": {"abc"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "营业收入应为数字") {
			t.Fatalf("bad figures: %d", res.StatusCode)
		}
		if res := f.post(rep, path+"/figures", url.Values{"year": {"2025"}, "revenue": {"2345.6789"}, "land_mu": {"30.5"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("figures: %d", res.StatusCode)
		}
		if res := f.post(rep, path+"/honours", url.Values{"type": {"specialized_sme"}, "year": {"2025"}, "batch": {"第五批"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("honour: %d", res.StatusCode)
		}
		_, body = f.get(rep, path)
		for _, want := range []string{"2026-03", "月度入库", "2345.68", "30.5", "专精特新中小企业", "2027-12-31", "规上"} {
			if !strings.Contains(body, want) {
				t.Errorf("detail page lacks %q", want)
			}
		}
		// The list, its filters, the pipeline and the honours pages.
		for p, want := range map[string]string{
			"/enterprises?above_scale=yes":            "新名",
			"/enterprises?q=" + url.QueryEscape(uscc): "新名",
			"/enterprises?honour=specialized_sme":     "新名",
			"/enterprises/above-scale?year=2026":      "<td class=\"num\">1</td>",
			"/enterprises/honours?year=2025":          "专精特新中小企业",
		} {
			if res, body := f.get(coord, p); res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET %s: %d, lacks %q\n%s", p, res.StatusCode, want, body)
			}
		}
		if res, body := f.get(coord, "/enterprises?status=closed"); res.StatusCode != http.StatusOK || strings.Contains(body, "新名") {
			t.Errorf("status filter: %d", res.StatusCode)
		}
		// The thresholds are settings: a coordinator lowers the pool's, a bad value is refused.
		if res := f.post(rep, "/enterprises/settings", url.Values{"above_scale_wan": {"2000"}, "candidate_wan": {"1000"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("reporter sets thresholds: %d", res.StatusCode)
		}
		if res := f.post(coord, "/enterprises/settings", url.Values{"above_scale_wan": {"2000"}, "candidate_wan": {"2500"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("bad thresholds: %d", res.StatusCode)
		}
		if r, _ := st.EnterpriseRules(ctx); r != domain.DefaultEnterpriseRules {
			t.Errorf("bad thresholds stored: %+v", r)
		}
		if res := f.post(coord, "/enterprises/settings", url.Values{"above_scale_wan": {"2000"}, "candidate_wan": {"1000"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("thresholds: %d", res.StatusCode)
		}
		if r, _ := st.EnterpriseRules(ctx); r.CandidateYuan != 10_000_000 {
			t.Errorf("thresholds stored: %+v", r)
		}
		// The figures of 2025 put the firm into that year's per-mu evaluation, alone in
		// its group: its page shows the breakdown.
		if _, body := f.get(coord, fmt.Sprintf("/enterprises/%d", e.ID)); !strings.Contains(body, "2025年亩均评价") || !strings.Contains(body, "组内排名") {
			t.Errorf("detail page lacks the per-mu breakdown")
		}
		// The scheme: a coordinator sets another city's shares; shares not adding up to 100 are refused.
		scheme := url.Values{"share_A": {"25"}, "share_B": {"45"}, "share_C": {"25"}, "share_D": {"5"}, "exempt_class": {"B"},
			"exempt_sections": {"D"}, "below_tax_per_mu_weight": {"60"}, "below_tax_per_electricity_weight": {"40"},
			"above_tax_per_mu_weight": {"30"}, "above_va_per_mu_weight": {"20"}, "above_va_per_energy_weight": {"20"},
			"above_va_per_emission_weight": {"10"}, "above_labour_productivity_weight": {"10"}, "above_rd_ratio_weight": {"10"},
			"above_tax_per_mu_benchmark": {"12.5"}}
		if res := f.post(rep, "/enterprises/per-mu/settings", scheme); res.StatusCode != http.StatusForbidden {
			t.Errorf("reporter sets the scheme: %d", res.StatusCode)
		}
		bad := url.Values{}
		for k, v := range scheme {
			bad[k] = v
		}
		bad.Set("share_D", "6")
		if res := f.post(coord, "/enterprises/per-mu/settings", bad); res.StatusCode != http.StatusSeeOther {
			t.Errorf("bad scheme: %d", res.StatusCode)
		}
		if sc, _ := st.PerMuScheme(ctx); sc.Shares != domain.DefaultPerMuScheme.Shares {
			t.Errorf("bad scheme stored: %v", sc.Shares)
		}
		if res := f.post(coord, "/enterprises/per-mu/settings", scheme); res.StatusCode != http.StatusSeeOther {
			t.Errorf("scheme: %d", res.StatusCode)
		}
		if sc, _ := st.PerMuScheme(ctx); sc.Shares != [4]int64{25, 45, 25, 5} || sc.ExemptClass != "B" || sc.BelowScale[0].Weight.String() != "60" ||
			sc.AboveScale[0].Benchmark.String() != "12.5" {
			t.Errorf("scheme stored: %+v", sc)
		}
		if res, _ := f.get(coord, "/enterprises/per-mu?year=20x5"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad per-mu year: %d", res.StatusCode)
		}
		if res, _ := f.get(coord, "/enterprises/above-scale?year=abc"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad year: %d", res.StatusCode)
		}
		for _, p := range []string{"/enterprises/export.xlsx?above_scale=yes", "/enterprises/above-scale/export.xlsx?year=2026", "/enterprises/honours/export.xlsx"} {
			if res, _ := f.get(coord, p); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
				t.Errorf("GET %s: %d", p, res.StatusCode)
			}
		}
	})
}

func TestEnterpriseAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		rep, rep2 := "Bearer "+f.apiToken("reporter"), "Bearer "+f.apiToken("reporter2")
		call := func(authz, method, path, body string) apiResult {
			return f.apiCall(nil, authz, method, "/api/v1"+path, body, nil)
		}
		a, b := f.units["countyA"], f.units["countyB"]
		uscc := domain.CompleteUSCC("91" + b.Code + "MA35HG02B") // registered in 乙县, sitting in 甲区: a warning
		res := call(rep, "POST", "/enterprises", fmt.Sprintf(`{"name":"甲区新材料有限公司","unit_id":%d,"uscc":" %s ","industry_division":"30"}`, a.ID, strings.ToLower(uscc)))
		if res.status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		id := int64(res.object(t)["id"].(float64))
		path := fmt.Sprintf("/enterprises/%d", id)
		for _, tc := range []struct {
			authz, method, path, body string
			status                    int
			field                     string
		}{
			{rep2, "POST", "/enterprises", fmt.Sprintf(`{"name":"x","unit_id":%d}`, a.ID), http.StatusForbidden, ""},
			{rep2, "PUT", path, `{"name":"x","version":1}`, http.StatusForbidden, ""},
			{rep2, "POST", path + "/scale/entries", `{"entry_type":"monthly","entry_month":"2026-01","version":1}`, http.StatusForbidden, ""},
			{rep, "POST", "/enterprises", fmt.Sprintf(`{"name":"重复","unit_id":%d,"uscc":"%s"}`, a.ID, uscc), http.StatusUnprocessableEntity, "uscc"},
			{rep, "POST", "/enterprises", fmt.Sprintf(`{"name":"x","unit_id":%d,"colour":"red"}`, a.ID), http.StatusBadRequest, ""},
			{rep, "PUT", path, `{"name":"新名"}`, http.StatusUnprocessableEntity, "version"},
			{rep, "PUT", path, `{"name":"新名","version":1}`, http.StatusOK, ""},
			{rep, "PUT", path, `{"name":"旧版","version":1}`, http.StatusConflict, ""},
			{rep, "POST", path + "/scale/entries", `{"entry_type":"annual","batch_year":2025,"version":2}`, http.StatusOK, ""},
			{rep, "POST", path + "/scale/exit", `{"exit_month":"2025-12","exit_reason":"下降","version":3}`, http.StatusUnprocessableEntity, "exit_month"},
			{rep, "PUT", path + "/figures/2025", `{"revenue":25000000,"land_mu":"12.5"}`, http.StatusOK, ""},
			{rep, "PUT", path + "/figures/20x5", `{"revenue":1}`, http.StatusBadRequest, ""},
			{rep, "PUT", path + "/figures/2025", `{"revenue":-1}`, http.StatusUnprocessableEntity, "revenue"},
			{rep, "POST", path + "/honours", `{"type":"little_giant","year":2025}`, http.StatusCreated, ""},
			{rep, "POST", path + "/honours", `{"type":"medal","year":2025}`, http.StatusUnprocessableEntity, "type"},
			{rep, "GET", "/enterprises?above_scale=yes&honour=little_giant", "", http.StatusOK, ""},
			{rep, "GET", "/enterprises?candidate=maybe", "", http.StatusBadRequest, ""},
			{rep, "GET", "/enterprises?limt=5", "", http.StatusBadRequest, ""},
			{rep, "GET", "/enterprises/above-scale?year=2026", "", http.StatusOK, ""},
			{rep, "GET", "/enterprises/above-scale", "", http.StatusBadRequest, ""},
		} {
			res := call(tc.authz, tc.method, tc.path, tc.body)
			if res.status != tc.status {
				t.Errorf("%s %s %s: %d, want %d: %s", tc.method, tc.path, tc.body, res.status, tc.status, res.body)
				continue
			}
			if tc.field != "" {
				if e := res.apiError(t); e.Fields[tc.field] == "" {
					t.Errorf("%s %s: fields %v, want %s", tc.method, tc.path, e.Fields, tc.field)
				}
			}
		}
		got := call(rep, "GET", path, "").object(t)
		if got["name"] != "新名" || got["above_scale"] != true || got["division_warning"] == "" ||
			len(got["figures"].([]any)) != 1 || len(got["honours"].([]any)) != 1 || len(got["above_scale_spells"].([]any)) != 1 {
			t.Errorf("detail %v", got)
		}
		if spell := got["above_scale_spells"].([]any)[0].(map[string]any); spell["entry_month"] != "2026-01" {
			t.Errorf("annual batch 2025 counts from %v, want 2026-01", spell["entry_month"])
		}
		list := call(rep, "GET", "/enterprises?above_scale=yes&honour=little_giant", "").object(t)
		if list["total"].(float64) != 1 {
			t.Errorf("list %v", list)
		}
		// The figures of 2025 (land 12.5 亩, no tax) make the only evaluated firm of 2025.
		pm := call(rep, "GET", "/enterprises/per-mu?year=2025", "").object(t)
		if results := pm["results"].([]any); len(results) != 1 || results[0].(map[string]any)["class"] == "" {
			t.Errorf("per-mu %v", pm)
		}
		if res := call(rep, "GET", "/enterprises/per-mu", ""); res.status != http.StatusBadRequest {
			t.Errorf("per-mu without year: %d", res.status)
		}
		pipe := call(rep, "GET", "/enterprises/above-scale?year=2026", "").object(t)
		units := pipe["units"].([]any)
		if len(units) != 1 || units[0].(map[string]any)["gross_entries"].(float64) != 1 || units[0].(map[string]any)["annual_batch_entries"].(float64) != 1 {
			t.Errorf("pipeline %v", pipe)
		}
	})
}

func TestEnterpriseImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		a, b := f.units["countyA"], f.units["countyB"]
		rep := f.login("reporter")
		count := func() int {
			_, n, err := st.FindEnterprises(ctx, domain.EnterpriseFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		existing := &domain.Enterprise{Name: "甲区老企业", UnitID: a.ID, USCC: domain.CompleteUSCC("91" + a.Code + "MA35HMP01")}
		if err := st.CreateEnterprise(ctx, domain.Actor{Via: "test"}, existing); err != nil || existing.USCC == "" {
			t.Fatal(err)
		}
		x := f.download(rep, "/enterprises/template.xlsx")
		rows, _ := x.GetRows(xlsx.EnterpriseSheet)
		if len(rows) < 2 || strings.Join(rows[1], "|") != strings.Join(xlsx.EnterpriseHeaders[:], "|") {
			t.Fatalf("template header %q", rows)
		}
		if list, _ := x.GetCols("选项"); len(list) < 1 || strings.TrimRight(strings.Join(list[0], "|"), "|") != a.Code {
			t.Fatalf("reporter's unit list %q", list)
		}
		newCode := domain.CompleteUSCC("91" + a.Code + "MA35HMP02")
		// A bad credit code in row 4: nothing is imported, the row and column are named.
		before := count()
		bad := edit(t, x, xlsx.EnterpriseSheet, map[string]any{
			"A3": strings.ToLower(newCode), "B3": "甲区新企业", "C3": a.Code, "E3": "30",
			"A4": "914403001922038217", "B4": "坏代码企业", "C4": a.Code,
		})
		res, body := f.upload(rep, "/enterprises/import", nil, "企业.xlsx", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第4行 A列（统一社会信用代码）") {
			t.Fatalf("bad file: %d %s", res.StatusCode, body)
		}
		if count() != before {
			t.Fatal("a refused file created enterprises")
		}
		// Another unit's row is refused too.
		other := edit(t, f.download(rep, "/enterprises/template.xlsx"), xlsx.EnterpriseSheet, map[string]any{"B3": "乙县企业", "C3": b.Code})
		if res, body := f.upload(rep, "/enterprises/import", nil, "企业.xlsx", other); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第3行 C列") {
			t.Fatalf("other unit: %d", res.StatusCode)
		}
		// A good file creates one and updates the existing one by its code.
		good := edit(t, f.download(rep, "/enterprises/template.xlsx"), xlsx.EnterpriseSheet, map[string]any{
			"A3": " " + newCode + " ", "B3": "甲区新企业", "C3": a.Code, "E3": "30",
			"A4": existing.USCC, "F4": "陶瓷",
		})
		if res, body := f.upload(rep, "/enterprises/import", nil, "企业.xlsx", good); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good file: %d %s", res.StatusCode, body)
		}
		if n := count(); n != before+1 {
			list, _, _ := st.FindEnterprises(ctx, domain.EnterpriseFilter{})
			for _, e := range list {
				t.Logf("%s %s", e.USCC, e.Name)
			}
			t.Fatalf("count %d, want %d", n, before+1)
		}
		got, err := st.FindEnterpriseByUSCC(ctx, existing.USCC)
		if err != nil || got.Chain != "陶瓷" || got.Name != "甲区老企业" || got.Version != 2 {
			t.Fatalf("updated %+v %v", got, err)
		}
	})
}
