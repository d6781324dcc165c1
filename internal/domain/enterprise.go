package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Enterprise is a firm in the registry (DOMAIN.md §4). Leaders' links, visits and
// problems refer to it by ID.
type Enterprise struct {
	ID               int64
	USCC             string // GB 32100-2015, normalised; "" when unknown
	Name             string
	UnitID           int64
	ParkID           int64
	IndustrySection  string
	IndustryDivision string
	Chain            string // free text until the chain module exists
	Address          string
	ContactPerson    string
	ContactPhone     string
	Status           string // one of EnterpriseStatuses
	StatusOn         string // 'YYYY-MM-DD' of the last status change, "" for a firm always active
	StatusReason     string
	// AboveScale is derived from the scale spells: the firm is in the above-scale
	// directory, or admitted to it from a coming month.
	AboveScale           bool
	Version              int64
	CreatedAt, UpdatedAt time.Time
}

// Enterprise statuses.
const (
	StatusActive = "active"
	StatusZombie = "zombie"
	StatusClosed = "closed"
)

// EnterpriseStatuses are the statuses with their labels.
var EnterpriseStatuses = []Choice{{StatusActive, "在营"}, {StatusZombie, "僵尸企业"}, {StatusClosed, "关闭"}}

// EnterpriseStatusLabel names a status.
func EnterpriseStatusLabel(s string) string { return ChoiceLabel(EnterpriseStatuses, s) }

// ChoiceLabel is the label of v among cs, or v itself.
func ChoiceLabel(cs []Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

// Validate checks and normalises the registry fields. The status changes only through
// ApplyStatus; a new firm is active.
func (e *Enterprise) Validate() error {
	e.USCC = NormalizeUSCC(e.USCC)
	e.Name = strings.TrimSpace(e.Name)
	probs := Problems{}
	if e.USCC != "" && !ValidUSCC(e.USCC) {
		probs.Add("uscc", "统一社会信用代码“"+clip(e.USCC)+"”无效：应为18位，校验位须符合GB 32100-2015。")
	}
	if n := utf8.RuneCountInString(e.Name); n == 0 || n > 128 {
		probs.Add("name", "请填写企业名称（不超过128个字）。")
	}
	if e.UnitID <= 0 {
		probs.Add("unit_id", "请选择所属单位。")
	}
	if e.Status == "" {
		e.Status = StatusActive
	}
	if !slices.ContainsFunc(EnterpriseStatuses, func(c Choice) bool { return c.Value == e.Status }) {
		probs.Add("status", "企业状态无效。")
	}
	for field, v := range map[string]*string{"chain": &e.Chain, "address": &e.Address, "contact_person": &e.ContactPerson, "contact_phone": &e.ContactPhone} {
		*v = strings.TrimSpace(*v)
		if utf8.RuneCountInString(*v) > 200 {
			probs.Add(field, "不超过200个字。")
		}
	}
	e.IndustryDivision = strings.TrimSpace(e.IndustryDivision)
	if e.IndustryDivision != "" {
		if d, ok := LookupDivision(e.IndustryDivision); ok {
			e.IndustrySection = d.Section
		} else {
			probs.Add("industry_division", "行业大类“"+clip(e.IndustryDivision)+"”不在国民经济行业分类（GB/T 4754-2017）01–97中。")
		}
	} else {
		e.IndustrySection = ""
	}
	return probs.Err()
}

// DivisionWarning is the note shown when the registering authority's division code in
// a valid USCC (positions 3–8) differs from the unit's code. It is a warning, never an
// error: firms move after registering. City-level registration (the unit's city code)
// is normal for firms in a county, so only the first four digits must agree.
func (e *Enterprise) DivisionWarning(unitCode string) string {
	if e.USCC == "" || !ValidUSCC(e.USCC) || len(unitCode) != 6 {
		return ""
	}
	reg := e.USCC[2:8]
	if reg == unitCode || reg[:4] == unitCode[:4] && reg[4:] == "00" {
		return ""
	}
	return fmt.Sprintf("统一社会信用代码的登记机关区划码 %s 与所属单位区划码 %s 不一致（企业可能已迁移），请核对。", reg, unitCode)
}

// statusMoves are the allowed status changes: active firms may become zombies or close;
// a zombie may be revived or close; closing is final.
var statusMoves = map[string][]string{StatusActive: {StatusZombie, StatusClosed}, StatusZombie: {StatusActive, StatusClosed}}

// NextStatuses are the statuses the firm may move to, with labels.
func (e *Enterprise) NextStatuses() []Choice {
	var out []Choice
	for _, s := range statusMoves[e.Status] {
		out = append(out, Choice{s, EnterpriseStatusLabel(s)})
	}
	return out
}

// ApplyStatus moves the firm to another status (statusMoves) on a date with a reason.
func (e *Enterprise) ApplyStatus(to, on, reason string) error {
	reason = strings.TrimSpace(reason)
	probs := Problems{}
	if !slices.Contains(statusMoves[e.Status], to) {
		probs.Add("status", fmt.Sprintf("企业状态不能从“%s”改为“%s”。", EnterpriseStatusLabel(e.Status), EnterpriseStatusLabel(to)))
	}
	if !validDate(on) {
		probs.Add("status_on", "日期格式应为 2026-01-31。")
	}
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		probs.Add("status_reason", "请填写状态变更原因（不超过500个字）。")
	}
	if err := probs.Err(); err != nil {
		return err
	}
	e.Status, e.StatusOn, e.StatusReason = to, on, reason
	return nil
}

