package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// projectFilterOf reads the list filter from the query; unknown values are ignored, as
// for units, since they come from links and bookmarks.
func projectFilterOf(r *http.Request) domain.ProjectFilter {
	q := r.URL.Query()
	id := func(k string) int64 {
		n, _ := strconv.ParseInt(q.Get(k), 10, 64)
		return max(n, 0)
	}
	date := func(k string) string {
		if _, err := time.Parse(time.DateOnly, q.Get(k)); err == nil {
			return q.Get(k)
		}
		return ""
	}
	f := domain.ProjectFilter{UnitID: id("unit"), ParkID: id("park"), Tag: strings.TrimSpace(q.Get("tag")),
		IndustrySection: strings.ToUpper(strings.TrimSpace(q.Get("section"))), IndustryDivision: strings.TrimSpace(q.Get("division")),
		SignedFrom: date("signed_from"), SignedTo: date("signed_to"), StartedFrom: date("started_from"), StartedTo: date("started_to"),
		ProducedFrom: date("produced_from"), ProducedTo: date("produced_to"),
		Query: strings.TrimSpace(q.Get("q"))}
	if s := q.Get("stage"); slices.Contains(domain.ProjectStages, s) {
		f.Stage = s
	}
	if t, err := strconv.Atoi(q.Get("tier")); err == nil && t >= 1 && t <= len(domain.DefaultTiers) {
		f.MinAmount = domain.DefaultTiers[t-1].Min
	}
	if s := q.Get("sort"); slices.ContainsFunc(domain.ProjectSorts, func(c domain.Choice) bool { return c.Value == s }) {
		f.Sort = s
	}
	return f
}

// projectRow is one list line as shown and exported.
type projectRow struct {
	*domain.Project
	UnitName, StageLabel, Yi, Tier string
	Industry                       string // "30 非金属矿物制品业"
}

func (h *Handler) projectRows(list []*domain.Project, names map[int64]string) []projectRow {
	rows := make([]projectRow, len(list))
	for i, p := range list {
		rows[i] = projectRow{p, names[p.UnitID], domain.ProjectStageLabels[p.Stage], domain.YiYuan(p.ContractInvestment),
			domain.TierOf(domain.DefaultTiers, p.ContractInvestment), domain.DivisionLabel(p.IndustryDivision)}
	}
	return rows
}

