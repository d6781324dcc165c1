package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func TestCalendarYearLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cy, err := s.FindCalendarYear(ctx, 2026)
		if err != nil || cy.Loaded || cy.Version != 0 || len(cy.Days) != 0 {
			t.Fatalf("fresh 2026: %+v %v", cy, err)
		}
		national, _ := domain.NationalCalendar(2026)
		if err := s.SaveCalendarYear(ctx, system, 2026, 0, national, "载入国家法定节假日"); err != nil {
			t.Fatal(err)
		}
		// A second load from the same stale view (version 0) is a conflict, not a double.
		if err := s.SaveCalendarYear(ctx, system, 2026, 0, national, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("second load from version 0: %v", err)
		}
		cy, err = s.FindCalendarYear(ctx, 2026)
		if err != nil || !cy.Loaded || cy.Version != 1 || len(cy.Days) != len(national) {
			t.Fatalf("loaded 2026: loaded %v version %d days %d (%v)", cy.Loaded, cy.Version, len(cy.Days), err)
		}
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !cal.Loaded(2026) || cal.Loaded(2025) || cal.IsWorkingDay(time.Date(2026, 2, 16, 0, 0, 0, 0, time.UTC)) {
			t.Fatal("the loaded calendar does not answer as 2026's")
		}

		// A local extra day off, then its removal; each bumps the version.
		extra := domain.CalendarDay{Date: time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC), Kind: domain.Holiday, Name: "市庆"}
		if err := s.SetCalendarDay(ctx, system, 2026, 1, extra); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCalendarDay(ctx, system, 2026, 1, extra); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale version: %v", err)
		}
		bad := extra
		bad.Kind = domain.Workday // a Monday cannot be a 调休 workday
		if err := s.SetCalendarDay(ctx, system, 2026, 2, bad); domain.ErrorFields(err)["kind"] == "" {
			t.Fatalf("a Monday as a workday: %v", err)
		}
		if err := s.RemoveCalendarDay(ctx, system, 2026, 2, time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC)); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("removing a day not there: %v", err)
		}
		if err := s.RemoveCalendarDay(ctx, system, 2026, 2, extra.Date); err != nil {
			t.Fatal(err)
		}
		cy, _ = s.FindCalendarYear(ctx, 2026)
		if cy.Version != 3 || len(cy.Days) != len(national) {
			t.Fatalf("after add and remove: version %d, %d days", cy.Version, len(cy.Days))
		}

		// Bad lists change nothing.
		dup := append(slices.Clone(national), national[0])
		if err := s.SaveCalendarYear(ctx, system, 2026, 3, dup, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("a date twice: %v", err)
		}
		if err := s.SaveCalendarYear(ctx, system, 2025, 0, national, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("2026's days as 2025's: %v", err)
		}
		if cy, _ := s.FindCalendarYear(ctx, 2025); cy.Loaded {
			t.Fatal("a refused save loaded 2025")
		}

		events, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Entity: "calendar"})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{"calendar.day.remove", "calendar.day.set", "calendar.replace"}) {
			t.Fatalf("audit: %v", actions)
		}
		if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("verify: %v %v", brk, err)
		}
	})
}

func TestServiceDayRuleSetting(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		r, err := s.ServiceDayRule(ctx)
		if err != nil || r != domain.DefaultServiceDayRule {
			t.Fatalf("default: %+v %v", r, err)
		}
		if err := s.SetServiceDayRule(ctx, system, domain.ServiceDayRule{DayOfMonth: 31, Roll: domain.RollNext}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("31st: %v", err)
		}
		want := domain.ServiceDayRule{DayOfMonth: 10, Roll: domain.RollPrevious, RemindDays: 2}
		if err := s.SetServiceDayRule(ctx, system, want); err != nil {
			t.Fatal(err)
		}
		days, rule, err := s.ServiceDays(ctx, 2026)
		if err != nil || rule != want || len(days) != 12 {
			t.Fatalf("%+v %d %v", rule, len(days), err)
		}
		// 10 Jan 2026 is a Saturday and 2026 is not loaded: back to Friday the 9th, warned.
		if days[0].Date.Format(domain.DateLayout) != "2026-01-09" || !slices.Equal(days[0].Unloaded, []int{2026}) {
			t.Fatalf("January: %+v", days[0])
		}
	})
}

