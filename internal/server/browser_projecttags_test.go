package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A coordinator keeps the tag list: adds a tag, renames it (the project carrying it
// follows), retires it; the page fits a phone.
func TestBrowserProjectTags(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	s := desktopSession(t, f)
	s.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"))
	s.loginAs("coordinator")

	s.do("open the tag list", chromedp.Navigate(f.ts.URL+"/projects/tags"), chromedp.WaitVisible(chromedp.CSS("#new_name")))
	s.do("add a tag",
		chromedp.SendKeys(chromedp.CSS("#new_name"), "独角兽"),
		chromedp.SendKeys(chromedp.CSS("#new_sort"), "8"),
		chromedp.Click(chromedp.CSS(`form[action="/projects/tags"] button[type="submit"]`), chromedp.NodeVisible),
		// The answer page, not the one the click left: the new tag has its row.
		chromedp.WaitVisible(chromedp.Search(`//form[contains(@class,"tag-row")]//input[@value="独角兽"]`)))
	if got := s.text(".flash"); !strings.Contains(got, "已添加标签“独角兽”") {
		t.Fatalf("flash after adding: %q", got)
	}

	// The new tag's row: rename it.
	row := `//form[contains(@class,"tag-row")][.//input[@name="name" and @value="独角兽"]]`
	s.do("rename the tag",
		chromedp.Evaluate[chromedp.Void](`document.evaluate('`+row+`//input[@name="name"]', document, null, 9, null).singleNodeValue.value = ""`),
		chromedp.SendKeys(chromedp.Search(row+`//input[@name="name"]`), "瞪羚企业"),
		chromedp.Click(chromedp.Search(row+`//button`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.Search(`//form[contains(@class,"tag-row")]//input[@value="瞪羚企业"]`)))
	if got := s.text(".flash"); !strings.Contains(got, "已保存标签“瞪羚企业”") {
		t.Fatalf("flash after renaming: %q", got)
	}

	// Retire it: the row shows it, and the new-project form no longer offers it.
	row = `//form[contains(@class,"tag-row")][.//input[@name="name" and @value="瞪羚企业"]]`
	s.do("retire the tag",
		chromedp.Click(chromedp.Search(row+`//input[@name="retired"]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.Search(row+`//button`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".tag-row .badge.off")))
	if got := s.text(".flash"); !strings.Contains(got, "已停用") {
		t.Fatalf("flash after retiring: %q", got)
	}
	if got := s.text(`form.tag-row:last-of-type`); !strings.Contains(got, "已停用") {
		t.Errorf("retired row %q", got)
	}
	s.do("open the project form", chromedp.Navigate(f.ts.URL+"/projects/new"), chromedp.WaitVisible(chromedp.CSS("main.content")))
	if got := s.text("main.content"); strings.Contains(got, "瞪羚企业") || !strings.Contains(got, "世界500强") {
		t.Error("the project form offers a retired tag, or not the active ones")
	}

	// The tag list and the rules page fit a phone.
	s.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, p := range []string{"/projects/tags", "/projects/analysis/settings"} {
		s.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		s.checkNoHorizontalOverflow(p, 390)
	}
}