func (h *Handler) projects(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	f := projectFilterOf(r)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	extras, err := h.applyListExtras(r, &f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	list, total, err := h.Store.FindProjects(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names := map[int64]string{}
	var parks []*domain.Unit
	for _, u := range units {
		names[u.ID] = u.Name
		if u.Kind == domain.UnitPark {
			parks = append(parks, u)
		}
	}
	tags, err := h.Store.ProjectTags(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	tier := r.URL.Query().Get("tier")
	h.render(w, r, 0, "projects", view{Title: "项目", Nav: "projects", Data: struct {
		Rows    []projectRow
		Page    page
		Filter  domain.ProjectFilter
		Tier    string
		Units   []*domain.Unit
		Parks   []*domain.Unit
		Stages  []domain.Choice
		Tiers   []domain.Tier
		Tags    []string
		Sorts   []domain.Choice
		CanEdit bool
		Extras  listExtras
	}{h.projectRows(list, names), pg, f, tier, units, parks, stageChoices(domain.ProjectStages), domain.DefaultTiers,
		domain.TagNames(tags, true), domain.ProjectSorts, auth.CanAtAll(request.User(r), auth.EditProject), extras}})
}

func stageChoices(stages []string) []domain.Choice {
	out := make([]domain.Choice, len(stages))
	for i, s := range stages {
		out[i] = domain.Choice{Value: s, Label: domain.ProjectStageLabels[s]}
	}
	return out
}

// exportProjects writes exactly the filtered list, read page by page.
func (h *Handler) exportProjects(w http.ResponseWriter, r *http.Request) {
	f := projectFilterOf(r)
	if _, err := h.applyListExtras(r, &f); err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "项目", Title: "招商项目",
		Headers: []string{"项目编码", "项目名称", "责任单位", "阶段", "合同投资（亿元）", "档次", "签约日期", "开工日期", "投资方", "到位资金（亿元）", "行业"},
		Widths:  []float64{14, 30, 16, 8, 14, 12, 12, 12, 24, 14, 24}}
	err = eachBatch(func(offset, limit int) ([]*domain.Project, error) {
		f.Offset, f.Limit = offset, limit
		list, _, err := h.Store.FindProjects(r.Context(), f)
		return list, err
	}, func(list []*domain.Project) error {
		for _, p := range h.projectRows(list, names) {
			t.Rows = append(t.Rows, []any{p.Code, p.Name, p.UnitName, p.StageLabel, p.Yi, p.Tier, p.SignedOn, p.StartedOn,
				p.InvestorName, domain.YiYuan(p.FundsInPlace), p.Industry})
		}
		return nil
	})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	writeXLSX(w, "projects.xlsx", t, h)
}

// projectForm holds the project form as typed; money is in 万元.
type projectForm struct {
	ID                                                                   int64
	Code, Name, UnitID, ParkID, IndustrySection, IndustryDivision        string
	InvestorName, InvestorUSCC, InvestorOrigin, CapitalSource, Chain     string
	Industrial                                                           bool
	Currency, ExchangeRate, ContractOrig, Contract, Fixed, RegisteredCap string
	LandMu, ExpectedRevenue, ExpectedTax, LinkedLeader                   string
	ContactPerson, ContactPhone, PlannedStartOn, PlannedProductionOn     string
	Cert5020, Cert5020On, Cert5020Doc, ProgressPct, Version              string
	Tags                                                                 []string
}

func formOfProject(p *domain.Project) projectForm {
	d := p.ProjectDetails
	f := projectForm{ID: p.ID, Code: p.Code, Name: p.Name, UnitID: strconv.FormatInt(p.UnitID, 10),
		IndustrySection: p.IndustrySection, IndustryDivision: p.IndustryDivision, InvestorName: d.InvestorName,
		InvestorUSCC: d.InvestorUSCC, InvestorOrigin: d.InvestorOrigin, CapitalSource: d.CapitalSource, Chain: d.Chain,
		Industrial: d.Industrial, Currency: d.Currency, ExchangeRate: d.ExchangeRate.String(),
		Contract: domain.YuanToWan(p.ContractInvestment), Fixed: domain.YuanToWan(p.FixedInvestment),
		RegisteredCap: domain.YuanToWan(d.RegisteredCapital), LandMu: p.LandMu.String(),
		ExpectedRevenue: domain.YuanToWan(d.ExpectedRevenue), ExpectedTax: domain.YuanToWan(d.ExpectedTax),
		LinkedLeader: d.LinkedLeader, ContactPerson: d.ContactPerson, ContactPhone: d.ContactPhone,
		PlannedStartOn: d.PlannedStartOn, PlannedProductionOn: d.PlannedProductionOn, Cert5020: p.Cert5020,
		Cert5020On: p.Cert5020On, Cert5020Doc: d.Cert5020Doc, ProgressPct: strconv.Itoa(d.ProgressPct),
		Version: strconv.FormatInt(p.Version, 10), Tags: p.Tags}
	if p.ParkID != 0 {
		f.ParkID = strconv.FormatInt(p.ParkID, 10)
	}
	if d.ContractInvestmentOrig != 0 {
		f.ContractOrig = domain.YuanToWan(d.ContractInvestmentOrig)
	}
	return f
}

// formWan reads an optional amount in 万元 as whole yuan, half up.
func formWan(r *http.Request, field, label string, p domain.Problems) int64 {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return 0
	}
	d, err := domain.ParseDec(v)
	if err != nil {
		p.Add(field, label+"应为数字（万元），最多四位小数。")
		return 0
	}
	return domain.WanToYuan(d)
}

func formDec(r *http.Request, field, label string, p domain.Problems) domain.Dec {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return 0
	}
	d, err := domain.ParseDec(v)
	if err != nil {
		p.Add(field, label+"应为数字，最多四位小数。")
	}
	return d
}

