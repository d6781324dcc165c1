package xlsx

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"beizeng/internal/domain"
)

// EnterpriseSheet is the data sheet of the enterprise template.
const EnterpriseSheet = "企业"

// The enterprise template's columns, in order.
const (
	ecUSCC = iota
	ecName
	ecUnit
	ecPark
	ecDivision
	ecChain
	ecAddress
	ecContact
	ecPhone
	ecCount
)

// EnterpriseHeaders are the template's column headers, indexed by the ec constants.
var EnterpriseHeaders = [ecCount]string{"统一社会信用代码", "企业名称", "所属单位编码", "园区编码", "行业大类", "产业链",
	"地址", "联系人", "联系电话"}

// enterpriseFields maps the domain's validation fields to the columns that set them.
var enterpriseFields = map[string]int{"uscc": ecUSCC, "name": ecName, "unit_id": ecUnit, "park_id": ecPark,
	"industry_division": ecDivision, "chain": ecChain, "address": ecAddress, "contact_person": ecContact, "contact_phone": ecPhone}

// EnterpriseBook is what the enterprise template is written from and its import checked
// against: every unit to resolve codes, and the units the user may write.
type EnterpriseBook struct {
	Units    []*domain.Unit
	Writable []*domain.Unit
}

// WriteEnterpriseTemplate writes the empty enterprise template with drop-down lists of
// the writable units, the parks and the industry divisions, and a sheet of notes.
func WriteEnterpriseTemplate(w io.Writer, b EnterpriseBook) error {
	t := importTemplate{Sheet: EnterpriseSheet, Title: "企业名录（导入模板）", Headers: EnterpriseHeaders[:],
		Widths: []float64{22, 32, 14, 12, 10, 14, 30, 10, 14}, Notes: enterpriseNotes()}
	var units, parks, divisions []string
	for _, u := range b.Writable {
		units = append(units, u.Code)
	}
	for _, u := range b.Units {
		if u.Kind == domain.UnitPark && u.Active {
			parks = append(parks, u.Code)
		}
	}
	for _, d := range domain.IndustryDivisions {
		divisions = append(divisions, d.Code)
	}
	t.Extra = func(f *excelize.File) error {
		return dropLists(f, EnterpriseSheet, []int{ecUSCC, ecUnit, ecPark, ecDivision, ecPhone},
			[]dropList{{ecUnit, units, ""}, {ecPark, parks, ""}, {ecDivision, divisions, ""}})
	}
	return t.write(w)
}

func enterpriseNotes() []string {
	return []string{
		"企业名录导入说明",
		"1. 在“企业”工作表第3行起填写，每家企业一行。请勿修改第2行的列标题；不需要的列可以删除（新建企业时“企业名称”“所属单位编码”必填）。",
		"2. 统一社会信用代码为18位，系统去除空格、转为大写后校验其校验位（GB 32100-2015）。填写系统中已有的代码表示修改该企业，留空的单元格表示不修改；其他代码或不填代码表示新建企业。同一代码在文件中只能出现一次。",
		"3. 所属单位编码、园区编码填写系统中的单位编码；填报员只能导入本单位的企业。",
		"4. 行业大类填写国民经济行业分类（GB/T 4754-2017）的两位大类代码，如 30。",
		"5. 导入只修改企业名录信息；规上入退库、年度数据、荣誉与企业状态请在企业页面登记。",
		"6. 导入为“全部或全不”：文件中只要有一处错误，就不会导入任何数据。系统会列出每处错误所在的行、列，并可下载标注了错误的文件；改正后可直接上传该文件。",
		"7. 文件须为 .xlsx 格式，不超过20MB。",
	}
}

// EnterpriseRow is one data row of an enterprise file: the trimmed texts by column.
type EnterpriseRow struct {
	Row   int
	Cells [ecCount]string
	Bad   bool
}

// EnterpriseImport is a read enterprise file. Nothing in it may be saved when Errors is
// not empty.
type EnterpriseImport struct {
	*columnSheet
	Rows  []EnterpriseRow
	units map[string]*domain.Unit
	book  EnterpriseBook
}

// ReadEnterprises reads and checks an enterprise file cell by cell: credit codes (and
// their repetition in the file), names, unit and park codes, divisions, lengths.
func ReadEnterprises(data []byte, b EnterpriseBook) (*EnterpriseImport, error) {
	imp := &EnterpriseImport{columnSheet: newColumnSheet(EnterpriseSheet, EnterpriseHeaders[:]), units: map[string]*domain.Unit{}, book: b}
	for _, u := range b.Units {
		imp.units[u.Code] = u
	}
	seen := map[string]int{}
	if err := imp.read(data, []int{ecUSCC, ecName}, func(n int, cells []string) { imp.row(n, cells, seen) }); err != nil {
		return nil, err
	}
	return imp, nil
}

