package server

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserCockpit: a leader signs in and lands on the cockpit, whose charts draw on
// canvases without a console error, in Chinese, on a desktop and on a phone; a stage
// link opens the project list filtered by that stage.
func TestBrowserCockpit(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	seedProgress(t, f)
	f.projectOf(f.units["countyA"].ID)

	// Generous: the coordinator's home is the cockpit with its charts, and CI machines
	// are often shared; a real hang still fails.
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))...)
	defer allocCancel()
	browserCtx, browserCancel := chromedp.NewContext(allocCtx)
	defer browserCancel()

	var mu sync.Mutex
	var consoleErrors []string
	if err := chromedp.Listen(browserCtx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				consoleErrors = append(consoleErrors, fmt.Sprintf("console.error %v", e.Args))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, e.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded: // CSP violations and failed loads are reported here
			// The browser asks for /favicon.ico on its own; there is none.
			if e.Entry.Level == cdplog.EntryLevelError && !strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
				consoleErrors = append(consoleErrors, e.Entry.Text+" "+e.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatalf("browser %s failed to start: %v", execPath, err)
	}
	if _, err := chromedp.Call(browserCtx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	desk := &browserSession{t: t, ctx: browserCtx, base: f.ts.URL, name: "desktop"}
	desk.do("open /", chromedp.Navigate(f.ts.URL+"/"))
	desk.loginAs("leader")
	if got := desk.text(".page-head h1"); !strings.HasPrefix(got, "驾驶舱 · 2026年1–10月") {
		t.Fatalf("leader landed on %q", got)
	}
	charts := func(s *browserSession) {
		for _, sel := range []string{"[data-gauge] canvas", "[data-trend-chart] canvas", "[data-funnel-chart] canvas"} {
			s.do("draw "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
			if b := s.rect(sel); b.Width < 50 || b.Height < 50 {
				t.Errorf("%s: %s is %.0f×%.0f", s.name, sel, b.Width, b.Height)
			}
		}
	}
	charts(desk)
	desk.checkCJKFont(".cockpit-kpi .kpi-name")
	if got := desk.text(".cockpit-kpi .kpi-name"); got != "工业营业收入" {
		t.Errorf("headline card %q", got)
	}
	desk.checkNoHorizontalOverflow("cockpit", 1280)

	// On a phone the cards stack and the charts shrink to the screen.
	desk.do("narrow to a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	desk.do("reload", chromedp.Reload())
	charts(desk)
	desk.checkNoHorizontalOverflow("cockpit on a phone", 390)
	if b := desk.rect("[data-trend-chart] canvas"); b.Width > 390 {
		t.Errorf("phone: the trend chart is %.0f px wide", b.Width)
	}

	// A stage opens the project list filtered by it.
	desk.do("open 签约", chromedp.Click(chromedp.CSS(`.stage-links a[href="/projects?stage=signed"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("main.content")))
	if p := desk.path(); p != "/projects?stage=signed" {
		t.Errorf("stage link went to %q", p)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(consoleErrors) > 0 {
		t.Errorf("console errors: %s", strings.Join(consoleErrors, "; "))
	}
}
