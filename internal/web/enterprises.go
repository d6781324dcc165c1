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

// figuresYear is the year whose figures the list and the cultivation pool read: the
// last full year, in China time.
func (h *Handler) figuresYear() int { return h.Store.Now().In(chinaTime).Year() - 1 }

// enterpriseFilterOf reads the list filter from the query; unknown values are ignored,
// as for projects, since they come from links and bookmarks.
func (h *Handler) enterpriseFilterOf(r *http.Request) (domain.EnterpriseFilter, error) {
	q := r.URL.Query()
	id := func(k string) int64 {
		n, _ := strconv.ParseInt(q.Get(k), 10, 64)
		return max(n, 0)
	}
	f := domain.EnterpriseFilter{UnitID: id("unit"), ParkID: id("park"), IndustryDivision: strings.TrimSpace(q.Get("division")),
		Query: strings.TrimSpace(q.Get("q")), FiguresYear: h.figuresYear()}
	if v := q.Get("above_scale"); v == "yes" || v == "no" {
		f.AboveScale = v
	}
	if v := q.Get("status"); slices.ContainsFunc(domain.EnterpriseStatuses, func(c domain.Choice) bool { return c.Value == v }) {
		f.Status = v
	}
	if _, ok := domain.HonourTypeOf(q.Get("honour")); ok {
		f.Honour = q.Get("honour")
	}
	if v := q.Get("sort"); slices.ContainsFunc(domain.EnterpriseSorts, func(c domain.Choice) bool { return c.Value == v }) {
		f.Sort = v
	}
	if q.Get("candidate") == "1" {
		rules, err := h.Store.EnterpriseRules(r.Context())
		if err != nil {
			return f, err
		}
		f.Candidate, f.Rules = true, rules
	}
	return f, nil
}

// enterpriseRow is one list line as shown and exported.
type enterpriseRow struct {
	*domain.Enterprise
	UnitName, ParkName, StatusLabel, Industry string
	Revenue                                   string // 万元 of the figures year, "" without figures
}

func (h *Handler) enterpriseRows(r *http.Request, list []*domain.Enterprise, names map[int64]string) ([]enterpriseRow, error) {
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	revenue, err := h.Store.LatestRevenue(r.Context(), ids, h.figuresYear())
	if err != nil {
		return nil, err
	}
	rows := make([]enterpriseRow, len(list))
	for i, e := range list {
		rows[i] = enterpriseRow{Enterprise: e, UnitName: names[e.UnitID], ParkName: names[e.ParkID],
			StatusLabel: domain.EnterpriseStatusLabel(e.Status), Industry: domain.DivisionLabel(e.IndustryDivision)}
		if v, ok := revenue[e.ID]; ok {
			rows[i].Revenue = domain.RoundHalfUp(domain.Dec(v).Rat(), 0)
		}
	}
	return rows, nil
}