func readProjectForm(r *http.Request) (projectForm, *domain.Project, domain.Problems) {
	v := func(k string) string { return r.PostFormValue(k) }
	f := projectForm{Code: v("code"), Name: v("name"), UnitID: v("unit_id"), ParkID: v("park_id"),
		IndustrySection: v("industry_section"), IndustryDivision: v("industry_division"), InvestorName: v("investor_name"),
		InvestorUSCC: v("investor_uscc"), InvestorOrigin: v("investor_origin"), CapitalSource: v("capital_source"),
		Chain: v("chain"), Industrial: v("industrial") == "1", Currency: v("currency"), ExchangeRate: v("exchange_rate"),
		ContractOrig: v("contract_investment_orig"), Contract: v("contract_investment"), Fixed: v("fixed_investment"),
		RegisteredCap: v("registered_capital"), LandMu: v("land_mu"), ExpectedRevenue: v("expected_revenue"),
		ExpectedTax: v("expected_tax"), LinkedLeader: v("linked_leader"), ContactPerson: v("contact_person"),
		ContactPhone: v("contact_phone"), PlannedStartOn: v("planned_start_on"), PlannedProductionOn: v("planned_production_on"),
		Cert5020: v("cert_5020"), Cert5020On: v("cert_5020_on"), Cert5020Doc: v("cert_5020_doc"), ProgressPct: v("progress_pct"),
		Version: v("version"), Tags: r.PostForm["tags"]}
	p := domain.Problems{}
	pr := &domain.Project{Code: f.Code, Name: f.Name, IndustrySection: strings.ToUpper(strings.TrimSpace(f.IndustrySection)),
		IndustryDivision: strings.TrimSpace(f.IndustryDivision), Cert5020: f.Cert5020, Cert5020On: strings.TrimSpace(f.Cert5020On),
		Tags: f.Tags, Stage: "lead"}
	pr.UnitID = formInt(r, "unit_id", "责任单位", p)
	pr.ParkID = formInt(r, "park_id", "园区", p)
	pr.ContractInvestment = formWan(r, "contract_investment", "合同投资", p)
	pr.FixedInvestment = formWan(r, "fixed_investment", "固定资产投资", p)
	pr.LandMu = formDec(r, "land_mu", "用地", p)
	pr.Version = formInt(r, "version", "版本", p)
	d := &pr.ProjectDetails
	d.InvestorName, d.InvestorUSCC, d.InvestorOrigin, d.CapitalSource = f.InvestorName, f.InvestorUSCC, f.InvestorOrigin, f.CapitalSource
	d.Industrial, d.Chain, d.Currency = f.Industrial, f.Chain, f.Currency
	d.ExchangeRate = formDec(r, "exchange_rate", "汇率", p)
	d.ContractInvestmentOrig = formWan(r, "contract_investment_orig", "原币合同投资", p)
	d.RegisteredCapital = formWan(r, "registered_capital", "注册资本", p)
	d.ExpectedRevenue = formWan(r, "expected_revenue", "预计年营业收入", p)
	d.ExpectedTax = formWan(r, "expected_tax", "预计年税收", p)
	d.LinkedLeader, d.ContactPerson, d.ContactPhone = f.LinkedLeader, f.ContactPerson, f.ContactPhone
	d.PlannedStartOn, d.PlannedProductionOn, d.Cert5020Doc = f.PlannedStartOn, f.PlannedProductionOn, f.Cert5020Doc
	d.ProgressPct = int(formInt(r, "progress_pct", "完成百分比", p))
	return f, pr, p
}

type projectFormData struct {
	Form           projectForm
	Problems       map[string]string
	Conflict       bool
	Units, Parks   []*domain.Unit
	CapitalSources []domain.Choice
	Certs          []domain.Choice
	Tags           []string
	Divisions      []divisionGroup
}

// editableUnits are the units a user may choose as the owner of a record the action
// writes (a project's responsible unit, an enterprise's unit): a reporter only their
// own, a coordinator any.
func (h *Handler) editableUnits(r *http.Request, action auth.Action) (units, parks []*domain.Unit, err error) {
	all, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	user := request.User(r)
	for _, u := range all {
		if u.Kind == domain.UnitPark {
			parks = append(parks, u)
		}
		if u.Active && auth.Can(user, action, u.ID) {
			units = append(units, u)
		}
	}
	return units, parks, nil
}

func (h *Handler) renderProjectForm(w http.ResponseWriter, r *http.Request, status int, f projectForm, err error) {
	units, parks, uerr := h.editableUnits(r, auth.EditProject)
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	tags, uerr := h.Store.ProjectTags(r.Context())
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	d := projectFormData{Form: f, Units: units, Parks: parks, CapitalSources: domain.CapitalSources,
		Certs: domain.Cert5020Choices, Divisions: divisionGroups(),
		Tags: tagChoices(tags, f.Tags), Problems: domain.ErrorFields(err), Conflict: domain.ErrorCode(err) == domain.ECONFLICT}
	title := "新建项目"
	if f.ID != 0 {
		title = "编辑项目"
	}
	v := view{Title: title, Nav: "projects", Data: d}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "project_form", v)
}

