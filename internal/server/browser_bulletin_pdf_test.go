package server

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"beizeng/internal/config"
	"beizeng/internal/report"
)

// The bulletin's PDF is its A4 print view printed by a real headless Chromium: these
// tests need the browser (BEIZENG_TEST_BROWSER, as the other browser tests) and read
// the PDF back to check that it is A4 and that its Chinese text is text, in a CJK font.

// pdfFixture is the bulletin's fixture on SQLite with PDF export on.
func pdfFixture(t *testing.T) *fixture {
	t.Helper()
	cfg := config.Default()
	cfg.Chromium = testBrowser(t)
	f := newFixtureConfig(t, sqliteStore(t), cfg)
	seedBulletin(t, f)
	return f
}

// mediaBox finds the pages' sizes: Chromium writes one /MediaBox per page.
var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// pdfText extracts the PDF's text with pdftotext (poppler-utils) when it is installed,
// else with pdfGlyphText; ok is false when neither can.
func pdfText(t *testing.T, pdf []byte) (text string, ok bool) {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		text, ok = pdfGlyphText(pdf)
		t.Logf("pdftotext not installed (apt-get install poppler-utils): read the text from the glyphs and ToUnicode maps instead (ok %v)", ok)
		return text, ok
	}
	in := filepath.Join(t.TempDir(), "bulletin.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out), true
}

