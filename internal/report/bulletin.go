// Package report assembles the dispatch bulletin (调度通报) from store results: the
// headline figures and their narrative, every indicator's table, the period's project
// movements, cohort rates, lagging projects and late reports. It computes nothing the
// domain package already computes (progress comes from domain.BuildProgress) and does no
// I/O: the same Bulletin is shown as a page, printed, exported, frozen as a published
// snapshot and compared cell by cell with a fresh computation.
package report

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Column is one column of a table. Columns of the same Group next to each other share a
// merged header above their own labels ("基础目标 | 完成率%").
type Column struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Group  string `json:"group,omitempty"`
	Number bool   `json:"number,omitempty"` // a figure: exported as a number, not text
}

// Cell is one figure as displayed (already rounded half-up) with the records behind it.
type Cell struct {
	Text   string        `json:"text"`
	Link   string        `json:"link,omitempty"`
	Colour domain.Colour `json:"colour,omitempty"`
}

// Row is one line of a table; Key identifies it across versions (a unit or project code).
type Row struct {
	Key   string `json:"key"`
	Total bool   `json:"total,omitempty"` // the city's or the total line
	Cells []Cell `json:"cells"`
}

// Table is one table of a section.
type Table struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Note    string   `json:"note,omitempty"`
	Columns []Column `json:"columns"`
	Rows    []Row    `json:"rows"`
	// More counts the rows a capped list left off; MoreLink lists them all.
	More     int    `json:"more,omitempty"`
	MoreLink string `json:"more_link,omitempty"`
}

// Section is one numbered part of the bulletin (一、二、三…).
type Section struct {
	Key    string  `json:"key"`
	Title  string  `json:"title"`
	Text   string  `json:"text,omitempty"`
	Tables []Table `json:"tables,omitempty"`
}

// Bulletin is one period's bulletin as displayed: every figure is text rounded for
// display, so a published snapshot shows exactly what was published.
type Bulletin struct {
	Title        string    `json:"title"`
	Year         int       `json:"year"`
	Month        int       `json:"month"`
	Scope        string    `json:"scope"`
	ScopeLabel   string    `json:"scope_label"`
	TimeProgress string    `json:"time_progress"`
	Narrative    string    `json:"narrative"`
	Sections     []Section `json:"sections"`
}

// Input is what a bulletin is assembled from: store results for one period.
type Input struct {
	Title    string
	Scope    string               // "all", "county" or "park" (domain.Scopes)
	Progress domain.ProgressInput // already limited to the scope (InScope)
	// Movements are projects signed, started and put into production per unit (all units
	// with any, the city total is their sum).
	Movements []store.ProjectMovement
	Tiers     []domain.Tier
	// Cohort is the cohort whose rates are shown, nil when there is none.
	Cohort      *domain.Cohort
	CohortRates []domain.CohortCounts
	// Warnings counts the projects with active warnings per unit and holds the first of
	// them, red first; WarningCap limits how many are listed.
	Warnings   store.WarningSummary
	WarningCap int
	Reports    *domain.ReportOverview
	// Overdue are the meetings' action items overdue on Today under ActionRules; units
	// outside the scope's are left out, except in the whole-city bulletin.
	Overdue     []domain.ActionItem
	ActionRules domain.ActionRules
	Today       time.Time
	// Problems are the year's enterprise problems by lead department (nil: none read);
	// ServiceDay counts the month's problems from service-day visits.
	Problems    *domain.ProblemReport
	ServiceDay  int
	Departments map[int64]string
	// Extra sections are appended after the built ones, numbered with them: the
	// extension point for sections other features assemble (overdue meeting action items,
	// problems, service days). They are rendered, exported, frozen and compared like the
	// rest.
	Extra []Section
}

// Section keys, stable across versions: the diff matches sections by key.
const (
	SectionOverview   = "overview"
	SectionIndicators = "indicators"
	SectionProjects   = "projects"
	SectionRates      = "rates"
	SectionWarnings   = "warnings"
	SectionReports    = "reports"
	SectionActions    = "actions"
	SectionProblems   = "problems"
)

// ScopeLabel names a scope as domain.Scopes does; unknown scopes are "all".
func ScopeLabel(scope string) string { return domain.ScopeLabel(scope) }

// NormalizeScope is "county", "park" or "all".
func NormalizeScope(scope string) string {
	if scope == string(domain.UnitCounty) || scope == string(domain.UnitPark) {
		return scope
	}
	return "all"
}

