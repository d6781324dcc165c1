package xlsx

import (
	"fmt"
	"io"
	"regexp"
	"strconv"

	"beizeng/internal/domain"
)

// ReportSheet is the data sheet of the monthly report template.
const ReportSheet = "月报"

const (
	indicatorCodeHeader = "指标编码"
	indicatorNameHeader = "指标名称"
	measureHeader       = "计量单位"
	valueHeader         = "本期数值"
)

// ReportBook is what a unit's report template is written from and its import checked
// against.
type ReportBook struct {
	Unit        *domain.Unit
	Year, Month int
	Indicators  []*domain.Indicator // the active catalogue; only reported ones are filled in
	Values      map[int64]domain.Dec
}

func (b ReportBook) title() string {
	return fmt.Sprintf("%d年%d月 月报 · %s（%s）", b.Year, b.Month, b.Unit.Name, b.Unit.Code)
}

// WriteReportTemplate writes a row per reported indicator with the value saved so far.
func WriteReportTemplate(w io.Writer, b ReportBook) error {
	t := importTemplate{Sheet: ReportSheet, Title: b.title(),
		Headers: []string{indicatorCodeHeader, indicatorNameHeader, measureHeader, valueHeader},
		Widths:  []float64{16, 36, 10, 18}, Fixed: 3, Notes: reportNotes(b)}
	for _, ind := range b.Indicators {
		if ind.Kind != domain.KindReported {
			continue
		}
		name := ind.Name
		if ind.Accumulation == domain.Cumulative {
			name += fmt.Sprintf("（1–%d月累计）", b.Month)
		}
		var value any
		if v, ok := b.Values[ind.ID]; ok {
			value = numberCell(v)
		}
		t.Rows = append(t.Rows, []any{ind.Code, name, ind.Measure, value})
	}
	return t.write(w)
}

func reportNotes(b ReportBook) []string {
	return []string{
		fmt.Sprintf("%s 导入说明", b.title()),
		"1. 在“月报”工作表的“本期数值”列填写，每个填报指标一行；导出时已填入已保存的数值。累计指标填写1月至本月的累计数。",
		"2. 数值填写数字，最多4位小数，可带千分位逗号；不要填写单位或文字。",
		"3. 留空表示不修改该项（已保存的数值保留）；报送前每项都须填写。",
		"4. 请勿修改“指标编码”列和第2行的列标题；“指标名称”“计量单位”列仅供对照，导入时不读取。同一指标只能出现一行。",
		"5. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的工作表、行、列，并可下载标注了错误的文件（右侧新增“错误说明”列，出错的单元格标为浅红色）；改正后可直接上传该文件。",
		"6. 导入的数值保存为草稿，请在月报页面核对后报送。已报送或已审核的月报不能导入。",
		"7. 文件须为 .xlsx 格式，不超过20MB。",
	}
}

// ReportImport is a read report file. Nothing in it may be saved when Errors is not empty.
type ReportImport struct {
	HeaderRow int
	Rows      int
	Values    map[int64]domain.Dec // the values filled in; empty cells are absent
	Errors    []CellError
}

var periodTitle = regexp.MustCompile(`^(\d{4})年(\d{1,2})月.*（([^（）]+)）\s*$`)

// ReadReport reads and checks a whole report file: indicator codes, numbers, one row per
// indicator. Every problem is collected. The error is for a file that cannot be read at
// all.
func ReadReport(data []byte, b ReportBook) (*ReportImport, error) {
	sr, err := OpenSheet(data, ReportSheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	byCode := map[string]*domain.Indicator{}
	for _, ind := range b.Indicators {
		byCode[ind.Code] = ind
	}
	out := &ReportImport{Values: map[int64]domain.Dec{}}
	var headers []string
	codeCol, valueCol := 0, -1
	seen := map[string]int{}
	fail := func(row, col int, msg string) {
		e := CellError{Sheet: ReportSheet, Row: row, Message: msg}
		if col >= 0 {
			e.Col = ColumnName(col)
			if col < len(headers) {
				e.Header = headers[col]
			}
		}
		out.Errors = append(out.Errors, e)
	}
	for sr.Next() {
		row := sr.Row()
		if out.HeaderRow == 0 {
			switch {
			case sr.Cell(0) == indicatorCodeHeader:
				out.HeaderRow = row
				for i := range sr.Cells() {
					headers = append(headers, sr.Cell(i))
					if normHeader(sr.Cell(i)) == valueHeader {
						valueCol = i
					}
				}
				if valueCol < 0 {
					fail(row, -1, "缺少“本期数值”列。请使用系统生成的模板。")
				}
			case row > 10:
				return nil, domain.Errorf(domain.EINVALID, "工作表“%s”中没有找到列标题行（第一列应为“%s”）。请使用系统生成的模板。", ReportSheet, indicatorCodeHeader)
			default:
				if m := periodTitle.FindStringSubmatch(sr.Cell(0)); m != nil {
					if m[1] != strconv.Itoa(b.Year) || m[2] != strconv.Itoa(b.Month) || m[3] != b.Unit.Code {
						fail(row, 0, fmt.Sprintf("这是%s年%s月、单位编码 %s 的模板，当前导入的是%s。请下载本月报的模板。", m[1], m[2], m[3], b.title()))
					}
				}
			}
			continue
		}
		if sr.Blank() {
			continue
		}
		out.Rows++
		code := sr.Cell(codeCol)
		ind := byCode[code]
		switch {
		case code == "":
			fail(row, codeCol, "缺少指标编码。")
		case ind == nil:
			fail(row, codeCol, fmt.Sprintf("指标编码“%s”不在指标目录中（或已停用）。", clip(code, 32)))
		case ind.Kind != domain.KindReported:
			fail(row, codeCol, fmt.Sprintf("“%s”由系统计算，不需要填报，请删除该行。", ind.Name))
			ind = nil
		default:
			if first, dup := seen[code]; dup {
				fail(row, codeCol, fmt.Sprintf("指标编码 %s 与第%d行重复，同一指标只能有一行。", code, first))
				ind = nil
			} else {
				seen[code] = row
			}
		}
		if valueCol < 0 {
			continue
		}
		text := sr.Cell(valueCol)
		if text == "" {
			continue
		}
		v, err := ParseNumber(text)
		if err != nil {
			fail(row, valueCol, domain.ErrorMessage(err))
			continue
		}
		if ind != nil {
			out.Values[ind.ID] = v
		}
	}
	if err := sr.Err(); err != nil {
		return nil, err
	}
	if out.HeaderRow == 0 {
		return nil, domain.Errorf(domain.EINVALID, "工作表“%s”中没有找到列标题行（第一列应为“%s”）。请使用系统生成的模板。", ReportSheet, indicatorCodeHeader)
	}
	return out, nil
}