var (
	pdfObject  = regexp.MustCompile(`(?s)(\d+) 0 obj(.*?)endobj`)
	pdfStream  = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	fontDict   = regexp.MustCompile(`/Font\s*<<([^>]*)>>`)
	fontRef    = regexp.MustCompile(`/(\w+)\s+(\d+) 0 R`)
	toUnicode  = regexp.MustCompile(`/ToUnicode\s+(\d+) 0 R`)
	contents   = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	cmapBlock  = regexp.MustCompile(`(?s)begin(bfchar|bfrange)(.*?)end(?:bfchar|bfrange)`)
	cmapChar   = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	cmapRange  = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])`)
	hexString  = regexp.MustCompile(`<([0-9A-Fa-f]+)>`)
	textOp     = regexp.MustCompile(`(?s)/(\w+)\s+[-\d.]+\s+Tf|(<[0-9A-Fa-f]*>)\s*Tj|\[([^\]]*)\]\s*TJ|\bET\b`)
	hexToRunes = func(h string) string {
		var u []uint16
		for i := 0; i+4 <= len(h); i += 4 {
			n, _ := strconv.ParseUint(h[i:i+4], 16, 16)
			u = append(u, uint16(n))
		}
		return string(utf16.Decode(u))
	}
)

// pdfFont is how one font's codes become text: its ToUnicode map and its code size
// (Chromium's Type0 fonts use 2-byte codes, its Type3 fonts 1-byte ones).
type pdfFont struct {
	width int // hex digits per code
	text  map[uint64]string
}

// pdfGlyphText reads the text Chromium draws: every Tj/TJ string, decoded code by code
// with the ToUnicode map of the font set by Tf, page by page. It knows only what
// Chromium writes (PDF 1.4, no object streams, deflated streams, page-wide font names)
// and gives up (ok false) on anything else; Chinese drawn without a map fails the check.
func pdfGlyphText(pdf []byte) (string, bool) {
	objects := map[string][]byte{}
	var order []string
	for _, m := range pdfObject.FindAllSubmatch(pdf, -1) {
		objects[string(m[1])] = m[2]
		order = append(order, string(m[1]))
	}
	stream := func(obj string) ([]byte, bool) {
		m := pdfStream.FindSubmatch(objects[obj])
		if m == nil || len(m[1]) < 2 {
			return nil, false
		}
		b, err := io.ReadAll(flate.NewReader(bytes.NewReader(m[1][2:]))) // after the zlib header
		return b, err == nil || errors.Is(err, io.ErrUnexpectedEOF)
	}
	fonts := map[string]*pdfFont{} // by resource name
	fontObj := map[string]string{}
	for _, id := range order {
		for _, d := range fontDict.FindAllSubmatch(objects[id], -1) {
			for _, r := range fontRef.FindAllSubmatch(d[1], -1) {
				name, obj := string(r[1]), string(r[2])
				if prev, seen := fontObj[name]; seen && prev != obj {
					return "", false
				}
				fontObj[name] = obj
			}
		}
	}
	for name, obj := range fontObj {
		f := &pdfFont{width: 2, text: map[uint64]string{}}
		if bytes.Contains(objects[obj], []byte("/Type0")) {
			f.width = 4
		}
		if m := toUnicode.FindSubmatch(objects[obj]); m != nil {
			cmap, ok := stream(string(m[1]))
			if !ok {
				return "", false
			}
			for _, block := range cmapBlock.FindAllSubmatch(cmap, -1) {
				if string(block[1]) == "bfchar" {
					for _, e := range cmapChar.FindAllSubmatch(block[2], -1) {
						code, _ := strconv.ParseUint(string(e[1]), 16, 32)
						f.text[code] = hexToRunes(string(e[2]))
					}
					continue
				}
				for _, e := range cmapRange.FindAllSubmatch(block[2], -1) {
					lo, _ := strconv.ParseUint(string(e[1]), 16, 32)
					hi, _ := strconv.ParseUint(string(e[2]), 16, 32)
					if dsts := hexString.FindAllSubmatch(e[3], -1); e[3][0] == '[' {
						for i, d := range dsts {
							f.text[lo+uint64(i)] = hexToRunes(string(d[1]))
						}
						continue
					}
					first := []rune(hexToRunes(strings.Trim(string(e[3]), "<>")))
					for c := lo; c <= hi && len(first) > 0; c++ {
						r := slices.Clone(first)
						r[len(r)-1] += rune(c - lo)
						f.text[c] = string(r)
					}
				}
			}
		}
		fonts[name] = f
	}
	var text strings.Builder
	for _, id := range order {
		page := objects[id]
		if !bytes.Contains(page, []byte("/Type /Page\n")) {
			continue
		}
		m := contents.FindSubmatch(page)
		if m == nil {
			return "", false
		}
		content, ok := stream(string(m[1]))
		if !ok {
			return "", false
		}
		var font *pdfFont
		for _, op := range textOp.FindAllSubmatch(content, -1) {
			shown := op[2]
			switch {
			case op[1] != nil:
				font = fonts[string(op[1])]
				continue
			case op[3] != nil:
				shown = op[3]
			case shown == nil: // ET: a text object ends
				text.WriteByte('\n')
				continue
			}
			if font == nil {
				return "", false
			}
			for _, h := range hexString.FindAllSubmatch(shown, -1) {
				for i := 0; i+font.width <= len(h[1]); i += font.width {
					code, _ := strconv.ParseUint(string(h[1][i:i+font.width]), 16, 32)
					text.WriteString(font.text[code])
				}
			}
		}
	}
	return text.String(), true
}

func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestBrowserBulletinPDF(t *testing.T) {
	f := pdfFixture(t)
	leader := f.login("leader")

	// The pages offer the PDF when the server can print it.
	for _, page := range []string{"/bulletin?year=2026&month=10", "/bulletin/print?year=2026&month=10"} {
		if _, body := f.get(leader, page); !strings.Contains(body, `href="/bulletin.pdf?year=2026&amp;month=10&amp;scope=all"`) {
			t.Errorf("%s offers no PDF:\n%s", page, body)
		}
	}

	res, body := f.get(leader, "/bulletin.pdf?year=2026&month=10")
	pdf := []byte(body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("PDF: %d %s %.200q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="bulletin-2026-10-all.pdf"; filename*=UTF-8''`+
		url.PathEscape("调度通报-2026年10月-全部考核单位-未发布.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	boxes := mediaBox.FindAllStringSubmatch(body, -1)
	if len(boxes) == 0 {
		t.Fatal("no /MediaBox in the PDF")
	}
	for _, b := range boxes {
		// A4 is 595.28 × 841.89 points; Chromium lays pages out in whole CSS pixels.
		w, _ := strconv.ParseFloat(b[1], 64)
		h, _ := strconv.ParseFloat(b[2], 64)
		if math.Abs(w-595.28) > 1 || math.Abs(h-841.89) > 1 {
			t.Errorf("page size %s×%s, want A4 595×842", b[1], b[2])
		}
	}
	t.Logf("PDF: %d bytes, %d pages", len(pdf), len(boxes))

	text, ok := pdfText(t, pdf)
	if !ok {
		return
	}
	// What the API computes for the same query is in the PDF's text: the title, the
	// narrative, every unit and figure of the headline and per-indicator tables.
	got := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", "/api/v1/bulletin?year=2026&month=10", "", nil)
	var b report.Bulletin
	if got.status != http.StatusOK || json.Unmarshal(got.body, &b) != nil || len(b.Sections) < 2 {
		t.Fatalf("API bulletin: %d %s", got.status, got.body)
	}
	t.Logf("PDF text (first 400 characters): %.400s", text)
	flat := withoutSpace(text)
	want := []string{b.Title, b.Sections[0].Text, "— 1 —", f.units["countyA"].Name, f.units["countyB"].Name}
	for _, s := range b.Sections[:2] {
		for _, tb := range s.Tables {
			for _, r := range tb.Rows {
				for _, c := range r.Cells {
					want = append(want, c.Text)
				}
			}
		}
	}
	for _, w := range want {
		if w != "" && !strings.Contains(flat, withoutSpace(w)) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
	// Narrow columns' headings and ranks stay whole on their line (not 计量单 above 位).
	for _, w := range []string{"计量单位", "完成率%", "时序进度%", "同比%"} {
		if !strings.Contains(text, w) {
			t.Errorf("the heading %q is broken across lines:\n%s", w, text)
		}
	}
}

// A published version prints as published, named after its issue; bad requests are
// answered before any browser starts.
func TestBrowserPublishedBulletinPDF(t *testing.T) {
	f := pdfFixture(t)
	version := publishFixtureBulletin(t, f)
	handler := f.login("handler")
	if _, body := f.get(handler, version); !strings.Contains(body, `href="`+version+`/bulletin.pdf"`) {
		t.Errorf("the version's page offers no PDF:\n%s", body)
	}
	res, body := f.get(handler, version+"/bulletin.pdf")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("published PDF: %d %.200q", res.StatusCode, body)
	}
	// 调度通报-2026年第1期-全部考核单位.pdf
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="bulletin-2026-10-all-v1.pdf"; filename*=UTF-8''`+
		url.PathEscape("调度通报-2026年第1期-全部考核单位.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if text, ok := pdfText(t, []byte(body)); ok && !strings.Contains(withoutSpace(text), "2026年第1期") {
		t.Errorf("the published PDF lacks its issue:\n%s", text)
	}
	// The API prints the same for a token, and checks its query strictly.
	token := "Bearer " + f.apiToken("leader")
	got := f.apiCall(nil, token, "GET", "/api/v1"+version+"/bulletin.pdf", "", nil)
	if got.status != http.StatusOK || got.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(got.body, []byte("%PDF-")) ||
		!strings.Contains(got.header.Get("Content-Disposition"), url.PathEscape("调度通报-2026年第1期-全部考核单位.pdf")) {
		t.Errorf("API published PDF: %d %v %.100q", got.status, got.header, got.body)
	}
	for path, status := range map[string]int{
		"/api/v1/bulletin.pdf?year=2026&month=10&limit=1": http.StatusBadRequest,
		"/api/v1/bulletin.pdf?year=2026":                  http.StatusBadRequest,
		"/api/v1/bulletins/999999/bulletin.pdf":           http.StatusNotFound,
	} {
		if got := f.apiCall(nil, token, "GET", path, "", nil); got.status != status || !strings.Contains(string(got.body), `"error"`) {
			t.Errorf("%s: %d %s, want %d", path, got.status, got.body, status)
		}
	}
	for path, status := range map[string]int{
		"/bulletin.pdf?year=2026&month=13": http.StatusUnprocessableEntity,
		"/bulletin.pdf?year=2026&scope=x":  http.StatusUnprocessableEntity,
		"/bulletins/999999/bulletin.pdf":   http.StatusNotFound,
		"/bulletins/abc/bulletin.pdf":      http.StatusNotFound,
	} {
		if res, body := f.get(handler, path); res.StatusCode != status || !strings.Contains(body, "</html>") {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, status)
		}
	}
}

// TestBrowserBulletinPDFDownload is what a leader does: open the month's bulletin, press
// 下载 PDF, and get the file under its Chinese name.
func TestBrowserBulletinPDFDownload(t *testing.T) {
	f := pdfFixture(t)
	desk := desktopSession(t, f)
	dir := t.TempDir()
	type download struct{ name, guid, state string }
	events := make(chan download, 16)
	if err := chromedp.ListenBrowser(desk.ctx, func(ev any) {
		switch e := ev.(type) {
		case *browser.EventDownloadWillBegin:
			events <- download{name: e.SuggestedFilename, guid: e.GUID}
		case *browser.EventDownloadProgress:
			if e.State != browser.DownloadProgressStateInProgress {
				events <- download{guid: e.GUID, state: string(e.State)}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cdp.Call(desk.ctx, chromedp.FromContext(desk.ctx).Browser, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)}); err != nil {
		t.Fatal(err)
	}
	desk.do("open the site", chromedp.Navigate(f.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#username")))
	desk.loginAs("leader")
	desk.do("open October's bulletin", chromedp.Navigate(f.ts.URL+"/bulletin?year=2026&month=10"), chromedp.WaitVisible(chromedp.CSS(".bulletin-title")))
	desk.do("download the PDF", chromedp.Click(chromedp.CSS("#bulletin-pdf"), chromedp.NodeVisible))

	var begun download
	for {
		select {
		case e := <-events:
			if e.state == "" {
				begun = e
				continue
			}
			if e.state != string(browser.DownloadProgressStateCompleted) || e.guid != begun.guid {
				t.Fatalf("download %+v after %+v", e, begun)
			}
			if begun.name != "调度通报-2026年10月-全部考核单位-未发布.pdf" {
				t.Errorf("saved as %q", begun.name)
			}
			pdf, err := os.ReadFile(filepath.Join(dir, e.guid))
			if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("downloaded file: %v %.40q", err, pdf)
			}
			t.Logf("downloaded %s: %d bytes", begun.name, len(pdf))
			return
		case <-time.After(60 * time.Second): // Chromium prints in the server meanwhile
			t.Fatalf("no download after 60 s (began: %+v)", begun)
		}
	}
}