// editableProject loads {id} and applies the record-level policy.
func (h *Handler) editableProject(w http.ResponseWriter, r *http.Request) (*domain.Project, bool) {
	return editableByPathID(h, w, r, auth.EditProject, h.Store.FindProjectByID, projectUnit)
}

// projectUnit is the unit that owns a project: the one its permissions are checked against.
func projectUnit(p *domain.Project) int64 { return p.UnitID }

// postedProjectForm reads a posted project form, refusing a unit the user may not edit.
func (h *Handler) postedProjectForm(w http.ResponseWriter, r *http.Request) (projectForm, *domain.Project, domain.Problems, bool) {
	return postedUnitForm(h, w, r, auth.EditProject, readProjectForm, projectUnit)
}

func (h *Handler) newProject(w http.ResponseWriter, r *http.Request) {
	f := projectForm{Industrial: true, Currency: "CNY", ExchangeRate: "1", CapitalSource: "domestic", Cert5020: "none", ProgressPct: "0"}
	if u := request.User(r); !u.HasRole(domain.RoleCoordinator) {
		f.UnitID = strconv.FormatInt(u.UnitID, 10)
	}
	h.renderProjectForm(w, r, 0, f, nil)
}

func (h *Handler) createProject(w http.ResponseWriter, r *http.Request) {
	f, p, probs, ok := h.postedProjectForm(w, r)
	if !ok {
		return
	}
	err := probs.Err()
	if err == nil {
		err = h.Store.CreateProject(r.Context(), request.Actor(r), p)
	}
	if err != nil {
		h.renderProjectForm(w, r, api.Status(domain.ErrorCode(err)), f, err)
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10), "已创建项目“"+p.Name+"”（"+p.Code+"）。")
}

func (h *Handler) editProject(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	h.renderProjectForm(w, r, 0, formOfProject(p), nil)
}

func (h *Handler) updateProject(w http.ResponseWriter, r *http.Request) {
	old, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	f, p, probs, ok := h.postedProjectForm(w, r)
	if !ok {
		return
	}
	f.ID, p.ID = old.ID, old.ID
	p.Stage, p.ProjectDetails.TerminatedReason = old.Stage, old.TerminatedReason // the lifecycle keeps these
	if strings.TrimSpace(p.Code) == "" {
		p.Code = old.Code // codes are generated once and then kept
	}
	err := probs.Err()
	if err == nil {
		err = h.Store.UpdateProject(r.Context(), request.Actor(r), p)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderProjectForm(w, r, status, f, err) },
		"/projects/"+strconv.FormatInt(p.ID, 10), "已保存项目“"+p.Name+"”。")
}

// projectPage is the detail page with its three small forms; a refused form comes back
// with its message and input.
type projectPage struct {
	Project                      *domain.Project
	UnitName, ParkName           string
	StageLabel, Yi, Tier         string
	CapitalLabel, CertLabel      string
	Money                        []moneyLine
	History                      []historyLine
	Ledger                       []ledgerLine
	Notes                        []*domain.ProjectNote
	Next                         []domain.Choice
	CanEdit                      bool
	Today                        string
	StageErr, LedgerErr, NoteErr string
	StageForm, LedgerForm        url.Values
	NoteForm                     url.Values
	Conflict                     bool
	Attachments                  attachmentSection
	Insights                     projectInsights
}

type moneyLine struct{ Label, Wan string }

type historyLine struct {
	From, To, OnDate, Reason, Actor string
	At                              string
}

type ledgerLine struct{ Month, Funds, Completed string }

func (h *Handler) project(w http.ResponseWriter, r *http.Request) {
	p, ok := byPathID(h, w, r, h.Store.FindProjectByID)
	if !ok {
		return
	}
	h.renderProject(w, r, 0, p, projectPage{})
}

