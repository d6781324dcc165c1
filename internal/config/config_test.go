package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestEnvThenFlags(t *testing.T) {
	env := map[string]string{"BEIZENG_DSN": "postgres://u:secret@db/beizeng", "BEIZENG_SESSION_IDLE": "45m", "BEIZENG_TRUST_PROXY": "true"}
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := c.Bind(fs, func(k string) string { return env[k] }, true); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"--session-idle", "20m", "--addr", "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	if c.DSN != env["BEIZENG_DSN"] || c.SessionIdle != 20*time.Minute || !c.TrustProxy || c.Addr != "127.0.0.1:9000" {
		t.Fatalf("config = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	c.Print(&b, func(s string) string { return strings.ReplaceAll(s, "secret", "xxxxx") })
	if strings.Contains(b.String(), "secret") || !strings.Contains(b.String(), "20m0s") || !strings.Contains(b.String(), "(search PATH)") {
		t.Fatalf("print: %s", b.String())
	}
}

func TestChromiumFromEnvThenFlag(t *testing.T) {
	env := map[string]string{"BEIZENG_CHROMIUM": "off"}
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := c.Bind(fs, func(k string) string { return env[k] }, true); err != nil {
		t.Fatal(err)
	}
	if c.Chromium != "off" {
		t.Fatalf("env: %q", c.Chromium)
	}
	if err := fs.Parse([]string{"--chromium", "/opt/chromium/chrome"}); err != nil || c.Chromium != "/opt/chromium/chrome" {
		t.Fatalf("flag: %q %v", c.Chromium, err)
	}
}

func TestBadInputIsReported(t *testing.T) {
	env := map[string]string{"BEIZENG_SESSION_IDLE": "soon", "BEIZENG_LOCKOUT_FAILURES": "five"}
	c := Default()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	err := c.Bind(fs, func(k string) string { return env[k] }, true)
	if err == nil || !strings.Contains(err.Error(), "BEIZENG_SESSION_IDLE") || !strings.Contains(err.Error(), "BEIZENG_LOCKOUT_FAILURES") {
		t.Fatalf("bad env: %v", err)
	}
	for _, c := range []func(*Config){
		func(c *Config) { c.DSN = "mysql://x" },
		func(c *Config) { c.LogFormat = "xml" },
		func(c *Config) { c.TLSCert = "cert.pem" },
		func(c *Config) { c.SessionIdle = time.Second },
		func(c *Config) { c.Password.MinClasses = 5 },
		func(c *Config) { c.LockoutFailures = 0 },
	} {
		cfg := Default()
		c(&cfg)
		if cfg.Validate() == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
}
