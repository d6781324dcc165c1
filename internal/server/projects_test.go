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

// fixtureProjects remembers one project per fixture store and unit, created on first use.
var fixtureProjects sync.Map // projectKey → int64

type projectKey struct {
	st   *store.Store
	unit int64
}

// projectOf returns a project of the unit, creating it the first time.
func (f *fixture) projectOf(unitID int64) int64 {
	f.t.Helper()
	if id, ok := fixtureProjects.Load(projectKey{f.st, unitID}); ok {
		return id.(int64)
	}
	p := &domain.Project{Code: fmt.Sprintf("FX%d", unitID), Name: fmt.Sprintf("单位%d的项目", unitID), UnitID: unitID,
		Stage: "signed", SignedOn: "2026-01-10", ContractInvestment: 2 * domain.Yi}
	if err := f.st.CreateProject(context.Background(), domain.Actor{Via: "test"}, p); err != nil {
		f.t.Fatal(err)
	}
	fixtureProjects.Store(projectKey{f.st, unitID}, p.ID)
	return p.ID
}

func TestProjectPagesScopedToOwnUnit(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	rep := f.login("reporter")
	own, other := f.units["countyA"], f.units["countyB"]
	otherID := f.projectOf(other.ID)

	form := func(unit int64, name string, extra ...string) url.Values {
		v := url.Values{"name": {name}, "unit_id": {fmt.Sprint(unit)}, "contract_investment": {"12345.679"},
			"currency": {"CNY"}, "exchange_rate": {"1"}, "capital_source": {"domestic"}, "cert_5020": {"none"}, "industrial": {"1"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	// The new-project form lists only the reporter's own unit.
	if _, body := f.get(rep, "/projects/new"); !strings.Contains(body, own.Name) || strings.Contains(body, ">"+other.Name+"（") {
		t.Fatal("reporter's unit select offers another unit")
	}
	if res := f.post(rep, "/projects", form(other.ID, "乙县的项目")); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reporter creates for another unit: %d", res.StatusCode)
	}
	res := f.post(rep, "/projects", form(own.ID, "甲区光伏组件"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reporter creates for own unit: %d", res.StatusCode)
	}
	list, _, _ := f.st.FindProjects(ctx, domain.ProjectFilter{UnitID: own.ID})
	if len(list) != 1 || list[0].ContractInvestment != 123_456_790 || !strings.HasPrefix(list[0].Code, "XM") {
		t.Fatalf("created: %+v", list)
	}
	p := list[0]
	path := fmt.Sprintf("/projects/%d", p.ID)

	// Editing another unit's project, or moving one's own to another unit, is refused.
	if res, _ := f.get(rep, fmt.Sprintf("/projects/edit/%d", otherID)); res.StatusCode != http.StatusForbidden {
		t.Fatalf("edit form of another unit's project: %d", res.StatusCode)
	}
	if res := f.post(rep, fmt.Sprintf("/projects/%d", otherID), form(other.ID, "改名", "version", "1")); res.StatusCode != http.StatusForbidden {
		t.Fatalf("edit another unit's project: %d", res.StatusCode)
	}
	if res := f.post(rep, path, form(other.ID, "转走", "version", "1")); res.StatusCode != http.StatusForbidden {
		t.Fatalf("move own project to another unit: %d", res.StatusCode)
	}
	if res := f.post(rep, fmt.Sprintf("/projects/%d/stage", otherID), url.Values{"to": {"started"}, "on_date": {"2026-02-01"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("stage of another unit's project: %d", res.StatusCode)
	}
	if res := f.post(rep, path, form(own.ID, "甲区光伏组件（一期）", "version", "1")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit own project: %d", res.StatusCode)
	}
	// The same form again carries the old version.
	res, body := f.postBody(rep, path, form(own.ID, "甲区光伏组件（二期）", "version", "1"))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, "甲区光伏组件（二期）") {
		t.Fatalf("stale edit: %d", res.StatusCode)
	}

	// Stage rules are refused with a message on the project page.
	res, body = f.postBody(rep, path+"/stage", url.Values{"to": {"started"}, "on_date": {"2026-02-01"}, "version": {"2"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "尚未签约") {
		t.Fatalf("start before signing: %d %s", res.StatusCode, body)
	}
	if res := f.post(rep, path+"/stage", url.Values{"to": {"signed"}, "on_date": {"2026-02-01"}, "version": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: %d", res.StatusCode)
	}
	res, body = f.postBody(rep, path+"/stage", url.Values{"to": {"lead"}, "on_date": {"2026-02-02"}, "version": {"3"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "必须填写原因") {
		t.Fatalf("back without reason: %d", res.StatusCode)
	}
	if res := f.post(rep, path+"/ledger", url.Values{"month": {"2026-03"}, "funds_in_place": {"500"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ledger: %d", res.StatusCode)
	}
	if res := f.post(rep, path+"/notes", url.Values{"on_date": {"2026-03-05"}, "body": {"完成设备招标"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("note: %d", res.StatusCode)
	}
	_, body = f.get(rep, path)
	for _, want := range []string{"甲区光伏组件（一期）", "签约", "2026-02-01", "完成设备招标", "500", "1.23"} {
		if !strings.Contains(body, want) {
			t.Errorf("project page lacks %q", want)
		}
	}
}

func TestProjectListAndExport(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	coord := f.login("coordinator")
	a := f.units["countyA"].ID
	for i, amount := range []int64{50_000_000, 150_000_000, 649_999_999, 2_500_000_000} {
		p := &domain.Project{Name: fmt.Sprintf("项目%d", i), UnitID: a, Stage: "signed", SignedOn: fmt.Sprintf("2026-0%d-01", i+1), ContractInvestment: amount}
		if err := f.st.CreateProject(ctx, domain.Actor{Via: "test"}, p); err != nil {
			t.Fatal(err)
		}
	}
	f.projectOf(f.units["countyB"].ID)
	q := fmt.Sprintf("?unit=%d&tier=1&sort=signed_desc", a)
	res, body := f.get(coord, "/projects"+q)
	if res.StatusCode != 200 || !strings.Contains(body, "共 3 条") || !strings.Contains(body, "25.00") || !strings.Contains(body, "6.50") || strings.Contains(body, "项目0") {
		t.Fatalf("list: %d", res.StatusCode)
	}
	res, body = f.get(coord, "/projects/export.xlsx"+q)
	rows, err := xlsx.ReadRows(strings.NewReader(body), "项目")
	if res.StatusCode != 200 || err != nil {
		t.Fatalf("export: %d %v", res.StatusCode, err)
	}
	var names []string
	for _, r := range rows {
		if len(r) > 1 && strings.HasPrefix(r[1], "项目") && r[1] != "项目名称" {
			names = append(names, r[1]+"|"+r[4])
		}
	}
	if want := []string{"项目3|25.00", "项目2|6.50", "项目1|1.50"}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("export rows %v, want %v", names, want)
	}
}

func TestProjectAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		rep := "Bearer " + f.apiToken("reporter")
		own, other := f.units["countyA"].ID, f.units["countyB"].ID
		call := func(method, path, body string) apiResult {
			t.Helper()
			return f.apiCall(nil, rep, method, "/api/v1"+path, body, nil)
		}
		if r := call("POST", "/projects", fmt.Sprintf(`{"name":"乙县项目","unit_id":%d}`, other)); r.status != http.StatusForbidden {
			t.Fatalf("create for another unit: %d %s", r.status, r.body)
		}
		if r := call("POST", "/projects", fmt.Sprintf(`{"name":"x","unit_id":%d,"investor_uscc":"914403001922038217"}`, own)); r.status != 422 || r.apiError(t).Fields["investor_uscc"] == "" {
			t.Fatalf("bad USCC: %d %s", r.status, r.body)
		}
		if r := call("POST", "/projects", fmt.Sprintf(`{"name":"x","unit_id":%d,"colour":"red"}`, own)); r.status != 400 {
			t.Fatalf("unknown field: %d %s", r.status, r.body)
		}
		r := call("POST", "/projects", fmt.Sprintf(`{"name":"甲区储能","unit_id":%d,"contract_investment":300000000,"tags":["上市公司"]}`, own))
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		pid := int64(r.object(t)["id"].(float64))
		p := fmt.Sprintf("/projects/%d", pid)
		if r := call("PUT", p, `{"name":"甲区储能（一期）"}`); r.status != 422 {
			t.Fatalf("update without version: %d", r.status)
		}
		if r := call("PUT", p, `{"name":"甲区储能（一期）","version":1}`); r.status != 200 || r.object(t)["name"] != "甲区储能（一期）" || r.object(t)["contract_investment"].(float64) != 300000000 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		if r := call("PUT", p, `{"name":"旧版本","version":1}`); r.status != http.StatusConflict {
			t.Fatalf("stale update: %d", r.status)
		}
		if r := call("PUT", fmt.Sprintf("/projects/%d", f.projectOf(other)), `{"name":"改","version":1}`); r.status != http.StatusForbidden {
			t.Fatalf("update another unit's: %d", r.status)
		}
		if r := call("POST", p+"/stage", `{"stage":"started","on_date":"2026-03-01","version":2}`); r.status != 422 || !strings.Contains(r.apiError(t).Message, "尚未签约") {
			t.Fatalf("start before signing: %d %s", r.status, r.body)
		}
		if r := call("POST", p+"/stage", `{"stage":"signed","on_date":"2026-03-01","version":2}`); r.status != 200 || r.object(t)["signed_on"] != "2026-03-01" {
			t.Fatalf("sign: %d %s", r.status, r.body)
		}
		if r := call("PUT", p+"/ledger/2026-04", `{"funds_in_place":1000000,"investment_completed":500000}`); r.status != 200 || r.object(t)["funds_in_place"].(float64) != 1000000 {
			t.Fatalf("ledger: %d %s", r.status, r.body)
		}
		if r := call("POST", p+"/notes", `{"on_date":"2026-04-02","body":"设备进场"}`); r.status != http.StatusCreated {
			t.Fatalf("note: %d %s", r.status, r.body)
		}
		if r := call("GET", fmt.Sprintf("/projects?unit_id=%d&min_amount=100000000&limit=10", own), ""); r.status != 200 || r.object(t)["total"].(float64) != 1 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		if r := call("GET", "/projects?stage=dreaming", ""); r.status != 422 {
			t.Fatalf("bad stage filter: %d %s", r.status, r.body)
		}
	})
}

func TestProjectPagesRender(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	id := f.projectOf(f.units["countyA"].ID)
	for user, paths := range map[string][]string{
		"coordinator": {"/projects", "/projects?stage=signed&tier=2&q=项目&sort=amount_desc&page=2", "/projects/new", fmt.Sprintf("/projects/%d", id), fmt.Sprintf("/projects/edit/%d", id)},
		"leader":      {"/projects", fmt.Sprintf("/projects/%d", id)},
		"reporter":    {"/projects/new", fmt.Sprintf("/projects/edit/%d", id)},
	} {
		c := f.login(user)
		for _, p := range paths {
			res, body := f.get(c, p)
			if res.StatusCode != 200 || strings.Contains(body, "<no value>") || !strings.Contains(body, `href="/projects"`) {
				t.Errorf("%s GET %s: %d", user, p, res.StatusCode)
			}
		}
	}
	// A leader reads but is offered no edit.
	if _, body := f.get(f.login("leader"), fmt.Sprintf("/projects/%d", id)); strings.Contains(body, "/stage") || strings.Contains(body, "/projects/edit/") {
		t.Error("leader is offered project edits")
	}
}
