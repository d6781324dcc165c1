package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// CalendarSheet is the data sheet of a year's holiday file.
const CalendarSheet = "节假日"

// The calendar file's columns, in order.
const (
	ccDate = iota
	ccKind
	ccName
	ccCount
)

// CalendarHeaders are the calendar file's column headers.
var CalendarHeaders = [ccCount]string{"日期", "类型", "名称"}

// calendarKinds are the kinds as the file writes them.
var calendarKinds = map[string]domain.DayKind{domain.Holiday.Label(): domain.Holiday, domain.Workday.Label(): domain.Workday}

// calendarRowsValidated is how many rows the drop-down and the text format cover: a year
// has a few dozen exceptions.
const calendarRowsValidated = 400

// WriteCalendarTemplate writes the year's holiday file, prefilled with its days, with a
// drop-down for the kind, text-formatted dates and a sheet of notes.
func WriteCalendarTemplate(w io.Writer, year int, days []domain.CalendarDay) error {
	t := importTemplate{Sheet: CalendarSheet, Title: fmt.Sprintf("%d年节假日及调休上班日（导入模板）", year),
		Headers: CalendarHeaders[:], Widths: []float64{14, 12, 20}, Fixed: ccCount, Rows: calendarRows(days),
		Notes: calendarNotes(year)}
	t.Extra = func(f *excelize.File) error {
		text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
		if err != nil {
			return err
		}
		last := tplFirstData + calendarRowsValidated - 1
		if len(t.Rows) < calendarRowsValidated {
			from := fmt.Sprintf("A%d", tplFirstData+len(t.Rows))
			if err := f.SetCellStyle(t.Sheet, from, fmt.Sprintf("C%d", last), text); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("B%d:B%d", tplFirstData, last)
		if err := dv.SetDropList([]string{domain.Holiday.Label(), domain.Workday.Label()}); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "类型无效", "请选择“放假”或“调休上班”。")
		return f.AddDataValidation(t.Sheet, dv)
	}
	return t.write(w)
}

func calendarRows(days []domain.CalendarDay) [][]any {
	rows := make([][]any, len(days))
	for i, d := range days {
		rows[i] = []any{d.Date.Format(domain.DateLayout), d.Kind.Label(), d.Name}
	}
	return rows
}

func calendarNotes(year int) []string {
	return []string{
		fmt.Sprintf("%d年节假日导入说明", year),
		"1. 在“节假日”工作表第3行起填写，每天一行；请勿修改第2行的列标题。",
		"2. 只填写与“周一至周五上班、周六周日休息”不同的日子：放假的日子（假期中的周六、周日也可填写），以及调休上班的周六、周日。",
		fmt.Sprintf("3. 日期格式为 %d-02-15，须为%d年内的日期，同一日期只能出现一次。", year, year),
		"4. 类型填写“放假”或“调休上班”（可从下拉列表选择）；调休上班日应是周六或周日。名称填写节日名称，如“春节”，不超过20个字。",
		"5. 导入将以文件内容替换本年全部节假日安排（文件中没有的日子恢复为普通的工作日或周末）。",
		"6. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的行、列，并可下载标注了错误的文件；改正后可直接上传该文件。",
	}
}

// CalendarTable is the year's days as an export sheet.
func CalendarTable(year int, days []domain.CalendarDay) Table {
	t := Table{Sheet: CalendarSheet, Title: fmt.Sprintf("%d年节假日及调休上班日", year),
		Headers: []string{"日期", "星期", "类型", "名称"}, Widths: []float64{14, 8, 12, 20}}
	for _, d := range days {
		t.Rows = append(t.Rows, []any{d.Date.Format(domain.DateLayout), domain.WeekdayName(d.Date), d.Kind.Label(), d.Name})
	}
	return t
}

// CalendarImport is a read calendar file. Nothing in it may be saved when Errors is not
// empty.
type CalendarImport struct {
	HeaderRow int
	Days      []domain.CalendarDay
	Errors    []CellError
	cols      [ccCount]int
	headers   []string
}

