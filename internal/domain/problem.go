package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// An enterprise's problem (诉求) runs through a closed loop (DOMAIN.md §5): received →
// assigned to a lead department (with assisting departments) → accepted and in progress →
// replied → rated by the enterprise → closed. Side paths: the lead objects and asks the
// coordinator to reassign; the lead asks for an extension, which the coordinator approves
// or rejects; an unsatisfied rating reopens it to the lead with a new deadline; an overdue
// problem is escalated (督办). ApplyProblem is the one place these rules live.

// Problem statuses.
const (
	ProblemReceived          = "received"
	ProblemAssigned          = "assigned"
	ProblemReassignRequested = "reassign_requested"
	ProblemInProgress        = "in_progress"
	ProblemReplied           = "replied"
	ProblemReopened          = "reopened"
	ProblemClosed            = "closed"
)

// ProblemStatusLabels name the statuses for people.
var ProblemStatusLabels = map[string]string{
	ProblemReceived:          "待交办",
	ProblemAssigned:          "已交办待签收",
	ProblemReassignRequested: "申请改派",
	ProblemInProgress:        "办理中",
	ProblemReplied:           "已答复待评价",
	ProblemReopened:          "不满意重办",
	ProblemClosed:            "已办结",
}

// Problem sources: how a problem reached the system.
const (
	SourceServiceDay  = "service_day"  // collected on a service-day visit
	SourceCoordinator = "coordinator"  // registered by the coordinating office
	SourceContactForm = "contact_form" // sent by the enterprise through its contact form
	SourceUnit        = "unit"         // registered by the county's or park's reporter for its enterprise
)

// ProblemSources are the sources with their labels.
var ProblemSources = []Choice{{SourceServiceDay, "企业服务日走访"}, {SourceCoordinator, "倍增办登记"}, {SourceContactForm, "企业自主提交"},
	{SourceUnit, "县区登记"}}

// Urgencies: each has its own answer limit (ProblemRules.Limits).
const (
	UrgencyUrgent  = "urgent"
	UrgencyGeneral = "general"
	UrgencyComplex = "complex"
)

// ProblemUrgencies are the urgencies with their labels.
var ProblemUrgencies = []Choice{{UrgencyUrgent, "紧急"}, {UrgencyGeneral, "一般"}, {UrgencyComplex, "复杂"}}

// Ratings an enterprise gives a reply.
const (
	RatingSatisfied   = "satisfied"
	RatingBasic       = "basic"
	RatingUnsatisfied = "unsatisfied"
)

// ProblemRatings are the ratings with their labels.
var ProblemRatings = []Choice{{RatingSatisfied, "满意"}, {RatingBasic, "基本满意"}, {RatingUnsatisfied, "不满意"}}

func validChoice(choices []Choice, value string) bool {
	return slices.ContainsFunc(choices, func(c Choice) bool { return c.Value == value })
}

