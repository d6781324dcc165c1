package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/auth"
	"beizeng/internal/config"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixture is a running server over a small city: a city, two counties, a department,
// and one user per role; "reporter" sits in county A and "reporter2" in county B.
type fixture struct {
	t     testing.TB
	st    *store.Store
	srv   *Server
	ts    *httptest.Server
	units map[string]*domain.Unit // city, countyA, countyB, dept
	users map[string]*domain.User
	svc   *auth.Service
	cfg   config.Config
}

// fixturePassword satisfies the default policy and contains no fixture username.
const fixturePassword = "Fixture#2026pw"

func newFixture(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	cfg := config.Default()
	// No PDF export unless a test asks for it (newFixtureConfig): whether Chromium is
	// on PATH must not change what the other tests see, nor start browsers for them.
	cfg.Chromium = "off"
	return newFixtureConfig(t, st, cfg)
}

// newFixtureConfig is newFixture with a server configured by cfg.
func newFixtureConfig(t testing.TB, st *store.Store, cfg config.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: st, units: map[string]*domain.Unit{}, users: map[string]*domain.User{}, cfg: cfg}
	sys := domain.Actor{Via: "test"}
	mk := func(key, code, name string, kind domain.UnitKind, parent string) {
		u := &domain.Unit{Code: code, Name: name, Kind: kind, Active: true}
		if parent != "" {
			u.ParentID = f.units[parent].ID
		}
		if err := st.CreateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
		f.units[key] = u
	}
	mk("city", "369900", "测试市", domain.UnitCity, "")
	mk("countyA", "369901", "甲区", domain.UnitCounty, "city")
	mk("countyB", "369902", "乙县", domain.UnitCounty, "city")
	mk("dept", "D01", "市工信局", domain.UnitDepartment, "city")

	srv, err := New(cfg, st, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.svc = auth.NewService(st, auth.Settings{Password: cfg.Password, SessionIdle: cfg.SessionIdle,
		SessionLifetime: cfg.SessionLifetime, LockoutFailures: cfg.LockoutFailures, LockoutDuration: cfg.LockoutDuration,
		ThrottleFailures: cfg.ThrottleFailures, ThrottleWindow: cfg.ThrottleWindow})
	for _, u := range []struct {
		name, unit string
		role       domain.Role
	}{
		{"admin", "city", domain.RoleAdmin}, {"coordinator", "city", domain.RoleCoordinator},
		{"reporter", "countyA", domain.RoleReporter}, {"reporter2", "countyB", domain.RoleReporter},
		{"handler", "dept", domain.RoleHandler}, {"leader", "city", domain.RoleLeader}, {"auditor", "city", domain.RoleAuditor},
	} {
		user := &domain.User{Username: u.name, DisplayName: "测试" + u.name, UnitID: f.units[u.unit].ID, Roles: []domain.Role{u.role}}
		if err := f.svc.CreateUser(ctx, sys, user, fixturePassword); err != nil {
			t.Fatal(err)
		}
		hash, _ := auth.HashPassword(fixturePassword)
		if err := st.SetPassword(ctx, sys, user.ID, hash, false, ""); err != nil {
			t.Fatal(err)
		}
		user.MustChangePassword = false
		f.users[u.name] = user
	}
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(f.ts.Close)
	return f
}

// client is a browser-like HTTP client with its own cookie jar that does not follow
// redirects, so tests see each 303.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs a user in and returns their client.
func (f *fixture) login(username string) *http.Client {
	f.t.Helper()
	c := f.client()
	res := f.post(c, "/login", url.Values{"username": {username}, "password": {fixturePassword}})
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: status %d", username, res.StatusCode)
	}
	return c
}

func (f *fixture) get(c *http.Client, path string) (*http.Response, string) {
	f.t.Helper()
	res, err := c.Get(f.ts.URL + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (f *fixture) post(c *http.Client, path string, form url.Values) *http.Response {
	f.t.Helper()
	res, _ := f.postBody(c, path, form)
	return res
}

func (f *fixture) postBody(c *http.Client, path string, form url.Values) (*http.Response, string) {
	f.t.Helper()
	req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// issueContactLink issues a contact link from a problem's or an enterprise's page as a
// browser does: the POST redirects to the page, which shows the link once — not on a
// reload — and returns the link's path.
func (f *fixture) issueContactLink(c *http.Client, page, contact string) string {
	f.t.Helper()
	res := f.post(c, page+"/contact-link", url.Values{"contact_name": {contact}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"#contact-link" {
		f.t.Fatalf("issue a contact link: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body := f.get(c, page)
	start := strings.Index(body, "/c/")
	if start < 0 || !strings.Contains(body, "已生成企业联系人链接") {
		f.t.Fatal("the page redirected to does not show the link")
	}
	if _, again := f.get(c, page); strings.Contains(again, "/c/") {
		f.t.Fatal("the link is shown again on a reload")
	}
	return body[start : start+strings.IndexAny(body[start:], "<\"")]
}
