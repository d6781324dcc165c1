package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// problemFilterOf reads a list filter from the query and narrows it to what the user may
// read (auth.ProblemScope). Unlike links from bookmarks, a bad status or date is the
// user's own typing on the filter form: it is refused with a message.
func problemFilterOf(r *http.Request) (domain.ProblemFilter, error) {
	q := r.URL.Query()
	id := func(k string) int64 {
		n, _ := strconv.ParseInt(q.Get(k), 10, 64)
		return max(n, 0)
	}
	f := domain.ProblemFilter{Status: q.Get("status"), LeadUnitID: id("lead"), UnitID: id("unit"), EnterpriseID: id("enterprise"),
		LeaderID: id("leader"), Category: q.Get("category"), Source: q.Get("source"), Overdue: q.Get("overdue") == "1",
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Query: strings.TrimSpace(q.Get("q"))}
	if err := f.Validate(); err != nil {
		return f, err
	}
	return f, auth.ScopeProblems(request.User(r), &f)
}

// problemNames are the names a problem page shows for IDs.
type problemNames struct {
	units   map[int64]string
	leaders map[int64]string
	rules   domain.ProblemRules
}

func (h *Handler) problemNames(r *http.Request) (problemNames, error) {
	units, err := h.unitNames(r)
	if err != nil {
		return problemNames{}, err
	}
	leaders, err := h.Store.Leaders(r.Context())
	if err != nil {
		return problemNames{}, err
	}
	n := problemNames{units: units, leaders: map[int64]string{}}
	for _, l := range leaders {
		n.leaders[l.ID] = l.DisplayName
	}
	n.rules, err = h.Store.ProblemRules(r.Context())
	return n, err
}

// problemLine is a problem as lists and exports show it.
type problemLine struct {
	*domain.ProblemRow
	Category, Urgency, Source, StatusLabel, UnitName, LeadName, Assisting, LeaderName, Rating string
	Due                                                                                       string
	Overdue, DueSoon                                                                          bool
}

func (n problemNames) line(row *domain.ProblemRow, now time.Time) problemLine {
	var assisting []string
	for _, id := range row.AssistingUnitIDs() {
		assisting = append(assisting, n.units[id])
	}
	l := problemLine{ProblemRow: row, Category: n.rules.CategoryLabel(row.Category), Urgency: domain.ChoiceLabel(domain.ProblemUrgencies, row.Urgency),
		Source: domain.ChoiceLabel(domain.ProblemSources, row.Source), StatusLabel: domain.ProblemStatusLabels[row.Status],
		UnitName: n.units[row.UnitID], LeadName: n.units[row.LeadUnitID], Assisting: strings.Join(assisting, "、"),
		LeaderName: n.leaders[row.LeaderID], Rating: domain.ChoiceLabel(domain.ProblemRatings, row.Rating),
		Overdue: domain.Overdue(row.Problem, now), DueSoon: domain.DueSoon(row.Problem, now, time.Duration(n.rules.DueSoonHours)*time.Hour)}
	if !row.DueAt.IsZero() {
		l.Due = row.DueAt.In(chinaTime).Format("2006-01-02 15:04")
	}
	return l
}

// problemListData is what the list and the queue pages show.
type problemListData struct {
	Lines       []problemLine
	Page        page
	Filter      domain.ProblemFilter
	Units       []*domain.Unit // counties and parks, for the filter
	Departments []*domain.Unit
	Leaders     []*domain.User
	Statuses    []domain.Choice
	Categories  []domain.ProblemCategory
	Sources     []domain.Choice
	CanRaise    bool
	Queue       bool   // the department's queue
	QueueName   string // the department the queue is of
	Err         string
	Nav         problemNav
}

