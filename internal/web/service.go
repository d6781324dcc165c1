package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// visitProblemSlots is how many problems one visit form can raise; more are registered
// afterwards from the problem list.
const visitProblemSlots = 3

// servicePage is the leader's page: linked enterprises, the next service day, their open
// problems and recent visits, and the visit form.
type servicePage struct {
	Leader     *domain.User
	Leaders    []*domain.User // for coordinators, who record for a leader
	Links      []*domain.LeaderLink
	ServiceDay domain.ServiceDay
	Open       []problemLine
	Visits     []*domain.ServiceVisit
	Categories []domain.ProblemCategory
	Urgencies  []domain.Choice
	Slots      []int
	Today      string
	Form       url.Values
	Err        string
	Problems   map[string]string
}

// serviceLeader is whose service page this is: the leader themself, or for a coordinator
// the leader chosen with ?leader= (or the form's leader_id).
func (h *Handler) serviceLeader(r *http.Request, chosen string) (*domain.User, []*domain.User, error) {
	u := request.User(r)
	if u.HasRole(domain.RoleLeader) && !u.HasRole(domain.RoleCoordinator) {
		return u, nil, nil
	}
	leaders, err := h.Store.Leaders(r.Context())
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.ParseInt(chosen, 10, 64)
	for _, l := range leaders {
		if l.ID == id {
			return l, leaders, nil
		}
	}
	if u.HasRole(domain.RoleLeader) {
		return u, leaders, nil
	}
	return nil, leaders, nil
}

func (h *Handler) service(w http.ResponseWriter, r *http.Request) {
	h.renderService(w, r, 0, r.URL.Query().Get("leader"), servicePage{})
}

