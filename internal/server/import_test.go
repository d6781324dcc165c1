package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// upload posts a multipart import form: the file (unless filename is empty) and fields.
func (f *fixture) upload(c *http.Client, path string, fields map[string]string, filename string, data []byte) (*http.Response, string) {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		w, err := mw.CreateFormFile("file", filename)
		if err != nil {
			f.t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// download fetches a workbook and opens it.
func (f *fixture) download(c *http.Client, path string) *excelize.File {
	f.t.Helper()
	res, body := f.get(c, path)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
		f.t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { x.Close() })
	return x
}

// edit sets cells of a workbook's sheet and returns the file's bytes.
func edit(t *testing.T, x *excelize.File, sheet string, cells map[string]any) []byte {
	t.Helper()
	for cell, v := range cells {
		if err := x.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func targetsText(targets map[store.TargetKey]*domain.Target) string {
	var lines []string
	for k, tg := range targets {
		s := ""
		if tg.Stretch != nil {
			s = tg.Stretch.String()
		}
		lines = append(lines, fmt.Sprintf("%d/%d=%s/%s", k.UnitID, k.IndicatorID, tg.Base, s))
	}
	slices.Sort(lines)
	return strings.Join(lines, " ")
}

func countAudit(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	_, n, err := st.FindAuditEvents(context.Background(), domain.AuditFilter{Action: action, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var errorsLink = regexp.MustCompile(`href="(/[^"]*/import/errors/[A-Za-z0-9]+)"`)

func TestTargetImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx, sys := context.Background(), domain.Actor{Via: "test"}
		park := tgAssess(t, f)
		city, a, b := f.units["city"], f.units["countyA"], f.units["countyB"]
		revenue := tgIndicator(t, f, "revenue", "工业营业收入", "亿元", 1)
		firms := tgIndicator(t, f, "firms", "新增规上工业企业", "户", 2)
		ten, twelve := mustDec(t, "10"), mustDec(t, "12")
		if _, err := st.SaveTargets(ctx, sys, 2026, []store.TargetChange{{UnitID: a.ID, IndicatorID: revenue.ID, Base: &ten, Stretch: &twelve}}, ""); err != nil {
			t.Fatal(err)
		}
		coord := f.login("coordinator")
		before, _ := st.FindTargets(ctx, 2026, 0)
		audited := countAudit(t, st, "target.set")

		// The page offers the template and the import form to coordinators only.
		_, page := f.get(coord, "/targets?year=2026")
		for _, want := range []string{`href="/targets/template.xlsx?year=2026"`, `action="/targets/import" enctype="multipart/form-data"`, `name="file" type="file"`} {
			if !strings.Contains(page, want) {
				t.Errorf("targets page lacks %s", want)
			}
		}
		if _, page := f.get(f.login("leader"), "/targets?year=2026"); strings.Contains(page, "/targets/import") {
			t.Error("a leader is offered the import")
		}

		// The template: a row per unit (city first), two columns per indicator, prefilled.
		x := f.download(coord, "/targets/template.xlsx?year=2026")
		rows, _ := x.GetRows("目标")
		if strings.Join(rows[1], "|") != "单位编码|单位名称|工业营业收入（亿元）基础目标|工业营业收入（亿元）奋斗目标|新增规上工业企业（户）基础目标|新增规上工业企业（户）奋斗目标" {
			t.Fatalf("template header %q", rows[1])
		}
		var codes []string
		for _, r := range rows[2:] {
			codes = append(codes, r[0])
		}
		if strings.Join(codes, " ") != "369900 369901 369902 P369901" || strings.Join(rows[3], "|") != "369901|甲区|10|12" {
			t.Fatalf("template rows %q", rows[2:])
		}
		if list := x.GetSheetList(); len(list) != 2 || list[1] != "说明" {
			t.Fatalf("sheets %q", list)
		}

		// One bad cell among good ones: nothing changes, and the page names the cell.
		bad := edit(t, x, "目标", map[string]any{"C3": 100, "E4": 30, "C5": "abc"})
		res, body := f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "目标2026.xlsx", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad file: %d", res.StatusCode)
		}
		want := "工作表“目标” 第5行 C列（工业营业收入（亿元）基础目标）：不是有效的数字：abc"
		if !strings.Contains(body, want) || !strings.Contains(body, "有 1 处错误，未导入，没有做任何修改") || strings.Contains(body, "<no value>") {
			t.Fatalf("refusal page lacks %q", want)
		}
		if after, _ := st.FindTargets(ctx, 2026, 0); targetsText(after) != targetsText(before) || countAudit(t, st, "target.set") != audited {
			t.Fatalf("a refused file changed targets: %s", targetsText(after))
		}

		// The annotated copy: the message in 错误说明 on row 5, for this user only.
		m := errorsLink.FindStringSubmatch(body)
		if m == nil || !strings.HasPrefix(m[1], "/targets/import/errors/") {
			t.Fatal("no download of the annotated file")
		}
		annotated := f.download(coord, m[1])
		rows, _ = annotated.GetRows("目标")
		if rows[1][6] != "错误说明" || len(rows) < 5 || len(rows[4]) < 7 || rows[4][6] != "C列（工业营业收入（亿元）基础目标）：不是有效的数字：abc" {
			t.Fatalf("annotated rows %q", rows)
		}
		if len(rows[3]) > 6 {
			t.Errorf("a good row is annotated: %q", rows[3])
		}
		other := &domain.User{Username: "coordinator2", DisplayName: "另一协调员", UnitID: city.ID, Roles: []domain.Role{domain.RoleCoordinator}}
		if err := f.svc.CreateUser(ctx, sys, other, fixturePassword); err != nil {
			t.Fatal(err)
		}
		hash, _ := auth.HashPassword(fixturePassword)
		if err := st.SetPassword(ctx, sys, other.ID, hash, false, ""); err != nil {
			t.Fatal(err)
		}
		if res, _ := f.get(f.login("coordinator2"), m[1]); res.StatusCode != http.StatusNotFound {
			t.Errorf("another coordinator fetched the file: %d", res.StatusCode)
		}
		if res, _ := f.get(f.login("leader"), m[1]); res.StatusCode != http.StatusForbidden {
			t.Errorf("a leader fetched the file: %d", res.StatusCode)
		}
		if res, _ := f.get(coord, "/targets/import/errors/NOSUCHTOKEN"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown token: %d", res.StatusCode)
		}

		// Not a workbook, or no file: a Chinese message, nothing changed.
		res, body = f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "targets.csv", []byte("单位编码,基础目标\n369901,12\n"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不是有效的 Excel（.xlsx）文件") || errorsLink.MatchString(body) {
			t.Fatalf("csv upload: %d", res.StatusCode)
		}
		res, body = f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请选择要导入的 Excel 文件") {
			t.Fatalf("no file: %d", res.StatusCode)
		}
		res, body = f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "big.xlsx", make([]byte, 20<<20+1))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "文件超过20MB") {
			t.Fatalf("oversized file: %d", res.StatusCode)
		}
		if after, _ := st.FindTargets(ctx, 2026, 0); targetsText(after) != targetsText(before) {
			t.Fatal("a refused upload changed targets")
		}

		// Round trip: the template filled in and uploaded saves every cell in one go,
		// each change audited.
		x = f.download(coord, "/targets/template.xlsx?year=2026")
		good := edit(t, x, "目标", map[string]any{
			"C3": 100, "D3": 120, "E3": 50, "F3": 60, // city
			"C4": 40, "D4": "45", "E4": 20, // 甲区: the old 10/12 changes; F4 stays empty
			"C5": "５０", "E5": 25.5, // 乙县, full-width digits as an input method types them
			"C6": 30, // park
		})
		res, _ = f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "目标2026.xlsx", good)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/targets?year=2026" {
			t.Fatalf("good file: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if _, page := f.get(coord, "/targets?year=2026"); !strings.Contains(page, "已导入 7 个目标") {
			t.Error("no flash with the count")
		}
		got, _ := st.FindTargets(ctx, 2026, 0)
		wantTargets := map[store.TargetKey]*domain.Target{}
		for _, c := range []struct {
			unit          *domain.Unit
			ind           *domain.Indicator
			base, stretch string
		}{
			{city, revenue, "100", "120"}, {city, firms, "50", "60"}, {a, revenue, "40", "45"}, {a, firms, "20", ""},
			{b, revenue, "50", ""}, {b, firms, "25.5", ""}, {park, revenue, "30", ""},
		} {
			tg := &domain.Target{Base: mustDec(t, c.base)}
			if c.stretch != "" {
				s := mustDec(t, c.stretch)
				tg.Stretch = &s
			}
			wantTargets[store.TargetKey{UnitID: c.unit.ID, IndicatorID: c.ind.ID}] = tg
		}
		if targetsText(got) != targetsText(wantTargets) {
			t.Fatalf("saved %s\nwant  %s", targetsText(got), targetsText(wantTargets))
		}
		if n := countAudit(t, st, "target.set"); n != audited+7 {
			t.Fatalf("%d target.set events, want %d", n, audited+7)
		}

		// Once a letter is issued, changing that unit's targets by file needs a reason.
		if _, err := st.IssueLetter(ctx, sys, 2026, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		x = f.download(coord, "/targets/template.xlsx?year=2026")
		change := edit(t, x, "目标", map[string]any{"C4": 41})
		res, body = f.upload(coord, "/targets/import", map[string]string{"year": "2026"}, "t.xlsx", change)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "目标责任书已下达，修改目标须填写原因") || !strings.Contains(body, `name="reason"`) {
			t.Fatalf("issued without reason: %d", res.StatusCode)
		}
		res, _ = f.upload(coord, "/targets/import", map[string]string{"year": "2026", "reason": "市政府调整"}, "t.xlsx", change)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("issued with reason: %d", res.StatusCode)
		}
		if revs, _ := st.FindTargetRevisions(ctx, 2026, a.ID); len(revs) != 1 || revs[0].NewBase != "41" || revs[0].Reason != "市政府调整" {
			t.Fatalf("revisions %+v", revs)
		}

		// Only coordinators import.
		if res, _ := f.upload(f.login("leader"), "/targets/import", map[string]string{"year": "2026"}, "t.xlsx", good); res.StatusCode != http.StatusForbidden {
			t.Fatalf("leader import: %d", res.StatusCode)
		}
	})
}