func (h *Handler) enterprises(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	f, err := h.enterpriseFilterOf(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f.Offset, f.Limit = pg.Offset(), pg.Size
	list, total, err := h.Store.FindEnterprises(r.Context(), f)
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
	rows, err := h.enterpriseRows(r, list, names)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rules, err := h.Store.EnterpriseRules(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "enterprises", view{Title: "企业", Nav: "enterprises", Data: struct {
		Rows          []enterpriseRow
		Page          page
		Filter        domain.EnterpriseFilter
		Units, Parks  []*domain.Unit
		Statuses      []domain.Choice
		Honours       []domain.HonourType
		Sorts         []domain.Choice
		FiguresYear   int
		CandidateWan  string
		AboveScaleWan string
		CanEdit       bool
	}{rows, pg, f, units, parks, domain.EnterpriseStatuses, domain.HonourTypes, domain.EnterpriseSorts, h.figuresYear(),
		domain.YuanToWan(rules.CandidateYuan), domain.YuanToWan(rules.AboveScaleYuan), auth.CanAtAll(request.User(r), auth.EditEnterprise)}})
}

// exportEnterprises writes exactly the filtered list, read page by page.
func (h *Handler) exportEnterprises(w http.ResponseWriter, r *http.Request) {
	f, err := h.enterpriseFilterOf(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	year := strconv.Itoa(h.figuresYear())
	t := xlsx.Table{Sheet: "企业", Title: "企业名录",
		Headers: []string{"统一社会信用代码", "企业名称", "所属单位", "园区", "行业", "产业链", "规上", "状态", year + "年营业收入（万元）", "地址", "联系人", "联系电话"},
		Widths:  []float64{22, 30, 14, 14, 24, 12, 6, 10, 18, 30, 10, 14}}
	err = eachBatch(func(offset, limit int) ([]*domain.Enterprise, error) {
		f.Offset, f.Limit = offset, limit
		list, _, err := h.Store.FindEnterprises(r.Context(), f)
		return list, err
	}, func(list []*domain.Enterprise) error {
		rows, err := h.enterpriseRows(r, list, names)
		for _, e := range rows {
			t.Rows = append(t.Rows, []any{e.USCC, e.Name, e.UnitName, e.ParkName, e.Industry, e.Chain,
				yesNo(e.AboveScale), e.StatusLabel, e.Revenue, e.Address, e.ContactPerson, e.ContactPhone})
		}
		return err
	})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	writeXLSX(w, "enterprises.xlsx", t, h)
}

// enterpriseForm holds the registry form as typed.
type enterpriseForm struct {
	ID                                                  int64
	USCC, Name, UnitID, ParkID, IndustryDivision, Chain string
	Address, ContactPerson, ContactPhone, Version       string
}

func formOfEnterprise(e *domain.Enterprise) enterpriseForm {
	f := enterpriseForm{ID: e.ID, USCC: e.USCC, Name: e.Name, UnitID: strconv.FormatInt(e.UnitID, 10),
		IndustryDivision: e.IndustryDivision, Chain: e.Chain, Address: e.Address, ContactPerson: e.ContactPerson,
		ContactPhone: e.ContactPhone, Version: strconv.FormatInt(e.Version, 10)}
	if e.ParkID != 0 {
		f.ParkID = strconv.FormatInt(e.ParkID, 10)
	}
	return f
}

func readEnterpriseForm(r *http.Request) (enterpriseForm, *domain.Enterprise, domain.Problems) {
	v := r.PostFormValue
	f := enterpriseForm{USCC: v("uscc"), Name: v("name"), UnitID: v("unit_id"), ParkID: v("park_id"),
		IndustryDivision: v("industry_division"), Chain: v("chain"), Address: v("address"),
		ContactPerson: v("contact_person"), ContactPhone: v("contact_phone"), Version: v("version")}
	p := domain.Problems{}
	e := &domain.Enterprise{USCC: f.USCC, Name: f.Name, IndustryDivision: f.IndustryDivision, Chain: f.Chain,
		Address: f.Address, ContactPerson: f.ContactPerson, ContactPhone: f.ContactPhone}
	e.UnitID = formInt(r, "unit_id", "所属单位", p)
	e.ParkID = formInt(r, "park_id", "园区", p)
	e.Version = formInt(r, "version", "版本", p)
	return f, e, p
}

func (h *Handler) renderEnterpriseForm(w http.ResponseWriter, r *http.Request, status int, f enterpriseForm, err error) {
	units, parks, uerr := h.editableUnits(r, auth.EditEnterprise)
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	title := "登记企业"
	if f.ID != 0 {
		title = "编辑企业"
	}
	v := view{Title: title, Nav: "enterprises", Data: struct {
		Form         enterpriseForm
		Problems     map[string]string
		Conflict     bool
		Units, Parks []*domain.Unit
		Divisions    []divisionGroup
	}{f, domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT, units, parks, divisionGroups()}}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "enterprise_form", v)
}

// editableEnterprise loads {id} and applies the record-level policy.
func (h *Handler) editableEnterprise(w http.ResponseWriter, r *http.Request) (*domain.Enterprise, bool) {
	return editableByPathID(h, w, r, auth.EditEnterprise, h.Store.FindEnterpriseByID, enterpriseUnit)
}

// enterpriseUnit is the unit that owns an enterprise: the one its permissions are checked against.
func enterpriseUnit(e *domain.Enterprise) int64 { return e.UnitID }

// postedEnterpriseForm reads a posted enterprise form, refusing a unit the user may not edit.
func (h *Handler) postedEnterpriseForm(w http.ResponseWriter, r *http.Request) (enterpriseForm, *domain.Enterprise, domain.Problems, bool) {
	return postedUnitForm(h, w, r, auth.EditEnterprise, readEnterpriseForm, enterpriseUnit)
}

func (h *Handler) newEnterprise(w http.ResponseWriter, r *http.Request) {
	f := enterpriseForm{}
	if u := request.User(r); !u.HasRole(domain.RoleCoordinator) {
		f.UnitID = strconv.FormatInt(u.UnitID, 10)
	}
	h.renderEnterpriseForm(w, r, 0, f, nil)
}

func (h *Handler) createEnterprise(w http.ResponseWriter, r *http.Request) {
	f, e, probs, ok := h.postedEnterpriseForm(w, r)
	if !ok {
		return
	}
	err := probs.Err()
	if err == nil {
		err = h.Store.CreateEnterprise(r.Context(), request.Actor(r), e)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderEnterpriseForm(w, r, status, f, err) },
		"/enterprises/"+strconv.FormatInt(e.ID, 10), "已登记企业“"+e.Name+"”。")
}

