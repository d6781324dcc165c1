package xlsx

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestDisplayedNumber(t *testing.T) {
	for _, tc := range []struct {
		text, format string
		v            float64
		ok           bool
	}{
		{"97.2", "0.0", 97.2, true},
		{"1029.0", "0.0", 1029, true},
		{"12", "0", 12, true},
		{"+13.8", "+0.0;-0.0;0.0", 13.8, true},
		{"-19.0", "0.0", -19, true},
		{"0.125", "0.000", 0.125, true},
		{"—", "", 0, false},
		{"第1", "", 0, false},
	} {
		v, format, ok := displayedNumber(tc.text)
		if v != tc.v || format != tc.format || ok != tc.ok {
			t.Errorf("%q: %v %q %v", tc.text, v, format, ok)
		}
	}
}

func TestWriteDocumentMergesHeadersAndFills(t *testing.T) {
	var buf bytes.Buffer
	err := WriteDocument(&buf, []DocSheet{{Sheet: "一、总体情况", Title: "瓷都市工业倍增暨招商引资工作调度通报", Subtitle: "2026年第3期",
		Heading: "一、总体情况", Text: "截至10月底……", Tables: []DocTable{{Title: "主要指标",
			Header:  []DocHeader{{Label: "单位", Span: 1}, {Label: "基础目标", Span: 2, Grouped: true}, {Label: "状态", Span: 1}},
			Columns: []DocColumn{{Label: "单位"}, {Label: "目标", Number: true}, {Label: "完成率%", Number: true}, {Label: "状态"}},
			Rows:    []DocRow{{Cells: []DocCell{{Text: "甲区"}, {Text: "647.4"}, {Text: "97.2"}, {Text: "绿", Fill: "green"}}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	merges, err := f.GetMergeCells("一、总体情况")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range merges {
		got = append(got, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(got)
	// Title, subtitle, heading and text across the four columns; after a blank row and the
	// caption, 单位 and 状态 down two header rows, 基础目标 across its two columns.
	want := []string{"A1:D1", "A2:D2", "A3:D3", "A4:D4", "A7:A8", "B7:C7", "D7:D8"}
	if !slices.Equal(got, want) {
		t.Errorf("merges %v, want %v", got, want)
	}
	if v, _ := f.GetCellValue("一、总体情况", "C9"); v != "97.2" {
		t.Errorf("C9 %q", v)
	}
	if typ, _ := f.GetCellType("一、总体情况", "B9"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B9 type %v", typ)
	}
	style, _ := f.GetCellStyle("一、总体情况", "D9")
	st, _ := f.GetStyle(style)
	if st == nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "E3F3E8" {
		t.Errorf("status fill %+v", st)
	}
}
