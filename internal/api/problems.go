package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// problemJSON is a problem (诉求) as the API shows it; times are RFC 3339, null when unset.
type problemJSON struct {
	ID               int64               `json:"id"`
	Source           string              `json:"source"`
	EnterpriseID     int64               `json:"enterprise_id"`
	EnterpriseName   string              `json:"enterprise_name,omitempty"`
	UnitID           int64               `json:"unit_id"`
	Category         string              `json:"category"`
	Urgency          string              `json:"urgency"`
	Title            string              `json:"title"`
	Description      string              `json:"description"`
	LeaderID         int64               `json:"leader_id"`
	LeadUnitID       int64               `json:"lead_unit_id"`
	Assists          []problemAssistJSON `json:"assists"`
	Status           string              `json:"status"`
	Overdue          bool                `json:"overdue"`
	ReceivedAt       time.Time           `json:"received_at"`
	AssignedAt       *time.Time          `json:"assigned_at"`
	DueAt            *time.Time          `json:"due_at"`
	Extensions       int                 `json:"extensions"`
	PendingExtension *extensionJSON      `json:"pending_extension"`
	RepliedAt        *time.Time          `json:"replied_at"`
	Reply            string              `json:"reply"`
	Rating           string              `json:"rating"`
	Reopens          int                 `json:"reopens"`
	Escalations      int                 `json:"escalations"`
	ClosedAt         *time.Time          `json:"closed_at"`
	CloseReason      string              `json:"close_reason"`
	Version          int64               `json:"version"`
}

type problemAssistJSON struct {
	UnitID     int64      `json:"unit_id"`
	DueAt      time.Time  `json:"due_at"`
	AnsweredAt *time.Time `json:"answered_at"`
	Answer     string     `json:"answer"`
}

type extensionJSON struct {
	RequestedAt time.Time `json:"requested_at"`
	NewDueAt    time.Time `json:"new_due_at"`
	Reason      string    `json:"reason"`
}

func instantOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func problemOut(p *domain.Problem, enterpriseName string, now time.Time) problemJSON {
	out := problemJSON{ID: p.ID, Source: p.Source, EnterpriseID: p.EnterpriseID, EnterpriseName: enterpriseName, UnitID: p.UnitID,
		Category: p.Category, Urgency: p.Urgency, Title: p.Title, Description: p.Description, LeaderID: p.LeaderID,
		LeadUnitID: p.LeadUnitID, Assists: []problemAssistJSON{}, Status: p.Status, Overdue: domain.Overdue(p, now),
		ReceivedAt: p.ReceivedAt, AssignedAt: instantOrNull(p.AssignedAt), DueAt: instantOrNull(p.DueAt), Extensions: p.Extensions,
		RepliedAt: instantOrNull(p.RepliedAt), Reply: p.Reply, Rating: p.Rating, Reopens: p.Reopens, Escalations: p.Escalations,
		ClosedAt: instantOrNull(p.ClosedAt), CloseReason: p.CloseReason, Version: p.Version}
	for _, a := range p.Assists {
		out.Assists = append(out.Assists, problemAssistJSON{a.UnitID, a.DueAt, instantOrNull(a.AnsweredAt), a.Answer})
	}
	if e := p.Pending; e != nil {
		out.PendingExtension = &extensionJSON{e.RequestedAt, e.NewDueAt, e.Reason}
	}
	return out
}

func problemActor(r *http.Request) domain.ProblemActor {
	return domain.ProblemActor{Actor: request.Actor(r)}
}