func (imp *EnterpriseImport) row(row int, cells []string, seen map[string]int) {
	r := EnterpriseRow{Row: row}
	n := len(imp.Errors)
	copy(r.Cells[:], cells)
	c := &r.Cells
	if s := c[ecUSCC]; s != "" {
		code := domain.NormalizeUSCC(s)
		c[ecUSCC] = code
		if !domain.ValidUSCC(code) {
			imp.fail(row, ecUSCC, fmt.Sprintf("统一社会信用代码“%s”无效（应为18位，校验位须符合GB 32100-2015）。", clip(s, 24)))
		} else if first, dup := seen[code]; dup {
			imp.fail(row, ecUSCC, fmt.Sprintf("统一社会信用代码 %s 与第%d行重复，同一企业只能有一行。", code, first))
		} else {
			seen[code] = row
		}
	}
	if code := c[ecUnit]; code != "" {
		u := imp.units[code]
		if u == nil || !u.Active || u.Kind == domain.UnitDepartment || u.Kind == domain.UnitProvince {
			imp.fail(row, ecUnit, fmt.Sprintf("单位编码“%s”不是系统中启用的市、县（市、区）或园区。", clip(code, 32)))
		}
	}
	if code := c[ecPark]; code != "" {
		if u := imp.units[code]; u == nil || u.Kind != domain.UnitPark {
			imp.fail(row, ecPark, fmt.Sprintf("园区编码“%s”不是系统中的园区。", clip(code, 32)))
		}
	}
	if utf8.RuneCountInString(c[ecName]) > 128 {
		imp.fail(row, ecName, "企业名称不超过128个字。")
	}
	r.Bad = len(imp.Errors) > n
	imp.Rows = append(imp.Rows, r)
}

// Codes are the file's valid credit codes.
func (imp *EnterpriseImport) Codes() []string {
	var out []string
	for _, r := range imp.Rows {
		if c := r.Cells[ecUSCC]; c != "" && domain.ValidUSCC(c) {
			out = append(out, c)
		}
	}
	return out
}

// Apply turns the checked rows into enterprises: a row whose credit code is in existing
// changes that enterprise (empty cells leave its fields), any other creates one. can
// says whether the user may write a unit's enterprises. Every problem is added to
// Errors; the enterprises are to be saved only when there are none.
func (imp *EnterpriseImport) Apply(existing map[string]*domain.Enterprise, can func(unitID int64) bool) []*domain.Enterprise {
	out := make([]*domain.Enterprise, 0, len(imp.Rows))
	for i := range imp.Rows {
		r := &imp.Rows[i]
		c := &r.Cells
		n := len(imp.Errors)
		ex := existing[c[ecUSCC]]
		e := &domain.Enterprise{}
		if ex != nil {
			cp := *ex
			e = &cp
			if !can(ex.UnitID) {
				imp.fail(r.Row, ecUSCC, fmt.Sprintf("企业“%s”属于其他单位，您无权修改。", ex.Name))
			}
		} else {
			if c[ecName] == "" {
				imp.fail(r.Row, ecName, "新建企业须填写企业名称。")
			}
			if c[ecUnit] == "" {
				imp.fail(r.Row, ecUnit, "新建企业须填写所属单位编码。")
			}
		}
		set := func(f int, apply func(string)) {
			if c[f] != "" {
				apply(c[f])
			}
		}
		set(ecUSCC, func(s string) { e.USCC = s })
		set(ecName, func(s string) { e.Name = s })
		imp.placeInUnit(r.Row, c[:], ecUnit, ecPark, imp.units, can, "企业", &e.UnitID, &e.ParkID)
		set(ecDivision, func(s string) { e.IndustryDivision = s })
		set(ecChain, func(s string) { e.Chain = s })
		set(ecAddress, func(s string) { e.Address = s })
		set(ecContact, func(s string) { e.ContactPerson = s })
		set(ecPhone, func(s string) { e.ContactPhone = s })
		if !r.Bad && len(imp.Errors) == n {
			if err := e.Validate(); err != nil {
				imp.failFields(r.Row, err, enterpriseFields)
			}
		}
		if r.Bad || len(imp.Errors) > n {
			r.Bad = true
			continue
		}
		out = append(out, e)
	}
	return out
}
