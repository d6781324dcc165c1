package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserBulletin is the coordinator's dispatch flow: open the month's bulletin,
// publish it, correct a unit's approved report, and find the corrected figure among the
// published version's changes; the version itself keeps what was published. The pages
// fit a phone.
func TestBrowserBulletin(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	seedBulletin(t, f)
	shots := t.TempDir()
	ctx := startBrowser(t, testBrowser(t), 120*time.Second)
	desk := &browserSession{t: t, ctx: ctx, base: f.ts.URL, name: "desktop"}
	desk.do("open the site", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	desk.loginAs("coordinator")

	desk.do("open the bulletin from the menu", chromedp.Click(chromedp.CSS(`nav.mainnav a[href="/bulletin"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".bulletin-title")))
	desk.do("choose October 2026", chromedp.Navigate(f.ts.URL+"/bulletin?year=2026&month=10"), chromedp.WaitVisible(chromedp.CSS(".bulletin-title")))
	if got := desk.text(".bulletin-title"); got != "测试市工业倍增暨招商引资工作调度通报" {
		t.Errorf("title %q", got)
	}
	if got := desk.text("#sec-overview .bulletin-text"); !strings.Contains(got, "全市工业营业收入1029.0亿元") {
		t.Errorf("narrative %q", got)
	}
	desk.checkCJKFont(".bulletin-title")
	desk.screenshot(shots, "bulletin")

	// Publish: the confirmation is accepted, and the new version opens.
	desk.do("publish",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`#publish button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#changes")))
	published := desk.path()
	if !strings.HasPrefix(published, "/bulletins/") || !strings.Contains(desk.text(".flash"), "已发布2026年第1期调度通报（第1版）") {
		t.Fatalf("after publishing at %s", published)
	}
	if got := desk.text("#changes"); !strings.Contains(got, "发布后记录没有变化") {
		t.Errorf("changes right after publishing: %q", got)
	}

	// Correct 甲区's approved October figure with a reason.
	desk.do("open 甲区's report", chromedp.Navigate(fmt.Sprintf("%s/reports/%d/2026/10", f.ts.URL, f.units["countyA"].ID)),
		chromedp.WaitVisible(chromedp.CSS("form.report-form tbody input")))
	desk.do("correct it",
		chromedp.SetValue(chromedp.CSS("form.report-form tbody input"), "700"),
		chromedp.SendKeys(chromedp.CSS("#reason"), "统计局核定数"),
		chromedp.Click(chromedp.CSS(`form.report-form .form-actions button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := desk.text(".flash"); !strings.Contains(got, "已更正") {
		t.Fatalf("correction: %q", got)
	}

	// The published version shows the change cell by cell and keeps its own figures.
	desk.do("reopen the published version", chromedp.Navigate(f.ts.URL+published), chromedp.WaitVisible(chromedp.CSS("#changes")))
	changes := desk.text("#changes")
	for _, want := range []string{"甲区", "629.0", "700.0", "97.2", "108.1"} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes lack %s: %q", want, changes)
		}
	}
	if got := desk.text("#sec-overview .bulletin-text"); !strings.Contains(got, "全市工业营业收入1029.0亿元") {
		t.Errorf("the published narrative changed: %q", got)
	}
	desk.screenshot(shots, "bulletin-changes")

	// A phone reads the bulletin, the version and the list without scrolling sideways.
	phoneCtx, phoneCancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer phoneCancel()
	const phoneW, phoneH = 390, 844
	phone := &browserSession{t: t, ctx: phoneCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone",
		chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	phone.loginAs("leader")
	for _, p := range []string{"/bulletin?year=2026&month=10", published, published + "/print", "/bulletins"} {
		phone.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		phone.checkNoHorizontalOverflow(p, phoneW)
	}
	phone.screenshot(shots, "bulletin")
}
