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

// TestBrowserHonours is a coordinator's correction of an enterprise's honours: on the
// enterprise page one honour's level is corrected and another is withdrawn with a
// reason; the withdrawn one stays on the page, marked, and the honour counts no longer
// count it. The page with its forms open fits a phone.
func TestBrowserHonours(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	county := f.units["countyA"]
	eid := f.enterpriseOf(county.ID)
	keep := &domain.Honour{EnterpriseID: eid, Type: "specialized_sme", Year: 2025, Batch: "第六批"}
	gone := &domain.Honour{EnterpriseID: eid, Type: "little_giant", Year: 2025, Batch: "第七批"}
	for _, h := range []*domain.Honour{keep, gone} {
		if err := f.st.AddHonour(ctx, domain.Actor{Via: "test"}, h); err != nil {
			t.Fatal(err)
		}
	}
	shots := t.TempDir()
	bctx := startBrowser(t, testBrowser(t), 120*time.Second)
	desk := &browserSession{t: t, ctx: bctx, base: f.ts.URL, name: "desktop"}
	desk.do("open the site", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	desk.loginAs("coordinator")

	// The counts before: 甲区 holds two honours of 2025.
	total := func() string {
		desk.do("open the honour counts", chromedp.Navigate(f.ts.URL+"/enterprises/honours?year=2025"),
			chromedp.WaitVisible(chromedp.CSS("#honour-table")))
		return desk.text("#honour-table tr.total td:last-child")
	}
	if got := total(); got != "2" {
		t.Fatalf("honours counted before: %q", got)
	}

	page := fmt.Sprintf("%s/enterprises/%d", f.ts.URL, eid)
	keepSel, goneSel := fmt.Sprintf("#honour-%d", keep.ID), fmt.Sprintf("#honour-%d", gone.ID)
	desk.do("open the enterprise", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#honours")))
	// 修改 unfolds the honour's forms; the level becomes 市级.
	desk.do("correct the level",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#honours td a[href="%s"]:first-of-type`, keepSel)), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(keepSel+` select[name="level"]`)),
		chromedp.SetValue(chromedp.CSS(keepSel+` select[name="level"]`), "city"),
		chromedp.SetValue(chromedp.CSS(keepSel+` input[name="doc_no"]`), "工信厅函〔2025〕8号"),
		chromedp.Click(chromedp.CSS(keepSel+` form[aria-label="修改荣誉"] button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := desk.text(".flash"); !strings.Contains(got, "已修改荣誉") {
		t.Fatalf("after correcting: %q", got)
	}
	if got := desk.text("#honours tbody"); !strings.Contains(got, "市级") || !strings.Contains(got, "工信厅函〔2025〕8号") {
		t.Errorf("corrected row: %q", got)
	}
	// 撤销 with a reason; the confirmation is accepted.
	desk.do("withdraw the other",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#honours td a[href="%s"]:last-of-type`, goneSel)), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(goneSel+` input[name="withdraw_reason"]`)),
		chromedp.SendKeys(chromedp.CSS(goneSel+` input[name="withdraw_reason"]`), "复核未通过"),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(goneSel+` form[aria-label="撤销荣誉"] button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#honours tr.withdrawn")))
	if got := desk.text(".flash"); !strings.Contains(got, "已撤销荣誉") {
		t.Fatalf("after withdrawing: %q", got)
	}
	row := desk.text("#honours tr.withdrawn")
	for _, want := range []string{"专精特新“小巨人”企业", "已撤销", "复核未通过", "coordinator"} {
		if !strings.Contains(row, want) {
			t.Errorf("withdrawn row lacks %q: %q", want, row)
		}
	}
	desk.screenshot(shots, "honours")
	if got := total(); got != "1" {
		t.Errorf("honours counted after the withdrawal: %q", got)
	}

	// A phone opens the page and unfolds the remaining honour's forms without scrolling sideways.
	phoneCtx, phoneCancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer phoneCancel()
	const phoneW, phoneH = 390, 844
	phone := &browserSession{t: t, ctx: phoneCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone",
		chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	phone.loginAs("coordinator")
	phone.do("open the enterprise", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#honours")),
		chromedp.Click(chromedp.CSS(keepSel+" summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(keepSel+` input[name="withdraw_reason"]`)))
	phone.checkNoHorizontalOverflow(page, phoneW)
	phone.screenshot(shots, "honours")
}
