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