// ReadCalendar reads and checks a year's holiday file: every date, kind and name, and no
// date twice.
func ReadCalendar(data []byte, year int) (*CalendarImport, error) {
	sr, err := OpenSheet(data, CalendarSheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	imp := &CalendarImport{cols: [ccCount]int{-1, -1, -1}}
	seen := map[time.Time]int{}
	for sr.Next() {
		if imp.HeaderRow == 0 {
			if normHeader(sr.Cell(0)) == CalendarHeaders[ccDate] {
				imp.header(sr)
			} else if sr.Row() > 10 {
				break
			}
			continue
		}
		if !sr.Blank() {
			imp.row(sr, year, seen)
		}
	}
	if err := sr.Err(); err != nil {
		return nil, err
	}
	if imp.HeaderRow == 0 {
		return nil, domain.Errorf(domain.EINVALID, "工作表“%s”中没有找到列标题行（第一列应为“日期”）。请使用系统生成的模板。", CalendarSheet)
	}
	return imp, nil
}

func (imp *CalendarImport) header(sr *SheetReader) {
	imp.HeaderRow = sr.Row()
	imp.headers = make([]string, len(sr.Cells()))
	for i := range sr.Cells() {
		text := sr.Cell(i)
		imp.headers[i] = text
		key := normHeader(text)
		if key == "" || strings.HasPrefix(key, ErrorHeader) {
			continue
		}
		found := false
		for f, h := range CalendarHeaders {
			if key == h && imp.cols[f] < 0 {
				imp.cols[f], found = i, true
				break
			}
		}
		if !found {
			imp.Errors = append(imp.Errors, CellError{Sheet: CalendarSheet, Row: sr.Row(), Col: ColumnName(i), Header: text,
				Message: "无法识别或重复的列标题，请与模板一致（日期、类型、名称）。"})
		}
	}
	for f, h := range CalendarHeaders {
		if imp.cols[f] < 0 {
			imp.Errors = append(imp.Errors, CellError{Sheet: CalendarSheet, Row: sr.Row(),
				Message: fmt.Sprintf("缺少“%s”列。", h)})
		}
	}
}

func (imp *CalendarImport) fail(row, field int, msg string) {
	e := CellError{Sheet: CalendarSheet, Row: row, Message: msg}
	if i := imp.cols[field]; i >= 0 {
		e.Col = ColumnName(i)
		e.Header = imp.headers[i]
	}
	imp.Errors = append(imp.Errors, e)
}

func (imp *CalendarImport) row(sr *SheetReader, year int, seen map[time.Time]int) {
	if imp.cols[ccDate] < 0 || imp.cols[ccKind] < 0 || imp.cols[ccName] < 0 {
		return // the header's problem is reported once
	}
	row := sr.Row()
	text := func(f int) string { return sr.Cell(imp.cols[f]) }
	d := domain.CalendarDay{Name: text(ccName)}
	ok := true
	if s, valid := cellDate(text(ccDate)); !valid {
		imp.fail(row, ccDate, fmt.Sprintf("日期“%s”无效，应写作 %d-02-15。", clip(text(ccDate), 20), year))
		ok = false
	} else {
		d.Date, _ = time.Parse(domain.DateLayout, s)
	}
	kind, known := calendarKinds[text(ccKind)]
	if !known {
		imp.fail(row, ccKind, "类型应为“放假”或“调休上班”。")
		ok = false
	}
	d.Kind = kind
	if !ok {
		return
	}
	fields := domain.ErrorFields(d.Validate(year))
	for f, key := range [ccCount]string{"date", "kind", "name"} {
		if msg := fields[key]; msg != "" {
			imp.fail(row, f, msg)
		}
	}
	if len(fields) > 0 {
		return
	}
	if first, dup := seen[d.Date]; dup {
		imp.fail(row, ccDate, "日期与第"+strconv.Itoa(first)+"行重复，同一天只能有一行。")
		return
	}
	seen[d.Date] = row
	imp.Days = append(imp.Days, d)
}
