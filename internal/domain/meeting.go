package domain

import (
	"slices"
	"strings"
	"time"
)

// MeetingKind is how often a dispatch meeting (调度会) is held, or that it is a one-off.
type MeetingKind string

const (
	MeetingMonthly   MeetingKind = "monthly"
	MeetingQuarterly MeetingKind = "quarterly"
	MeetingSpecial   MeetingKind = "special"
)

// MeetingKinds lists the kinds in display order.
var MeetingKinds = []MeetingKind{MeetingMonthly, MeetingQuarterly, MeetingSpecial}

// Label is the kind's Chinese name.
func (k MeetingKind) Label() string {
	switch k {
	case MeetingMonthly:
		return "月度调度会"
	case MeetingQuarterly:
		return "季度调度会"
	case MeetingSpecial:
		return "专题调度会"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k MeetingKind) Valid() bool { return slices.Contains(MeetingKinds, k) }

// Meeting is a dispatch meeting: when it was held, the period it reviewed, who attended
// and what it decided. Its action items are kept apart, each with its own version.
type Meeting struct {
	ID        int64
	HeldOn    string // YYYY-MM-DD
	Kind      MeetingKind
	Year      int // the reporting period the meeting reviewed
	Month     int
	Title     string
	Attendees string // free text, one name or group per line
	Decisions string // the decisions (议定事项), as recorded
	// BulletinID is the published bulletin version the meeting reviewed, 0 for none.
	BulletinID int64
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Normalize trims the typed fields.
func (m *Meeting) Normalize() {
	m.HeldOn = strings.TrimSpace(m.HeldOn)
	m.Title = strings.TrimSpace(m.Title)
	m.Attendees = strings.TrimSpace(m.Attendees)
	m.Decisions = strings.TrimSpace(m.Decisions)
}

// Validate checks a meeting's fields.
func (m *Meeting) Validate() error {
	m.Normalize()
	p := Problems{}
	if !validDate(m.HeldOn) {
		p.Add("held_on", "请填写有效的会议日期，格式为 2026-11-05。")
	}
	if !m.Kind.Valid() {
		p.Add("kind", "请选择会议类型：月度、季度或专题。")
	}
	if !ValidYear(m.Year) {
		p.Add("year", "调度期间的年份无效。")
	}
	if m.Month < 1 || m.Month > 12 {
		p.Add("month", "调度期间的月份应为1至12。")
	}
	if n := len([]rune(m.Title)); n == 0 || n > 128 {
		p.Add("title", "请填写会议名称（不超过128个字）。")
	}
	if len([]rune(m.Attendees)) > 2000 {
		p.Add("attendees", "参会人员不超过2000个字。")
	}
	if len([]rune(m.Decisions)) > 20000 {
		p.Add("decisions", "议定事项不超过20000个字。")
	}
	if m.BulletinID < 0 {
		p.Add("bulletin_id", "调度通报编号无效。")
	}
	return p.Err()
}

// validDate accepts a calendar date written YYYY-MM-DD.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// ActionStatus is where an action item (交办事项) stands.
type ActionStatus string

const (
	ActionOpen      ActionStatus = "open"      // 未办结: assigned, not yet answered
	ActionReplied   ActionStatus = "replied"   // 已答复: the owner unit answered; awaits the coordinator's closure
	ActionDone      ActionStatus = "done"      // 已办结: closed by a coordinator
	ActionCancelled ActionStatus = "cancelled" // 已撤销: withdrawn by a coordinator, with a reason
)

// ActionStatuses lists the statuses in display order.
var ActionStatuses = []ActionStatus{ActionOpen, ActionReplied, ActionDone, ActionCancelled}

// Label is the status's Chinese name.
func (s ActionStatus) Label() string {
	switch s {
	case ActionOpen:
		return "未办结"
	case ActionReplied:
		return "已答复"
	case ActionDone:
		return "已办结"
	case ActionCancelled:
		return "已撤销"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool { return slices.Contains(ActionStatuses, s) }

// Pending reports whether the item still awaits closure: open, or replied but not yet
// closed by a coordinator.
func (s ActionStatus) Pending() bool { return s == ActionOpen || s == ActionReplied }

// ActionItem is a task a meeting assigned to one county, park or department, with a
// deadline. The owner unit replies; a coordinator closes, reopens or cancels it.
type ActionItem struct {
	ID          int64
	MeetingID   int64
	Text        string
	OwnerUnitID int64
	Deadline    string // YYYY-MM-DD
	Status      ActionStatus
	Reply       string
	RepliedBy   string
	RepliedAt   time.Time
	ClosedBy    string
	ClosedAt    time.Time
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Read along for lists, exports and the bulletin; not written.
	MeetingTitle  string
	MeetingHeldOn string
	OwnerUnitName string
}

// ActionOwnerKinds are the kinds of unit an action item may be assigned to.
var ActionOwnerKinds = []UnitKind{UnitCounty, UnitPark, UnitDepartment}

// ValidateActionItem checks an item against its meeting and its owner unit (nil when the
// unit does not exist): the deadline is a date not before the meeting, and the owner is a
// county, park or department.
func ValidateActionItem(a *ActionItem, m *Meeting, owner *Unit) error {
	a.Text = strings.TrimSpace(a.Text)
	a.Deadline = strings.TrimSpace(a.Deadline)
	p := Problems{}
	if n := len([]rune(a.Text)); n == 0 || n > 2000 {
		p.Add("text", "请填写交办事项内容（不超过2000个字）。")
	}
	switch {
	case owner == nil:
		p.Add("owner_unit_id", "请选择责任单位：所选单位不存在。")
	case !slices.Contains(ActionOwnerKinds, owner.Kind):
		p.Add("owner_unit_id", "责任单位应为县（市、区）、园区或市直部门，不能是"+owner.Kind.Label()+"。")
	case !owner.Active:
		p.Add("owner_unit_id", "责任单位“"+owner.Name+"”已停用。")
	}
	switch {
	case !validDate(a.Deadline):
		p.Add("deadline", "请填写有效的办结时限，格式为 2026-11-30。")
	case m != nil && a.Deadline < m.HeldOn:
		p.Add("deadline", "办结时限不能早于会议日期 "+m.HeldOn+"。")
	}
	return p.Err()
}

// The verbs of an action item's life after it is assigned.
const (
	ActionVerbReply  = "reply"
	ActionVerbClose  = "close"
	ActionVerbReopen = "reopen"
	ActionVerbCancel = "cancel"
)

// NextActionStatus is the status an item moves to when verb is applied, or an invalid
// error saying why not. The owner unit replies while the item is pending (a second reply
// replaces the first); a coordinator closes a pending item, cancels one with a reason,
// and reopens a closed or cancelled one with a reason — it goes back to 未办结 and waits
// for a new reply.
func NextActionStatus(from ActionStatus, verb, text string) (ActionStatus, error) {
	text = strings.TrimSpace(text)
	switch verb {
	case ActionVerbReply:
		if !from.Pending() {
			return "", Errorf(EINVALID, "该事项%s，不能再答复。", from.Label())
		}
		if text == "" {
			return "", &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"reply": "请填写答复内容。"}}
		}
		if len([]rune(text)) > 5000 {
			return "", &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"reply": "答复内容不超过5000个字。"}}
		}
		return ActionReplied, nil
	case ActionVerbClose:
		if !from.Pending() {
			return "", Errorf(EINVALID, "该事项%s，不能办结。", from.Label())
		}
		return ActionDone, nil
	case ActionVerbCancel:
		if !from.Pending() {
			return "", Errorf(EINVALID, "该事项%s，不能撤销。", from.Label())
		}
		if text == "" {
			return "", &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"reason": "撤销须填写原因。"}}
		}
		return ActionCancelled, nil
	case ActionVerbReopen:
		if from.Pending() {
			return "", Errorf(EINVALID, "该事项%s，无需重新打开。", from.Label())
		}
		if text == "" {
			return "", &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"reason": "重新打开须填写原因。"}}
		}
		return ActionOpen, nil
	}
	return "", Errorf(EINVALID, "未知的操作 %q。", verb)
}