func mustDec(t *testing.T, s string) domain.Dec {
	t.Helper()
	d, err := domain.ParseDec(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReportImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.setClock(time.Date(2026, 11, 3, 10, 0, 0, 0, reportZone))
		ctx := context.Background()
		ind := f.createReportIndicators(t)
		a, b := f.units["countyA"], f.units["countyB"]
		own := fmt.Sprintf("/reports/%d/2026/10", a.ID)
		rep, rep2, coord := f.login("reporter"), f.login("reporter2"), f.login("coordinator")

		_, page := f.get(rep, own)
		for _, want := range []string{`href="` + own + `/template.xlsx"`, `action="` + own + `/import" enctype="multipart/form-data"`} {
			if !strings.Contains(page, want) {
				t.Errorf("report page lacks %s", want)
			}
		}
		if _, page := f.get(coord, own); strings.Contains(page, own+"/import") {
			t.Error("a coordinator is offered the import")
		}

		// The template lists the reported indicators; the ratio is computed, not typed.
		x := f.download(rep, own+"/template.xlsx")
		rows, _ := x.GetRows("月报")
		if len(rows) != 5 || rows[0][0] != "2026年10月 月报 · 甲区（369901）" || rows[2][0] != "revenue" || rows[4][0] != "started" {
			t.Fatalf("template %q", rows)
		}
		f.download(coord, own+"/template.xlsx") // coordinators read every unit's
		if res, _ := f.get(rep2, own+"/template.xlsx"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("another unit's reporter read the template: %d", res.StatusCode)
		}

		// A bad file changes nothing and is annotated.
		bad := edit(t, x, "月报", map[string]any{"D3": 1234.5, "D4": "abc", "A6": "nosuch", "D6": 1})
		res, body := f.upload(rep, own+"/import", map[string]string{"version": "0"}, "月报.xlsx", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad report file: %d", res.StatusCode)
		}
		for _, want := range []string{"工作表“月报” 第4行 D列（本期数值）：不是有效的数字：abc", "第6行 A列（指标编码）：指标编码“nosuch”不在指标目录中"} {
			if !strings.Contains(body, want) {
				t.Errorf("refusal lacks %q", want)
			}
		}
		if _, err := st.FindReport(ctx, a.ID, 2026, 10); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatal("a refused file created the report")
		}
		m := errorsLink.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no annotated download")
		}
		annotated := f.download(rep, m[1])
		rows, _ = annotated.GetRows("月报")
		if rows[1][4] != "错误说明" || rows[3][4] != "D列（本期数值）：不是有效的数字：abc" {
			t.Fatalf("annotated %q", rows)
		}
		if res, _ := f.get(rep2, m[1]); res.StatusCode != http.StatusForbidden {
			t.Errorf("another unit's reporter fetched the file: %d", res.StatusCode)
		}

		// Round trip: filled in and uploaded, the values are the draft.
		x = f.download(rep, own+"/template.xlsx")
		good := edit(t, x, "月报", map[string]any{"D3": 1234.5, "D4": 32, "D5": "22"})
		res, _ = f.upload(rep, own+"/import", map[string]string{"version": "0"}, "月报.xlsx", good)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != own {
			t.Fatalf("good report file: %d", res.StatusCode)
		}
		saved, err := st.FindReport(ctx, a.ID, 2026, 10)
		if err != nil || saved.Status != domain.ReportDraft || saved.Values[ind.revenue.ID].String() != "1234.5" ||
			saved.Values[ind.signed.ID].String() != "32" || saved.Values[ind.started.ID].String() != "22" {
			t.Fatalf("saved %+v %v", saved, err)
		}
		if _, page := f.get(rep, own); !strings.Contains(page, "已从 Excel 导入 3 项数值") {
			t.Error("no flash")
		}
		if countAudit(t, st, "report.create") != 1 {
			t.Error("the import is not audited")
		}

		// An empty value cell keeps the saved value; a stale version is a conflict.
		x = f.download(rep, own+"/template.xlsx")
		partial := edit(t, x, "月报", map[string]any{"D3": nil, "D4": 33})
		if res, _ := f.upload(rep, own+"/import", map[string]string{"version": "1"}, "月报.xlsx", partial); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("partial file: %d", res.StatusCode)
		}
		saved, _ = st.FindReport(ctx, a.ID, 2026, 10)
		if saved.Values[ind.revenue.ID].String() != "1234.5" || saved.Values[ind.signed.ID].String() != "33" || saved.Version != 2 {
			t.Fatalf("after partial import %+v", saved)
		}
		if res, body := f.upload(rep, own+"/import", map[string]string{"version": "1"}, "月报.xlsx", partial); res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Fatalf("stale import: %d", res.StatusCode)
		}

		// Another unit's reporter is refused before the file is read.
		if res, _ := f.upload(rep2, own+"/import", map[string]string{"version": "2"}, "月报.xlsx", good); res.StatusCode != http.StatusForbidden {
			t.Fatalf("other unit's import: %d", res.StatusCode)
		}
		if res, _ := f.upload(rep2, fmt.Sprintf("/reports/%d/2026/10/import", b.ID), map[string]string{"version": "0"}, "月报.xlsx", good); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("own unit with another unit's file: %d", res.StatusCode) // the title names 甲区
		}

		// A submitted report takes no import.
		if _, err := st.TransitionReport(ctx, domain.Actor{Via: "test"}, saved.ID, saved.Version, store.TransitionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if res, body := f.upload(rep, own+"/import", map[string]string{"version": "3"}, "月报.xlsx", good); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不能再导入") {
			t.Fatalf("import into a submitted report: %d", res.StatusCode)
		}
	})
}
