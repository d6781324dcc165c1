package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// DocSheet is one sheet of a workbook laid out like a Chinese bulletin: a merged title,
// a line under it, a paragraph, then tables with merged two-row headers.
type DocSheet struct {
	Sheet    string // at most 31 characters
	Title    string
	Subtitle string
	Heading  string // the section's numbered heading, "一、总体情况"
	Text     string
	Tables   []DocTable
}

// DocTable is one table of a sheet. Header is the first header row; a grouped cell
// spans its columns, whose own labels form a second row.
type DocTable struct {
	Title   string
	Header  []DocHeader
	Columns []DocColumn
	Rows    []DocRow
	Note    string
}

// DocHeader is a cell of the first header row.
type DocHeader struct {
	Label   string
	Span    int
	Grouped bool
}

// DocColumn is a column: its label (on the second header row when grouped) and whether
// it holds numbers, formatted to the decimals their text shows.
type DocColumn struct {
	Label  string
	Number bool
}

// DocRow is a row of displayed texts; Fill colours cells (a status), Bold marks a total.
type DocRow struct {
	Cells []DocCell
	Bold  bool
}

// DocCell is one displayed figure or text, with an optional fill: "green", "yellow",
// "red".
type DocCell struct {
	Text string
	Fill string
}

// fills are the status colours, as on the page.
var fills = map[string]string{"green": "E3F3E8", "yellow": "FDF3D6", "red": "FBE4E1"}

// WriteDocument writes the sheets into one workbook.
func WriteDocument(w io.Writer, sheets []DocSheet) error {
	f := excelize.NewFile()
	defer f.Close()
	st := &docStyles{f: f, cache: map[string]int{}}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Sheet); err != nil {
			return err
		}
		if err := writeDocSheet(f, st, s); err != nil {
			return fmt.Errorf("sheet %s: %w", s.Sheet, err)
		}
	}
	_, err := f.WriteTo(w)
	return err
}

// docStyles makes each distinct style once.
type docStyles struct {
	f     *excelize.File
	cache map[string]int
}

// get returns the style for a kind of cell: "title", "subtitle", "heading", "text",
// "caption", "header", or a data cell "cell|<numfmt>|<fill>|<bold>".
func (s *docStyles) get(key string) (int, error) {
	if id, ok := s.cache[key]; ok {
		return id, nil
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	var style excelize.Style
	switch key {
	case "title":
		style = excelize.Style{Font: &excelize.Font{Bold: true, Size: 18, Color: "C00000"},
			Border:    []excelize.Border{{Type: "bottom", Color: "C00000", Style: 5}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}
	case "subtitle":
		style = excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}}
	case "heading":
		style = excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}
	case "text":
		style = excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}
	case "caption":
		style = excelize.Style{Font: &excelize.Font{Bold: true}}
	case "header":
		style = excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}
	default:
		parts := strings.Split(key, "|")
		style = excelize.Style{Border: border, Font: &excelize.Font{Bold: parts[3] == "bold"}}
		if parts[1] != "" {
			format := parts[1]
			style.CustomNumFmt = &format
		}
		if c := fills[parts[2]]; c != "" {
			style.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
		}
	}
	id, err := s.f.NewStyle(&style)
	if err != nil {
		return 0, err
	}
	s.cache[key] = id
	return id, nil
}

// displayedNumber turns a displayed figure into a number and the format that shows it the
// same way: "97.2" → 97.2 with "0.0"; "+13.8" keeps its sign. Anything else ("—") stays
// text.
func displayedNumber(text string) (v float64, format string, ok bool) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, "", false
	}
	format = "0"
	if _, frac, found := strings.Cut(text, "."); found {
		format += "." + strings.Repeat("0", len(frac))
	}
	if strings.HasPrefix(text, "+") {
		format = "+" + format + ";-" + format + ";" + format
	}
	return v, format, true
}

