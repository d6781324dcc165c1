package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// Limit units as the rules page offers them: a limit is clock hours or working days.
const (
	limitHours = "hours"
	limitDays  = "days"
)

// limitForm is one answer limit as typed: an amount and its unit; an empty amount on a
// category row means the category follows the city-wide limit.
type limitForm struct{ Amount, Unit string }

func limitFormOf(l domain.ProblemLimit) limitForm {
	if l.ClockHours > 0 {
		return limitForm{strconv.Itoa(l.ClockHours), limitHours}
	}
	if l.WorkingDays > 0 {
		return limitForm{strconv.Itoa(l.WorkingDays), limitDays}
	}
	return limitForm{Unit: limitDays}
}

// limit reads the typed limit; set is false for an empty amount. A whole number of the
// wrong sign is left to the domain's validation, which explains the limits' range.
func (f limitForm) limit(field string, p domain.Problems) (l domain.ProblemLimit, set bool) {
	if f.Amount == "" {
		return l, false
	}
	n, err := strconv.Atoi(f.Amount)
	if err != nil {
		p.Add(field, "时限应为整数。")
		return l, false
	}
	if f.Unit == limitHours {
		l.ClockHours = n
	} else {
		l.WorkingDays = n
	}
	return l, true
}

// categoryForm is one category row as typed. Used is how many problems name the category,
// shown so that a coordinator knows which rows cannot be removed.
type categoryForm struct {
	Code, Label string
	Limits      map[string]limitForm // by urgency
	Remove      bool
	Used        int
}

// empty is a row left blank: the empty row offered to add a category.
func (c categoryForm) empty() bool {
	if c.Code != "" || c.Label != "" {
		return false
	}
	for _, l := range c.Limits {
		if l.Amount != "" {
			return false
		}
	}
	return true
}

func newCategoryRow() categoryForm {
	c := categoryForm{Limits: map[string]limitForm{}}
	for _, u := range domain.ProblemUrgencies {
		c.Limits[u.Value] = limitForm{Unit: limitDays}
	}
	return c
}

// problemRulesForm is the whole of domain.ProblemRules as typed, every number a string so
// that a refused form comes back as it was.
type problemRulesForm struct {
	Version                                                    string
	Categories                                                 []categoryForm
	Limits                                                     map[string]limitForm
	MultiDepartmentComplex, NotifyLeader, NotifyCoordinators   bool
	BlackOnEscalation                                          bool
	AssistWorkingDays, ExtensionLeadWorkingDays, DueSoonHours  string
	Satisfied, Basic, Unsatisfied, SupervisionUnitID           string
	MinJudged, RedTopN, RedMinOnTimePct, RedMinSatisfactionPct string
	BlackBelowOnTimePct, BlackBelowSatisfactionPct             string
}

func formOfProblemRules(r domain.ProblemRules, version string) problemRulesForm {
	f := problemRulesForm{Version: version, Limits: map[string]limitForm{},
		MultiDepartmentComplex: r.MultiDepartmentComplex, NotifyLeader: r.Escalation.NotifyLeader,
		NotifyCoordinators: r.Escalation.NotifyCoordinators, BlackOnEscalation: r.Lists.BlackOnEscalation,
		AssistWorkingDays: strconv.Itoa(r.AssistWorkingDays), ExtensionLeadWorkingDays: strconv.Itoa(r.ExtensionLeadWorkingDays),
		DueSoonHours: strconv.Itoa(r.DueSoonHours), Satisfied: r.Satisfaction.Satisfied.String(), Basic: r.Satisfaction.Basic.String(),
		Unsatisfied: r.Satisfaction.Unsatisfied.String(), SupervisionUnitID: strconv.FormatInt(r.Escalation.SupervisionUnitID, 10),
		MinJudged: strconv.Itoa(r.Lists.MinJudged), RedTopN: strconv.Itoa(r.Lists.RedTopN),
		RedMinOnTimePct: r.Lists.RedMinOnTimePct.String(), RedMinSatisfactionPct: r.Lists.RedMinSatisfactionPct.String(),
		BlackBelowOnTimePct: r.Lists.BlackBelowOnTimePct.String(), BlackBelowSatisfactionPct: r.Lists.BlackBelowSatisfactionPct.String()}
	for _, u := range domain.ProblemUrgencies {
		f.Limits[u.Value] = limitFormOf(r.Limits[u.Value])
	}
	for _, c := range r.Categories {
		row := newCategoryRow()
		row.Code, row.Label = c.Code, c.Label
		for u, l := range c.Limits {
			row.Limits[u] = limitFormOf(l)
		}
		f.Categories = append(f.Categories, row)
	}
	return f
}

