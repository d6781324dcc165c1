package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// seedBulletin is seedProgress plus projects: one signed this October, one started,
// and one signed long ago and never started (a red warning).
func seedBulletin(t *testing.T, f *fixture) *domain.Indicator {
	t.Helper()
	ind := seedProgress(t, f)
	f.bulletinProject("B1", "countyA", "signed", "2026-10-08", "", 6*domain.Yi)
	f.bulletinProject("B2", "countyB", "started", "2026-03-01", "2026-10-20", 2*domain.Yi)
	f.bulletinProject("B3", "countyB", "signed", "2025-01-01", "", domain.Yi)
	return ind
}

// bulletinProject writes a project record directly, on either database.
func (f *fixture) bulletinProject(code, unit, stage, signed, started string, contract int64) {
	f.t.Helper()
	q := `INSERT INTO projects (code, name, unit_id, stage, contract_investment, signed_on, started_on, last_note_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if f.st.Dialect() == store.Postgres {
		n := 0
		q = regexp.MustCompile(`\?`).ReplaceAllStringFunc(q, func(string) string { n++; return fmt.Sprintf("$%d", n) })
	}
	var startedOn any
	if started != "" {
		startedOn = started
	}
	now := f.st.Now().UTC()
	if _, err := f.st.DB().ExecContext(context.Background(), q, code, "项目"+code, f.units[unit].ID, stage, contract, signed, startedOn,
		now.Format("2006-01-02"), now, now); err != nil {
		f.t.Fatal(err)
	}
}

var hashField = regexp.MustCompile(`name="hash" value="([0-9a-f]{64})"`)

func TestBulletinPublishAndDiff(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ind := seedBulletin(t, f)
		ctx := context.Background()
		coord := f.login("coordinator")
		res, body := f.get(coord, "/bulletin?year=2026&month=10")
		if res.StatusCode != 200 || !strings.Contains(body, "测试市工业倍增暨招商引资工作调度通报") ||
			!strings.Contains(body, "截至10月底，全市工业营业收入1029.0亿元，完成年度基础目标的64.3%，落后时间进度19.0个百分点，从完成进度看，甲区居第一，乙县居末位。") ||
			!strings.Contains(body, `href="/reports/`+id(f.units["countyA"].ID)+`/2026/10"`) || !strings.Contains(body, "项目B3") {
			t.Fatalf("bulletin page: %d\n%s", res.StatusCode, body)
		}
		m := hashField.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no publish form for the coordinator")
		}
		form := url.Values{"year": {"2026"}, "month": {"10"}, "scope": {"all"}, "after": {"0"}, "hash": {m[1]}}

		// Only coordinators publish; a reporter and a leader see no form and are refused.
		if _, b := f.get(f.login("leader"), "/bulletin?year=2026&month=10"); strings.Contains(b, `action="/bulletins"`) {
			t.Error("leader sees the publish form")
		}
		for _, who := range []string{"reporter", "leader"} {
			if res := f.post(f.login(who), "/bulletins", form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s published: %d", who, res.StatusCode)
			}
		}
		// A hash of figures the coordinator did not see publishes nothing.
		stale := url.Values{"year": {"2026"}, "month": {"10"}, "scope": {"all"}, "after": {"0"}, "hash": {strings.Repeat("0", 64)}}
		if res, b := f.postBody(coord, "/bulletins", stale); res.StatusCode != http.StatusConflict || !strings.Contains(b, "打开本页后通报数据已有变化") {
			t.Errorf("stale hash: %d", res.StatusCode)
		}
		if res := f.post(coord, "/bulletins", url.Values{"year": {"2026"}, "month": {"13"}, "scope": {"all"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad month: %d", res.StatusCode)
		}
		if list, _ := st.FindBulletins(ctx, 0); len(list) != 0 {
			t.Fatal("a refused publication was stored")
		}
		res = f.post(coord, "/bulletins", form)
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/bulletins/") {
			t.Fatalf("publish: %d %s", res.StatusCode, loc)
		}
		// Publishing over version 1 as if it did not exist is a conflict; a correction needs a reason.
		if res := f.post(coord, "/bulletins", form); res.StatusCode != http.StatusConflict {
			t.Errorf("stale version: %d", res.StatusCode)
		}
		form.Set("after", "1")
		if res, b := f.postBody(coord, "/bulletins", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "更正发布须填写更正原因") {
			t.Errorf("correction without reason: %d", res.StatusCode)
		}
		if e := newestAudit(t, st); e.Action != "bulletin.publish" || e.Entity != "bulletin" {
			t.Errorf("newest audit %s %s", e.Action, e.Entity)
		}

		_, body = f.get(f.login("leader"), loc)
		if !strings.Contains(body, "2026年第1期") || !strings.Contains(body, "发布后记录没有变化") {
			t.Errorf("snapshot page:\n%s", body)
		}
		// 甲区's approved figure is corrected: the snapshot keeps 629.0, the diff shows the cell.
		r, err := st.FindReport(ctx, f.units["countyA"].ID, 2026, 10)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := domain.ParseDec("700")
		if _, err := st.CorrectReport(ctx, domain.Actor{Via: "test"}, r.ID, r.Version, map[int64]domain.Dec{ind.ID: v}, "核定"); err != nil {
			t.Fatal(err)
		}
		_, body = f.get(f.login("leader"), loc)
		if !strings.Contains(body, "<td>甲区</td>\n      <td>实际</td>\n      <td class=\"wrap\">629.0</td><td class=\"wrap\">700.0</td>") ||
			!strings.Contains(body, "全市工业营业收入1029.0亿元") {
			t.Errorf("diff does not show 甲区 629.0 → 700.0:\n%s", body)
		}
		for _, p := range []string{loc + "/print", "/bulletin/print?year=2026&month=10&scope=county", "/bulletins", "/bulletins?year=2026"} {
			if res, b := f.get(f.login("handler"), p); res.StatusCode != 200 || strings.Contains(b, "<no value>") {
				t.Errorf("GET %s: %d", p, res.StatusCode)
			}
		}
		for _, p := range []string{"/bulletin?year=abc", "/bulletin?scope=dept", "/bulletins?year=1"} {
			if res, _ := f.get(coord, p); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("GET %s: %d", p, res.StatusCode)
			}
		}
		if res, _ := f.get(coord, "/bulletins/9999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("missing bulletin: %d", res.StatusCode)
		}
		// Settings: a bad cap changes nothing.
		if res := f.post(coord, "/bulletin/settings?year=2026&month=10", url.Values{"cohort_id": {"0"}, "warning_cap": {"0"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("settings: %d", res.StatusCode)
		}
		if s, _ := st.BulletinSettings(ctx); s != domain.DefaultBulletinSettings {
			t.Errorf("bad settings saved: %+v", s)
		}
		if res := f.post(coord, "/bulletin/settings", url.Values{"cohort_id": {"0"}, "warning_cap": {"5"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("settings: %d", res.StatusCode)
		}
		if s, _ := st.BulletinSettings(ctx); s.WarningCap != 5 {
			t.Errorf("settings not saved: %+v", s)
		}
	})
}

func TestBulletinAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedBulletin(t, f)
		leader, coord, reporter := "Bearer "+f.apiToken("leader"), "Bearer "+f.apiToken("coordinator"), "Bearer "+f.apiToken("reporter")
		got := f.apiCall(nil, leader, "GET", "/api/v1/bulletin?year=2026&month=10&scope=county", "", nil)
		var b struct {
			report.Bulletin
			ContentHash string `json:"content_hash"`
		}
		if got.status != 200 || json.Unmarshal(got.body, &b) != nil || b.Scope != "county" || len(b.Sections) != 8 || len(b.ContentHash) != 64 {
			t.Fatalf("bulletin: %d %s", got.status, got.body)
		}
		for _, bad := range []string{"?year=2026", "?year=2026&month=10&scope=x", "?year=2026&month=10&limit=1"} {
			if r := f.apiCall(nil, leader, "GET", "/api/v1/bulletin"+bad, "", nil); r.status != http.StatusBadRequest {
				t.Errorf("%s: %d", bad, r.status)
			}
		}
		body := `{"year":2026,"month":10,"scope":"county","after":0,"content_hash":"` + b.ContentHash + `"}`
		if r := f.apiCall(nil, reporter, "POST", "/api/v1/bulletins", body, nil); r.status != http.StatusForbidden {
			t.Errorf("reporter published: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", "/api/v1/bulletins", `{"year":2026,"month":10,"typo":1}`, nil); r.status != http.StatusBadRequest {
			t.Errorf("unknown field: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", "/api/v1/bulletins", `{"year":2026,"month":10,"scope":"county","content_hash":"x"}`, nil); r.status != http.StatusConflict {
			t.Errorf("changed content: %d", r.status)
		}
		pub := f.apiCall(nil, coord, "POST", "/api/v1/bulletins", body, nil)
		obj := pub.object(t)
		if pub.status != http.StatusCreated || obj["version"] != float64(1) || obj["bulletin"] == nil {
			t.Fatalf("publish: %d %s", pub.status, pub.body)
		}
		bid := int64(obj["id"].(float64))
		if r := f.apiCall(nil, coord, "POST", "/api/v1/bulletins", body, nil); r.status != http.StatusConflict {
			t.Errorf("stale version: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", "/api/v1/bulletins", `{"year":2026,"month":10,"scope":"county","after":1}`, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("correction without note: %d %s", r.status, r.body)
		}
		list := f.apiCall(nil, leader, "GET", "/api/v1/bulletins?year=2026", "", nil)
		if list.status != 200 || !strings.Contains(string(list.body), `"issue":1`) || strings.Contains(string(list.body), `"bulletin"`) {
			t.Errorf("list: %d %s", list.status, list.body)
		}
		snap := f.apiCall(nil, leader, "GET", fmt.Sprintf("/api/v1/bulletins/%d", bid), "", nil)
		if snap.status != 200 || !strings.Contains(string(snap.body), "测试市工业倍增暨招商引资工作调度通报") {
			t.Errorf("snapshot: %d", snap.status)
		}
		f.bulletinProject("B4", "countyA", "signed", "2026-10-09", "", 3*domain.Yi)
		diff := f.apiCall(nil, leader, "GET", fmt.Sprintf("/api/v1/bulletins/%d/diff", bid), "", nil)
		if diff.status != 200 || !strings.Contains(string(diff.body), `"row":"甲区","column":"签约本月","old":"1","new":"2"`) {
			t.Errorf("diff: %d %s", diff.status, diff.body)
		}
		if r := f.apiCall(nil, leader, "GET", "/api/v1/bulletins/999/diff", "", nil); r.status != http.StatusNotFound {
			t.Errorf("missing: %d", r.status)
		}
	})
}

// TestBulletinExport reads the workbook back: a sheet per section, merged two-row
// headers, figures as numbers formatted as on the page, statuses as fills. With
// BEIZENG_TEST_SOFFICE naming LibreOffice, every sheet converted to CSV carries the same
// figures as the JSON.
func TestBulletinExport(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	seedBulletin(t, f)
	c := f.login("leader")
	res, err := c.Get(f.ts.URL + "/bulletin/export.xlsx?year=2026&month=10")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "bulletin-2026-10-all.xlsx") {
		t.Fatalf("export: %d", res.StatusCode)
	}
	var b report.Bulletin
	api := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", "/api/v1/bulletin?year=2026&month=10", "", nil)
	if err := json.Unmarshal(api.body, &b); err != nil {
		t.Fatal(err)
	}
	sheets := map[string][][]string{}
	for _, s := range b.Numbered() {
		rows, err := xlsx.ReadRows(bytes.NewReader(buf.Bytes()), s.Number+"、"+s.Title)
		if err != nil {
			t.Fatalf("sheet %s: %v", s.Title, err)
		}
		sheets[s.Number+"、"+s.Title] = rows
	}
	ind := sheets["二、分项指标完成情况"]
	if ind[0][0] != b.Title || ind[2][0] != "二、分项指标完成情况" {
		t.Errorf("title rows %v", ind[:3])
	}
	want := [][]string{{"单位", "实际", "基础目标", "", "奋斗目标", "", "时序进度%"}, {"", "", "目标", "完成率%", "目标", "完成率%", ""}}
	for i, w := range want {
		if got := ind[5+i][:7]; !slices.Equal(got, w) {
			t.Errorf("header row %d = %q, want %q", i, got, w)
		}
	}
	if got := ind[8][:9]; !slices.Equal(got, []string{"甲区", "629.0", "647.4", "97.2", "700.0", "89.9", "83.3", "+13.8", "绿"}) {
		t.Errorf("甲区 row %q", got)
	}
	checkSheetsMatchJSON(t, &b, sheets)

	soffice := os.Getenv("BEIZENG_TEST_SOFFICE")
	if soffice == "" {
		t.Skip("BEIZENG_TEST_SOFFICE not set: LibreOffice conversion not checked")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "bulletin.xlsx")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// The ninth filter token (true) saves cell contents as shown, so the number formats
	// are checked too: 1029.0 stays "1029.0", a gap keeps its "+".
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csvSheets := map[string][][]string{}
	for _, s := range b.Numbered() {
		name := s.Number + "、" + s.Title
		data, err := os.ReadFile(filepath.Join(dir, "bulletin-"+name+".csv"))
		if err != nil {
			t.Fatalf("no CSV for sheet %s: %v", name, err)
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		csvSheets[name] = rows
	}
	checkSheetsMatchJSON(t, &b, csvSheets)
}

// checkSheetsMatchJSON finds every table row of the bulletin in its section's sheet, by
// its first cell, and compares each figure as shown.
func checkSheetsMatchJSON(t *testing.T, b *report.Bulletin, sheets map[string][][]string) {
	t.Helper()
	checked := 0
	for _, s := range b.Numbered() {
		rows := sheets[s.Number+"、"+s.Title]
		for _, tb := range s.Tables {
			start := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == tb.Title })
			if start < 0 {
				t.Errorf("%s: table %s missing", s.Title, tb.Title)
				continue
			}
			for i, want := range tb.Rows {
				at := start + 2 + i
				if tb.Grouped() {
					at++
				}
				if at >= len(rows) {
					t.Errorf("%s: row %s missing", tb.Title, want.Cells[0].Text)
					break
				}
				got := rows[at]
				for j, c := range want.Cells {
					if j >= len(got) || got[j] != c.Text {
						t.Errorf("%s / %s / %s: sheet %q, page %q", tb.Title, want.Cells[0].Text, tb.Columns[j].Label, got, c.Text)
						break
					}
					checked++
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d cells compared", checked)
	}
}
