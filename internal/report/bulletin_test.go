package report

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

func dec(t *testing.T, s string) domain.Dec {
	t.Helper()
	d, err := domain.ParseDec(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sampleInput is a city with a county and a park, one headline indicator, movements,
// a cohort, three warnings and one missing report.
func sampleInput(t *testing.T) Input {
	city := &domain.Unit{ID: 1, Code: "369900", Name: "瓷都市", Kind: domain.UnitCity}
	a := &domain.Unit{ID: 2, Code: "369901", Name: "甲区", Kind: domain.UnitCounty}
	p := &domain.Unit{ID: 3, Code: "P01", Name: "高新园", Kind: domain.UnitPark}
	ind := &domain.Indicator{ID: 10, Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true,
		Kind: domain.KindReported, Headline: true}
	in := domain.ProgressInput{Year: 2026, Month: 10, TimeProgress: domain.TimeProgressMonths(10),
		Indicators: []*domain.Indicator{ind}, City: city, Units: []*domain.Unit{a, p},
		Actual:   map[domain.CellKey]domain.Dec{{UnitID: 2, IndicatorID: 10}: dec(t, "629.0"), {UnitID: 3, IndicatorID: 10}: dec(t, "50")},
		LastYear: map[domain.CellKey]domain.Dec{},
		Targets: map[domain.CellKey]*domain.Target{{UnitID: 1, IndicatorID: 10}: {Base: dec(t, "1000")},
			{UnitID: 2, IndicatorID: 10}: {Base: dec(t, "647.4")}, {UnitID: 3, IndicatorID: 10}: {Base: dec(t, "100")}}}
	mv := func(u *domain.Unit, signedMonth, signedYear int64) store.ProjectMovement {
		m := store.ProjectMovement{UnitID: u.ID, UnitCode: u.Code, UnitName: u.Name, UnitKind: u.Kind, Counts: store.EmptyCounts(1)}
		m.Counts[0][0][0], m.Counts[0][1][0], m.Counts[0][1][1] = signedMonth, signedYear, 1
		return m
	}
	w := func(id int64, code string, u *domain.Unit, level string) store.ProjectWarningRow {
		return store.ProjectWarningRow{ProjectID: id, Code: code, Name: "项目" + code, UnitID: u.ID, UnitName: u.Name, Stage: "signed",
			Level: level, Warnings: []domain.Warning{{Level: level, Reason: "签约已200天仍未开工"}}}
	}
	deadline := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	return Input{Title: TitleFor("瓷都市"), Scope: "all", Progress: in,
		Movements: []store.ProjectMovement{mv(a, 2, 9), mv(p, 1, 3)}, Tiers: domain.DefaultTiers[:1],
		Cohort:      &domain.Cohort{ID: 7, Name: "2026上半年", SignedFrom: "2026-01-01", SignedTo: "2026-06-30"},
		CohortRates: []domain.CohortCounts{{UnitID: 2, UnitCode: a.Code, UnitName: a.Name, Signed: 4, Started: 3}, {UnitID: 3, UnitCode: p.Code, UnitName: p.Name, Signed: 2, Started: 2}},
		Warnings: store.WarningSummary{
			Counts: []domain.UnitWarnings{{UnitID: a.ID, UnitName: a.Name, Red: 1, Yellow: 1}, {UnitID: p.ID, UnitName: p.Name, Red: 1}},
			First:  []store.ProjectWarningRow{w(1, "X1", a, domain.WarningRed), w(2, "X2", p, domain.WarningRed), w(3, "X3", a, domain.WarningYellow)}},
		WarningCap: 2,
		Reports: domain.NewReportOverview(2026, 10, deadline, deadline.Add(time.Hour), []*domain.Unit{city, a, p},
			[]*domain.Report{{UnitID: 2, Status: domain.ReportApproved}, {UnitID: 1, Status: domain.ReportApproved}}),
		Overdue: []domain.ActionItem{{ID: 5, MeetingID: 2, Text: "加快陶瓷产业园供地", OwnerUnitID: 2, OwnerUnitName: a.Name,
			Deadline: "2026-11-01", Status: domain.ActionOpen, MeetingTitle: "10月调度会", MeetingHeldOn: "2026-10-20"}},
		ActionRules: domain.DefaultActionRules, Today: time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC),
		Extra: []Section{{Key: "extra", Title: "附加", Text: "外部模块提供"}}}
}

func find(t *testing.T, b *Bulletin, section, table string) Table {
	t.Helper()
	for _, s := range b.Sections {
		for _, tb := range s.Tables {
			if s.Key == section && tb.Key == table {
				return tb
			}
		}
	}
	t.Fatalf("no table %s/%s", section, table)
	return Table{}
}

func TestBuild(t *testing.T) {
	b := Build(sampleInput(t))
	if b.Title != "瓷都市工业倍增暨招商引资工作调度通报" || b.TimeProgress != "83.3" {
		t.Errorf("title %q, time progress %s", b.Title, b.TimeProgress)
	}
	if !strings.HasPrefix(b.Narrative, "截至10月底，全市工业营业收入629.0亿元，完成年度基础目标的62.9%，落后时间进度20.4个百分点") {
		t.Errorf("narrative %s", b.Narrative)
	}
	if got := b.Sections[len(b.Sections)-1]; got.Key != "extra" {
		t.Errorf("extra section not last: %s", got.Key)
	}
	rev := find(t, b, SectionIndicators, "indicator:revenue")
	if len(rev.Rows) != 3 || rev.Rows[1].Cells[3].Text != "97.2" || rev.Rows[1].Cells[7].Text != "+13.8" ||
		rev.Rows[1].Cells[9].Text != "第1" || rev.Rows[1].Cells[1].Link != "/reports/2/2026/10" {
		t.Errorf("revenue rows %+v", rev.Rows)
	}
	mv := find(t, b, SectionProjects, "movements")
	if total := mv.Rows[0]; total.Cells[1].Text != "3" || total.Cells[2].Text != "12" ||
		total.Cells[1].Link != "/projects?signed_from=2026-10-01&signed_to=2026-10-31" {
		t.Errorf("total %+v", total)
	}
	if row := mv.Rows[1]; row.Cells[2].Link != "/projects?signed_from=2026-01-01&signed_to=2026-10-31&unit=2" {
		t.Errorf("unit link %s", row.Cells[2].Link)
	}
	if key := find(t, b, SectionProjects, "movements:tier1"); key.Title != "1亿元以上项目签约、开工、投产（按单位）" ||
		key.Rows[0].Cells[2].Text != "2" || key.Rows[1].Cells[2].Link != "/projects?signed_from=2026-01-01&signed_to=2026-10-31&tier=1&unit=2" {
		t.Errorf("key tier %+v", key)
	}
	tiers := find(t, b, SectionProjects, "tiers")
	if tiers.Rows[0].Cells[2].Text != "2" || !strings.Contains(tiers.Rows[0].Cells[2].Link, "tier=1") {
		t.Errorf("tiers %+v", tiers.Rows[0])
	}
	rates := find(t, b, SectionRates, "cohort")
	if rates.Rows[0].Cells[3].Text != "83.3" || rates.Rows[2].Cells[7].Text != "第1" || rates.Rows[1].Cells[7].Text != "第2" {
		t.Errorf("rates %+v", rates.Rows)
	}
	lag := find(t, b, SectionWarnings, "lagging")
	if len(lag.Rows) != 2 || lag.More != 1 || lag.Rows[0].Cells[4].Colour != domain.ColourRed {
		t.Errorf("lagging %+v more %d", lag.Rows, lag.More)
	}
	late := find(t, b, SectionReports, "late")
	if len(late.Rows) != 1 || late.Rows[0].Cells[0].Text != "高新园" || late.Rows[0].Cells[2].Text != "已逾期" {
		t.Errorf("late %+v", late.Rows)
	}
}

func TestBuildScope(t *testing.T) {
	in := sampleInput(t)
	in.Scope = "county"
	in.Progress = in.Progress.InScope("county")
	b := Build(in)
	if b.ScopeLabel != "县（市、区）" {
		t.Errorf("scope %s", b.ScopeLabel)
	}
	// The city keeps its figure; only 甲区 is ranked; the park's project, warning and report are left out.
	if rev := find(t, b, SectionIndicators, "indicator:revenue"); len(rev.Rows) != 2 || rev.Rows[1].Cells[0].Text != "甲区" {
		t.Errorf("rows %+v", rev.Rows)
	}
	if mv := find(t, b, SectionProjects, "movements"); len(mv.Rows) != 2 || mv.Rows[0].Cells[2].Text != "12" {
		t.Errorf("movements %+v", mv.Rows)
	}
	if lag := find(t, b, SectionWarnings, "lagging"); len(lag.Rows) != 2 || lag.More != 0 {
		t.Errorf("lagging %+v", lag.Rows)
	}
	if late := find(t, b, SectionReports, "late"); len(late.Rows) != 0 {
		t.Errorf("late %+v", late.Rows)
	}
}

// An overdue action item is listed with its owner, meeting and days past the deadline,
// linked to the item; another scope's units are left out.
func TestActionsSection(t *testing.T) {
	b := Build(sampleInput(t))
	tb := find(t, b, SectionActions, "overdue")
	if len(tb.Rows) != 1 {
		t.Fatalf("rows %+v", tb.Rows)
	}
	c := tb.Rows[0].Cells
	if c[0].Text != "甲区" || c[0].Link != "/action-items/5" || c[2].Link != "/meetings/2" || c[5].Text != "9" || c[5].Colour != domain.ColourRed {
		t.Errorf("cells %+v", c)
	}
	in := sampleInput(t)
	in.Scope = "park"
	in.Progress = in.Progress.InScope("park")
	if tb := find(t, Build(in), SectionActions, "overdue"); len(tb.Rows) != 0 {
		t.Errorf("a county's item in the parks' bulletin: %+v", tb.Rows)
	}
}

func TestDiff(t *testing.T) {
	old := Build(sampleInput(t))
	in := sampleInput(t)
	in.Progress.Actual[domain.CellKey{UnitID: 3, IndicatorID: 10}] = dec(t, "90")
	in.Progress.Actual[domain.CellKey{UnitID: 2, IndicatorID: 10}] = dec(t, "700")
	in.Warnings = store.WarningSummary{Counts: []domain.UnitWarnings{{UnitID: 2, Red: 1}}, First: in.Warnings.First[:1]}
	in.Extra = nil
	cur := Build(in)
	changes := Diff(old, cur)
	has := func(kind, section, row, column, from, to string) bool {
		for _, c := range changes {
			if c.Kind == kind && c.Section == section && c.Row == row && c.Column == column && c.Old == from && c.New == to {
				return true
			}
		}
		return false
	}
	for _, want := range [][6]string{
		{Changed, "分项指标完成情况", "高新园", "实际", "50.0", "90.0"},
		{Changed, "分项指标完成情况", "高新园", "基础目标完成率%", "50.0", "90.0"},
		{Changed, "分项指标完成情况", "瓷都市", "实际", "629.0", "700.0"},
		{Changed, "总体情况", "工业营业收入", "实际", "629.0", "700.0"},
		{Removed, "滞后项目预警", "X2", "", "", ""},
		{Changed, "滞后项目预警", "未列出", "", "1", "0"},
		{Removed, "附加", "", "", "", ""},
	} {
		if !has(want[0], want[1], want[2], want[3], want[4], want[5]) {
			t.Errorf("missing change %v in %+v", want, changes)
		}
	}
	if changes[0].Section != "通报正文" {
		t.Errorf("narrative change first: %+v", changes[0])
	}
	if d := Diff(old, Build(sampleInput(t))); len(d) != 0 {
		t.Errorf("same input differs: %+v", d)
	}
}

func TestHeaderAndNumbers(t *testing.T) {
	tb := find(t, Build(sampleInput(t)), SectionIndicators, "indicator:revenue")
	top := tb.Header()
	if !tb.Grouped() || len(top) != 9 || top[2].Label != "基础目标" || top[2].Span != 2 || !top[2].Grouped || top[1].Grouped {
		t.Errorf("header %+v", top)
	}
	if sub := tb.SubLabels(); len(sub) != 4 || sub[0] != "目标" || sub[1] != "完成率%" {
		t.Errorf("sub %v", sub)
	}
	for n, want := range map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 23: "二十三"} {
		if got := ChineseNumber(n); got != want {
			t.Errorf("%d: %s", n, got)
		}
	}
}

