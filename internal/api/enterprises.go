package api

import (
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// enterpriseJSON is an enterprise as the API shows it and as POST and PUT read it.
// status and above_scale are read-only here: they change through /status and the
// /scale entries and exits.
type enterpriseJSON struct {
	ID               int64     `json:"id"`
	USCC             string    `json:"uscc"`
	Name             string    `json:"name"`
	UnitID           int64     `json:"unit_id"`
	ParkID           int64     `json:"park_id"`
	IndustrySection  string    `json:"industry_section"`
	IndustryDivision string    `json:"industry_division"`
	Chain            string    `json:"chain"`
	Address          string    `json:"address"`
	ContactPerson    string    `json:"contact_person"`
	ContactPhone     string    `json:"contact_phone"`
	Status           string    `json:"status"`
	StatusOn         string    `json:"status_on"`
	StatusReason     string    `json:"status_reason"`
	AboveScale       bool      `json:"above_scale"`
	Version          int64     `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func enterpriseOut(e *domain.Enterprise) enterpriseJSON {
	return enterpriseJSON{e.ID, e.USCC, e.Name, e.UnitID, e.ParkID, e.IndustrySection, e.IndustryDivision, e.Chain,
		e.Address, e.ContactPerson, e.ContactPhone, e.Status, e.StatusOn, e.StatusReason, e.AboveScale, e.Version,
		e.CreatedAt, e.UpdatedAt}
}

// enterpriseIn copies the writable fields of j onto e.
func enterpriseIn(j enterpriseJSON, e *domain.Enterprise) {
	e.USCC, e.Name, e.UnitID, e.ParkID, e.IndustryDivision = j.USCC, j.Name, j.UnitID, j.ParkID, j.IndustryDivision
	e.Chain, e.Address, e.ContactPerson, e.ContactPhone = j.Chain, j.Address, j.ContactPerson, j.ContactPhone
}

func (h *Handler) listEnterprises(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "unit_id", "park_id", "industry_division", "above_scale", "status", "honour", "candidate",
		"figures_year", "q", "sort", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.EnterpriseFilter{IndustryDivision: q.str("industry_division"), AboveScale: q.str("above_scale"),
		Status: q.str("status"), Honour: q.str("honour"), Query: q.str("q"), Sort: q.str("sort"),
		FiguresYear: h.store.Now().In(chinaTime).Year() - 1}
	if f.UnitID, err = q.id("unit_id"); err == nil {
		f.ParkID, err = q.id("park_id")
	}
	if s := q.str("figures_year"); err == nil && s != "" {
		if f.FiguresYear, err = strconv.Atoi(s); err != nil || !domain.ValidYear(f.FiguresYear) {
			err = badRequest("查询参数 figures_year 应为 2000 至 2100 之间的年份，收到 %q。", s)
		}
	}
	switch s := q.str("candidate"); {
	case err != nil, s == "", s == "false":
	case s == "true":
		f.Candidate = true
		f.Rules, err = h.store.EnterpriseRules(r.Context())
	default:
		err = badRequest("查询参数 candidate 应为 true 或 false，收到 %q。", s)
	}
	if err == nil {
		f.Offset, f.Limit, err = q.page()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, total, err := h.store.FindEnterprises(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[enterpriseJSON]{Items: make([]enterpriseJSON, 0, len(list)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, e := range list {
		out.Items = append(out.Items, enterpriseOut(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// editableEnterprise loads {id} and applies the record-level policy.
func (h *Handler) editableEnterprise(r *http.Request) (*domain.Enterprise, error) {
	return editableByPathID(r, auth.EditEnterprise, h.store.FindEnterpriseByID, func(e *domain.Enterprise) int64 { return e.UnitID })
}

// enterpriseDetail is one enterprise with its spells, figures and honours.
type enterpriseDetail struct {
	enterpriseJSON
	DivisionWarning string        `json:"division_warning"`
	Spells          []spellJSON   `json:"above_scale_spells"`
	Figures         []figuresJSON `json:"figures"`
	Honours         []honourJSON  `json:"honours"`
}

type spellJSON struct {
	EntryMonth string `json:"entry_month"`
	EntryType  string `json:"entry_type"`
	BatchYear  int    `json:"batch_year"`
	ExitMonth  string `json:"exit_month"`
	ExitReason string `json:"exit_reason"`
}

type figuresJSON struct {
	Year        int        `json:"year"`
	Revenue     int64      `json:"revenue"`
	Tax         int64      `json:"tax"`
	ValueAdded  int64      `json:"value_added"`
	Employees   int64      `json:"employees"`
	LandMu      domain.Dec `json:"land_mu"`
	EnergyTce   domain.Dec `json:"energy_tce"`
	Electricity domain.Dec `json:"electricity"`
	Emissions   domain.Dec `json:"emissions"`
	RDSpending  int64      `json:"rd_spending"`
}

// honourJSON is an honour as read and as written; the withdrawal fields are read only
// (a withdrawal is its own call).
type honourJSON struct {
	ID             int64      `json:"id"`
	Type           string     `json:"type"`
	Level          string     `json:"level"`
	Batch          string     `json:"batch"`
	Year           int        `json:"year"`
	ValidUntil     string     `json:"valid_until"`
	DocNo          string     `json:"doc_no"`
	Version        int64      `json:"version"`
	Withdrawn      bool       `json:"withdrawn"`
	WithdrawnAt    *time.Time `json:"withdrawn_at"`
	WithdrawnBy    string     `json:"withdrawn_by"`
	WithdrawReason string     `json:"withdraw_reason"`
}

func honourOut(x *domain.Honour) honourJSON {
	return honourJSON{x.ID, x.Type, x.Level, x.Batch, x.Year, x.ValidUntil, x.DocNo, x.Version, x.Withdrawn(),
		x.WithdrawnAt, x.WithdrawnBy, x.WithdrawReason}
}

// honourIn is the honour a body describes, for the enterprise.
func honourIn(in honourJSON, enterpriseID int64) *domain.Honour {
	return &domain.Honour{EnterpriseID: enterpriseID, Type: in.Type, Level: in.Level, Batch: in.Batch, Year: in.Year,
		ValidUntil: in.ValidUntil, DocNo: in.DocNo}
}

func (h *Handler) getEnterprise(w http.ResponseWriter, r *http.Request) {
	e, err := byPathID(r, h.store.FindEnterpriseByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	out := enterpriseDetail{enterpriseJSON: enterpriseOut(e), Spells: []spellJSON{}, Figures: []figuresJSON{}, Honours: []honourJSON{}}
	unit, err := h.store.FindUnitByID(ctx, e.UnitID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out.DivisionWarning = e.DivisionWarning(unit.Code)
	spells, err := h.store.FindScaleSpells(ctx, e.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range spells {
		out.Spells = append(out.Spells, spellJSON{s.EntryMonth, s.EntryType, s.BatchYear, s.ExitMonth, s.ExitReason})
	}
	figures, err := h.store.FindEnterpriseFigures(ctx, e.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range figures {
		out.Figures = append(out.Figures, figuresJSON{f.Year, f.Revenue, f.Tax, f.ValueAdded, f.Employees, f.LandMu,
			f.EnergyTce, f.Electricity, f.Emissions, f.RDSpending})
	}
	honours, err := h.store.FindHonours(ctx, e.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, x := range honours {
		out.Honours = append(out.Honours, honourOut(x))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) createEnterprise(w http.ResponseWriter, r *http.Request) {
	var in enterpriseJSON
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.UnitID != 0 && !auth.Can(request.User(r), auth.EditEnterprise, in.UnitID) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	e := &domain.Enterprise{}
	enterpriseIn(in, e)
	if err := h.store.CreateEnterprise(r.Context(), request.Actor(r), e); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/enterprises/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, enterpriseOut(e))
}

// updateEnterprise applies the body over the current record: fields left out keep their
// value; version is required.
func (h *Handler) updateEnterprise(w http.ResponseWriter, r *http.Request) {
	putUnitRecord(h, w, r, auth.EditEnterprise, h.editableEnterprise, func(e *domain.Enterprise) int64 { return e.UnitID }, enterpriseOut,
		func(in enterpriseJSON, e *domain.Enterprise) {
			enterpriseIn(in, e)
			e.Version = in.Version
		}, h.store.UpdateEnterprise)
}

// placement lets putUnitRecord check the unit a body moves the enterprise to, and its version.
func (j *enterpriseJSON) placement() (int64, *int64) { return j.UnitID, &j.Version }

// enterpriseWrite runs a versioned change of one enterprise the user may edit.
func enterpriseWrite[T any](h *Handler, w http.ResponseWriter, r *http.Request, version func(T) int64,
	write func(e *domain.Enterprise, in T) (*domain.Enterprise, error)) {
	versionedWrite(h, w, r, h.editableEnterprise, version, write, enterpriseOut)
}

type statusChange struct {
	Status  string `json:"status"`
	On      string `json:"on"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (h *Handler) setEnterpriseStatus(w http.ResponseWriter, r *http.Request) {
	enterpriseWrite(h, w, r, func(in statusChange) int64 { return in.Version },
		func(e *domain.Enterprise, in statusChange) (*domain.Enterprise, error) {
			return h.store.SetEnterpriseStatus(r.Context(), request.Actor(r), e.ID, in.Version, in.Status, in.On, in.Reason)
		})
}

type scaleEntry struct {
	EntryType  string `json:"entry_type"`
	EntryMonth string `json:"entry_month"`
	BatchYear  int    `json:"batch_year"`
	Version    int64  `json:"version"`
}

func (h *Handler) recordScaleEntry(w http.ResponseWriter, r *http.Request) {
	enterpriseWrite(h, w, r, func(in scaleEntry) int64 { return in.Version },
		func(e *domain.Enterprise, in scaleEntry) (*domain.Enterprise, error) {
			return h.store.RecordScaleEntry(r.Context(), request.Actor(r), e.ID, in.Version, in.EntryType, in.EntryMonth, in.BatchYear)
		})
}

type scaleExit struct {
	ExitMonth  string `json:"exit_month"`
	ExitReason string `json:"exit_reason"`
	Version    int64  `json:"version"`
}

func (h *Handler) recordScaleExit(w http.ResponseWriter, r *http.Request) {
	enterpriseWrite(h, w, r, func(in scaleExit) int64 { return in.Version },
		func(e *domain.Enterprise, in scaleExit) (*domain.Enterprise, error) {
			return h.store.RecordScaleExit(r.Context(), request.Actor(r), e.ID, in.Version, in.ExitMonth, in.ExitReason)
		})
}

// putEnterpriseFigures stores the year in the path; amounts are whole yuan.
func (h *Handler) putEnterpriseFigures(w http.ResponseWriter, r *http.Request) {
	var in figuresJSON
	e, err := h.editableEnterprise(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err == nil {
		if in.Year, err = strconv.Atoi(r.PathValue("year")); err != nil {
			err = badRequest("路径中的年度应为整数，收到 %q。", r.PathValue("year"))
		}
	}
	if err == nil {
		err = h.store.SetEnterpriseFigures(r.Context(), request.Actor(r), &domain.EnterpriseFigures{EnterpriseID: e.ID,
			Year: in.Year, Revenue: in.Revenue, Tax: in.Tax, ValueAdded: in.ValueAdded, Employees: in.Employees,
			LandMu: in.LandMu, EnergyTce: in.EnergyTce, Electricity: in.Electricity, Emissions: in.Emissions, RDSpending: in.RDSpending})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

func (h *Handler) addEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	var in honourJSON
	e, err := h.editableEnterprise(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	var x *domain.Honour
	if err == nil {
		x = honourIn(in, e.ID)
		err = h.store.AddHonour(r.Context(), request.Actor(r), x)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, honourOut(x))
}

// editableHonour loads honour {hid} of enterprise {id}, under the enterprise's policy.
func (h *Handler) editableHonour(r *http.Request) (*domain.Honour, error) {
	e, err := h.editableEnterprise(r)
	if err != nil {
		return nil, err
	}
	hid, err := strconv.ParseInt(r.PathValue("hid"), 10, 64)
	if err != nil || hid <= 0 {
		return nil, badRequest("路径中的 hid 应为正整数，收到 %q。", r.PathValue("hid"))
	}
	return h.store.FindHonour(r.Context(), e.ID, hid)
}

// putEnterpriseHonour corrects an honour: the body is the whole honour, as when it was
// added, with the version read.
func (h *Handler) putEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	versionedWrite(h, w, r, h.editableHonour, func(in honourJSON) int64 { return in.Version },
		func(old *domain.Honour, in honourJSON) (*domain.Honour, error) {
			x := honourIn(in, old.EnterpriseID)
			x.ID, x.Version = old.ID, in.Version
			return x, h.store.UpdateHonour(r.Context(), request.Actor(r), x)
		}, honourOut)
}

type honourWithdrawal struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// withdrawEnterpriseHonour withdraws (撤销) an honour for a reason.
func (h *Handler) withdrawEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	versionedWrite(h, w, r, h.editableHonour, func(in honourWithdrawal) int64 { return in.Version },
		func(old *domain.Honour, in honourWithdrawal) (*domain.Honour, error) {
			return h.store.WithdrawHonour(r.Context(), request.Actor(r), old.EnterpriseID, old.ID, in.Version, in.Reason)
		}, honourOut)
}

// scaleRowJSON is one unit's above-scale movement in a year.
type scaleRowJSON struct {
	UnitID       int64 `json:"unit_id"`
	EntriesMonth []int `json:"entries_by_month"`
	ExitsMonth   []int `json:"exits_by_month"`
	Monthly      int   `json:"monthly_entries"`
	Annual       int   `json:"annual_batch_entries"`
	Gross        int   `json:"gross_entries"`
	Exits        int   `json:"exits"`
	Net          int   `json:"net_change"`
}

func (h *Handler) aboveScalePipeline(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := strconv.Atoi(q.str("year"))
	if err != nil || !domain.ValidYear(year) {
		h.fail(w, r, badRequest("查询参数 year 应为 2000 至 2100 之间的年份，收到 %q。", q.str("year")))
		return
	}
	rows, err := h.store.ScalePipeline(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []scaleRowJSON{}
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		x := rows[id]
		out = append(out, scaleRowJSON{x.UnitID, x.Entries[:], x.Exits[:], x.Monthly, x.Annual, x.Gross, x.ExitsN, x.Net()})
	}
	writeJSON(w, http.StatusOK, struct {
		Year  int            `json:"year"`
		Units []scaleRowJSON `json:"units"`
	}{year, out})
}

// perMuJSON is one enterprise's per-mu evaluation; numbers are exact decimals rounded
// half up to four places.
type perMuJSON struct {
	EnterpriseID int64           `json:"enterprise_id"`
	AboveScale   bool            `json:"above_scale"`
	Exempt       bool            `json:"exempt"`
	Class        string          `json:"class"`
	Score        *string         `json:"score"`
	Rank         int             `json:"rank"`
	Of           int             `json:"of"`
	Items        []perMuItemJSON `json:"items"`
}

type perMuItemJSON struct {
	Indicator string  `json:"indicator"`
	Value     *string `json:"value"`
	Benchmark *string `json:"benchmark"`
	Points    string  `json:"points"`
	Missing   bool    `json:"missing"`
}

func ratString(r *big.Rat) *string {
	if r == nil {
		return nil
	}
	s := domain.RoundHalfUp(r, 4)
	return &s
}

func (h *Handler) perMuResults(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := strconv.Atoi(q.str("year"))
	if err != nil || !domain.ValidYear(year) {
		h.fail(w, r, badRequest("查询参数 year 应为 2000 至 2100 之间的年份，收到 %q。", q.str("year")))
		return
	}
	scheme, err := h.store.PerMuScheme(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inputs, _, err := h.store.PerMuInputs(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []perMuJSON{}
	for _, res := range domain.EvaluatePerMu(scheme, inputs) {
		j := perMuJSON{EnterpriseID: res.EnterpriseID, AboveScale: res.AboveScale, Exempt: res.Exempt, Class: res.Class,
			Score: ratString(res.Score), Rank: res.Rank, Of: res.Of, Items: []perMuItemJSON{}}
		for _, it := range res.Items {
			j.Items = append(j.Items, perMuItemJSON{it.Indicator, ratString(it.Value), ratString(it.Benchmark), *ratString(it.Points), it.Missing})
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, struct {
		Year    int         `json:"year"`
		Results []perMuJSON `json:"results"`
	}{year, out})
}