func (h *Handler) problemListData(r *http.Request, f domain.ProblemFilter, pg page) (problemListData, error) {
	d := problemListData{Page: pg, Filter: f, Sources: domain.ProblemSources, CanRaise: auth.CanAtAll(request.User(r), auth.RaiseProblem),
		Nav: h.problemNav(r, "list")}
	d.Statuses = append(d.Statuses, domain.Choice{Value: domain.ProblemOpen, Label: "未办结"})
	for _, s := range []string{domain.ProblemReceived, domain.ProblemAssigned, domain.ProblemReassignRequested, domain.ProblemInProgress,
		domain.ProblemReplied, domain.ProblemReopened, domain.ProblemClosed} {
		d.Statuses = append(d.Statuses, domain.Choice{Value: s, Label: domain.ProblemStatusLabels[s]})
	}
	names, err := h.problemNames(r)
	if err != nil {
		return d, err
	}
	d.Categories = names.rules.Categories
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return d, err
	}
	for _, u := range units {
		switch u.Kind {
		case domain.UnitDepartment:
			d.Departments = append(d.Departments, u)
		case domain.UnitCounty, domain.UnitPark:
			d.Units = append(d.Units, u)
		}
	}
	if d.Leaders, err = h.Store.Leaders(r.Context()); err != nil {
		return d, err
	}
	f.Offset, f.Limit = pg.Offset(), pg.Size
	rows, total, err := h.Store.FindProblems(r.Context(), f)
	if err != nil {
		return d, err
	}
	d.Page.Total = total
	now := h.Store.Now()
	for _, row := range rows {
		d.Lines = append(d.Lines, names.line(row, now))
	}
	return d, nil
}

func (h *Handler) problems(w http.ResponseWriter, r *http.Request) {
	f, err := problemFilterOf(r)
	if domain.ErrorCode(err) == domain.EINVALID {
		// A mistyped filter shows the list unfiltered by it, with the message.
		d, lerr := h.problemListData(r, scopedOnly(r), readPage(r, 50))
		if lerr != nil {
			h.Error(w, r, lerr)
			return
		}
		d.Err = errorText(err)
		h.render(w, r, http.StatusUnprocessableEntity, "problems", view{Title: "企业诉求", Nav: "problems", Data: d})
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d, err := h.problemListData(r, f, readPage(r, 50))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "problems", view{Title: "企业诉求", Nav: "problems", Data: d})
}

// scopedOnly is the user's scope with no other filter.
func scopedOnly(r *http.Request) domain.ProblemFilter {
	var f domain.ProblemFilter
	_ = auth.ScopeProblems(request.User(r), &f)
	return f
}

// problemsQueue is a department's queue: the open problems it leads or assists, the
// nearest deadline first. A handler sees their own department's; coordinators and
// leaders choose one.
func (h *Handler) problemsQueue(w http.ResponseWriter, r *http.Request) {
	u := request.User(r)
	f := domain.ProblemFilter{Status: domain.ProblemOpen, Sort: "due"}
	if all, _, department, ok := auth.ProblemScope(u); !ok || (!all && department == 0) {
		h.Error(w, r, domain.Errorf(domain.EFORBIDDEN, "办理队列是部门办理人的页面。"))
		return
	} else if all {
		f.DepartmentID, _ = strconv.ParseInt(r.URL.Query().Get("department"), 10, 64)
	} else {
		f.DepartmentID = department
	}
	pg := readPage(r, 50)
	d, err := h.problemListData(r, f, pg)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Queue, d.Nav.Active = true, "queue"
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.QueueName = names[f.DepartmentID]
	if f.DepartmentID == 0 {
		d.Lines, d.Page.Total = nil, 0 // choose a department first
	}
	h.render(w, r, 0, "problems", view{Title: "办理队列", Nav: "problems", Data: d})
}

// exportProblems writes exactly the filtered list, read page by page.
func (h *Handler) exportProblems(w http.ResponseWriter, r *http.Request) {
	f, err := problemFilterOf(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.problemNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "诉求", Title: "企业诉求清单",
		Headers: []string{"编号", "受理时间", "企业", "所属县区", "类别", "紧急程度", "来源", "诉求标题", "诉求内容", "挂点领导", "主办部门", "协办部门", "状态", "答复期限", "是否逾期", "答复时间", "答复内容", "评价", "督办次数"},
		Widths:  []float64{8, 17, 28, 10, 10, 8, 12, 30, 40, 10, 14, 20, 12, 17, 8, 17, 40, 8, 8}}
	now := h.Store.Now()
	const batch = 500
	for f.Offset, f.Limit = 0, batch; ; f.Offset += batch {
		rows, _, err := h.Store.FindProblems(r.Context(), f)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, row := range rows {
			l := names.line(row, now)
			overdue := ""
			if l.Overdue {
				overdue = "逾期"
			}
			replied := ""
			if !row.RepliedAt.IsZero() {
				replied = row.RepliedAt.In(chinaTime).Format("2006-01-02 15:04")
			}
			t.Rows = append(t.Rows, []any{row.ID, row.ReceivedAt.In(chinaTime).Format("2006-01-02 15:04"), row.EnterpriseName, l.UnitName,
				l.Category, l.Urgency, l.Source, row.Title, row.Description, l.LeaderName, l.LeadName, l.Assisting, l.StatusLabel, l.Due,
				overdue, replied, row.Reply, l.Rating, row.Escalations})
		}
		if len(rows) < batch {
			break
		}
	}
	writeXLSX(w, "problems.xlsx", t, h)
}

