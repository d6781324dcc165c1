package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beizeng/internal/domain"
)

// TestBrowserProblemLoop walks one problem from a service-day visit to a satisfied
// rating: the leader records a visit raising it, the coordinator assigns it to the
// department, the department's handler accepts and replies, the leader rates it 满意 on
// the enterprise's behalf, and it is closed with the whole story on its timeline.
func TestBrowserProblemLoop(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	enterprise := f.enterpriseOf(f.units["countyA"].ID)
	if err := f.st.CreateLink(ctx, domain.Actor{Via: "test"}, &domain.LeaderLink{LeaderID: f.users["leader"].ID,
		EnterpriseID: enterprise, StartOn: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	s := &browserSession{t: t, ctx: startBrowser(t, execPath, 120*time.Second), base: f.ts.URL, name: "desktop"}
	as := func(username string) {
		s.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
		s.loginAs(username)
	}
	logout := func() {
		if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(".userbox form.inline button"), chromedp.NodeVisible)); err != nil {
			t.Fatalf("logout: %v", err)
		}
	}
	submit := func(what, sel, flash string) {
		t.Helper()
		if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		s.do(what, chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
		if got := s.text(".flash-ok"); !strings.Contains(got, flash) {
			t.Fatalf("%s: flash %q, want %q", what, got, flash)
		}
	}

	// The leader records the visit and the problem raised there.
	as("leader")
	s.do("open the service page", chromedp.Click(chromedp.CSS(`nav.mainnav a[href="/service"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#visit")))
	if got := s.text("#next-service-day"); !strings.Contains(got, "月") {
		t.Fatalf("next service day %q", got)
	}
	s.do("fill in the visit",
		chromedp.SendKeys(chromedp.CSS("#notes"), "走访生产车间，了解二期扩产进度"),
		chromedp.SendKeys(chromedp.CSS("#p0_title"), "二期厂房用电增容"),
		chromedp.SetValue(chromedp.CSS("#p0_category"), "utilities"),
		chromedp.SendKeys(chromedp.CSS("#p0_description"), "二期投产需增容至2000千伏安，请协调供电公司。"))
	submit("record the visit", "#record-visit", "登记1条诉求")
	rows, _, err := f.st.FindProblems(ctx, domain.ProblemFilter{EnterpriseID: enterprise})
	if err != nil || len(rows) != 1 {
		t.Fatalf("problems after the visit: %d %v", len(rows), err)
	}
	problem := fmt.Sprintf("/problems/%d", rows[0].ID)
	logout()

	// The coordinator assigns it to the department.
	as("coordinator")
	s.do("open the list", chromedp.Navigate(f.ts.URL+"/problems?status=received"), chromedp.WaitVisible(chromedp.CSS(`a[href="`+problem+`"]`)))
	s.do("open the problem", chromedp.Click(chromedp.CSS(`a[href="`+problem+`"]`), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("#act-assign")))
	s.do("choose the lead department", chromedp.SetValue(chromedp.CSS("#lead-assign"), fmt.Sprint(f.units["dept"].ID)))
	submit("assign", "#act-assign button[type=submit]", "已交办")
	logout()

	// The handler finds it in the department's queue, accepts it and replies.
	as("handler")
	s.do("open the queue", chromedp.Navigate(f.ts.URL+"/problems/queue"), chromedp.WaitVisible(chromedp.CSS(`a[href="`+problem+`"]`)))
	s.do("open the problem", chromedp.Click(chromedp.CSS(`a[href="`+problem+`"]`), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("#act-accept")))
	submit("accept", "#act-accept button[type=submit]", "已签收")
	s.do("write the reply", chromedp.SendKeys(chromedp.CSS("#text-reply"), "已协调供电公司，3月底前完成增容。"))
	submit("reply", "#act-reply button[type=submit]", "已答复企业")
	logout()

	// The leader rates it 满意 for the enterprise: closed.
	as("leader")
	s.do("open the problem", chromedp.Navigate(f.ts.URL+problem), chromedp.WaitVisible(chromedp.CSS("#act-rate")))
	s.do("choose 满意", chromedp.Click(chromedp.CSS(`#act-rate input[value="satisfied"]`), chromedp.NodeVisible))
	submit("rate", "#act-rate button[type=submit]", "已评价")
	if got := s.text("#problem-status"); got != "已办结" {
		t.Fatalf("status %q, want 已办结", got)
	}
	steps := evaluate[[]string](s, `[...document.querySelectorAll('#timeline li strong')].map(e => e.textContent)`)
	if strings.Join(steps, ",") != "登记,交办,签收,答复企业,评价" {
		t.Fatalf("timeline %v", steps)
	}
	if evaluate[int](s, `document.querySelectorAll('#actions').length`) != 0 {
		t.Fatal("a closed problem still offers actions")
	}
	s.checkCJKFont("#timeline h2")
}