func TestNotifications(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "369900", domain.UnitCity, 0)
		var users []*domain.User
		for _, spec := range []struct {
			name string
			role domain.Role
		}{{"leader1", domain.RoleLeader}, {"leader2", domain.RoleLeader}, {"reporter", domain.RoleReporter}} {
			u := &domain.User{Username: spec.name, DisplayName: spec.name, UnitID: city.ID, Roles: []domain.Role{spec.role}}
			if err := s.CreateUser(ctx, system, u, "h"); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		msg := domain.Notification{Kind: domain.NotificationKindServiceDay, Title: "3月6日为企业服务日", Link: "/calendar?year=2026", Dedupe: "service_day:2026-03-06"}
		if n, err := s.NotifyRole(ctx, system, domain.RoleLeader, msg); err != nil || n != 2 {
			t.Fatalf("first send: %d %v", n, err)
		}
		if n, err := s.NotifyRole(ctx, system, domain.RoleLeader, msg); err != nil || n != 0 {
			t.Fatalf("the same key again: %d %v", n, err)
		}
		// Without a key every message is written.
		plain := &domain.Notification{UserID: users[0].ID, Kind: "test", Title: "一"}
		plain2 := &domain.Notification{UserID: users[0].ID, Kind: "test", Title: "二"}
		if n, err := s.Notify(ctx, system, plain, plain2); err != nil || n != 2 {
			t.Fatalf("plain: %d %v", n, err)
		}
		if _, err := s.Notify(ctx, system, &domain.Notification{UserID: users[0].ID, Kind: "test", Title: "x", Link: "https://elsewhere"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("outside link: %v", err)
		}
		leader := domain.Actor{User: users[0], Via: "web"}
		if n, _ := s.UnreadNotifications(ctx, users[0].ID); n != 3 {
			t.Fatalf("unread = %d, want 3", n)
		}
		if n, _ := s.UnreadNotifications(ctx, users[2].ID); n != 0 {
			t.Fatalf("the reporter has %d", n)
		}
		list, total, err := s.FindNotifications(ctx, users[0].ID, domain.NotificationFilter{Limit: 2})
		if err != nil || total != 3 || len(list) != 2 || list[0].Title != "二" || !list[0].Unread() {
			t.Fatalf("page: %d %d %v", total, len(list), err)
		}
		// Another user's message is not found for this user.
		other, _, _ := s.FindNotifications(ctx, users[1].ID, domain.NotificationFilter{})
		if _, err := s.MarkNotificationRead(ctx, leader, other[0].ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("reading another's: %v", err)
		}
		if n, err := s.MarkNotificationRead(ctx, leader, list[0].ID); err != nil || n.Unread() || n.Title != "二" {
			t.Fatal(n, err)
		}
		if _, err := s.MarkNotificationRead(ctx, leader, list[0].ID); err != nil {
			t.Fatalf("again: %v", err)
		}
		unread, total, _ := s.FindNotifications(ctx, users[0].ID, domain.NotificationFilter{UnreadOnly: true})
		if total != 2 || len(unread) != 2 {
			t.Fatalf("unread only: %d", total)
		}
		if n, err := s.MarkAllNotificationsRead(ctx, leader); err != nil || n != 2 {
			t.Fatalf("all: %d %v", n, err)
		}
		if n, _ := s.UnreadNotifications(ctx, users[0].ID); n != 0 {
			t.Fatalf("unread after all = %d", n)
		}
		if n, _ := s.UnreadNotifications(ctx, users[1].ID); n != 1 {
			t.Fatalf("the other leader's = %d", n)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "notification.read"})
		if len(events) != 1 {
			t.Fatalf("read events: %d", len(events))
		}
	})
}

func TestClaimJobOncePerPeriod(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		if ok, err := s.ClaimJob(ctx, "j", "a", time.Hour); err != nil || !ok {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, _ := s.ClaimJob(ctx, "j", "b", time.Hour); ok {
			t.Fatal("b claimed a period a holds")
		}
		if ok, _ := s.ClaimJob(ctx, "other", "b", time.Hour); !ok {
			t.Fatal("another job's lease is its own")
		}
		now = now.Add(59 * time.Minute)
		if ok, _ := s.ClaimJob(ctx, "j", "a", time.Hour); ok {
			t.Fatal("a claimed again within its own period")
		}
		now = now.Add(time.Minute)
		if ok, _ := s.ClaimJob(ctx, "j", "b", time.Hour); !ok {
			t.Fatal("b did not get the next period")
		}
	})
}