// Build assembles the bulletin.
func Build(in Input) *Bulletin {
	p := in.Progress
	b := &Bulletin{Title: in.Title, Year: p.Year, Month: p.Month, Scope: NormalizeScope(in.Scope),
		TimeProgress: domain.FormatPercent(p.TimeProgress, 1)}
	b.ScopeLabel = ScopeLabel(b.Scope)
	tables := domain.BuildProgress(p)
	var headline []domain.ProgressTable
	for _, t := range tables {
		if t.Indicator.Headline {
			headline = append(headline, t)
		}
	}
	b.Narrative = Narrative(p.Month, headline)
	b.Sections = append(b.Sections,
		Section{Key: SectionOverview, Title: "总体情况", Text: b.Narrative, Tables: []Table{headlineTable(p, headline)}},
		Section{Key: SectionIndicators, Title: "分项指标完成情况", Tables: indicatorTables(p, tables)},
		projectsSection(in),
		ratesSection(in),
		warningsSection(in),
		reportsSection(in),
		actionsSection(in),
		problemsSection(in))
	b.Sections = append(b.Sections, in.Extra...)
	return b
}

// reportLink is the unit's monthly report behind its figures.
func reportLink(unitID int64, year, month int) string {
	return fmt.Sprintf("/reports/%d/%d/%d", unitID, year, month)
}

func overviewLink(year, month int) string {
	return fmt.Sprintf("/reports?year=%d&month=%d", year, month)
}

var progressColumns = []Column{
	{Key: "actual", Label: "实际", Number: true},
	{Key: "base", Label: "目标", Group: "基础目标", Number: true},
	{Key: "completion_base", Label: "完成率%", Group: "基础目标", Number: true},
	{Key: "stretch", Label: "目标", Group: "奋斗目标", Number: true},
	{Key: "completion_stretch", Label: "完成率%", Group: "奋斗目标", Number: true},
	{Key: "time_progress", Label: "时序进度%", Number: true},
	{Key: "gap", Label: "差距（百分点）", Number: true},
	{Key: "colour", Label: "状态"},
	{Key: "rank", Label: "排名"},
	{Key: "yoy", Label: "同比%", Number: true},
}

// progressCells are a progress row's figures in progressColumns order: the figures link
// to the unit's report (or, for the city's sum, the period's reports), targets to the
// year's target grid.
func progressCells(t domain.ProgressTable, r domain.ProgressRow, year, month int, city bool) []Cell {
	ind := t.Indicator
	link := reportLink(r.Unit.ID, year, month)
	if r.Summed {
		link = overviewLink(year, month)
	}
	targets := "/targets?year=" + strconv.Itoa(year)
	rank := domain.RankLabel(r.Rank, r.Tied)
	if city {
		rank = domain.NoValue
	}
	return []Cell{
		{Text: domain.RoundHalfUp(r.Actual, ind.Decimals), Link: link},
		{Text: domain.RoundHalfUp(r.Base, ind.Decimals), Link: targets},
		{Text: domain.FormatPercent(r.CompletionBase, 1), Link: link},
		{Text: domain.RoundHalfUp(r.Stretch, ind.Decimals), Link: targets},
		{Text: domain.FormatPercent(r.CompletionStretch, 1), Link: link},
		{Text: domain.FormatPercent(t.TimeProgress, 1)},
		{Text: domain.FormatPoints(r.Gap, 1), Link: link, Colour: r.Colour},
		{Text: r.Colour.Label(), Link: link, Colour: r.Colour},
		{Text: rank, Link: link},
		{Text: domain.FormatPercent(r.YearOnYear, 1), Link: link},
	}
}

// headlineTable is the city's line of each headline indicator.
func headlineTable(p domain.ProgressInput, headline []domain.ProgressTable) Table {
	t := Table{Key: "headline", Title: "主要指标（全市）",
		Columns: append([]Column{{Key: "indicator", Label: "指标"}, {Key: "measure", Label: "计量单位"}}, progressColumns...)}
	if p.City == nil {
		return t
	}
	for _, pt := range headline {
		cells := []Cell{{Text: pt.Indicator.Name}, {Text: pt.Indicator.Measure}}
		t.Rows = append(t.Rows, Row{Key: pt.Indicator.Code, Total: true,
			Cells: append(cells, progressCells(pt, pt.City, p.Year, p.Month, true)...)})
	}
	return t
}