// problemForm is the new-problem form as typed.
type problemForm struct {
	EnterpriseID, Category, Urgency, Title, Description string
}

func (h *Handler) renderProblemForm(w http.ResponseWriter, r *http.Request, status int, f problemForm, err error) {
	u := request.User(r)
	ef := domain.EnterpriseFilter{Limit: 500, Status: domain.StatusActive}
	if !u.HasRole(domain.RoleCoordinator) {
		ef.UnitID = u.UnitID
	}
	enterprises, _, eerr := h.Store.FindEnterprises(r.Context(), ef)
	if eerr != nil {
		h.Error(w, r, eerr)
		return
	}
	rules, rerr := h.Store.ProblemRules(r.Context())
	if rerr != nil {
		h.Error(w, r, rerr)
		return
	}
	v := view{Title: "登记诉求", Nav: "problems", Data: struct {
		Form        problemForm
		Problems    map[string]string
		Enterprises []*domain.Enterprise
		Categories  []domain.ProblemCategory
		Urgencies   []domain.Choice
	}{f, domain.ErrorFields(err), enterprises, rules.Categories, domain.ProblemUrgencies}}
	if err != nil && domain.ErrorFields(err) == nil {
		v.Flash = &flash{Kind: "error", Message: domain.ErrorMessage(err)}
	}
	h.render(w, r, status, "problem_form", v)
}

func (h *Handler) newProblem(w http.ResponseWriter, r *http.Request) {
	h.renderProblemForm(w, r, 0, problemForm{EnterpriseID: r.URL.Query().Get("enterprise"), Urgency: domain.UrgencyGeneral}, nil)
}

// createProblem registers a problem as the coordinator (倍增办登记) or, for their own
// unit's enterprises, a reporter; the loop's ReceiveProblem decides the party.
func (h *Handler) createProblem(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	v := r.PostFormValue
	f := problemForm{EnterpriseID: v("enterprise_id"), Category: v("category"), Urgency: v("urgency"), Title: v("title"), Description: v("description")}
	probs := domain.Problems{}
	p := &domain.Problem{Source: domain.RegistrationSource(request.User(r)), Category: f.Category, Urgency: f.Urgency, Title: f.Title, Description: f.Description}
	p.EnterpriseID = formInt(r, "enterprise_id", "企业", probs)
	err := probs.Err()
	if err == nil && p.EnterpriseID > 0 {
		var e *domain.Enterprise
		if e, err = h.Store.FindEnterpriseByID(r.Context(), p.EnterpriseID); domain.ErrorCode(err) == domain.ENOTFOUND {
			err = domain.Errorf(domain.EINVALID, "所选企业不存在。")
		} else if err == nil && !auth.Can(request.User(r), auth.RaiseProblem, e.UnitID) {
			h.Error(w, r, domain.ErrForbidden)
			return
		}
	}
	if err == nil {
		err = h.Store.RaiseProblem(r.Context(), problemActor(r), p)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderProblemForm(w, r, status, f, err) },
		"/problems/"+strconv.FormatInt(p.ID, 10), "已登记诉求“"+p.Title+"”，待倍增办交办。")
}

// errorText is an error's message with its per-field problems spelled out, for forms
// that show one message rather than a message under each field.
func errorText(err error) string {
	fields := domain.ErrorFields(err)
	if len(fields) == 0 {
		return domain.ErrorMessage(err)
	}
	msgs := make([]string, 0, len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		msgs = append(msgs, fields[k])
	}
	return strings.Join(msgs, "")
}

// problemActor is the signed-in user as a party to problems.
func problemActor(r *http.Request) domain.ProblemActor {
	return domain.ProblemActor{Actor: request.Actor(r)}
}

// readableProblem loads {id} and applies the record-level policy: a handler of another
// department gets 403.
func (h *Handler) readableProblem(w http.ResponseWriter, r *http.Request) (*domain.Problem, bool) {
	p, ok := byPathID(h, w, r, h.Store.FindProblemByID)
	if !ok {
		return nil, false
	}
	if !auth.CanProblem(request.User(r), auth.ReadProblems, p) {
		h.Error(w, r, domain.ErrForbidden)
		return nil, false
	}
	return p, true
}

