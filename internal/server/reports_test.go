package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

var reportZone = time.FixedZone("CST", 8*3600)

// setClock stops the store's clock at t; the returned function moves it. Set it before
// the first request: the server reads the clock from its own goroutines.
func (f *fixture) setClock(t time.Time) func(time.Time) {
	var at atomic.Int64
	at.Store(t.UnixNano())
	f.st.Now = func() time.Time { return time.Unix(0, at.Load()) }
	return func(t time.Time) { at.Store(t.UnixNano()) }
}

// reportIndicators are a small catalogue: three reported indicators and the start rate,
// a ratio of two of them (DOMAIN.md's trap: 22 of 32 is 68.75% and shows 68.8).
type reportIndicators struct {
	revenue, signed, started, rate *domain.Indicator
}

func (f *fixture) createReportIndicators(t *testing.T) reportIndicators {
	t.Helper()
	ctx, sys := context.Background(), domain.Actor{Via: "test"}
	order := 0
	mk := func(code, name, measure string, decimals int, kind domain.IndicatorKind, num, den int64) *domain.Indicator {
		order++
		i := &domain.Indicator{Code: code, Name: name, Measure: measure, Decimals: decimals, Kind: kind, HigherIsBetter: true,
			NumeratorID: num, DenominatorID: den, Active: true, SortOrder: order}
		if err := f.st.CreateIndicator(ctx, sys, i); err != nil {
			t.Fatal(err)
		}
		return i
	}
	var ri reportIndicators
	ri.revenue = mk("revenue", "工业营业收入", "亿元", 2, domain.KindReported, 0, 0)
	ri.signed = mk("signed", "签约亿元以上项目", "个", 0, domain.KindReported, 0, 0)
	ri.started = mk("started", "开工亿元以上项目", "个", 0, domain.KindReported, 0, 0)
	ri.rate = mk("start_rate", "亿元以上项目开工率", "%", 1, domain.KindRatio, ri.started.ID, ri.signed.ID)
	return ri
}

func valueInput(i *domain.Indicator) string { return fmt.Sprintf("v_%d", i.ID) }

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersion is the version the report page's form carries.
func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("page has no version input")
	}
	return m[1]
}