// indicatorTables are one table per indicator: the city first, then the units in scope.
func indicatorTables(p domain.ProgressInput, tables []domain.ProgressTable) []Table {
	out := make([]Table, 0, len(tables))
	for _, pt := range tables {
		t := Table{Key: "indicator:" + pt.Indicator.Code, Title: pt.Indicator.Name + "（" + pt.Indicator.Measure + "）",
			Columns: append([]Column{{Key: "unit", Label: "单位"}}, progressColumns...)}
		if pt.Phased {
			t.Note = "按分期目标计算时序进度。"
		}
		if pt.RankedBy == "value" {
			t.Note += "未下达目标，按数值排名。"
		}
		if p.City != nil {
			t.Rows = append(t.Rows, Row{Key: p.City.Code, Total: true,
				Cells: append([]Cell{{Text: p.City.Name}}, progressCells(pt, pt.City, p.Year, p.Month, true)...)})
		}
		for _, r := range pt.Rows {
			t.Rows = append(t.Rows, Row{Key: r.Unit.Code,
				Cells: append([]Cell{{Text: r.Unit.Name}}, progressCells(pt, r, p.Year, p.Month, false)...)})
		}
		out = append(out, t)
	}
	return out
}

func inScope(scope string, kind domain.UnitKind) bool {
	s := NormalizeScope(scope)
	return s == "all" || string(kind) == s
}

func count(n int64) string { return strconv.FormatInt(n, 10) }

// movementLink lists the projects behind a movement count: signed, started or put into
// production in the window, of the unit (0: all) and tier (0: any amount).
func movementLink(event store.ProjectEvent, from, to string, unitID int64, tier int) string {
	q := url.Values{}
	q.Set(event.FilterPrefix+"_from", from)
	q.Set(event.FilterPrefix+"_to", to)
	if unitID > 0 {
		q.Set("unit", strconv.FormatInt(unitID, 10))
	}
	if tier > 0 {
		q.Set("tier", strconv.Itoa(tier))
	}
	return "/projects?" + q.Encode()
}

// projectsSection counts the projects signed, started and put into production in the
// month and the year to date: per unit in scope, and city-wide per amount tier.
func projectsSection(in Input) Section {
	y, m := in.Progress.Year, in.Progress.Month
	monthFrom, monthTo := store.MonthWindow(y, m)
	yearFrom := fmt.Sprintf("%04d-01-01", y)
	windows := [2][2]string{{monthFrom, monthTo}, {yearFrom, monthTo}}
	var cols []Column
	for _, e := range store.ProjectEvents {
		cols = append(cols, Column{Key: e.Key + "_month", Label: "本月", Group: e.Label, Number: true},
			Column{Key: e.Key + "_ytd", Label: domain.MonthsToDate(m), Group: e.Label, Number: true})
	}
	cells := func(c [3][2][]int64, unitID int64, tier int) []Cell {
		var out []Cell
		for e, ev := range store.ProjectEvents {
			for w := range 2 {
				out = append(out, Cell{Text: count(c[e][w][tier]), Link: movementLink(ev, windows[w][0], windows[w][1], unitID, tier)})
			}
		}
		return out
	}
	byUnit := Table{Key: "movements", Title: "项目签约、开工、投产（按单位）", Columns: append([]Column{{Key: "unit", Label: "单位"}}, cols...)}
	total := store.ProjectMovement{UnitName: "合计"}
	total.Counts = store.EmptyCounts(len(in.Tiers))
	for _, mv := range in.Movements {
		total.Add(mv)
		if inScope(in.Scope, mv.UnitKind) {
			byUnit.Rows = append(byUnit.Rows, Row{Key: mv.UnitCode, Cells: append([]Cell{{Text: mv.UnitName}}, cells(mv.Counts, mv.UnitID, 0)...)})
		}
	}
	byUnit.Rows = append([]Row{{Key: "total", Total: true, Cells: append([]Cell{{Text: "全市合计"}}, cells(total.Counts, 0, 0)...)}}, byUnit.Rows...)
	// The bulletins' key line, the smallest tier (亿元以上 by default), per unit as well.
	var keyTier []Table
	if len(in.Tiers) > 0 {
		kt := Table{Key: "movements:tier1", Title: in.Tiers[0].Label + "项目签约、开工、投产（按单位）", Columns: byUnit.Columns}
		kt.Rows = append(kt.Rows, Row{Key: "total", Total: true, Cells: append([]Cell{{Text: "全市合计"}}, cells(total.Counts, 0, 1)...)})
		for _, mv := range in.Movements {
			if inScope(in.Scope, mv.UnitKind) {
				kt.Rows = append(kt.Rows, Row{Key: mv.UnitCode, Cells: append([]Cell{{Text: mv.UnitName}}, cells(mv.Counts, mv.UnitID, 1)...)})
			}
		}
		keyTier = append(keyTier, kt)
	}
	byTier := Table{Key: "tiers", Title: "项目签约、开工、投产（全市，按合同投资额）", Columns: append([]Column{{Key: "tier", Label: "投资规模"}}, cols...)}
	for i, t := range in.Tiers {
		byTier.Rows = append(byTier.Rows, Row{Key: "tier" + strconv.Itoa(i+1), Cells: append([]Cell{{Text: t.Label}}, cells(total.Counts, 0, i+1)...)})
	}
	return Section{Key: SectionProjects, Title: "重点项目推进情况", Tables: append(append([]Table{byUnit}, keyTier...), byTier)}
}

