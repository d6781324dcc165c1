package domain

import (
	"slices"
	"strings"
	"time"
)

// Project is an investment project: for now the core that derived indicators count and
// sum. The project pipeline module adds the investor, ledger, notes and attachments.
type Project struct {
	ID                 int64
	Code               string
	Name               string
	UnitID             int64
	ParkID             int64
	Stage              string // one of ProjectStages
	IndustrySection    string // GB/T 4754 section letter, e.g. C
	IndustryDivision   string // two-digit division, e.g. 30
	ForeignCapital     bool
	ContractInvestment int64 // whole yuan
	FixedInvestment    int64 // whole yuan
	FundsInPlace       int64 // whole yuan
	LandMu             Dec
	// Stage dates, 'YYYY-MM-DD' or "" when not reached.
	SignedOn, RegisteredOn, LandSuppliedOn, StartedOn string
	CompletedOn, InProductionOn, TerminatedOn         string
	Cert5020                                          string // none, applied, certified, rejected
	Cert5020On                                        string
	Tags                                              []string
	Version                                           int64
	ProjectDetails
	CreatedAt, UpdatedAt time.Time
}

// Validate checks the core fields.
func (p *Project) Validate() error {
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	probs := Problems{}
	if p.Code == "" || len(p.Code) > 32 {
		probs.Add("code", "请填写项目编码（不超过32位）。")
	}
	if n := len([]rune(p.Name)); n == 0 || n > 128 {
		probs.Add("name", "请填写项目名称（不超过128个字）。")
	}
	if p.UnitID <= 0 {
		probs.Add("unit_id", "请选择责任单位。")
	}
	if !slices.Contains(ProjectStages, p.Stage) {
		probs.Add("stage", "请选择项目阶段。")
	}
	if p.Cert5020 == "" {
		p.Cert5020 = "none"
	}
	if !slices.Contains([]string{"none", "applied", "certified", "rejected"}, p.Cert5020) {
		probs.Add("cert_5020", "5020认定状态无效。")
	}
	for field, amount := range map[string]int64{"contract_investment": p.ContractInvestment, "fixed_investment": p.FixedInvestment, "funds_in_place": p.FundsInPlace} {
		CheckAmount(probs, field, amount)
	}
	for field, d := range map[string]string{"signed_on": p.SignedOn, "registered_on": p.RegisteredOn, "land_supplied_on": p.LandSuppliedOn,
		"started_on": p.StartedOn, "completed_on": p.CompletedOn, "in_production_on": p.InProductionOn,
		"terminated_on": p.TerminatedOn, "cert_5020_on": p.Cert5020On} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			probs.Add(field, "日期格式应为 2026-01-31。")
		}
	}
	if p.StartedOn != "" && p.SignedOn != "" && p.StartedOn < p.SignedOn {
		probs.Add("started_on", "开工日期不能早于签约日期。")
	}
	p.normalizeIndustry(probs)
	p.validateDetails(probs)
	return probs.Err()
}
