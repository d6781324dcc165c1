package pdf

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func TestFindBrowser(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "chromium")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	for _, c := range []struct {
		configured, want string
		fails            bool
	}{
		{"off", "", false},
		{" off ", "", false},
		{"", fake, false}, // found on PATH
		{fake, fake, false},
		{"chromium", fake, false},
		{filepath.Join(dir, "no-such-browser"), "", true},
	} {
		got, err := FindBrowser(c.configured)
		if got != c.want || (err != nil) != c.fails {
			t.Errorf("FindBrowser(%q) = %q, %v; want %q, fails %v", c.configured, got, err, c.want, c.fails)
		}
	}
	t.Setenv("PATH", t.TempDir())
	if got, err := FindBrowser(""); got != "" || err != nil {
		t.Errorf("nothing on PATH: %q, %v", got, err)
	}
}

func TestPrintWithoutBrowser(t *testing.T) {
	var none *Printer
	for _, p := range []*Printer{none, New("", slog.New(slog.DiscardHandler))} {
		if p.Available() {
			t.Error("available without a browser")
		}
		if _, err := p.Print(context.Background(), "<p>x</p>"); domain.ErrorCode(err) != domain.EUNAVAILABLE ||
			!strings.Contains(domain.ErrorMessage(err), "未配置 Chromium") {
			t.Errorf("print: %v", err)
		}
	}
}

// With every slot taken a print waits at most its time-out, starts no browser, and
// says the server is busy.
func TestPrintWaitsForASlotAtMostItsTimeout(t *testing.T) {
	p := New("/nonexistent/chromium", slog.New(slog.DiscardHandler))
	p.timeout = 50 * time.Millisecond
	for range MaxConcurrent {
		p.slots <- struct{}{}
	}
	started := time.Now()
	_, err := p.Print(context.Background(), "<p>x</p>")
	if domain.ErrorCode(err) != domain.EUNAVAILABLE || !strings.Contains(domain.ErrorMessage(err), "请稍后再试") {
		t.Errorf("busy: %v", err)
	}
	if d := time.Since(started); d > 2*time.Second {
		t.Errorf("waited %v", d)
	}
	// A slot freed lets the next print through to the browser (here a missing one: an
	// internal error, not "busy").
	<-p.slots
	p.timeout = 5 * time.Second
	if _, err := p.Print(context.Background(), "<p>x</p>"); err == nil || domain.ErrorCode(err) == domain.EUNAVAILABLE {
		t.Errorf("with a free slot: %v", err)
	}
}

// fakeBrowser writes a shell script standing in for Chromium.
func fakeBrowser(t *testing.T, script string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// A browser that never answers costs the user the time-out, not a hung request.
func TestPrintTimesOut(t *testing.T) {
	p := New(fakeBrowser(t, "exec sleep 30"), slog.New(slog.DiscardHandler))
	p.timeout = 300 * time.Millisecond
	started := time.Now()
	_, err := p.Print(context.Background(), "<p>x</p>")
	if domain.ErrorCode(err) != domain.EUNAVAILABLE || !strings.Contains(domain.ErrorMessage(err), "生成 PDF 超时") {
		t.Errorf("hung browser: %v", err)
	}
	if d := time.Since(started); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
	if len(p.slots) != 0 {
		t.Error("the slot was not given back")
	}
}

// A browser that fails to start is an internal error whose log says what the browser said.
func TestPrintFailureKeepsTheBrowsersWords(t *testing.T) {
	p := New(fakeBrowser(t, "echo 'error while loading shared libraries: libnss3.so' >&2; exit 127"), slog.New(slog.DiscardHandler))
	_, err := p.Print(context.Background(), "<p>x</p>")
	if err == nil || domain.ErrorCode(err) != domain.EINTERNAL || !strings.Contains(err.Error(), "libnss3.so") {
		t.Errorf("broken browser: %v", err)
	}
}
