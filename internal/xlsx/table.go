// Package xlsx writes and reads beizeng's Excel files. It knows nothing of HTTP or SQL:
// callers hand it rows and get rows back.
package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Table is one sheet: a title row, a header row, then data rows.
type Table struct {
	Sheet   string
	Title   string // first row, merged across the columns; empty for none
	Headers []string
	Widths  []float64 // column widths in characters; missing ones default
	Rows    [][]any
}

// Write streams the tables into one workbook, so a long list never sits in memory as a
// whole spreadsheet model.
func Write(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.Sheet); err != nil {
			return err
		}
		if err := writeTable(f, t); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Sheet, err)
		}
	}
	_, err := f.WriteTo(w)
	return err
}

func writeTable(f *excelize.File, t Table) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "8EA9C8", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	for c := range t.Headers {
		width := 14.0
		if c < len(t.Widths) {
			width = t.Widths[c]
		}
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	row := 1
	if t.Title != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: t.Title}}); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(t.Headers), 1)
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
		row++
	}
	cells := make([]any, len(t.Headers))
	for i, h := range t.Headers {
		cells[i] = excelize.Cell{StyleID: header, Value: h}
	}
	cell, _ := excelize.CoordinatesToCellName(1, row)
	if err := sw.SetRow(cell, cells); err != nil {
		return err
	}
	for _, r := range t.Rows {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// ReadRows returns the sheet's rows as text, for tests and for imports of small files.
func ReadRows(r io.Reader, sheet string) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("不是有效的 Excel（.xlsx）文件：%w", err)
	}
	defer f.Close()
	return f.GetRows(sheet)
}
