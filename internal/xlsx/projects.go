package xlsx

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// ProjectSheet is the data sheet of the project template.
const ProjectSheet = "项目"

// The project template's columns, in order.
const (
	pcCode = iota
	pcName
	pcUnit
	pcPark
	pcInvestor
	pcUSCC
	pcCapital
	pcSection
	pcDivision
	pcContract
	pcFixed
	pcLand
	pcSigned
	pcPlannedStart
	pcPlannedProduction
	pcTags
	pcLeader
	pcContact
	pcPhone
	pcCount
)

// ProjectHeaders are the template's column headers, indexed by the pc constants.
var ProjectHeaders = [pcCount]string{"项目编码", "项目名称", "责任单位编码", "园区编码", "投资方", "统一社会信用代码",
	"资金来源", "行业门类", "行业大类", "合同投资（万元）", "计划固定资产投资（万元）", "用地（亩）", "签约日期",
	"计划开工日期", "计划投产日期", "标签", "挂点领导", "联系人", "联系电话"}

// projectFields maps the domain's validation fields to the columns that set them.
var projectFields = map[string]int{"code": pcCode, "name": pcName, "unit_id": pcUnit, "park_id": pcPark,
	"investor_name": pcInvestor, "investor_uscc": pcUSCC, "capital_source": pcCapital, "contract_investment": pcContract,
	"fixed_investment": pcFixed, "industry_section": pcSection, "industry_division": pcDivision, "signed_on": pcSigned, "planned_start_on": pcPlannedStart,
	"planned_production_on": pcPlannedProduction, "linked_leader": pcLeader, "contact_person": pcContact,
	"contact_phone": pcPhone}

// ProjectBook is what the project template is written from and its import checked against.
type ProjectBook struct {
	Units    []*domain.Unit // every unit, to resolve codes
	Writable []*domain.Unit // the units the user may write, for the drop-down
	Tags     []string
	Today    string // 'YYYY-MM-DD' in China time
}