// actionForm is one action the user may take, as a form on the detail page.
type actionForm struct {
	Kind, Label, TextLabel string
	Units, Text, Date      bool // department choice, text, new due date
	TextRequired, Rating   bool
	Danger                 bool
}

// actionForms turns the actions the loop allows this user (domain.ProblemActionsFor)
// into forms; escalation is offered only once the answer is late.
func actionForms(p *domain.Problem, actor domain.ProblemActor, now time.Time) []actionForm {
	var out []actionForm
	for _, kind := range domain.ProblemActionsFor(p, actor) {
		f := actionForm{Kind: kind, Label: domain.ProblemActionLabels[kind]}
		switch kind {
		case domain.ActAssign:
			f.Units = true
		case domain.ActReassign:
			f.Units, f.Text, f.TextRequired, f.TextLabel = true, true, true, "改派原因"
		case domain.ActObject:
			f.Text, f.TextRequired, f.TextLabel, f.Danger = true, true, "不属于本部门职责的理由", true
		case domain.ActAssist:
			f.Text, f.TextRequired, f.TextLabel = true, true, "协办意见"
		case domain.ActReply:
			f.Text, f.TextRequired, f.TextLabel = true, true, "答复企业的内容"
		case domain.ActRequestExtension:
			f.Date, f.Text, f.TextRequired, f.TextLabel = true, true, true, "延期理由"
		case domain.ActApproveExtension:
			if p.Pending == nil {
				continue
			}
		case domain.ActRejectExtension:
			if p.Pending == nil {
				continue
			}
			f.Text, f.TextRequired, f.TextLabel, f.Danger = true, true, "驳回理由", true
		case domain.ActRate:
			f.Rating, f.Text, f.TextLabel = true, true, "评价说明（不满意时必填）"
		case domain.ActEscalate:
			if !domain.Overdue(p, now) || p.EscalatedDueAt.Equal(p.DueAt) {
				continue
			}
			f.Danger = true
		case domain.ActClose:
			f.Text, f.TextRequired, f.TextLabel, f.Danger = true, true, "办结说明", true
		}
		out = append(out, f)
	}
	return out
}

// problemPage is the detail page; Section and Form keep a refused action's input.
type problemPage struct {
	Problem      *domain.Problem
	Enterprise   *domain.Enterprise
	Line         problemLine
	Assists      []assistLine
	Timeline     []timelineLine
	Actions      []actionForm
	Departments  []*domain.Unit
	Ratings      []domain.Choice
	PendingDue   string
	ContactLink  *contactLinkCard
	Section, Err string
	Form         url.Values
	Conflict     bool
}

type assistLine struct {
	Name, Due, Answered, Answer string
	Late                        bool
}

type timelineLine struct {
	At, Label, Party, Actor, From, To, Text, Rating, Due, Units string
}

func (h *Handler) problem(w http.ResponseWriter, r *http.Request) {
	p, ok := h.readableProblem(w, r)
	if !ok {
		return
	}
	h.renderProblem(w, r, 0, p, problemPage{})
}