// Problem is an enterprise's problem and where it stands in the loop. Times are instants;
// deadlines fall on the city's calendar days (China time).
type Problem struct {
	ID           int64
	Source       string
	EnterpriseID int64
	UnitID       int64 // the county or park the enterprise belongs to
	Category     string
	Urgency      string
	Title        string
	Description  string
	LeaderID     int64 // the linked leader (挂点领导, a user), 0 when none

	LeadUnitID int64 // the lead department (主办)
	Assists    []ProblemAssist
	Status     string
	ReceivedAt time.Time
	AssignedAt time.Time // the last (re)assignment; the deadline counts from it
	DueAt      time.Time // the lead's answer is due by this instant
	Extensions int       // approved extensions
	Pending    *ProblemExtension

	// FirstReplyAt and FirstReplyDueAt measure the current lead department: its first
	// answer and the deadline then in force (an approved extension moves it).
	FirstReplyAt    time.Time
	FirstReplyDueAt time.Time
	RepliedAt       time.Time
	Reply           string

	Rating  string // the latest rating, "" before the first
	RatedAt time.Time
	Reopens int

	Escalations int
	EscalatedAt time.Time
	// EscalatedDueAt is the deadline the last escalation was for: one escalation per
	// missed deadline, and a new deadline (extension, reopening) can be missed again.
	EscalatedDueAt time.Time

	ClosedAt    time.Time
	CloseReason string

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ProblemAssist is one assisting department (协办) and its internal answer to the lead.
type ProblemAssist struct {
	UnitID     int64
	DueAt      time.Time
	AnsweredAt time.Time
	Answer     string
}

// ProblemExtension is a lead department's pending request for a later deadline.
type ProblemExtension struct {
	RequestedAt time.Time
	NewDueAt    time.Time
	Reason      string
}

// AssistingUnitIDs lists the assisting departments.
func (p *Problem) AssistingUnitIDs() []int64 {
	ids := make([]int64, len(p.Assists))
	for i, a := range p.Assists {
		ids[i] = a.UnitID
	}
	return ids
}

func (p *Problem) clone() Problem {
	q := *p
	q.Assists = slices.Clone(p.Assists)
	if p.Pending != nil {
		e := *p.Pending
		q.Pending = &e
	}
	return q
}

// Validate checks what is given when a problem is received, against the city's categories.
func (p *Problem) Validate(rules ProblemRules) error {
	p.Title = strings.TrimSpace(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	probs := Problems{}
	if !validChoice(ProblemSources, p.Source) {
		probs.Add("source", "请选择诉求来源。")
	}
	if p.EnterpriseID <= 0 {
		probs.Add("enterprise_id", "请选择提出诉求的企业。")
	}
	if p.UnitID <= 0 {
		probs.Add("unit_id", "请选择企业所属县区或园区。")
	}
	if rules.Category(p.Category) == nil {
		probs.Add("category", "请选择诉求类别。")
	}
	if !validChoice(ProblemUrgencies, p.Urgency) {
		probs.Add("urgency", "请选择紧急程度。")
	}
	if n := utf8.RuneCountInString(p.Title); n == 0 || n > 100 {
		probs.Add("title", "请填写诉求标题（不超过100个字）。")
	}
	if n := utf8.RuneCountInString(p.Description); n == 0 || n > 2000 {
		probs.Add("description", "请填写诉求内容（不超过2000个字）。")
	}
	if p.LeaderID < 0 {
		probs.Add("leader_id", "挂点领导无效。")
	}
	return probs.Err()
}

// WorkCalendar tells working days from holidays; the city's calendar (public holidays and
// adjusted workdays, 调休, loaded per year) implements it. Only the date of a time matters,
// read in the time's own location (t.Date()): callers pass China times.
type WorkCalendar interface {
	// AddWorkingDays returns the n-th working day after from's date (from's own day is
	// not counted; n = 0 returns from's date): Friday + 1 is the next Monday in an
	// ordinary week.
	AddWorkingDays(from time.Time, n int) time.Time
	IsWorkingDay(d time.Time) bool
}

// ChinaTime is the city's clock: deadlines end at midnight China time, as the web, API
// and store read dates.

// endOfDay is the last second of d's date in China time.
func endOfDay(d time.Time) time.Time {
	return dateOf(d).AddDate(0, 0, 1).Add(-time.Second)
}

// dateOf is midnight of t's China date.
func dateOf(t time.Time) time.Time {
	t = t.In(ChinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ChinaTime)
}

// WorkingDaysBetween counts the working days after from's date up to and including to's
// date (China time): a reply the same day is 0, the next working day 1.
func WorkingDaysBetween(cal WorkCalendar, from, to time.Time) int {
	n := 0
	for d, end := dateOf(from).AddDate(0, 0, 1), dateOf(to); !d.After(end); d = d.AddDate(0, 0, 1) {
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// DueFrom is the deadline of a limit counted from an instant: clock hours run through
// nights and holidays; working days end at the close of the n-th working day after.
func DueFrom(limit ProblemLimit, from time.Time, cal WorkCalendar) time.Time {
	if limit.ClockHours > 0 {
		return from.Add(time.Duration(limit.ClockHours) * time.Hour)
	}
	return endOfDay(cal.AddWorkingDays(from.In(ChinaTime), limit.WorkingDays))
}

func (p *Problem) owing() bool { return owing(p.Status) }

// owing reports whether the lead department owes an answer in the status: the deadline runs.
func owing(status string) bool {
	return status == ProblemAssigned || status == ProblemInProgress || status == ProblemReopened
}

// Overdue reports whether the lead's answer is late at now.
func Overdue(p *Problem, now time.Time) bool { return overdue(p.Status, p.DueAt, now) }

func overdue(status string, due, now time.Time) bool {
	return owing(status) && !due.IsZero() && now.After(due)
}

// DueSoon reports whether the answer is not yet late but due within the given time: the
// reminder before escalation.
func DueSoon(p *Problem, now time.Time, within time.Duration) bool {
	return p.owing() && !p.DueAt.IsZero() && !now.After(p.DueAt) && p.DueAt.Sub(now) <= within
}

// OverdueAssists lists the assisting departments that have not answered the lead by
// their deadline while the problem is still being worked on.
func OverdueAssists(p *Problem, now time.Time) []int64 {
	if !p.owing() {
		return nil
	}
	var ids []int64
	for _, a := range p.Assists {
		if a.AnsweredAt.IsZero() && now.After(a.DueAt) {
			ids = append(ids, a.UnitID)
		}
	}
	return ids
}

// Problem action kinds: everything that can happen to a problem.
const (
	ActReceive          = "receive"
	ActAssign           = "assign"
	ActReassign         = "reassign"
	ActAccept           = "accept"
	ActObject           = "object"
	ActAssist           = "assist"
	ActReply            = "reply"
	ActRequestExtension = "request_extension"
	ActApproveExtension = "approve_extension"
	ActRejectExtension  = "reject_extension"
	ActRate             = "rate"
	ActEscalate         = "escalate"
	ActClose            = "close"
)

// ProblemActionLabels name the action kinds for the timeline.
var ProblemActionLabels = map[string]string{
	ActReceive: "登记", ActAssign: "交办", ActReassign: "改派", ActAccept: "签收", ActObject: "申请改派",
	ActAssist: "协办答复", ActReply: "答复企业", ActRequestExtension: "申请延期", ActApproveExtension: "批准延期",
	ActRejectExtension: "驳回延期", ActRate: "评价", ActEscalate: "督办", ActClose: "办结",
}

// Parties: as whom an actor takes part in a problem.
const (
	PartyCoordinator = "coordinator" // the coordinating office (倍增办)
	PartyLead        = "lead"        // a handler of the lead department
	PartyAssisting   = "assisting"   // a handler of an assisting department
	PartyLeader      = "leader"      // the linked leader
	PartyEnterprise  = "enterprise"  // the enterprise's contact
	PartyReporter    = "reporter"    // the reporter of the enterprise's county or park, registering it
	PartySystem      = "system"      // the escalation job
)

// ProblemPartyLabels name the parties.
var ProblemPartyLabels = map[string]string{PartyCoordinator: "倍增办", PartyLead: "主办部门", PartyAssisting: "协办部门",
	PartyLeader: "挂点领导", PartyEnterprise: "企业", PartySystem: "系统", PartyReporter: "县区"}

// ProblemActor is who acts on a problem: a signed-in user, the enterprise's contact
// (through the enterprise's contact link: no user, EnterpriseID set) or the system.
type ProblemActor struct {
	Actor
	EnterpriseID int64
	ContactName  string
}

// DisplayName is how the actor shows in the timeline.
func (a ProblemActor) DisplayName() string {
	switch {
	case a.User == nil && a.EnterpriseID > 0 && a.ContactName != "":
		return a.ContactName
	case a.User == nil && a.EnterpriseID > 0:
		return "企业联系人"
	}
	return a.Actor.DisplayName()
}

// is reports whether the actor may act on p as the party.
func (a ProblemActor) is(party string, p *Problem) bool {
	u := a.User
	switch party {
	case PartyCoordinator:
		return u != nil && u.HasRole(RoleCoordinator)
	case PartyLead:
		return u != nil && u.HasRole(RoleHandler) && p.LeadUnitID > 0 && u.UnitID == p.LeadUnitID
	case PartyAssisting:
		return u != nil && u.HasRole(RoleHandler) && slices.Contains(p.AssistingUnitIDs(), u.UnitID)
	case PartyLeader:
		return u != nil && u.HasRole(RoleLeader) && p.LeaderID > 0 && u.ID == p.LeaderID
	case PartyEnterprise:
		return u == nil && a.EnterpriseID > 0 && a.EnterpriseID == p.EnterpriseID
	case PartySystem:
		return u == nil && a.EnterpriseID == 0
	}
	return false
}

// ProblemCommand is what an actor asks to do; each kind reads the fields it needs.
type ProblemCommand struct {
	Kind             string
	LeadUnitID       int64   // assign, reassign
	AssistingUnitIDs []int64 // assign, reassign
	Text             string  // the reply, the assisting answer, or the reason
	NewDueDate       string  // request_extension: 'YYYY-MM-DD'
	Rating           string  // rate
}

// ProblemAction is one entry of a problem's timeline.
type ProblemAction struct {
	ID          int64
	ProblemID   int64
	Kind        string
	Party       string
	ActorUserID int64
	ActorName   string
	At          time.Time
	From, To    string // statuses
	Text        string
	Rating      string
	DueAt       time.Time // the deadline this action set, if any
	UnitIDs     []int64   // assign, reassign: the lead first, then the assisting departments
}

// Notice recipients.
const (
	NoticeUnit         = "unit"         // the handlers of a department (ID is the unit)
	NoticeUser         = "user"         // one person (ID is the user), e.g. the linked leader
	NoticeEnterprise   = "enterprise"   // the enterprise's contact (ID is the enterprise)
	NoticeCoordinators = "coordinators" // the coordinating office (ID 0)
)

// ProblemNotice is a message someone must receive because of an action.
type ProblemNotice struct {
	To      string
	ID      int64
	Message string
}

// ProblemEffects are what an accepted action leaves: its timeline entry and the notices
// to send. The problem itself has been updated in place.
type ProblemEffects struct {
	Action  ProblemAction
	Notices []ProblemNotice
}

// problemEnv is what an action's rule reads besides the problem and the command.
type problemEnv struct {
	now   time.Time
	cal   WorkCalendar
	rules ProblemRules
	actor ProblemActor
	party string
}

type problemTransition struct {
	from    []string // statuses the action is allowed in
	parties []string // who may do it, tried in order
	apply   func(p *Problem, c ProblemCommand, env problemEnv, a *ProblemAction) ([]ProblemNotice, error)
}

// problemTransitions is the state machine: per action, the statuses it starts from, who
// may take it and what it does.
var problemTransitions = map[string]problemTransition{
	ActAssign:           {[]string{ProblemReceived}, []string{PartyCoordinator}, applyAssign},
	ActReassign:         {[]string{ProblemAssigned, ProblemReassignRequested, ProblemInProgress, ProblemReopened}, []string{PartyCoordinator}, applyAssign},
	ActAccept:           {[]string{ProblemAssigned}, []string{PartyLead}, applyAccept},
	ActObject:           {[]string{ProblemAssigned}, []string{PartyLead}, applyObject},
	ActAssist:           {[]string{ProblemAssigned, ProblemInProgress, ProblemReopened}, []string{PartyAssisting}, applyAssist},
	ActReply:            {[]string{ProblemInProgress, ProblemReopened}, []string{PartyLead}, applyReply},
	ActRequestExtension: {[]string{ProblemInProgress, ProblemReopened}, []string{PartyLead}, applyRequestExtension},
	ActApproveExtension: {[]string{ProblemInProgress, ProblemReopened}, []string{PartyCoordinator}, applyApproveExtension},
	ActRejectExtension:  {[]string{ProblemInProgress, ProblemReopened}, []string{PartyCoordinator}, applyRejectExtension},
	ActRate:             {[]string{ProblemReplied}, []string{PartyEnterprise, PartyLeader, PartyCoordinator}, applyRate},
	ActEscalate:         {[]string{ProblemAssigned, ProblemInProgress, ProblemReopened}, []string{PartySystem, PartyCoordinator}, applyEscalate},
	ActClose: {[]string{ProblemReceived, ProblemAssigned, ProblemReassignRequested, ProblemInProgress, ProblemReplied, ProblemReopened},
		[]string{PartyCoordinator}, applyClose},
}

// ProblemActionKinds are the actions on a received problem in the loop's order: the order
// a page offers them in.
var ProblemActionKinds = []string{ActAssign, ActReassign, ActAccept, ActObject, ActAssist, ActReply, ActRequestExtension,
	ActApproveExtension, ActRejectExtension, ActRate, ActEscalate, ActClose}

// ProblemActionsFor lists the actions the actor may try on p now, in ProblemActionKinds'
// order: what a page offers as buttons. ApplyProblem still checks each action's own
// conditions (an overdue deadline, a pending extension).
func ProblemActionsFor(p *Problem, actor ProblemActor) []string {
	var out []string
	for _, kind := range ProblemActionKinds {
		t := problemTransitions[kind]
		if slices.Contains(t.from, p.Status) && t.partyOf(actor, p) != "" {
			out = append(out, kind)
		}
	}
	return out
}

func (t problemTransition) partyOf(actor ProblemActor, p *Problem) string {
	for _, party := range t.parties {
		if actor.is(party, p) {
			return party
		}
	}
	return ""
}

// ApplyProblem checks an action against the loop's rules — the status it starts from,
// who may take it, its own conditions — and applies it to p. On success p is updated and
// the timeline entry and notices are returned; on refusal p is unchanged and the error
// says why in Chinese: EINVALID for bad input, EFORBIDDEN for the wrong actor, ECONFLICT
// for an action the problem's status does not allow (a stale page).
func ApplyProblem(p *Problem, c ProblemCommand, actor ProblemActor, now time.Time, cal WorkCalendar, rules ProblemRules) (ProblemEffects, error) {
	t, ok := problemTransitions[c.Kind]
	if !ok {
		return ProblemEffects{}, Errorf(EINVALID, "未知的诉求办理操作「%s」。", c.Kind)
	}
	label := ProblemActionLabels[c.Kind]
	if !slices.Contains(t.from, p.Status) {
		return ProblemEffects{}, Errorf(ECONFLICT, "该诉求当前为「%s」，不能%s。请刷新后查看最新状态。", ProblemStatusLabels[p.Status], label)
	}
	party := t.partyOf(actor, p)
	if party == "" {
		names := make([]string, len(t.parties))
		for i, pt := range t.parties {
			names[i] = ProblemPartyLabels[pt]
		}
		return ProblemEffects{}, Errorf(EFORBIDDEN, "只有%s可以%s该诉求。", strings.Join(names, "、"), label)
	}
	c.Text = strings.TrimSpace(c.Text)
	if utf8.RuneCountInString(c.Text) > 2000 {
		return ProblemEffects{}, Errorf(EINVALID, "内容不超过2000个字。")
	}
	q := p.clone()
	a := ProblemAction{ProblemID: p.ID, Kind: c.Kind, Party: party, ActorUserID: actor.UserID(), ActorName: actor.DisplayName(),
		At: now, From: p.Status, Text: c.Text}
	notices, err := t.apply(&q, c, problemEnv{now: now, cal: cal, rules: rules, actor: actor, party: party}, &a)
	if err != nil {
		return ProblemEffects{}, err
	}
	a.To = q.Status
	*p = q
	return ProblemEffects{Action: a, Notices: notices}, nil
}

// ReceiveProblem registers a new problem: the coordinator for any source, the visiting
// linked leader for a service-day visit, the enterprise's contact through its own form,
// a county's or park's reporter for its own enterprises.
func ReceiveProblem(p *Problem, actor ProblemActor, now time.Time, rules ProblemRules) (ProblemEffects, error) {
	if err := p.Validate(rules); err != nil {
		return ProblemEffects{}, err
	}
	var party string
	switch {
	case actor.is(PartyCoordinator, p):
		party = PartyCoordinator
	case p.Source == SourceServiceDay && actor.User != nil && actor.User.HasRole(RoleLeader):
		party = PartyLeader
	case p.Source == SourceContactForm && actor.is(PartyEnterprise, p):
		party = PartyEnterprise
	case p.Source == SourceUnit && actor.User != nil && actor.User.HasRole(RoleReporter) && actor.User.UnitID == p.UnitID:
		party = PartyReporter
	default:
		return ProblemEffects{}, Errorf(EFORBIDDEN, "企业服务日诉求由走访领导或倍增办登记，企业自主提交的诉求由企业本身提交，县区只能登记本县区企业的诉求，其他诉求由倍增办登记。")
	}
	p.Status, p.ReceivedAt = ProblemReceived, now
	a := ProblemAction{ProblemID: p.ID, Kind: ActReceive, Party: party, ActorUserID: actor.UserID(), ActorName: actor.DisplayName(),
		At: now, To: ProblemReceived, Text: p.Title}
	return ProblemEffects{Action: a, Notices: []ProblemNotice{{To: NoticeCoordinators,
		Message: fmt.Sprintf("新诉求待交办：「%s」（%s，%s）。", p.Title, ChoiceLabel(ProblemSources, p.Source), ChoiceLabel(ProblemUrgencies, p.Urgency))}}}, nil
}

// formatDue shows a deadline as people read it: the minute for clock-hour limits, the
// day for working-day ones (which end at midnight).
func formatDue(t time.Time) string {
	t = t.In(ChinaTime)
	if t.Equal(endOfDay(t)) {
		return t.Format("2006年1月2日")
	}
	return t.Format("2006年1月2日15:04")
}

func needReason(c ProblemCommand, what string) error {
	if c.Text == "" {
		return Errorf(EINVALID, "%s必须填写原因。", what)
	}
	return nil
}

// applyAssign (re)assigns the lead and assisting departments and starts the deadlines
// afresh: the department now answering gets its full time and is measured on its own
// answer.
func applyAssign(p *Problem, c ProblemCommand, env problemEnv, a *ProblemAction) ([]ProblemNotice, error) {
	if c.LeadUnitID <= 0 {
		return nil, Errorf(EINVALID, "请选择主办部门。")
	}
	if len(c.AssistingUnitIDs) > 10 {
		return nil, Errorf(EINVALID, "协办部门不超过10个。")
	}
	for i, id := range c.AssistingUnitIDs {
		switch {
		case id <= 0:
			return nil, Errorf(EINVALID, "协办部门无效。")
		case id == c.LeadUnitID:
			return nil, Errorf(EINVALID, "主办部门不能同时作为协办部门。")
		case slices.Contains(c.AssistingUnitIDs[:i], id):
			return nil, Errorf(EINVALID, "协办部门重复。")
		}
	}
	reassign := c.Kind == ActReassign
	if reassign {
		if err := needReason(c, "改派"); err != nil {
			return nil, err
		}
	}
	previousLead, previousAssisting := p.LeadUnitID, p.AssistingUnitIDs()
	p.LeadUnitID = c.LeadUnitID
	p.Assists = make([]ProblemAssist, len(c.AssistingUnitIDs))
	assistDue := endOfDay(env.cal.AddWorkingDays(env.now.In(ChinaTime), env.rules.AssistWorkingDays))
	for i, id := range c.AssistingUnitIDs {
		p.Assists[i] = ProblemAssist{UnitID: id, DueAt: assistDue}
	}
	p.Status, p.AssignedAt = ProblemAssigned, env.now
	p.DueAt = DueFrom(env.rules.LimitFor(p), env.now, env.cal)
	p.Pending, p.FirstReplyAt, p.FirstReplyDueAt = nil, time.Time{}, time.Time{}
	a.DueAt = p.DueAt
	a.UnitIDs = append([]int64{c.LeadUnitID}, c.AssistingUnitIDs...)

	verb := "交办"
	if reassign {
		verb = "改派"
	}
	notices := []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID,
		Message: fmt.Sprintf("诉求「%s」已%s贵单位主办，请及时签收，并于%s前答复企业。", p.Title, verb, formatDue(p.DueAt))}}
	for _, as := range p.Assists {
		notices = append(notices, ProblemNotice{To: NoticeUnit, ID: as.UnitID,
			Message: fmt.Sprintf("诉求「%s」请贵单位协办，请于%s前向主办部门反馈意见。", p.Title, formatDue(as.DueAt))})
	}
	if reassign && previousLead != p.LeadUnitID && !slices.Contains(c.AssistingUnitIDs, previousLead) {
		notices = append(notices, ProblemNotice{To: NoticeUnit, ID: previousLead,
			Message: fmt.Sprintf("诉求「%s」已改派其他部门主办，贵单位无需继续办理。原因：%s", p.Title, c.Text)})
	}
	for _, id := range previousAssisting {
		if reassign && id != p.LeadUnitID && !slices.Contains(c.AssistingUnitIDs, id) {
			notices = append(notices, ProblemNotice{To: NoticeUnit, ID: id,
				Message: fmt.Sprintf("诉求「%s」已调整协办部门，贵单位无需继续协办。原因：%s", p.Title, c.Text)})
		}
	}
	return notices, nil
}

func applyAccept(p *Problem, _ ProblemCommand, _ problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	p.Status = ProblemInProgress
	return nil, nil
}

// applyObject sends an assignment back to the coordinator: the lead says it is not theirs.
func applyObject(p *Problem, c ProblemCommand, _ problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if err := needReason(c, "申请改派"); err != nil {
		return nil, err
	}
	p.Status, p.Pending = ProblemReassignRequested, nil
	return []ProblemNotice{{To: NoticeCoordinators,
		Message: fmt.Sprintf("诉求「%s」的主办部门申请改派，请重新交办。理由：%s", p.Title, c.Text)}}, nil
}

// applyAssist records an assisting department's internal answer to the lead.
func applyAssist(p *Problem, c ProblemCommand, env problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if c.Text == "" {
		return nil, Errorf(EINVALID, "请填写协办意见。")
	}
	i := slices.IndexFunc(p.Assists, func(as ProblemAssist) bool { return as.UnitID == env.actor.User.UnitID })
	if p.Assists[i].AnsweredAt.IsZero() {
		p.Assists[i].AnsweredAt = env.now
	}
	p.Assists[i].Answer = c.Text
	return []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID, Message: fmt.Sprintf("诉求「%s」的协办部门已反馈意见。", p.Title)}}, nil
}

