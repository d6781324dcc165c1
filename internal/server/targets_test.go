package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// tgIndicator adds a reported indicator to the catalogue directly.
func tgIndicator(t *testing.T, f *fixture, code, name, measure string, sort int) *domain.Indicator {
	t.Helper()
	i := &domain.Indicator{Code: code, Name: name, Measure: measure, Kind: domain.KindReported, HigherIsBetter: true,
		SortOrder: sort, Active: true}
	if err := f.st.CreateIndicator(context.Background(), domain.Actor{Via: "test"}, i); err != nil {
		t.Fatal(err)
	}
	return i
}

// tgAssess makes the fixture's counties count in rankings and adds a park inside county
// A, so that the decomposition check has something to add up and something to leave out.
func tgAssess(t *testing.T, f *fixture) *domain.Unit {
	t.Helper()
	ctx := context.Background()
	sys := domain.Actor{Via: "test"}
	for _, key := range []string{"countyA", "countyB"} {
		u, err := f.st.FindUnitByID(ctx, f.units[key].ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Assessed = true
		if err := f.st.UpdateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	park := &domain.Unit{Code: "P369901", Name: "甲区园区", Kind: domain.UnitPark, ParentID: f.units["countyA"].ID,
		Assessed: true, Active: true, SortOrder: 100}
	if err := f.st.CreateUnit(ctx, sys, park); err != nil {
		t.Fatal(err)
	}
	return park
}

var stampPattern = regexp.MustCompile(`name="stamp" value="([0-9a-f]+)"`)

// gridStamp reads the fingerprint the grid page hands back with a save.
func gridStamp(t *testing.T, body string) string {
	t.Helper()
	m := stampPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("grid page has no stamp")
	}
	return m[1]
}

func cell(kind string, unit *domain.Unit, ind *domain.Indicator) string {
	return fmt.Sprintf("%s_%d_%d", kind, unit.ID, ind.ID)
}

func TestIndicatorPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		coord := f.login("coordinator")

		res, body := f.get(coord, "/indicators/new")
		if res.StatusCode != 200 || !strings.Contains(body, ">填报<") || !strings.Contains(body, ">比率<") || !strings.Contains(body, ">自动统计<") {
			t.Fatalf("new indicator form: %d, kinds offered wrongly", res.StatusCode)
		}
		form := func(code, name, measure, kind string, extra ...string) url.Values {
			v := url.Values{"code": {code}, "name": {name}, "measure": {measure}, "decimals": {"0"}, "kind": {kind},
				"accumulation": {"cumulative"}, "higher_is_better": {"1"}, "sort_order": {"10"}, "active": {"1"}, "headline": {"1"}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		for _, v := range []url.Values{form("signed", "签约亿元以上项目", "个", "reported"), form("started", "开工亿元以上项目", "个", "reported")} {
			if res := f.post(coord, "/indicators", v); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/indicators" {
				t.Fatalf("create %s: %d", v.Get("code"), res.StatusCode)
			}
		}
		list, _ := st.FindIndicators(ctx, false)
		if len(list) != 2 {
			t.Fatalf("catalogue has %d lines", len(list))
		}
		signed, started := list[0], list[1]
		if signed.Code != "signed" {
			signed, started = started, signed
		}
		ratio := form("start_rate", "开工率", "%", "ratio", "decimals", "1", "numerator_id", id(started.ID), "denominator_id", id(signed.ID))
		if res := f.post(coord, "/indicators", ratio); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create ratio: %d", res.StatusCode)
		}

		// A bad form comes back with every problem named and the input as typed.
		bad := form("1bad", "", "", "ratio", "decimals", "x")
		res, body = f.postBody(coord, "/indicators", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad indicator: %d", res.StatusCode)
		}
		for _, want := range []string{`value="1bad"`, `value="x"`, "显示小数位应为整数", "编码为2至32位", "请填写指标名称", "请选择计量单位", "比率指标需要选择分子和分母指标"} {
			if !strings.Contains(body, want) {
				t.Errorf("bad indicator form lacks %q", want)
			}
		}
		// A derived indicator needs a valid rule; the refused one keeps what was typed.
		res, body = f.postBody(coord, "/indicators", form("auto", "自动", "个", "derived", "rule", `{"entity":"planet"}`))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "未知的记录类型") || !strings.Contains(body, "planet") {
			t.Fatalf("derived indicator with a bad rule: %d", res.StatusCode)
		}
		if list, _ := st.FindIndicators(ctx, false); len(list) != 3 {
			t.Fatalf("refused forms changed the catalogue: %d lines", len(list))
		}

		_, body = f.get(coord, "/indicators")
		for _, want := range []string{"签约亿元以上项目", "开工率", "开工亿元以上项目 ÷ 签约亿元以上项目", "比率", "累计", "越高越好", `href="/indicators/new"`} {
			if !strings.Contains(body, want) {
				t.Errorf("catalogue page lacks %q", want)
			}
		}

		// Edit, then a stale edit gets the conflict box with the input kept.
		res, body = f.get(coord, fmt.Sprintf("/indicators/%d/edit", signed.ID))
		if res.StatusCode != 200 || !strings.Contains(body, `value="签约亿元以上项目"`) {
			t.Fatalf("edit page: %d", res.StatusCode)
		}
		edit := form("signed", "新签约亿元以上项目", "个", "reported", "version", "1")
		if res := f.post(coord, fmt.Sprintf("/indicators/%d", signed.ID), edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		edit.Set("name", "过期的修改")
		res, body = f.postBody(coord, fmt.Sprintf("/indicators/%d", signed.ID), edit)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "该记录已被他人修改") || !strings.Contains(body, `value="过期的修改"`) {
			t.Fatalf("stale edit: %d", res.StatusCode)
		}
		if got, _ := st.FindIndicatorByID(ctx, signed.ID); got.Name != "新签约亿元以上项目" || got.Version != 2 {
			t.Fatalf("after edits: %+v", got)
		}

		// Everyone but the auditor reads the catalogue; only coordinators write it.
		for _, who := range []string{"reporter", "leader", "handler", "admin"} {
			c := f.login(who)
			res, body := f.get(c, "/indicators")
			if res.StatusCode != 200 || strings.Contains(body, `href="/indicators/new"`) || !strings.Contains(body, `href="/indicators"`) {
				t.Errorf("%s reads catalogue: %d", who, res.StatusCode)
			}
			if res := f.post(c, "/indicators", form("x_"+who, "x", "个", "reported")); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s creates indicator: %d", who, res.StatusCode)
			}
			if res, _ := f.get(c, fmt.Sprintf("/indicators/%d/edit", signed.ID)); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens edit form: %d", who, res.StatusCode)
			}
		}
		if res, _ := f.get(f.login("auditor"), "/indicators"); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor reads catalogue: %d", res.StatusCode)
		}
		res, body = f.get(coord, "/indicators/export.xlsx")
		rows, err := xlsx.ReadRows(strings.NewReader(body), "指标")
		if res.StatusCode != 200 || err != nil || len(rows) != 5 || rows[1][0] != "编码" {
			t.Fatalf("catalogue export: %d %q %v", res.StatusCode, rows, err)
		}
	})
}

