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
	"time"

	"beizeng/internal/xlsx"
)

// insertProject writes a project row directly: the project pages and their store
// methods belong to the project record module; these tests need only the rows.
func (f *fixture) insertProject(code, unit, stage, signed, started string, contract, funds int64) int64 {
	f.t.Helper()
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	now := time.Now().UTC()
	var id int64
	err := f.st.DB().QueryRowContext(context.Background(), `INSERT INTO projects (code, name, unit_id, stage, contract_investment,
		funds_in_place, signed_on, started_on, last_note_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		code, "项目"+code, f.units[unit].ID, stage, contract, funds, nullable(signed), nullable(started),
		time.Now().Format(time.DateOnly), now, now).Scan(&id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func TestProjectAnalysisPages(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	day := func(ago int) string {
		return time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -ago).Format(time.DateOnly)
	}
	late := f.insertProject("P1", "countyA", "signed", day(200), "", 100_000_000, 0)
	f.insertProject("P2", "countyB", "started", day(20), day(5), 200_000_000, 200_000_000)
	f.insertProject("P3", "countyB", "signed", day(10), "", 100_000_000, 0)

	leader := f.login("leader")
	res, body := f.get(leader, "/projects/warnings")
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`href="/projects/%d"`, late)) ||
		!strings.Contains(body, "签约已200天仍未开工（超过180天）") || strings.Contains(body, "项目P3") {
		t.Fatalf("warnings page: %d", res.StatusCode)
	}
	if _, body := f.get(leader, fmt.Sprintf("/projects/warnings?unit_id=%d", f.units["countyB"].ID)); strings.Contains(body, "项目P1") {
		t.Error("unit filter ignored")
	}
	if _, body := f.get(leader, "/projects/quality"); !strings.Contains(body, "<details>") || !strings.Contains(body, "投资强度") {
		t.Error("quality page lacks the breakdown")
	}

	// Only coordinators create cohorts; a bad window is shown back.
	if res := f.post(leader, "/projects/rates", url.Values{"name": {"x"}, "signed_from": {day(300)}, "signed_to": {day(0)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("leader created a cohort: %d", res.StatusCode)
	}
	coord := f.login("coordinator")
	res, body = f.postBody(coord, "/projects/rates", url.Values{"name": {"本年签约"}, "signed_from": {day(0)}, "signed_to": {day(300)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "截止日期不能早于起始日期") || !strings.Contains(body, `value="本年签约"`) {
		t.Fatalf("bad cohort: %d", res.StatusCode)
	}
	res = f.post(coord, "/projects/rates", url.Values{"name": {"本年签约"}, "signed_from": {day(300)}, "signed_to": {day(0)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create cohort: %d", res.StatusCode)
	}
	cohortURL := res.Header.Get("Location")
	_, body = f.get(leader, cohortURL)
	// 甲区 0 of 1 started, 乙县 1 of 2: 乙县 first, 甲区 second; funds 200 of 300 million in 乙县.
	for _, want := range []string{"50.0", "0.0", "第1", "第2", "20000.00", "合计", "66.7"} {
		if !strings.Contains(body, want) {
			t.Errorf("cohort page lacks %q", want)
		}
	}
	res, body = f.get(leader, cohortURL+"/export.xlsx")
	rows, err := xlsx.ReadRows(strings.NewReader(body), "四率")
	if res.StatusCode != 200 || err != nil || len(rows) < 4 || rows[1][0] != "单位" {
		t.Fatalf("export: %d %v %q", res.StatusCode, err, rows)
	}

	// Settings: coordinators only; a red threshold below the yellow one is refused.
	if res, _ := f.get(leader, "/projects/analysis/settings"); res.StatusCode != http.StatusForbidden {
		t.Errorf("leader opened the settings: %d", res.StatusCode)
	}
	_, body = f.get(coord, "/projects/analysis/settings")
	if !strings.Contains(body, `value="90"`) || !regexp.MustCompile(`世界500强</label>\s*<input id="tag_point_\d+" name="tag_point_\d+" value="10"`).MatchString(body) ||
		!strings.Contains(body, "未经确认") {
		t.Fatal("settings page lacks the defaults")
	}
	form := url.Values{"not_started_yellow_days": {"90"}, "not_started_red_days": {"60"}, "no_note_days": {"30"}, "idle_land_days": {"365"},
		"intensity_benchmark": {"300"}, "intensity_points": {"40"}, "tax_benchmark": {"30"}, "tax_points": {"25"}, "tag_cap": {"15"},
		"foreign_points": {"5"}, "chain_points": {"5"}, "certified_points": {"10"}, "applied_points": {"5"}, "total_cap": {"100"},
		"min_funds_ratio": {"0.5"}, "require_started": {"1"}, "tag_points": {"世界500强=10\n上市公司=4"}}
	if res, body := f.postBody(coord, "/projects/analysis/settings", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "红色预警天数不能少于黄色预警天数") {
		t.Fatalf("bad settings: %d", res.StatusCode)
	}
	form.Set("not_started_red_days", "250")
	if res := f.post(coord, "/projects/analysis/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings: %d", res.StatusCode)
	}
	if _, body := f.get(leader, "/projects/warnings"); !strings.Contains(body, "签约已200天仍未开工（超过90天）") {
		t.Error("the saved threshold is not used")
	}
}

func TestProjectAnalysisAPI(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	day := func(ago int) string {
		return time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -ago).Format(time.DateOnly)
	}
	f.insertProject("P1", "countyA", "signed", day(100), "", 100_000_000, 0)
	f.insertProject("P2", "countyA", "started", day(50), day(40), 100_000_000, 100_000_000)
	leader, coord := "Bearer "+f.apiToken("leader"), "Bearer "+f.apiToken("coordinator")

	res := f.apiCall(nil, leader, "GET", "/api/v1/projects/warnings", "", nil)
	var warnings struct {
		Total int `json:"total"`
		Items []struct {
			Level    string                    `json:"level"`
			Warnings []struct{ Reason string } `json:"warnings"`
		} `json:"items"`
	}
	if res.status != 200 || json.Unmarshal(res.body, &warnings) != nil || warnings.Total != 1 || warnings.Items[0].Level != "yellow" {
		t.Fatalf("warnings: %d %s", res.status, res.body)
	}
	body := fmt.Sprintf(`{"name":"近半年","signed_from":%q,"signed_to":%q}`, day(180), day(0))
	if res := f.apiCall(nil, leader, "POST", "/api/v1/cohorts", body, nil); res.status != http.StatusForbidden {
		t.Errorf("leader created a cohort: %d", res.status)
	}
	res = f.apiCall(nil, coord, "POST", "/api/v1/cohorts", body, nil)
	if res.status != http.StatusCreated {
		t.Fatalf("create cohort: %d %s", res.status, res.body)
	}
	res = f.apiCall(nil, leader, "GET", res.header.Get("Location"), "", nil)
	var rates struct {
		Units []struct {
			UnitName  string  `json:"unit_name"`
			Signed    int     `json:"signed"`
			Started   int     `json:"started"`
			Performed int     `json:"performed"`
			StartRate *string `json:"start_rate"`
			Rank      int     `json:"rank"`
		} `json:"units"`
	}
	if res.status != 200 || json.Unmarshal(res.body, &rates) != nil {
		t.Fatalf("rates: %d %s", res.status, res.body)
	}
	for _, u := range rates.Units {
		if u.UnitName == "甲区" && (u.Signed != 2 || u.Started != 1 || u.Performed != 1 || u.StartRate == nil || *u.StartRate != "50.0" || u.Rank != 1) {
			t.Errorf("甲区: %+v", u)
		}
	}
	if res := f.apiCall(nil, leader, "GET", "/api/v1/cohorts", "", nil); res.status != 200 || !strings.Contains(string(res.body), "近半年") {
		t.Errorf("list cohorts: %d", res.status)
	}
	if res := f.apiCall(nil, leader, "GET", "/api/v1/cohorts/999/rates", "", nil); res.status != 404 {
		t.Errorf("missing cohort: %d", res.status)
	}
}