// Above-scale entry types.
const (
	EntryMonthly = "monthly" // 月度入库: newly built plants in production
	EntryAnnual  = "annual"  // 年度小升规: firms that grew past the threshold
)

// EntryTypes are the entry types with their labels.
var EntryTypes = []Choice{{EntryMonthly, "月度入库"}, {EntryAnnual, "年度小升规"}}

// ScaleSpell is one stay in the above-scale directory.
type ScaleSpell struct {
	ID           int64
	EnterpriseID int64
	EntryMonth   string // 'YYYY-MM': the month the entry counts from
	EntryType    string
	BatchYear    int // for an annual batch: the year whose revenue qualified
	ExitMonth    string
	ExitReason   string
}

// NewEntry builds an entry. A monthly entry counts from its month. An annual batch of
// year Y (approved around October–January) counts from January of Y + 1 (DOMAIN.md §4),
// so its month is derived from the batch year and any month given is ignored.
func NewEntry(entryType, month string, batchYear int) (ScaleSpell, error) {
	s := ScaleSpell{EntryType: entryType}
	probs := Problems{}
	switch entryType {
	case EntryMonthly:
		if !ValidMonth(month) {
			probs.Add("entry_month", "入库月份格式应为 2026-01。")
		}
		s.EntryMonth = month
	case EntryAnnual:
		if batchYear < 2000 || batchYear > 2100 {
			probs.Add("batch_year", "请填写小升规批次年度（如 2025）。")
		}
		s.BatchYear, s.EntryMonth = batchYear, fmt.Sprintf("%04d-01", batchYear+1)
	default:
		probs.Add("entry_type", "入库类型应为月度入库或年度小升规。")
	}
	return s, probs.Err()
}

// CheckEntry checks a new entry against the firm's spells (oldest first): the last
// stay must have ended, and the new one must start after that exit.
func CheckEntry(spells []*ScaleSpell, s ScaleSpell) error {
	if len(spells) == 0 {
		return nil
	}
	last := spells[len(spells)-1]
	if last.ExitMonth == "" {
		return &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"entry_month": "该企业已在规上库中（" + last.EntryMonth + " 入库），请先登记退库。"}}
	}
	if s.EntryMonth <= last.ExitMonth {
		return &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"entry_month": "再次入库月份须晚于上次退库月份 " + last.ExitMonth + "。"}}
	}
	return nil
}

// ApplyExit ends the open stay: the exit month is the first month the firm no longer
// counts, so it must come after the entry month.
func ApplyExit(spells []*ScaleSpell, month, reason string) (*ScaleSpell, error) {
	reason = strings.TrimSpace(reason)
	probs := Problems{}
	var open *ScaleSpell
	if n := len(spells); n > 0 && spells[n-1].ExitMonth == "" {
		open = spells[n-1]
	}
	switch {
	case open == nil:
		probs.Add("exit_month", "该企业不在规上库中，无法退库。")
	case !ValidMonth(month):
		probs.Add("exit_month", "退库月份格式应为 2026-01。")
	case month <= open.EntryMonth:
		probs.Add("exit_month", "退库月份须晚于入库月份 "+open.EntryMonth+"。")
	}
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		probs.Add("exit_reason", "请填写退库原因（不超过500个字）。")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	open.ExitMonth, open.ExitReason = month, reason
	return open, nil
}

// InDirectory reports whether spells make the firm above scale: its last stay is open.
func InDirectory(spells []*ScaleSpell) bool {
	return len(spells) > 0 && spells[len(spells)-1].ExitMonth == ""
}

