package xlsx

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

// TargetSheet is the data sheet of the target template.
const TargetSheet = "目标"

// TargetBook is what the target template is written from and its import checked against.
type TargetBook struct {
	Year       int
	Units      []*domain.Unit      // the units targets are set for, in order
	Indicators []*domain.Indicator // the active catalogue, in order
	Targets    map[domain.CellKey]*domain.Target
}

// TargetHeader is an indicator's base or stretch column header, the text the import maps
// back to the indicator: "工业营业收入（亿元）基础目标".
func TargetHeader(ind *domain.Indicator, stretch bool) string {
	kind := "基础目标"
	if stretch {
		kind = "奋斗目标"
	}
	return ind.Name + "（" + ind.Measure + "）" + kind
}

const (
	codeHeader     = "单位编码"
	unitNameHeader = "单位名称"
)

// WriteTargetTemplate writes the template: a row per unit, two columns per indicator,
// prefilled with the current targets, and a sheet of notes.
func WriteTargetTemplate(w io.Writer, b TargetBook) error {
	t := importTemplate{Sheet: TargetSheet, Title: fmt.Sprintf("%d年度目标（导入模板）", b.Year),
		Headers: []string{codeHeader, unitNameHeader}, Widths: []float64{14, 22}, Fixed: 2, NonNegative: true,
		Notes: targetNotes(b.Year)}
	for _, ind := range b.Indicators {
		t.Headers = append(t.Headers, TargetHeader(ind, false), TargetHeader(ind, true))
		t.Widths = append(t.Widths, 18, 18)
	}
	for _, u := range b.Units {
		row := []any{u.Code, u.Name}
		for _, ind := range b.Indicators {
			tg := b.Targets[domain.CellKey{UnitID: u.ID, IndicatorID: ind.ID}]
			switch {
			case tg == nil:
				row = append(row, nil, nil)
			case tg.Stretch == nil:
				row = append(row, numberCell(tg.Base), nil)
			default:
				row = append(row, numberCell(tg.Base), numberCell(*tg.Stretch))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t.write(w)
}

func targetNotes(year int) []string {
	return []string{
		fmt.Sprintf("%d年度目标导入说明", year),
		"1. 在“目标”工作表中填写，每个单位一行，每个指标两列：基础目标、奋斗目标。导出时已填入系统中现有的目标。",
		"2. 数值填写数字，最多4位小数，可带千分位逗号；不要填写单位或文字。",
		"3. 留空的单元格表示不修改该目标（不会删除已有目标）。如需删除某个目标，请在系统的“目标”页面清空后保存。",
		"4. 奋斗目标不能低于基础目标。只填写奋斗目标时，该单位该指标须已有基础目标。",
		"5. 请勿修改第2行的列标题和“单位编码”列；“单位名称”列仅供对照，导入时不读取。不需要修改的行或指标列可以删除。",
		"6. 同一单位只能出现一行；单位编码须是系统中的市、县（市、区）或园区。",
		"7. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的工作表、行、列，并可下载标注了错误的文件（右侧新增“错误说明”列，出错的单元格标为浅红色）；改正后可直接上传该文件。",
		"8. 已下达目标责任书的单位，修改其目标须在导入时填写修改原因，修改记录显示在责任书页面。",
		"9. 文件须为 .xlsx 格式，不超过20MB。",
	}
}

// TargetCell is a target the import sets: the base and stretch it will hold, with any
// value left empty in the file taken from the current target.
type TargetCell struct {
	UnitID, IndicatorID int64
	Base                domain.Dec
	Stretch             *domain.Dec
}

// TargetImport is a read target file. Nothing in it may be saved when Errors is not empty.
type TargetImport struct {
	HeaderRow int
	Rows      int          // data rows read (blank rows not counted)
	Cells     []TargetCell // in file order
	Errors    []CellError
}

var yearTitle = regexp.MustCompile(`^(\d{4})年度`)

// ReadTargets reads and checks a whole target file against the book: unit codes, column
// headers, numbers, stretch not below base, one row per unit. Every problem is collected.
// The error is for a file that cannot be read at all (not a workbook, no 目标 sheet, no
// header row).
func ReadTargets(data []byte, b TargetBook) (*TargetImport, error) {
	sr, err := OpenSheet(data, TargetSheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	p := newTargetParser(b)
	for sr.Next() {
		if p.out.HeaderRow == 0 {
			if sr.Cell(0) == codeHeader {
				p.header(sr)
			} else if sr.Row() > 10 {
				break
			} else if m := yearTitle.FindStringSubmatch(sr.Cell(0)); m != nil && m[1] != strconv.Itoa(b.Year) {
				p.fail(sr.Row(), 0, fmt.Sprintf("这是%s年度的模板，当前导入的是%d年度目标。请下载%d年度的模板，或在目标页面切换年份后再导入。", m[1], b.Year, b.Year))
			}
			continue
		}
		if !sr.Blank() {
			p.out.Rows++
			p.row(sr)
		}
	}
	if err := sr.Err(); err != nil {
		return nil, err
	}
	if p.out.HeaderRow == 0 {
		return nil, domain.Errorf(domain.EINVALID, "工作表“%s”中没有找到列标题行（第一列应为“%s”）。请使用系统生成的模板。", TargetSheet, codeHeader)
	}
	return &p.out, nil
}

// targetColumn is what a column of the file holds.
type targetColumn struct {
	header    string
	indicator *domain.Indicator // nil for the code, name, error and unknown columns
	stretch   bool
	ignored   bool // name and error columns, and columns whose header is refused
}

type targetParser struct {
	book     TargetBook
	units    map[string]*domain.Unit
	headers  map[string]targetColumn // normalised header → meaning
	cols     []targetColumn
	seen     map[string]int // unit code → first row
	out      TargetImport
	baseCol  map[int64]int // indicator → column, -1 when absent
	stretchC map[int64]int
}

func newTargetParser(b TargetBook) *targetParser {
	p := &targetParser{book: b, units: map[string]*domain.Unit{}, headers: map[string]targetColumn{},
		seen: map[string]int{}, baseCol: map[int64]int{}, stretchC: map[int64]int{}}
	for _, u := range b.Units {
		p.units[u.Code] = u
	}
	for _, ind := range b.Indicators {
		for _, stretch := range []bool{false, true} {
			h := TargetHeader(ind, stretch)
			p.headers[normHeader(h)] = targetColumn{header: h, indicator: ind, stretch: stretch}
		}
	}
	return p
}

// normHeader forgives what retyping a header changes: spaces and half-width brackets.
func normHeader(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "\n", "", "(", "（", ")", "）").Replace(strings.TrimSpace(s))
}

func (p *targetParser) fail(row, col int, msg string) {
	e := CellError{Sheet: TargetSheet, Row: row, Message: msg}
	if col >= 0 {
		e.Col = ColumnName(col)
		if col < len(p.cols) {
			e.Header = p.cols[col].header
		}
	}
	p.out.Errors = append(p.out.Errors, e)
}

func (p *targetParser) header(sr *SheetReader) {
	p.out.HeaderRow = sr.Row()
	for _, ind := range p.book.Indicators {
		p.baseCol[ind.ID], p.stretchC[ind.ID] = -1, -1
	}
	first := map[string]int{}
	p.cols = make([]targetColumn, len(sr.Cells()))
	for i := range sr.Cells() {
		text := sr.Cell(i)
		key := normHeader(text)
		c := targetColumn{header: text}
		switch {
		case i == 0: // 单位编码
		case key == "":
		case key == unitNameHeader || strings.HasPrefix(key, ErrorHeader):
			c.ignored = true
		default:
			known, ok := p.headers[key]
			if !ok {
				c.ignored = true
				p.cols[i] = c
				p.fail(sr.Row(), i, "无法识别的列标题。指标列的标题应为“指标名称（计量单位）基础目标”或“……奋斗目标”，与模板一致；不导入的列请删除。")
				continue
			}
			c, c.header = known, text // messages quote the header as the file has it
			if j, dup := first[key]; dup {
				c.ignored = true
				p.cols[i] = c
				p.fail(sr.Row(), i, fmt.Sprintf("列标题与%s列重复。", ColumnName(j)))
				continue
			}
			first[key] = i
			if c.stretch {
				p.stretchC[c.indicator.ID] = i
			} else {
				p.baseCol[c.indicator.ID] = i
			}
		}
		p.cols[i] = c
	}
}

func (p *targetParser) row(sr *SheetReader) {
	row := sr.Row()
	code := sr.Cell(0)
	unit := p.units[code]
	switch {
	case code == "":
		p.fail(row, 0, "缺少单位编码。")
	case unit == nil:
		p.fail(row, 0, fmt.Sprintf("单位编码“%s”不是系统中启用的市、县（市、区）或园区。", clip(code, 32)))
	default:
		if first, dup := p.seen[code]; dup {
			p.fail(row, 0, fmt.Sprintf("单位编码 %s 与第%d行重复，同一单位只能有一行。", code, first))
			unit = nil
		} else {
			p.seen[code] = row
		}
	}
	// Text under a column without a header would be dropped silently: refuse it.
	for i := range sr.Cells() {
		if i > 0 && (i >= len(p.cols) || p.cols[i].header == "") && sr.Cell(i) != "" {
			p.fail(row, i, "该列没有列标题，无法确定是哪个指标。")
		}
	}
	for _, ind := range p.book.Indicators {
		base, baseOK := p.number(sr, p.baseCol[ind.ID])
		stretch, stretchOK := p.number(sr, p.stretchC[ind.ID])
		if !baseOK || !stretchOK || unit == nil || (base == nil && stretch == nil) {
			continue
		}
		cell := TargetCell{UnitID: unit.ID, IndicatorID: ind.ID}
		cur := p.book.Targets[domain.CellKey{UnitID: unit.ID, IndicatorID: ind.ID}]
		switch {
		case base != nil:
			cell.Base = *base
		case cur != nil:
			cell.Base = cur.Base
		default:
			p.fail(row, p.stretchC[ind.ID], "该单位尚无此指标的基础目标，请同时填写基础目标。")
			continue
		}
		cell.Stretch = stretch
		if stretch == nil && cur != nil {
			cell.Stretch = cur.Stretch
		}
		if cell.Stretch != nil && *cell.Stretch < cell.Base {
			if stretch != nil {
				p.fail(row, p.stretchC[ind.ID], fmt.Sprintf("奋斗目标 %s 不能低于基础目标 %s。", cell.Stretch, cell.Base))
			} else {
				p.fail(row, p.baseCol[ind.ID], fmt.Sprintf("基础目标 %s 高于现有的奋斗目标 %s，请同时修改奋斗目标。", cell.Base, cell.Stretch))
			}
			continue
		}
		p.out.Cells = append(p.out.Cells, cell)
	}
}

// number reads column col of the row: nil for an empty cell or an absent column; ok is
// false when the cell holds something that is not a number (the problem is recorded).
func (p *targetParser) number(sr *SheetReader, col int) (*domain.Dec, bool) {
	if col < 0 {
		return nil, true
	}
	text := sr.Cell(col)
	if text == "" {
		return nil, true
	}
	d, err := ParseNumber(text)
	if err != nil {
		p.fail(sr.Row(), col, domain.ErrorMessage(err))
		return nil, false
	}
	return &d, true
}