// listProblems lists the problems the caller may read (auth.ScopeProblems), filtered.
func (h *Handler) listProblems(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "status", "lead_unit_id", "department_id", "unit_id", "enterprise_id", "leader_id", "category",
		"source", "overdue", "from", "to", "q", "sort", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.ProblemFilter{Status: q.str("status"), Category: q.str("category"), Source: q.str("source"), From: q.str("from"),
		To: q.str("to"), Query: q.str("q"), Sort: q.str("sort")}
	for name, dst := range map[string]*int64{"lead_unit_id": &f.LeadUnitID, "department_id": &f.DepartmentID, "unit_id": &f.UnitID,
		"enterprise_id": &f.EnterpriseID, "leader_id": &f.LeaderID} {
		if err == nil {
			*dst, err = q.id(name)
		}
	}
	var overdue *bool
	if err == nil {
		overdue, err = q.boolean("overdue")
	}
	if err == nil {
		f.Overdue = overdue != nil && *overdue
		f.Offset, f.Limit, err = q.page()
	}
	if err == nil {
		err = auth.ScopeProblems(request.User(r), &f)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, total, err := h.store.FindProblems(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.store.Now()
	out := page[problemJSON]{Items: make([]problemJSON, 0, len(rows)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, row := range rows {
		out.Items = append(out.Items, problemOut(row.Problem, row.EnterpriseName, now))
	}
	writeJSON(w, http.StatusOK, out)
}

// problemInJSON is what POST /problems reads.
type problemInJSON struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Category     string `json:"category"`
	Urgency      string `json:"urgency"`
	Title        string `json:"title"`
	Description  string `json:"description"`
}

func (h *Handler) createProblem(w http.ResponseWriter, r *http.Request) {
	var in problemInJSON
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.EnterpriseID > 0 {
		e, err := h.store.FindEnterpriseByID(r.Context(), in.EnterpriseID)
		if err == nil && !auth.Can(request.User(r), auth.RaiseProblem, e.UnitID) {
			err = domain.ErrForbidden
		}
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			err = domain.Problems{"enterprise_id": "所选企业不存在。"}.Err()
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p := &domain.Problem{Source: domain.RegistrationSource(request.User(r)), EnterpriseID: in.EnterpriseID, Category: in.Category, Urgency: in.Urgency,
		Title: in.Title, Description: in.Description}
	if err := h.store.RaiseProblem(r.Context(), problemActor(r), p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/problems/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, problemOut(p, "", h.store.Now()))
}

// readableProblem loads {id} under the policy: a handler of another department gets 403.
func (h *Handler) readableProblem(r *http.Request) (*domain.Problem, error) {
	p, err := byPathID(r, h.store.FindProblemByID)
	if err == nil && !auth.CanProblem(request.User(r), auth.ReadProblems, p) {
		err = domain.ErrForbidden
	}
	return p, err
}

type problemActionJSON struct {
	Kind      string     `json:"kind"`
	Party     string     `json:"party"`
	ActorName string     `json:"actor_name"`
	At        time.Time  `json:"at"`
	From      string     `json:"from"`
	To        string     `json:"to"`
	Text      string     `json:"text"`
	Rating    string     `json:"rating"`
	DueAt     *time.Time `json:"due_at"`
	UnitIDs   []int64    `json:"unit_ids"`
}

// getProblem answers a problem with its timeline and the actions the caller may try.
func (h *Handler) getProblem(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.readableProblem(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	actions, err := h.store.FindProblemActions(r.Context(), p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		problemJSON
		Timeline []problemActionJSON `json:"timeline"`
		Allowed  []string            `json:"allowed_actions"`
	}{problemOut(p, "", h.store.Now()), []problemActionJSON{}, domain.ProblemActionsFor(p, problemActor(r))}
	if out.Allowed == nil {
		out.Allowed = []string{}
	}
	for _, a := range actions {
		units := a.UnitIDs
		if units == nil {
			units = []int64{}
		}
		out.Timeline = append(out.Timeline, problemActionJSON{a.Kind, a.Party, a.ActorName, a.At, a.From, a.To, a.Text, a.Rating,
			instantOrNull(a.DueAt), units})
	}
	writeJSON(w, http.StatusOK, out)
}

// problemCommandJSON is what POST /problems/{id}/actions reads.
type problemCommandJSON struct {
	Kind             string          `json:"kind"`
	Version          optional[int64] `json:"version"`
	LeadUnitID       int64           `json:"lead_unit_id"`
	AssistingUnitIDs []int64         `json:"assisting_unit_ids"`
	Text             string          `json:"text"`
	NewDueDate       string          `json:"new_due_date"`
	Rating           string          `json:"rating"`
}

// actOnProblem applies one action through the loop's rules; a stale version is 409.
func (h *Handler) actOnProblem(w http.ResponseWriter, r *http.Request) {
	p, err := h.readableProblem(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in problemCommandJSON
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	probs := domain.Problems{}
	version := requireVersion(probs, in.Version)
	if err := probs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err = h.store.ActOnProblem(r.Context(), problemActor(r), p.ID, version, domain.ProblemCommand{Kind: in.Kind,
		LeadUnitID: in.LeadUnitID, AssistingUnitIDs: in.AssistingUnitIDs, Text: in.Text, NewDueDate: in.NewDueDate, Rating: in.Rating})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, problemOut(p, "", h.store.Now()))
}

type problemStatsJSON struct {
	ID               int64  `json:"id,omitempty"`
	Category         string `json:"category,omitempty"`
	Count            int    `json:"count"`
	Closed           int    `json:"closed"`
	Overdue          int    `json:"overdue"`
	Judged           int    `json:"judged"`
	OnTime           int    `json:"on_time"`
	Rated            int    `json:"rated"`
	Satisfied        int    `json:"satisfied"`
	Basic            int    `json:"basic"`
	Unsatisfied      int    `json:"unsatisfied"`
	Escalated        int    `json:"escalated"`
	OnTimeRate       string `json:"on_time_rate_pct"`
	SatisfactionRate string `json:"satisfaction_rate_pct"`
	AvgReplyDays     string `json:"avg_reply_working_days"`
}

type listingJSON struct {
	problemStatsJSON
	Rank    int      `json:"rank"`
	Tied    bool     `json:"tied"`
	Reasons []string `json:"reasons"`
}

func statsOut(s domain.ProblemStats) problemStatsJSON {
	return problemStatsJSON{s.ID, s.Category, s.Count, s.Closed, s.Overdue, s.Judged, s.OnTime, s.Rated, s.Satisfied, s.Basic,
		s.Unsatisfied, s.Escalated, s.OnTimeLabel(), s.SatisfactionLabel(), s.AvgReplyDaysLabel()}
}

// problemStats answers the grouped statistics and the departments' red and black lists.
func (h *Handler) problemStats(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "by", "from", "to", "category")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	by := q.str("by")
	if by == "" {
		by = domain.ProblemByDepartment
	}
	rep, err := h.store.ProblemStatistics(r.Context(), domain.ProblemFilter{From: q.str("from"), To: q.str("to"), Category: q.str("category")}, by)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		By    string             `json:"by"`
		At    time.Time          `json:"at"`
		Rows  []problemStatsJSON `json:"rows"`
		Total problemStatsJSON   `json:"total"`
		Red   []listingJSON      `json:"red_list"`
		Black []listingJSON      `json:"black_list"`
	}{By: rep.By, At: rep.At, Rows: []problemStatsJSON{}, Total: statsOut(rep.Total), Red: []listingJSON{}, Black: []listingJSON{}}
	for _, s := range rep.Rows {
		out.Rows = append(out.Rows, statsOut(s))
	}
	for _, l := range rep.Red {
		out.Red = append(out.Red, listingJSON{statsOut(l.ProblemStats), l.Rank, l.Tied, l.Reasons})
	}
	for _, l := range rep.Black {
		out.Black = append(out.Black, listingJSON{statsOut(l.ProblemStats), l.Rank, l.Tied, l.Reasons})
	}
	writeJSON(w, http.StatusOK, out)
}

type linkJSON struct {
	ID             int64  `json:"id"`
	LeaderID       int64  `json:"leader_id"`
	LeaderName     string `json:"leader_name"`
	EnterpriseID   int64  `json:"enterprise_id"`
	EnterpriseName string `json:"enterprise_name"`
	StartOn        string `json:"start_on"`
	EndOn          string `json:"end_on"`
	Version        int64  `json:"version"`
}

func linkOut(l *domain.LeaderLink) linkJSON {
	return linkJSON{l.ID, l.LeaderID, l.LeaderName, l.EnterpriseID, l.EnterpriseName, l.StartOn, l.EndOn, l.Version}
}

func (h *Handler) listLinks(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "leader_id", "enterprise_id", "active_on", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := store.LinkFilter{ActiveOn: q.str("active_on")}
	if f.LeaderID, err = q.id("leader_id"); err == nil {
		f.EnterpriseID, err = q.id("enterprise_id")
	}
	if _, perr := time.Parse(domain.DateLayout, f.ActiveOn); err == nil && f.ActiveOn != "" && perr != nil {
		err = badRequest("查询参数 active_on 应为日期，如 2026-01-31，收到 %q。", f.ActiveOn)
	}
	if err == nil {
		f.Offset, f.Limit, err = q.page()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, total, err := h.store.FindLinks(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[linkJSON]{Items: make([]linkJSON, 0, len(list)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, l := range list {
		out.Items = append(out.Items, linkOut(l))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) createLink(w http.ResponseWriter, r *http.Request) {
	var in linkJSON
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	l := &domain.LeaderLink{LeaderID: in.LeaderID, EnterpriseID: in.EnterpriseID, StartOn: in.StartOn, EndOn: in.EndOn}
	if err := h.store.CreateLink(r.Context(), request.Actor(r), l); err != nil {
		h.fail(w, r, err)
		return
	}
	links, _, err := h.store.FindLinks(r.Context(), store.LinkFilter{LeaderID: l.LeaderID, EnterpriseID: l.EnterpriseID, Limit: 500})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, x := range links {
		if x.ID == l.ID {
			l = x
		}
	}
	writeJSON(w, http.StatusCreated, linkOut(l))
}

func (h *Handler) endLink(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Version optional[int64] `json:"version"`
		EndOn   string          `json:"end_on"`
	}
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	probs := domain.Problems{}
	version := requireVersion(probs, in.Version)
	if err := probs.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.store.EndLink(r.Context(), request.Actor(r), id, version, in.EndOn)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, linkOut(l))
}

type visitJSON struct {
	ID             int64           `json:"id"`
	LeaderID       int64           `json:"leader_id"`
	LeaderName     string          `json:"leader_name,omitempty"`
	EnterpriseID   int64           `json:"enterprise_id"`
	EnterpriseName string          `json:"enterprise_name,omitempty"`
	VisitOn        string          `json:"visit_on"`
	Notes          string          `json:"notes"`
	ProblemCount   int             `json:"problem_count"`
	Problems       []problemInJSON `json:"problems,omitempty"`
}

// listVisits lists visits; a leader who is not a coordinator sees their own.
func (h *Handler) listVisits(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "leader_id", "enterprise_id", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var leader, enterprise int64
	if leader, err = q.id("leader_id"); err == nil {
		enterprise, err = q.id("enterprise_id")
	}
	limit := defaultLimit
	if err == nil {
		_, limit, err = q.page()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if u := request.User(r); !u.HasRole(domain.RoleCoordinator) {
		leader = u.ID
	}
	list, err := h.store.FindVisits(r.Context(), leader, enterprise, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]visitJSON, 0, len(list))
	for _, v := range list {
		out = append(out, visitJSON{ID: v.ID, LeaderID: v.LeaderID, LeaderName: v.LeaderName, EnterpriseID: v.EnterpriseID,
			EnterpriseName: v.EnterpriseName, VisitOn: v.VisitOn, Notes: v.Notes, ProblemCount: v.Problems})
	}
	writeJSON(w, http.StatusOK, out)
}

// recordVisit records a service-day visit with the problems raised on it, all or nothing.
func (h *Handler) recordVisit(w http.ResponseWriter, r *http.Request) {
	var in visitJSON
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(in.Problems) > 20 {
		h.fail(w, r, domain.Problems{"problems": "一次走访登记的诉求不超过20条。"}.Err())
		return
	}
	v := &domain.ServiceVisit{LeaderID: in.LeaderID, EnterpriseID: in.EnterpriseID, VisitOn: in.VisitOn, Notes: in.Notes}
	problems := make([]*domain.Problem, len(in.Problems))
	for i, p := range in.Problems {
		problems[i] = &domain.Problem{Category: p.Category, Urgency: p.Urgency, Title: p.Title, Description: p.Description}
	}
	if err := h.store.RecordVisit(r.Context(), problemActor(r), v, problems); err != nil {
		h.fail(w, r, err)
		return
	}
	out := visitJSON{ID: v.ID, LeaderID: v.LeaderID, EnterpriseID: v.EnterpriseID, VisitOn: v.VisitOn, Notes: v.Notes, ProblemCount: v.Problems}
	writeJSON(w, http.StatusCreated, out)
}

// getProblemRules answers the city's problem-loop rules (the defaults until set), with
// their version as the ETag, for a PUT to send back in If-Match.
func (h *Handler) getProblemRules(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	rules, version, err := h.store.ProblemRulesVersion(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", `"`+version+`"`)
	writeJSON(w, http.StatusOK, rules)
}

// putProblemRules replaces the rules as a whole: categories, limits, satisfaction weights,
// escalation targets (the supervision office's unit), the reminder time, list thresholds.
// With If-Match (the ETag of a GET) a save based on rules since replaced is a conflict;
// without it the rules are replaced whatever is stored.
func (h *Handler) putProblemRules(w http.ResponseWriter, r *http.Request) {
	var rules domain.ProblemRules
	if err := h.readBody(w, r, &rules); err != nil {
		h.fail(w, r, err)
		return
	}
	version := strings.Trim(strings.TrimSpace(r.Header.Get("If-Match")), `"`)
	saved, err := h.store.SaveProblemRules(r.Context(), request.Actor(r), rules, version)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", `"`+saved+`"`)
	writeJSON(w, http.StatusOK, rules)
}