// EnterpriseRules are the registry's city-specific thresholds (settings).
type EnterpriseRules struct {
	// AboveScaleYuan is the above-scale revenue threshold (20 million yuan since 2011).
	AboveScaleYuan int64 `json:"above_scale_yuan"`
	// CandidateYuan is the cultivation pool's lower bound: below-scale firms with at
	// least this revenue are candidates (default 15 million yuan).
	CandidateYuan int64 `json:"candidate_yuan"`
}

// DefaultEnterpriseRules are DOMAIN.md §4's defaults.
var DefaultEnterpriseRules = EnterpriseRules{AboveScaleYuan: 20_000_000, CandidateYuan: 15_000_000}

// Validate checks the thresholds.
func (r EnterpriseRules) Validate() error {
	probs := Problems{}
	if r.AboveScaleYuan <= 0 {
		probs.Add("above_scale_yuan", "规上门槛应为正数。")
	}
	if r.CandidateYuan <= 0 || r.CandidateYuan >= r.AboveScaleYuan {
		probs.Add("candidate_yuan", "培育库门槛应为正数且低于规上门槛。")
	}
	return probs.Err()
}

// IsCandidate is the cultivation-pool rule: an active firm below scale whose revenue
// reached the candidate threshold but not the above-scale one.
func (r EnterpriseRules) IsCandidate(e *Enterprise, revenue int64) bool {
	return e.Status == StatusActive && !e.AboveScale && revenue >= r.CandidateYuan && revenue < r.AboveScaleYuan
}

// EnterpriseFigures are one year's figures of a firm. Money is whole yuan.
type EnterpriseFigures struct {
	EnterpriseID int64
	Year         int
	Revenue      int64
	Tax          int64
	ValueAdded   int64
	Employees    int64
	LandMu       Dec // 亩
	EnergyTce    Dec // 吨标煤
	Electricity  Dec // 万千瓦时
	Emissions    Dec // 吨
	RDSpending   int64
}

// Validate checks the year and that nothing is negative.
func (f *EnterpriseFigures) Validate() error {
	probs := Problems{}
	if f.Year < 2000 || f.Year > 2100 {
		probs.Add("year", "年度应为2000–2100之间的年份。")
	}
	for field, v := range map[string]int64{"revenue": f.Revenue, "tax": f.Tax, "value_added": f.ValueAdded,
		"employees": f.Employees, "land_mu": int64(f.LandMu), "energy_tce": int64(f.EnergyTce),
		"electricity": int64(f.Electricity), "emissions": int64(f.Emissions), "rd_spending": f.RDSpending} {
		if v < 0 {
			probs.Add(field, "不能为负数。")
		}
	}
	return probs.Err()
}

// HonourType is one rung of the honours ladder (DOMAIN.md §4).
type HonourType struct {
	Value, Label string
	Level        string // the usual level
	ValidYears   int    // 0: no fixed validity
}

// HonourTypes is the ladder, lowest first. 重点小巨人 is a funding subset of the little
// giants and is recorded as its own honour.
var HonourTypes = []HonourType{
	{"innovative_sme", "创新型中小企业", "provincial", 3},
	{"specialized_sme", "专精特新中小企业", "provincial", 3},
	{"little_giant", "专精特新“小巨人”企业", "national", 3},
	{"key_little_giant", "重点“小巨人”企业", "national", 3},
	{"single_champion", "制造业单项冠军企业", "national", 3},
	{"chain_leader", "产业链领航企业", "national", 0},
}

// HonourLevels are the awarding levels.
var HonourLevels = []Choice{{"national", "国家级"}, {"provincial", "省级"}, {"city", "市级"}}

// HonourTypeOf finds a ladder rung.
func HonourTypeOf(v string) (HonourType, bool) {
	i := slices.IndexFunc(HonourTypes, func(t HonourType) bool { return t.Value == v })
	if i < 0 {
		return HonourType{}, false
	}
	return HonourTypes[i], true
}

// Honour is one honour a firm holds.
type Honour struct {
	ID           int64
	EnterpriseID int64
	Type         string
	Level        string
	Batch        string
	Year         int
	ValidUntil   string // 'YYYY-MM-DD', "" when open-ended
	DocNo        string
	Version      int64
	// A withdrawn (撤销) honour stays in the enterprise's history with who withdrew it,
	// when and why, and no count includes it.
	WithdrawnAt    *time.Time
	WithdrawnBy    string
	WithdrawReason string
}

// Withdrawn tells whether the honour has been withdrawn.
func (h *Honour) Withdrawn() bool { return h.WithdrawnAt != nil }

