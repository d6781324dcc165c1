package server

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beizeng/internal/domain"
)

// TestBrowserEnterprise is a reporter's main flow: register an enterprise, record its
// above-scale entry on its page, and find it in the filtered list.
func TestBrowserEnterprise(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	s := &browserSession{t: t, ctx: startBrowser(t, execPath, 120*time.Second), base: f.ts.URL, name: "desktop"}
	s.do("open /", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	s.loginAs("reporter")

	uscc := domain.CompleteUSCC("91" + f.units["countyA"].Code + "MA35BR01C")
	s.do("open the menu entry", chromedp.Click(chromedp.CSS(`nav.mainnav a[href="/enterprises"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/enterprises/new"]`)))
	if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(`a[href="/enterprises/new"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("open the form: %v", err)
	}
	s.do("fill in the form", chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "浏览器测试陶瓷有限公司"),
		chromedp.SendKeys(chromedp.CSS("#uscc"), strings.ToLower(uscc)),
		chromedp.SetValue(chromedp.CSS("#industry_division"), "30"))
	if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("submit: %v", err)
	}
	s.do("see the new enterprise", chromedp.WaitVisible(chromedp.CSS("#scale")))
	if got := s.text(".page-head h1"); got != "浏览器测试陶瓷有限公司" {
		t.Fatalf("detail page of %q", got)
	}
	if !strings.Contains(s.text(".flash"), "已登记企业") {
		t.Errorf("no success message")
	}

	// The entry form: a monthly entry in the month offered by default.
	if _, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(`form[action$="/scale/entry"] button[type="submit"]`), chromedp.NodeVisible)); err != nil {
		t.Fatalf("record the entry: %v", err)
	}
	s.do("see the entry", chromedp.WaitVisible(chromedp.CSS("#scale table")))
	if got := s.text("#scale table tbody"); !strings.Contains(got, "月度入库") {
		t.Fatalf("spells table %q", got)
	}
	if !strings.Contains(s.text(".flash"), "已登记规上入库") {
		t.Errorf("no entry message")
	}

	// The list, filtered to above-scale firms, shows it with its badge.
	s.do("open the list", chromedp.Navigate(f.ts.URL+"/enterprises?above_scale=yes"), chromedp.WaitVisible(chromedp.CSS("#list table")))
	row := s.text("#list tbody")
	if !strings.Contains(row, "浏览器测试陶瓷有限公司") || !strings.Contains(row, uscc) || !strings.Contains(row, "规上") {
		t.Fatalf("list row %q", row)
	}
}
