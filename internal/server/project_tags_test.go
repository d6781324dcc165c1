package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

func TestProjectTagPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		coord, leader, rep := f.login("coordinator"), f.login("leader"), f.login("reporter")
		for _, c := range []*http.Client{leader, rep} {
			if res, _ := f.get(c, "/projects/tags"); res.StatusCode != http.StatusForbidden {
				t.Errorf("non-coordinator opened the tag list: %d", res.StatusCode)
			}
			if res := f.post(c, "/projects/tags", url.Values{"name": {"独角兽"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("non-coordinator added a tag: %d", res.StatusCode)
			}
		}
		if _, body := f.get(coord, "/projects/tags"); !strings.Contains(body, "世界500强") || !strings.Contains(body, "添加标签") {
			t.Fatal("tag page lacks the list or the form")
		}

		// Bad input is shown back with the reason, and nothing is added.
		res, body := f.postBody(coord, "/projects/tags", url.Values{"name": {"上市、龙头"}, "sort_order": {"x"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "排序号应为整数") || !strings.Contains(body, `value="上市、龙头"`) {
			t.Fatalf("bad tag: %d", res.StatusCode)
		}
		res, body = f.postBody(coord, "/projects/tags", url.Values{"name": {"上市、龙头"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不能含有空格") {
			t.Fatalf("separator: %d", res.StatusCode)
		}
		if res, body := f.postBody(coord, "/projects/tags", url.Values{"name": {"上市公司"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "已有标签“上市公司”") {
			t.Fatalf("repeated tag: %d", res.StatusCode)
		}
		if res := f.post(coord, "/projects/tags", url.Values{"name": {"独角兽"}, "sort_order": {"8"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add: %d", res.StatusCode)
		}
		tags, _ := st.ProjectTags(ctx)
		var uni domain.ProjectTag
		for _, tg := range tags {
			if tg.Name == "独角兽" {
				uni = tg
			}
		}
		if uni.ID == 0 {
			t.Fatal("tag not added")
		}

		// The new tag is offered by the project form and the list filter, and a project takes it.
		if _, body := f.get(rep, "/projects/new"); !strings.Contains(body, `value="独角兽"`) {
			t.Error("project form does not offer the new tag")
		}
		p := &domain.Project{Name: "独角兽项目", UnitID: f.units["countyA"].ID, Stage: "lead", Tags: []string{"独角兽"}}
		if err := st.CreateProject(ctx, domain.Actor{Via: "test"}, p); err != nil {
			t.Fatal(err)
		}

		// Rename: the project follows; a stale version is a conflict shown with the input kept.
		update := fmt.Sprintf("/projects/tags/%d/update", uni.ID)
		if res := f.post(coord, update, url.Values{"name": {"瞪羚企业"}, "sort_order": {"8"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rename: %d", res.StatusCode)
		}
		if got, _ := st.FindProjectByID(ctx, p.ID); strings.Join(got.Tags, "") != "瞪羚企业" {
			t.Errorf("project tags %q", got.Tags)
		}
		res, body = f.postBody(coord, update, url.Values{"name": {"别的名字"}, "sort_order": {"8"}, "version": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="别的名字"`) {
			t.Fatalf("stale version: %d", res.StatusCode)
		}
		if res, _ := f.get(coord, "/projects/tags/abc/update"); res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
			t.Errorf("GET update: %d", res.StatusCode)
		}
		if res := f.post(coord, "/projects/tags/99999/update", url.Values{"name": {"无"}, "version": {"1"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("missing tag: %d", res.StatusCode)
		}

		// Retire: not offered to new projects any more, kept on the project and in the filter.
		if res := f.post(coord, update, url.Values{"name": {"瞪羚企业"}, "sort_order": {"8"}, "version": {"2"}, "retired": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", res.StatusCode)
		}
		if _, body := f.get(rep, "/projects/new"); strings.Contains(body, `value="瞪羚企业"`) {
			t.Error("a retired tag is offered to a new project")
		}
		if _, body := f.get(rep, fmt.Sprintf("/projects/edit/%d", p.ID)); !strings.Contains(body, `value="瞪羚企业" checked`) {
			t.Error("the project's retired tag is not kept on its form")
		}
		if _, body := f.get(leader, "/projects?tag="+url.QueryEscape("瞪羚企业")); !strings.Contains(body, "独角兽项目") {
			t.Error("filter by a retired tag")
		}
		// The API lists the tags, the retired one marked; a project may not take it.
		tok := "Bearer " + f.apiToken("reporter")
		r := f.apiCall(nil, tok, "GET", "/api/v1/project-tags", "", nil)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"name":"瞪羚企业","retired":true`) {
			t.Errorf("API tags: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, tok, "GET", "/api/v1/project-tags?x=1", "", nil); r.status != http.StatusBadRequest {
			t.Errorf("API unknown parameter: %d", r.status)
		}
		r = f.apiCall(nil, tok, "POST", "/api/v1/projects", fmt.Sprintf(`{"name":"新项目","unit_id":%d,"tags":["瞪羚企业"]}`, f.units["countyA"].ID), nil)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "已停用") {
			t.Errorf("API project with a retired tag: %d %s", r.status, r.body)
		}
		events, _, _ := st.FindAuditEvents(ctx, domain.AuditFilter{Entity: "project_tag"})
		if len(events) != 3 {
			t.Errorf("%d tag audit events, want 3", len(events))
		}
	})
}

// The rules page sets a park's own intensity benchmark and the city's 5020 class; the
// project page shows both in effect.
func TestProjectParkBenchmarkAndCityClass(t *testing.T) {
	st := sqliteStore(t)
	f := newFixture(t, st)
	ctx := context.Background()
	sys := domain.Actor{Via: "test"}
	park := &domain.Unit{Code: "369911", Name: "陶瓷园", Kind: domain.UnitPark, ParentID: f.units["countyA"].ID, Active: true}
	if err := st.CreateUnit(ctx, sys, park); err != nil {
		t.Fatal(err)
	}
	p := &domain.Project{Name: "园区项目", UnitID: f.units["countyA"].ID, ParkID: park.ID, Stage: "signed", SignedOn: "2026-01-05",
		ContractInvestment: 30 * domain.Yi, FixedInvestment: 250 * 10_000 * 100, LandMu: domain.DecFromInt(100)}
	if err := st.CreateProject(ctx, sys, p); err != nil {
		t.Fatal(err)
	}
	coord := f.login("coordinator")
	_, body := f.get(coord, fmt.Sprintf("/projects/%d", p.ID))
	if !strings.Contains(body, "全市基准300万元/亩") || !strings.Contains(body, "大中城市门槛，未经确认") {
		t.Fatal("project page before the settings")
	}
	_, page := f.get(coord, "/projects/analysis/settings")
	if !strings.Contains(page, "陶瓷园") || !strings.Contains(page, "未经确认") {
		t.Fatal("settings page lacks the park or the unconfirmed mark")
	}
	form := url.Values{"not_started_yellow_days": {"90"}, "not_started_red_days": {"180"}, "no_note_days": {"30"}, "idle_land_days": {"365"},
		"intensity_benchmark": {"300"}, "intensity_points": {"40"}, "tax_benchmark": {"30"}, "tax_points": {"25"}, "tag_cap": {"15"},
		"foreign_points": {"5"}, "chain_points": {"5"}, "certified_points": {"10"}, "applied_points": {"5"}, "total_cap": {"100"},
		"min_funds_ratio": {"0.5"}, fmt.Sprintf("park_intensity_%d", park.ID): {"-5"},
		"city_class": {"small"}, "candidate_domestic_large": {"50"}, "candidate_foreign_large": {"3"},
		"candidate_domestic_small": {"20"}, "candidate_foreign_small": {"1"}, "candidate_confirmed_small": {"1"}, "candidate_usd_rate": {"7.1"}}
	res, body := f.postBody(coord, "/projects/analysis/settings", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "应为大于0的数字") {
		t.Fatalf("negative park benchmark: %d", res.StatusCode)
	}
	form.Set("city_class", "tiny")
	form.Set(fmt.Sprintf("park_intensity_%d", park.ID), "500")
	if res, body := f.postBody(coord, "/projects/analysis/settings", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择本市的城市类别") {
		t.Fatalf("unknown class: %d", res.StatusCode)
	}
	if th, _ := st.Thresholds5020(ctx); th.ClassName != "大中城市" {
		t.Fatal("refused settings were saved")
	}
	form.Set("city_class", "small")
	if res := f.post(coord, "/projects/analysis/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	_, body = f.get(coord, fmt.Sprintf("/projects/%d", p.ID))
	if !strings.Contains(body, "陶瓷园基准500万元/亩") || !strings.Contains(body, "小城市门槛，已确认") {
		t.Fatalf("project page after the settings")
	}
	if _, body := f.get(coord, "/projects?candidate_5020=1"); !strings.Contains(body, "园区项目") {
		t.Error("30亿元 is a candidate in a small city")
	}
}

// The prefilled template holds the user's projects with every field, and imports back
// unchanged; the added columns set the fields the form has.
func TestProjectImportAllFields(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		a := f.units["countyA"]
		rep := f.login("reporter")
		mine := f.projectOf(a.ID)
		other := f.projectOf(f.units["countyB"].ID)
		x := f.download(rep, "/projects/template.xlsx")
		col := map[string]string{}
		for i, h := range xlsx.ProjectHeaders {
			col[h] = xlsx.ColumnName(i)
		}
		data := edit(t, x, xlsx.ProjectSheet, map[string]any{
			col["项目名称"] + "3": "美元项目", col["责任单位编码"] + "3": a.Code, col["资金来源"] + "3": "外资",
			col["投资方来源地"] + "3": "新加坡", col["工业项目"] + "3": "否", col["产业链"] + "3": "先进陶瓷", col["币种"] + "3": "usd",
			col["汇率（元/单位外币）"] + "3": "7.1", col["原币合同投资（万）"] + "3": "10000", col["注册资本（万元）"] + "3": "5000",
			col["预计年营业收入（万元）"] + "3": "80000", col["预计年税收（万元）"] + "3": "3000", col["5020认定状态"] + "3": "已申报",
			col["5020认定日期"] + "3": "2026-02-01", col["5020认定文号"] + "3": "赣发改〔2026〕1号", col["完成百分比"] + "3": "35",
			col["标签"] + "3":   "世界500强",
			col["项目名称"] + "4": "坏行", col["责任单位编码"] + "4": a.Code, col["工业项目"] + "4": "也许", col["完成百分比"] + "4": "150",
			col["5020认定状态"] + "4": "通过了", col["标签"] + "4": "不存在的标签",
		})
		res, body := f.upload(rep, "/projects/import", nil, "项目.xlsx", data)
		for _, want := range []string{"工业项目应填“是”或“否”", "完成百分比应为0到100的整数", "5020认定状态应为", "标签“不存在的标签”不在系统的标签中"} {
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
				t.Errorf("bad row: %d, want %s", res.StatusCode, want)
			}
		}
		x = f.download(rep, "/projects/template.xlsx") // edit changed x
		data = edit(t, x, xlsx.ProjectSheet, map[string]any{
			col["项目名称"] + "3": "美元项目", col["责任单位编码"] + "3": a.Code, col["资金来源"] + "3": "外资",
			col["投资方来源地"] + "3": "新加坡", col["工业项目"] + "3": "否", col["产业链"] + "3": "先进陶瓷", col["币种"] + "3": "usd",
			col["汇率（元/单位外币）"] + "3": "7.1", col["原币合同投资（万）"] + "3": "10000", col["注册资本（万元）"] + "3": "5000",
			col["预计年营业收入（万元）"] + "3": "80000", col["预计年税收（万元）"] + "3": "3000", col["5020认定状态"] + "3": "已申报",
			col["5020认定日期"] + "3": "2026-02-01", col["5020认定文号"] + "3": "赣发改〔2026〕1号", col["完成百分比"] + "3": "35",
			col["标签"] + "3": "世界500强",
		})
		if res, body := f.upload(rep, "/projects/import", nil, "项目.xlsx", data); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good row: %d %s", res.StatusCode, body)
		}
		list, _, _ := st.FindProjects(ctx, domain.ProjectFilter{Query: "美元项目"})
		if len(list) != 1 {
			t.Fatal("not imported")
		}
		p, _ := st.FindProjectByID(ctx, list[0].ID)
		if p.Currency != "USD" || p.ContractInvestmentOrig != 100_000_000 || p.ContractInvestment != 710_000_000 || p.Industrial ||
			p.InvestorOrigin != "新加坡" || p.Chain != "先进陶瓷" || p.RegisteredCapital != 50_000_000 || p.ExpectedRevenue != 800_000_000 ||
			p.ExpectedTax != 30_000_000 || p.Cert5020 != "applied" || p.Cert5020On != "2026-02-01" || p.Cert5020Doc != "赣发改〔2026〕1号" ||
			p.ProgressPct != 35 || strings.Join(p.Tags, "") != "世界500强" {
			t.Fatalf("imported %+v", p)
		}

		// Prefilled: the reporter's unit's projects only, every field; imported back as is.
		x = f.download(rep, "/projects/template.xlsx?mine=1")
		rows, _ := x.GetRows(xlsx.ProjectSheet)
		codes := map[string][]string{}
		for _, r := range rows[2:] {
			codes[r[0]] = r
		}
		mp, _ := st.FindProjectByID(ctx, mine)
		op, _ := st.FindProjectByID(ctx, other)
		if len(codes) != 2 || codes[mp.Code] == nil || codes[op.Code] != nil || codes[p.Code][len(xlsx.ProjectHeaders)-1] != "35" {
			t.Fatalf("prefilled rows %q", rows)
		}
		var buf strings.Builder
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		if res, body := f.upload(rep, "/projects/import", nil, "项目.xlsx", []byte(buf.String())); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("re-import of the prefilled file: %d %s", res.StatusCode, body)
		}
		again, _ := st.FindProjectByID(ctx, p.ID)
		again.Version, again.UpdatedAt, p.Version, p.UpdatedAt = 0, time.Time{}, 0, time.Time{}
		if fmt.Sprintf("%+v", again) != fmt.Sprintf("%+v", p) {
			t.Errorf("round trip changed the project:\n%+v\n%+v", again, p)
		}

		// A typed contract amount that disagrees with the original amount × rate is refused.
		x = f.download(rep, "/projects/template.xlsx?mine=1")
		row := 0
		for i, r := range rows {
			if r[0] == p.Code {
				row = i + 1
			}
		}
		bad := edit(t, x, xlsx.ProjectSheet, map[string]any{fmt.Sprintf("%s%d", col["合同投资（万元）"], row): "1"})
		if res, body := f.upload(rep, "/projects/import", nil, "项目.xlsx", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "折算为71000万元") {
			t.Errorf("foreign contract typed: %d", res.StatusCode)
		}
	})
}
