package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// workbook builds a real .xlsx file: rows[i] goes to row i+1 of the sheet; a nil row is
// left empty.
func workbook(t testing.TB, sheet string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func dec(t testing.TB, s string) domain.Dec {
	t.Helper()
	d, err := domain.ParseDec(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decp(t testing.TB, s string) *domain.Dec {
	d := dec(t, s)
	return &d
}

// testBook is two counties and a park, two indicators, and county A's current targets.
func testBook(t testing.TB) TargetBook {
	b := TargetBook{Year: 2026,
		Units: []*domain.Unit{
			{ID: 1, Code: "369901", Name: "甲区", Kind: domain.UnitCounty},
			{ID: 2, Code: "369902", Name: "乙县", Kind: domain.UnitCounty},
			{ID: 3, Code: "P01", Name: "甲区园区", Kind: domain.UnitPark},
		},
		Indicators: []*domain.Indicator{
			{ID: 10, Code: "revenue", Name: "工业营业收入", Measure: "亿元", Kind: domain.KindReported},
			{ID: 11, Code: "projects", Name: "亿元以上项目", Measure: "个", Kind: domain.KindReported},
		},
		Targets: map[domain.CellKey]*domain.Target{},
	}
	b.Targets[domain.CellKey{UnitID: 1, IndicatorID: 10}] = &domain.Target{Year: 2026, UnitID: 1, IndicatorID: 10,
		Base: dec(t, "120.5"), Stretch: decp(t, "130")}
	b.Targets[domain.CellKey{UnitID: 1, IndicatorID: 11}] = &domain.Target{Year: 2026, UnitID: 1, IndicatorID: 11,
		Base: dec(t, "20")}
	return b
}

var targetHeaders = []any{"单位编码", "单位名称", "工业营业收入（亿元）基础目标", "工业营业收入（亿元）奋斗目标",
	"亿元以上项目（个）基础目标", "亿元以上项目（个）奋斗目标"}

func TestCellErrorText(t *testing.T) {
	for _, c := range []struct {
		e    CellError
		want string
	}{
		{CellError{Sheet: "目标", Row: 5, Col: "D", Header: "工业营业收入（亿元）基础目标", Message: "不是有效的数字：abc"},
			"第5行 D列（工业营业收入（亿元）基础目标）：不是有效的数字：abc"},
		{CellError{Row: 5, Col: "D", Message: "该列没有列标题。"}, "第5行 D列：该列没有列标题。"},
		{CellError{Row: 7, Message: "整行有误。"}, "第7行：整行有误。"},
		{CellError{Message: "文件有误。"}, "文件有误。"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.e, got, c.want)
		}
	}
	if ColumnName(0) != "A" || ColumnName(27) != "AB" {
		t.Error("column names")
	}
}

func TestParseNumber(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{in: "12.5", want: "12.5"},
		{in: "1,234.5", want: "1234.5"},
		{in: "１２．５", want: "12.5"},
		{in: "1E-3", want: "0.001"},              // how Excel stores 0.001
		{in: "0.30000000000000004", want: "0.3"}, // =0.1+0.2, shown as 0.3
		{in: "1.2345678901234E+11", want: "123456789012.34"},
		{in: "abc", err: "不是有效的数字：abc"},
		{in: "0.12345", err: "小数位数不能超过4位：0.12345"},
		{in: "12亿", err: "不是有效的数字：12亿"},
	} {
		d, err := ParseNumber(c.in)
		switch {
		case c.err != "" && domain.ErrorMessage(err) != c.err:
			t.Errorf("%q: error %v, want %q", c.in, err, c.err)
		case c.err == "" && (err != nil || d.String() != c.want):
			t.Errorf("%q: %s %v, want %s", c.in, d, err, c.want)
		}
	}
}

func TestOpenSheetRefusesWhatIsNotATemplate(t *testing.T) {
	var notXLSX bytes.Buffer
	zw := zip.NewWriter(&notXLSX)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("hi"))
	zw.Close()
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"empty":      {nil, "上传的文件是空的"},
		"text":       {[]byte("单位编码,基础目标\n369901,12\n"), "不是有效的 Excel（.xlsx）文件"},
		"old xls":    {append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "旧版 Excel（.xls）"},
		"other zip":  {notXLSX.Bytes(), "不是有效的 Excel（.xlsx）文件"},
		"wrong book": {workbook(t, "Sheet9", [][]any{{"x"}}), "没有名为“目标”的工作表（现有：Sheet9）"},
	} {
		_, err := OpenSheet(c.data, TargetSheet)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if _, err := ReadTargets(workbook(t, TargetSheet, [][]any{{"随便什么"}, {"1", "2"}}), testBook(t)); !strings.Contains(domain.ErrorMessage(err), "没有找到列标题行") {
		t.Errorf("no header row: %v", err)
	}
}

