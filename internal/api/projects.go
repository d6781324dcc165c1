package api

import (
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// projectJSON is a project as the API shows it and as POST and PUT read it. Amounts are
// whole yuan; stage, stage dates, funds in place and the last note date are read-only
// here: they change through /stage, /ledger and /notes.
type projectJSON struct {
	ID                     int64      `json:"id"`
	Code                   string     `json:"code"`
	Name                   string     `json:"name"`
	UnitID                 int64      `json:"unit_id"`
	ParkID                 int64      `json:"park_id"`
	Stage                  string     `json:"stage"`
	IndustrySection        string     `json:"industry_section"`
	IndustryDivision       string     `json:"industry_division"`
	Industrial             bool       `json:"industrial"`
	Chain                  string     `json:"chain"`
	InvestorName           string     `json:"investor_name"`
	InvestorUSCC           string     `json:"investor_uscc"`
	InvestorOrigin         string     `json:"investor_origin"`
	CapitalSource          string     `json:"capital_source"`
	ForeignCapital         bool       `json:"foreign_capital"`
	Tags                   []string   `json:"tags"`
	Currency               string     `json:"currency"`
	ExchangeRate           domain.Dec `json:"exchange_rate"`
	ContractInvestmentOrig int64      `json:"contract_investment_orig"`
	ContractInvestment     int64      `json:"contract_investment"`
	FixedInvestment        int64      `json:"fixed_investment"`
	RegisteredCapital      int64      `json:"registered_capital"`
	ExpectedRevenue        int64      `json:"expected_revenue"`
	ExpectedTax            int64      `json:"expected_tax"`
	FundsInPlace           int64      `json:"funds_in_place"`
	LandMu                 domain.Dec `json:"land_mu"`
	LinkedLeader           string     `json:"linked_leader"`
	ContactPerson          string     `json:"contact_person"`
	ContactPhone           string     `json:"contact_phone"`
	PlannedStartOn         string     `json:"planned_start_on"`
	PlannedProductionOn    string     `json:"planned_production_on"`
	SignedOn               string     `json:"signed_on"`
	RegisteredOn           string     `json:"registered_on"`
	LandSuppliedOn         string     `json:"land_supplied_on"`
	StartedOn              string     `json:"started_on"`
	CompletedOn            string     `json:"completed_on"`
	InProductionOn         string     `json:"in_production_on"`
	TerminatedOn           string     `json:"terminated_on"`
	TerminatedReason       string     `json:"terminated_reason"`
	Cert5020               string     `json:"cert_5020"`
	Cert5020On             string     `json:"cert_5020_on"`
	Cert5020Doc            string     `json:"cert_5020_doc"`
	ProgressPct            int        `json:"progress_pct"`
	LastNoteOn             string     `json:"last_note_on"`
	Version                int64      `json:"version"`
	CreatedAt              time.Time  `json:"created_at"`
	UpdatedAt              time.Time  `json:"updated_at"`
}

func projectOut(p *domain.Project) projectJSON {
	d := p.ProjectDetails
	tags := p.Tags
	if tags == nil {
		tags = []string{}
	}
	return projectJSON{ID: p.ID, Code: p.Code, Name: p.Name, UnitID: p.UnitID, ParkID: p.ParkID, Stage: p.Stage,
		IndustrySection: p.IndustrySection, IndustryDivision: p.IndustryDivision, Industrial: d.Industrial, Chain: d.Chain,
		InvestorName: d.InvestorName, InvestorUSCC: d.InvestorUSCC, InvestorOrigin: d.InvestorOrigin, CapitalSource: d.CapitalSource,
		ForeignCapital: p.ForeignCapital, Tags: tags, Currency: d.Currency, ExchangeRate: d.ExchangeRate,
		ContractInvestmentOrig: d.ContractInvestmentOrig, ContractInvestment: p.ContractInvestment, FixedInvestment: p.FixedInvestment,
		RegisteredCapital: d.RegisteredCapital, ExpectedRevenue: d.ExpectedRevenue, ExpectedTax: d.ExpectedTax,
		FundsInPlace: p.FundsInPlace, LandMu: p.LandMu, LinkedLeader: d.LinkedLeader, ContactPerson: d.ContactPerson,
		ContactPhone: d.ContactPhone, PlannedStartOn: d.PlannedStartOn, PlannedProductionOn: d.PlannedProductionOn,
		SignedOn: p.SignedOn, RegisteredOn: p.RegisteredOn, LandSuppliedOn: p.LandSuppliedOn, StartedOn: p.StartedOn,
		CompletedOn: p.CompletedOn, InProductionOn: p.InProductionOn, TerminatedOn: p.TerminatedOn,
		TerminatedReason: d.TerminatedReason, Cert5020: p.Cert5020, Cert5020On: p.Cert5020On, Cert5020Doc: d.Cert5020Doc,
		ProgressPct: d.ProgressPct, LastNoteOn: d.LastNoteOn, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// projectIn copies the writable fields of j onto p.
func projectIn(j projectJSON, p *domain.Project) {
	p.Code, p.Name, p.UnitID, p.ParkID = j.Code, j.Name, j.UnitID, j.ParkID
	p.IndustrySection, p.IndustryDivision, p.Tags = j.IndustrySection, j.IndustryDivision, j.Tags
	p.ContractInvestment, p.FixedInvestment, p.LandMu = j.ContractInvestment, j.FixedInvestment, j.LandMu
	p.Cert5020, p.Cert5020On = j.Cert5020, j.Cert5020On
	d := &p.ProjectDetails
	d.Industrial, d.Chain, d.InvestorName, d.InvestorUSCC, d.InvestorOrigin = j.Industrial, j.Chain, j.InvestorName, j.InvestorUSCC, j.InvestorOrigin
	d.CapitalSource, d.Currency, d.ExchangeRate, d.ContractInvestmentOrig = j.CapitalSource, j.Currency, j.ExchangeRate, j.ContractInvestmentOrig
	d.RegisteredCapital, d.ExpectedRevenue, d.ExpectedTax = j.RegisteredCapital, j.ExpectedRevenue, j.ExpectedTax
	d.LinkedLeader, d.ContactPerson, d.ContactPhone = j.LinkedLeader, j.ContactPerson, j.ContactPhone
	d.PlannedStartOn, d.PlannedProductionOn, d.Cert5020Doc, d.ProgressPct = j.PlannedStartOn, j.PlannedProductionOn, j.Cert5020Doc, j.ProgressPct
	p.ForeignCapital = d.CapitalSource != "" && d.CapitalSource != "domestic"
}

func projectLocation(id int64) string { return Prefix + "/projects/" + strconv.FormatInt(id, 10) }

func (h *Handler) listProjects(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "unit_id", "park_id", "stage", "min_amount", "industry_section", "industry_division", "tag",
		"signed_from", "signed_to", "started_from", "started_to", "produced_from", "produced_to", "q", "sort", "offset", "limit", "candidate_5020", "warning")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.ProjectFilter{Stage: q.str("stage"), IndustrySection: q.str("industry_section"), IndustryDivision: q.str("industry_division"),
		Tag: q.str("tag"), SignedFrom: q.str("signed_from"), SignedTo: q.str("signed_to"), StartedFrom: q.str("started_from"),
		StartedTo: q.str("started_to"), ProducedFrom: q.str("produced_from"), ProducedTo: q.str("produced_to"), Query: q.str("q"), Sort: q.str("sort")}
	if f.UnitID, err = q.id("unit_id"); err == nil {
		if f.ParkID, err = q.id("park_id"); err == nil {
			if s := q.str("min_amount"); s != "" {
				if f.MinAmount, err = strconv.ParseInt(s, 10, 64); err != nil || f.MinAmount < 0 {
					err = badRequest("查询参数 min_amount 应为不小于 0 的整数（元），收到 %q。", s)
				}
			}
		}
	}
	if err == nil {
		f.Offset, f.Limit, err = q.page()
	}
	if err == nil {
		err = h.projectListExtras(r, q.str("candidate_5020"), q.str("warning"), &f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, total, err := h.store.FindProjects(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[projectJSON]{Items: make([]projectJSON, 0, len(list)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, p := range list {
		out.Items = append(out.Items, projectOut(p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) projectFromPath(r *http.Request) (*domain.Project, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return h.store.FindProjectByID(r.Context(), id)
}

// editableProject loads {id} and applies the record-level policy.
func (h *Handler) editableProject(r *http.Request) (*domain.Project, error) {
	return editableByPathID(r, auth.EditProject, h.store.FindProjectByID, func(p *domain.Project) int64 { return p.UnitID })
}

func (h *Handler) getProject(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.projectFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, projectOut(p))
}

// createProject reads a project; a new project starts as a lead, and an empty code gets
// the next generated one.
func (h *Handler) createProject(w http.ResponseWriter, r *http.Request) {
	in := projectJSON{Industrial: true, Currency: "CNY", CapitalSource: "domestic"}
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if !auth.Can(request.User(r), auth.EditProject, in.UnitID) && in.UnitID != 0 {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	p := &domain.Project{Stage: "lead"}
	projectIn(in, p)
	if err := h.store.CreateProject(r.Context(), request.Actor(r), p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", projectLocation(p.ID))
	writeJSON(w, http.StatusCreated, projectOut(p))
}

// updateProject applies the body over the current record: fields left out keep their
// value; version is required.
func (h *Handler) updateProject(w http.ResponseWriter, r *http.Request) {
	putUnitRecord(h, w, r, auth.EditProject, h.editableProject, func(p *domain.Project) int64 { return p.UnitID }, projectOut,
		func(in projectJSON, p *domain.Project) {
			projectIn(in, p)
			p.Version = in.Version
		}, h.store.UpdateProject)
}

// placement lets putUnitRecord check the unit a body moves the project to, and its version.
func (j *projectJSON) placement() (int64, *int64) { return j.UnitID, &j.Version }

type stageChange struct {
	Stage   string `json:"stage"`
	OnDate  string `json:"on_date"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (h *Handler) transitionProject(w http.ResponseWriter, r *http.Request) {
	versionedWrite(h, w, r, h.editableProject, func(in stageChange) int64 { return in.Version },
		func(p *domain.Project, in stageChange) (*domain.Project, error) {
			return h.store.TransitionProject(r.Context(), request.Actor(r), p.ID, in.Version, in.Stage, in.OnDate, in.Reason)
		}, projectOut)
}

type ledgerJSON struct {
	Month               string `json:"month"`
	FundsInPlace        int64  `json:"funds_in_place"`
	InvestmentCompleted int64  `json:"investment_completed"`
}

func (h *Handler) putProjectLedger(w http.ResponseWriter, r *http.Request) {
	var in struct {
		FundsInPlace        int64 `json:"funds_in_place"`
		InvestmentCompleted int64 `json:"investment_completed"`
	}
	p, err := h.editableProject(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	month := r.PathValue("month")
	after, err := h.store.SetLedger(r.Context(), request.Actor(r), p.ID, month, in.FundsInPlace, in.InvestmentCompleted)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ledger, err := h.store.FindProjectLedger(r.Context(), p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		FundsInPlace int64        `json:"funds_in_place"`
		Ledger       []ledgerJSON `json:"ledger"`
	}{after.FundsInPlace, []ledgerJSON{}}
	for _, e := range ledger {
		out.Ledger = append(out.Ledger, ledgerJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
}

type noteJSON struct {
	ID     int64     `json:"id"`
	OnDate string    `json:"on_date"`
	Body   string    `json:"body"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
}

func (h *Handler) addProjectNote(w http.ResponseWriter, r *http.Request) {
	var in struct {
		OnDate string `json:"on_date"`
		Body   string `json:"body"`
	}
	p, err := h.editableProject(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.store.AddProjectNote(r.Context(), request.Actor(r), p.ID, in.OnDate, in.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, noteJSON{n.ID, n.OnDate, n.Body, n.Author, n.At})
}
