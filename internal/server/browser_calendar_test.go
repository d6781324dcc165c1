package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beizeng/internal/domain"
)

// TestBrowserCalendarAndInbox: a coordinator finds 2026 not loaded, loads the national
// holidays with one click and sees 春节 marked; a message makes the header's badge show
// 1, and reading it clears the badge.
func TestBrowserCalendarAndInbox(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	s := &browserSession{t: t, ctx: startBrowser(t, execPath, 120*time.Second), base: f.ts.URL, name: "desktop"}
	s.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	s.loginAs("coordinator")

	s.do("open the 2026 calendar", chromedp.Navigate(f.ts.URL+"/calendar?year=2026"), chromedp.WaitVisible(chromedp.CSS("#calendar-unloaded")))
	if got := s.text("#calendar-unloaded"); !strings.Contains(got, "尚未载入") {
		t.Fatalf("warning %q", got)
	}
	if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS("#load-national"), chromedp.NodeVisible)); err != nil {
		t.Fatalf("load national: %v", err)
	}
	s.do("wait for the loaded calendar", chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if got := s.text(".flash-ok"); !strings.Contains(got, "已载入2026年国家法定节假日安排") {
		t.Fatalf("flash %q", got)
	}
	// 15 February 2026 (a Sunday, first day of the break) is drawn as a holiday named 春节,
	// and 14 February (a Saturday) as a workday.
	holidays := evaluate[[]string](s, `[...document.querySelectorAll('.cal-month:nth-child(2) td.holiday')].map(td => td.textContent + ':' + td.title)`)
	workdays := evaluate[[]string](s, `[...document.querySelectorAll('.cal-month:nth-child(2) td.workday')].map(td => td.textContent)`)
	if len(holidays) != 9 || holidays[0] != "15:春节 · 放假" || strings.Join(workdays, ",") != "14,28" {
		t.Fatalf("February: holidays %v, workdays %v", holidays, workdays)
	}
	if evaluate[int](s, `document.querySelectorAll('#calendar-unloaded').length`) != 0 {
		t.Fatal("the not-loaded warning is still shown")
	}
	s.checkCJKFont(".cal-month h2")
	shots := t.TempDir()
	s.screenshot(shots, "calendar")

	// A message arrives: the badge shows it on the next page.
	if _, err := f.st.Notify(context.Background(), domain.Actor{Via: "test"}, &domain.Notification{UserID: f.users["coordinator"].ID,
		Kind: "test", Title: "测试通知", Body: "请查看2026年日历。", Link: "/calendar?year=2026"}); err != nil {
		t.Fatal(err)
	}
	s.do("open the home page", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#unread-badge")))
	if got := s.text("#unread-badge"); got != "1" {
		t.Fatalf("badge %q", got)
	}
	s.do("open the inbox", chromedp.Click(chromedp.CSS(".inbox-link"), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("ul.inbox li.unread")))
	if got := s.text("ul.inbox li.unread strong"); got != "测试通知" {
		t.Fatalf("message %q", got)
	}
	s.screenshot(shots, "inbox")
	if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS("ul.inbox li.unread .note-actions button"), chromedp.NodeVisible)); err != nil {
		t.Fatalf("open the message: %v", err)
	}
	s.do("land on its link", chromedp.WaitVisible(chromedp.CSS(".cal-year")))
	if p := s.path(); p != "/calendar?year=2026" {
		t.Fatalf("after following the message at %q", p)
	}
	if evaluate[int](s, `document.querySelectorAll('#unread-badge').length`) != 0 {
		t.Fatal("the badge is still shown after reading")
	}
}

// evaluate runs a JavaScript expression in the page and returns its value.
func evaluate[T any](s *browserSession, expr string) T {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		s.t.Fatalf("%s: evaluate %s: %v", s.name, expr, err)
	}
	return v
}
