package domain

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ProblemLimit is how long the lead department has to answer: clock hours (urgent
// problems, through nights and holidays) or working days (on the city's calendar).
// Exactly one of the two is set.
type ProblemLimit struct {
	ClockHours  int `json:"clock_hours,omitempty"`
	WorkingDays int `json:"working_days,omitempty"`
}

func (l ProblemLimit) validate(probs Problems, field string) {
	switch {
	case l.ClockHours < 0 || l.WorkingDays < 0 || (l.ClockHours == 0 && l.WorkingDays == 0):
		probs.Add(field, "答复时限应为正整数（小时数或工作日数）。")
	case l.ClockHours > 0 && l.WorkingDays > 0:
		probs.Add(field, "答复时限应为小时数或工作日数，二者填且只填一项。")
	case l.ClockHours > 72:
		probs.Add(field, "按小时计的时限不超过72小时。")
	case l.WorkingDays > 120:
		probs.Add(field, "按工作日计的时限不超过120个工作日。")
	}
}

// ProblemCategory is a kind of problem (用地, 融资, …). Limits, when set, replace the
// rules' limits for some urgencies of this category.
type ProblemCategory struct {
	Code   string                  `json:"code"`
	Label  string                  `json:"label"`
	Limits map[string]ProblemLimit `json:"limits,omitempty"`
}

// SatisfactionWeights make the satisfaction rate: Σ weight × count of each rating ÷
// rated problems. DOMAIN.md §5's default (满意 + 基本满意) ÷ rated is weights 1, 1, 0;
// a city that counts 基本满意 as 80% sets 0.8.
type SatisfactionWeights struct {
	Satisfied   Dec `json:"satisfied"`
	Basic       Dec `json:"basic"`
	Unsatisfied Dec `json:"unsatisfied"`
}

// weight is the weight of a rating.
func (w SatisfactionWeights) weight(rating string) Dec {
	switch rating {
	case RatingSatisfied:
		return w.Satisfied
	case RatingBasic:
		return w.Basic
	}
	return w.Unsatisfied
}

// EscalationTargets are who hears of an overdue problem besides its lead department.
type EscalationTargets struct {
	SupervisionUnitID  int64 `json:"supervision_unit_id"` // the supervision office (督查室) unit, 0 when the city has none in the system
	NotifyLeader       bool  `json:"notify_leader"`       // the enterprise's linked leader
	NotifyCoordinators bool  `json:"notify_coordinators"` // when the job (not the coordinator) escalates
}

// DepartmentListRules decide the red list (红榜) and black list (黑榜) of lead departments.
// DOMAIN.md gives no published thresholds: these defaults are assumptions a city sets.
type DepartmentListRules struct {
	// MinJudged is how many problems with a judged answer (replied, or overdue unreplied)
	// a department needs before its rates list it either way.
	MinJudged             int `json:"min_judged"`
	RedTopN               int `json:"red_top_n"` // at most this many on the red list, 0 = all who qualify
	RedMinOnTimePct       Dec `json:"red_min_on_time_pct"`
	RedMinSatisfactionPct Dec `json:"red_min_satisfaction_pct"`
	BlackBelowOnTimePct   Dec `json:"black_below_on_time_pct"`
	// BlackBelowSatisfactionPct is 0 to leave satisfaction out of the black list.
	BlackBelowSatisfactionPct Dec  `json:"black_below_satisfaction_pct"`
	BlackOnEscalation         bool `json:"black_on_escalation"` // any escalation lists a department black
}

// ProblemRules are the city's problem-loop configuration (DOMAIN.md §5), kept in settings.
type ProblemRules struct {
	Categories []ProblemCategory       `json:"categories"`
	Limits     map[string]ProblemLimit `json:"limits"` // by urgency
	// MultiDepartmentComplex gives a general problem with assisting departments the
	// complex limit: several departments take longer.
	MultiDepartmentComplex bool `json:"multi_department_complex"`
	// AssistWorkingDays is how long an assisting department has to answer the lead.
	AssistWorkingDays int `json:"assist_working_days"`
	// ExtensionLeadWorkingDays is how many whole working days must remain before the
	// deadline for an extension to be asked.
	ExtensionLeadWorkingDays int                 `json:"extension_lead_working_days"`
	Satisfaction             SatisfactionWeights `json:"satisfaction"`
	Escalation               EscalationTargets   `json:"escalation"`
	// DueSoonHours is how long before its deadline the lead department is reminded of an
	// unanswered problem; 0 sends no reminder.
	DueSoonHours int                 `json:"due_soon_hours"`
	Lists        DepartmentListRules `json:"lists"`
}

// DefaultProblemRules are DOMAIN.md §5's defaults: urgent within 2 clock hours, general
// 10 working days, complex or multi-department 25, assisting departments 3, extensions
// asked at least 1 working day ahead, satisfaction (满意 + 基本满意) ÷ rated, escalation
// to the linked leader (the supervision office's unit is the city's to set).
func DefaultProblemRules() ProblemRules {
	return ProblemRules{
		Categories: []ProblemCategory{
			{Code: "land", Label: "用地"}, {Code: "finance", Label: "融资"}, {Code: "approval", Label: "审批手续"},
			{Code: "labour", Label: "用工"}, {Code: "utilities", Label: "水电气保障"}, {Code: "policy", Label: "政策兑现"},
			{Code: "infrastructure", Label: "基础设施配套"}, {Code: "market", Label: "市场开拓"}, {Code: "other", Label: "其他"},
		},
		Limits: map[string]ProblemLimit{
			UrgencyUrgent:  {ClockHours: 2},
			UrgencyGeneral: {WorkingDays: 10},
			UrgencyComplex: {WorkingDays: 25},
		},
		MultiDepartmentComplex:   true,
		AssistWorkingDays:        3,
		ExtensionLeadWorkingDays: 1,
		Satisfaction:             SatisfactionWeights{Satisfied: DecFromInt(1), Basic: DecFromInt(1), Unsatisfied: 0},
		Escalation:               EscalationTargets{NotifyLeader: true, NotifyCoordinators: true},
		DueSoonHours:             24,
		Lists: DepartmentListRules{MinJudged: 3, RedTopN: 5, RedMinOnTimePct: DecFromInt(95), RedMinSatisfactionPct: DecFromInt(95),
			BlackBelowOnTimePct: DecFromInt(80), BlackOnEscalation: true},
	}
}

// Category returns the category with the code, or nil.
func (r ProblemRules) Category(code string) *ProblemCategory {
	for i := range r.Categories {
		if r.Categories[i].Code == code {
			return &r.Categories[i]
		}
	}
	return nil
}

// CategoryLabel is the category's label, or the code when the city has dropped it.
func (r ProblemRules) CategoryLabel(code string) string {
	if c := r.Category(code); c != nil {
		return c.Label
	}
	return code
}

// LimitFor is the answer limit of a problem: its urgency, made complex when it has
// assisting departments (if so configured), then the category's own limit if it has one.
func (r ProblemRules) LimitFor(p *Problem) ProblemLimit {
	class := p.Urgency
	if class == UrgencyGeneral && r.MultiDepartmentComplex && len(p.Assists) > 0 {
		class = UrgencyComplex
	}
	if c := r.Category(p.Category); c != nil {
		if l, ok := c.Limits[class]; ok {
			return l
		}
	}
	return r.Limits[class]
}

var categoryCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Validate checks the rules hold together; problems are keyed by the JSON field.
func (r ProblemRules) Validate() error {
	probs := Problems{}
	if len(r.Categories) == 0 {
		probs.Add("categories", "至少需要一个诉求类别。")
	}
	seen := map[string]bool{}
	for _, c := range r.Categories {
		switch {
		case !categoryCode.MatchString(c.Code):
			probs.Add("categories", "类别代码应为小写字母开头的字母、数字或下划线（不超过32位）。")
		case seen[c.Code]:
			probs.Add("categories", "类别代码「"+c.Code+"」重复。")
		}
		seen[c.Code] = true
		if n := utf8.RuneCountInString(c.Label); n == 0 || n > 16 {
			probs.Add("categories", "类别名称不能为空，不超过16个字。")
		}
		for urgency, l := range c.Limits {
			if !validChoice(ProblemUrgencies, urgency) {
				probs.Add("categories", "类别「"+c.Label+"」的时限指向未知的紧急程度「"+urgency+"」。")
			}
			l.validate(probs, "categories")
		}
	}
	for _, u := range ProblemUrgencies {
		l, ok := r.Limits[u.Value]
		if !ok {
			probs.Add("limits", "缺少「"+u.Label+"」诉求的答复时限。")
			continue
		}
		l.validate(probs, "limits")
	}
	for urgency := range r.Limits {
		if !validChoice(ProblemUrgencies, urgency) {
			probs.Add("limits", "未知的紧急程度「"+urgency+"」。")
		}
	}
	if r.AssistWorkingDays < 1 || r.AssistWorkingDays > 30 {
		probs.Add("assist_working_days", "协办答复时限应在1到30个工作日之间。")
	}
	if r.ExtensionLeadWorkingDays < 0 || r.ExtensionLeadWorkingDays > 10 {
		probs.Add("extension_lead_working_days", "延期申请提前量应在0到10个工作日之间。")
	}
	w, one := r.Satisfaction, DecFromInt(1)
	switch {
	case w.Satisfied < 0 || w.Satisfied > one || w.Basic < 0 || w.Basic > one || w.Unsatisfied < 0 || w.Unsatisfied > one:
		probs.Add("satisfaction", "满意度权重应在0到1之间。")
	case w.Satisfied == 0 || w.Basic > w.Satisfied || w.Unsatisfied > w.Basic:
		probs.Add("satisfaction", "满意度权重应满足：满意 > 0，且 满意 ≥ 基本满意 ≥ 不满意。")
	}
	if r.DueSoonHours < 0 || r.DueSoonHours > 240 {
		probs.Add("due_soon_hours", "到期提醒应在0到240小时之间。")
	}
	if r.Escalation.SupervisionUnitID < 0 {
		probs.Add("escalation", "督查部门无效。")
	}
	l, hundredPct := r.Lists, DecFromInt(100)
	if l.MinJudged < 0 || l.RedTopN < 0 {
		probs.Add("lists", "件数不能为负数。")
	}
	for _, pct := range []Dec{l.RedMinOnTimePct, l.RedMinSatisfactionPct, l.BlackBelowOnTimePct, l.BlackBelowSatisfactionPct} {
		if pct < 0 || pct > hundredPct {
			probs.Add("lists", "红黑榜的百分比应在0到100之间。")
		}
	}
	return probs.Err()
}

// CheckCategoryRemoval refuses next as a replacement of r when it drops a category that
// problems use (use counts problems by category code): their lists, statistics and
// deadlines name it. A category is known by its code, so changing a used code drops it
// too; changing its label is fine. Each refused category is named with its count.
func (r ProblemRules) CheckCategoryRemoval(next ProblemRules, use map[string]int) error {
	var refused []string
	for _, c := range r.Categories {
		if n := use[c.Code]; n > 0 && next.Category(c.Code) == nil {
			refused = append(refused, fmt.Sprintf("「%s」（%s）已有%d件诉求使用", c.Label, c.Code, n))
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return Problems{"categories": "诉求类别" + strings.Join(refused, "，") + "，不能删除或更改代码；可以修改名称。"}.Err()
}