func (h *Handler) renderService(w http.ResponseWriter, r *http.Request, status int, chosen string, d servicePage) {
	ctx := r.Context()
	leader, leaders, err := h.serviceLeader(r, chosen)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Leader, d.Leaders = leader, leaders
	now := h.Store.Now()
	today := domain.DateOf(now)
	d.Today = today.Format(domain.DateLayout)
	rule, err := h.Store.ServiceDayRule(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	cal, err := h.Store.Calendar(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.ServiceDay = rule.ServiceDay(cal, today.Year(), today.Month())
	if d.ServiceDay.Date.Before(today) {
		next := today.AddDate(0, 1, 1-today.Day())
		d.ServiceDay = rule.ServiceDay(cal, next.Year(), next.Month())
	}
	names, err := h.problemNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Categories, d.Urgencies = names.rules.Categories, domain.ProblemUrgencies
	for i := range visitProblemSlots {
		d.Slots = append(d.Slots, i)
	}
	if leader != nil {
		if d.Links, _, err = h.Store.FindLinks(ctx, store.LinkFilter{LeaderID: leader.ID, ActiveOn: d.Today, Limit: 500}); err != nil {
			h.Error(w, r, err)
			return
		}
		rows, _, err := h.Store.FindProblems(ctx, domain.ProblemFilter{LeaderID: leader.ID, Status: domain.ProblemOpen, Sort: "due", Limit: 200})
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, row := range rows {
			d.Open = append(d.Open, names.line(row, now))
		}
		if d.Visits, err = h.Store.FindVisits(ctx, leader.ID, 0, 20); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.render(w, r, status, "service", view{Title: "企业服务日", Nav: "service", Data: d})
}

// recordVisit records a visit and the problems raised on it, all or nothing.
func (h *Handler) recordVisit(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	v := r.PostFormValue
	probs := domain.Problems{}
	visit := &domain.ServiceVisit{VisitOn: v("visit_on"), Notes: v("notes")}
	visit.EnterpriseID = formInt(r, "enterprise_id", "企业", probs)
	visit.LeaderID = formInt(r, "leader_id", "领导", probs)
	var problems []*domain.Problem
	for i := range visitProblemSlots {
		field := func(name string) string { return strings.TrimSpace(v(fmt.Sprintf("p%d_%s", i, name))) }
		if field("title") == "" && field("description") == "" {
			continue
		}
		problems = append(problems, &domain.Problem{Category: field("category"), Urgency: field("urgency"),
			Title: field("title"), Description: field("description")})
	}
	err := probs.Err()
	if err == nil {
		err = h.Store.RecordVisit(r.Context(), problemActor(r), visit, problems)
	}
	msg := "已记录走访。"
	if len(problems) > 0 {
		msg = fmt.Sprintf("已记录走访，并登记%d条诉求，待倍增办交办。", len(problems))
	}
	to := "/service"
	if request.User(r).HasRole(domain.RoleCoordinator) {
		to += "?leader=" + strconv.FormatInt(visit.LeaderID, 10)
	}
	h.finishWrite(w, r, err, func(status int, err error) {
		h.renderService(w, r, status, v("leader_id"), servicePage{Form: r.PostForm, Err: errorText(err), Problems: domain.ErrorFields(err)})
	}, to, msg)
}

// linksPage lists leader↔enterprise links with the form to add one.
func (h *Handler) links(w http.ResponseWriter, r *http.Request) {
	h.renderLinks(w, r, 0, nil, "")
}

func (h *Handler) linkFilterOf(r *http.Request) store.LinkFilter {
	q := r.URL.Query()
	f := store.LinkFilter{}
	f.LeaderID, _ = strconv.ParseInt(q.Get("leader"), 10, 64)
	f.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	if q.Get("active") != "all" {
		f.ActiveOn = domain.DateOf(h.Store.Now()).Format(domain.DateLayout)
	}
	return f
}

func (h *Handler) renderLinks(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	ctx := r.Context()
	pg := readPage(r, 100)
	f := h.linkFilterOf(r)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	list, total, err := h.Store.FindLinks(ctx, f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	leaders, err := h.Store.Leaders(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	enterprises, _, err := h.Store.FindEnterprises(ctx, domain.EnterpriseFilter{Status: domain.StatusActive, Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	units, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{"start_on": {domain.DateOf(h.Store.Now()).Format(domain.DateLayout)}}
	}
	h.render(w, r, status, "links", view{Title: "挂点联系", Nav: "links", Data: struct {
		Links       []*domain.LeaderLink
		Units       map[int64]string
		Page        page
		Filter      store.LinkFilter
		All         bool
		Leaders     []*domain.User
		Enterprises []*domain.Enterprise
		Form        url.Values
		Err         string
		Today       string
	}{list, units, pg, f, r.URL.Query().Get("active") == "all", leaders, enterprises, form, errMsg,
		domain.DateOf(h.Store.Now()).Format(domain.DateLayout)}})
}

func (h *Handler) createLink(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	l := &domain.LeaderLink{StartOn: r.PostFormValue("start_on"), EndOn: r.PostFormValue("end_on")}
	l.LeaderID = formInt(r, "leader_id", "挂点领导", probs)
	l.EnterpriseID = formInt(r, "enterprise_id", "企业", probs)
	err := probs.Err()
	if err == nil {
		err = h.Store.CreateLink(r.Context(), request.Actor(r), l)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderLinks(w, r, status, r.PostForm, errorText(err)) },
		"/links", "已添加挂点联系。")
}

func (h *Handler) endLink(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	probs := domain.Problems{}
	version := formInt(r, "version", "版本", probs)
	err := probs.Err()
	if err == nil {
		_, err = h.Store.EndLink(r.Context(), request.Actor(r), id, version, r.PostFormValue("end_on"))
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderLinks(w, r, status, nil, domain.ErrorMessage(err)) },
		"/links", "已结束挂点联系。")
}

func (h *Handler) exportLinks(w http.ResponseWriter, r *http.Request) {
	f := h.linkFilterOf(r)
	units, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "挂点联系", Title: "领导挂点联系企业", Headers: []string{"挂点领导", "企业", "所属县区", "开始日期", "结束日期"},
		Widths: []float64{12, 30, 12, 12, 12}}
	const batch = 500
	for f.Offset, f.Limit = 0, batch; ; f.Offset += batch {
		list, _, err := h.Store.FindLinks(r.Context(), f)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, l := range list {
			t.Rows = append(t.Rows, []any{l.LeaderName, l.EnterpriseName, units[l.UnitID], l.StartOn, l.EndOn})
		}
		if len(list) < batch {
			break
		}
	}
	writeXLSX(w, "links.xlsx", t, h)
}

// contactPage is the enterprise contact's page behind its link: its problems with their
// status and replies, a rating form for answered ones, and a form to raise a new one.
type contactPage struct {
	Enterprise *domain.Enterprise
	Contact    string
	Token      string
	Lines      []problemLine
	Categories []domain.ProblemCategory
	Urgencies  []domain.Choice
	Ratings    []domain.Choice
	Form       url.Values
	Section    string
	Err        string
}

// contact resolves {token}; on failure it has answered already.
func (h *Handler) contact(w http.ResponseWriter, r *http.Request) (domain.ProblemActor, *domain.Enterprise, bool) {
	a, e, err := h.Auth.ContactLink(r.Context(), r.PathValue("token"), request.ClientIP(r))
	if err != nil {
		h.Error(w, r, err)
		return a, nil, false
	}
	return a, e, true
}

func (h *Handler) contactHome(w http.ResponseWriter, r *http.Request) {
	a, e, ok := h.contact(w, r)
	if !ok {
		return
	}
	h.renderContact(w, r, 0, a, e, contactPage{})
}

func (h *Handler) renderContact(w http.ResponseWriter, r *http.Request, status int, a domain.ProblemActor, e *domain.Enterprise, d contactPage) {
	names, err := h.problemNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rows, _, err := h.Store.FindProblems(r.Context(), domain.ProblemFilter{EnterpriseID: e.ID, Limit: 100})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	now := h.Store.Now()
	for _, row := range rows {
		d.Lines = append(d.Lines, names.line(row, now))
	}
	d.Enterprise, d.Contact, d.Token = e, a.ContactName, r.PathValue("token")
	d.Categories, d.Urgencies, d.Ratings = names.rules.Categories, domain.ProblemUrgencies, domain.ProblemRatings
	// The page is the enterprise's own: no menu, and never cached or sent on as a referrer.
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.render(w, r, status, "contact", view{Title: e.Name + " · 诉求办理", Data: d})
}

func (h *Handler) contactRaise(w http.ResponseWriter, r *http.Request) {
	a, e, ok := h.contact(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	v := r.PostFormValue
	p := &domain.Problem{Source: domain.SourceContactForm, EnterpriseID: e.ID, Category: v("category"), Urgency: v("urgency"),
		Title: v("title"), Description: v("description")}
	err := h.Store.RaiseProblem(r.Context(), a, p)
	h.finishWrite(w, r, err, func(status int, err error) {
		h.renderContact(w, r, status, a, e, contactPage{Form: r.PostForm, Section: "raise", Err: errorText(err)})
	}, "/c/"+r.PathValue("token"), "已提交诉求“"+p.Title+"”，我们将尽快交办相关部门。")
}

func (h *Handler) contactRate(w http.ResponseWriter, r *http.Request) {
	a, e, ok := h.contact(w, r)
	if !ok {
		return
	}
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	// Another enterprise's problem does not exist for this contact: not even its status
	// is told.
	if p, err := h.Store.FindProblemByID(r.Context(), id); err != nil || p.EnterpriseID != e.ID {
		h.Error(w, r, domain.ErrNotFound("诉求"))
		return
	}
	probs := domain.Problems{}
	version := formInt(r, "version", "版本", probs)
	err := probs.Err()
	if err == nil {
		// ApplyProblem also lets the contact rate only its own enterprise's problems.
		_, err = h.Store.ActOnProblem(r.Context(), a, id, version, domain.ProblemCommand{Kind: domain.ActRate,
			Rating: r.PostFormValue("rating"), Text: r.PostFormValue("text")})
	}
	h.finishWrite(w, r, err, func(status int, err error) {
		if status == http.StatusForbidden {
			h.Error(w, r, err)
			return
		}
		h.renderContact(w, r, status, a, e, contactPage{Form: r.PostForm, Section: "rate-" + strconv.FormatInt(id, 10), Err: errorText(err)})
	}, "/c/"+r.PathValue("token"), "感谢您的评价。")
}