func writeDocSheet(f *excelize.File, st *docStyles, s DocSheet) error {
	width := 1
	for _, t := range s.Tables {
		width = max(width, len(t.Columns))
	}
	last := func(row int) string { c, _ := excelize.CoordinatesToCellName(width, row); return c }
	cell := func(col, row int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
	set := func(col, row int, v any, style string) error {
		id, err := st.get(style)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(s.Sheet, cell(col, row), v); err != nil {
			return err
		}
		return f.SetCellStyle(s.Sheet, cell(col, row), cell(col, row), id)
	}
	line := func(row int, text, style string, height float64) error {
		if err := set(1, row, text, style); err != nil {
			return err
		}
		if width > 1 {
			if err := f.MergeCell(s.Sheet, cell(1, row), last(row)); err != nil {
				return err
			}
			id, _ := st.get(style)
			if err := f.SetCellStyle(s.Sheet, cell(1, row), last(row), id); err != nil {
				return err
			}
		}
		if height > 0 {
			return f.SetRowHeight(s.Sheet, row, height)
		}
		return nil
	}
	row := 1
	for _, l := range []struct {
		text, style string
		height      float64
	}{{s.Title, "title", 30}, {s.Subtitle, "subtitle", 0}, {s.Heading, "heading", 0}} {
		if l.text == "" {
			continue
		}
		if err := line(row, l.text, l.style, l.height); err != nil {
			return err
		}
		row++
	}
	if s.Text != "" {
		// A paragraph in merged cells does not grow its row: give it room for its length.
		lines := float64(len([]rune(s.Text)))/float64(max(width*6, 20)) + 1
		if err := line(row, s.Text, "text", 16*lines); err != nil {
			return err
		}
		row++
	}
	widths := make([]float64, width)
	for _, t := range s.Tables {
		row++
		if err := set(1, row, t.Title, "caption"); err != nil {
			return err
		}
		row++
		var err error
		if row, err = writeDocHeader(f, st, s.Sheet, t, row); err != nil {
			return err
		}
		for _, r := range t.Rows {
			for c, dc := range r.Cells {
				bold := ""
				if r.Bold {
					bold = "bold"
				}
				var v any = dc.Text
				format := ""
				if c < len(t.Columns) && t.Columns[c].Number {
					if n, nf, ok := displayedNumber(dc.Text); ok {
						v, format = n, nf
					}
				}
				if err := set(c+1, row, v, "cell|"+format+"|"+dc.Fill+"|"+bold); err != nil {
					return err
				}
				widths[c] = max(widths[c], float64(len([]rune(dc.Text)))*1.8+2)
			}
			row++
		}
		if t.Note != "" {
			if err := set(1, row, t.Note, "text"); err != nil {
				return err
			}
			row++
		}
	}
	for c, w := range widths {
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(s.Sheet, col, col, min(max(w, 9), 40)); err != nil {
			return err
		}
	}
	return nil
}

// writeDocHeader writes a table's header: one row, or two when columns are grouped (the
// group merged across its columns, an ungrouped label merged down both rows).
func writeDocHeader(f *excelize.File, st *docStyles, sheet string, t DocTable, row int) (int, error) {
	id, err := st.get("header")
	if err != nil {
		return row, err
	}
	grouped := false
	for _, h := range t.Header {
		grouped = grouped || h.Grouped
	}
	name := func(col, r int) string { c, _ := excelize.CoordinatesToCellName(col, r); return c }
	col := 1
	for _, h := range t.Header {
		if err := f.SetCellValue(sheet, name(col, row), h.Label); err != nil {
			return row, err
		}
		end := name(col+h.Span-1, row)
		if h.Grouped {
			for k := range h.Span {
				if col+k-1 < len(t.Columns) {
					if err := f.SetCellValue(sheet, name(col+k, row+1), t.Columns[col+k-1].Label); err != nil {
						return row, err
					}
				}
			}
		} else if grouped {
			end = name(col, row+1)
		}
		if end != name(col, row) {
			if err := f.MergeCell(sheet, name(col, row), end); err != nil {
				return row, err
			}
		}
		col += h.Span
	}
	rows := 1
	if grouped {
		rows = 2
	}
	if err := f.SetCellStyle(sheet, name(1, row), name(col-1, row+rows-1), id); err != nil {
		return row, err
	}
	return row + rows, nil
}