// ActionRules are the city's dispatch rules, kept as a setting.
type ActionRules struct {
	// RepliedCountsOverdue counts a replied item past its deadline as overdue until a
	// coordinator closes it: the reply is the unit's claim, the closure the city's
	// confirmation. A city that trusts replies turns it off.
	RepliedCountsOverdue bool `json:"replied_counts_overdue"`
	// DefaultDeadlineDays is the deadline the add-item form proposes, in days after the
	// meeting.
	DefaultDeadlineDays int `json:"default_deadline_days"`
}

// DefaultActionRules: replied items stay overdue until closed; two weeks to answer.
var DefaultActionRules = ActionRules{RepliedCountsOverdue: true, DefaultDeadlineDays: 14}

// Validate checks the rules.
func (r ActionRules) Validate() error {
	p := Problems{}
	if r.DefaultDeadlineDays < 1 || r.DefaultDeadlineDays > 365 {
		p.Add("default_deadline_days", "默认办结时限应为1至365天。")
	}
	return p.Err()
}

// OverdueStatuses are the statuses an item past its deadline counts as overdue in.
func (r ActionRules) OverdueStatuses() []ActionStatus {
	if r.RepliedCountsOverdue {
		return []ActionStatus{ActionOpen, ActionReplied}
	}
	return []ActionStatus{ActionOpen}
}