// applyReply answers the enterprise; a pending extension is moot once answered.
func applyReply(p *Problem, c ProblemCommand, env problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if c.Text == "" {
		return nil, Errorf(EINVALID, "请填写答复内容。")
	}
	if p.FirstReplyAt.IsZero() {
		p.FirstReplyAt, p.FirstReplyDueAt = env.now, p.DueAt
	}
	p.Status, p.RepliedAt, p.Reply, p.Pending = ProblemReplied, env.now, c.Text, nil
	notices := []ProblemNotice{{To: NoticeEnterprise, ID: p.EnterpriseID,
		Message: fmt.Sprintf("您反映的「%s」已有答复，请查看并评价。", p.Title)}}
	if p.LeaderID > 0 {
		notices = append(notices, ProblemNotice{To: NoticeUser, ID: p.LeaderID,
			Message: fmt.Sprintf("您挂点企业的诉求「%s」已答复，待企业评价。", p.Title)})
	}
	return notices, nil
}

// applyRequestExtension asks for a later deadline, in time: at least the configured
// number of whole working days must remain between the request day and the deadline.
func applyRequestExtension(p *Problem, c ProblemCommand, env problemEnv, a *ProblemAction) ([]ProblemNotice, error) {
	if p.Pending != nil {
		return nil, Errorf(ECONFLICT, "已有延期申请待审批，请等待倍增办审批。")
	}
	if err := needReason(c, "申请延期"); err != nil {
		return nil, err
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(c.NewDueDate), ChinaTime)
	if err != nil {
		return nil, Errorf(EINVALID, "请填写延期后的答复期限，日期格式应为 2026-01-31。")
	}
	newDue := endOfDay(day)
	if !newDue.After(p.DueAt) {
		return nil, Errorf(EINVALID, "延期后的期限应晚于现期限%s。", formatDue(p.DueAt))
	}
	if !env.cal.IsWorkingDay(day) {
		return nil, Errorf(EINVALID, "%s不是工作日，请选择工作日作为答复期限。", day.Format("2006年1月2日"))
	}
	lead := env.rules.ExtensionLeadWorkingDays
	tooLate := env.now.After(p.DueAt)
	if lead > 0 {
		tooLate = endOfDay(env.cal.AddWorkingDays(env.now.In(ChinaTime), lead)).After(p.DueAt)
	}
	switch {
	case tooLate && lead == 0:
		return nil, Errorf(EINVALID, "已超过答复期限%s，不能再申请延期。", formatDue(p.DueAt))
	case tooLate:
		return nil, Errorf(EINVALID, "延期须在答复期限%s前至少%d个工作日提出，现已不能申请延期，请按期答复。", formatDue(p.DueAt), lead)
	}
	p.Pending = &ProblemExtension{RequestedAt: env.now, NewDueAt: newDue, Reason: c.Text}
	a.DueAt = newDue
	return []ProblemNotice{{To: NoticeCoordinators,
		Message: fmt.Sprintf("诉求「%s」的主办部门申请延期至%s，请审批。理由：%s", p.Title, formatDue(newDue), c.Text)}}, nil
}

