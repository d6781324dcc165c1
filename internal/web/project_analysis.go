package web

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// analysisNav links the project analysis pages to each other and to the project list.
type analysisNav struct {
	Active    string
	CanManage bool
}

func (h *Handler) analysisNav(r *http.Request, active string) analysisNav {
	return analysisNav{Active: active, CanManage: auth.CanAtAll(request.User(r), auth.ManageCampaign)}
}

func stageLabel(stage string) string {
	if l, ok := domain.ProjectStageLabels[stage]; ok {
		return l
	}
	return stage
}

// projectWarnings lists the projects with active warnings today, with counts per unit.
func (h *Handler) projectWarnings(w http.ResponseWriter, r *http.Request) {
	unitID, _ := strconv.ParseInt(r.URL.Query().Get("unit_id"), 10, 64)
	rules, err := h.Store.WarningRules(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	today := h.Store.Now().In(chinaTime)
	rows, err := h.Store.ProjectWarnings(r.Context(), unitID, today, rules)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	units, err := h.planUnits(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	counts := store.WarningCounts(rows)
	red, yellow := 0, 0
	for _, c := range counts {
		red, yellow = red+c.Red, yellow+c.Yellow
	}
	h.render(w, r, 0, "project_warnings", view{Title: "项目预警", Nav: "projects", Data: struct {
		Nav         analysisNav
		Date        string
		UnitID      int64
		Units       []*domain.Unit
		Counts      []domain.UnitWarnings
		Red, Yellow int
		Rows        []store.ProjectWarningRow
		Rules       domain.WarningRules
		StageLabel  func(string) string
		CodeLabel   map[string]string
	}{h.analysisNav(r, "warnings"), today.Format(time.DateOnly), unitID, units, counts, red, yellow, rows, rules, stageLabel, domain.WarningLabels}})
}

// cohortForm is the new cohort as typed.
type cohortForm struct {
	Name, SignedFrom, SignedTo string
}

func (h *Handler) projectRates(w http.ResponseWriter, r *http.Request) {
	year := h.Store.Now().In(chinaTime).Year()
	h.renderCohorts(w, r, 0, cohortForm{SignedFrom: fmt.Sprintf("%d-01-01", year), SignedTo: h.Store.Now().In(chinaTime).Format(time.DateOnly)}, nil)
}

func (h *Handler) renderCohorts(w http.ResponseWriter, r *http.Request, status int, f cohortForm, err error) {
	cs, cerr := h.Store.FindCohorts(r.Context())
	if cerr != nil {
		h.Error(w, r, cerr)
		return
	}
	h.render(w, r, status, "project_rates", view{Title: "项目“四率”", Nav: "projects", Data: struct {
		Nav      analysisNav
		Cohorts  []*domain.Cohort
		Form     cohortForm
		Problems map[string]string
		Cohort   *domain.Cohort
	}{h.analysisNav(r, "rates"), cs, f, domain.ErrorFields(err), nil}})
}

func (h *Handler) createCohort(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f := cohortForm{Name: r.PostFormValue("name"), SignedFrom: strings.TrimSpace(r.PostFormValue("signed_from")),
		SignedTo: strings.TrimSpace(r.PostFormValue("signed_to"))}
	c := &domain.Cohort{Name: f.Name, SignedFrom: f.SignedFrom, SignedTo: f.SignedTo}
	if err := h.Store.CreateCohort(r.Context(), request.Actor(r), c); err != nil {
		if domain.ErrorFields(err) == nil {
			h.Error(w, r, err)
			return
		}
		h.renderCohorts(w, r, http.StatusUnprocessableEntity, f, err)
		return
	}
	h.redirect(w, r, fmt.Sprintf("/projects/rates/%d", c.ID), fmt.Sprintf("已建立批次并冻结%d个项目。", c.Projects))
}

// cohortRow is a unit's rates as shown: counts behind each rate, rates to one decimal.
type cohortRow struct {
	domain.CohortRate
	RegistrationPct, StartPct, ProductionPct, FundsPct, PerformancePct string
	RankLabel                                                          string
	ContractWan, FundsWan                                              string // 万元, two decimals
}

// wan shows whole yuan in 万元: yuan ÷ 10⁴ is exactly the Dec whose raw value is yuan.
func wan(yuan int64) string { return domain.Dec(yuan).Format(2) }

func cohortRowOf(r domain.CohortRate) cohortRow {
	return cohortRow{CohortRate: r,
		RegistrationPct: domain.FormatPercent(r.Registration, 1), StartPct: domain.FormatPercent(r.Start, 1),
		ProductionPct: domain.FormatPercent(r.Production, 1), FundsPct: domain.FormatPercent(r.FundsRate, 1),
		PerformancePct: domain.FormatPercent(r.Performance, 1), RankLabel: domain.RankLabel(r.Rank, r.Tied),
		ContractWan: wan(r.Contract), FundsWan: wan(r.Funds)}
}

// cohortTable loads a cohort and its per-unit rows plus the total row.
func (h *Handler) cohortTable(r *http.Request) (*domain.Cohort, domain.PerformanceRule, []cohortRow, cohortRow, error) {
	var total cohortRow
	id, err := pathID(r)
	if err != nil {
		return nil, domain.PerformanceRule{}, nil, total, err
	}
	c, err := h.Store.FindCohortByID(r.Context(), id)
	if err != nil {
		return nil, domain.PerformanceRule{}, nil, total, err
	}
	rule, err := h.Store.PerformanceRule(r.Context())
	if err != nil {
		return nil, rule, nil, total, err
	}
	counts, err := h.Store.CohortRates(r.Context(), id, rule)
	if err != nil {
		return nil, rule, nil, total, err
	}
	var rows []cohortRow
	for _, row := range domain.CohortRates(counts) {
		rows = append(rows, cohortRowOf(row))
	}
	t := domain.CohortRates([]domain.CohortCounts{domain.CohortTotal(counts)})[0]
	t.Rank = 0
	total = cohortRowOf(t)
	return c, rule, rows, total, nil
}

func (h *Handler) projectCohort(w http.ResponseWriter, r *http.Request) {
	c, rule, rows, total, err := h.cohortTable(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "project_cohort", view{Title: c.Name + " · 项目“四率”", Nav: "projects", Data: struct {
		Nav         analysisNav
		Cohort      *domain.Cohort
		Performance string
		Rows        []cohortRow
		Total       cohortRow
	}{h.analysisNav(r, "rates"), c, rule.Describe(), rows, total}})
}

func (h *Handler) exportCohort(w http.ResponseWriter, r *http.Request) {
	c, rule, rows, total, err := h.cohortTable(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "四率", Title: fmt.Sprintf("%s（签约%s至%s，%s冻结；履约：%s）", c.Name, c.SignedFrom, c.SignedTo,
		c.FrozenAt.In(chinaTime).Format("2006-01-02 15:04"), rule.Describe()),
		Headers: []string{"单位", "签约数", "注册数", "注册率%", "开工数", "开工率%", "投产数", "投产率%", "合同投资(万元)", "到位资金(万元)",
			"资金到位率%", "履约数", "履约率%", "开工率排名"},
		Widths: []float64{18, 8, 8, 9, 8, 9, 8, 9, 14, 14, 11, 8, 9, 12}}
	for _, row := range append(rows, total) {
		t.Rows = append(t.Rows, []any{row.UnitName, row.Signed, row.Registered, row.RegistrationPct, row.Started, row.StartPct,
			row.InProduction, row.ProductionPct, row.ContractWan, row.FundsWan, row.FundsPct, row.Performed, row.PerformancePct, row.RankLabel})
	}
	writeXLSX(w, fmt.Sprintf("cohort-%d-rates.xlsx", c.ID), t, h)
}

// projectQuality lists projects by quality score, 50 a page, each with its breakdown.
func (h *Handler) projectQuality(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	unitID, _ := strconv.ParseInt(r.URL.Query().Get("unit_id"), 10, 64)
	scheme, err := h.Store.QualityScheme(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rows, total, err := h.Store.ProjectQuality(r.Context(), unitID, scheme, pg.Offset(), pg.Size)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	units, err := h.planUnits(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "project_quality", view{Title: "项目质量评分", Nav: "projects", Data: struct {
		Nav        analysisNav
		Rows       []store.ProjectQualityRow
		Page       page
		UnitID     int64
		Units      []*domain.Unit
		StageLabel func(string) string
	}{h.analysisNav(r, "quality"), rows, pg, unitID, units, stageLabel}})
}

// analysisForm is the rule settings as typed: every value a string, so a bad one is
// shown back as the user typed it.
type analysisForm map[string]string

type analysisField struct {
	Name, Label, Hint string
}

var warningFields = []analysisField{
	{"not_started_yellow_days", "签约未开工黄色预警（天）", "签约超过该天数仍未开工"},
	{"not_started_red_days", "签约未开工红色预警（天）", ""},
	{"no_note_days", "无进展记录预警（天）", "超过该天数未填写进展"},
	{"idle_land_days", "供地未开工（闲置土地）红色预警（天）", "国家规定：供地满一年未开工"},
}

var qualityFields = []analysisField{
	{"intensity_benchmark", "全市投资强度基准（万元/亩）", "固定资产投资 ÷ 用地；园区可在下面另设基准"},
	{"intensity_points", "投资强度满分", "达到基准得满分，不足按比例"},
	{"tax_benchmark", "亩均税收基准（万元/亩）", "达产后预计税收 ÷ 用地"},
	{"tax_points", "亩均税收满分", ""},
	{"tag_cap", "投资方标签封顶分", ""},
	{"foreign_points", "外资（含港澳台）加分", ""},
	{"chain_points", "产业链契合加分", ""},
	{"certified_points", "5020已认定加分", ""},
	{"applied_points", "5020已申报加分", ""},
	{"total_cap", "总分封顶", ""},
}

// analysisLists are the rows of the rules page that come from data: the tag list (its
// points), the parks (their intensity benchmarks) and the 5020 city classes.
type analysisLists struct {
	Tags    []domain.ProjectTag
	Parks   []*domain.Unit
	Classes []candidateClass
}

func tagPointField(t domain.ProjectTag) string { return "tag_point_" + strconv.FormatInt(t.ID, 10) }
func parkField(u *domain.Unit) string          { return "park_intensity_" + strconv.FormatInt(u.ID, 10) }

// loadAnalysisLists reads the tag list, the parks and the 5020 rules.
func (h *Handler) loadAnalysisLists(r *http.Request) (analysisLists, domain.Rules5020, error) {
	var l analysisLists
	rules, err := h.Store.Rules5020(r.Context())
	if err != nil {
		return l, rules, err
	}
	if l.Tags, err = h.Store.ProjectTags(r.Context()); err != nil {
		return l, rules, err
	}
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return l, rules, err
	}
	for _, u := range units {
		if u.Kind == domain.UnitPark {
			l.Parks = append(l.Parks, u)
		}
	}
	l.Classes = candidateClasses(rules)
	return l, rules, nil
}

func formOfAnalysis(wr domain.WarningRules, q domain.QualityScheme, p domain.PerformanceRule, l analysisLists) analysisForm {
	f := analysisForm{
		"not_started_yellow_days": strconv.Itoa(wr.NotStartedYellowDays), "not_started_red_days": strconv.Itoa(wr.NotStartedRedDays),
		"no_note_days": strconv.Itoa(wr.NoNoteDays), "idle_land_days": strconv.Itoa(wr.IdleLandDays),
		"intensity_benchmark": q.IntensityBenchmark.String(), "intensity_points": q.IntensityPoints.String(),
		"tax_benchmark": q.TaxBenchmark.String(), "tax_points": q.TaxPoints.String(), "tag_cap": q.TagCap.String(),
		"foreign_points": q.ForeignPoints.String(), "chain_points": q.ChainPoints.String(),
		"certified_points": q.CertifiedPoints.String(), "applied_points": q.AppliedPoints.String(), "total_cap": q.TotalCap.String(),
		"min_funds_ratio": p.MinFundsRatio.String(),
	}
	for k, on := range map[string]bool{"planned_start": wr.PlannedStart, "planned_production": wr.PlannedProduction,
		"funds_behind": wr.FundsBehind, "require_started": p.RequireStarted} {
		if on {
			f[k] = "1"
		}
	}
	for _, t := range l.Tags {
		f[tagPointField(t)] = q.TagPoints[t.Name].String()
	}
	for _, u := range l.Parks {
		if b, ok := q.ParkIntensity[u.ID]; ok {
			f[parkField(u)] = b.String()
		}
	}
	return f
}

// readAnalysisForm reads the rules as typed. The tag points and park benchmarks are read
// for the listed tags and parks; one left out of the form keeps its current value, so a
// tag added while the form was open loses nothing. An empty park benchmark means the
// park uses the city-wide one.
func readAnalysisForm(r *http.Request, l analysisLists, current domain.QualityScheme) (analysisForm, domain.WarningRules, domain.QualityScheme, domain.PerformanceRule, domain.Problems) {
	p := domain.Problems{}
	f := analysisForm{}
	var wr domain.WarningRules
	q := domain.QualityScheme{TagPoints: maps.Clone(current.TagPoints), ParkIntensity: maps.Clone(current.ParkIntensity)}
	if q.TagPoints == nil {
		q.TagPoints = map[string]domain.Dec{}
	}
	if q.ParkIntensity == nil {
		q.ParkIntensity = map[int64]domain.Dec{}
	}
	var perf domain.PerformanceRule
	days := map[string]*int{"not_started_yellow_days": &wr.NotStartedYellowDays, "not_started_red_days": &wr.NotStartedRedDays,
		"no_note_days": &wr.NoNoteDays, "idle_land_days": &wr.IdleLandDays}
	for name, dst := range days {
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		*dst = int(formInt(r, name, "天数", p))
	}
	decs := map[string]*domain.Dec{"intensity_benchmark": &q.IntensityBenchmark, "intensity_points": &q.IntensityPoints,
		"tax_benchmark": &q.TaxBenchmark, "tax_points": &q.TaxPoints, "tag_cap": &q.TagCap, "foreign_points": &q.ForeignPoints,
		"chain_points": &q.ChainPoints, "certified_points": &q.CertifiedPoints, "applied_points": &q.AppliedPoints,
		"total_cap": &q.TotalCap, "min_funds_ratio": &perf.MinFundsRatio}
	for name, dst := range decs {
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		d, err := domain.ParseDec(f[name])
		if err != nil {
			p.Add(name, domain.ErrorMessage(err))
		}
		*dst = d
	}
	for name, dst := range map[string]*bool{"planned_start": &wr.PlannedStart, "planned_production": &wr.PlannedProduction,
		"funds_behind": &wr.FundsBehind, "require_started": &perf.RequireStarted} {
		if r.PostFormValue(name) != "" {
			f[name], *dst = "1", true
		}
	}
	for _, t := range l.Tags {
		name := tagPointField(t)
		if _, sent := r.PostForm[name]; !sent {
			f[name] = q.TagPoints[t.Name].String()
			continue
		}
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		d, err := domain.ParseDec(f[name])
		if err != nil {
			p.Add(name, "应为数字，最多四位小数。")
			continue
		}
		q.TagPoints[t.Name] = d
	}
	for _, u := range l.Parks {
		name := parkField(u)
		if _, sent := r.PostForm[name]; !sent {
			if b, ok := q.ParkIntensity[u.ID]; ok {
				f[name] = b.String()
			}
			continue
		}
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		if f[name] == "" {
			delete(q.ParkIntensity, u.ID)
			continue
		}
		d, err := domain.ParseDec(f[name])
		if err != nil || d <= 0 {
			p.Add(name, "应为大于0的数字（万元/亩），最多四位小数；留空表示采用全市基准。")
			continue
		}
		q.ParkIntensity[u.ID] = d
	}
	for _, err := range []error{wr.Validate(), q.Validate(), perf.Validate()} {
		for k, v := range domain.ErrorFields(err) {
			p.Add(k, v)
		}
	}
	return f, wr, q, perf, p
}

func (h *Handler) projectAnalysisSettings(w http.ResponseWriter, r *http.Request) {
	wr, err := h.Store.WarningRules(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q, err := h.Store.QualityScheme(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	perf, err := h.Store.PerformanceRule(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	l, rules, err := h.loadAnalysisLists(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := formOfAnalysis(wr, q, perf, l)
	addRules5020Form(f, rules)
	h.renderAnalysisSettings(w, r, 0, f, l, nil)
}

func (h *Handler) renderAnalysisSettings(w http.ResponseWriter, r *http.Request, status int, f analysisForm, l analysisLists, probs map[string]string) {
	h.render(w, r, status, "project_analysis_settings", view{Title: "预警与评分规则", Nav: "projects", Data: struct {
		Nav           analysisNav
		Form          analysisForm
		Problems      map[string]string
		WarningFields []analysisField
		QualityFields []analysisField
		Lists         analysisLists
		TagField      func(domain.ProjectTag) string
		ParkField     func(*domain.Unit) string
	}{h.analysisNav(r, "settings"), f, probs, warningFields, qualityFields, l, tagPointField, parkField}})
}

func (h *Handler) saveProjectAnalysisSettings(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	l, rules, err := h.loadAnalysisLists(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	current, err := h.Store.QualityScheme(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f, wr, q, perf, p := readAnalysisForm(r, l, current)
	t := readRules5020Form(r, f, p, rules)
	if len(p) > 0 {
		h.renderAnalysisSettings(w, r, http.StatusUnprocessableEntity, f, l, p)
		return
	}
	if err := h.Store.SetProjectAnalysisSettings(r.Context(), request.Actor(r), wr, q, perf, t); err != nil {
		if fields := domain.ErrorFields(err); fields != nil {
			h.renderAnalysisSettings(w, r, http.StatusUnprocessableEntity, f, l, fields)
			return
		}
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, "/projects/analysis/settings", "已保存预警与评分规则。")
}
