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
	// Added after the first template: the rest of the form, so an import can set every
	// editable field. Appended, so files made from the older template still read.
	pcOrigin
	pcIndustrial
	pcChain
	pcCurrency
	pcRate
	pcContractOrig
	pcRegisteredCap
	pcRevenue
	pcTax
	pcCert
	pcCertOn
	pcCertDoc
	pcProgress
	pcCount
)

// ProjectHeaders are the template's column headers, indexed by the pc constants.
var ProjectHeaders = [pcCount]string{"项目编码", "项目名称", "责任单位编码", "园区编码", "投资方", "统一社会信用代码",
	"资金来源", "行业门类", "行业大类", "合同投资（万元）", "计划固定资产投资（万元）", "用地（亩）", "签约日期",
	"计划开工日期", "计划投产日期", "标签", "挂点领导", "联系人", "联系电话",
	"投资方来源地", "工业项目", "产业链", "币种", "汇率（元/单位外币）", "原币合同投资（万）", "注册资本（万元）",
	"预计年营业收入（万元）", "预计年税收（万元）", "5020认定状态", "5020认定日期", "5020认定文号", "完成百分比"}

// projectFields maps the domain's validation fields to the columns that set them.
var projectFields = map[string]int{"code": pcCode, "name": pcName, "unit_id": pcUnit, "park_id": pcPark,
	"investor_name": pcInvestor, "investor_uscc": pcUSCC, "capital_source": pcCapital, "contract_investment": pcContract,
	"fixed_investment": pcFixed, "industry_section": pcSection, "industry_division": pcDivision, "signed_on": pcSigned, "planned_start_on": pcPlannedStart,
	"planned_production_on": pcPlannedProduction, "linked_leader": pcLeader, "contact_person": pcContact,
	"contact_phone": pcPhone, "investor_origin": pcOrigin, "chain": pcChain, "currency": pcCurrency, "exchange_rate": pcRate,
	"contract_investment_orig": pcContractOrig, "registered_capital": pcRegisteredCap, "expected_revenue": pcRevenue,
	"expected_tax": pcTax, "cert_5020": pcCert, "cert_5020_on": pcCertOn, "cert_5020_doc": pcCertDoc,
	"progress_pct": pcProgress, "tags": pcTags}

// ProjectBook is what the project template is written from and its import checked against.
type ProjectBook struct {
	Units    []*domain.Unit // every unit, to resolve codes
	Writable []*domain.Unit // the units the user may write, for the drop-down
	Tags     []domain.ProjectTag
	Today    string // 'YYYY-MM-DD' in China time
	// Projects prefill the template (the user's projects, to edit and import again).
	Projects []*domain.Project
}

// ProjectRowsValidated is how many rows the drop-downs and formats cover, and how many
// projects a prefilled template holds.
const ProjectRowsValidated = rowsValidated

// WriteProjectTemplate writes the project template: title, headers, one row per project
// of b.Projects (none for an empty template), drop-down lists (units, parks, capital
// sources, yes/no, industry sections and divisions, 5020 statuses, tags) kept on a hidden
// sheet, text-formatted code and date columns, and a sheet of notes.
func WriteProjectTemplate(w io.Writer, b ProjectBook) error {
	t := importTemplate{Sheet: ProjectSheet, Title: "招商项目（导入模板）", Headers: ProjectHeaders[:],
		Widths: []float64{14, 28, 14, 12, 24, 22, 10, 10, 10, 16, 18, 10, 13, 13, 13, 20, 12, 10, 14,
			14, 10, 14, 8, 12, 14, 14, 16, 16, 12, 13, 18, 10},
		Notes: projectNotes(b)}
	t.Extra = func(f *excelize.File) error {
		if err := projectLists(f, b); err != nil {
			return fmt.Errorf("lists: %w", err)
		}
		for i, p := range b.Projects {
			row := projectRow(p, b.Units)
			if err := f.SetSheetRow(t.Sheet, "A"+strconv.Itoa(tplFirstData+i), &row); err != nil {
				return err
			}
		}
		return nil
	}
	return t.write(w)
}

