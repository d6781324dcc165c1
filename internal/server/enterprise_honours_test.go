package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixtureHonours remembers one honour per fixture store and enterprise.
var fixtureHonours sync.Map // projectKey → int64

// honourOf returns an honour of the enterprise, recording it the first time.
func (f *fixture) honourOf(enterpriseID int64) int64 {
	f.t.Helper()
	if id, ok := fixtureHonours.Load(projectKey{f.st, enterpriseID}); ok {
		return id.(int64)
	}
	h := &domain.Honour{EnterpriseID: enterpriseID, Type: "innovative_sme", Year: 2025}
	if err := f.st.AddHonour(context.Background(), domain.Actor{Via: "test"}, h); err != nil {
		f.t.Fatal(err)
	}
	fixtureHonours.Store(projectKey{f.st, enterpriseID}, h.ID)
	return h.ID
}

// TestHonourCorrectionPages corrects and withdraws honours through the enterprise page:
// only the enterprise's own unit and coordinators may, a withdrawal needs a reason, a
// stale form is a conflict, and a withdrawn honour stays on the page but leaves the counts.
func TestHonourCorrectionPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		rep, rep2, coord := f.login("reporter"), f.login("reporter2"), f.login("coordinator")
		eid := f.enterpriseOf(f.units["countyA"].ID) // reporter's county
		keep := &domain.Honour{EnterpriseID: eid, Type: "specialized_sme", Year: 2024, Batch: "第六批"}
		gone := &domain.Honour{EnterpriseID: eid, Type: "little_giant", Year: 2024, Batch: "第五批"}
		for _, h := range []*domain.Honour{keep, gone} {
			if err := st.AddHonour(ctx, domain.Actor{Via: "test"}, h); err != nil {
				t.Fatal(err)
			}
		}
		page := fmt.Sprintf("/enterprises/%d", eid)
		edit, withdraw := fmt.Sprintf("%s/honours/%d", page, keep.ID), fmt.Sprintf("%s/honours/%d/withdraw", page, gone.ID)
		correction := url.Values{"version": {"1"}, "type": {"specialized_sme"}, "level": {"city"}, "year": {"2024"}, "batch": {"第六批"}}
		unchanged := func(what string) {
			t.Helper()
			for _, h := range []*domain.Honour{keep, gone} {
				got, err := st.FindHonour(ctx, eid, h.ID)
				if err != nil || got.Version != 1 || got.Withdrawn() {
					t.Fatalf("%s changed the honour: %+v %v", what, got, err)
				}
			}
		}

		// Another county's reporter may do neither.
		if res := f.post(rep2, edit, correction); res.StatusCode != http.StatusForbidden {
			t.Errorf("another county corrects: %d", res.StatusCode)
		}
		if res := f.post(rep2, withdraw, url.Values{"version": {"1"}, "withdraw_reason": {"复核未通过"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("another county withdraws: %d", res.StatusCode)
		}
		unchanged("another county")
		// A withdrawal without a reason, and a correction with a bad year, are refused in Chinese.
		if res, body := f.postBody(rep, withdraw, url.Values{"version": {"1"}, "withdraw_reason": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "请填写撤销原因") {
			t.Errorf("no reason: %d", res.StatusCode)
		}
		bad := url.Values{"version": {"1"}, "type": {"specialized_sme"}, "year": {"二〇二四"}}
		if res, body := f.postBody(rep, edit, bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "认定年度应为整数") ||
			!strings.Contains(body, `value="二〇二四"`) {
			t.Errorf("bad year: %d", res.StatusCode)
		}
		next := strconv.Itoa(f.st.Now().In(domain.ChinaTime).Year() + 1)
		future := url.Values{"version": {"1"}, "type": {"specialized_sme"}, "year": {next}}
		if res, body := f.postBody(rep, edit, future); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "至今年") {
			t.Errorf("an award year not yet come: %d", res.StatusCode)
		}
		unchanged("refused forms")
		if res, _ := f.get(rep, page+"/honours/abc"); res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
			t.Errorf("GET a write route: %d", res.StatusCode)
		}
		if res := f.post(rep, page+"/honours/999999", correction); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown honour: %d", res.StatusCode)
		}

		// The reporter corrects the level; the same form again is stale.
		if res := f.post(rep, edit, correction); res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), fmt.Sprintf("#honour-%d", keep.ID)) {
			t.Fatalf("correct: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := f.postBody(rep, edit, correction); res.StatusCode != http.StatusConflict || !strings.Contains(body, "该荣誉已被他人修改") {
			t.Errorf("stale correction: %d", res.StatusCode)
		}
		if got, _ := st.FindHonour(ctx, eid, keep.ID); got.Level != "city" || got.Version != 2 {
			t.Errorf("corrected %+v", got)
		}
		// An honour past its validity is shown expired, not valid.
		lapsed := &domain.Honour{EnterpriseID: eid, Type: "innovative_sme", Year: 2019, ValidUntil: "2021-12-31"}
		if err := st.AddHonour(ctx, domain.Actor{Via: "test"}, lapsed); err != nil {
			t.Fatal(err)
		}
		if _, body := f.get(rep, page); !strings.Contains(body, `<span class="badge warn">已过期</span>`) || !strings.Contains(body, `<span class="badge ok">有效</span>`) {
			t.Errorf("the expired honour is not marked, or the valid one lost its mark")
		}
		// A coordinator withdraws the other with a reason: it stays on the page, marked.
		if res := f.post(coord, withdraw, url.Values{"version": {"1"}, "withdraw_reason": {"复核未通过"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", res.StatusCode)
		}
		_, body := f.get(rep, page)
		for _, want := range []string{"已撤销", "复核未通过", "测试coordinator", "市级", "专精特新“小巨人”企业"} {
			if !strings.Contains(body, want) {
				t.Errorf("detail page lacks %q", want)
			}
		}
		if strings.Contains(body, withdraw+`"`) || !strings.Contains(body, fmt.Sprintf(`<tr class="withdrawn" id="honour-%d">`, gone.ID)) {
			t.Errorf("a withdrawn honour still offers its forms")
		}
		if _, body := f.get(rep2, page); strings.Contains(body, "撤销荣誉") {
			t.Errorf("another county's reporter is offered the forms")
		}
		counts, err := st.HonourCounts(ctx, 2024)
		if err != nil || counts[f.units["countyA"].ID]["little_giant"] != 0 || counts[f.units["countyA"].ID]["specialized_sme"] != 1 {
			t.Errorf("counts %v %v", counts, err)
		}
		if _, body := f.get(coord, "/enterprises?honour=little_giant"); strings.Contains(body, fmt.Sprintf("/enterprises/%d\"", eid)) {
			t.Errorf("the list still finds the firm by its withdrawn honour")
		}
	})
}

func TestHonourCorrectionAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		rep, rep2 := "Bearer "+f.apiToken("reporter"), "Bearer "+f.apiToken("reporter2")
		call := func(authz, method, path, body string) apiResult {
			return f.apiCall(nil, authz, method, "/api/v1"+path, body, nil)
		}
		eid := f.enterpriseOf(f.units["countyA"].ID)
		path := fmt.Sprintf("/enterprises/%d/honours", eid)
		res := call(rep, "POST", path, `{"type":"little_giant","year":2025,"batch":"第七批"}`)
		if res.status != http.StatusCreated || res.object(t)["version"].(float64) != 1 {
			t.Fatalf("add: %d %s", res.status, res.body)
		}
		hid := int64(res.object(t)["id"].(float64))
		one := fmt.Sprintf("%s/%d", path, hid)
		for _, tc := range []struct {
			authz, method, path, body string
			status                    int
			field                     string
		}{
			{rep2, "PUT", one, `{"type":"little_giant","year":2025,"level":"provincial","version":1}`, http.StatusForbidden, ""},
			{rep2, "POST", one + "/withdraw", `{"reason":"x","version":1}`, http.StatusForbidden, ""},
			{rep, "PUT", one, `{"type":"little_giant","year":2025}`, http.StatusUnprocessableEntity, "version"},
			{rep, "PUT", one, `{"type":"little_giant","year":1999,"version":1}`, http.StatusUnprocessableEntity, "year"},
			{rep, "PUT", one, `{"type":"little_giant","year":2025,"version":1,"colour":"red"}`, http.StatusBadRequest, ""},
			{rep, "PUT", path + "/x", `{"type":"little_giant","year":2025,"version":1}`, http.StatusBadRequest, ""},
			{rep, "PUT", path + "/999999", `{"type":"little_giant","year":2025,"version":1}`, http.StatusNotFound, ""},
			{rep, "PUT", one, `{"type":"little_giant","year":2025,"level":"provincial","version":1}`, http.StatusOK, ""},
			{rep, "PUT", one, `{"type":"little_giant","year":2025,"level":"city","version":1}`, http.StatusConflict, ""},
			{rep, "POST", one + "/withdraw", `{"reason":"","version":2}`, http.StatusUnprocessableEntity, "withdraw_reason"},
			{rep, "POST", one + "/withdraw", `{"reason":"文件撤销","version":1}`, http.StatusConflict, ""},
			{rep, "POST", one + "/withdraw", `{"reason":"文件撤销","version":2}`, http.StatusOK, ""},
			{rep, "PUT", one, `{"type":"little_giant","year":2025,"version":3}`, http.StatusUnprocessableEntity, ""},
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
		got := call(rep, "GET", fmt.Sprintf("/enterprises/%d", eid), "").object(t)
		honours := got["honours"].([]any)
		if len(honours) != 1 {
			t.Fatalf("honours %v", honours)
		}
		h := honours[0].(map[string]any)
		if h["withdrawn"] != true || h["withdraw_reason"] != "文件撤销" || h["level"] != "provincial" || h["version"].(float64) != 3 || h["withdrawn_at"] == nil {
			t.Errorf("withdrawn honour %v", h)
		}
		if list := call(rep, "GET", "/enterprises?honour=little_giant", "").object(t); list["total"].(float64) != 0 {
			t.Errorf("list by a withdrawn honour %v", list)
		}
	})
}