func TestReportWorkflowThroughTheUI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.setClock(time.Date(2026, 11, 3, 10, 0, 0, 0, reportZone)) // October's report, before the deadline
		ind := f.createReportIndicators(t)
		a, b := f.units["countyA"], f.units["countyB"]
		own := fmt.Sprintf("/reports/%d/2026/10", a.ID)
		other := fmt.Sprintf("/reports/%d/2026/10", b.ID)
		rep, coord := f.login("reporter"), f.login("coordinator")

		// A reporter's 月报 is their own unit's report for the month being reported.
		if res, _ := f.get(rep, "/reports"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != own {
			t.Fatalf("reporter /reports: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := f.get(rep, other); res.StatusCode != http.StatusForbidden {
			t.Fatalf("other unit's report page: %d", res.StatusCode)
		}
		for _, p := range []string{other, other + "/submit"} {
			if res := f.post(rep, p, url.Values{valueInput(ind.revenue): {"1"}, "version": {"0"}}); res.StatusCode != http.StatusForbidden {
				t.Fatalf("POST %s for another unit: %d", p, res.StatusCode)
			}
		}
		res, body := f.get(rep, own)
		if res.StatusCode != 200 || !strings.Contains(body, "工业营业收入") || !strings.Contains(body, `name="`+valueInput(ind.revenue)+`"`) ||
			!strings.Contains(body, "未填报") || !strings.Contains(body, "2026-11-05") {
			t.Fatalf("own report page: %d", res.StatusCode)
		}

		// A bad number keeps every typed value and names the indicator.
		res, body = f.postBody(rep, own, url.Values{"version": {"0"}, valueInput(ind.revenue): {"12万"}, valueInput(ind.signed): {"32"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "“工业营业收入”不是有效的数字") ||
			!strings.Contains(body, `value="12万"`) || !strings.Contains(body, `value="32"`) {
			t.Fatalf("bad number: %d", res.StatusCode)
		}
		if r, _ := st.FindReport(context.Background(), a.ID, 2026, 10); r != nil {
			t.Fatal("a refused form saved a report")
		}

		// A draft with a value missing cannot be submitted; the message names the indicator.
		if res := f.post(rep, own, url.Values{"version": {"0"}, valueInput(ind.revenue): {"１２３.４５"}, valueInput(ind.signed): {"32"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save draft: %d", res.StatusCode)
		}
		_, body = f.get(rep, own)
		if !strings.Contains(body, "草稿") || !strings.Contains(body, `value="123.45"`) || pageVersion(t, body) != "1" {
			t.Fatal("draft not shown")
		}
		res, body = f.postBody(rep, own+"/submit", url.Values{"version": {"1"}, valueInput(ind.revenue): {"123.45"}, valueInput(ind.signed): {"32"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "以下指标尚未填写，不能报送：开工亿元以上项目") {
			t.Fatalf("submit with a value missing: %d", res.StatusCode)
		}

		// Submitting saves what the form holds first; the ratio is computed from it.
		if res := f.post(rep, own+"/submit", url.Values{"version": {"1"}, valueInput(ind.revenue): {"123.45"}, valueInput(ind.signed): {"32"}, valueInput(ind.started): {"22"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", res.StatusCode)
		}
		_, body = f.get(rep, own)
		if !strings.Contains(body, "已报送") || !strings.Contains(body, "68.8") || strings.Contains(body, `name="`+valueInput(ind.revenue)+`"`) {
			t.Fatal("submitted report: status, ratio or read-only values wrong")
		}
		_, cbody := f.get(coord, own) // the reporter's page has no form any more
		if res, body := f.postBody(rep, own, url.Values{"version": {pageVersion(t, cbody)}, valueInput(ind.revenue): {"1"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不能再修改") {
			t.Fatalf("edit after submit: %d", res.StatusCode)
		}

		// The coordinator sees the period and returns the report; a reason is required.
		_, body = f.get(coord, "/reports?year=2026&month=10")
		if !strings.Contains(body, "甲区") || !strings.Contains(body, "乙县") || !strings.Contains(body, "已报送") || !strings.Contains(body, "未填报") {
			t.Fatal("overview lacks units or statuses")
		}
		_, body = f.get(coord, own)
		v := pageVersion(t, body)
		if res, body := f.postBody(coord, own+"/return", url.Values{"version": {v}, "reason": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "退回须填写原因") {
			t.Fatalf("return without reason: %d", res.StatusCode)
		}
		if res := f.post(coord, own+"/return", url.Values{"version": {v}, "reason": {"数据与统计局不符"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("return: %d", res.StatusCode)
		}
		_, body = f.get(rep, own)
		if !strings.Contains(body, "已退回") || !strings.Contains(body, "退回原因：数据与统计局不符") {
			t.Fatal("returned report does not show the reason")
		}
		if res := f.post(rep, own+"/submit", url.Values{"version": {pageVersion(t, body)}, valueInput(ind.revenue): {"120"}, valueInput(ind.signed): {"32"}, valueInput(ind.started): {"22"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit again: %d", res.StatusCode)
		}
		_, body = f.get(coord, own)
		if res := f.post(coord, own+"/approve", url.Values{"version": {pageVersion(t, body)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.StatusCode)
		}

		// Approved: locked for the reporter.
		_, body = f.get(rep, own)
		if !strings.Contains(body, "已审核") || strings.Contains(body, `name="`+valueInput(ind.revenue)+`"`) {
			t.Fatal("approved report editable for the reporter")
		}
		_, cbody = f.get(coord, own)
		if res, body := f.postBody(rep, own, url.Values{"version": {pageVersion(t, cbody)}, valueInput(ind.revenue): {"999"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "已审核") {
			t.Fatalf("reporter edits an approved report: %d", res.StatusCode)
		}
		if res := f.post(rep, own+"/correct", url.Values{valueInput(ind.revenue): {"999"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter corrects: %d", res.StatusCode)
		}

		// A correction needs a reason and shows in the history.
		_, body = f.get(coord, own)
		v = pageVersion(t, body)
		if res, body := f.postBody(coord, own+"/correct", url.Values{"version": {v}, valueInput(ind.revenue): {"121"}}); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "须填写原因") || !strings.Contains(body, `value="121"`) {
			t.Fatalf("correction without reason: %d", res.StatusCode)
		}
		if res := f.post(coord, own+"/correct", url.Values{"version": {v}, valueInput(ind.revenue): {"121"}, "reason": {"统计局反馈更正"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct: %d", res.StatusCode)
		}
		_, body = f.get(rep, own)
		if !strings.Contains(body, "更正记录") || !strings.Contains(body, "统计局反馈更正") || !strings.Contains(body, "<td>coordinator</td>") ||
			!regexp.MustCompile(`>120<.*\n?.*>121<`).MatchString(body) {
			t.Fatal("correction history missing")
		}

		// A stale version gets the conflict box, with the input kept.
		res, body = f.postBody(coord, own+"/correct", url.Values{"version": {v}, valueInput(ind.revenue): {"125"}, "reason": {"再次更正"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="125"`) || !strings.Contains(body, "再次更正") {
			t.Fatalf("stale correction: %d", res.StatusCode)
		}

		// Every step is in the audit log, by whom it was done, through the web.
		events, _, err := st.FindAuditEvents(context.Background(), domain.AuditFilter{Entity: "report", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range slices.Backward(events) {
			got = append(got, e.Action+" "+e.ActorName+" "+e.Via)
		}
		want := []string{"report.create reporter web", "report.save reporter web", "report.submit reporter web",
			"report.return coordinator web", "report.save reporter web", "report.submit reporter web",
			"report.approve coordinator web", "report.correct coordinator web"}
		if !slices.Equal(got, want) {
			t.Fatalf("audit:\n got %q\nwant %q", got, want)
		}
		if n, brk, err := st.VerifyAudit(context.Background()); err != nil || brk != nil {
			t.Fatalf("audit chain after %d events: %v %v", n, brk, err)
		}
	})
}

func TestLateReportsAndExport(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx, sys := context.Background(), domain.Actor{Via: "test"}
	f.setClock(time.Date(2026, 11, 6, 9, 0, 0, 0, reportZone)) // the day after the default deadline
	ind := f.createReportIndicators(t)
	a := f.units["countyA"]
	r, err := f.st.SaveReportDraft(ctx, sys, a.ID, 2026, 10, 0, map[int64]domain.Dec{ind.revenue.ID: 1234500, ind.signed.ID: 320000, ind.started.ID: 220000})
	if err == nil {
		_, err = f.st.TransitionReport(ctx, sys, r.ID, r.Version, store.TransitionSubmit, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveReportDraft(ctx, sys, f.units["countyB"].ID, 2026, 10, 0, map[int64]domain.Dec{ind.revenue.ID: 10000}); err != nil {
		t.Fatal(err)
	}
	coord := f.login("coordinator")

	// Past the deadline: the county with a draft and the city with nothing are late.
	res, body := f.get(coord, "/reports/late?year=2026&month=10")
	if res.StatusCode != 200 || !strings.Contains(body, "乙县") || !strings.Contains(body, "测试市") || strings.Contains(body, "甲区") ||
		strings.Count(body, `class="badge err">逾期`) != 2 || !strings.Contains(body, "（已过）") {
		t.Fatalf("late page: %d\n%s", res.StatusCode, body)
	}
	// The default period is the previous month; the overview badges late units too.
	if _, body := f.get(coord, "/reports"); !strings.Contains(body, "2026年10月") || strings.Count(body, `class="badge err">逾期`) != 2 {
		t.Fatal("overview for the default period")
	}
	// The deadline day is a setting: on the 10th nothing is late yet on the 6th.
	if err := f.st.SetSetting(ctx, sys, store.SettingReportDeadlineDay, "10"); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(coord, "/reports/late?year=2026&month=10")
	if !strings.Contains(body, "乙县") || strings.Contains(body, `class="badge err">逾期`) || !strings.Contains(body, "2026-11-10") {
		t.Fatal("late page with the deadline on the 10th")
	}
	if _, body := f.get(coord, "/reports?year=2026&month=13"); !strings.Contains(body, "期间无效") {
		t.Fatal("a bad period is not reported")
	}

	// The export holds units × reported indicators; a reporter's holds their own unit.
	res, body = f.get(coord, "/reports/export.xlsx?year=2026&month=10")
	if res.StatusCode != 200 {
		t.Fatalf("export: %d", res.StatusCode)
	}
	rows, err := xlsx.ReadRows(strings.NewReader(body), "月报")
	if err != nil || len(rows) != 5 {
		t.Fatalf("export rows: %q %v", rows, err)
	}
	head, rowA := rows[1], rows[3]
	if head[9] != "工业营业收入（亿元）" || len(head) != 12 || rowA[1] != "甲区" || rowA[3] != "已报送" || rowA[9] != "123.45" || rowA[11] != "22" {
		t.Fatalf("export: %q / %q", head, rowA)
	}
	_, body = f.get(f.login("reporter"), "/reports/export.xlsx?year=2026&month=10")
	if rows, err := xlsx.ReadRows(strings.NewReader(body), "月报"); err != nil || len(rows) != 3 || rows[2][1] != "甲区" {
		t.Fatalf("reporter's export: %q %v", rows, err)
	}

	// Who sees what.
	rep := f.login("reporter")
	if res, _ := f.get(rep, "/reports/late"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reporter late page: %d", res.StatusCode)
	}
	if _, body := f.get(rep, "/"); !strings.Contains(body, `href="/reports"`) {
		t.Error("reporter's menu lacks 月报")
	}
	if _, body := f.get(f.login("admin"), "/"); strings.Contains(body, `href="/reports"`) {
		t.Error("admin's menu shows 月报")
	}
	if res, _ := f.get(f.login("leader"), fmt.Sprintf("/reports/%d/2026/10", a.ID)); res.StatusCode != 200 {
		t.Errorf("leader reads a report: %d", res.StatusCode)
	}
}

func TestReportAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.setClock(time.Date(2026, 11, 3, 10, 0, 0, 0, reportZone))
		ind := f.createReportIndicators(t)
		a, b := f.units["countyA"], f.units["countyB"]
		own := "/api/v1/reports/" + id(a.ID) + "/2026/10"
		rev, sig, sta := id(ind.revenue.ID), id(ind.signed.ID), id(ind.started.ID)
		status := func(want string, version float64) func(*testing.T, apiResult) {
			return func(t *testing.T, res apiResult) {
				m := res.object(t)
				if m["status"] != want || m["version"] != version {
					t.Errorf("status %v version %v, want %s %v", m["status"], m["version"], want, version)
				}
			}
		}
		f.run(t, []apiScenario{
			{name: "another unit's report", user: "reporter2", method: "GET", path: own, status: 403, code: "forbidden"},
			{name: "report not started", user: "reporter", method: "GET", path: own, status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["id"] != nil || m["status"] != "none" || m["version"] != 0.0 || m["late"] != false ||
						m["deadline"] != "2026-11-06T00:00:00+08:00" && m["deadline"] != "2026-11-05T16:00:00Z" {
						t.Errorf("report = %v", m)
					}
				}},
			{name: "bad period", user: "reporter", method: "GET", path: "/api/v1/reports/" + id(a.ID) + "/2026/13", status: 400, code: "invalid"},
			{name: "draft for another unit", user: "reporter2", method: "PUT", path: own, body: `{"version":0,"values":{}}`, status: 403, code: "forbidden"},
			{name: "coordinator does not fill reports", user: "coordinator", method: "PUT", path: own, body: `{"version":0,"values":{}}`, status: 403, code: "forbidden"},
			{name: "draft with a bad number", user: "reporter", method: "PUT", path: own,
				body: `{"version":0,"values":{"` + rev + `":"12万","` + sig + `":32}}`, status: 422, code: "invalid", fields: []string{"values." + rev}},
			{name: "draft without version", user: "reporter", method: "PUT", path: own, body: `{"values":{}}`, status: 422, code: "invalid", fields: []string{"version"}},
			{name: "draft with an unknown field", user: "reporter", method: "PUT", path: own, body: `{"version":0,"value":{}}`, status: 400, code: "invalid"},
			{name: "first draft", user: "reporter", method: "PUT", path: own, audit: "report.create",
				body: `{"version":0,"values":{"` + rev + `":123.45,"` + sig + `":"32"}}`, status: 200,
				check: func(t *testing.T, res apiResult) {
					status("draft", 1)(t, res)
					if !strings.Contains(string(res.body), `"`+rev+`":123.45`) {
						t.Errorf("values not exact numbers: %s", res.body)
					}
				}},
			{name: "stale draft", user: "reporter", method: "PUT", path: own, body: `{"version":0,"values":{}}`, status: 409, code: "conflict"},
			{name: "submit with a value missing", user: "reporter", method: "POST", path: own + "/submit", body: `{"version":1}`, status: 422, code: "invalid",
				check: func(t *testing.T, res apiResult) {
					if !strings.Contains(res.apiError(t).Message, "开工亿元以上项目") {
						t.Errorf("message does not name the indicator: %s", res.body)
					}
				}},
			{name: "submit carrying values", user: "reporter", method: "POST", path: own + "/submit", body: `{"version":1,"values":{"` + sta + `":22}}`, status: 422, fields: []string{"values"}},
			{name: "complete the draft", user: "reporter", method: "PUT", path: own, audit: "report.save",
				body: `{"version":1,"values":{"` + rev + `":123.45,"` + sig + `":32,"` + sta + `":22}}`, status: 200, check: status("draft", 2)},
			{name: "submit another unit's", user: "reporter2", method: "POST", path: own + "/submit", body: `{"version":2}`, status: 403, code: "forbidden"},
			{name: "submit", user: "reporter", method: "POST", path: own + "/submit", body: `{"version":2}`, status: 200, audit: "report.submit", check: status("submitted", 3)},
			{name: "reporter approves", user: "reporter", method: "POST", path: own + "/approve", body: `{"version":3}`, status: 403, code: "forbidden"},
			{name: "leader approves", user: "leader", method: "POST", path: own + "/approve", body: `{"version":3}`, status: 403, code: "forbidden"},
			{name: "return without reason", user: "coordinator", method: "POST", path: own + "/return", body: `{"version":3}`, status: 422, fields: []string{"reason"}},
			{name: "approve a stale version", user: "coordinator", method: "POST", path: own + "/approve", body: `{"version":2}`, status: 409, code: "conflict"},
			{name: "approve", user: "coordinator", method: "POST", path: own + "/approve", body: `{"version":3}`, status: 200, audit: "report.approve", check: status("approved", 4)},
			{name: "approved is locked", user: "reporter", method: "PUT", path: own, body: `{"version":4,"values":{}}`, status: 422, code: "invalid"},
			{name: "correct without reason", user: "coordinator", method: "POST", path: own + "/correct", body: `{"version":4,"values":{"` + rev + `":121}}`, status: 422, fields: []string{"reason"}},
			{name: "correct", user: "coordinator", method: "POST", path: own + "/correct", audit: "report.correct",
				body: `{"version":4,"reason":"统计局反馈更正","values":{"` + rev + `":121}}`, status: 200, check: status("approved", 5)},
			{name: "report with its corrections", user: "leader", method: "GET", path: own, status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					cs, _ := m["corrections"].([]any)
					if len(cs) != 1 {
						t.Fatalf("corrections = %v", m["corrections"])
					}
					c := cs[0].(map[string]any)
					if c["old_value"] != "123.45" || c["new_value"] != "121" || c["reason"] != "统计局反馈更正" || c["actor_name"] != "coordinator" {
						t.Errorf("correction = %v", c)
					}
				}},
			{name: "reporter lists only their unit", user: "reporter", method: "GET", path: "/api/v1/reports?year=2026&month=10", status: 200,
				check: func(t *testing.T, res apiResult) {
					items := res.object(t)["items"].([]any)
					if len(items) != 1 || items[0].(map[string]any)["unit_id"] != float64(a.ID) {
						t.Errorf("items = %v", items)
					}
				}},
			{name: "coordinator lists every unit", user: "coordinator", method: "GET", path: "/api/v1/reports", status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					items := m["items"].([]any)
					if m["year"] != 2026.0 || m["month"] != 10.0 || len(items) != 3 {
						t.Fatalf("list = %v", m)
					}
					for _, it := range items {
						it := it.(map[string]any)
						if it["unit_id"] == float64(b.ID) && it["status"] != "none" {
							t.Errorf("county B = %v", it)
						}
					}
				}},
			{name: "list with half a period", user: "coordinator", method: "GET", path: "/api/v1/reports?year=2026", status: 400, code: "invalid"},
			{name: "auditor lists reports", user: "auditor", method: "GET", path: "/api/v1/reports", status: 403, code: "forbidden"},
		})
	})
}
