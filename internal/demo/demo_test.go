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
		pool := count(domain.EnterpriseFilter{Candidate: true, FiguresYear: time.Now().Year() - 1, Rules: rules})
		honoured := count(domain.EnterpriseFilter{Honour: "innovative_sme"})
		if all < 300 || above < 150 || zombies == 0 || pool == 0 || honoured == 0 {
			t.Errorf("enterprises %d, above scale %d, zombies %d, pool %d, innovative SMEs %d", all, above, zombies, pool, honoured)
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
