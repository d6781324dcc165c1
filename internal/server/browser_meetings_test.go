package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// submit clicks a form's button and waits for the page the form leads to.
func (s *browserSession) submit(what, button string) {
	s.t.Helper()
	res, err := chromedp.RunResponse(s.ctx, chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
	if err != nil || res == nil || res.Status != http.StatusOK {
		s.t.Fatalf("%s: %s: response %+v, %v", s.name, what, res, err)
	}
}

// TestBrowserMeetingFlow is dispatch as the people do it: the coordinator records a
// meeting and assigns 甲区 an item, 甲区's reporter answers it, the coordinator closes it.
func TestBrowserMeetingFlow(t *testing.T) {
	browserCtx := startBrowser(t, testBrowser(t), 120*time.Second)
	f := newFixture(t, sqliteStore(t))
	f.setClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	countyA := f.units["countyA"]
	shots := t.TempDir()

	coord := &browserSession{t: t, ctx: browserCtx, base: f.ts.URL, name: "coordinator"}
	coord.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"))
	coord.loginAs("coordinator")

	// 1. The coordinator records the meeting from the menu.
	coord.do("open the meetings from the menu", chromedp.Click(chromedp.CSS(`nav.mainnav a[href="/meetings"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/meetings/new"]`)))
	coord.do("open the new meeting form", chromedp.Navigate(f.ts.URL+"/meetings/new"), chromedp.WaitVisible(chromedp.CSS("#title")))
	if v, err := chromedp.Run(coord.ctx, chromedp.Value(chromedp.CSS("#held_on"))); err != nil || v != "2026-11-20" {
		t.Errorf("the form should propose today's date: %q %v", v, err)
	}
	coord.do("fill in the meeting",
		chromedp.SendKeys(chromedp.CSS("#title"), "全市工业倍增11月调度会"),
		chromedp.SetValue(chromedp.CSS("#held_on"), "2026-11-18"),
		chromedp.SendKeys(chromedp.CSS("#decisions"), "一、各地加快项目开工。"),
	)
	coord.submit("save the meeting", `form.form button[type="submit"]`)
	if got := coord.text(".page-head h1"); got != "全市工业倍增11月调度会" {
		t.Fatalf("meeting page title %q", got)
	}
	meetingPath := coord.path()
	coord.screenshot(shots, "meeting")

	// 2. …and assigns 甲区 an item, inline on the meeting's page.
	coord.do("fill in the item",
		chromedp.SendKeys(chromedp.CSS("#text"), "甲区推进3个亿元项目月底前开工"),
		chromedp.SetValue(chromedp.CSS("#owner_unit_id"), fmt.Sprint(countyA.ID)),
		chromedp.SetValue(chromedp.CSS("#deadline"), "2026-11-30"),
	)
	coord.submit("assign the item", `form[action$="/items"] button[type="submit"]`)
	if got := coord.text("#items table.data tbody"); !strings.Contains(got, "甲区推进3个亿元项目月底前开工") || !strings.Contains(got, "甲区") || !strings.Contains(got, "未办结") {
		t.Fatalf("the item is not listed: %q", got)
	}

	// 3. 甲区's reporter, in a browser of their own, finds it under 交办事项 and answers.
	repCtx, repCancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer repCancel()
	rep := &browserSession{t: t, ctx: repCtx, base: f.ts.URL, name: "reporter"}
	rep.do("open the login page", chromedp.Navigate(f.ts.URL+"/login"))
	rep.loginAs("reporter")
	rep.do("open the action items from the menu", chromedp.Click(chromedp.CSS(`nav.mainnav a[href="/action-items"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#list")))
	if got := rep.text(".page-head h1"); !strings.Contains(got, "甲区") {
		t.Errorf("the reporter's list should be their unit's: %q", got)
	}
	rep.do("open the item", chromedp.Click(chromedp.CSS(`#list td a[href^="/action-items/"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#reply_text")))
	itemPath := rep.path()
	rep.screenshot(shots, "action-item-reply")
	rep.do("type the reply", chromedp.SendKeys(chromedp.CSS("#reply_text"), "已开工2个，第3个11月28日开工。"))
	rep.submit("send the reply", `form[action$="/reply"] button[type="submit"]`)
	if got := rep.text(".flash"); !strings.Contains(got, "待倍增办确认办结") {
		t.Errorf("reply flash %q", got)
	}
	if got := rep.text(".card dl.kv"); !strings.Contains(got, "已答复") || !strings.Contains(got, "已开工2个") {
		t.Fatalf("after the reply: %q", got)
	}

	// 4. The coordinator closes it.
	coord.do("open the item", chromedp.Navigate(f.ts.URL+itemPath), chromedp.WaitVisible(chromedp.CSS(`form[action$="/close"]`)))
	coord.submit("close the item", `form[action$="/close"] button[type="submit"]`)
	if got := coord.text(".card dl.kv"); !strings.Contains(got, "已办结") || !strings.Contains(got, "coordinator") {
		t.Fatalf("after closing: %q", got)
	}
	if got := coord.text("#history"); !strings.Contains(got, "答复") || !strings.Contains(got, "办结") {
		t.Errorf("history %q", got)
	}
	coord.do("open the minutes", chromedp.Navigate(f.ts.URL+meetingPath+"/minutes"), chromedp.WaitVisible(chromedp.CSS("article.minutes")))
	if got := coord.text("article.minutes"); !strings.Contains(got, "全市工业倍增11月调度会纪要") || !strings.Contains(got, "已办结") {
		t.Errorf("minutes %q", got)
	}
	coord.checkCJKFont(".minutes-title")
	coord.screenshot(shots, "minutes")

	// 5. The pages fit a phone.
	const phoneW, phoneH = 390, 844
	phone := &browserSession{t: t, ctx: repCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone", chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait))
	for _, p := range []string{"/action-items", itemPath, meetingPath, meetingPath + "/minutes"} {
		phone.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		phone.checkNoHorizontalOverflow(p, phoneW)
	}
	phone.screenshot(shots, "minutes")
}
