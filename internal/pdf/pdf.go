// Package pdf prints HTML documents to A4 PDF with a headless Chromium, so that a PDF
// looks exactly like the page's own print view: same template, same stylesheet, same
// fonts, and its Chinese text stays text (selectable, searchable).
//
// Each print starts its own short-lived browser rather than keeping one resident: PDFs
// are asked for a few times a month, a resident Chromium would hold memory all the time,
// and a fresh process has no state to leak or crash between prints. A semaphore lets at
// most MaxConcurrent prints run at once (a render is heavy on a 2-core server), and each
// print, queueing included, is bounded by Timeout.
package pdf

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"beizeng/internal/domain"
)

const (
	// Timeout bounds one print, waiting for a free slot included.
	Timeout = 30 * time.Second
	// MaxConcurrent is how many browsers may print at once.
	MaxConcurrent = 2
	// Off is the configuration value that turns PDF export off.
	Off = "off"
)

// candidates are the browser names looked up on PATH when none is configured, in the
// order Debian, other distributions and Google's build name them.
var candidates = []string{"chromium", "chromium-browser", "google-chrome"}

// FindBrowser resolves the configured browser: "off" is none; empty looks for one on
// PATH (none found is none, not an error: PDF export is then simply not offered); a
// configured path that does not run is an error, so a typo fails at start.
func FindBrowser(configured string) (string, error) {
	switch configured = strings.TrimSpace(configured); configured {
	case Off:
		return "", nil
	case "":
		for _, c := range candidates {
			if p, err := exec.LookPath(c); err == nil {
				return p, nil
			}
		}
		return "", nil
	}
	p, err := exec.LookPath(configured)
	if err != nil {
		return "", fmt.Errorf("--chromium %q 不可用（设为 off 可关闭 PDF 导出）：%w", configured, err)
	}
	return p, nil
}

// Printer prints HTML to PDF. The zero value and nil print nothing: Available is false.
type Printer struct {
	browser string
	timeout time.Duration
	slots   chan struct{}
	log     *slog.Logger
}

// New returns a printer driving the browser at execPath ("" for none).
func New(execPath string, log *slog.Logger) *Printer {
	return &Printer{browser: execPath, timeout: Timeout, slots: make(chan struct{}, MaxConcurrent), log: log}
}

// Available reports whether PDFs can be made here: pages offer the PDF only then.
func (p *Printer) Available() bool { return p != nil && p.browser != "" }

// ErrNoBrowser is the answer when this server has no browser to print with.
var ErrNoBrowser = domain.Errorf(domain.EUNAVAILABLE,
	"本服务器未配置 Chromium 浏览器，暂不能生成 PDF。请打开打印版，用浏览器的“打印”另存为 PDF；或请管理员安装 Chromium 或设置 BEIZENG_CHROMIUM。")

// Print renders the complete, self-contained HTML document (styles inlined, no other
// resources) on A4 and returns the PDF. The document's CSS @page rules set the margins
// and the page numbers (margin boxes), exactly as when a person prints the page.
func (p *Printer) Print(ctx context.Context, html string) ([]byte, error) {
	if !p.Available() {
		return nil, ErrNoBrowser
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		p.log.Warn("pdf: no free slot", "waited", p.timeout, "slots", cap(p.slots))
		return nil, domain.Errorf(domain.EUNAVAILABLE, "正在生成其他 PDF，%d秒内未能排上，请稍后再试。", int(p.timeout.Seconds()))
	}
	started := time.Now()
	out, err := p.print(ctx, html)
	switch {
	case err == nil:
		p.log.Info("pdf printed", "bytes", len(out), "took", time.Since(started).Round(time.Millisecond))
		return out, nil
	case ctx.Err() != nil: // the time-out, or the user went away
		p.log.Warn("pdf: not printed in time", "after", time.Since(started).Round(time.Millisecond), "err", err)
		return nil, domain.Errorf(domain.EUNAVAILABLE, "生成 PDF 超时（%d秒），请稍后再试。", int(p.timeout.Seconds()))
	}
	// chromedp's error carries what a browser that failed to start printed.
	return nil, fmt.Errorf("pdf: printing with %s: %w", p.browser, err)
}

func (p *Printer) print(ctx context.Context, html string) ([]byte, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.browser),
		chromedp.Headless,
		chromedp.NoSandbox, // servers run it in containers or as a service user without user namespaces
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// The document is self-contained: no host needs resolving, so none may be.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc() // stops the browser and removes its temporary profile
	// chromedp reports protocol events it does not expect (setting a document's content
	// raises one) on the standard logger: they are no failure, so keep them at debug.
	debug := func(format string, args ...any) { p.log.Debug("chromium: " + fmt.Sprintf(format, args...)) }
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(debug), chromedp.WithErrorf(debug))
	defer cancelTab()

	pdfOpts := []chromedp.PDFOption{
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFOutlineAndTagged(), // headings become the PDF's bookmarks
	}
	return chromedp.Run(tabCtx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return nil, fmt.Errorf("frame tree: %w", err)
		}
		// The HTML goes straight into the blank tab: the browser never signs in or
		// fetches anything, and the document has no URL length limit.
		if _, err := cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html}); err != nil {
			return nil, fmt.Errorf("set document: %w", err)
		}
		// Fonts load asynchronously even when local: print only once they are in.
		if _, err := chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)(ctx, t); err != nil {
			return nil, fmt.Errorf("fonts: %w", err)
		}
		return chromedp.PrintToPDF(pdfOpts...)(ctx, t)
	})
}