func TestTargetGridAndLetters(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		park := tgAssess(t, f)
		city, a, b := f.units["city"], f.units["countyA"], f.units["countyB"]
		firms := tgIndicator(t, f, "new_above_scale", "新增规上工业企业", "户", 1)
		rate := tgIndicator(t, f, "growth", "工业增加值增速", "%", 2)
		coord := f.login("coordinator")

		res, body := f.get(coord, "/targets?year=2026")
		if res.StatusCode != 200 || !strings.Contains(body, `name="`+cell("base", b, firms)+`"`) || !strings.Contains(body, "甲区园区") {
			t.Fatalf("grid: %d", res.StatusCode)
		}
		if strings.Contains(body, "市工信局") {
			t.Error("the grid lists a department")
		}
		stamp := gridStamp(t, body)

		// One bad cell: nothing is saved, the cell is named, every typed value comes back.
		grid := url.Values{"year": {"2026"}, "stamp": {stamp},
			cell("base", city, firms): {"100"}, cell("stretch", city, firms): {"120"},
			cell("base", a, firms): {"40"}, cell("stretch", a, firms): {"45"},
			cell("base", b, firms): {"5O"}, cell("stretch", b, firms): {""},
			cell("base", park, firms): {"30"},
			cell("base", city, rate):  {"8"}, cell("base", a, rate): {"1"}}
		res, body = f.postBody(coord, "/targets", grid)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("grid with a bad cell: %d", res.StatusCode)
		}
		for _, want := range []string{"乙县 · 新增规上工业企业 基础目标", "不是有效的数字：5O", `value="5O"`, `value="45"`, `value="30"`, "全部未保存"} {
			if !strings.Contains(body, want) {
				t.Errorf("refused grid lacks %q", want)
			}
		}
		if got, _ := st.FindTargets(ctx, 2026, 0); len(got) != 0 {
			t.Fatalf("a refused grid saved %d targets", len(got))
		}
		// A stretch below its base is named by its cell too.
		grid.Set(cell("base", b, firms), "50")
		grid.Set(cell("stretch", b, firms), "49")
		if _, body := f.postBody(coord, "/targets", grid); !strings.Contains(body, "乙县 · 新增规上工业企业 奋斗目标不能低于基础目标") {
			t.Error("stretch below base not named")
		}
		grid.Set(cell("stretch", b, firms), "")
		if res := f.post(coord, "/targets", grid); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/targets?year=2026" {
			t.Fatalf("save grid: %d", res.StatusCode)
		}
		if got, _ := st.FindTargets(ctx, 2026, 0); len(got) != 6 {
			t.Fatalf("saved %d targets, want 6", len(got))
		}
		// The grid as first loaded is now stale.
		res, body = f.postBody(coord, "/targets", grid)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "该记录已被他人修改") {
			t.Fatalf("stale grid: %d", res.StatusCode)
		}

		// The counties hold 40 + 50 of the city's 100 (the park's 30 is inside county A);
		// the growth rate is not additive and is not checked.
		res, body = f.get(coord, "/targets?year=2026")
		if !strings.Contains(body, "分解合计 90，低于全市目标 100") || strings.Contains(body, "低于全市目标 8") {
			t.Errorf("decomposition warning wrong")
		}
		stamp = gridStamp(t, body)
		rows := exportRows(t, f, coord, "/targets/export.xlsx?year=2026", "目标")
		if rows[0][0] != "2026年度工业倍增暨招商引资目标分解表" || rows[2][0] != "测试市" || rows[2][3] != "100" || rows[2][4] != "120" {
			t.Errorf("grid export: %q", rows[:3])
		}
		if last := rows[len(rows)-1]; last[0] != "县区分解合计" || last[3] != "90" || last[4] != "低于全市目标" {
			t.Errorf("grid export total: %q", last)
		}

		// Readers see the grid without inputs and cannot save it.
		for _, who := range []string{"reporter", "leader"} {
			c := f.login(who)
			res, body := f.get(c, "/targets?year=2026")
			if res.StatusCode != 200 || strings.Contains(body, `name="base_`) || !strings.Contains(body, "分解合计 90") {
				t.Errorf("%s grid: %d", who, res.StatusCode)
			}
			if res := f.post(c, "/targets", grid); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s saved the grid: %d", who, res.StatusCode)
			}
			if res := f.post(c, "/letters", url.Values{"year": {"2026"}, "unit_id": {id(a.ID)}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s issued a letter: %d", who, res.StatusCode)
			}
		}

		// Issue county A's letter.
		res = f.post(coord, "/letters", url.Values{"year": {"2026"}, "unit_id": {id(a.ID)}, "note": {"经市倍增办研究确定"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/letters/") {
			t.Fatalf("issue letter: %d", res.StatusCode)
		}
		letterURL := res.Header.Get("Location")
		res, body = f.get(f.login("reporter"), letterURL)
		if res.StatusCode != 200 {
			t.Fatalf("reporter reads letter: %d", res.StatusCode)
		}
		for _, want := range []string{"2026年度工业倍增暨招商引资目标责任书", "责任单位：<span>甲区</span>", "新增规上工业企业",
			`<td class="n">40</td><td class="n">45</td>`, "发文单位（盖章）", "责任单位负责人（签字）", "测试市", "data-print",
			"第1版", "经市倍增办研究确定"} {
			if !strings.Contains(body, want) {
				t.Errorf("letter lacks %q", want)
			}
		}
		// A unit without targets gets no letter.
		park2 := &domain.Unit{Code: "P369902", Name: "乙县园区", Kind: domain.UnitPark, ParentID: b.ID, Active: true}
		if err := st.CreateUnit(ctx, domain.Actor{Via: "test"}, park2); err != nil {
			t.Fatal(err)
		}
		res, body = f.postBody(coord, "/letters", url.Values{"year": {"2026"}, "unit_id": {id(park2.ID)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "尚未设置目标") {
			t.Fatalf("letter without targets: %d", res.StatusCode)
		}

		// After issue, changing county A's target needs a reason; with one, it is kept.
		change := url.Values{"year": {"2026"}, "stamp": {stamp}, cell("base", a, firms): {"42"}, cell("stretch", a, firms): {"45"}}
		res, body = f.postBody(coord, "/targets", change)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "修改目标须填写原因") || !strings.Contains(body, `value="42"`) {
			t.Fatalf("change without reason: %d", res.StatusCode)
		}
		if got, _ := st.FindTargets(ctx, 2026, a.ID); got[store.TargetKey{UnitID: a.ID, IndicatorID: firms.ID}].Base.String() != "40" {
			t.Fatal("a change without reason was saved")
		}
		change.Set("reason", "市政府常务会议调整")
		if res := f.post(coord, "/targets", change); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change with reason: %d", res.StatusCode)
		}
		_, body = f.get(coord, letterURL)
		for _, want := range []string{"下达后的目标调整", "40 / 45", "42 / 45", "市政府常务会议调整", "本版下达后", `<td class="n">40</td>`} {
			if !strings.Contains(body, want) {
				t.Errorf("letter after revision lacks %q", want)
			}
		}
		// The letter's workbook holds the numbers as issued.
		rows = exportRows(t, f, coord, letterURL+"/export.xlsx", "目标责任书")
		if rows[0][0] != "2026年度工业倍增暨招商引资目标责任书" || strings.Join(rows[1], ",") != "序号,指标,单位,基础目标,奋斗目标" ||
			strings.Join(rows[2], ",") != "1,新增规上工业企业,户,40,45" {
			t.Errorf("letter workbook: %q", rows)
		}
		_, body = f.get(coord, "/letters?year=2026")
		if !strings.Contains(body, "目标已调整，待重新下达") || !strings.Contains(body, "未下达") {
			t.Error("letters page does not show the changed target")
		}
		res = f.post(coord, "/letters", url.Values{"year": {"2026"}, "unit_id": {id(a.ID)}})
		_, body = f.get(coord, letterURL)
		if !strings.Contains(body, "已被") || !strings.Contains(body, "第2版") {
			t.Error("the first letter does not point to the second")
		}
		_, body = f.get(coord, res.Header.Get("Location"))
		if !strings.Contains(body, `<td class="n">42</td>`) {
			t.Error("the second letter lacks the new target")
		}
	})
}