func (h *Handler) editEnterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := h.editableEnterprise(w, r)
	if !ok {
		return
	}
	h.renderEnterpriseForm(w, r, 0, formOfEnterprise(e), nil)
}

func (h *Handler) updateEnterprise(w http.ResponseWriter, r *http.Request) {
	old, ok := h.editableEnterprise(w, r)
	if !ok {
		return
	}
	f, e, probs, ok := h.postedEnterpriseForm(w, r)
	if !ok {
		return
	}
	f.ID, e.ID = old.ID, old.ID
	err := probs.Err()
	if err == nil {
		err = h.Store.UpdateEnterprise(r.Context(), request.Actor(r), e)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderEnterpriseForm(w, r, status, f, err) },
		"/enterprises/"+strconv.FormatInt(e.ID, 10), "已保存企业“"+e.Name+"”。")
}

// enterprisePage is the detail page with its small forms; a refused form comes back
// with its message and input (Section names which one).
type enterprisePage struct {
	Enterprise         *domain.Enterprise
	UnitName, ParkName string
	StatusLabel        string
	Industry           string
	DivisionWarning    string
	Spells             []spellLine
	Figures            []figureLine
	Honours            []honourLine
	Candidate          bool
	CandidateNote      string
	NextStatuses       []domain.Choice
	EntryTypes         []domain.Choice
	HonourTypes        []domain.HonourType
	HonourLevels       []domain.Choice
	CanEdit            bool
	Today, ThisMonth   string
	FiguresYear        int
	PerMu              perMuBreakdown
	ContactLink        *contactLinkCard
	Section, Err       string
	Form               url.Values
	Conflict           bool
}

type spellLine struct{ Entry, Type, Exit, Reason string }

type figureLine struct {
	Year                                      int
	Revenue, Tax, ValueAdded, RD              string // 万元
	Employees                                 int64
	LandMu, EnergyTce, Electricity, Emissions string
}

// honourLine is one honour of the history; TypeValue and LevelValue preselect its
// correction form, and a withdrawn one says when, by whom and why.
type honourLine struct {
	ID, Version                           int64
	Type, Level, Batch, ValidUntil, DocNo string
	TypeValue, LevelValue                 string
	Year                                  int
	Withdrawn                             bool
	WithdrawnOn, WithdrawnBy, Reason      string
	Expired                               bool // valid until a day already past
}

// Section names the honour's correction and withdrawal forms: the anchor the page
// returns to and the section a refused form comes back in.
func (l honourLine) Section() string { return honourSection(l.ID) }

func honourSection(id int64) string { return "honour-" + strconv.FormatInt(id, 10) }

func (h *Handler) enterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := byPathID(h, w, r, h.Store.FindEnterpriseByID)
	if !ok {
		return
	}
	h.renderEnterprise(w, r, 0, e, enterprisePage{})
}

