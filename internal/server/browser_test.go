package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The browser tests drive a real headless Chromium through the Chrome DevTools
// Protocol. They check what a person sees: that the pages render, that Chinese text
// is drawn with a CJK font (not tofu boxes), and that the phone layout does not
// scroll sideways.
//
// BEIZENG_TEST_BROWSER names the Chromium binary. CI sets it, and then a missing or
// broken browser fails the test. Without it the test looks for /usr/bin/chromium or
// chromium on PATH, and skips (loudly) when there is none.
// BEIZENG_SCREENSHOT_DIR, when set, receives a copy of every screenshot.
const (
	browserEnv       = "BEIZENG_TEST_BROWSER"
	screenshotDirEnv = "BEIZENG_SCREENSHOT_DIR"
)

// cjkFontHints are substrings of the family names of common CJK fonts.
var cjkFontHints = []string{
	"WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Droid Sans Fallback", "PingFang",
	"Microsoft YaHei", "Source Han", "AR PL", "Hiragino Sans GB", "SimSun", "SimHei",
	"STHeiti", "Heiti SC", "Sarasa",
}

// testBrowser returns the Chromium binary to drive, or skips the test when there is none.
func testBrowser(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(browserEnv); p != "" {
		full, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("%s=%q but the browser is not usable: %v", browserEnv, p, err)
		}
		return full
	}
	for _, c := range []string{"/usr/bin/chromium", "chromium"} {
		if full, err := exec.LookPath(c); err == nil {
			return full
		}
	}
	t.Skip("\n" + strings.Repeat("*", 78) + "\n" +
		"*** BROWSER TESTS SKIPPED: no Chromium found (/usr/bin/chromium or chromium on PATH).\n" +
		"*** Install it (apt-get install -y chromium fonts-wqy-microhei), or set\n" +
		"*** " + browserEnv + " to its path (CI does, and then a missing browser fails).\n" +
		strings.Repeat("*", 78))
	return ""
}

// lockedBuffer collects the browser's output for the failure log.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() < 64<<10 {
		l.b.Write(p)
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// browserSession is one tab of the test browser pointed at the fixture server.
type browserSession struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string // "desktop" or "phone", for messages and screenshot names
}

func (s *browserSession) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, steps...); err != nil {
		s.t.Fatalf("%s: %s: %v", s.name, what, err)
	}
}

func (s *browserSession) text(sel string) string {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		s.t.Fatalf("%s: text of %s: %v", s.name, sel, err)
	}
	return strings.TrimSpace(v)
}

func (s *browserSession) path() string {
	s.t.Helper()
	loc, err := chromedp.Run(s.ctx, chromedp.Location())
	if err != nil {
		s.t.Fatalf("%s: location: %v", s.name, err)
	}
	return strings.TrimPrefix(loc, s.base)
}

// submitLogin types the credentials into the login form, submits it and waits
// until the answer has loaded. It returns the HTTP response of the final page.
func (s *browserSession) submitLogin(username, password string) *network.Response {
	s.t.Helper()
	res, err := chromedp.RunResponse(s.ctx,
		chromedp.WaitVisible(chromedp.CSS("#username")),
		// The form keeps the username after a failure: empty both fields first.
		// (chromedp.SetValue(sel, "") fails in chromedp v0.23.0: cdproto drops an
		// empty-string call argument, because of omitempty under encoding/json/v2.)
		chromedp.Evaluate[chromedp.Void](`for (const id of ["username", "password"]) document.getElementById(id).value = ""`),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`.login-box button[type="submit"]`), chromedp.NodeVisible),
	)
	if err != nil {
		s.t.Fatalf("%s: log in as %s: %v", s.name, username, err)
	}
	return res
}

// loginAs signs username in from the login page and waits for the home page.
func (s *browserSession) loginAs(username string) {
	s.t.Helper()
	if res := s.submitLogin(username, fixturePassword); res == nil || res.Status != http.StatusOK {
		s.t.Fatalf("%s: log in as %s: response %+v", s.name, username, res)
	}
	s.do("wait for the top bar", chromedp.WaitVisible(chromedp.CSS("header.topbar")))
	if p := s.path(); p != "/" {
		s.t.Fatalf("%s: after login at %q, want /", s.name, p)
	}
	if got := s.text("header.topbar .brand"); got != "倍增调度平台" {
		s.t.Fatalf("%s: brand %q", s.name, got)
	}
}