// exportRows downloads a workbook and reads one sheet back.
func exportRows(t *testing.T, f *fixture, c *http.Client, path, sheet string) [][]string {
	t.Helper()
	res, body := f.get(c, path)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
		t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := xlsx.ReadRows(strings.NewReader(body), sheet)
	if err != nil || len(rows) < 3 {
		t.Fatalf("%s: %q %v", path, rows, err)
	}
	return rows
}

func TestTargetsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		a, b := f.units["countyA"], f.units["countyB"]
		projects := tgIndicator(t, f, "projects", "亿元以上项目", "个", 1)
		signed := tgIndicator(t, f, "signed", "签约项目", "个", 2)
		projectsPath := "/api/v1/indicators/" + id(projects.ID)
		cellJSON := func(unit int64, base, stretch string) string {
			s := fmt.Sprintf(`{"unit_id":%d,"indicator_id":%d,"base":%s`, unit, projects.ID, base)
			if stretch != "" {
				s += `,"stretch":` + stretch
			}
			return s + "}"
		}
		put := func(reason string, cells ...string) string {
			return fmt.Sprintf(`{"year":2026,"reason":%q,"cells":[%s]}`, reason, strings.Join(cells, ","))
		}
		var letterID float64
		f.run(t, []apiScenario{
			{name: "leader lists indicators", user: "leader", method: "GET", path: "/api/v1/indicators", status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					items := m["items"].([]any)
					if len(items) != 2 || m["total"].(float64) != 2 {
						t.Fatalf("items: %v", m)
					}
					hasKeys(t, "indicator", items[0].(map[string]any), "id", "code", "name", "measure", "decimals",
						"higher_is_better", "kind", "accumulation", "numerator_id", "denominator_id", "rule", "headline",
						"sort_order", "active", "version", "created_at", "updated_at")
				}},
			{name: "unknown query", user: "leader", method: "GET", path: "/api/v1/indicators?activ=1", status: 400, code: "invalid"},
			{name: "auditor may not read", user: "auditor", method: "GET", path: "/api/v1/indicators", status: 403, code: "forbidden"},
			{name: "create ratio", user: "coordinator", method: "POST", path: "/api/v1/indicators",
				body:   fmt.Sprintf(`{"code":"start_rate","name":"开工率","measure":"%%","decimals":1,"kind":"ratio","numerator_id":%d,"denominator_id":%d}`, projects.ID, signed.ID),
				status: 201, audit: "indicator.create", check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["kind"] != "ratio" || m["numerator_id"].(float64) != float64(projects.ID) || m["active"] != true ||
						!strings.HasPrefix(res.header.Get("Location"), "/api/v1/indicators/") {
						t.Errorf("created: %v", m)
					}
				}},
			{name: "reporter may not create", user: "reporter", method: "POST", path: "/api/v1/indicators",
				body: `{"code":"x1","name":"x","measure":"个","kind":"reported"}`, status: 403, code: "forbidden"},
			{name: "derived without a rule refused", user: "coordinator", method: "POST", path: "/api/v1/indicators",
				body: `{"code":"auto","name":"自动","measure":"个","kind":"derived"}`, status: 422, code: "invalid", fields: []string{"rule"}},
			{name: "derived with a rule", user: "coordinator", method: "POST", path: "/api/v1/indicators",
				body:   `{"code":"signed_100m","name":"亿元以上签约项目","measure":"个","kind":"derived","rule":"{\"entity\":\"project\",\"date_field\":\"signed_on\",\"aggregate\":\"count\",\"filters\":[{\"field\":\"contract_investment\",\"op\":\"gte\",\"value\":[\"100000000\"]}]}"}`,
				status: 201, audit: "indicator.create"},
			{name: "bad fields", user: "coordinator", method: "POST", path: "/api/v1/indicators",
				body: `{"code":"1x","name":"","measure":"斤","kind":"reported","decimals":9}`, status: 422, fields: []string{"code", "name", "measure", "decimals"}},
			{name: "malformed", user: "coordinator", method: "POST", path: "/api/v1/indicators", body: `{"code":`, status: 400, code: "invalid"},
			{name: "unknown field", user: "coordinator", method: "POST", path: "/api/v1/indicators",
				body: `{"code":"abc","name":"x","measure":"个","kind":"reported","colour":"red"}`, status: 400, code: "invalid"},
			{name: "update", user: "coordinator", method: "PUT", path: projectsPath, body: `{"name":"亿元以上新签约项目","version":1}`,
				status: 200, audit: "indicator.update", check: func(t *testing.T, res apiResult) {
					if m := res.object(t); m["version"].(float64) != 2 || m["name"] != "亿元以上新签约项目" || m["code"] != "projects" {
						t.Errorf("updated: %v", m)
					}
				}},
			{name: "stale version", user: "coordinator", method: "PUT", path: projectsPath, body: `{"name":"过期","version":1}`, status: 409, code: "conflict"},
			{name: "no version", user: "coordinator", method: "PUT", path: projectsPath, body: `{"name":"无版本"}`, status: 422, fields: []string{"version"}},
			{name: "get indicator", user: "reporter", method: "GET", path: projectsPath, status: 200, check: func(t *testing.T, res apiResult) {
				if m := res.object(t); m["version"].(float64) != 2 || m["numerator_id"] != nil {
					t.Errorf("got %v", m)
				}
			}},
			{name: "missing indicator", user: "reporter", method: "GET", path: "/api/v1/indicators/99999", status: 404, code: "not_found"},

			{name: "set a target", user: "coordinator", method: "PUT", path: "/api/v1/targets", body: put("", cellJSON(a.ID, "12", `"15.5"`)),
				status: 200, audit: "target.set", check: func(t *testing.T, res apiResult) {
					if m := res.object(t); m["changed"].(float64) != 1 || m["year"].(float64) != 2026 {
						t.Errorf("saved: %v", m)
					}
				}},
			{name: "bad number names the cell", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: put("", cellJSON(b.ID, "7", ""), cellJSON(a.ID, `"abc"`, "")), status: 422, fields: []string{"cells[1].base"}},
			{name: "base must be given", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: fmt.Sprintf(`{"year":2026,"cells":[{"unit_id":%d,"indicator_id":%d}]}`, b.ID, projects.ID), status: 422, fields: []string{"cells[0].base"}},
			{name: "stretch below base", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: put("", cellJSON(b.ID, "7", "6")), status: 422, fields: []string{"cells[0].stretch"}},
			{name: "unknown unit and year", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: `{"year":1999,"cells":[{"unit_id":99999,"indicator_id":99999,"base":1}]}`, status: 422,
				fields: []string{"year", "cells[0].unit_id", "cells[0].indicator_id"}},
			{name: "no cells", user: "coordinator", method: "PUT", path: "/api/v1/targets", body: `{"year":2026,"cells":[]}`, status: 422, fields: []string{"cells"}},
			{name: "unknown field in targets", user: "coordinator", method: "PUT", path: "/api/v1/targets", body: `{"year":2026,"cells":[],"x":1}`, status: 400},
			{name: "leader may not set targets", user: "leader", method: "PUT", path: "/api/v1/targets", body: put("", cellJSON(b.ID, "7", "")), status: 403},
			{name: "list targets", user: "reporter2", method: "GET", path: "/api/v1/targets?year=2026", status: 200, check: func(t *testing.T, res apiResult) {
				var out struct {
					Items []map[string]json.RawMessage `json:"items"`
				}
				if err := json.Unmarshal(res.body, &out); err != nil || len(out.Items) != 1 {
					t.Fatalf("targets: %s %v", res.body, err)
				}
				if got := out.Items[0]; string(got["base"]) != "12" || string(got["stretch"]) != "15.5" || string(got["unit_id"]) != id(a.ID) {
					t.Errorf("target: %s", res.body)
				}
			}},
			{name: "year required", user: "leader", method: "GET", path: "/api/v1/targets", status: 400, code: "invalid"},
			{name: "bad year", user: "leader", method: "GET", path: "/api/v1/targets?year=20x6", status: 400},

			{name: "issue letter", user: "coordinator", method: "POST", path: "/api/v1/letters", body: fmt.Sprintf(`{"year":2026,"unit_id":%d,"note":"首次下达"}`, a.ID),
				status: 201, audit: "letter.issue", check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					targets := m["targets"].([]any)
					first := targets[0].(map[string]any)
					if m["version"].(float64) != 1 || len(targets) != 1 || first["base"].(float64) != 12 || first["stretch"].(float64) != 15.5 {
						t.Errorf("letter: %s", res.body)
					}
					letterID = m["id"].(float64)
				}},
			{name: "letter without targets", user: "coordinator", method: "POST", path: "/api/v1/letters", body: fmt.Sprintf(`{"year":2026,"unit_id":%d}`, b.ID), status: 422},
			{name: "letter for no unit", user: "coordinator", method: "POST", path: "/api/v1/letters", body: `{"year":2026,"unit_id":99999}`, status: 422, fields: []string{"unit_id"}},
			{name: "reporter may not issue", user: "reporter", method: "POST", path: "/api/v1/letters", body: fmt.Sprintf(`{"year":2026,"unit_id":%d}`, a.ID), status: 403},
			{name: "change after issue needs a reason", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: put("", cellJSON(a.ID, "13", "")), status: 422, fields: []string{"reason"}},
			{name: "change after issue with a reason", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: put("省里下达任务调整", cellJSON(a.ID, "13", "")), status: 200, audit: "target.set"},
			{name: "list letters", user: "handler", method: "GET", path: "/api/v1/letters?year=2026&unit_id=" + id(a.ID), status: 200, check: func(t *testing.T, res apiResult) {
				if m := res.object(t); m["total"].(float64) != 1 {
					t.Errorf("letters: %s", res.body)
				}
			}},
			{name: "letters need a year", user: "handler", method: "GET", path: "/api/v1/letters", status: 400},
		})
		f.run(t, []apiScenario{
			{name: "get letter", user: "leader", method: "GET", path: fmt.Sprintf("/api/v1/letters/%d", int64(letterID)), status: 200, check: func(t *testing.T, res apiResult) {
				m := res.object(t)
				hasKeys(t, "letter", m, "id", "year", "unit_id", "version", "issued_at", "issued_by", "note", "targets")
				if m["note"] != "首次下达" || m["issued_by"] != "coordinator" {
					t.Errorf("letter: %s", res.body)
				}
			}},
			{name: "missing letter", user: "leader", method: "GET", path: "/api/v1/letters/99999", status: 404},
			{name: "remove a target", user: "coordinator", method: "PUT", path: "/api/v1/targets",
				body: put("取消该项任务", cellJSON(a.ID, "null", "")), status: 200, audit: "target.set"},
		})
		revs, err := st.FindTargetRevisions(context.Background(), 2026, a.ID)
		if err != nil || len(revs) != 2 || revs[1].NewBase != "13" || revs[0].NewBase != "" || revs[1].Reason != "省里下达任务调整" {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
	})
}
