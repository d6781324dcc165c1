package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func open(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// clock is a controlled time shared by the two "instances".
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// TestTwoSchedulersRunAJobOnce starts two schedulers, each with its own connection pool
// like two serve instances, on the same database, and ticks them together: each period's
// run happens once.
func TestTwoSchedulersRunAJobOnce(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, b := open(t, dsn), open(t, dsn)
		if _, err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		clk := &clock{now: time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC)}
		a.Now, b.Now = clk.Now, clk.Now
		var runs atomic.Int32
		job := Job{Name: "count", Every: time.Hour, Run: func(context.Context, time.Time) error { runs.Add(1); return nil }}
		sa, sb := New(a, quiet, job), New(b, quiet, job)
		for period := range 3 {
			for range 5 { // several ticks within the period, both instances at once
				var wg sync.WaitGroup
				for _, s := range []*Scheduler{sa, sb} {
					wg.Go(func() { s.RunDue(ctx) })
				}
				wg.Wait()
				clk.set(clk.Now().Add(10 * time.Minute))
			}
			if got := runs.Load(); int(got) != period+1 {
				t.Fatalf("after period %d the job ran %d times, want %d", period+1, got, period+1)
			}
			clk.set(clk.Now().Add(10 * time.Minute)) // 60 minutes per period
		}
	})
}

// TestFailingJobs: a job that fails or panics is logged, and the jobs after it still run.
func TestFailingJobs(t *testing.T) {
	ctx := context.Background()
	st := open(t, storetest.SQLiteDSN(t))
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	ran := false
	s := New(st, slog.New(slog.NewTextHandler(&log, nil)),
		Job{Name: "fails", Every: time.Hour, Run: func(context.Context, time.Time) error { return errors.New("boom") }},
		Job{Name: "panics", Every: time.Hour, Run: func(context.Context, time.Time) error { panic("bang") }},
		Job{Name: "works", Every: time.Hour, Run: func(context.Context, time.Time) error { ran = true; return nil }})
	if got := s.RunDue(ctx); len(got) != 3 || !ran {
		t.Fatalf("ran %v, last job ran %v", got, ran)
	}
	if !strings.Contains(log.String(), "boom") || !strings.Contains(log.String(), "panic: bang") {
		t.Fatalf("log: %s", log.String())
	}
}

func TestServiceDayReminders(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st := open(t, dsn)
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		clk := &clock{}
		st.Now = clk.Now
		city := &domain.Unit{Code: "369900", Name: "市", Kind: domain.UnitCity, Active: true}
		if err := st.CreateUnit(ctx, tester, city); err != nil {
			t.Fatal(err)
		}
		var leaders []*domain.User
		for _, spec := range []struct {
			name string
			role domain.Role
		}{{"leader", domain.RoleLeader}, {"leader2", domain.RoleLeader}, {"coordinator", domain.RoleCoordinator}} {
			u := &domain.User{Username: spec.name, DisplayName: spec.name, UnitID: city.ID, Roles: []domain.Role{spec.role}}
			if err := st.CreateUser(ctx, tester, u, "h"); err != nil {
				t.Fatal(err)
			}
			if spec.role == domain.RoleLeader {
				leaders = append(leaders, u)
			}
		}
		days, _ := domain.NationalCalendar(2026)
		if err := st.SaveCalendarYear(ctx, tester, 2026, 0, days, ""); err != nil {
			t.Fatal(err)
		}
		at := func(date string, hour int) time.Time {
			d, _ := domain.ParseDate(date)
			return domain.StartOfDay(d).Add(time.Duration(hour) * time.Hour)
		}
		// April 2026: the 6th is inside 清明 (4–6 April), so the service day is Tuesday the
		// 7th and the reminder, one working day before, is Friday the 3rd.
		tests := []struct {
			now  time.Time
			sent int
		}{
			{at("2026-04-02", 9), 0},  // too early
			{at("2026-04-03", 9), 2},  // the reminder day: both leaders
			{at("2026-04-03", 10), 0}, // an hour later: nothing twice
			{at("2026-04-06", 9), 0},  // a holiday, still nothing twice
			{at("2026-04-07", 9), 0},  // the day itself
			{at("2026-04-08", 9), 0},  // after it
		}
		for _, tt := range tests {
			clk.set(tt.now)
			n, err := RemindServiceDays(ctx, st, tt.now)
			if err != nil || n != tt.sent {
				t.Fatalf("at %v: sent %d (%v), want %d", tt.now.In(domain.ChinaTime), n, err, tt.sent)
			}
		}
		list, total, err := st.FindNotifications(ctx, leaders[0].ID, domain.NotificationFilter{})
		if err != nil || total != 1 {
			t.Fatalf("the leader has %d messages (%v)", total, err)
		}
		n := list[0]
		if n.Title != "4月7日为企业服务日" || !strings.Contains(n.Body, "逢清明节") || n.Link != "/calendar?year=2026" {
			t.Fatalf("message: %+v", n)
		}
		// The May service day (Wed 6 May) is reminded on the working day before it: 30
		// April, the last working day before the 劳动节 break.
		clk.set(at("2026-04-30", 9))
		if n, err := RemindServiceDays(ctx, st, at("2026-04-30", 9)); err != nil || n != 2 {
			t.Fatalf("30 April: %d %v", n, err)
		}
		clk.set(at("2026-05-05", 20))
		if n, err := RemindServiceDays(ctx, st, at("2026-05-05", 20)); err != nil || n != 0 {
			t.Fatalf("5 May: %d %v", n, err)
		}
		// June's 6th is a Saturday: Monday the 8th, reminded on Friday the 5th. With every
		// instance down that Friday, the reminder goes out late rather than never — once,
		// through the scheduler's job, however often it is asked.
		sched := New(st, quiet, ServiceDayReminders(st))
		clk.set(at("2026-06-08", 7))
		sched.RunDue(ctx)
		sched.RunDue(ctx)
		if _, total, _ := st.FindNotifications(ctx, leaders[1].ID, domain.NotificationFilter{}); total != 3 {
			t.Fatalf("leader2 has %d messages, want 3", total)
		}
	})
}

var tester = domain.Actor{Via: "test"}
