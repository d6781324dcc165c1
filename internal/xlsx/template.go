package xlsx

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// NotesSheet explains an import template's rules in Chinese, beside the data sheet.
const NotesSheet = "说明"

// importTemplate is an import template: a title row, a header row, data rows, and a sheet of
// notes. Templates are small (a row per unit or per indicator), so they are written in
// excelize's normal mode, which the data validation needs.
type importTemplate struct {
	Sheet   string
	Title   string
	Headers []string
	Widths  []float64
	Rows    [][]any
	// Fixed is how many leading columns identify the row (codes, names): shaded and kept
	// as text. The columns after them take numbers.
	Fixed int
	// NonNegative makes the number validation refuse values below zero.
	NonNegative bool
	Notes       []string
	// Extra adds what one template has beyond the common layout (drop-down lists,
	// prefilled rows), after the data sheet is filled and before the notes.
	Extra func(f *excelize.File) error
}

const (
	tplTitleRow  = 1
	tplHeaderRow = 2
	tplFirstData = 3
)

func (t importTemplate) write(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
		return err
	}
	if err := t.fill(f); err != nil {
		return fmt.Errorf("template %s: %w", t.Sheet, err)
	}
	if t.Extra != nil {
		if err := t.Extra(f); err != nil {
			return fmt.Errorf("template %s: %w", t.Sheet, err)
		}
	}
	if err := writeNotes(f, t.Notes); err != nil {
		return fmt.Errorf("template notes: %w", err)
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

func (t importTemplate) fill(f *excelize.File) error {
	s := t.Sheet
	last := ColumnName(len(t.Headers) - 1)
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	headerStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9C8", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	fixedStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49, // "@": text, so 0-led codes stay as typed
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
	if err != nil {
		return err
	}
	if err := f.SetCellStr(s, "A1", t.Title); err != nil {
		return err
	}
	if err := f.MergeCell(s, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A1", "A1", titleStyle); err != nil {
		return err
	}
	if err := f.SetRowHeight(s, tplTitleRow, 24); err != nil {
		return err
	}
	header := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		header[i] = h
	}
	if err := f.SetSheetRow(s, "A2", &header); err != nil {
		return err
	}
	if err := f.SetCellStyle(s, "A2", last+"2", headerStyle); err != nil {
		return err
	}
	if err := f.SetRowHeight(s, tplHeaderRow, 36); err != nil {
		return err
	}
	for i, row := range t.Rows {
		if err := f.SetSheetRow(s, "A"+strconv.Itoa(tplFirstData+i), &row); err != nil {
			return err
		}
	}
	end := tplFirstData + len(t.Rows) - 1
	if t.Fixed > 0 && len(t.Rows) > 0 {
		if err := f.SetCellStyle(s, "A3", ColumnName(t.Fixed-1)+strconv.Itoa(end), fixedStyle); err != nil {
			return err
		}
	}
	for i := range t.Headers {
		width := 16.0
		if i < len(t.Widths) {
			width = t.Widths[i]
		}
		col := ColumnName(i)
		if err := f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(s, &excelize.Panes{Freeze: true, XSplit: t.Fixed, YSplit: tplHeaderRow,
		TopLeftCell: ColumnName(t.Fixed) + strconv.Itoa(tplFirstData), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if len(t.Headers) <= t.Fixed || len(t.Rows) == 0 {
		return nil
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s%d:%s%d", ColumnName(t.Fixed), tplFirstData, last, end)
	if t.NonNegative {
		if err := dv.SetRange(0, 0, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThanOrEqual); err != nil {
			return err
		}
		dv.Formula2 = "" // greaterThanOrEqual has one bound
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值无效", "请填写不小于0的数字（最多4位小数）；留空表示不修改。")
	} else {
		if err := dv.SetRange(-1e14, 1e14, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值无效", "请填写数字（最多4位小数）；留空表示不修改。")
	}
	return f.AddDataValidation(s, dv)
}

func writeNotes(f *excelize.File, notes []string) error {
	if len(notes) == 0 {
		return nil
	}
	if _, err := f.NewSheet(NotesSheet); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return err
	}
	if err := f.SetColWidth(NotesSheet, "A", "A", 100); err != nil {
		return err
	}
	for i, line := range notes {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetCellStr(NotesSheet, cell, line); err != nil {
			return err
		}
		style := wrap
		if i == 0 {
			style = bold
		}
		if err := f.SetCellStyle(NotesSheet, cell, cell, style); err != nil {
			return err
		}
	}
	return nil
}
