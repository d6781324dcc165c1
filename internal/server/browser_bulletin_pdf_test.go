package server

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

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

// pdfText extracts the PDF's text with pdftotext (poppler-utils) when it is installed;
// ok is false when it is not.
func pdfText(t *testing.T, pdf []byte) (text string, ok bool) {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed (apt-get install poppler-utils): the PDF's text is not read back")
		return "", false
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
	os.WriteFile("/tmp/pdf3/bulletin.pdf", pdf, 0o644)
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+"%E8%B0%83%E5%BA%A6%E9%80%9A%E6%8A%A5-2026%E5%B9%B410%E6%9C%88-") {
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
	// narrative, every unit and figure of the headline table.
	got := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", "/api/v1/bulletin?year=2026&month=10", "", nil)
	var b report.Bulletin
	if got.status != http.StatusOK || json.Unmarshal(got.body, &b) != nil || len(b.Sections) == 0 || len(b.Sections[0].Tables) == 0 {
		t.Fatalf("API bulletin: %d %s", got.status, got.body)
	}
	flat := withoutSpace(text)
	want := []string{b.Title, b.Sections[0].Text}
	for _, r := range b.Sections[0].Tables[0].Rows {
		for _, c := range r.Cells {
			want = append(want, c.Text)
		}
	}
	for _, w := range want {
		if w != "" && !strings.Contains(flat, withoutSpace(w)) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
}
