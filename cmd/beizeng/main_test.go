package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"beizeng/internal/demo"

	_ "modernc.org/sqlite"
)

// result is one in-process run of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// beizeng runs the command line in-process against the DSN in env, with stdin as input.
func beizeng(t *testing.T, dsn, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "BEIZENG_DSN" {
			return dsn
		}
		return ""
	}
	code := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func tempDSN(t *testing.T) (dsn, path string) {
	path = filepath.Join(t.TempDir(), "beizeng.db")
	return "sqlite:" + path, path
}

func mustRun(t *testing.T, dsn, stdin string, args ...string) result {
	t.Helper()
	r := beizeng(t, dsn, stdin, args...)
	if r.code != 0 {
		t.Fatalf("beizeng %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func TestMigrate(t *testing.T) {
	dsn, _ := tempDSN(t)
	r := mustRun(t, dsn, "", "migrate")
	if !strings.Contains(r.stdout, "0001_foundation.sql") {
		t.Errorf("first migrate should name the migration it applied:\n%s", r.stdout)
	}
	r = mustRun(t, dsn, "", "migrate")
	if !strings.Contains(r.stdout, "数据库结构已是最新") {
		t.Errorf("second migrate should say the schema is current:\n%s", r.stdout)
	}
}

func TestDemoAndUsers(t *testing.T) {
	dsn, path := tempDSN(t)

	r := mustRun(t, dsn, "", "demo")
	for _, a := range demo.Accounts() {
		if !strings.Contains(r.stdout, a.Username) {
			t.Errorf("demo output lacks account %s", a.Username)
		}
	}
	if !strings.Contains(r.stdout, demo.Password) {
		t.Errorf("demo output lacks the password:\n%s", r.stdout)
	}
	if r := beizeng(t, dsn, "", "demo"); r.code != 1 || !strings.Contains(r.stderr, "空数据库") {
		t.Errorf("demo on a loaded database: exit %d, stderr %q; want 1 and a refusal", r.code, r.stderr)
	}

	t.Run("create user", func(t *testing.T) {
		r := mustRun(t, dsn, "Zhang#2026pw\n", "user", "create", "--username", "zhangsan", "--role", "reporter",
			"--unit", "369901", "--name", "张三", "--password-stdin")
		if !strings.Contains(r.stdout, "zhangsan") {
			t.Errorf("create output: %q", r.stdout)
		}
		r = mustRun(t, dsn, "", "user", "list")
		if !strings.Contains(r.stdout, "张三") || !strings.Contains(r.stdout, "须改密码") {
			t.Errorf("list should show the new user who must change the password:\n%s", r.stdout)
		}
	})

	t.Run("weak password refused", func(t *testing.T) {
		r := beizeng(t, dsn, "short\n", "user", "create", "--username", "lisi", "--role", "reporter",
			"--unit", "369901", "--password-stdin")
		if r.code == 0 || !strings.Contains(r.stderr, "密码") {
			t.Errorf("weak password: exit %d, stderr %q; want failure with a Chinese message", r.code, r.stderr)
		}
	})

	t.Run("password only from stdin", func(t *testing.T) {
		r := beizeng(t, dsn, "", "user", "create", "--username", "wangwu", "--role", "reporter", "--unit", "369901")
		if r.code != 2 || !strings.Contains(r.stderr, "--password-stdin") {
			t.Errorf("without --password-stdin: exit %d, stderr %q", r.code, r.stderr)
		}
	})

	t.Run("passwd, disable, enable", func(t *testing.T) {
		mustRun(t, dsn, "Reset#2026pw\n", "user", "passwd", "--username", "reporter2", "--password-stdin")
		mustRun(t, dsn, "", "user", "disable", "--username", "reporter2")
		if r := mustRun(t, dsn, "", "user", "list"); !regexp.MustCompile(`reporter2 .*停用`).MatchString(r.stdout) {
			t.Errorf("reporter2 should be listed as disabled:\n%s", r.stdout)
		}
		mustRun(t, dsn, "", "user", "enable", "--username", "reporter2")
	})

	t.Run("token", func(t *testing.T) {
		r := mustRun(t, dsn, "", "user", "token", "--username", "reporter")
		if tok := strings.TrimSpace(r.stdout); !strings.HasPrefix(tok, "bz_") || strings.Contains(tok, "\n") {
			t.Errorf("stdout should be the token alone, got %q", r.stdout)
		}
	})

	t.Run("verify-audit", func(t *testing.T) {
		r := mustRun(t, dsn, "", "verify-audit")
		if !strings.Contains(r.stdout, "chain intact") {
			t.Errorf("verify-audit: %q", r.stdout)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		r = beizeng(t, dsn, "", "verify-audit")
		if r.code != 1 || !strings.Contains(r.stdout, "#3") {
			t.Errorf("after editing event 3: exit %d, stdout %q; want 1 naming #3", r.code, r.stdout)
		}
	})

	t.Run("backup", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "backup.db")
		r := mustRun(t, dsn, "", "backup", "--out", out)
		if !strings.Contains(r.stdout, out) {
			t.Errorf("backup output: %q", r.stdout)
		}
		db, err := sql.Open("sqlite", out)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM units`).Scan(&n); err != nil || n != 20 {
			t.Errorf("backup holds %d units (%v), want 20", n, err)
		}
		if r := beizeng(t, dsn, "", "backup", "--out", out); r.code != 1 {
			t.Errorf("backup over an existing file: exit %d, want 1", r.code)
		}
	})
}

func TestHelpAndBadFlags(t *testing.T) {
	dsn, _ := tempDSN(t)
	for _, args := range [][]string{
		{"serve"}, {"migrate"}, {"demo"}, {"user"}, {"user", "create"}, {"user", "passwd"}, {"user", "list"},
		{"user", "disable"}, {"user", "enable"}, {"user", "token"}, {"verify-audit"}, {"backup"},
		{"config"}, {"version"},
	} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			r := beizeng(t, dsn, "", append(args, "--help")...)
			if r.code != 0 || !strings.Contains(r.stderr, "用法") {
				t.Errorf("--help: exit %d, stderr %q", r.code, r.stderr)
			}
			r = beizeng(t, dsn, "", append(args, "--no-such-flag")...)
			if r.code != 2 || !strings.Contains(r.stderr, "no-such-flag") {
				t.Errorf("unknown flag: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
	if r := beizeng(t, dsn, "", "help"); r.code != 0 || !strings.Contains(r.stdout, "verify-audit") {
		t.Errorf("help: exit %d, stdout %q", r.code, r.stdout)
	}
	if r := beizeng(t, dsn, ""); r.code != 2 || !strings.Contains(r.stderr, "serve") {
		t.Errorf("no arguments: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := beizeng(t, dsn, "", "frobnicate"); r.code != 2 {
		t.Errorf("unknown command: exit %d", r.code)
	}
	if r := beizeng(t, dsn, "", "serve", "--log-format", "xml"); r.code != 2 || !strings.Contains(r.stderr, "--log-format") {
		t.Errorf("invalid config: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestConfigAndVersion(t *testing.T) {
	r := mustRun(t, "postgres://beizeng:s3cret@db.example/beizeng", "", "config", "--addr", ":9090", "--migrate")
	if strings.Contains(r.stdout, "s3cret") || !strings.Contains(r.stdout, ":9090") {
		t.Errorf("config should show the flags and hide the password:\n%s", r.stdout)
	}
	r = mustRun(t, "", "", "version")
	if !strings.Contains(r.stdout, "beizeng dev") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("version: %q", r.stdout)
	}
}

func TestServeRefusesOutdatedSchema(t *testing.T) {
	dsn, _ := tempDSN(t)
	r := beizeng(t, dsn, "", "serve", "--addr", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "beizeng migrate") || !strings.Contains(r.stderr, "数据库结构版本为 0") {
		t.Errorf("serve on an empty database: exit %d, stderr %q", r.code, r.stderr)
	}
}

// syncBuffer lets the test read what a running server has printed so far.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeEndToEnd(t *testing.T) {
	dsn, _ := tempDSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	getenv := func(k string) string {
		if k == "BEIZENG_DSN" {
			return dsn
		}
		return ""
	}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--demo"},
			getenv, strings.NewReader(""), &stdout, &stderr)
	}()

	started := regexp.MustCompile(`beizeng 已启动：(http://\S+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := started.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before listening\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(stdout.String(), demo.Password) {
		t.Errorf("serve --demo should print the demo accounts:\n%s", stdout.String())
	}

	get := func(path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := get(path, ""); code != http.StatusOK {
			t.Errorf("GET %s = %d %q, want 200", path, code, body)
		}
	}

	// A token made by the CLI while the server runs: the same database file, two writers.
	tok := strings.TrimSpace(mustRun(t, dsn, "", "user", "token", "--username", "reporter").stdout)
	if code, body := get("/api/v1/me", tok); code != http.StatusOK || !strings.Contains(body, "reporter") {
		t.Errorf("GET /api/v1/me with token = %d %q, want 200 naming reporter", code, body)
	}
	if code, _ := get("/api/v1/me", ""); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me without token = %d, want 401", code)
	}
	if code, _ := get("/api/v1/me", "bz_not-a-real-token"); code != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with a bad token = %d, want 401", code)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited with %d after cancel, want 0\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of cancel")
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("serve should log that it stopped:\n%s", stderr.String())
	}
}

// TestDemoScaleFlags: --scale takes city or province only, --through a past YYYY-MM
// with province only; a refusal exits 2, says why, and leaves the database untouched.
func TestDemoScaleFlags(t *testing.T) {
	dsn, _ := tempDSN(t)
	for _, args := range [][]string{
		{"demo", "--scale", "country"},
		{"demo", "--scale", ""},
		{"demo", "--through", "2026-01"},
		{"demo", "--scale", "province", "--through", "2026/01"},
		{"demo", "--scale", "province", "--through", "2999-01"},
		{"demo", "--scale", "province", "--through", "1999-12"},
	} {
		r := beizeng(t, dsn, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, "参数错误") || !strings.Contains(r.stderr, "。") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	mustRun(t, dsn, "", "demo")
	if r := beizeng(t, dsn, "", "demo", "--scale", "province", "--through", "2026-01"); r.code != 1 || !strings.Contains(r.stderr, "空数据库") {
		t.Errorf("province into the demo city: exit %d, stderr %q", r.code, r.stderr)
	}
}