// DaysOverdue is how many days past its deadline the item is on the day today falls on
// in China, 0 when it is not overdue or its status does not count under the rules. The
// deadline day itself is still in time.
func (a *ActionItem) DaysOverdue(today time.Time, r ActionRules) int {
	if !slices.Contains(r.OverdueStatuses(), a.Status) {
		return 0
	}
	d, err := time.Parse(time.DateOnly, a.Deadline)
	if err != nil {
		return 0
	}
	today = today.In(ChinaTime)
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if days := int(t.Sub(d).Hours() / 24); days > 0 {
		return days
	}
	return 0
}

// Overdue reports whether the item is overdue on the day today falls on in China.
func (a *ActionItem) Overdue(today time.Time, r ActionRules) bool { return a.DaysOverdue(today, r) > 0 }

// ChinaTime is where the campaign's calendar days begin and end: deadlines are China dates.

// ChinaDate is the calendar date (YYYY-MM-DD) t falls on in China.
func ChinaDate(t time.Time) string { return t.In(ChinaTime).Format(time.DateOnly) }

// ActionItemFilter selects action items for a list. Overdue keeps the items overdue
// under the rules on Today (a date, YYYY-MM-DD, in China time).
type ActionItemFilter struct {
	MeetingID   int64
	OwnerUnitID int64
	Status      ActionStatus
	Overdue     bool
	Today       string
	Offset      int
	Limit       int
}

// ActionItemEvent is one change in an item's history.
type ActionItemEvent struct {
	Action     string // create, update, reply, close, reopen, cancel
	FromStatus ActionStatus
	ToStatus   ActionStatus
	Note       string // the reply, the reason, or what was edited
	ActorName  string
	At         time.Time
}

// ActionEventLabel is a history action's Chinese name.
func ActionEventLabel(action string) string {
	switch action {
	case "create":
		return "交办"
	case "update":
		return "修改"
	case ActionVerbReply:
		return "答复"
	case ActionVerbClose:
		return "办结"
	case ActionVerbReopen:
		return "重新打开"
	case ActionVerbCancel:
		return "撤销"
	}
	return action
}