// categoryField names a category row's field in problems, as the page shows them.
func categoryField(i int, name string) string { return "cat_" + strconv.Itoa(i) + "_" + name }

// readProblemRulesForm reads the posted rules. Category rows are parallel arrays; a row
// left blank is skipped and a row ticked 删除 is left out of the rules.
func readProblemRulesForm(r *http.Request) problemRulesForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	on := func(k string) bool { return r.PostFormValue(k) != "" }
	f := problemRulesForm{Version: v("version"), Limits: map[string]limitForm{},
		MultiDepartmentComplex: on("multi_department_complex"), NotifyLeader: on("notify_leader"),
		NotifyCoordinators: on("notify_coordinators"), BlackOnEscalation: on("black_on_escalation"),
		AssistWorkingDays: v("assist_working_days"), ExtensionLeadWorkingDays: v("extension_lead_working_days"),
		DueSoonHours: v("due_soon_hours"), Satisfied: v("satisfaction_satisfied"), Basic: v("satisfaction_basic"),
		Unsatisfied: v("satisfaction_unsatisfied"), SupervisionUnitID: v("supervision_unit_id"),
		MinJudged: v("min_judged"), RedTopN: v("red_top_n"), RedMinOnTimePct: v("red_min_on_time_pct"),
		RedMinSatisfactionPct: v("red_min_satisfaction_pct"), BlackBelowOnTimePct: v("black_below_on_time_pct"),
		BlackBelowSatisfactionPct: v("black_below_satisfaction_pct")}
	for _, u := range domain.ProblemUrgencies {
		f.Limits[u.Value] = limitForm{v("limit_" + u.Value + "_amount"), v("limit_" + u.Value + "_unit")}
	}
	at := func(k string, i int) string {
		if vs := r.PostForm[k]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	removed := r.PostForm["cat_remove"]
	for i := range r.PostForm["cat_code"] {
		row := categoryForm{Code: at("cat_code", i), Label: at("cat_label", i), Limits: map[string]limitForm{},
			Remove: slices.Contains(removed, strconv.Itoa(i))}
		for _, u := range domain.ProblemUrgencies {
			row.Limits[u.Value] = limitForm{at("cat_"+u.Value+"_amount", i), at("cat_"+u.Value+"_unit", i)}
		}
		f.Categories = append(f.Categories, row)
	}
	return f
}