// ratesSection shows the cohort's rates per unit in scope, ranked by start rate.
func ratesSection(in Input) Section {
	s := Section{Key: SectionRates, Title: "项目“四率”情况"}
	if in.Cohort == nil {
		s.Text = "尚未设定项目批次，暂无“四率”数据。"
		return s
	}
	link := "/projects/rates/" + strconv.FormatInt(in.Cohort.ID, 10)
	t := Table{Key: "cohort", Title: in.Cohort.Name + "（签约期 " + in.Cohort.SignedFrom + " 至 " + in.Cohort.SignedTo + "）",
		Columns: []Column{{Key: "unit", Label: "单位"}, {Key: "signed", Label: "签约数", Number: true},
			{Key: "registered", Label: "注册率%", Number: true}, {Key: "started", Label: "开工率%", Number: true},
			{Key: "producing", Label: "投产率%", Number: true}, {Key: "funds", Label: "资金到位率%", Number: true},
			{Key: "performed", Label: "履约率%", Number: true}, {Key: "rank", Label: "开工率排名"}}}
	rows := func(c domain.CohortRate, rank string) []Cell {
		return []Cell{{Text: c.UnitName}, {Text: count(c.Signed), Link: link},
			{Text: domain.FormatPercent(c.Registration, 1), Link: link}, {Text: domain.FormatPercent(c.Start, 1), Link: link},
			{Text: domain.FormatPercent(c.Production, 1), Link: link}, {Text: domain.FormatPercent(c.FundsRate, 1), Link: link},
			{Text: domain.FormatPercent(c.Performance, 1), Link: link}, {Text: rank, Link: link}}
	}
	total := domain.CohortRates([]domain.CohortCounts{domain.CohortTotal(in.CohortRates)})[0]
	t.Rows = append(t.Rows, Row{Key: "total", Total: true, Cells: rows(total, domain.NoValue)})
	kinds := map[int64]domain.UnitKind{}
	for _, u := range in.Progress.Units {
		kinds[u.ID] = u.Kind
	}
	var scoped []domain.CohortCounts
	for _, c := range in.CohortRates {
		if k, ok := kinds[c.UnitID]; !ok || inScope(in.Scope, k) {
			scoped = append(scoped, c)
		}
	}
	// Ranked among the units shown, like the progress tables.
	for _, c := range domain.CohortRates(scoped) {
		t.Rows = append(t.Rows, Row{Key: c.UnitCode, Cells: rows(c, domain.RankLabel(c.Rank, c.Tied))})
	}
	s.Tables = []Table{t}
	return s
}