func (h *Handler) renderProblem(w http.ResponseWriter, r *http.Request, status int, p *domain.Problem, d problemPage) {
	ctx := r.Context()
	names, err := h.problemNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	e, err := h.Store.FindEnterpriseByID(ctx, p.EnterpriseID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	actions, err := h.Store.FindProblemActions(ctx, p.ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	units, _, err := h.Store.FindUnits(ctx, domain.UnitFilter{Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	now := h.Store.Now()
	d.Problem, d.Enterprise = p, e
	d.Line = names.line(&domain.ProblemRow{Problem: p, EnterpriseName: e.Name}, now)
	for _, a := range p.Assists {
		l := assistLine{Name: names.units[a.UnitID], Due: a.DueAt.In(chinaTime).Format("2006-01-02"), Answer: a.Answer}
		if !a.AnsweredAt.IsZero() {
			l.Answered = a.AnsweredAt.In(chinaTime).Format("2006-01-02 15:04")
		}
		l.Late = slices.Contains(domain.OverdueAssists(p, now), a.UnitID)
		d.Assists = append(d.Assists, l)
	}
	for _, a := range actions {
		l := timelineLine{At: a.At.In(chinaTime).Format("2006-01-02 15:04"), Label: domain.ProblemActionLabels[a.Kind],
			Party: domain.ProblemPartyLabels[a.Party], Actor: a.ActorName, From: domain.ProblemStatusLabels[a.From],
			To: domain.ProblemStatusLabels[a.To], Text: a.Text, Rating: domain.ChoiceLabel(domain.ProblemRatings, a.Rating)}
		if a.Rating == "" {
			l.Rating = ""
		}
		if !a.DueAt.IsZero() {
			l.Due = a.DueAt.In(chinaTime).Format("2006-01-02 15:04")
		}
		var us []string
		for i, id := range a.UnitIDs {
			name := names.units[id]
			if i == 0 {
				name += "（主办）"
			}
			us = append(us, name)
		}
		l.Units = strings.Join(us, "、")
		d.Timeline = append(d.Timeline, l)
	}
	d.Actions = actionForms(p, problemActor(r), now)
	for _, u := range units {
		if u.Kind == domain.UnitDepartment && u.Active {
			d.Departments = append(d.Departments, u)
		}
	}
	d.Ratings = domain.ProblemRatings
	if p.Pending != nil {
		d.PendingDue = p.Pending.NewDueAt.In(chinaTime).Format("2006-01-02")
	}
	if d.ContactLink, err = h.contactLinkCardOf(w, r, e, problemURL(p.ID), d.ContactLink); err != nil {
		h.Error(w, r, err)
		return
	}
	v := view{Title: "诉求：" + p.Title, Nav: "problems", Data: d}
	// A refusal with no form of its own on the page (an action not offered) shows on top.
	if d.Err != "" && !d.Conflict &&
		!slices.ContainsFunc(d.Actions, func(a actionForm) bool { return a.Kind == d.Section }) {
		v.Flash = &flash{Kind: "error", Message: d.Err}
	}
	h.render(w, r, status, "problem", v)
}

// actOnProblem takes one action from the detail page's forms. A refusal shows the page
// again with the message under that action's form and what was typed kept.
func (h *Handler) actOnProblem(w http.ResponseWriter, r *http.Request) {
	p, ok := h.readableProblem(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	version := formInt(r, "version", "版本", probs)
	c := domain.ProblemCommand{Kind: r.PostFormValue("kind"), Text: r.PostFormValue("text"),
		NewDueDate: r.PostFormValue("new_due_date"), Rating: r.PostFormValue("rating")}
	c.LeadUnitID = formInt(r, "lead_unit_id", "主办部门", probs)
	for _, v := range r.PostForm["assisting"] {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			probs.Add("assisting", "协办部门无效。")
			break
		}
		c.AssistingUnitIDs = append(c.AssistingUnitIDs, n)
	}
	err := probs.Err()
	if err == nil {
		_, err = h.Store.ActOnProblem(r.Context(), problemActor(r), p.ID, version, c)
	}
	label := domain.ProblemActionLabels[c.Kind]
	h.finishWrite(w, r, err, func(status int, err error) {
		if status == http.StatusForbidden {
			h.Error(w, r, err)
			return
		}
		h.renderProblem(w, r, status, p, problemPage{Section: c.Kind, Err: errorText(err), Form: r.PostForm,
			Conflict: domain.ErrorCode(err) == domain.ECONFLICT})
	}, problemURL(p.ID), "已"+label+"。")
}

// problemStats is the statistics page: grouped counts and rates, the red and black lists.
func (h *Handler) problemStats(w http.ResponseWriter, r *http.Request) {
	rep, f, names, err := h.problemReport(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "problem_stats", view{Title: "诉求办理统计", Nav: "problems", Data: struct {
		Report    *domain.ProblemReport
		Rows      []statsLine
		Total     statsLine
		Red       []listLine
		Black     []listLine
		Filter    domain.ProblemFilter
		Groupings []domain.Choice
		Export    string
		Nav       problemNav
	}{rep, names.statsLines(rep.Rows, rep.By), names.statsLine(rep.Total, "合计"), names.listLines(rep.Red), names.listLines(rep.Black),
		f, problemGroupings, "/problems/stats/export.xlsx?" + r.URL.RawQuery, h.problemNav(r, "stats")}})
}

var problemGroupings = []domain.Choice{{Value: domain.ProblemByDepartment, Label: "按主办部门"}, {Value: domain.ProblemByUnit, Label: "按县区"},
	{Value: domain.ProblemByLeader, Label: "按挂点领导"}, {Value: domain.ProblemByCategory, Label: "按类别"}}

func (h *Handler) problemReport(r *http.Request) (*domain.ProblemReport, domain.ProblemFilter, problemNames, error) {
	q := r.URL.Query()
	f := domain.ProblemFilter{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Category: q.Get("category")}
	by := q.Get("by")
	if by == "" {
		by = domain.ProblemByDepartment
	}
	names, err := h.problemNames(r)
	if err != nil {
		return nil, f, names, err
	}
	rep, err := h.Store.ProblemStatistics(r.Context(), f, by)
	return rep, f, names, err
}

type statsLine struct {
	Name                               string
	S                                  domain.ProblemStats
	OnTime, Satisfaction, AvgReplyDays string
}

type listLine struct {
	statsLine
	Rank    string
	Reasons string
}

func (n problemNames) statsLine(s domain.ProblemStats, name string) statsLine {
	return statsLine{Name: name, S: s, OnTime: pct(s.OnTimeLabel()), Satisfaction: pct(s.SatisfactionLabel()), AvgReplyDays: s.AvgReplyDaysLabel()}
}

func pct(label string) string {
	if label == "" || label == "—" {
		return "—"
	}
	return label + "%"
}

func (n problemNames) statsLines(rows []domain.ProblemStats, by string) []statsLine {
	out := make([]statsLine, len(rows))
	for i, s := range rows {
		name := n.units[s.ID]
		switch by {
		case domain.ProblemByLeader:
			name = n.leaders[s.ID]
		case domain.ProblemByCategory:
			name = n.rules.CategoryLabel(s.Category)
		}
		out[i] = n.statsLine(s, name)
	}
	return out
}

func (n problemNames) listLines(list []domain.DepartmentListing) []listLine {
	out := make([]listLine, len(list))
	for i, l := range list {
		rank := domain.RankLabel(l.Rank, l.Tied)
		out[i] = listLine{statsLine: n.statsLine(l.ProblemStats, n.units[l.ID]), Rank: rank, Reasons: strings.Join(l.Reasons, "；")}
	}
	return out
}

func (h *Handler) exportProblemStats(w http.ResponseWriter, r *http.Request) {
	rep, _, names, err := h.problemReport(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	headers := []string{"名称", "诉求件数", "办结", "逾期未答复", "应答复", "按时答复", "按时答复率", "平均答复工作日", "已评价", "满意", "基本满意", "不满意", "满意率", "被督办件数"}
	row := func(l statsLine) []any {
		s := l.S
		return []any{l.Name, s.Count, s.Closed, s.Overdue, s.Judged, s.OnTime, l.OnTime, l.AvgReplyDays, s.Rated, s.Satisfied, s.Basic, s.Unsatisfied, l.Satisfaction, s.Escalated}
	}
	label := domain.ChoiceLabel(problemGroupings, rep.By)
	stats := xlsx.Table{Sheet: "统计", Title: "诉求办理统计（" + label + "，截至" + rep.At.In(chinaTime).Format("2006-01-02 15:04") + "）",
		Headers: headers, Widths: []float64{20, 8, 8, 10, 8, 8, 10, 12, 8, 8, 8, 8, 10, 10}}
	for _, l := range names.statsLines(rep.Rows, rep.By) {
		stats.Rows = append(stats.Rows, row(l))
	}
	stats.Rows = append(stats.Rows, row(names.statsLine(rep.Total, "合计")))
	lists := xlsx.Table{Sheet: "红黑榜", Title: "部门红黑榜", Headers: []string{"榜单", "名次", "部门", "按时答复率", "满意率", "理由"},
		Widths: []float64{8, 8, 20, 12, 10, 50}}
	for _, l := range names.listLines(rep.Red) {
		lists.Rows = append(lists.Rows, []any{"红榜", l.Rank, l.Name, l.OnTime, l.Satisfaction, l.Reasons})
	}
	for _, l := range names.listLines(rep.Black) {
		lists.Rows = append(lists.Rows, []any{"黑榜", l.Rank, l.Name, l.OnTime, l.Satisfaction, l.Reasons})
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="problem-stats.xlsx"`)
	if err := xlsx.Write(w, stats, lists); err != nil {
		h.Log.Error("write xlsx", "file", "problem-stats.xlsx", "err", err)
	}
}