func applyApproveExtension(p *Problem, _ ProblemCommand, _ problemEnv, a *ProblemAction) ([]ProblemNotice, error) {
	if p.Pending == nil {
		return nil, Errorf(ECONFLICT, "该诉求没有待审批的延期申请。")
	}
	p.DueAt, p.Pending = p.Pending.NewDueAt, nil
	p.Extensions++
	a.DueAt = p.DueAt
	return []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID,
		Message: fmt.Sprintf("诉求「%s」的延期申请已批准，答复期限延至%s。", p.Title, formatDue(p.DueAt))}}, nil
}

func applyRejectExtension(p *Problem, c ProblemCommand, _ problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if p.Pending == nil {
		return nil, Errorf(ECONFLICT, "该诉求没有待审批的延期申请。")
	}
	if err := needReason(c, "驳回延期"); err != nil {
		return nil, err
	}
	p.Pending = nil
	return []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID,
		Message: fmt.Sprintf("诉求「%s」的延期申请未获批准，请于%s前答复。理由：%s", p.Title, formatDue(p.DueAt), c.Text)}}, nil
}

// applyRate records the enterprise's rating: satisfied or basically satisfied closes the
// problem; unsatisfied reopens it to the lead with a fresh deadline.
func applyRate(p *Problem, c ProblemCommand, env problemEnv, a *ProblemAction) ([]ProblemNotice, error) {
	if !validChoice(ProblemRatings, c.Rating) {
		return nil, Errorf(EINVALID, "请选择评价：满意、基本满意或不满意。")
	}
	if c.Rating == RatingUnsatisfied && c.Text == "" {
		return nil, Errorf(EINVALID, "评价为不满意时，请填写不满意的原因，以便主办部门重新办理。")
	}
	p.Rating, p.RatedAt = c.Rating, env.now
	a.Rating = c.Rating
	if c.Rating != RatingUnsatisfied {
		p.Status, p.ClosedAt, p.CloseReason = ProblemClosed, env.now, ""
		return []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID,
			Message: fmt.Sprintf("诉求「%s」企业评价为「%s」，已办结。", p.Title, ChoiceLabel(ProblemRatings, c.Rating))}}, nil
	}
	p.Status, p.Reopens = ProblemReopened, p.Reopens+1
	p.DueAt = DueFrom(env.rules.LimitFor(p), env.now, env.cal)
	a.DueAt = p.DueAt
	return []ProblemNotice{
		{To: NoticeUnit, ID: p.LeadUnitID, Message: fmt.Sprintf("企业对诉求「%s」的答复不满意，请重新办理，并于%s前再次答复。原因：%s", p.Title, formatDue(p.DueAt), c.Text)},
		{To: NoticeCoordinators, Message: fmt.Sprintf("诉求「%s」企业评价不满意，已退回主办部门重新办理。", p.Title)},
	}, nil
}