func (h *Handler) renderProject(w http.ResponseWriter, r *http.Request, status int, p *domain.Project, d projectPage) {
	ctx := r.Context()
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	hist, err := h.Store.FindProjectHistory(ctx, p.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	ledger, err := h.Store.FindProjectLedger(ctx, p.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	notes, err := h.Store.FindProjectNotes(ctx, p.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Project, d.UnitName, d.ParkName = p, names[p.UnitID], names[p.ParkID]
	d.StageLabel, d.Yi, d.Tier = domain.ProjectStageLabels[p.Stage], domain.YiYuan(p.ContractInvestment), domain.TierOf(domain.DefaultTiers, p.ContractInvestment)
	for _, c := range domain.CapitalSources {
		if c.Value == p.CapitalSource {
			d.CapitalLabel = c.Label
		}
	}
	d.CertLabel = domain.Cert5020Labels[p.Cert5020]
	d.Money = []moneyLine{{"合同投资", domain.YuanToWan(p.ContractInvestment)}, {"计划固定资产投资", domain.YuanToWan(p.FixedInvestment)},
		{"到位资金（台账合计）", domain.YuanToWan(p.FundsInPlace)}, {"注册资本", optionalWan(p.RegisteredCapital)},
		{"达产后预计年营业收入", optionalWan(p.ExpectedRevenue)}, {"达产后预计年税收", optionalWan(p.ExpectedTax)}}
	for _, c := range hist {
		d.History = append(d.History, historyLine{domain.ProjectStageLabels[c.From], domain.ProjectStageLabels[c.To], c.OnDate,
			c.Reason, c.ActorName, c.At.In(chinaTime).Format("2006-01-02 15:04")})
	}
	for _, e := range ledger {
		d.Ledger = append(d.Ledger, ledgerLine{e.Month, domain.YuanToWan(e.FundsInPlace), domain.YuanToWan(e.InvestmentCompleted)})
	}
	d.Notes = notes
	if d.Attachments, err = h.attachmentsOf(r, p, d.Attachments); err != nil {
		h.Error(w, r, err)
		return
	}
	if d.Insights, err = h.insightsOf(ctx, p); err != nil {
		h.Error(w, r, err)
		return
	}
	d.Next = stageChoices(p.NextStages())
	d.CanEdit = auth.Can(request.User(r), auth.EditProject, p.UnitID)
	d.Today = h.Store.Now().In(chinaTime).Format("2006-01-02")
	h.render(w, r, status, "project", view{Title: p.Name, Nav: "projects", Data: d})
}

func (h *Handler) transitionProject(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	version := formInt(r, "version", "版本", probs)
	err := probs.Err()
	if err == nil {
		_, err = h.Store.TransitionProject(r.Context(), request.Actor(r), p.ID, version, r.PostFormValue("to"),
			r.PostFormValue("on_date"), r.PostFormValue("reason"))
	}
	if err != nil {
		h.refusedOnProject(w, r, p, err, func(d *projectPage, msg string) { d.StageErr, d.StageForm = msg, r.PostForm })
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10), "已更新项目阶段。")
}

// refusedOnProject shows the detail page again with the refused form's message.
func (h *Handler) refusedOnProject(w http.ResponseWriter, r *http.Request, p *domain.Project, err error, set func(*projectPage, string)) {
	code := domain.ErrorCode(err)
	if code != domain.EINVALID && code != domain.ECONFLICT {
		h.Error(w, r, err)
		return
	}
	msg := domain.ErrorMessage(err)
	for _, m := range domain.ErrorFields(err) {
		msg += " " + m
	}
	d := projectPage{Conflict: code == domain.ECONFLICT}
	set(&d, msg)
	h.renderProject(w, r, api.Status(code), p, d)
}

func (h *Handler) setProjectLedger(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	funds := formWan(r, "funds_in_place", "到位资金", probs)
	completed := formWan(r, "investment_completed", "完成投资", probs)
	err := probs.Err()
	if err == nil {
		_, err = h.Store.SetLedger(r.Context(), request.Actor(r), p.ID, strings.TrimSpace(r.PostFormValue("month")), funds, completed)
	}
	if err != nil {
		h.refusedOnProject(w, r, p, err, func(d *projectPage, msg string) { d.LedgerErr, d.LedgerForm = msg, r.PostForm })
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#ledger", "已保存 "+r.PostFormValue("month")+" 的资金台账。")
}

func (h *Handler) addProjectNote(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	if _, err := h.Store.AddProjectNote(r.Context(), request.Actor(r), p.ID, r.PostFormValue("on_date"), r.PostFormValue("body")); err != nil {
		h.refusedOnProject(w, r, p, err, func(d *projectPage, msg string) { d.NoteErr, d.NoteForm = msg, r.PostForm })
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#notes", "已添加进展情况。")
}

// tagChoices offers the active tags of the list and any other tag the project already
// carries (a retired one), so saving the form keeps it.
func tagChoices(list []domain.ProjectTag, have []string) []string {
	out := domain.TagNames(list, false)
	for _, t := range have {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// optionalWan shows an amount the form may leave empty: 0 is "not filled in" ("—").
func optionalWan(yuan int64) string {
	if yuan == 0 {
		return domain.NoValue
	}
	return domain.YuanToWan(yuan)
}
