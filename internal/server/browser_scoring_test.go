package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"beizeng/internal/domain"
)

// TestBrowserScoringWeightChangesRanks: a coordinator reads the October scores (甲区
// 30.29 first, 乙县 20.00 second), opens 甲区's breakdown, raises the growth item's weight
// from 10 to 40 in the scheme editor and saves; the scores page then shows 乙县 first with
// 10 + 40 = 50.00 and 甲区 second with 24.29 + 24 = 48.29. Both pages fit a phone.
func TestBrowserScoringWeightChangesRanks(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	seedScoring(t, f)
	dec := func(s string) domain.Dec { d, _ := domain.ParseDec(s); return d }
	if err := f.st.SaveScoringScheme(context.Background(), domain.Actor{Via: "test"}, &domain.ScoringScheme{Year: 2026, Name: "2026年考核",
		TotalCap: dec("105"), Items: []domain.ScoringItem{
			{Name: "营收完成率", Source: domain.SourceCompletionBase, Indicator: "revenue", Method: domain.MethodCappedRatio, Weight: dec("25"), RatioCap: dec("1.2")},
			{Name: "增速", Source: domain.SourceIndicatorValue, Indicator: "growth", Method: domain.MethodEfficacy, Weight: dec("10")},
		}}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second) // generous: CI machines are shared
	defer cancel()
	var out lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(execPath), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900), chromedp.CombinedOutput(&out))
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, opts...)
	defer allocCancel()
	browserCtx, browserCancel := chromedp.NewContext(allocCtx)
	defer browserCancel()
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("browser %s failed to start: %v\n%s", execPath, err, out.String())
	}
	desk := &browserSession{t: t, ctx: browserCtx, base: f.ts.URL, name: "desktop"}
	desk.do("open /", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	desk.loginAs("coordinator")

	const scores = "/scoring?year=2026&month=10"
	firstRow := func() string {
		return strings.Join(strings.Fields(desk.text("table.scoreboard tbody tr:first-child")), " ")
	}
	desk.do("open the scores", chromedp.Navigate(f.ts.URL+scores), chromedp.WaitVisible(chromedp.CSS("table.scoreboard")),
		chromedp.WaitVisible(chromedp.CSS("[data-rank-history] canvas")))
	if got := firstRow(); !strings.HasPrefix(got, "第1 甲区 30.29 ↑1") {
		t.Fatalf("first row before the change: %q", got)
	}
	desk.checkNoHorizontalOverflow("scoring", 1280)
	// The breakdown opens on a click and shows value → formula → points.
	desk.do("open 甲区's breakdown", chromedp.Click(chromedp.CSS("details.score-detail summary"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("details.score-detail[open] table")))
	if got := desk.text("details.score-detail[open] table"); !strings.Contains(got, "min(完成率 97.16%, 封顶 120%) × 25") || !strings.Contains(got, "24.29") {
		t.Errorf("breakdown: %q", got)
	}

	desk.do("open the editor", chromedp.Navigate(f.ts.URL+"/scoring/scheme?year=2026"), chromedp.WaitVisible(chromedp.CSS("#item_weight_1")))
	// The efficacy item has no ratio cap; the editor hides that field for it.
	if hidden, err := chromedp.Run(desk.ctx, chromedp.Evaluate[bool](`document.getElementById("item_ratio_cap_1").closest(".field").hidden`)); err != nil || !hidden {
		t.Errorf("the ratio cap of an efficacy item is shown: %v %v", hidden, err)
	}
	desk.do("raise the growth weight to 40 and save",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("item_weight_1").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#item_weight_1"), "40"),
		chromedp.Click(chromedp.CSS(`button[name="op"][value="save"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("table.scoreboard")))
	if p := desk.path(); p != "/scoring?year=2026" {
		t.Errorf("after saving at %q", p)
	}
	if got := desk.text(".flash"); !strings.Contains(got, "已保存考核方案") {
		t.Errorf("flash %q", got)
	}
	desk.do("open October", chromedp.Navigate(f.ts.URL+scores), chromedp.WaitVisible(chromedp.CSS("table.scoreboard")))
	if got := firstRow(); !strings.HasPrefix(got, "第1 乙县 50.00") {
		t.Errorf("first row after the change: %q", got)
	}
	if got := strings.Join(strings.Fields(desk.text("table.scoreboard tbody tr:nth-child(2)")), " "); !strings.HasPrefix(got, "第2 甲区 48.29") {
		t.Errorf("second row after the change: %q", got)
	}

	phoneCtx, phoneCancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer phoneCancel()
	phone := &browserSession{t: t, ctx: phoneCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	phone.loginAs("coordinator")
	for _, p := range []string{scores, "/scoring/scheme?year=2026"} {
		phone.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		phone.checkNoHorizontalOverflow(p, 390)
	}
}
