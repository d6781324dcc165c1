package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

func projectCount(t testing.TB, st *store.Store) int {
	t.Helper()
	_, n, err := st.FindProjects(context.Background(), domain.ProjectFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProjectImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		a, b := f.units["countyA"], f.units["countyB"]
		coord, rep := f.login("coordinator"), f.login("reporter")

		if _, page := f.get(rep, "/projects"); !strings.Contains(page, `href="/projects/template.xlsx"`) ||
			!strings.Contains(page, `action="/projects/import"`) {
			t.Error("projects page lacks the template link or the import form")
		}
		if _, page := f.get(f.login("leader"), "/projects"); strings.Contains(page, "/projects/import") {
			t.Error("a leader is offered the import")
		}

		// The template: headers, the reporter's drop-down holds their own unit only.
		x := f.download(rep, "/projects/template.xlsx")
		rows, _ := x.GetRows(xlsx.ProjectSheet)
		if len(rows) < 2 || strings.Join(rows[1], "|") != strings.Join(xlsx.ProjectHeaders[:], "|") {
			t.Fatalf("template header %q", rows)
		}
		if list, _ := x.GetCols("选项"); len(list) != 8 || strings.TrimRight(strings.Join(list[0], "|"), "|") != a.Code || list[1][0] != "内资" {
			t.Fatalf("reporter's unit list %q", list)
		}
		if dvs, err := x.GetDataValidations(xlsx.ProjectSheet); err != nil || len(dvs) != 7 { // unit, capital, tags, industrial, section, division, 5020 (the fixture has no park)
			t.Fatalf("data validations %d %v", len(dvs), err)
		}
		if idx, _ := x.GetSheetIndex(xlsx.NotesSheet); idx < 0 {
			t.Error("no 说明 sheet")
		}

		// One bad cell changes nothing and names its row and column.
		before := projectCount(t, st)
		bad := edit(t, x, xlsx.ProjectSheet, map[string]any{
			"B3": "新材料项目", "C3": a.Code, "J3": "12345.6789", "M3": "2026-01-05",
			"B4": "电子项目", "C4": a.Code, "J4": "abc",
		})
		res, body := f.upload(rep, "/projects/import", nil, "项目.xlsx", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第4行 J列（合同投资（万元））") ||
			!strings.Contains(body, "有 1 处错误") {
			t.Fatalf("bad file: %d %s", res.StatusCode, body)
		}
		if projectCount(t, st) != before {
			t.Fatal("a refused file created projects")
		}
		m := errorsLink.FindStringSubmatch(body)
		if m == nil || !strings.HasPrefix(m[1], "/projects/import/errors/") {
			t.Fatal("no annotated download")
		}
		annotated := f.download(rep, m[1])
		if rows, _ := annotated.GetRows(xlsx.ProjectSheet); len(rows) < 4 || !strings.Contains(strings.Join(rows[3], "|"), "J列") {
			t.Fatalf("annotated rows %q", rows)
		}

		// A reporter's row of another county is a row error, and nothing is saved.
		x = f.download(rep, "/projects/template.xlsx")
		other := edit(t, x, xlsx.ProjectSheet, map[string]any{
			"B3": "本区项目", "C3": a.Code,
			"B4": "乙县项目", "C4": b.Code,
		})
		res, body = f.upload(rep, "/projects/import", nil, "项目.xlsx", other)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第4行 C列（责任单位编码）：您无权导入乙县") {
			t.Fatalf("other county: %d %s", res.StatusCode, body)
		}
		if projectCount(t, st) != before {
			t.Fatal("a refused file created projects")
		}

		// Round trip: two rows are created, money 万元 → yuan half up, stage by signing date.
		x = f.download(rep, "/projects/template.xlsx")
		good := edit(t, x, xlsx.ProjectSheet, map[string]any{
			"B3": "新材料项目", "C3": a.Code, "E3": "某某新材料有限公司", "F3": "914403001922038216", "G3": "外资",
			"H3": "C", "I3": "30", "J3": "12,345.6789", "K3": 8000, "L3": "120.5", "M3": "2026-01-05",
			"N3": "2026-03-01", "O3": "2027-06-30", "P3": "行业龙头、上市公司", "Q3": "张副区长", "R3": "李四", "S3": "13800000000",
			"B4": "电子项目", "C4": a.Code,
		})
		res, _ = f.upload(rep, "/projects/import", nil, "项目.xlsx", good)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/projects" {
			t.Fatalf("good file: %d", res.StatusCode)
		}
		if _, page := f.get(rep, "/projects"); !strings.Contains(page, "已导入：新增 2 个，更新 0 个") {
			t.Error("no flash with the counts")
		}
		list, total, err := st.FindProjects(ctx, domain.ProjectFilter{UnitID: a.ID, Query: "新材料项目", Limit: 10})
		if err != nil || total != 1 {
			t.Fatalf("imported project: %d %v", total, err)
		}
		p, _ := st.FindProjectByID(ctx, list[0].ID)
		if p.ContractInvestment != 123456789 || p.FixedInvestment != 80000000 || p.LandMu.String() != "120.5" ||
			p.Stage != "signed" || p.SignedOn != "2026-01-05" || p.CapitalSource != "foreign" || !p.ForeignCapital ||
			strings.Join(p.Tags, "、") != "上市公司、行业龙头" || p.PlannedProductionOn != "2027-06-30" || !strings.HasPrefix(p.Code, "XM") {
			t.Fatalf("imported %+v", p)
		}
		if projectCount(t, st) != before+2 {
			t.Fatal("not two projects")
		}

		// Update by code keeps the stage: move it on, then import a new name.
		if _, err := st.TransitionProject(ctx, domain.Actor{Via: "test"}, p.ID, p.Version, "started", "2026-02-01", ""); err != nil {
			t.Fatal(err)
		}
		x = f.download(coord, "/projects/template.xlsx")
		upd := edit(t, x, xlsx.ProjectSheet, map[string]any{"A3": p.Code, "B3": "新材料项目（二期）", "J3": "20000"})
		res, _ = f.upload(coord, "/projects/import", nil, "项目.xlsx", upd)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d", res.StatusCode)
		}
		got, _ := st.FindProjectByID(ctx, p.ID)
		if got.Name != "新材料项目（二期）" || got.Stage != "started" || got.StartedOn != "2026-02-01" || got.SignedOn != "2026-01-05" ||
			got.ContractInvestment != 200000000 || got.InvestorName != "某某新材料有限公司" || got.UnitID != a.ID {
			t.Fatalf("updated %+v", got)
		}

		// reporter2 (乙县) may not change 甲区's project by its code.
		x = f.download(f.login("reporter2"), "/projects/template.xlsx")
		steal := edit(t, x, xlsx.ProjectSheet, map[string]any{"A3": p.Code, "B3": "改名"})
		res, body = f.upload(f.login("reporter2"), "/projects/import", nil, "项目.xlsx", steal)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "您无权修改该单位的项目") {
			t.Fatalf("other unit's code: %d", res.StatusCode)
		}
	})
}