// projectRow is a project as a template row: the cells an import reads back unchanged.
// Money is in 万元 with up to four decimals, which is exact whole yuan.
func projectRow(p *domain.Project, units []*domain.Unit) []any {
	d := p.ProjectDetails
	code := func(id int64) string {
		for _, u := range units {
			if u.ID == id {
				return u.Code
			}
		}
		return ""
	}
	wan := func(yuan int64) any {
		if yuan == 0 {
			return ""
		}
		v, _ := strconv.ParseFloat(domain.YuanToWan(yuan), 64)
		return v
	}
	capital := ""
	for _, c := range domain.CapitalSources {
		if c.Value == d.CapitalSource {
			capital = c.Label
		}
	}
	industrial, orig, rate := "否", any(""), any("")
	if d.Industrial {
		industrial = "是"
	}
	if d.Currency != "" && d.Currency != "CNY" {
		orig = wan(d.ContractInvestmentOrig)
		rate, _ = strconv.ParseFloat(d.ExchangeRate.String(), 64)
	}
	land := any("")
	if p.LandMu != 0 {
		land, _ = strconv.ParseFloat(p.LandMu.String(), 64)
	}
	progress := any("")
	if d.ProgressPct != 0 {
		progress = d.ProgressPct
	}
	row := make([]any, pcCount)
	for i, v := range map[int]any{pcCode: p.Code, pcName: p.Name, pcUnit: code(p.UnitID), pcPark: code(p.ParkID),
		pcInvestor: d.InvestorName, pcUSCC: d.InvestorUSCC, pcCapital: capital, pcSection: p.IndustrySection,
		pcDivision: p.IndustryDivision, pcContract: wan(p.ContractInvestment), pcFixed: wan(p.FixedInvestment), pcLand: land,
		pcSigned: p.SignedOn, pcPlannedStart: d.PlannedStartOn, pcPlannedProduction: d.PlannedProductionOn,
		pcTags: strings.Join(p.Tags, "、"), pcLeader: d.LinkedLeader, pcContact: d.ContactPerson, pcPhone: d.ContactPhone,
		pcOrigin: d.InvestorOrigin, pcIndustrial: industrial, pcChain: d.Chain, pcCurrency: d.Currency, pcRate: rate,
		pcContractOrig: orig, pcRegisteredCap: wan(d.RegisteredCapital), pcRevenue: wan(d.ExpectedRevenue),
		pcTax: wan(d.ExpectedTax), pcCert: domain.Cert5020Labels[p.Cert5020], pcCertOn: p.Cert5020On,
		pcCertDoc: d.Cert5020Doc, pcProgress: progress} {
		row[i] = v
	}
	return row
}

// projectLists writes the drop-down lists on the hidden sheet and attaches them to their
// columns; code, date and number-like text columns are formatted as text.
func projectLists(f *excelize.File, b ProjectBook) error {
	lists := []dropList{{col: pcUnit}, {col: pcCapital}, {col: pcTags, values: domain.TagNames(b.Tags, false), info: "多个标签请用“、”分隔。"},
		{col: pcPark}, {col: pcIndustrial, values: []string{"是", "否"}}, {col: pcSection}, {col: pcDivision}, {col: pcCert}}
	for _, u := range b.Writable {
		lists[0].values = append(lists[0].values, u.Code)
	}
	for _, c := range domain.CapitalSources {
		lists[1].values = append(lists[1].values, c.Label)
	}
	for _, u := range b.Units {
		if u.Kind == domain.UnitPark && u.Active {
			lists[3].values = append(lists[3].values, u.Code)
		}
	}
	for _, sec := range domain.IndustrySections {
		lists[5].values = append(lists[5].values, sec.Code)
	}
	for _, div := range domain.IndustryDivisions {
		lists[6].values = append(lists[6].values, div.Code)
	}
	for _, c := range domain.Cert5020Choices {
		lists[7].values = append(lists[7].values, c.Label)
	}
	return dropLists(f, ProjectSheet, []int{pcCode, pcUnit, pcPark, pcUSCC, pcDivision, pcSigned, pcPlannedStart,
		pcPlannedProduction, pcPhone, pcCurrency, pcCertOn, pcCertDoc}, lists)
}