func TestSheetReaderCountsEmptyRows(t *testing.T) {
	data := workbook(t, "S", [][]any{{"a"}, nil, {nil, "c"}, nil, nil, {"f", nil, "h"}})
	sr, err := OpenSheet(data, "S")
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	var got []string
	for sr.Next() {
		if !sr.Blank() {
			got = append(got, fmt.Sprintf("%d:%s", sr.Row(), strings.Join(sr.Cells(), "|")))
		}
	}
	if err := sr.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "1:a 3:|c 6:f||h"; strings.Join(got, " ") != want {
		t.Fatalf("rows %q, want %q", strings.Join(got, " "), want)
	}
}

func TestTargetTemplateRoundTrip(t *testing.T) {
	b := testBook(t)
	var buf bytes.Buffer
	if err := WriteTargetTemplate(&buf, b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(TargetSheet)
	if len(rows) != 5 || rows[0][0] != "2026年度目标（导入模板）" || strings.Join(rows[1], "|") != "单位编码|单位名称|工业营业收入（亿元）基础目标|工业营业收入（亿元）奋斗目标|亿元以上项目（个）基础目标|亿元以上项目（个）奋斗目标" {
		t.Fatalf("template rows %q", rows)
	}
	if strings.Join(rows[2], "|") != "369901|甲区|120.5|130|20" || rows[3][0] != "369902" || rows[4][1] != "甲区园区" {
		t.Fatalf("prefilled rows %q", rows[2:])
	}
	dvs, err := f.GetDataValidations(TargetSheet)
	if err != nil || len(dvs) != 1 || dvs[0].Sqref != "C3:F5" || dvs[0].Type != "decimal" || dvs[0].Operator != "greaterThanOrEqual" || dvs[0].Formula1 != "0" {
		t.Fatalf("data validation %+v %v", dvs, err)
	}
	notes, _ := f.GetRows(NotesSheet)
	if len(notes) < 5 || !strings.Contains(strings.Join(notes[3], ""), "留空的单元格表示不修改") {
		t.Fatalf("notes %q", notes)
	}
	f.Close()

	// Read back untouched: every prefilled target comes back as it is, nothing else.
	imp, err := ReadTargets(buf.Bytes(), b)
	if err != nil || len(imp.Errors) != 0 {
		t.Fatalf("untouched template: %v %v", err, imp.Errors)
	}
	if imp.HeaderRow != 2 || imp.Rows != 3 || len(imp.Cells) != 2 {
		t.Fatalf("untouched template read as %+v", imp)
	}
	if c := imp.Cells[0]; c.UnitID != 1 || c.IndicatorID != 10 || c.Base.String() != "120.5" || c.Stretch == nil || c.Stretch.String() != "130" {
		t.Fatalf("first cell %+v", c)
	}
	if c := imp.Cells[1]; c.IndicatorID != 11 || c.Base.String() != "20" || c.Stretch != nil {
		t.Fatalf("second cell %+v", c)
	}
}

func TestReadTargetsCollectsEveryProblem(t *testing.T) {
	b := testBook(t)
	data := workbook(t, TargetSheet, [][]any{
		{"2026年度目标（导入模板）"},
		append(append([]any{}, targetHeaders...), "备注"),
		{"369901", "甲区", 125, 140, "２５", ""}, // row 3: good (full-width digits)
		{"369902", "乙县", "abc", 10, nil, 5},  // row 4: bad number; stretch without base
		{"999999", "不存在", 1, 2},              // row 5: unknown unit
		nil,                                  // row 6: blank, skipped
		{"P01", "甲区园区", 50, 40},              // row 7: stretch below base
		{"369901", "甲区", 1, 2},               // row 8: duplicate unit
		{"", "", 3},                          // row 9: no code
	})
	imp, err := ReadTargets(data, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"第2行 G列（备注）：无法识别的列标题。指标列的标题应为“指标名称（计量单位）基础目标”或“……奋斗目标”，与模板一致；不导入的列请删除。",
		"第4行 C列（工业营业收入（亿元）基础目标）：不是有效的数字：abc",
		"第4行 F列（亿元以上项目（个）奋斗目标）：该单位尚无此指标的基础目标，请同时填写基础目标。",
		"第5行 A列（单位编码）：单位编码“999999”不是系统中启用的市、县（市、区）或园区。",
		"第7行 D列（工业营业收入（亿元）奋斗目标）：奋斗目标 40 不能低于基础目标 50。",
		"第8行 A列（单位编码）：单位编码 369901 与第3行重复，同一单位只能有一行。",
		"第9行 A列（单位编码）：缺少单位编码。",
	}
	var got []string
	for _, e := range imp.Errors {
		if e.Sheet != TargetSheet {
			t.Errorf("error without its sheet: %+v", e)
		}
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if imp.Rows != 6 {
		t.Errorf("rows %d, want 6", imp.Rows)
	}
}

func TestReadTargetsEmptyCellsKeepCurrentValues(t *testing.T) {
	b := testBook(t) // 甲区: revenue 120.5/130, projects 20/—
	data := workbook(t, TargetSheet, [][]any{
		targetHeaders,
		{"369901", "甲区", nil, 135, 22},
		{"369902", "乙县", 80},
	})
	imp, err := ReadTargets(data, b)
	if err != nil || len(imp.Errors) != 0 {
		t.Fatalf("%v %v", err, imp.Errors)
	}
	var got []string
	for _, c := range imp.Cells {
		got = append(got, fmt.Sprintf("%d/%d=%s/%s", c.UnitID, c.IndicatorID, c.Base, targetText(c.Stretch)))
	}
	if want := "1/10=120.5/135 1/11=22/ 2/10=80/"; strings.Join(got, " ") != want {
		t.Fatalf("cells %q, want %q", strings.Join(got, " "), want)
	}

	// A new base above the stretch kept from before is refused at the base cell; a header
	// retyped with half-width brackets and spaces is still understood; columns may be left out.
	data = workbook(t, TargetSheet, [][]any{
		{"单位编码", "工业营业收入 (亿元) 基础目标"},
		{"369901", 131},
	})
	imp, err = ReadTargets(data, b)
	if err != nil || len(imp.Errors) != 1 || imp.Errors[0].Error() != "第2行 B列（工业营业收入 (亿元) 基础目标）：基础目标 131 高于现有的奋斗目标 130，请同时修改奋斗目标。" {
		t.Fatalf("%v %+v", err, imp.Errors)
	}

	// A template of another year is named as such.
	data = workbook(t, TargetSheet, [][]any{{"2025年度目标（导入模板）"}, targetHeaders})
	imp, err = ReadTargets(data, b)
	if err != nil || len(imp.Errors) != 1 || !strings.Contains(imp.Errors[0].Message, "这是2025年度的模板，当前导入的是2026年度目标") {
		t.Fatalf("year check: %v %+v", err, imp.Errors)
	}
}

func targetText(d *domain.Dec) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func TestAnnotateMarksRowsAndCells(t *testing.T) {
	b := testBook(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", TargetSheet)
	f.SetSheetRow(TargetSheet, "A1", &[]any{"2026年度目标（导入模板）"})
	f.SetSheetRow(TargetSheet, "A2", &targetHeaders)
	f.SetSheetRow(TargetSheet, "A3", &[]any{"369901", "甲区", 125, 140})
	f.SetSheetRow(TargetSheet, "A4", &[]any{"369902", "乙县", "abc", "x"})
	numFmt, _ := f.NewStyle(&excelize.Style{NumFmt: 2, Font: &excelize.Font{Bold: true}})
	f.SetCellStyle(TargetSheet, "C4", "C4", numFmt)
	buf, _ := f.WriteToBuffer()
	f.Close()
	data := buf.Bytes()

	imp, err := ReadTargets(data, b)
	if err != nil || len(imp.Errors) != 2 {
		t.Fatalf("%v %+v", err, imp)
	}
	out, err := Annotate(data, TargetSheet, imp.HeaderRow, imp.Errors)
	if err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := g.GetRows(TargetSheet)
	if rows[1][6] != ErrorHeader || len(rows[2]) > 6 {
		t.Fatalf("error column: %q", rows)
	}
	if want := "C列（工业营业收入（亿元）基础目标）：不是有效的数字：abc\nD列（工业营业收入（亿元）奋斗目标）：不是有效的数字：x"; rows[3][6] != want {
		t.Fatalf("row 4 message %q, want %q", rows[3][6], want)
	}
	for cell, bad := range map[string]bool{"C4": true, "D4": true, "C3": false, "A4": false} {
		id, _ := g.GetCellStyle(TargetSheet, cell)
		st, _ := g.GetStyle(id)
		red := st != nil && len(st.Fill.Color) > 0 && strings.EqualFold(st.Fill.Color[0], badFill)
		if red != bad {
			t.Errorf("%s red fill = %v, want %v", cell, red, bad)
		}
		if cell == "C4" && (st.NumFmt != 2 || st.Font == nil || !st.Font.Bold) {
			t.Errorf("C4 lost its own format: %+v", st)
		}
	}
	g.Close()

	// Corrected and uploaded again as it is, the error column is ignored; a second
	// round of errors reuses it and clears the old messages.
	g, _ = excelize.OpenReader(bytes.NewReader(out))
	g.SetCellValue(TargetSheet, "C4", 90)
	fixed, _ := g.WriteToBuffer()
	g.Close()
	imp, err = ReadTargets(fixed.Bytes(), b)
	if err != nil || len(imp.Errors) != 1 || imp.Errors[0].Col != "D" {
		t.Fatalf("corrected file: %v %+v", err, imp.Errors)
	}
	again, err := Annotate(fixed.Bytes(), TargetSheet, imp.HeaderRow, imp.Errors)
	if err != nil {
		t.Fatal(err)
	}
	g, _ = excelize.OpenReader(bytes.NewReader(again))
	rows, _ = g.GetRows(TargetSheet)
	g.Close()
	if len(rows[1]) != 7 || rows[3][6] != "D列（工业营业收入（亿元）奋斗目标）：不是有效的数字：x" {
		t.Fatalf("second round: %q", rows)
	}
}

func TestReportTemplateAndImport(t *testing.T) {
	b := ReportBook{Unit: &domain.Unit{ID: 1, Code: "369901", Name: "甲区"}, Year: 2026, Month: 10,
		Indicators: []*domain.Indicator{
			{ID: 10, Code: "revenue", Name: "工业营业收入", Measure: "亿元", Kind: domain.KindReported, Accumulation: domain.Cumulative},
			{ID: 11, Code: "signed", Name: "签约项目", Measure: "个", Kind: domain.KindReported, Accumulation: domain.PointInTime},
			{ID: 12, Code: "rate", Name: "开工率", Measure: "%", Kind: domain.KindRatio},
		},
		Values: map[int64]domain.Dec{10: dec(t, "88.25")}}
	var buf bytes.Buffer
	if err := WriteReportTemplate(&buf, b); err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	rows, _ := f.GetRows(ReportSheet)
	f.Close()
	if len(rows) != 4 || rows[0][0] != "2026年10月 月报 · 甲区（369901）" || strings.Join(rows[2], "|") != "revenue|工业营业收入（1–10月累计）|亿元|88.25" || strings.Join(rows[3], "|") != "signed|签约项目|个" {
		t.Fatalf("template %q", rows)
	}
	imp, err := ReadReport(buf.Bytes(), b)
	if err != nil || len(imp.Errors) != 0 || len(imp.Values) != 1 || imp.Values[10] != dec(t, "88.25") {
		t.Fatalf("untouched template: %v %+v", err, imp)
	}

	data := workbook(t, ReportSheet, [][]any{
		{"2026年9月 月报 · 甲区（369901）"},
		{"指标编码", "指标名称", "计量单位", "本期数值"},
		{"revenue", "", "", 90},
		{"nosuch", "", "", 1},
		{"rate", "", "", 50},
		{"revenue", "", "", 91},
		{"signed", "", "", "十二"},
	})
	imp, err = ReadReport(data, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range imp.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"第1行 A列：这是2026年9月、单位编码 369901 的模板，当前导入的是2026年10月 月报 · 甲区（369901）。请下载本月报的模板。",
		"第4行 A列（指标编码）：指标编码“nosuch”不在指标目录中（或已停用）。",
		"第5行 A列（指标编码）：“开工率”由系统计算，不需要填报，请删除该行。",
		"第6行 A列（指标编码）：指标编码 revenue 与第3行重复，同一指标只能有一行。",
		"第7行 D列（本期数值）：不是有效的数字：十二",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// syntheticTargets is a target file of n units × 10 indicators, every cell filled.
func syntheticTargets(b testing.TB, n int) ([]byte, TargetBook) {
	book := TargetBook{Year: 2026, Targets: map[domain.CellKey]*domain.Target{}}
	for i := range 10 {
		book.Indicators = append(book.Indicators, &domain.Indicator{ID: int64(100 + i), Code: fmt.Sprintf("i%d", i),
			Name: fmt.Sprintf("指标%d", i), Measure: "亿元", Kind: domain.KindReported})
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", TargetSheet)
	sw, err := f.NewStreamWriter(TargetSheet)
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"单位编码", "单位名称"}
	for _, ind := range book.Indicators {
		header = append(header, TargetHeader(ind, false), TargetHeader(ind, true))
	}
	sw.SetRow("A1", []any{"2026年度目标（导入模板）"})
	sw.SetRow("A2", header)
	for u := range n {
		code := fmt.Sprintf("U%06d", u)
		book.Units = append(book.Units, &domain.Unit{ID: int64(u + 1), Code: code, Name: "单位" + code, Kind: domain.UnitPark})
		row := []any{code, "单位" + code}
		for i := range book.Indicators {
			row = append(row, float64(u%1000)+float64(i)/4, float64(u%1000)+float64(i)/4+10)
		}
		cell, _ := excelize.CoordinatesToCellName(1, u+3)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), book
}

// BenchmarkTargetImport parses and checks a 10,000-row target file (20 number columns),
// reporting the peak live heap seen while it runs and the bytes allocated per import.
func BenchmarkTargetImport(b *testing.B) {
	data, book := syntheticTargets(b, 10_000)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the live heap while the imports run
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		imp, err := ReadTargets(data, book)
		if err != nil || len(imp.Errors) != 0 || len(imp.Cells) != 100_000 {
			b.Fatalf("%v %d errors, %d cells", err, len(imp.Errors), len(imp.Cells))
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), before.HeapAlloc))/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MiB/op")
	b.ReportMetric(float64(len(data))/(1<<20), "file-MiB")
}