// applyEscalate raises an overdue problem (督办) to the supervision office, the linked
// leader and the lead department; once per missed deadline.
func applyEscalate(p *Problem, _ ProblemCommand, env problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if !Overdue(p, env.now) {
		return nil, Errorf(EINVALID, "该诉求尚未超过答复期限%s，不能督办。", formatDue(p.DueAt))
	}
	if p.EscalatedDueAt.Equal(p.DueAt) {
		return nil, Errorf(ECONFLICT, "该诉求已就本次逾期督办。")
	}
	p.Escalations++
	p.EscalatedAt, p.EscalatedDueAt = env.now, p.DueAt
	msg := fmt.Sprintf("诉求「%s」已超过答复期限%s仍未答复，列入督办。", p.Title, formatDue(p.DueAt))
	notices := []ProblemNotice{{To: NoticeUnit, ID: p.LeadUnitID, Message: msg + "请主办部门立即办理。"}}
	esc := env.rules.Escalation
	if esc.SupervisionUnitID > 0 {
		notices = append(notices, ProblemNotice{To: NoticeUnit, ID: esc.SupervisionUnitID, Message: msg})
	}
	if esc.NotifyLeader && p.LeaderID > 0 {
		notices = append(notices, ProblemNotice{To: NoticeUser, ID: p.LeaderID, Message: msg})
	}
	if esc.NotifyCoordinators && env.party != PartyCoordinator {
		notices = append(notices, ProblemNotice{To: NoticeCoordinators, Message: msg})
	}
	return notices, nil
}

// applyClose lets the coordinator close a problem with a reason (withdrawn, duplicate,
// resolved otherwise, or beyond what policy allows after repeated replies).
func applyClose(p *Problem, c ProblemCommand, env problemEnv, _ *ProblemAction) ([]ProblemNotice, error) {
	if err := needReason(c, "倍增办办结"); err != nil {
		return nil, err
	}
	p.Status, p.ClosedAt, p.CloseReason, p.Pending = ProblemClosed, env.now, c.Text, nil
	notices := []ProblemNotice{{To: NoticeEnterprise, ID: p.EnterpriseID,
		Message: fmt.Sprintf("您反映的「%s」已办结。说明：%s", p.Title, c.Text)}}
	if p.LeadUnitID > 0 {
		notices = append(notices, ProblemNotice{To: NoticeUnit, ID: p.LeadUnitID,
			Message: fmt.Sprintf("诉求「%s」已由倍增办办结。说明：%s", p.Title, c.Text)})
	}
	return notices, nil
}