func projectNotes(b ProjectBook) []string {
	return []string{
		"招商项目导入说明",
		"1. 在“项目”工作表第3行起填写，每个项目一行。请勿修改第2行的列标题；不需要的列可以删除（“项目名称”“责任单位编码”新建项目时必填）。",
		"2. 项目编码：留空表示新建项目，系统自动生成编码（XM+年份+序号，序号至少4位）；填写系统中已有的编码表示修改该项目；填写新的编码表示以该编码新建项目。同一编码在文件中只能出现一次。",
		"3. 修改已有项目时，留空的单元格表示不修改该项；导入只修改项目信息，不改变项目阶段及各阶段日期（阶段变更请在项目页面办理）。",
		"4. 责任单位编码、园区编码填写系统中的单位编码；填报员只能导入本单位的项目。",
		"5. 金额以万元为单位，最多4位小数，系统按元四舍五入保存；用地以亩为单位。",
		"6. 日期格式为 2026-01-31。新建项目填写签约日期的，项目阶段为“签约”，否则为“线索”；签约日期不能晚于今天。",
		"7. 资金来源填写：内资、外资、港澳台资。统一社会信用代码为18位，系统校验其校验位。行业门类填写一个字母（如 C），行业大类填写两位数字（如 30）。",
		"8. 标签可填写多个，用“、”分隔，须为系统中的标签：" + strings.Join(domain.TagNames(b.Tags, false), "、") + "。已停用的标签只能保留在原有项目上。",
		"9. 工业项目填“是”或“否”；5020认定状态填写：未申报、已申报、已认定、未通过。完成百分比为0到100的整数。",
		"10. 外币项目：币种填写三位字母代码（如 USD），同时填写汇率（1单位外币折合人民币元）和原币合同投资（万）；合同投资（万元）由原币金额×汇率折算，可留空。人民币项目币种填 CNY 或留空。",
		"11. 下载“本单位项目”模板时，表中已填好您可修改的项目，改后可直接导入。",
		"12. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的行、列，并可下载标注了错误的文件；改正后可直接上传该文件。",
		"13. 文件须为 .xlsx 格式，不超过20MB，最多约10000行。",
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
	for _, tag := range domain.SplitTags(c[pcTags]) {
		if !slices.Contains(domain.TagNames(imp.book.Tags, true), tag) {
			imp.fail(r.Row, pcTags, fmt.Sprintf("标签“%s”不在系统的标签中（%s）。", clip(tag, 20), strings.Join(domain.TagNames(imp.book.Tags, false), "、")))
			break
		}
	}
	for _, f := range []int{pcRate, pcContractOrig, pcRegisteredCap, pcRevenue, pcTax} {
		if s := c[f]; s != "" {
			if d, err := ParseNumber(s); err != nil {
				imp.fail(r.Row, f, domain.ErrorMessage(err))
			} else if d < 0 {
				imp.fail(r.Row, f, "不能为负数。")
			}
		}
	}
	if s := c[pcIndustrial]; s != "" && s != "是" && s != "否" {
		imp.fail(r.Row, pcIndustrial, "工业项目应填“是”或“否”。")
	}
	if s := c[pcCert]; s != "" && cert5020(s) == "" {
		imp.fail(r.Row, pcCert, "5020认定状态应为：未申报、已申报、已认定、未通过。")
	}
	if s := c[pcCertOn]; s != "" {
		if d, ok := cellDate(s); ok {
			c[pcCertOn] = d
		} else {
			imp.fail(r.Row, pcCertOn, fmt.Sprintf("日期格式应为 2026-01-31：%s", clip(s, 20)))
		}
	}
	if s := c[pcProgress]; s != "" {
		if n, err := strconv.Atoi(s); err != nil || n < 0 || n > 100 {
			imp.fail(r.Row, pcProgress, "完成百分比应为0到100的整数。")
		}
	}
	for _, f := range []int{pcInvestor, pcLeader, pcContact, pcPhone, pcOrigin, pcChain, pcCertDoc} {
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

// cert5020 is the 5020 status a label (or stored value) names, or "".
func cert5020(s string) string {
	for _, c := range domain.Cert5020Choices {
		if s == c.Label || strings.EqualFold(s, c.Value) {
			return c.Value
		}
	}
	return ""
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
	imp.placeInUnit(r.Row, c[:], pcUnit, pcPark, imp.units, can, "项目", &p.UnitID, &p.ParkID)
	d := &p.ProjectDetails
	set(pcInvestor, func(s string) { d.InvestorName = s })
	set(pcUSCC, func(s string) { d.InvestorUSCC = domain.NormalizeUSCC(s) })
	set(pcCapital, func(s string) { d.CapitalSource = capitalSource(s) })
	set(pcSection, func(s string) { p.IndustrySection = strings.ToUpper(s) })
	set(pcDivision, func(s string) { p.IndustryDivision = s })
	wan := func(s string) int64 { v, _ := ParseNumber(s); return domain.WanToYuan(v) }
	num := func(s string) domain.Dec { v, _ := ParseNumber(s); return v }
	set(pcCurrency, func(s string) {
		if d.Currency = strings.ToUpper(s); d.Currency == "CNY" {
			d.ExchangeRate, d.ContractInvestmentOrig = domain.DecFromInt(1), 0
		}
	})
	set(pcRate, func(s string) { d.ExchangeRate = num(s) })
	set(pcContractOrig, func(s string) { d.ContractInvestmentOrig = wan(s) })
	// A foreign-currency project's contract investment is derived from the original
	// amount at the rate; a typed figure is checked against it after validation.
	foreignContract := int64(-1)
	set(pcContract, func(s string) {
		if d.Currency != "" && d.Currency != "CNY" {
			foreignContract = wan(s)
			return
		}
		p.ContractInvestment, d.ContractInvestmentOrig = wan(s), 0
	})
	set(pcRegisteredCap, func(s string) { d.RegisteredCapital = wan(s) })
	set(pcRevenue, func(s string) { d.ExpectedRevenue = wan(s) })
	set(pcTax, func(s string) { d.ExpectedTax = wan(s) })
	set(pcOrigin, func(s string) { d.InvestorOrigin = s })
	set(pcIndustrial, func(s string) { d.Industrial = s == "是" })
	set(pcChain, func(s string) { d.Chain = s })
	set(pcCert, func(s string) { p.Cert5020 = cert5020(s) })
	set(pcCertOn, func(s string) { p.Cert5020On = s })
	set(pcCertDoc, func(s string) { d.Cert5020Doc = s })
	set(pcProgress, func(s string) { d.ProgressPct, _ = strconv.Atoi(s) })
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
	set(pcTags, func(s string) {
		p.Tags = domain.SplitTags(s)
		var kept []string
		if ex != nil {
			kept = ex.Tags
		}
		// Unlisted tags were reported by the row check; here only a retired tag the
		// project did not carry already is left to refuse.
		if err := domain.CheckProjectTags(p.Tags, imp.book.Tags, kept); err != nil && !r.Bad {
			imp.fail(r.Row, pcTags, domain.ErrorFields(err)["tags"])
		}
	})
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
		} else if foreignContract >= 0 && foreignContract != p.ContractInvestment {
			imp.fail(r.Row, pcContract, fmt.Sprintf("该项目以%s计价，合同投资由原币金额按汇率折算为%s万元；请修改原币金额或汇率，合同投资可留空。",
				d.Currency, domain.YuanToWan(p.ContractInvestment)))
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
