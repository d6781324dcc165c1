package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// Imports read a whole workbook before anything is saved: every problem is collected with
// its sheet, row and column, and a file with any problem changes nothing. A refused file
// can be handed back with the problems written into it (Annotate).

const (
	// MaxImportSize bounds an uploaded workbook. The caller enforces it while reading the
	// upload; everything here works on the bytes in memory.
	MaxImportSize = 20 << 20
	// ErrorHeader heads the column Annotate adds. Imports skip a column with this header,
	// so an annotated file, once corrected, can be uploaded again as it is.
	ErrorHeader = "错误说明"

	// unzipLimit bounds what an upload may expand to, against zip bombs. Worksheets larger
	// than excelize's in-memory limit (16 MiB of XML) are spilled to a temporary file and
	// streamed from there, so this is disk, not memory.
	unzipLimit = 1 << 30
)

// CellError is one problem in an uploaded workbook, placed as Excel shows it.
type CellError struct {
	Sheet   string
	Row     int    // 1-based; 0 when the problem is not in one row
	Col     string // column letters, e.g. "C"; "" when the whole row is at fault
	Header  string // the column's header text, when it has one
	Message string
}

// Error reads "第5行 D列（工业营业收入（亿元）基础目标）：不是有效的数字：abc".
func (e CellError) Error() string {
	if e.Row <= 0 {
		return e.inRow()
	}
	if e.Col == "" {
		return fmt.Sprintf("第%d行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第%d行 %s", e.Row, e.inRow())
}

// inRow is the message without the row number, as the row's error cell shows it.
func (e CellError) inRow() string {
	switch {
	case e.Col == "":
		return e.Message
	case e.Header == "":
		return fmt.Sprintf("%s列：%s", e.Col, e.Message)
	}
	return fmt.Sprintf("%s列（%s）：%s", e.Col, clip(e.Header, 40), e.Message)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ColumnName is a 0-based column index as Excel's letters: 0 → "A", 27 → "AB".
func ColumnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}

// SheetReader reads one sheet of an uploaded workbook a row at a time through excelize's
// row iterator: the sheet's XML is decoded as it is read and never held as a cell matrix,
// so a file of 100,000 rows costs a row's worth of cells at a time (plus the shared
// strings table).
type SheetReader struct {
	sheet string
	file  *excelize.File
	rows  *excelize.Rows
	row   int
	cells []string
	err   error
}

// OpenSheet opens a workbook's sheet for reading. A file that is not an .xlsx workbook, or
// lacks the sheet, is an EINVALID error with a message for the user.
func OpenSheet(data []byte, sheet string) (*SheetReader, error) {
	if err := checkFormat(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, notWorkbook()
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		defer f.Close()
		var missing excelize.ErrSheetNotExist
		if errors.As(err, &missing) {
			return nil, domain.Errorf(domain.EINVALID, "文件中没有名为“%s”的工作表（现有：%s）。请使用系统生成的模板。",
				sheet, strings.Join(f.GetSheetList(), "、"))
		}
		return nil, notWorkbook()
	}
	return &SheetReader{sheet: sheet, file: f, rows: rows}, nil
}

// checkFormat recognises the files people upload by mistake before excelize sees them.
func checkFormat(data []byte) error {
	switch {
	case len(data) == 0:
		return domain.Errorf(domain.EINVALID, "上传的文件是空的。")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		// The OLE container: an Excel 97–2003 .xls, or an .xlsx saved with a password.
		return domain.Errorf(domain.EINVALID, "文件是旧版 Excel（.xls）格式或设置了密码。请在 Excel 或 WPS 中另存为不加密的 .xlsx 文件后再导入。")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return notWorkbook()
	}
	return nil
}

func notWorkbook() error {
	return domain.Errorf(domain.EINVALID, "文件不是有效的 Excel（.xlsx）文件，或已损坏。请使用系统生成的模板填写后上传。")
}

// Sheet is the sheet's name.
func (s *SheetReader) Sheet() string { return s.sheet }

// Next moves to the next row, empty rows included, so that Row counts as Excel does.
func (s *SheetReader) Next() bool {
	if s.err != nil || !s.rows.Next() {
		if s.err == nil {
			s.err = s.rows.Error()
		}
		return false
	}
	s.row++
	// Raw values: a cell formatted to show two decimals still imports all it holds.
	s.cells, s.err = s.rows.Columns(excelize.Options{RawCellValue: true})
	return s.err == nil
}

// Row is the current row's number, from 1.
func (s *SheetReader) Row() int { return s.row }

// Cells are the current row's cell texts; trailing empty cells are left off.
func (s *SheetReader) Cells() []string { return s.cells }

// Cell is the trimmed text of the current row's cell in column i (0-based).
func (s *SheetReader) Cell(i int) string {
	if i < 0 || i >= len(s.cells) {
		return ""
	}
	return strings.TrimSpace(s.cells[i])
}

// Blank reports whether the current row has no text at all.
func (s *SheetReader) Blank() bool {
	for _, c := range s.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Err is what stopped the reading early, as a message for the user.
func (s *SheetReader) Err() error {
	if s.err != nil {
		return domain.Errorf(domain.EINVALID, "读取工作表“%s”第%d行时出错，文件可能已损坏。请使用系统生成的模板填写后上传。", s.sheet, s.row+1)
	}
	return nil
}

// Close releases the workbook and its temporary files.
func (s *SheetReader) Close() error {
	err := s.rows.Close()
	return errors.Join(err, s.file.Close())
}

// ParseNumber reads a number cell. Text is read as people type it (domain.ParseDec: full-
// width digits, thousands commas). A numeric cell holds a double, which Excel writes with
// up to 17 significant digits (0.30000000000000004, 1E-3) but shows with 15: it is read as
// Excel shows it, and then must fit four decimals like any typed number.
func ParseNumber(s string) (domain.Dec, error) {
	d, err := domain.ParseDec(s)
	if err == nil || !floatText(strings.TrimSpace(s)) {
		return d, err
	}
	f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if ferr != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return d, err
	}
	shown, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return domain.ParseDec(strconv.FormatFloat(shown, 'f', -1, 64))
}

// floatText reports whether s looks like a number as the workbook XML stores one.
func floatText(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'E' || c == 'e' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// numberCell is a value as a spreadsheet number when a double holds it exactly, else as
// text: a template must not show a figure the system does not hold.
func numberCell(d domain.Dec) any {
	s := d.String()
	if f, err := strconv.ParseFloat(s, 64); err == nil && strconv.FormatFloat(f, 'f', -1, 64) == s {
		return f
	}
	return s
}

// Annotate returns a copy of the workbook with the sheet's errors written into it: a
// column headed 错误说明 right of the used columns (or the one a previous round added)
// holds each bad row's messages, and each bad cell is filled light red, keeping its
// other formatting. Errors of the header row go into the header cell; errors outside any
// row, or of other sheets, are not written. data is the upload as received.
func Annotate(data []byte, sheet string, headerRow int, errs []CellError) ([]byte, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return nil, fmt.Errorf("annotate: open: %w", err)
	}
	defer f.Close()
	width, errCol, old, err := usedColumns(f, sheet, headerRow)
	if err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	if errCol == 0 {
		errCol = width + 1
	}
	col := ColumnName(errCol - 1)
	for _, row := range old { // messages of a previous round
		if err := f.SetCellValue(sheet, col+strconv.Itoa(row), nil); err != nil {
			return nil, fmt.Errorf("annotate: %w", err)
		}
	}
	a := &annotator{f: f, sheet: sheet, fills: map[int]int{}}
	if err := a.styles(); err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	byRow := map[int][]CellError{}
	for _, e := range errs {
		if e.Sheet == sheet && e.Row > 0 {
			byRow[e.Row] = append(byRow[e.Row], e)
		}
	}
	if headerRow > 0 {
		byRow[headerRow] = append(byRow[headerRow], CellError{}) // the header cell is written even without errors
	}
	for _, row := range slices.Sorted(maps.Keys(byRow)) {
		var lines []string
		style := a.message
		if row == headerRow {
			lines, style = append(lines, ErrorHeader), a.header
		}
		for _, e := range byRow[row] {
			if e.Message == "" {
				continue
			}
			lines = append(lines, e.inRow())
			if e.Col != "" {
				if err := a.markBad(e.Col + strconv.Itoa(row)); err != nil {
					return nil, fmt.Errorf("annotate: %w", err)
				}
			}
		}
		cell := col + strconv.Itoa(row)
		if err := f.SetCellStr(sheet, cell, strings.Join(lines, "\n")); err != nil {
			return nil, fmt.Errorf("annotate: %w", err)
		}
		if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return nil, fmt.Errorf("annotate: %w", err)
		}
	}
	if err := f.SetColWidth(sheet, col, col, 60); err != nil {
		return nil, fmt.Errorf("annotate: %w", err)
	}
	if idx, err := f.GetSheetIndex(sheet); err == nil && idx >= 0 {
		f.SetActiveSheet(idx)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("annotate: write: %w", err)
	}
	return buf.Bytes(), nil
}

