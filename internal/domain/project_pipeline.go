package domain

import (
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ProjectDetails are the pipeline's fields around the core record: investor, money in
// its original currency, the people involved, planned dates and progress.
type ProjectDetails struct {
	InvestorName   string
	InvestorUSCC   string // GB 32100-2015, "" when unknown
	InvestorOrigin string // province/city or country
	CapitalSource  string // domestic, foreign, hmt (HK/Macao/Taiwan); ForeignCapital = source != domestic
	Industrial     bool
	Chain          string // free text until the chain module exists
	Currency       string // ISO 4217, CNY by default
	ExchangeRate   Dec    // yuan per unit of Currency
	// ContractInvestmentOrig is the contract amount in Currency (whole units); for a
	// foreign currency ContractInvestment is derived from it at ExchangeRate.
	ContractInvestmentOrig int64
	RegisteredCapital      int64 // whole yuan
	ExpectedRevenue        int64 // whole yuan a year at full production
	ExpectedTax            int64 // whole yuan a year at full production
	LinkedLeader           string
	ContactPerson          string
	ContactPhone           string
	PlannedStartOn         string
	PlannedProductionOn    string
	TerminatedReason       string
	Cert5020Doc            string
	ProgressPct            int
	LastNoteOn             string
}

// CapitalSources are the investor capital sources with their labels.
var CapitalSources = []Choice{{"domestic", "内资"}, {"foreign", "外资"}, {"hmt", "港澳台资"}}

// Choice is a stored value and its label.
type Choice struct{ Value, Label string }

// ProjectStageLabels are the Chinese names of ProjectStages.
var ProjectStageLabels = map[string]string{"lead": "线索", "negotiating": "洽谈", "signed": "签约", "registered": "注册",
	"land_supplied": "供地", "started": "开工", "completed": "竣工", "in_production": "投产", "terminated": "终止"}

// Cert5020Labels name the 5020 certification statuses.
var Cert5020Labels = map[string]string{"none": "未申报", "applied": "已申报", "certified": "已认定", "rejected": "未通过"}

// Tier is a contract-amount class used in lists and bulletins.
type Tier struct {
	Min   int64 // whole yuan, inclusive
	Label string
}

// DefaultTiers are the bulletins' amount classes (DOMAIN.md §3), largest last.
var DefaultTiers = []Tier{{1 * Yi, "1亿元以上"}, {5 * Yi, "5亿元以上"}, {10 * Yi, "10亿元以上"}, {20 * Yi, "20亿元以上"}, {50 * Yi, "50亿元以上"}}

// Yi is one 亿 (10⁸) yuan.
const Yi = 100_000_000

// TierOf returns the label of the highest tier an amount reaches, or "".
func TierOf(tiers []Tier, amount int64) string {
	label := ""
	for _, t := range tiers {
		if amount >= t.Min {
			label = t.Label
		}
	}
	return label
}

// YiYuan formats whole yuan as 亿元 with two decimals, half up.
func YiYuan(yuan int64) string {
	return RoundHalfUp(big.NewRat(yuan, Yi), 2)
}

// WanToYuan converts an amount typed in 万元 to whole yuan, half up.
func WanToYuan(d Dec) int64 {
	r := new(big.Rat).Mul(d.Rat(), big.NewRat(10000, 1))
	return roundScaled(r, 0).Int64()
}

// MaxAmount is the largest amount a project records, in whole yuan: 100万亿元, beyond any
// project (and any city's economy), so that a figure typed in yuan where 万元 was meant
// is caught, and so that the warnings' funds check (funds × 12 against contract × months)
// stays within 64-bit integers in the database as in Go — funds in place summed from a
// ledger of months each at most this too, for over six hundred years.
const MaxAmount = 100_000_000_000_000

// CheckAmount refuses a negative amount or one above MaxAmount, on its field.
func CheckAmount(probs Problems, field string, yuan int64) {
	switch {
	case yuan < 0:
		probs.Add(field, "金额不能为负数。")
	case yuan > MaxAmount:
		probs.Add(field, "金额过大（超过100万亿元），请检查是否按万元填写。")
	}
}

// YuanToWan shows whole yuan as 万元 exactly (at most four decimals).
func YuanToWan(yuan int64) string {
	return Dec(yuan).String()
}

// stageIndex is a stage's position in ProjectStages, or -1.
func stageIndex(s string) int { return slices.Index(ProjectStages, s) }

// StageDate returns the field holding the date a stage was reached; lead and
// negotiating keep theirs in the history only.
func (p *Project) StageDate(stage string) *string {
	switch stage {
	case "signed":
		return &p.SignedOn
	case "registered":
		return &p.RegisteredOn
	case "land_supplied":
		return &p.LandSuppliedOn
	case "started":
		return &p.StartedOn
	case "completed":
		return &p.CompletedOn
	case "in_production":
		return &p.InProductionOn
	case "terminated":
		return &p.TerminatedOn
	}
	return nil
}

// NextStages are the stages a project may move to from its current one: every later
// stage (none past signing before a signing date), every earlier one (with a reason)
// and termination.
func (p *Project) NextStages() []string {
	var out []string
	signed := stageIndex("signed")
	for i, s := range ProjectStages {
		forward := p.Stage != "terminated" && i > stageIndex(p.Stage)
		if s == p.Stage || (forward && s != "terminated" && i > signed && p.SignedOn == "") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// ApplyTransition checks a stage change against the lifecycle rules and applies it to p:
// forward moves date the new stage (not before the stage before it, not after today),
// backward moves need a reason and clear the later dates, termination needs a reason.
// today is 'YYYY-MM-DD' in China time.
func (p *Project) ApplyTransition(to, onDate, reason, today string) error {
	reason = strings.TrimSpace(reason)
	from, ti := p.Stage, stageIndex(to)
	if ti < 0 {
		return Errorf(EINVALID, "未知的项目阶段「%s」。", to)
	}
	if to == from {
		return Errorf(EINVALID, "项目已处于「%s」阶段。", ProjectStageLabels[to])
	}
	if onDate == "" {
		return Errorf(EINVALID, "请填写进入「%s」阶段的日期。", ProjectStageLabels[to])
	}
	if _, err := time.Parse(time.DateOnly, onDate); err != nil {
		return Errorf(EINVALID, "日期格式应为 2026-01-31。")
	}
	if onDate > today {
		return Errorf(EINVALID, "日期 %s 晚于今天（%s），不能登记未来的日期。", onDate, today)
	}
	if utf8.RuneCountInString(reason) > 500 {
		return Errorf(EINVALID, "原因不超过500个字。")
	}
	fi := stageIndex(from)
	switch {
	case to == "terminated":
		if reason == "" {
			return Errorf(EINVALID, "终止项目必须填写原因。")
		}
		p.TerminatedOn, p.TerminatedReason = onDate, reason
	case from == "terminated" || ti < fi:
		if reason == "" {
			return Errorf(EINVALID, "从「%s」退回「%s」必须填写原因。", ProjectStageLabels[from], ProjectStageLabels[to])
		}
		for _, s := range ProjectStages[ti+1:] {
			if d := p.StageDate(s); d != nil {
				*d = ""
			}
		}
		p.TerminatedReason = ""
		if d := p.StageDate(to); d != nil && *d == "" {
			*d = onDate
		}
	default:
		signed := stageIndex("signed")
		if ti > signed && p.SignedOn == "" {
			return Errorf(EINVALID, "项目尚未签约，不能进入「%s」阶段：请先登记签约。", ProjectStageLabels[to])
		}
		for _, s := range slices.Backward(ProjectStages[:ti]) {
			if d := p.StageDate(s); d != nil && *d != "" {
				if onDate < *d {
					return Errorf(EINVALID, "「%s」日期 %s 不能早于「%s」日期 %s。", ProjectStageLabels[to], onDate, ProjectStageLabels[s], *d)
				}
				break
			}
		}
		if d := p.StageDate(to); d != nil {
			*d = onDate
		}
	}
	p.Stage = to
	return nil
}

// validateDetails checks the pipeline fields and normalises them.
func (p *Project) validateDetails(probs Problems) {
	d := &p.ProjectDetails
	for _, s := range []*string{&d.InvestorName, &d.InvestorOrigin, &d.Chain, &d.LinkedLeader, &d.ContactPerson,
		&d.ContactPhone, &d.PlannedStartOn, &d.PlannedProductionOn, &d.TerminatedReason, &d.Cert5020Doc} {
		*s = strings.TrimSpace(*s)
	}
	d.InvestorUSCC = NormalizeUSCC(d.InvestorUSCC)
	if d.InvestorUSCC != "" && !ValidUSCC(d.InvestorUSCC) {
		probs.Add("investor_uscc", "统一社会信用代码无效（应为18位，校验位不符）。")
	}
	for field, s := range map[string]string{"investor_name": d.InvestorName, "investor_origin": d.InvestorOrigin,
		"chain": d.Chain, "linked_leader": d.LinkedLeader, "contact_person": d.ContactPerson, "contact_phone": d.ContactPhone,
		"cert_5020_doc": d.Cert5020Doc} {
		if utf8.RuneCountInString(s) > 128 {
			probs.Add(field, "不超过128个字。")
		}
	}
	if d.CapitalSource == "" {
		d.CapitalSource = "domestic"
		if p.ForeignCapital {
			d.CapitalSource = "foreign"
		}
	}
	if !slices.ContainsFunc(CapitalSources, func(c Choice) bool { return c.Value == d.CapitalSource }) {
		probs.Add("capital_source", "资金来源无效。")
	}
	p.ForeignCapital = d.CapitalSource != "domestic"
	d.Currency = strings.ToUpper(strings.TrimSpace(d.Currency))
	if d.Currency == "" {
		d.Currency = "CNY"
	}
	if d.ExchangeRate == 0 && d.Currency == "CNY" {
		d.ExchangeRate = DecFromInt(1)
	}
	switch {
	case len(d.Currency) != 3 || strings.Trim(d.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		probs.Add("currency", "币种应为三位字母代码，如 CNY、USD。")
	case d.Currency == "CNY" && d.ExchangeRate != DecFromInt(1):
		probs.Add("exchange_rate", "人民币项目汇率应为1。")
	case d.ExchangeRate <= 0:
		probs.Add("exchange_rate", "请填写汇率（1单位外币折合人民币元）。")
	}
	if d.Currency != "CNY" && d.ContractInvestmentOrig > 0 && d.ExchangeRate > 0 {
		r := new(big.Rat).Mul(big.NewRat(d.ContractInvestmentOrig, 1), d.ExchangeRate.Rat())
		p.ContractInvestment = roundScaled(r, 0).Int64()
	}
	for field, amount := range map[string]int64{"contract_investment_orig": d.ContractInvestmentOrig,
		"registered_capital": d.RegisteredCapital, "expected_revenue": d.ExpectedRevenue, "expected_tax": d.ExpectedTax} {
		CheckAmount(probs, field, amount)
	}
	if d.ProgressPct < 0 || d.ProgressPct > 100 {
		probs.Add("progress_pct", "完成百分比应在0到100之间。")
	}
	for field, s := range map[string]string{"planned_start_on": d.PlannedStartOn, "planned_production_on": d.PlannedProductionOn, "last_note_on": d.LastNoteOn} {
		if s == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			probs.Add(field, "日期格式应为 2026-01-31。")
		}
	}
	if d.PlannedStartOn != "" && d.PlannedProductionOn != "" && d.PlannedProductionOn < d.PlannedStartOn {
		probs.Add("planned_production_on", "计划投产日期不能早于计划开工日期。")
	}
	if p.Stage == "terminated" && d.TerminatedReason == "" {
		probs.Add("terminated_reason", "终止项目必须填写原因。")
	}
	if utf8.RuneCountInString(d.TerminatedReason) > 500 {
		probs.Add("terminated_reason", "不超过500个字。")
	}
}

// ProjectFilter selects and orders a page of projects.
type ProjectFilter struct {
	UnitID           int64
	ParkID           int64
	Stage            string
	MinAmount        int64 // contract investment ≥ this many yuan (a tier)
	IndustrySection  string
	IndustryDivision string
	Tag              string
	SignedFrom       string // inclusive 'YYYY-MM-DD'
	SignedTo         string
	StartedFrom      string
	StartedTo        string
	ProducedFrom     string // in production on or after (the bulletin's 投产 counts)
	ProducedTo       string
	Query            string // code, name or investor
	// Candidate5020, when set, keeps the live projects reaching these 5020 thresholds
	// (the same test as Candidate5020, in SQL).
	Candidate5020 *Thresholds5020
	// RestrictIDs keeps only the projects in IDs (none when IDs is empty): the warning
	// filter, whose rules are evaluated in Go.
	RestrictIDs   bool
	IDs           []int64
	Sort          string // one of ProjectSorts
	Offset, Limit int
}

// ProjectSorts are the list orders with their labels; the first is the default.
var ProjectSorts = []Choice{{"code", "按编码"}, {"signed_desc", "签约日期（新→旧）"}, {"signed_asc", "签约日期（旧→新）"},
	{"amount_desc", "合同投资（大→小）"}, {"started_desc", "开工日期（新→旧）"}, {"updated_desc", "最近修改"}}

// Validate checks the filter's dates, stage and sort.
func (f *ProjectFilter) Validate() error {
	probs := Problems{}
	if f.Stage != "" && !slices.Contains(ProjectStages, f.Stage) {
		probs.Add("stage", "项目阶段无效。")
	}
	if f.Sort != "" && !slices.ContainsFunc(ProjectSorts, func(c Choice) bool { return c.Value == f.Sort }) {
		probs.Add("sort", "排序方式无效。")
	}
	for field, s := range map[string]string{"signed_from": f.SignedFrom, "signed_to": f.SignedTo, "started_from": f.StartedFrom, "started_to": f.StartedTo,
		"produced_from": f.ProducedFrom, "produced_to": f.ProducedTo} {
		if s == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			probs.Add(field, "日期格式应为 2026-01-31。")
		}
	}
	if f.MinAmount < 0 {
		probs.Add("tier", "金额档次无效。")
	}
	return probs.Err()
}

// ProjectStageChange is one entry of a project's stage history.
type ProjectStageChange struct {
	ID        int64
	ProjectID int64
	From, To  string
	OnDate    string
	Reason    string
	ActorName string
	At        time.Time
}

// ProjectLedgerEntry is one month of money in, whole yuan.
type ProjectLedgerEntry struct {
	Month               string // 'YYYY-MM'
	FundsInPlace        int64
	InvestmentCompleted int64
}

// ProjectNote is a dated progress note.
type ProjectNote struct {
	ID        int64
	ProjectID int64
	OnDate    string
	Body      string
	Author    string
	At        time.Time
}

// ValidMonth reports whether s is 'YYYY-MM'.
func ValidMonth(s string) bool {
	_, err := time.Parse("2006-01", s)
	return err == nil && len(s) == 7
}

// Cert5020Choices are the 5020 certification statuses in order, with labels.
var Cert5020Choices = []Choice{{"none", "未申报"}, {"applied", "已申报"}, {"certified", "已认定"}, {"rejected", "未通过"}}