// BenchmarkProjectImport reads, checks and saves a 10,000-row file on SQLite through
// the web handler, and reports the peak heap in use.
func BenchmarkProjectImport(b *testing.B) {
	const n = 10_000
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b, sqliteStore(b))
		a := f.units["countyA"]
		data := projectFile(b, n, a.Code)
		coord := f.login("coordinator")
		var peak uint64
		done := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapInuse)
				}
			}
		}()
		runtime.GC()
		b.StartTimer()
		start := time.Now()
		res, body := f.upload(coord, "/projects/import", nil, "projects.xlsx", data)
		elapsed := time.Since(start)
		b.StopTimer()
		close(done)
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("import: %d %s", res.StatusCode, body[:min(len(body), 2000)])
		}
		if got := projectCount(b, f.st); got != n {
			b.Fatalf("%d projects", got)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(elapsed.Seconds(), "s/import")
		b.StartTimer()
	}
}

// projectFile writes an n-row project file with the streaming writer.
func projectFile(tb testing.TB, n int, unit string) []byte {
	tb.Helper()
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", xlsx.ProjectSheet)
	sw, err := x.NewStreamWriter(xlsx.ProjectSheet)
	if err != nil {
		tb.Fatal(err)
	}
	sw.SetRow("A1", []any{"招商项目"})
	header := make([]any, len(xlsx.ProjectHeaders))
	for i, h := range xlsx.ProjectHeaders {
		header[i] = h
	}
	sw.SetRow("A2", header)
	for i := range n {
		code := "" // half the codes generated, half given
		if i%2 == 1 {
			code = fmt.Sprintf("BM%05d", i)
		}
		row := []any{code, fmt.Sprintf("批量项目%05d", i), unit, "", fmt.Sprintf("投资方%05d", i), "914403001922038216", "内资",
			"C", "30", fmt.Sprintf("%d.5", 1000+i), 800 + i, "12.5", "2026-01-05", "2026-03-01", "2027-01-01", "行业龙头",
			"王领导", "联系人", "13800000000"}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+3), row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