// TestEnterpriseFigureDisplay: money in 万元 to two decimals, half up, in every year's
// row, and the per-mu R&D share as a percentage, not a bare fraction.
func TestEnterpriseFigureDisplay(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		coord := f.login("coordinator")
		eid := f.enterpriseOf(f.units["countyA"].ID)
		e, err := st.FindEnterpriseByID(ctx, eid)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordScaleEntry(ctx, domain.Actor{Via: "test"}, eid, e.Version, domain.EntryMonthly, "2020-01", 0); err != nil {
			t.Fatal(err)
		}
		year := st.Now().In(domain.ChinaTime).Year() - 1 // the figures year the page evaluates
		for _, fig := range []*domain.EnterpriseFigures{
			// R&D 35.5万 of revenue 1000万: 3.55%.
			{EnterpriseID: eid, Year: year, Revenue: 10_000_000, Tax: 1_234_567, ValueAdded: 3_000_000, RDSpending: 355_000,
				Employees: 50, LandMu: domain.DecFromInt(20)},
			// Last-but-one year: 2345.6789万 shows 2345.68, 12.345万 shows 12.35.
			{EnterpriseID: eid, Year: year - 1, Revenue: 23_456_789, Tax: 123_450, LandMu: domain.DecFromInt(20)},
		} {
			if err := st.SetEnterpriseFigures(ctx, domain.Actor{Via: "test"}, fig); err != nil {
				t.Fatal(err)
			}
		}
		_, body := f.get(coord, fmt.Sprintf("/enterprises/%d", eid))
		for _, want := range []string{">1000.00<", ">123.46<", ">2345.68<", ">12.35<", ">35.50<", ">3.55%<", "研发经费占营业收入比重"} {
			if !strings.Contains(body, want) {
				t.Errorf("detail page lacks %q", want)
			}
		}
		for _, raw := range []string{"2345.6789", "0.0355", "12.345<"} {
			if strings.Contains(body, raw) {
				t.Errorf("detail page shows the raw %q", raw)
			}
		}
		// The scheme shows and takes the R&D share's benchmark in percent, kept as a fraction.
		scheme := url.Values{"share_A": {"20"}, "share_B": {"40"}, "share_C": {"35"}, "share_D": {"5"}, "exempt_class": {"T"},
			"exempt_sections": {"D"}, "below_tax_per_mu_weight": {"50"}, "below_tax_per_electricity_weight": {"50"},
			"above_tax_per_mu_weight": {"30"}, "above_va_per_mu_weight": {"20"}, "above_va_per_energy_weight": {"20"},
			"above_va_per_emission_weight": {"10"}, "above_labour_productivity_weight": {"10"}, "above_rd_ratio_weight": {"10"},
			"above_rd_ratio_benchmark": {"3.255"}}
		if res := f.post(coord, "/enterprises/per-mu/settings", scheme); res.StatusCode != http.StatusSeeOther {
			t.Errorf("scheme with a three-decimal percentage: %d", res.StatusCode)
		}
		if sc, _ := st.PerMuScheme(ctx); sc.AboveScale[5].Benchmark != 0 {
			t.Errorf("a three-decimal percentage was stored: %v", sc.AboveScale[5])
		}
		scheme.Set("above_rd_ratio_benchmark", "3.25")
		if res := f.post(coord, "/enterprises/per-mu/settings", scheme); res.StatusCode != http.StatusSeeOther {
			t.Errorf("scheme: %d", res.StatusCode)
		}
		if sc, _ := st.PerMuScheme(ctx); sc.AboveScale[5].Indicator != domain.MuRDRatio || sc.AboveScale[5].Benchmark.String() != "0.0325" {
			t.Errorf("R&D benchmark stored %v", sc.AboveScale[5])
		}
		_, body = f.get(coord, "/enterprises/per-mu")
		if !strings.Contains(body, "研发经费占营业收入比重（%）") || !strings.Contains(body, `value="3.25"`) {
			t.Errorf("per-mu page does not show the R&D benchmark in percent")
		}
		// The breakdown now judges 3.55% against 3.25%.
		if _, body := f.get(coord, fmt.Sprintf("/enterprises/%d", eid)); !strings.Contains(body, ">3.25%<") {
			t.Errorf("breakdown lacks the benchmark in percent")
		}
	})
}