// failLogin submits a wrong login and returns the error shown on the login page.
func (s *browserSession) failLogin(username, password string) string {
	s.t.Helper()
	res := s.submitLogin(username, password)
	if res == nil || res.Status < 400 {
		s.t.Fatalf("%s: failed login as %s: response %+v", s.name, username, res)
	}
	if p := s.path(); !strings.HasPrefix(p, "/login") {
		s.t.Fatalf("%s: failed login left the login page: %q", s.name, p)
	}
	if v, err := chromedp.Run(s.ctx, chromedp.Value(chromedp.CSS("#username"))); err != nil || v != username {
		s.t.Errorf("%s: the login form should keep the username: %q %v", s.name, v, err)
	}
	return s.text("#login-error")
}

// screenshot saves a full-page PNG in the test's temporary directory and, when
// BEIZENG_SCREENSHOT_DIR is set, there too.
func (s *browserSession) screenshot(dir, name string) {
	s.t.Helper()
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatalf("%s: screenshot %s: %v", s.name, name, err)
	}
	file := s.name + "-" + name + ".png"
	dirs := []string{dir}
	if d := os.Getenv(screenshotDirEnv); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			s.t.Fatalf("%s: %v", screenshotDirEnv, err)
		}
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		p := filepath.Join(d, file)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			s.t.Fatal(err)
		}
		s.t.Logf("screenshot: %s", p)
	}
}

// checkCJKFont asserts that the Chinese text of the element sel is drawn with a
// CJK font: CSS.getPlatformFontsForNode reports the platform fonts that the
// renderer actually used for the element's text, with a glyph count for each.
func (s *browserSession) checkCJKFont(sel string) []*css.PlatformFontUsage {
	s.t.Helper()
	text := s.text(sel)
	han := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han == 0 {
		s.t.Fatalf("%s: %s has no Chinese text: %q", s.name, sel, text)
	}
	fonts, err := chromedp.Run(s.ctx, func(ctx context.Context, t *chromedp.Target) ([]*css.PlatformFontUsage, error) {
		// chromedp enables both domains for a new tab; enabling them again is
		// harmless and keeps this check independent of that detail.
		if _, err := cdp.Call(ctx, t, dom.Enable, dom.EnableParams{}); err != nil {
			return nil, fmt.Errorf("DOM.enable: %w", err)
		}
		if _, err := cdp.Call(ctx, t, css.Enable, cdp.Empty{}); err != nil {
			return nil, fmt.Errorf("CSS.enable: %w", err)
		}
		ids, err := chromedp.QueryNodeIDs(chromedp.CSS(sel), chromedp.NodeVisible)(ctx, t)
		if err != nil {
			return nil, err
		}
		res, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: ids[0]})
		if err != nil {
			return nil, fmt.Errorf("CSS.getPlatformFontsForNode: %w", err)
		}
		return res.Fonts, nil
	})
	if err != nil {
		s.t.Fatalf("%s: fonts of %s: %v", s.name, sel, err)
	}
	var list []string
	cjkGlyphs := 0.0
	for _, f := range fonts {
		list = append(list, fmt.Sprintf("%q (%s, %g glyphs)", f.FamilyName, f.PostScriptName, f.GlyphCount))
		for _, h := range cjkFontHints {
			if strings.Contains(strings.ToLower(f.FamilyName), strings.ToLower(h)) {
				cjkGlyphs += f.GlyphCount
				break
			}
		}
	}
	s.t.Logf("%s: fonts used for %s %q: %s", s.name, sel, text, strings.Join(list, ", "))
	if cjkGlyphs < float64(han) {
		s.t.Errorf("%s: %s %q has %d Chinese characters but a CJK font drew only %g glyphs; "+
			"install a CJK font (fonts-wqy-microhei). Fonts used: [%s]",
			s.name, sel, text, han, cjkGlyphs, strings.Join(list, ", "))
	}
	return fonts
}

// overflow describes the horizontal extent of the page.
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	ClientWidth int      `json:"clientWidth"`
	Offenders   []string `json:"offenders"` // elements that reach past the right edge
}