// WriteProjectTemplate writes the empty project template: title, headers, drop-down lists
// (units, capital sources, tags) kept on a hidden sheet, text-formatted code and date
// columns, and a sheet of notes.
func WriteProjectTemplate(w io.Writer, b ProjectBook) error {
	t := importTemplate{Sheet: ProjectSheet, Title: "招商项目（导入模板）", Headers: ProjectHeaders[:],
		Widths: []float64{14, 28, 14, 12, 24, 22, 10, 10, 10, 16, 18, 10, 13, 13, 13, 20, 12, 10, 14},
		Notes:  projectNotes()}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
		return err
	}
	if err := t.fill(f); err != nil {
		return fmt.Errorf("template %s: %w", t.Sheet, err)
	}
	if err := projectLists(f, b); err != nil {
		return fmt.Errorf("template lists: %w", err)
	}
	if err := writeNotes(f, t.Notes); err != nil {
		return fmt.Errorf("template notes: %w", err)
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

func projectLists(f *excelize.File, b ProjectBook) error {
	var units, capital []string
	for _, u := range b.Writable {
		units = append(units, u.Code)
	}
	for _, c := range domain.CapitalSources {
		capital = append(capital, c.Label)
	}
	return dropLists(f, ProjectSheet, []int{pcCode, pcUnit, pcPark, pcUSCC, pcDivision, pcSigned, pcPlannedStart, pcPlannedProduction, pcPhone},
		[]dropList{{pcUnit, units, ""}, {pcCapital, capital, ""}, {pcTags, b.Tags, "多个标签请用“、”分隔。"}})
}

func projectNotes() []string {
	return []string{
		"招商项目导入说明",
		"1. 在“项目”工作表第3行起填写，每个项目一行。请勿修改第2行的列标题；不需要的列可以删除（“项目名称”“责任单位编码”新建项目时必填）。",
		"2. 项目编码：留空表示新建项目，系统自动生成编码（XM+年份+4位序号）；填写系统中已有的编码表示修改该项目；填写新的编码表示以该编码新建项目。同一编码在文件中只能出现一次。",
		"3. 修改已有项目时，留空的单元格表示不修改该项；导入只修改项目信息，不改变项目阶段及各阶段日期（阶段变更请在项目页面办理）。",
		"4. 责任单位编码、园区编码填写系统中的单位编码；填报员只能导入本单位的项目。",
		"5. 金额以万元为单位，最多4位小数，系统按元四舍五入保存；用地以亩为单位。",
		"6. 日期格式为 2026-01-31。新建项目填写签约日期的，项目阶段为“签约”，否则为“线索”；签约日期不能晚于今天。",
		"7. 资金来源填写：内资、外资、港澳台资。统一社会信用代码为18位，系统校验其校验位。行业门类填写一个字母（如 C），行业大类填写两位数字（如 30）。",
		"8. 标签可填写多个，用“、”分隔，须为系统中的标签：" + strings.Join(domain.DefaultProjectTags, "、") + "。",
		"9. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的行、列，并可下载标注了错误的文件；改正后可直接上传该文件。",
		"10. 文件须为 .xlsx 格式，不超过20MB，最多约10000行。",
	}
}

// ProjectRow is one data row of a project file, checked cell by cell: Cells hold the
// trimmed texts by column (pc constants).
type ProjectRow struct {
	Row   int
	Cells [pcCount]string
	Bad   bool // a cell of the row was refused
}

// ProjectImport is a read project file. Nothing in it may be saved when Errors is not empty.
type ProjectImport struct {
	*columnSheet
	Rows  []ProjectRow
	units map[string]*domain.Unit
	book  ProjectBook
}

// Codes are the non-empty project codes of the file.
func (imp *ProjectImport) Codes() []string {
	var out []string
	for _, r := range imp.Rows {
		if c := r.Cells[pcCode]; c != "" {
			out = append(out, c)
		}
	}
	return out
}

// ReadProjects reads and checks a project file cell by cell: codes, units, parks,
// numbers, dates, credit codes, capital sources, tags, duplicate project codes. Rows
// are streamed; only their texts are kept. The error is for a file that cannot be
// read at all.
func ReadProjects(data []byte, b ProjectBook) (*ProjectImport, error) {
	imp := &ProjectImport{columnSheet: newColumnSheet(ProjectSheet, ProjectHeaders[:]), units: map[string]*domain.Unit{}, book: b}
	for _, u := range b.Units {
		imp.units[u.Code] = u
	}
	seen := map[string]int{}
	if err := imp.read(data, []int{pcCode, pcName}, func(n int, cells []string) { imp.row(n, cells, seen) }); err != nil {
		return nil, err
	}
	return imp, nil
}

func (imp *ProjectImport) row(row int, cells []string, seen map[string]int) {
	r := ProjectRow{Row: row}
	n := len(imp.Errors)
	copy(r.Cells[:], cells)
	c := &r.Cells
	if code := c[pcCode]; code != "" {
		if len(code) > 32 {
			imp.fail(r.Row, pcCode, "项目编码不超过32位。")
		} else if first, dup := seen[code]; dup {
			imp.fail(r.Row, pcCode, fmt.Sprintf("项目编码 %s 与第%d行重复，同一项目只能有一行。", code, first))
		} else {
			seen[code] = r.Row
		}
	}
	if utf8.RuneCountInString(c[pcName]) > 128 {
		imp.fail(r.Row, pcName, "项目名称不超过128个字。")
	}
	if code := c[pcUnit]; code != "" {
		u := imp.units[code]
		if u == nil || !u.Active || u.Kind == domain.UnitDepartment || u.Kind == domain.UnitProvince {
			imp.fail(r.Row, pcUnit, fmt.Sprintf("单位编码“%s”不是系统中启用的市、县（市、区）或园区。", clip(code, 32)))
		}
	}
	if code := c[pcPark]; code != "" {
		if u := imp.units[code]; u == nil || u.Kind != domain.UnitPark {
			imp.fail(r.Row, pcPark, fmt.Sprintf("园区编码“%s”不是系统中的园区。", clip(code, 32)))
		}
	}
	if s := c[pcUSCC]; s != "" && !domain.ValidUSCC(domain.NormalizeUSCC(s)) {
		imp.fail(r.Row, pcUSCC, "统一社会信用代码无效（应为18位，校验位不符）。")
	}
	if s := c[pcCapital]; s != "" && capitalSource(s) == "" {
		imp.fail(r.Row, pcCapital, "资金来源应为：内资、外资、港澳台资。")
	}
	if s := strings.ToUpper(c[pcSection]); s != "" && (len(s) != 1 || s[0] < 'A' || s[0] > 'T') {
		imp.fail(r.Row, pcSection, "行业门类应为一个字母（A–T），如 C。")
	}
	if s := c[pcDivision]; s != "" && (len(s) != 2 || strings.Trim(s, "0123456789") != "") {
		imp.fail(r.Row, pcDivision, "行业大类应为两位数字，如 30。")
	}
	for _, f := range []int{pcContract, pcFixed, pcLand} {
		if s := c[f]; s != "" {
			d, err := ParseNumber(s)
			switch {
			case err != nil:
				imp.fail(r.Row, f, domain.ErrorMessage(err))
			case d < 0:
				imp.fail(r.Row, f, "不能为负数。")
			}
		}
	}
	for _, f := range []int{pcSigned, pcPlannedStart, pcPlannedProduction} {
		if s := c[f]; s != "" {
			d, ok := cellDate(s)
			switch {
			case !ok:
				imp.fail(r.Row, f, fmt.Sprintf("日期格式应为 2026-01-31：%s", clip(s, 20)))
			case f == pcSigned && imp.book.Today != "" && d > imp.book.Today:
				imp.fail(r.Row, f, fmt.Sprintf("签约日期 %s 晚于今天（%s），不能登记未来的日期。", d, imp.book.Today))
			default:
				c[f] = d
			}
		}
	}
	if c[pcPlannedStart] != "" && c[pcPlannedProduction] != "" && c[pcPlannedProduction] < c[pcPlannedStart] {
		imp.fail(r.Row, pcPlannedProduction, "计划投产日期不能早于计划开工日期。")
	}
	for _, tag := range splitTags(c[pcTags]) {
		if !slices.Contains(imp.book.Tags, tag) {
			imp.fail(r.Row, pcTags, fmt.Sprintf("标签“%s”不在系统的标签中（%s）。", clip(tag, 20), strings.Join(imp.book.Tags, "、")))
			break
		}
	}
	for _, f := range []int{pcInvestor, pcLeader, pcContact, pcPhone} {
		if utf8.RuneCountInString(c[f]) > 128 {
			imp.fail(r.Row, f, "不超过128个字。")
		}
	}
	r.Bad = len(imp.Errors) > n
	imp.Rows = append(imp.Rows, r)
}

func capitalSource(s string) string {
	for _, c := range domain.CapitalSources {
		if s == c.Label || strings.EqualFold(s, c.Value) {
			return c.Value
		}
	}
	return ""
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;；/ ", r) }) {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// cellDate reads a date typed as text (2026-01-31, 2026/1/31, 2026.1.31) or stored by
// Excel as a serial day number.
func cellDate(s string) (string, bool) {
	norm := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(s)
	for _, layout := range []string{"2006-01-02", "2006-1-2"} {
		if t, err := time.Parse(layout, norm); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 1 && n < 2958466 && n == float64(int64(n)) {
		if t, err := excelize.ExcelDateToTime(n, false); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// Apply turns the checked rows into projects: a row whose code is in existing changes
// that project (its empty cells leave fields as they are), any other creates one.
// can says whether the user may write a unit's projects; a row of a unit the user may
// not write, or changing a project of such a unit, is a row error. Every problem is
// added to Errors; the projects are to be saved only when there are none.
func (imp *ProjectImport) Apply(existing map[string]*domain.Project, can func(unitID int64) bool) []*domain.Project {
	out := make([]*domain.Project, 0, len(imp.Rows))
	for i := range imp.Rows {
		r := &imp.Rows[i]
		if p := imp.apply(r, existing, can); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (imp *ProjectImport) apply(r *ProjectRow, existing map[string]*domain.Project, can func(int64) bool) *domain.Project {
	c := &r.Cells
	ex := existing[c[pcCode]]
	var p *domain.Project
	n := len(imp.Errors)
	if ex != nil {
		cp := *ex
		cp.Tags = slices.Clone(ex.Tags)
		p = &cp
		if !can(ex.UnitID) {
			imp.fail(r.Row, pcCode, fmt.Sprintf("项目 %s 属于%s，您无权修改该单位的项目。", ex.Code, imp.unitName(ex.UnitID)))
		}
	} else {
		p = &domain.Project{Code: c[pcCode], Stage: "lead", Cert5020: "none"}
		p.Industrial, p.Currency, p.ExchangeRate, p.CapitalSource = true, "CNY", domain.DecFromInt(1), "domestic"
		if c[pcName] == "" {
			imp.fail(r.Row, pcName, "新建项目须填写项目名称。")
		}
		if c[pcUnit] == "" {
			imp.fail(r.Row, pcUnit, "新建项目须填写责任单位编码。")
		}
	}
	set := func(f int, apply func(string)) {
		if c[f] != "" {
			apply(c[f])
		}
	}
	set(pcName, func(s string) { p.Name = s })
	set(pcUnit, func(s string) {
		if u := imp.units[s]; u != nil {
			p.UnitID = u.ID
			if !can(u.ID) {
				imp.fail(r.Row, pcUnit, fmt.Sprintf("您无权导入%s（%s）的项目，只能导入本单位的项目。", u.Name, u.Code))
			}
		}
	})
	set(pcPark, func(s string) {
		if u := imp.units[s]; u != nil {
			p.ParkID = u.ID
		}
	})
	d := &p.ProjectDetails
	set(pcInvestor, func(s string) { d.InvestorName = s })
	set(pcUSCC, func(s string) { d.InvestorUSCC = domain.NormalizeUSCC(s) })
	set(pcCapital, func(s string) { d.CapitalSource = capitalSource(s) })
	set(pcSection, func(s string) { p.IndustrySection = strings.ToUpper(s) })
	set(pcDivision, func(s string) { p.IndustryDivision = s })
	wan := func(s string) int64 { v, _ := ParseNumber(s); return domain.WanToYuan(v) }
	set(pcContract, func(s string) {
		if d.Currency != "CNY" {
			imp.fail(r.Row, pcContract, fmt.Sprintf("该项目以%s计价，合同投资由原币金额按汇率折算，请在项目页面修改；不修改请留空。", d.Currency))
			return
		}
		p.ContractInvestment, d.ContractInvestmentOrig = wan(s), 0
	})
	set(pcFixed, func(s string) { p.FixedInvestment = wan(s) })
	set(pcLand, func(s string) { p.LandMu, _ = ParseNumber(s) })
	set(pcSigned, func(s string) {
		if ex == nil {
			p.SignedOn = s
		} else if s != ex.SignedOn {
			imp.fail(r.Row, pcSigned, "已有项目的签约日期不能通过导入修改，请在项目页面办理阶段变更；不修改请留空。")
		}
	})
	set(pcPlannedStart, func(s string) { d.PlannedStartOn = s })
	set(pcPlannedProduction, func(s string) { d.PlannedProductionOn = s })
	set(pcTags, func(s string) { p.Tags = splitTags(s) })
	set(pcLeader, func(s string) { d.LinkedLeader = s })
	set(pcContact, func(s string) { d.ContactPerson = s })
	set(pcPhone, func(s string) { d.ContactPhone = s })
	if ex == nil && p.SignedOn != "" {
		p.Stage = "signed"
	}
	if !r.Bad && len(imp.Errors) == n {
		code := p.Code
		if code == "" {
			p.Code = "XM"
		}
		if err := p.Validate(); err != nil {
			imp.failFields(r.Row, err, projectFields)
		}
		p.Code = code
	}
	if r.Bad || len(imp.Errors) > n {
		r.Bad = true
		return nil
	}
	return p
}

func (imp *ProjectImport) unitName(id int64) string {
	for _, u := range imp.book.Units {
		if u.ID == id {
			return u.Name
		}
	}
	return "其他单位"
}
