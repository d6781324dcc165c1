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

// TestBrowserContactLinkAndRules: a coordinator issues a contact link from the page of an
// enterprise that has no problem yet, the link opens the enterprise's contact page where
// its first problem is raised and then listed; the coordinator then gives a category its
// own deadline on the rules page and sees it saved. Both pages fit a phone.
func TestBrowserContactLinkAndRules(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	enterprise := f.enterpriseOf(f.units["countyB"].ID)
	s := &browserSession{t: t, ctx: startBrowser(t, execPath, 120*time.Second), base: f.ts.URL, name: "desktop"}
	s.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	s.loginAs("coordinator")

	page := fmt.Sprintf("/enterprises/%d", enterprise)
	s.do("open the enterprise", chromedp.Navigate(f.ts.URL+page), chromedp.WaitVisible(chromedp.CSS("#contact-link")))
	s.do("issue a link",
		chromedp.SendKeys(chromedp.CSS(`#contact-link input[name="contact_name"]`), "周经理"),
		chromedp.Click(chromedp.CSS("#contact-link button[type=submit]"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#contact-url")))
	link := s.text("#contact-url")
	if !strings.HasPrefix(link, f.ts.URL+"/c/") {
		t.Fatalf("link %q", link)
	}

	s.do("open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#raise")))
	if got := s.text("#my-problems"); !strings.Contains(got, "暂无诉求") {
		t.Fatalf("a new enterprise's list: %q", got)
	}
	s.do("raise the first problem",
		chromedp.SetValue(chromedp.CSS("#category"), "labour"),
		chromedp.SendKeys(chromedp.CSS("#title"), "招聘熟练工"),
		chromedp.SendKeys(chromedp.CSS("#description"), "新产线投产缺熟练工40人，请协助对接职业院校。"),
		chromedp.Click(chromedp.CSS("#raise button[type=submit]"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if got := s.text("#my-problems"); !strings.Contains(got, "招聘熟练工") {
		t.Fatalf("the raised problem is not listed: %q", got)
	}
	if rows, n, err := f.st.FindProblems(ctx, domain.ProblemFilter{EnterpriseID: enterprise}); err != nil || n != 1 || rows[0].Source != domain.SourceContactForm {
		t.Fatalf("problems of the enterprise: %d %v", n, err)
	}

	// The rules: 融资 (the second row) gets 15 working days for general problems.
	s.do("open the problems", chromedp.Navigate(f.ts.URL+"/problems"), chromedp.WaitVisible(chromedp.CSS(`a[href="/problems/rules"]`)))
	s.do("open the rules", chromedp.Click(chromedp.CSS(`a[href="/problems/rules"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("table.rules-categories")))
	general := `input[aria-label="第2行一般时限"]`
	s.do("give 融资 its own deadline",
		chromedp.SendKeys(chromedp.CSS(general), "15"),
		chromedp.Click(chromedp.CSS(".rules-form button[type=submit]"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if got := s.text(".flash-ok"); !strings.Contains(got, "已保存诉求规则") {
		t.Fatalf("flash %q", got)
	}
	if v, err := chromedp.Run(s.ctx, chromedp.Value(chromedp.CSS(general))); err != nil || v != "15" {
		t.Fatalf("the saved deadline shows %q (%v)", v, err)
	}
	shots := t.TempDir()
	s.screenshot(shots, "problem-rules")
	if rules, _ := f.st.ProblemRules(ctx); rules.Category("finance").Limits[domain.UrgencyGeneral].WorkingDays != 15 {
		t.Fatalf("saved %+v", rules.Category("finance"))
	}

	phoneCtx, phoneCancel := chromedp.NewContext(s.ctx, chromedp.WithNewBrowserContext())
	defer phoneCancel()
	phone := &browserSession{t: t, ctx: phoneCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	phone.loginAs("coordinator")
	for _, p := range []string{"/problems/rules", page} {
		phone.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		phone.checkNoHorizontalOverflow(p, 390)
		phone.screenshot(shots, strings.ReplaceAll(strings.Trim(p, "/"), "/", "-"))
	}
}