// CheckCorrection refuses a correction of a withdrawn honour: the withdrawal is the
// honour's last word, and a wrongly withdrawn one is recorded again.
func (h *Honour) CheckCorrection() error {
	if h.Withdrawn() {
		return Errorf(EINVALID, "该荣誉已撤销，不能再修改；如撤销有误，请重新登记。")
	}
	return nil
}

// ApplyWithdrawal marks the honour withdrawn now by who, for a required reason.
func (h *Honour) ApplyWithdrawal(reason, by string, now time.Time) error {
	if err := h.CheckCorrection(); err != nil {
		return Errorf(EINVALID, "该荣誉已于 %s 撤销。", h.WithdrawnAt.In(ChinaTime).Format("2006-01-02"))
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return Problems{"withdraw_reason": "请填写撤销原因（不超过500个字）。"}.Err()
	}
	h.WithdrawnAt, h.WithdrawnBy, h.WithdrawReason = &now, by, reason
	return nil
}

// Validate checks the honour, awarded no later than thisYear; an empty level takes the
// ladder's, and an empty validity the ladder's years counted to the end of the award year's
// last valid year.
func (h *Honour) Validate(thisYear int) error {
	probs := Problems{}
	h.Batch, h.DocNo, h.ValidUntil = strings.TrimSpace(h.Batch), strings.TrimSpace(h.DocNo), strings.TrimSpace(h.ValidUntil)
	t, ok := HonourTypeOf(h.Type)
	if !ok {
		probs.Add("type", "荣誉类型无效。")
	}
	if h.Level == "" {
		h.Level = t.Level
	}
	if !slices.ContainsFunc(HonourLevels, func(c Choice) bool { return c.Value == h.Level }) {
		probs.Add("level", "荣誉级别无效。")
	}
	if h.Year < 2000 || h.Year > thisYear {
		probs.Add("year", fmt.Sprintf("认定年度应为2000年至今年（%d年）之间的年份。", thisYear))
	}
	if h.ValidUntil == "" && ok && t.ValidYears > 0 && !probs.has("year") {
		h.ValidUntil = fmt.Sprintf("%04d-12-31", h.Year+t.ValidYears-1)
	}
	if h.ValidUntil != "" && !validDate(h.ValidUntil) {
		probs.Add("valid_until", "有效期格式应为 2026-12-31。")
	}
	if utf8.RuneCountInString(h.Batch) > 64 {
		probs.Add("batch", "批次不超过64个字。")
	}
	if utf8.RuneCountInString(h.DocNo) > 128 {
		probs.Add("doc_no", "文号不超过128个字。")
	}
	return probs.Err()
}

func (p Problems) has(field string) bool { _, ok := p[field]; return ok }

// EnterpriseFilter selects and orders a page of enterprises.
type EnterpriseFilter struct {
	UnitID           int64
	ParkID           int64
	IndustryDivision string
	AboveScale       string // "", "yes", "no"
	Status           string
	Honour           string // an honour type
	// Candidate keeps the cultivation pool by FiguresYear's revenue; the revenue_desc
	// sort also reads that year.
	Candidate     bool
	FiguresYear   int
	Rules         EnterpriseRules
	Query         string // name or USCC
	Sort          string
	Offset, Limit int
}

// EnterpriseSorts are the list orders; the first is the default.
var EnterpriseSorts = []Choice{{"name", "按名称"}, {"updated_desc", "最近修改"}, {"created_desc", "最近登记"}, {"revenue_desc", "营业收入（高→低）"}}

// Validate checks the filter's choices.
func (f *EnterpriseFilter) Validate() error {
	probs := Problems{}
	if f.AboveScale != "" && f.AboveScale != "yes" && f.AboveScale != "no" {
		probs.Add("above_scale", "规上筛选值无效。")
	}
	if f.Status != "" && !slices.ContainsFunc(EnterpriseStatuses, func(c Choice) bool { return c.Value == f.Status }) {
		probs.Add("status", "企业状态无效。")
	}
	if _, ok := HonourTypeOf(f.Honour); f.Honour != "" && !ok {
		probs.Add("honour", "荣誉类型无效。")
	}
	if f.Sort != "" && !slices.ContainsFunc(EnterpriseSorts, func(c Choice) bool { return c.Value == f.Sort }) {
		probs.Add("sort", "排序方式无效。")
	}
	if f.Candidate || f.Sort == "revenue_desc" {
		if f.FiguresYear < 2000 || f.FiguresYear > 2100 {
			probs.Add("figures_year", "数据年度无效。")
		}
	}
	if f.Candidate {
		if err := f.Rules.Validate(); err != nil {
			probs.Add("candidate", "培育库门槛设置无效。")
		}
	}
	return probs.Err()
}
