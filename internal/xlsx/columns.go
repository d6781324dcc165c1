package xlsx

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// columnSheet is the reading shared by the record imports (projects, enterprises): a
// data sheet whose header row names the columns, so columns may be left out or
// reordered. It finds the header row among the first ten, maps each known header to its
// field, refuses unknown and repeated headers and text under no header, and places every
// problem by row and column.
type columnSheet struct {
	sheet     string
	known     []string // the template's headers, by field
	HeaderRow int
	Errors    []CellError
	cols      []int    // column index of each field in the file, -1 when absent
	headers   []string // the file's header texts, by column
}

func newColumnSheet(sheet string, known []string) *columnSheet {
	cs := &columnSheet{sheet: sheet, known: known, cols: make([]int, len(known))}
	for i := range cs.cols {
		cs.cols[i] = -1
	}
	return cs
}

// has reports whether the file has the field's column.
func (cs *columnSheet) has(field int) bool { return cs.cols[field] >= 0 }

// fail records a problem of a row in a field's column (field < 0: the whole row).
func (cs *columnSheet) fail(row, field int, msg string) {
	e := CellError{Sheet: cs.sheet, Row: row, Message: msg}
	if field >= 0 && cs.cols[field] >= 0 {
		i := cs.cols[field]
		e.Col = ColumnName(i)
		if i < len(cs.headers) {
			e.Header = cs.headers[i]
		}
	}
	cs.Errors = append(cs.Errors, e)
}

// failFields places a domain validation error's field problems in their columns by
// fields (validation field → column field); problems of unmapped fields go to the row.
// placeInUnit sets a record's unit and park from the codes in their cells (an empty
// cell keeps what the record had; an unknown code was refused when the row was read)
// and refuses, on the unit's cell, a unit the user may not write. what names the
// records ("项目", "企业") in that message.
func (cs *columnSheet) placeInUnit(row int, cells []string, unitField, parkField int, units map[string]*domain.Unit,
	can func(unitID int64) bool, what string, unitID, parkID *int64) {
	if u := units[cells[unitField]]; cells[unitField] != "" && u != nil {
		*unitID = u.ID
		if !can(u.ID) {
			cs.fail(row, unitField, fmt.Sprintf("您无权导入%s（%s）的%s，只能导入本单位的%s。", u.Name, u.Code, what, what))
		}
	}
	if u := units[cells[parkField]]; cells[parkField] != "" && u != nil {
		*parkID = u.ID
	}
}

func (cs *columnSheet) failFields(row int, err error, fields map[string]int) {
	for field, msg := range domain.ErrorFields(err) {
		col, ok := fields[field]
		if !ok {
			col = -1
		}
		cs.fail(row, col, msg)
	}
	if len(domain.ErrorFields(err)) == 0 {
		cs.fail(row, -1, domain.ErrorMessage(err))
	}
}

// read streams the sheet: the header row is the first with one of the marker fields'
// headers; each non-blank row after it goes to row with its cells by field (trimmed).
func (cs *columnSheet) read(data []byte, markers []int, row func(n int, cells []string)) error {
	sr, err := OpenSheet(data, cs.sheet)
	if err != nil {
		return err
	}
	defer sr.Close()
	for sr.Next() {
		if cs.HeaderRow == 0 {
			if slices.ContainsFunc(markers, func(f int) bool { return slices.Contains(sr.Cells(), cs.known[f]) }) {
				cs.header(sr)
			} else if sr.Row() > 10 {
				break
			}
			continue
		}
		if sr.Blank() {
			continue
		}
		for i := range sr.Cells() {
			if (i >= len(cs.headers) || cs.headers[i] == "") && sr.Cell(i) != "" {
				cs.Errors = append(cs.Errors, CellError{Sheet: cs.sheet, Row: sr.Row(), Col: ColumnName(i),
					Message: "该列没有列标题，无法确定填的是什么。"})
			}
		}
		cells := make([]string, len(cs.known))
		for f, i := range cs.cols {
			if i >= 0 {
				cells[f] = sr.Cell(i)
			}
		}
		row(sr.Row(), cells)
	}
	if err := sr.Err(); err != nil {
		return err
	}
	if cs.HeaderRow == 0 {
		names := make([]string, len(markers))
		for i, f := range markers {
			names[i] = "“" + cs.known[f] + "”"
		}
		return domain.Errorf(domain.EINVALID, "工作表“%s”中没有找到列标题行（应含%s等列）。请使用系统生成的模板。",
			cs.sheet, strings.Join(names, ""))
	}
	return nil
}

func (cs *columnSheet) header(sr *SheetReader) {
	cs.HeaderRow = sr.Row()
	cs.headers = make([]string, len(sr.Cells()))
	known := map[string]int{}
	for i, h := range cs.known {
		known[normHeader(h)] = i
	}
	for i := range sr.Cells() {
		text := sr.Cell(i)
		key := normHeader(text)
		if key != "" {
			cs.headers[i] = text
		}
		if key == "" || strings.HasPrefix(key, ErrorHeader) {
			continue
		}
		field, ok := known[key]
		switch {
		case !ok:
			cs.Errors = append(cs.Errors, CellError{Sheet: cs.sheet, Row: sr.Row(), Col: ColumnName(i), Header: text,
				Message: "无法识别的列标题，请与模板一致；不导入的列请删除。"})
		case cs.cols[field] >= 0:
			cs.Errors = append(cs.Errors, CellError{Sheet: cs.sheet, Row: sr.Row(), Col: ColumnName(i), Header: text,
				Message: fmt.Sprintf("列标题与%s列重复。", ColumnName(cs.cols[field]))})
		default:
			cs.cols[field] = i
		}
	}
}

// listSheet is the hidden sheet holding a template's drop-down lists.
const listSheet = "选项"

// rowsValidated is how many data rows a template's drop-downs and formats cover.
const rowsValidated = 20000

// dropList is a column's drop-down list. An empty info refuses other values; an info
// only warns with that text (for cells that may hold several values).
type dropList struct {
	col    int
	values []string
	info   string
}

// dropLists formats the text columns as text (so codes and dates stay as typed) and adds
// the drop-down lists, whose values are kept on a hidden sheet.
func dropLists(f *excelize.File, sheet string, textCols []int, lists []dropList) error {
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	for _, c := range textCols {
		if err := f.SetColStyle(sheet, ColumnName(c), text); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(listSheet); err != nil {
		return err
	}
	for i, l := range lists {
		for j, v := range l.values {
			if err := f.SetCellStr(listSheet, ColumnName(i)+strconv.Itoa(j+1), v); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return err
	}
	for i, l := range lists {
		if len(l.values) == 0 {
			continue
		}
		dv := excelize.NewDataValidation(true)
		col := ColumnName(l.col)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", col, tplFirstData, col, tplFirstData+rowsValidated-1)
		dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", listSheet, ColumnName(i), ColumnName(i), len(l.values)))
		if l.info != "" {
			dv.SetError(excelize.DataValidationErrorStyleInformation, "提示", l.info)
		} else {
			dv.SetError(excelize.DataValidationErrorStyleStop, "取值无效", "请从下拉列表中选择。")
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	return nil
}
