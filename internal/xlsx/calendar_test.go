package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

func TestCalendarTemplateRoundTrip(t *testing.T) {
	days, _ := domain.NationalCalendar(2026)
	var buf bytes.Buffer
	if err := WriteCalendarTemplate(&buf, 2026, days); err != nil {
		t.Fatal(err)
	}
	imp, err := ReadCalendar(buf.Bytes(), 2026)
	if err != nil || len(imp.Errors) != 0 || len(imp.Days) != len(days) {
		t.Fatalf("round trip: %v %v %d", err, imp.Errors, len(imp.Days))
	}
	for i := range days {
		if imp.Days[i] != days[i] {
			t.Fatalf("day %d: %+v, want %+v", i, imp.Days[i], days[i])
		}
	}
}

func TestReadCalendarErrors(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", CalendarSheet)
	rows := [][]any{
		{"2026年节假日"},
		{"日期", "类型", "名称"},
		{"2026-02-15", "放假", "春节"},
		{"2026/2/16", "放假", "春节"},
		{"2026-02-30", "放假", "春节"},   // no such date
		{"2026-02-13", "调休上班", "春节"}, // a Friday
		{"2025-10-01", "放假", "国庆节"},  // another year
		{"2026-02-17", "休息", "春节"},   // unknown kind
		{"2026-02-15", "放假", "春节"},   // twice
		{"2026-02-18", "放假", ""},     // no name
		{46070.0, "放假", "春节"},        // a date Excel stores as a serial: 2026-02-17
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow(CalendarSheet, cell, &r)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	imp, err := ReadCalendar(buf.Bytes(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"第5行 A列（日期）：日期“2026-02-30”无效",
		"第6行 B列（类型）：调休上班日应是周六或周日",
		"第7行 A列（日期）：日期 2025-10-01 不属于 2026 年",
		"第8行 B列（类型）：类型应为“放假”或“调休上班”",
		"第9行 A列（日期）：日期与第3行重复",
		"第10行 C列（名称）：请填写名称",
	}
	if len(imp.Errors) != len(want) {
		t.Fatalf("errors: %v", imp.Errors)
	}
	for i, w := range want {
		if !strings.HasPrefix(imp.Errors[i].Error(), w) {
			t.Errorf("error %d = %q, want %q…", i, imp.Errors[i].Error(), w)
		}
	}
	if len(imp.Days) != 3 || imp.Days[2].Date.Format(domain.DateLayout) != "2026-02-17" {
		t.Errorf("good days: %+v", imp.Days)
	}
	if _, err := ReadCalendar([]byte("not a workbook"), 2026); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("garbage: %v", err)
	}
}