// The problems section counts the year's problems by lead department from the loop's
// statistics: a department with overdue problems shows red, rates are half-up, and the
// paragraph gives the totals with the month's service-day harvest.
func TestProblemsSection(t *testing.T) {
	in := sampleInput(t)
	onTime, satisfied := big.NewRat(3, 4), big.NewRat(6, 7)
	in.Problems = &domain.ProblemReport{
		Total: domain.ProblemStats{Count: 10, Closed: 6, Overdue: 1, OnTimeRate: onTime, SatisfactionRate: satisfied},
		Rows: []domain.ProblemStats{
			{ID: 40, Count: 7, Closed: 5, Overdue: 1, OnTimeRate: big.NewRat(2, 3), SatisfactionRate: big.NewRat(1, 1)},
			{ID: 41, Count: 3, Closed: 1},
		}}
	in.ServiceDay, in.Departments = 4, map[int64]string{40: "市自然资源局", 41: "市生态环境局"}
	b := Build(in)
	var s Section
	for _, x := range b.Sections {
		if x.Key == SectionProblems {
			s = x
		}
	}
	if s.Text != "1–10月共受理企业诉求10件，已办结6件，按期答复率75.0%，满意率85.7%；逾期未办结1件；本月企业服务日收集诉求4件。" {
		t.Errorf("text %q", s.Text)
	}
	rows := s.Tables[0].Rows
	if len(rows) != 3 || rows[1].Cells[0].Text != "市自然资源局" || rows[1].Cells[3].Colour != domain.ColourRed ||
		rows[1].Cells[4].Text != "66.7" || rows[2].Cells[3].Colour != "" || rows[2].Cells[4].Text != domain.NoValue ||
		rows[1].Cells[0].Link != "/problems?lead=40" {
		t.Errorf("rows %+v", rows)
	}
}