func (h *Handler) renderEnterprise(w http.ResponseWriter, r *http.Request, status int, e *domain.Enterprise, d enterprisePage) {
	ctx := r.Context()
	unit, err := h.Store.FindUnitByID(ctx, e.UnitID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	spells, err := h.Store.FindScaleSpells(ctx, e.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	figures, err := h.Store.FindEnterpriseFigures(ctx, e.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	honours, err := h.Store.FindHonours(ctx, e.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rules, err := h.Store.EnterpriseRules(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Enterprise, d.UnitName, d.ParkName = e, unit.Name, names[e.ParkID]
	d.StatusLabel, d.Industry = domain.EnterpriseStatusLabel(e.Status), domain.DivisionLabel(e.IndustryDivision)
	d.DivisionWarning = e.DivisionWarning(unit.Code)
	for i := len(spells) - 1; i >= 0; i-- {
		s := spells[i]
		typ := domain.ChoiceLabel(domain.EntryTypes, s.EntryType)
		if s.EntryType == domain.EntryAnnual {
			typ += "（" + strconv.Itoa(s.BatchYear) + "年度批次）"
		}
		d.Spells = append(d.Spells, spellLine{s.EntryMonth, typ, s.ExitMonth, s.ExitReason})
	}
	d.FiguresYear = h.figuresYear()
	for _, f := range figures {
		d.Figures = append(d.Figures, figureLine{f.Year, wan(f.Revenue), wan(f.Tax),
			wan(f.ValueAdded), wan(f.RDSpending), f.Employees, f.LandMu.String(),
			f.EnergyTce.String(), f.Electricity.String(), f.Emissions.String()})
		if f.Year == d.FiguresYear {
			d.Candidate = rules.IsCandidate(e, f.Revenue)
		}
	}
	d.CandidateNote = "营业收入不低于 " + domain.YuanToWan(rules.CandidateYuan) + " 万元、低于规上门槛 " + domain.YuanToWan(rules.AboveScaleYuan) + " 万元的在营非规上企业"
	now := h.Store.Now().In(chinaTime)
	d.Today, d.ThisMonth = now.Format(time.DateOnly), now.Format("2006-01")
	for _, x := range honours {
		t, _ := domain.HonourTypeOf(x.Type)
		l := honourLine{ID: x.ID, Version: x.Version, Type: t.Label, Level: domain.ChoiceLabel(domain.HonourLevels, x.Level),
			Batch: x.Batch, ValidUntil: x.ValidUntil, DocNo: x.DocNo, TypeValue: x.Type, LevelValue: x.Level, Year: x.Year,
			Withdrawn: x.Withdrawn(), WithdrawnBy: x.WithdrawnBy, Reason: x.WithdrawReason,
			Expired: x.ValidUntil != "" && x.ValidUntil < d.Today}
		if x.Withdrawn() {
			l.WithdrawnOn = x.WithdrawnAt.In(chinaTime).Format("2006-01-02")
		}
		d.Honours = append(d.Honours, l)
	}
	d.NextStatuses = e.NextStatuses()
	if d.PerMu, err = h.breakdownOf(ctx, e.ID, d.FiguresYear); err != nil {
		h.Error(w, r, err)
		return
	}
	d.EntryTypes, d.HonourTypes, d.HonourLevels = domain.EntryTypes, domain.HonourTypes, domain.HonourLevels
	d.CanEdit = auth.Can(request.User(r), auth.EditEnterprise, e.UnitID)
	if d.ContactLink, err = h.contactLinkCardOf(w, r, e, enterpriseURL(e.ID), d.ContactLink); err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, status, "enterprise", view{Title: e.Name, Nav: "enterprises", Data: d})
}

// enterpriseAction runs one detail-page form: load {id} under the policy, read the
// form, write, then redirect to the section or show the page again with the refusal.
func (h *Handler) enterpriseAction(w http.ResponseWriter, r *http.Request, section, okMsg string, write func(e *domain.Enterprise) error) {
	e, ok := h.editableEnterprise(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	err := write(e)
	code := domain.ErrorCode(err)
	switch {
	case err == nil:
		h.redirect(w, r, "/enterprises/"+strconv.FormatInt(e.ID, 10)+"#"+section, okMsg)
	case code == domain.EINVALID || code == domain.ECONFLICT:
		msg := domain.ErrorMessage(err)
		for _, m := range domain.ErrorFields(err) {
			msg += " " + m
		}
		h.renderEnterprise(w, r, api.Status(code), e, enterprisePage{Section: section, Err: msg, Form: r.PostForm, Conflict: code == domain.ECONFLICT})
	default:
		h.Error(w, r, err)
	}
}

func (h *Handler) setEnterpriseStatus(w http.ResponseWriter, r *http.Request) {
	h.enterpriseAction(w, r, "status", "已变更企业状态。", func(e *domain.Enterprise) error {
		probs := domain.Problems{}
		version := formInt(r, "version", "版本", probs)
		if err := probs.Err(); err != nil {
			return err
		}
		_, err := h.Store.SetEnterpriseStatus(r.Context(), request.Actor(r), e.ID, version, r.PostFormValue("status"),
			r.PostFormValue("status_on"), r.PostFormValue("status_reason"))
		return err
	})
}

func (h *Handler) recordScaleEntry(w http.ResponseWriter, r *http.Request) {
	h.enterpriseAction(w, r, "scale", "已登记规上入库。", func(e *domain.Enterprise) error {
		probs := domain.Problems{}
		version := formInt(r, "version", "版本", probs)
		batch := formInt(r, "batch_year", "批次年度", probs)
		if err := probs.Err(); err != nil {
			return err
		}
		_, err := h.Store.RecordScaleEntry(r.Context(), request.Actor(r), e.ID, version, r.PostFormValue("entry_type"),
			r.PostFormValue("entry_month"), int(batch))
		return err
	})
}

func (h *Handler) recordScaleExit(w http.ResponseWriter, r *http.Request) {
	h.enterpriseAction(w, r, "scale", "已登记规上退库。", func(e *domain.Enterprise) error {
		probs := domain.Problems{}
		version := formInt(r, "version", "版本", probs)
		if err := probs.Err(); err != nil {
			return err
		}
		_, err := h.Store.RecordScaleExit(r.Context(), request.Actor(r), e.ID, version, r.PostFormValue("exit_month"), r.PostFormValue("exit_reason"))
		return err
	})
}

func (h *Handler) setEnterpriseFigures(w http.ResponseWriter, r *http.Request) {
	h.enterpriseAction(w, r, "figures", "已保存年度数据。", func(e *domain.Enterprise) error {
		p := domain.Problems{}
		f := &domain.EnterpriseFigures{EnterpriseID: e.ID, Year: int(formInt(r, "year", "年度", p)),
			Revenue: formWan(r, "revenue", "营业收入", p), Tax: formWan(r, "tax", "税收", p),
			ValueAdded: formWan(r, "value_added", "工业增加值", p), RDSpending: formWan(r, "rd_spending", "研发经费", p),
			Employees: formInt(r, "employees", "从业人员", p), LandMu: formDec(r, "land_mu", "用地面积", p),
			EnergyTce: formDec(r, "energy_tce", "综合能耗", p), Electricity: formDec(r, "electricity", "用电量", p),
			Emissions: formDec(r, "emissions", "排放当量", p)}
		if err := p.Err(); err != nil {
			return err
		}
		return h.Store.SetEnterpriseFigures(r.Context(), request.Actor(r), f)
	})
}

// honourOfForm reads the honour fields adding and correcting share.
func honourOfForm(r *http.Request, enterpriseID int64, p domain.Problems) *domain.Honour {
	return &domain.Honour{EnterpriseID: enterpriseID, Type: r.PostFormValue("type"), Level: r.PostFormValue("level"),
		Batch: r.PostFormValue("batch"), Year: int(formInt(r, "year", "认定年度", p)),
		ValidUntil: r.PostFormValue("valid_until"), DocNo: r.PostFormValue("doc_no")}
}

// honourPathID is the {hid} of an honour route; anything but a positive number finds
// no honour.
func honourPathID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PathValue("hid"), 10, 64)
	return max(n, 0)
}

func (h *Handler) addEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	h.enterpriseAction(w, r, "honours", "已登记荣誉。", func(e *domain.Enterprise) error {
		p := domain.Problems{}
		hon := honourOfForm(r, e.ID, p)
		if err := p.Err(); err != nil {
			return err
		}
		return h.Store.AddHonour(r.Context(), request.Actor(r), hon)
	})
}

// updateEnterpriseHonour corrects one honour at the version its form was shown with.
func (h *Handler) updateEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	id := honourPathID(r)
	h.enterpriseAction(w, r, honourSection(id), "已修改荣誉。", func(e *domain.Enterprise) error {
		p := domain.Problems{}
		hon := honourOfForm(r, e.ID, p)
		hon.ID, hon.Version = id, formInt(r, "version", "版本", p)
		if err := p.Err(); err != nil {
			return err
		}
		return h.Store.UpdateHonour(r.Context(), request.Actor(r), hon)
	})
}

// withdrawEnterpriseHonour withdraws (撤销) one honour with the reason typed.
func (h *Handler) withdrawEnterpriseHonour(w http.ResponseWriter, r *http.Request) {
	id := honourPathID(r)
	h.enterpriseAction(w, r, honourSection(id), "已撤销荣誉。", func(e *domain.Enterprise) error {
		p := domain.Problems{}
		version := formInt(r, "version", "版本", p)
		if err := p.Err(); err != nil {
			return err
		}
		_, err := h.Store.WithdrawHonour(r.Context(), request.Actor(r), e.ID, id, version, r.PostFormValue("withdraw_reason"))
		return err
	})
}