// warningsSection lists the lagging projects of units in scope, red first, capped.
func warningsSection(in Input) Section {
	t := Table{Key: "lagging", Title: "滞后项目及预警", MoreLink: "/projects/warnings",
		Columns: []Column{{Key: "code", Label: "项目编码"}, {Key: "name", Label: "项目名称"}, {Key: "unit", Label: "单位"},
			{Key: "stage", Label: "阶段"}, {Key: "level", Label: "预警"}, {Key: "reasons", Label: "原因"}}}
	kinds := map[int64]domain.UnitKind{}
	for _, u := range in.Progress.Units {
		kinds[u.ID] = u.Kind
	}
	// Units outside the progress tables (the city, departments) belong to every scope.
	counted := func(unitID int64) bool {
		k, ok := kinds[unitID]
		return !ok || inScope(in.Scope, k)
	}
	total, red := 0, 0
	for _, c := range in.Warnings.Counts {
		if counted(c.UnitID) {
			total += c.Red + c.Yellow
			red += c.Red
		}
	}
	for _, w := range in.Warnings.First {
		if !counted(w.UnitID) || (in.WarningCap > 0 && len(t.Rows) >= in.WarningCap) {
			continue
		}
		link := "/projects/" + strconv.FormatInt(w.ProjectID, 10)
		colour, label := domain.ColourYellow, "黄色"
		if w.Level == domain.WarningRed {
			colour, label = domain.ColourRed, "红色"
		}
		reasons := ""
		for i, x := range w.Warnings {
			if i > 0 {
				reasons += "；"
			}
			reasons += x.Reason
		}
		stage := domain.ProjectStageLabels[w.Stage]
		t.Rows = append(t.Rows, Row{Key: w.Code, Cells: []Cell{{Text: w.Code, Link: link}, {Text: w.Name, Link: link},
			{Text: w.UnitName}, {Text: stage}, {Text: label, Link: link, Colour: colour}, {Text: reasons, Link: link}}})
	}
	t.More = total - len(t.Rows)
	s := Section{Key: SectionWarnings, Title: "滞后项目预警", Tables: []Table{t}}
	switch {
	case total == 0:
		s.Text = "当前无预警项目。"
	case t.More > 0:
		s.Text = fmt.Sprintf("当前有预警项目%d个，其中红色预警%d个；下表列出前%d个，其余%d个见项目预警页。", total, red, len(t.Rows), t.More)
	default:
		s.Text = fmt.Sprintf("当前有预警项目%d个，其中红色预警%d个。", total, red)
	}
	return s
}

// reportsSection lists the units in scope whose report for the period has not been
// handed in, late or not yet.
func reportsSection(in Input) Section {
	s := Section{Key: SectionReports, Title: "月报报送情况"}
	if in.Reports == nil {
		return s
	}
	o := in.Reports
	t := Table{Key: "late", Title: "未按时报送月报的单位", MoreLink: overviewLink(o.Year, o.Month),
		Columns: []Column{{Key: "unit", Label: "单位"}, {Key: "status", Label: "状态"}, {Key: "late", Label: "是否逾期"}}}
	for _, l := range o.Lines {
		if l.Status().Delivered() || (l.Unit.Kind != domain.UnitCity && !inScope(in.Scope, l.Unit.Kind)) {
			continue
		}
		status := "未填报"
		if l.Report != nil {
			status = l.Status().Label()
		}
		late, colour := "未到截止日", domain.ColourNone
		if l.Late {
			late, colour = "已逾期", domain.ColourRed
		}
		link := reportLink(l.Unit.ID, o.Year, o.Month)
		t.Rows = append(t.Rows, Row{Key: l.Unit.Code, Cells: []Cell{{Text: l.Unit.Name, Link: link}, {Text: status, Link: link},
			{Text: late, Link: link, Colour: colour}}})
	}
	deadline := o.Deadline.AddDate(0, 0, -1).Format("1月2日")
	if len(t.Rows) == 0 {
		s.Text = fmt.Sprintf("%d年%d月月报（截止%s）各单位均已报送。", o.Year, o.Month, deadline)
	} else {
		s.Text = fmt.Sprintf("%d年%d月月报（截止%s）尚有%d个单位未报送。", o.Year, o.Month, deadline, len(t.Rows))
	}
	s.Tables = []Table{t}
	return s
}

// actionsSection lists the dispatch meetings' action items (交办事项) still overdue, most
// overdue first: what the next meeting asks about.
func actionsSection(in Input) Section {
	s := Section{Key: SectionActions, Title: "交办事项落实情况"}
	inScopeUnit := map[int64]bool{}
	for _, u := range in.Progress.Units {
		inScopeUnit[u.ID] = inScope(in.Scope, u.Kind)
	}
	t := Table{Key: "overdue", Title: "逾期未办结的交办事项", MoreLink: "/action-items?overdue=1",
		Columns: []Column{{Key: "unit", Label: "责任单位"}, {Key: "item", Label: "交办事项"}, {Key: "meeting", Label: "会议"},
			{Key: "deadline", Label: "办理期限"}, {Key: "status", Label: "状态"}, {Key: "days", Label: "逾期天数"}}}
	for _, a := range in.Overdue {
		if NormalizeScope(in.Scope) != "all" && !inScopeUnit[a.OwnerUnitID] {
			continue
		}
		link := fmt.Sprintf("/action-items/%d", a.ID)
		days := a.DaysOverdue(in.Today, in.ActionRules)
		t.Rows = append(t.Rows, Row{Key: strconv.FormatInt(a.ID, 10), Cells: []Cell{
			{Text: a.OwnerUnitName, Link: link}, {Text: a.Text, Link: link},
			{Text: a.MeetingHeldOn + " " + a.MeetingTitle, Link: fmt.Sprintf("/meetings/%d", a.MeetingID)},
			{Text: a.Deadline}, {Text: a.Status.Label()}, {Text: strconv.Itoa(days), Colour: domain.ColourRed}}})
	}
	if len(t.Rows) == 0 {
		s.Text = "调度会交办事项均在办理期限内或已办结。"
	} else {
		s.Text = fmt.Sprintf("调度会交办事项中有%d项逾期未办结，请责任单位抓紧落实。", len(t.Rows))
	}
	s.Tables = []Table{t}
	return s
}

