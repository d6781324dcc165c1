package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// LeaderLink ties a leader (挂点领导, a user with the leader role) to an enterprise for a
// span of dates: the leader visits it on service days and follows its problems. EndOn is
// empty while the link lasts.
type LeaderLink struct {
	ID           int64
	LeaderID     int64
	EnterpriseID int64
	StartOn      string // YYYY-MM-DD
	EndOn        string // YYYY-MM-DD, "" while active
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Filled by the store for display.
	LeaderName, EnterpriseName string
	UnitID                     int64
}

// ActiveOn reports whether the link holds on date (YYYY-MM-DD).
func (l *LeaderLink) ActiveOn(date string) bool {
	return l.StartOn <= date && (l.EndOn == "" || date <= l.EndOn)
}

// Validate checks the link's own fields; the store checks the leader's role.
func (l *LeaderLink) Validate() error {
	probs := Problems{}
	l.StartOn, l.EndOn = strings.TrimSpace(l.StartOn), strings.TrimSpace(l.EndOn)
	if l.LeaderID <= 0 {
		probs.Add("leader_id", "请选择挂点领导。")
	}
	if l.EnterpriseID <= 0 {
		probs.Add("enterprise_id", "请选择挂点企业。")
	}
	if _, err := time.Parse(DateLayout, l.StartOn); err != nil {
		probs.Add("start_on", "请填写挂点开始日期，格式如 2026-01-31。")
	}
	if l.EndOn != "" {
		if _, err := time.Parse(DateLayout, l.EndOn); err != nil {
			probs.Add("end_on", "结束日期格式应如 2026-12-31。")
		} else if l.EndOn < l.StartOn {
			probs.Add("end_on", "结束日期不能早于开始日期。")
		}
	}
	return probs.Err()
}

// ServiceVisit is a leader's visit to a linked enterprise on a service day (企业服务日);
// the problems raised there are received with it.
type ServiceVisit struct {
	ID           int64
	LeaderID     int64
	EnterpriseID int64
	VisitOn      string // YYYY-MM-DD
	Notes        string
	CreatedAt    time.Time

	LeaderName, EnterpriseName string // filled by the store for display
	Problems                   int    // problems raised on the visit
}

// Validate checks a visit as recorded; today is the China date it is recorded on, since
// a visit cannot be recorded before it happened.
func (v *ServiceVisit) Validate(today string) error {
	probs := Problems{}
	v.VisitOn, v.Notes = strings.TrimSpace(v.VisitOn), strings.TrimSpace(v.Notes)
	if v.EnterpriseID <= 0 {
		probs.Add("enterprise_id", "请选择走访的企业。")
	}
	if _, err := time.Parse(DateLayout, v.VisitOn); err != nil {
		probs.Add("visit_on", "请填写走访日期，格式如 2026-01-31。")
	} else if v.VisitOn > today {
		probs.Add("visit_on", "走访日期不能晚于今天。")
	}
	if utf8.RuneCountInString(v.Notes) > 2000 {
		probs.Add("notes", "走访记录不超过2000个字。")
	}
	return probs.Err()
}

// ProblemFilter selects problems for lists, queues, exports and statistics.
type ProblemFilter struct {
	Status     string // one status, "open" for any but closed, "" for all
	LeadUnitID int64  // the lead department
	// DepartmentID keeps problems this department leads or assists: a handler's queue.
	DepartmentID int64
	UnitID       int64 // the enterprise's county or park
	EnterpriseID int64
	LeaderID     int64
	Category     string
	Source       string
	Overdue      bool   // owed and past the deadline now
	From, To     string // received on or after / on or before, YYYY-MM-DD
	Query        string // in the title or the enterprise's name
	// Sort "due" lists by deadline (queues); otherwise the newest first.
	Sort          string
	Offset, Limit int
}

// ProblemOpen is the filter status for every problem not yet closed.
const ProblemOpen = "open"

// Validate checks a filter read from a query or the API.
func (f *ProblemFilter) Validate() error {
	probs := Problems{}
	if f.Status != "" && f.Status != ProblemOpen {
		if _, ok := ProblemStatusLabels[f.Status]; !ok {
			probs.Add("status", "未知的诉求状态「"+f.Status+"」。")
		}
	}
	if f.Source != "" && !validChoice(ProblemSources, f.Source) {
		probs.Add("source", "未知的诉求来源「"+f.Source+"」。")
	}
	for field, d := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(DateLayout, d); d != "" && err != nil {
			probs.Add(field, "日期格式应如 2026-01-31。")
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		probs.Add("to", "结束日期不能早于开始日期。")
	}
	if f.Sort != "" && f.Sort != "due" && f.Sort != "new" {
		probs.Add("sort", "未知的排序方式。")
	}
	if f.LeadUnitID < 0 || f.DepartmentID < 0 || f.UnitID < 0 || f.EnterpriseID < 0 || f.LeaderID < 0 || f.Offset < 0 {
		probs.Add("filter", "筛选条件无效。")
	}
	return probs.Err()
}

// ProblemRow is a problem as a list shows it.
type ProblemRow struct {
	*Problem
	EnterpriseName string
}

// ProblemReport is the statistics page: the groups, the total, and the red and black
// lists of lead departments, counted at At under Rules.
type ProblemReport struct {
	By         string
	At         time.Time
	Rows       []ProblemStats
	Total      ProblemStats
	Red, Black []DepartmentListing
	Rules      ProblemRules
}

// RegistrationSource is how a problem a signed-in user registers reached the system: the
// coordinating office's registration, or a county's or park's for its own enterprises.
func RegistrationSource(u *User) string {
	if u != nil && u.HasRole(RoleCoordinator) {
		return SourceCoordinator
	}
	return SourceUnit
}