const overflowJS = `(() => {
  const de = document.documentElement, w = de.clientWidth;
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const out = (q) => q.width > 0 && (q.right > w + 1 || q.left < -1);
    // Report the outermost element that sticks out, not all its children.
    if (out(r) && !(el.parentElement !== document.body && out(el.parentElement.getBoundingClientRect()))) {
      let overflowHidden = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== 'visible') { overflowHidden = true; break; }
      }
      if (!overflowHidden) {
        offenders.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
          ' [' + Math.round(r.left) + '..' + Math.round(r.right) + ']');
      }
    }
  }
  return {scrollWidth: de.scrollWidth, innerWidth: window.innerWidth, clientWidth: w, offenders: offenders.slice(0, 10)};
})()`

// checkNoHorizontalOverflow asserts that the page does not scroll sideways.
func (s *browserSession) checkNoHorizontalOverflow(page string, width int) {
	s.t.Helper()
	o, err := chromedp.Run(s.ctx, chromedp.Evaluate[overflow](overflowJS))
	if err != nil {
		s.t.Fatalf("%s: measure %s: %v", s.name, page, err)
	}
	limit := min(o.InnerWidth, width)
	if o.ScrollWidth > limit+1 {
		s.t.Errorf("%s: %s scrolls sideways: scrollWidth %d > %d (innerWidth %d, clientWidth %d, viewport %d); elements past the edge: %v",
			s.name, page, o.ScrollWidth, limit, o.InnerWidth, o.ClientWidth, width, o.Offenders)
	} else {
		s.t.Logf("%s: %s scrollWidth %d, innerWidth %d, clientWidth %d", s.name, page, o.ScrollWidth, o.InnerWidth, o.ClientWidth)
	}
}

// box is an element's border box in CSS pixels, with the viewport's width and height.
type box struct {
	Found          bool    `json:"found"`
	Left           float64 `json:"left"`   // distance from the viewport's left edge
	Right          float64 `json:"right"`  // distance from the viewport's right edge
	Top            float64 `json:"top"`    // distance from the viewport's top edge
	Bottom         float64 `json:"bottom"` // distance from the viewport's bottom edge
	Width          float64 `json:"width"`
	Height         float64 `json:"height"`
	ViewportWidth  float64 `json:"vw"`
	ViewportHeight float64 `json:"vh"`
}

// rect measures the first element that matches sel with getBoundingClientRect.
func (s *browserSession) rect(sel string) box {
	s.t.Helper()
	js := fmt.Sprintf(`(() => {
  const el = document.querySelector(%q);
  if (!el) return {found: false};
  const r = el.getBoundingClientRect(), vw = document.documentElement.clientWidth, vh = window.innerHeight;
  return {found: true, left: r.left, right: vw - r.right, top: r.top, bottom: vh - r.bottom,
          width: r.width, height: r.height, vw: vw, vh: vh};
})()`, sel)
	b, err := chromedp.Run(s.ctx, chromedp.Evaluate[box](js))
	if err != nil {
		s.t.Fatalf("%s: measure %s: %v", s.name, sel, err)
	}
	if !b.Found {
		s.t.Fatalf("%s: no element %s", s.name, sel)
	}
	return b
}

// focused returns the id of the element that has the keyboard focus.
func (s *browserSession) focused() string {
	s.t.Helper()
	id, err := chromedp.Run(s.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
	if err != nil {
		s.t.Fatalf("%s: focused element: %v", s.name, err)
	}
	return id
}

// checkCentred asserts that the element sel sits in the middle of the viewport
// horizontally: its left and right margins differ by at most 2px.
func (s *browserSession) checkCentred(page, sel string) box {
	s.t.Helper()
	b := s.rect(sel)
	if d := b.Left - b.Right; d > 2 || d < -2 {
		s.t.Errorf("%s: %s: %s is not centred: left margin %.1fpx, right margin %.1fpx (width %.1f of %.0f)",
			s.name, page, sel, b.Left, b.Right, b.Width, b.ViewportWidth)
	} else {
		s.t.Logf("%s: %s: %s margins left %.1f right %.1f top %.1f bottom %.1f", s.name, page, sel, b.Left, b.Right, b.Top, b.Bottom)
	}
	return b
}

// startBrowser starts a headless Chromium for the test, ended by the test's cleanup (or
// the timeout); the browser's output is logged when the test fails.
func startBrowser(t *testing.T, execPath string, timeout time.Duration) context.Context {
	t.Helper()
	started := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	t.Cleanup(cancel)

	var out lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(&out),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(ctx, opts...)
	// Cleanups run last-in first-out: the browser exits (allocCancel waits for it) before
	// the temporary directories go, and its output is logged first.
	t.Cleanup(allocCancel)
	t.Cleanup(func() {
		if t.Failed() {
			var lines []string
			for l := range strings.Lines(out.String()) {
				if !strings.Contains(l, "dbus") { // a container has no D-Bus; Chromium complains at length
					lines = append(lines, l)
				}
			}
			t.Logf("browser output (D-Bus noise left out):\n%s", strings.Join(lines, ""))
		}
	})
	browserCtx, browserCancel := chromedp.NewContext(allocCtx)
	t.Cleanup(browserCancel)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("browser %s failed to start (set %s to a working Chromium): %v", execPath, browserEnv, err)
	}
	t.Logf("browser %s started in %v", execPath, time.Since(started).Round(time.Millisecond))
	return browserCtx
}