// problemsSection is the enterprise service loop's account: the year's problems by lead
// department — received, resolved, overdue, answered on time, satisfied — and the month's
// service-day harvest. Overdue departments show red.
func problemsSection(in Input) Section {
	s := Section{Key: SectionProblems, Title: "企业诉求办理情况"}
	r := in.Problems
	if r == nil {
		return s
	}
	p := in.Progress
	t := Table{Key: "departments", Title: "企业诉求办理情况（按主办部门）", MoreLink: "/problems/stats",
		Columns: []Column{{Key: "department", Label: "主办部门"}, {Key: "count", Label: "受理", Number: true},
			{Key: "closed", Label: "办结", Number: true}, {Key: "overdue", Label: "逾期未办", Number: true},
			{Key: "on_time", Label: "按期答复率%", Number: true}, {Key: "satisfaction", Label: "满意率%", Number: true}}}
	row := func(key, name, link string, st domain.ProblemStats, total bool) Row {
		overdue := Cell{Text: count(int64(st.Overdue)), Link: link}
		if st.Overdue > 0 {
			overdue.Colour = domain.ColourRed
		}
		return Row{Key: key, Total: total, Cells: []Cell{{Text: name, Link: link}, {Text: count(int64(st.Count)), Link: link},
			{Text: count(int64(st.Closed)), Link: link}, overdue, {Text: st.OnTimeLabel()}, {Text: st.SatisfactionLabel()}}}
	}
	t.Rows = append(t.Rows, row("total", "合计", "/problems", r.Total, true))
	for _, st := range r.Rows {
		name := in.Departments[st.ID]
		if name == "" {
			name = fmt.Sprintf("部门%d", st.ID)
		}
		t.Rows = append(t.Rows, row(strconv.FormatInt(st.ID, 10), name, fmt.Sprintf("/problems?lead=%d", st.ID), st, false))
	}
	pct := func(label string) string {
		if label == domain.NoValue {
			return "暂无"
		}
		return label + "%"
	}
	s.Text = fmt.Sprintf("%s共受理企业诉求%d件，已办结%d件，按期答复率%s，满意率%s；逾期未办结%d件；本月企业服务日收集诉求%d件。",
		domain.MonthsToDate(p.Month), r.Total.Count, r.Total.Closed, pct(r.Total.OnTimeLabel()), pct(r.Total.SatisfactionLabel()), r.Total.Overdue, in.ServiceDay)
	if r.Total.Count == 0 {
		s.Text = fmt.Sprintf("%s尚未受理企业诉求；本月企业服务日收集诉求%d件。", domain.MonthsToDate(p.Month), in.ServiceDay)
	}
	s.Tables = []Table{t}
	return s
}

// TitleFor is the bulletin's title for a city: "瓷都市工业倍增暨招商引资工作调度通报".
func TitleFor(city string) string {
	return city + "工业倍增暨招商引资工作调度通报"
}

// Assemble builds the bulletin of a scope from the store's sources; extra sections
// (see Input.Extra) follow the built ones.
func Assemble(d *store.BulletinData, scope string, extra ...Section) *Bulletin {
	title := d.Settings.Title
	if title == "" {
		title = TitleFor(d.CityName)
	}
	return Build(Input{Title: title, Scope: scope, Progress: d.Progress.InScope(scope),
		Movements: d.Movements, Tiers: d.Tiers, Cohort: d.Cohort, CohortRates: d.CohortRates,
		Warnings: d.Warnings, WarningCap: d.Settings.WarningCap, Reports: d.Reports,
		Overdue: d.Overdue, ActionRules: d.ActionRules, Today: d.Today,
		Problems: d.Problems, ServiceDay: d.ServiceDay, Departments: d.Departments, Extra: extra})
}