// rules parses the typed rules; problems are keyed by the page's field names, except
// those of the domain's validation, which keys them by the rules' JSON fields.
func (f problemRulesForm) rules() (domain.ProblemRules, domain.Problems) {
	p := domain.Problems{}
	whole := func(field, v, label string) int {
		n, err := strconv.Atoi(v)
		if err != nil {
			p.Add(field, label+"应为整数。")
		}
		return n
	}
	dec := func(field, v string) domain.Dec {
		d, err := domain.ParseDec(v)
		if err != nil {
			p.Add(field, "请输入数字："+domain.ErrorMessage(err))
		}
		return d
	}
	r := domain.ProblemRules{Limits: map[string]domain.ProblemLimit{}, MultiDepartmentComplex: f.MultiDepartmentComplex,
		AssistWorkingDays:        whole("assist_working_days", f.AssistWorkingDays, "协办答复时限"),
		ExtensionLeadWorkingDays: whole("extension_lead_working_days", f.ExtensionLeadWorkingDays, "延期申请提前量"),
		DueSoonHours:             whole("due_soon_hours", f.DueSoonHours, "到期提醒"),
		Satisfaction: domain.SatisfactionWeights{Satisfied: dec("satisfaction", f.Satisfied), Basic: dec("satisfaction", f.Basic),
			Unsatisfied: dec("satisfaction", f.Unsatisfied)},
		Escalation: domain.EscalationTargets{NotifyLeader: f.NotifyLeader, NotifyCoordinators: f.NotifyCoordinators},
		Lists: domain.DepartmentListRules{MinJudged: whole("lists", f.MinJudged, "最少件数"), RedTopN: whole("lists", f.RedTopN, "红榜名额"),
			RedMinOnTimePct: dec("lists", f.RedMinOnTimePct), RedMinSatisfactionPct: dec("lists", f.RedMinSatisfactionPct),
			BlackBelowOnTimePct: dec("lists", f.BlackBelowOnTimePct), BlackBelowSatisfactionPct: dec("lists", f.BlackBelowSatisfactionPct),
			BlackOnEscalation: f.BlackOnEscalation}}
	if f.SupervisionUnitID != "" {
		id, err := strconv.ParseInt(f.SupervisionUnitID, 10, 64)
		if err != nil {
			p.Add("escalation", "督查部门无效。")
		}
		r.Escalation.SupervisionUnitID = id
	}
	for _, u := range domain.ProblemUrgencies {
		if l, set := f.Limits[u.Value].limit("limit_"+u.Value, p); set {
			r.Limits[u.Value] = l
		}
	}
	for i, row := range f.Categories {
		if row.Remove || row.empty() {
			continue
		}
		c := domain.ProblemCategory{Code: row.Code, Label: row.Label}
		for _, u := range domain.ProblemUrgencies {
			if l, set := row.Limits[u.Value].limit(categoryField(i, u.Value), p); set {
				if c.Limits == nil {
					c.Limits = map[string]domain.ProblemLimit{}
				}
				c.Limits[u.Value] = l
			}
		}
		r.Categories = append(r.Categories, c)
	}
	if len(p) > 0 {
		// One round trip shows every problem: the domain's are added to the parse problems,
		// which came first and so stay the ones shown for their fields.
		for field, msg := range domain.ErrorFields(r.Validate()) {
			p.Add(field, msg)
		}
	}
	return r, p
}

func (h *Handler) problemRules(w http.ResponseWriter, r *http.Request) {
	rules, version, err := h.Store.ProblemRulesVersion(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.renderProblemRules(w, r, 0, formOfProblemRules(rules, version), nil)
}

func (h *Handler) renderProblemRules(w http.ResponseWriter, r *http.Request, status int, f problemRulesForm, err error) {
	use, uerr := h.Store.ProblemCategoryUse(r.Context())
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	units, _, uerr := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	// The supervision office is a department; one set earlier on another unit stays offered.
	var offices []*domain.Unit
	for _, u := range units {
		if u.Kind == domain.UnitDepartment && u.Active || strconv.FormatInt(u.ID, 10) == f.SupervisionUnitID {
			offices = append(offices, u)
		}
	}
	for i := range f.Categories {
		f.Categories[i].Used = use[f.Categories[i].Code]
	}
	if len(f.Categories) == 0 || !f.Categories[len(f.Categories)-1].empty() {
		f.Categories = append(f.Categories, newCategoryRow())
	}
	h.render(w, r, status, "problem_rules", view{Title: "诉求规则", Nav: "problems", Flash: refusalFlash(err), Data: struct {
		Nav           problemNav
		Form          problemRulesForm
		Problems      map[string]string
		Conflict      bool
		Urgencies     []domain.Choice
		Offices       []*domain.Unit
		CategoryField func(int, string) string
	}{h.problemNav(r, "rules"), f, domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT, domain.ProblemUrgencies, offices, categoryField}})
}

func (h *Handler) saveProblemRules(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f := readProblemRulesForm(r)
	rules, p := f.rules()
	err := p.Err()
	if err == nil {
		_, err = h.Store.SaveProblemRules(r.Context(), request.Actor(r), rules, f.Version)
	}
	h.finishWrite(w, r, err, func(status int, err error) {
		h.renderProblemRules(w, r, status, f, err)
	}, "/problems/rules", "已保存诉求规则。")
}

// problemNav links the problem pages to each other; the rules only for those who edit them.
type problemNav struct {
	Active   string
	CanRules bool
}

func (h *Handler) problemNav(r *http.Request, active string) problemNav {
	return problemNav{Active: active, CanRules: auth.CanAtAll(request.User(r), auth.ManageCampaign)}
}
