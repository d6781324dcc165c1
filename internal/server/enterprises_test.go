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
		for _, want := range []string{"2026-03", "月度入库", "2345.6789", "30.5", "专精特新中小企业", "2027-12-31", "规上"} {
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
		pipe := call(rep, "GET", "/enterprises/above-scale?year=2026", "").object(t)
		units := pipe["units"].([]any)
		if len(units) != 1 || units[0].(map[string]any)["gross_entries"].(float64) != 1 || units[0].(map[string]any)["annual_batch_entries"].(float64) != 1 {
			t.Errorf("pipeline %v", pipe)
		}
	})
}
