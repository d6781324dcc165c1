package demo_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
)

// openStore opens a migrated store on the DSN storetest made.
func openStore(t *testing.T, dsn string) (*store.Store, *auth.Service) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(st, auth.Settings{
		Password: domain.DefaultPasswordPolicy, SessionIdle: 30 * time.Minute, SessionLifetime: 12 * time.Hour,
		LockoutFailures: 5, LockoutDuration: 15 * time.Minute, ThrottleFailures: 20, ThrottleWindow: 15 * time.Minute,
	})
	return st, svc
}

func TestLoad(t *testing.T) { storetest.ForEachDSN(t, testLoad) }

func testLoad(t *testing.T, dsn string) {
	ctx := context.Background()
	st, svc := openStore(t, dsn)
	actor := domain.Actor{Via: "cli"}

	res, err := demo.Load(ctx, st, svc, actor)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	t.Run("campaign figures", func(t *testing.T) {
		// The demo's newest month has approved reports, targets and every review stage.
		last := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, -1, 0)
		in, err := st.ProgressInput(ctx, last.Year(), int(last.Month()))
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Indicators) != 9 || len(in.Units) != 7 || len(in.Targets) == 0 {
			t.Fatalf("indicators %d, units %d, targets %d", len(in.Indicators), len(in.Units), len(in.Targets))
		}
		tables := domain.BuildProgress(in)
		revenue := tables[3]
		if revenue.Indicator.Code != "industrial_revenue" || revenue.City.Actual == nil || !revenue.City.Summed {
			t.Fatalf("city revenue: %+v", revenue.City)
		}
		// 亿元以上项目 and 5020 are counted from the generated projects, 新增规上 from the
		// generated enterprises' entries: none is typed.
		for _, tb := range tables {
			switch tb.Indicator.Code {
			case "projects_100m", "projects_5020", "started_100m", "new_above_scale":
				if tb.Indicator.Kind != domain.KindDerived || tb.City.Actual == nil || tb.City.Actual.Sign() <= 0 {
					t.Errorf("%s: kind %s, city %v", tb.Indicator.Code, tb.Indicator.Kind, tb.City.Actual)
				}
			case "start_rate_100m":
				if tb.City.Actual == nil || tb.City.Actual.Sign() <= 0 {
					t.Errorf("start rate %v", tb.City.Actual)
				}
			}
		}
		reports, err := st.FindReports(ctx, last.Year(), int(last.Month()))
		if err != nil {
			t.Fatal(err)
		}
		stages := map[domain.ReportStatus]int{}
		for _, r := range reports {
			stages[r.Status]++
		}
		if len(reports) != 6 || stages[domain.ReportApproved] != 4 || stages[domain.ReportSubmitted] != 1 || stages[domain.ReportDraft] != 1 {
			t.Fatalf("newest month's reports: %v", stages)
		}
	})

	t.Run("enterprises", func(t *testing.T) {
		count := func(f domain.EnterpriseFilter) int {
			t.Helper()
			_, n, err := st.FindEnterprises(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		rules, err := st.EnterpriseRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, above := count(domain.EnterpriseFilter{}), count(domain.EnterpriseFilter{AboveScale: "yes"})
		zombies := count(domain.EnterpriseFilter{Status: domain.StatusZombie})
		pool := count(domain.EnterpriseFilter{Candidate: true, FiguresYear: time.Now().In(domain.ChinaTime).Year() - 1, Rules: rules})
		honoured := count(domain.EnterpriseFilter{Honour: "innovative_sme"})
		if all < 300 || above < 150 || zombies == 0 || pool == 0 || honoured == 0 {
			t.Errorf("enterprises %d, above scale %d, zombies %d, pool %d, innovative SMEs %d", all, above, zombies, pool, honoured)
		}
		// A few honours were withdrawn on re-examination: kept with their reason, not counted.
		list, _, err := st.FindEnterprises(ctx, domain.EnterpriseFilter{Limit: all})
		if err != nil {
			t.Fatal(err)
		}
		withdrawn := 0
		for _, e := range list {
			hs, err := st.FindHonours(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hs {
				if h.Withdrawn() {
					withdrawn++
					if h.WithdrawReason == "" {
						t.Errorf("withdrawn without a reason: %+v", h)
					}
				}
			}
		}
		if withdrawn == 0 {
			t.Error("no withdrawn honour in the demo")
		}
	})

	t.Run("scoring", func(t *testing.T) {
		// The year's scheme scores the counties from their reports and projects: every
		// county gets a total and a rank, with its rank in each month of the year.
		last := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, -1, 0)
		board, err := st.UnitScores(ctx, last.Year(), int(last.Month()))
		if err != nil {
			t.Fatal(err)
		}
		if len(board.Scheme.Items) != 6 || len(board.Units) != 7 {
			t.Fatalf("scheme items %d, units %d", len(board.Scheme.Items), len(board.Units))
		}
		ranked := 0
		for _, u := range board.Units {
			if u.Unit.Kind == domain.UnitCounty && (u.Total == nil || u.Total.Sign() <= 0 || u.Rank == 0) {
				t.Errorf("%s: total %v rank %d", u.Unit.Name, u.Total, u.Rank)
			}
			if u.Rank > 0 {
				ranked++
			}
			if len(u.History) != int(last.Month()) {
				t.Errorf("%s: %d months of history", u.Unit.Name, len(u.History))
			}
		}
		if ranked < 4 {
			t.Errorf("only %d units ranked", ranked)
		}
	})

	t.Run("calendar and the leader's inbox", func(t *testing.T) {
		for _, y := range domain.NationalYears() {
			cy, err := st.FindCalendarYear(ctx, y)
			if err != nil || !cy.Loaded || len(cy.Days) == 0 {
				t.Errorf("%d: %+v %v", y, cy, err)
			}
		}
		leader, err := st.FindUserByUsername(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		// Besides the service-day reminder the leader hears of the linked enterprises'
		// problems (replies, escalations).
		list, total, err := st.FindNotifications(ctx, leader.ID, domain.NotificationFilter{Limit: 500})
		if err != nil || !slices.ContainsFunc(list, func(n *domain.Notification) bool { return strings.HasSuffix(n.Title, "为企业服务日") }) {
			t.Fatalf("leader's inbox: %d %v", total, err)
		}
	})

	t.Run("the service loop", func(t *testing.T) {
		leader, err := st.FindUserByUsername(ctx, "leader")
		if err != nil {
			t.Fatal(err)
		}
		count := func(f domain.ProblemFilter) int {
			t.Helper()
			_, n, err := st.FindProblems(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		all := count(domain.ProblemFilter{})
		if all < 90 || count(domain.ProblemFilter{Source: domain.SourceServiceDay}) < 10 {
			t.Errorf("%d problems, %d from visits", all, count(domain.ProblemFilter{Source: domain.SourceServiceDay}))
		}
		for status := range domain.ProblemStatusLabels {
			if count(domain.ProblemFilter{Status: status}) == 0 {
				t.Errorf("no demo problem is %s", status)
			}
		}
		if count(domain.ProblemFilter{Overdue: true}) == 0 {
			t.Error("no overdue problem")
		}
		rep, err := st.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment)
		if err != nil || rep.Total.Escalated == 0 || rep.Total.Rated == 0 || len(rep.Black) == 0 {
			t.Errorf("statistics: %+v %v", rep.Total, err)
		}
		links, _, err := st.FindLinks(ctx, store.LinkFilter{LeaderID: leader.ID})
		if err != nil || len(links) == 0 {
			t.Errorf("links %d %v", len(links), err)
		}
		if visits, err := st.FindVisits(ctx, leader.ID, 0, 100); err != nil || len(visits) < 5 {
			t.Errorf("visits %d %v", len(visits), err)
		}
	})

	t.Run("units by kind", func(t *testing.T) {
		want := map[domain.UnitKind]int{domain.UnitCity: 1, domain.UnitCounty: 4, domain.UnitPark: 3, domain.UnitDepartment: 12}
		for kind, n := range want {
			if res.Units[kind] != n {
				t.Errorf("result: %s = %d, want %d", kind, res.Units[kind], n)
			}
			units, total, err := st.FindUnits(ctx, domain.UnitFilter{Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			if total != n {
				t.Errorf("store: %s = %d, want %d", kind, total, n)
			}
			for _, u := range units {
				if wantAssessed := kind == domain.UnitCounty || kind == domain.UnitPark; u.Assessed != wantAssessed {
					t.Errorf("%s %s: assessed = %v, want %v", u.Code, u.Name, u.Assessed, wantAssessed)
				}
				if !u.Active {
					t.Errorf("%s: not active", u.Code)
				}
			}
		}
		park, err := st.FindUnitByCode(ctx, "P369901")
		if err != nil {
			t.Fatal(err)
		}
		host, err := st.FindUnitByCode(ctx, "369901")
		if err != nil {
			t.Fatal(err)
		}
		if park.ParentID != host.ID {
			t.Errorf("park P369901 parent = %d, want 东湖区 %d", park.ParentID, host.ID)
		}
	})

	t.Run("every role can sign in", func(t *testing.T) {
		if len(res.Accounts) != len(demo.Accounts()) {
			t.Fatalf("result lists %d accounts, Accounts() %d", len(res.Accounts), len(demo.Accounts()))
		}
		covered := map[domain.Role]bool{}
		for _, a := range res.Accounts {
			_, u, err := svc.Login(ctx, a.Username, a.Password, "127.0.0.1", "test")
			if err != nil {
				t.Errorf("login %s: %v", a.Username, err)
				continue
			}
			if u.MustChangePassword {
				t.Errorf("%s must change the password; demo accounts should not", a.Username)
			}
			unit, err := st.FindUnitByID(ctx, u.UnitID)
			if err != nil {
				t.Fatal(err)
			}
			if unit.Code != a.UnitCode {
				t.Errorf("%s in unit %s, want %s", a.Username, unit.Code, a.UnitCode)
			}
			for _, r := range u.Roles {
				covered[r] = true
			}
		}
		for _, r := range domain.Roles {
			if !covered[r] {
				t.Errorf("no demo user has role %s", r)
			}
		}
	})

	t.Run("every warning kind, attachments, park benchmarks", func(t *testing.T) {
		today := time.Now().In(time.FixedZone("CST", 8*3600))
		rows, err := st.ProjectWarnings(ctx, 0, today, domain.DefaultWarningRules)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range rows {
			for _, w := range r.Warnings {
				seen[w.Code] = true
			}
		}
		for code := range domain.WarningLabels {
			// Time progress is 0/12 in January, so no project is behind it then.
			if !seen[code] && !(code == domain.WarnFundsBehind && today.Month() == time.January) {
				t.Errorf("no demo project trips %s (%s)", code, domain.WarningLabels[code])
			}
		}
		for _, code := range demo.ShowcaseWarnings() {
			if _, ok := domain.WarningLabels[code]; !ok {
				t.Errorf("showcase names an unknown warning %s", code)
			}
		}
		list, n, err := st.FindProjects(ctx, domain.ProjectFilter{Query: "闲置土地", Limit: 1})
		if err != nil || n != 1 {
			t.Fatalf("idle land showcase: %d %v", n, err)
		}
		atts, err := st.FindAttachments(ctx, list[0].ID)
		if err != nil || len(atts) != 2 || atts[0].ContentType == atts[1].ContentType {
			t.Fatalf("showcase attachments %+v %v", atts, err)
		}
		q, err := st.QualityScheme(ctx)
		if err != nil || len(q.ParkIntensity) != 2 {
			t.Errorf("park benchmarks %+v %v", q.ParkIntensity, err)
		}
		if th, _ := st.Thresholds5020(ctx); th.ClassName == "" {
			t.Error("no city class")
		}
		if _, n, _ := st.FindProjects(ctx, domain.ProjectFilter{Candidate5020: &domain.DefaultThresholds5020, Limit: 1}); n == 0 {
			t.Error("no 5020 candidate")
		}
	})

	t.Run("meetings with items in every state", func(t *testing.T) {
		rows, total, err := st.FindMeetings(ctx, 0, 0, 50)
		if err != nil || total < 3 || rows[0].Pending == 0 {
			t.Fatalf("meetings: %d %v", total, err)
		}
		for _, s := range domain.ActionStatuses {
			if _, n, err := st.FindActionItems(ctx, domain.ActionItemFilter{Status: s}); err != nil || n == 0 {
				t.Errorf("no demo item is %s (%v)", s.Label(), err)
			}
		}
		over, err := st.OverdueActionItems(ctx, time.Now())
		replied := 0
		for _, a := range over {
			if a.Status == domain.ActionReplied {
				replied++
			}
		}
		if err != nil || len(over) < 3 || replied == 0 {
			t.Errorf("overdue demo items: %d (%d replied) %v", len(over), replied, err)
		}
	})

	t.Run("marked as demo", func(t *testing.T) {
		v, err := st.Setting(ctx, store.SettingDemo)
		if err != nil || v != "1" {
			t.Errorf("demo setting = %q, %v; want 1", v, err)
		}
	})

	t.Run("second load refused", func(t *testing.T) {
		_, err := demo.Load(ctx, st, svc, actor)
		if !errors.Is(err, demo.ErrNotEmpty) {
			t.Errorf("second Load: %v, want ErrNotEmpty", err)
		}
		if n, _ := st.CountUnits(ctx); n != 20 {
			t.Errorf("units after refused load = %d, want 20", n)
		}
	})

	t.Run("audit chain verifies", func(t *testing.T) {
		n, brk, err := st.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if brk != nil {
			t.Fatalf("audit chain broken at #%d: %s", brk.Seq, brk.Reason)
		}
		if n < 20+7 {
			t.Errorf("only %d audit events for 20 units and 7 users", n)
		}
	})
}

func TestLoadRefusesStricterPolicy(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t, storetest.SQLiteDSN(t))
	svc := auth.NewService(st, auth.Settings{Password: domain.PasswordPolicy{MinLength: 20, MinClasses: 3},
		ThrottleFailures: 20, ThrottleWindow: time.Minute})
	if _, err := demo.Load(ctx, st, svc, domain.Actor{Via: "cli"}); err == nil {
		t.Fatal("Load succeeded although the demo password is shorter than the policy's 20")
	}
	if n, _ := st.CountUnits(ctx); n != 0 {
		t.Errorf("refused load left %d units", n)
	}
}

// The demo's bulletin has something in every section, and last month's is published.
func TestDemoBulletin(t *testing.T) {
	ctx := context.Background()
	st, svc := openStore(t, storetest.SQLiteDSN(t))
	if _, err := demo.Load(ctx, st, svc, domain.Actor{Via: "cli"}); err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	year, month := domain.ReportPeriodAt(st.Now(), cst)
	data, err := st.BulletinData(ctx, year, month, cst)
	if err != nil {
		t.Fatal(err)
	}
	b := report.Assemble(data, "all")
	if b.Title != "瓷都市工业倍增暨招商引资工作调度通报" || !strings.Contains(b.Narrative, "并列") && !strings.Contains(b.Narrative, "居第一") {
		t.Errorf("title %q, narrative %q", b.Title, b.Narrative)
	}
	for _, s := range b.Sections {
		if len(s.Tables) == 0 || len(s.Tables[0].Rows) == 0 {
			t.Errorf("section %s is empty: %s", s.Title, s.Text)
		}
	}
	list, err := st.FindBulletins(ctx, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("published: %v %v", list, err)
	}
	// The newest meeting of the published month, when there is one, discussed it.
	var want int64
	rows, _, _ := st.FindMeetings(ctx, list[0].Year, 0, 50)
	for _, row := range rows {
		if row.Month == list[0].Month {
			want = row.ID
			break
		}
	}
	linked, err := st.FindMeetingsOfBulletin(ctx, list[0].ID)
	if err != nil || want != 0 && (len(linked) != 1 || linked[0].ID != want) || want == 0 && len(linked) != 0 {
		t.Errorf("meetings of the demo bulletin: %+v (want meeting %d) %v", linked, want, err)
	}
}