// desktopSession starts Chromium for one feature's browser test and returns a desktop-sized
// session on the fixture's server; everything stops when the test ends.
func desktopSession(t *testing.T, f *fixture) *browserSession {
	t.Helper()
	ctx := startBrowser(t, testBrowser(t), 120*time.Second) // a shared 2-core machine is slow: starting Chromium alone can take 20 s
	return &browserSession{t: t, ctx: ctx, base: f.ts.URL, name: "desktop"}
}

func TestBrowserLoginLockoutLogout(t *testing.T) {
	execPath := testBrowser(t)
	f := newFixture(t, sqliteStore(t))
	shots := t.TempDir()
	started := time.Now()
	browserCtx := startBrowser(t, execPath, 240*time.Second) // Chromium can take 20 s to start on a busy 2-core machine, and the phone check opens every page

	desk := &browserSession{t: t, ctx: browserCtx, base: f.ts.URL, name: "desktop"}

	// 1. An anonymous visit ends on the login page.
	desk.do("open /", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if p := desk.path(); !strings.HasPrefix(p, "/login") {
		t.Fatalf("anonymous / ended at %q, want /login", p)
	}
	desk.checkCJKFont(".login-box h1")
	// The login box sits in the middle of the screen, not in a corner.
	if b := desk.checkCentred("login", ".login-box"); b.Top < 40 || b.Bottom < 40 {
		t.Errorf("desktop: login box hugs the top or bottom edge: top %.1f, bottom %.1f (viewport height %.0f)", b.Top, b.Bottom, b.ViewportHeight)
	}
	if id := desk.focused(); id != "username" {
		t.Errorf("desktop: an empty login form should focus the username, not %q", id)
	}
	desk.screenshot(shots, "login")

	// 2. Log in.
	desk.loginAs("coordinator")

	// 3. The Chinese text is drawn with a CJK font.
	desk.checkCJKFont("header.topbar .brand a")
	desk.checkCJKFont(".page-head h1")
	desk.checkNoHorizontalOverflow("home", 1280)
	desk.screenshot(shots, "home")

	// 4. The same on a phone, in its own browser context (own cookies).
	phoneCtx, phoneCancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer phoneCancel()
	const phoneW, phoneH = 390, 844
	phone := &browserSession{t: t, ctx: phoneCtx, base: f.ts.URL, name: "phone"}
	phone.do("emulate a phone",
		chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Navigate(f.ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
	)
	phone.checkNoHorizontalOverflow("login", phoneW)
	// On a phone the box uses the width, with a narrow margin on each side.
	if b := phone.checkCentred("login", ".login-box"); b.Left > 24 || b.Left < 8 {
		t.Errorf("phone: login box margins %.1f / %.1f px, want about 16px", b.Left, b.Right)
	}
	phone.screenshot(shots, "login")
	phone.loginAs("coordinator")
	phone.checkCJKFont("header.topbar .brand a")
	phone.checkNoHorizontalOverflow("home", phoneW)
	phone.do("see the logout button", chromedp.WaitVisible(chromedp.CSS(".userbox form.inline button")))
	if b := phone.rect(".userbox form.inline button"); b.Height < 38 {
		t.Errorf("phone: the logout button is %.1fpx tall, too small to tap (want about 40px)", b.Height)
	}
	phone.screenshot(shots, "home")
	// Every page a coordinator opens fits a phone: wide tables scroll inside their box,
	// not the page. A period with figures makes the tables and charts real.
	ind := seedProgress(t, f)
	for _, p := range []string{"/units", "/indicators", "/targets?year=2026", "/targets/phases?year=2026", "/letters?year=2026",
		"/", "/progress?year=2026&month=10", "/plans", "/reports?year=2026&month=10",
		fmt.Sprintf("/reports/%d/2026/10", f.units["countyA"].ID), fmt.Sprintf("/indicators/%d/edit", ind.ID), "/account",
		"/reconcile?year=2026&month=10", "/projects", "/projects/new", "/projects/warnings", "/projects/rates", "/projects/quality", "/projects/tags", "/projects/analysis/settings",
		"/calendar?year=2026", "/inbox", "/meetings", "/meetings/new", "/action-items",
		"/bulletin?year=2026&month=10", "/bulletin/print?year=2026&month=10", "/bulletins",
		"/enterprises", "/enterprises/new", fmt.Sprintf("/enterprises/%d", f.enterpriseOf(f.units["countyA"].ID)),
		"/enterprises/above-scale", "/enterprises/honours", "/enterprises/per-mu",
		"/problems", fmt.Sprintf("/problems/queue?department=%d", f.units["dept"].ID), "/problems/new", "/problems/stats",
		fmt.Sprintf("/problems/%d", f.problemOf(f.units["countyA"].ID)), "/links", "/service"} {
		phone.do("open "+p, chromedp.Navigate(f.ts.URL+p), chromedp.WaitVisible(chromedp.CSS("main.content")))
		phone.checkNoHorizontalOverflow(p, phoneW)
	}
	phoneCancel()

	// 5. Log out with the button in the top bar.
	if got := desk.text(".userbox form.inline button"); got != "退出" {
		t.Fatalf("logout button text %q", got)
	}
	if _, err := chromedp.RunResponse(desk.ctx, chromedp.Click(chromedp.CSS(".userbox form.inline button"), chromedp.NodeVisible)); err != nil {
		t.Fatalf("logout: %v", err)
	}
	desk.do("wait for the login page", chromedp.WaitVisible(chromedp.CSS("#username")))
	if p := desk.path(); !strings.HasPrefix(p, "/login") {
		t.Fatalf("after logout at %q, want /login", p)
	}
	if got := desk.text(".flash"); !strings.Contains(got, "您已安全退出") {
		t.Fatalf("logout flash %q", got)
	}
	// The notice lines up with the login box below it.
	if fl, lb := desk.rect(".flash"), desk.checkCentred("logout", ".login-box"); fl.Left-lb.Left > 1 || lb.Left-fl.Left > 1 || fl.Width-lb.Width > 1 || lb.Width-fl.Width > 1 {
		t.Errorf("desktop: logout notice [%.1f, width %.1f] does not line up with the login box [%.1f, width %.1f]", fl.Left, fl.Width, lb.Left, lb.Width)
	}
	desk.screenshot(shots, "logout")

	// 6. A wrong password is refused without telling which part was wrong.
	if got := desk.failLogin("reporter", "Wrong-pass-1"); !strings.Contains(got, "用户名或密码错误") {
		t.Fatalf("wrong password: error %q", got)
	}
	// The username is kept, so the cursor waits in the password field.
	if id := desk.focused(); id != "password" {
		t.Errorf("desktop: after a failed login the password field should have the focus, not %q", id)
	}

	// 7. The fifth failure in a row locks the account, and then even the right
	// password is refused.
	for i := 2; i <= 4; i++ {
		if got := desk.failLogin("reporter", fmt.Sprintf("Wrong-pass-%d", i)); !strings.Contains(got, "用户名或密码错误") {
			t.Fatalf("failure %d: error %q", i, got)
		}
	}
	if got := desk.failLogin("reporter", "Wrong-pass-5"); !strings.Contains(got, "已锁定") {
		t.Fatalf("failure 5: error %q, want 已锁定", got)
	}
	if got := desk.failLogin("reporter", fixturePassword); !strings.Contains(got, "已锁定") {
		t.Fatalf("right password on a locked account: error %q, want 已锁定", got)
	}
	desk.screenshot(shots, "locked")
	t.Logf("browser flow took %v", time.Since(started).Round(time.Millisecond))
}