// usedColumns scans the sheet once: how many columns it uses, which column (1-based) a
// previous Annotate headed 错误说明, and the rows holding that column's old messages.
func usedColumns(f *excelize.File, sheet string, headerRow int) (width, errCol int, old []int, err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return 0, 0, nil, err
	}
	var all [][2]int // row, length
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			rows.Close()
			return 0, 0, nil, err
		}
		width = max(width, len(cells))
		if n == headerRow {
			for i, c := range cells {
				if strings.HasPrefix(strings.TrimSpace(c), ErrorHeader) {
					errCol = i + 1
				}
			}
		}
		if len(cells) > 0 {
			all = append(all, [2]int{n, len(cells)})
		}
	}
	if err := rows.Close(); err != nil {
		return 0, 0, nil, err
	}
	if errCol > 0 {
		for _, r := range all {
			if r[1] >= errCol && r[0] != headerRow {
				old = append(old, r[0])
			}
		}
	}
	return width, errCol, old, nil
}

type annotator struct {
	f               *excelize.File
	sheet           string
	header, message int
	fills           map[int]int // a cell's style → the same style filled red
}

const (
	badFill = "FFC7CE" // Excel's own "bad" cell colours
	badFont = "9C0006"
)

func (a *annotator) styles() error {
	var err error
	if a.header, err = a.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: badFont},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{badFill}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return err
	}
	a.message, err = a.f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: badFont},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	return err
}

// markBad fills a cell light red, keeping its number format, font and borders.
func (a *annotator) markBad(cell string) error {
	orig, err := a.f.GetCellStyle(a.sheet, cell)
	if err != nil {
		return err
	}
	id, ok := a.fills[orig]
	if !ok {
		st, err := a.f.GetStyle(orig)
		if err != nil || st == nil {
			st = &excelize.Style{}
		}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{badFill}}
		if id, err = a.f.NewStyle(st); err != nil {
			return err
		}
		a.fills[orig] = id
	}
	return a.f.SetCellStyle(a.sheet, cell, cell, id)
}
