package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type kindCount struct {
	Kind  domain.UnitKind
	Count int
}

// home is the landing page: the cockpit for those who run and lead the campaign, and a
// workbench for everyone else, with what their role needs first.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	if auth.CanAtAll(request.User(r), auth.ReadCockpit) {
		h.cockpit(w, r)
		return
	}
	h.workbench(w, r)
}

// reporterDesk is a reporter's unit at a glance: this month's report and its warnings.
type reporterDesk struct {
	Year, Month  int
	Status       domain.ReportStatus
	StatusLabel  string
	Red, Yellow  int
	CanEditUnit  bool
	ReportAction string
}

// workbench shows who you are and your unit, with the figures of your role: unit and
// account counts for admins (two queries), the report and warnings of a reporter's unit,
// the audit log's links for auditors.
func (h *Handler) workbench(w http.ResponseWriter, r *http.Request) {
	user := request.User(r)
	ctx := r.Context()
	unit, err := h.Store.FindUnitByID(ctx, user.UnitID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var counts []kindCount
	users := -1
	if auth.CanAtAll(user, auth.ManageUsers) {
		byKind, err := h.Store.CountUnitsByKind(ctx)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, k := range domain.UnitKinds {
			if byKind[k] > 0 {
				counts = append(counts, kindCount{k, byKind[k]})
			}
		}
		if users, err = h.Store.CountUsers(ctx); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	var desk *reporterDesk
	if auth.Can(user, auth.EditReport, unit.ID) {
		if desk, err = h.reporterDesk(ctx, unit.ID); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	var actions *actionSummary
	if auth.CanAtAll(user, auth.ReadActionItems) {
		if actions, err = h.actionSummary(r); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.render(w, r, 0, "home", view{Title: "工作台", Nav: "home", Data: struct {
		Actions        *actionSummary
		Unit           *domain.Unit
		UnitCounts     []kindCount
		Users          int
		Desk           *reporterDesk
		CanEditContact bool
		CanAudit       bool
		CanReadProject bool
	}{actions, unit, counts, users, desk, auth.Can(user, auth.EditUnitContact, unit.ID), auth.CanAtAll(user, auth.ReadAudit),
		auth.CanAtAll(user, auth.ReadCampaign)}})
}

func (h *Handler) reporterDesk(ctx context.Context, unitID int64) (*reporterDesk, error) {
	d := &reporterDesk{}
	d.Year, d.Month = domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	rep, err := h.Store.FindReport(ctx, unitID, d.Year, d.Month)
	switch {
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		d.StatusLabel = "未开始填报"
	case err != nil:
		return nil, err
	default:
		d.Status, d.StatusLabel = rep.Status, rep.Status.Label()
	}
	warned, err := h.Store.ProjectWarningCounts(ctx, unitID, h.Store.Now().In(chinaTime))
	if err != nil {
		return nil, err
	}
	for _, u := range warned {
		d.Red, d.Yellow = d.Red+u.Red, d.Yellow+u.Yellow
	}
	d.ReportAction = "/reports/" + strconv.FormatInt(unitID, 10) + "/" + strconv.Itoa(d.Year) + "/" + strconv.Itoa(d.Month)
	return d, nil
}

// CockpitPanel is the extension point for cards that other modules add to the cockpit,
// such as overdue action items of dispatch meetings (交办事项) or open enterprise
// problems (诉求). The server registers them in Handler.CockpitPanels; each is shown to
// the users its Action allows, after the built-in cards, and only when Load returns a
// card: a module with nothing to report adds nothing.
type CockpitPanel struct {
	Action auth.Action
	// Load reads the card's figures for the cockpit's period; nil means no card.
	Load func(ctx context.Context, year, month int) (*CockpitCard, error)
}

// CockpitCard is a panel's figures as displayed, with the page that lists them.
type CockpitCard struct {
	Title    string
	Figures  []CockpitFigure
	Link     string
	LinkText string
}

// CockpitFigure is one labelled number of a card; Colour is a status colour or "".
type CockpitFigure struct {
	Label, Value string
	Colour       domain.Colour
}

// cockpitIndicator reads ?indicator=, the headline indicator to rank units on.
func cockpitIndicator(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("indicator")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.EINVALID, "指标参数应为指标编号。")
	}
	return id, nil
}

func (h *Handler) cockpit(w http.ResponseWriter, r *http.Request) {
	year, month, err := h.period(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	indicator, err := cockpitIndicator(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	in, err := h.Store.CockpitInput(r.Context(), year, month, indicator, h.Store.Now().In(chinaTime))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	c := domain.BuildCockpit(in)
	if indicator != 0 && !c.HasHeadline(indicator) {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "所选指标不是主要指标，无法排名。"))
		return
	}
	var cards []*CockpitCard
	user := request.User(r)
	for _, p := range h.CockpitPanels {
		if !auth.CanAtAll(user, p.Action) {
			continue
		}
		card, err := p.Load(r.Context(), year, month)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		if card != nil {
			cards = append(cards, card)
		}
	}
	charts, err := json.Marshal(cockpitCharts(c))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "cockpit", view{Title: "驾驶舱", Nav: "home", Data: struct {
		domain.Cockpit
		Months    []int
		Chosen    domain.CockpitIndicator
		Charts    string
		Cards     []*CockpitCard
		CanManage bool
	}{c, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, selectedHeadline(c), string(charts), cards,
		auth.CanAtAll(user, auth.ManageCampaign)}})
}

func selectedHeadline(c domain.Cockpit) domain.CockpitIndicator {
	for _, i := range c.Headline {
		if i.ID == c.Selected {
			return i
		}
	}
	return domain.CockpitIndicator{}
}

// cockpitCharts is the data cockpit.js draws: only displayed figures.
func cockpitCharts(c domain.Cockpit) any {
	type gauge struct {
		Name       string   `json:"name"`
		Completion *float64 `json:"completion"`
		Colour     string   `json:"colour"`
	}
	out := struct {
		TimeProgress string                `json:"time_progress"`
		Headline     []gauge               `json:"headline"`
		Trend        domain.CockpitTrend   `json:"trend"`
		Funnel       []domain.CockpitStage `json:"funnel"`
	}{TimeProgress: c.TimeProgressPct, Trend: c.Trend, Funnel: c.Funnel}
	for _, i := range c.Headline {
		out.Headline = append(out.Headline, gauge{i.Name, i.Completion, string(i.Colour)})
	}
	return out
}
