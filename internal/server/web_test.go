package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/xlsx"
)

func TestLoginLogoutAndLockout(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	c := f.client()

	// Anonymous pages redirect to the login page, keeping where the user wanted to go.
	res, _ := f.get(c, "/units?kind=county")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Funits%3Fkind%3Dcounty" {
		t.Fatalf("anonymous /units: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	res, body := f.postBody(c, "/login", url.Values{"username": {"coordinator"}, "password": {"wrong-Password1"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") || !strings.Contains(body, `value="coordinator"`) {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	// An unknown user gets the same message: usernames are not revealed.
	if _, body := f.postBody(c, "/login", url.Values{"username": {"nobody"}, "password": {"x"}}); !strings.Contains(body, "用户名或密码错误") {
		t.Fatal("unknown user message differs")
	}

	res = f.post(c, "/login", url.Values{"username": {"coordinator"}, "password": {fixturePassword}, "next": {"/units"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/units" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "bz_session" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie: %+v", sess)
	}
	if res, body := f.get(c, "/"); res.StatusCode != 200 || !strings.Contains(body, "驾驶舱") {
		t.Fatalf("home: %d", res.StatusCode)
	}
	// An off-site next is ignored.
	c2 := f.client()
	if res := f.post(c2, "/login", url.Values{"username": {"leader"}, "password": {fixturePassword}, "next": {"//evil.example/x"}}); res.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %s", res.Header.Get("Location"))
	}

	if res := f.post(c, "/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if events, _, _ := f.st.FindAuditEvents(context.Background(), domain.AuditFilter{Action: "auth.logout", Actor: "coordinator"}); len(events) != 1 {
		t.Fatalf("logout not audited: %d events", len(events))
	}
	if res, _ := f.get(c, "/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: %d", res.StatusCode)
	}

	// Five failures lock the account; then even the right password is refused.
	for i := range 5 {
		res, body := f.postBody(c, "/login", url.Values{"username": {"leader"}, "password": {"Wrong-pass-1"}})
		if i == 4 && (res.StatusCode != http.StatusLocked || !strings.Contains(body, "已锁定")) {
			t.Fatalf("fifth failure: %d", res.StatusCode)
		}
	}
	if res, body := f.postBody(c, "/login", url.Values{"username": {"leader"}, "password": {fixturePassword}}); res.StatusCode != http.StatusLocked || !strings.Contains(body, "已锁定") {
		t.Fatalf("locked account logged in: %d", res.StatusCode)
	}
	events, _, _ := f.st.FindAuditEvents(context.Background(), domain.AuditFilter{Action: "auth.locked"})
	if len(events) != 1 {
		t.Fatalf("lock not audited: %d", len(events))
	}
}

func TestForcedPasswordChange(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	admin := f.login("admin")
	res := f.post(admin, "/users", url.Values{"username": {"wang"}, "display_name": {"王五"},
		"unit_id": {fmt.Sprint(f.units["countyA"].ID)}, "roles": {"reporter"}, "password": {"Initial#2026"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create user: %d", res.StatusCode)
	}
	c := f.client()
	if res := f.post(c, "/login", url.Values{"username": {"wang"}, "password": {"Initial#2026"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	if res, _ := f.get(c, "/units"); res.Header.Get("Location") != "/account/password" {
		t.Fatalf("must-change user reached /units: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := f.postBody(c, "/account/password", url.Values{"current": {"Initial#2026"}, "password": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "密码至少需要8个字符") {
		t.Fatalf("weak new password: %d", res.StatusCode)
	}
	if res := f.post(c, "/account/password", url.Values{"current": {"Initial#2026"}, "password": {"Mine#2026abc"}, "confirm": {"Mine#2026abc"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if res, _ := f.get(c, "/units"); res.StatusCode != 200 {
		t.Fatalf("after change: %d", res.StatusCode)
	}
	u, _ := f.st.FindUserByUsername(ctx, "wang")
	if u.MustChangePassword {
		t.Fatal("flag not cleared")
	}
}

func TestContactEditScopedToOwnUnit(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	rep := f.login("reporter")
	own, other := f.units["countyA"], f.units["countyB"]

	if res, _ := f.get(rep, fmt.Sprintf("/units/%d/contact", other.ID)); res.StatusCode != http.StatusForbidden {
		t.Fatalf("other unit's contact page: %d", res.StatusCode)
	}
	res := f.post(rep, fmt.Sprintf("/units/%d/contact", other.ID), url.Values{"contact_person": {"x"}, "version": {"1"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("other unit's contact post: %d", res.StatusCode)
	}
	res, body := f.postBody(rep, fmt.Sprintf("/units/%d/contact", own.ID), url.Values{"contact_person": {"赵六"}, "contact_phone": {"abc"}, "version": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="赵六"`) || !strings.Contains(body, "电话只能包含") {
		t.Fatalf("invalid phone: %d", res.StatusCode)
	}
	if res := f.post(rep, fmt.Sprintf("/units/%d/contact", own.ID), url.Values{"contact_person": {"赵六"}, "contact_phone": {"0798-1234567"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own contact: %d", res.StatusCode)
	}
	// The same form posted again carries the old version: someone else changed it.
	res, body = f.postBody(rep, fmt.Sprintf("/units/%d/contact", own.ID), url.Values{"contact_person": {"钱七"}, "version": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="钱七"`) {
		t.Fatalf("stale contact: %d", res.StatusCode)
	}
	// A reporter cannot edit the unit itself.
	if res := f.post(rep, fmt.Sprintf("/units/%d", own.ID), url.Values{"code": {"369901"}, "name": {"x"}, "kind": {"county"}, "version": {"2"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("reporter edits unit: %d", res.StatusCode)
	}
	u, _ := f.st.FindUnitByID(context.Background(), own.ID)
	if u.ContactPerson != "赵六" || u.Name != "甲区" {
		t.Fatalf("unit after: %+v", u)
	}
}

func TestUnitFormKeepsInputAndReportsFields(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	admin := f.login("admin")
	res, body := f.postBody(admin, "/units", url.Values{"code": {"369901"}, "name": {"新园区"}, "kind": {"park"}, "sort_order": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="新园区"`) || !strings.Contains(body, "排序号应为整数") {
		t.Fatalf("bad unit form: %d", res.StatusCode)
	}
	res, body = f.postBody(admin, "/units", url.Values{"code": {"369901"}, "name": {"新园区"}, "kind": {"park"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "已被其他单位使用") {
		t.Fatalf("duplicate code: %d", res.StatusCode)
	}
	res = f.post(admin, "/units", url.Values{"code": {"P01"}, "name": {"高新区"}, "kind": {"park"},
		"parent_id": {fmt.Sprint(f.units["countyA"].ID)}, "assessed": {"1"}, "active": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create park: %d", res.StatusCode)
	}
	if _, body := f.get(admin, res.Header.Get("Location")); !strings.Contains(body, "已创建单位") || !strings.Contains(body, "甲区") {
		t.Fatal("unit page lacks flash or parent")
	}
}

func TestEveryPageRendersForItsRoles(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	countyA := f.units["countyA"].ID
	admin := f.users["admin"].ID
	pages := map[string][]string{
		"admin":       {"/", "/units", "/units?kind=county&q=甲", "/units/new", fmt.Sprintf("/units/%d", countyA), fmt.Sprintf("/units/%d/edit", countyA), "/users", "/users/new", fmt.Sprintf("/users/%d/edit", admin), "/account", "/account/password"},
		"reporter":    {"/", "/units", fmt.Sprintf("/units/%d/contact", countyA), "/account"},
		"auditor":     {"/", "/audit", "/audit?actor=admin&from=2020-01-01&to=2099-12-31", "/account"},
		"coordinator": {"/", "/units?page=2", "/units?page=-1"},
	}
	for user, paths := range pages {
		c := f.login(user)
		for _, p := range paths {
			res, body := f.get(c, p)
			if res.StatusCode != 200 {
				t.Errorf("%s GET %s: %d", user, p, res.StatusCode)
			}
			if !strings.Contains(body, "倍增调度平台") || strings.Contains(body, "<no value>") {
				t.Errorf("%s GET %s: layout missing or template hole", user, p)
			}
		}
	}
	// The menu shows only what the user may open.
	_, body := f.get(f.login("reporter"), "/")
	if strings.Contains(body, `href="/users"`) || strings.Contains(body, `href="/audit"`) {
		t.Error("reporter's menu shows users or audit")
	}
	_, body = f.get(f.login("auditor"), "/")
	if !strings.Contains(body, `href="/audit"`) || strings.Contains(body, `href="/units"`) {
		t.Error("auditor's menu is wrong")
	}
}

func TestAuditorPagesAndExport(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	aud := f.login("auditor")
	res, body := f.get(aud, "/audit?from=2026-13-01")
	if res.StatusCode != 200 || !strings.Contains(body, "日期格式应为") {
		t.Fatalf("bad date: %d", res.StatusCode)
	}
	res, _ = f.get(aud, "/audit/verify")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	if _, body := f.get(aud, "/audit"); !strings.Contains(body, "审计链校验通过") {
		t.Fatal("verify result not shown")
	}
	res, body = f.get(aud, "/audit/export.xlsx?actor=system")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	rows, err := xlsx.ReadRows(bytes.NewReader([]byte(body)), "审计日志")
	if err != nil {
		t.Fatal(err)
	}
	_, total, _ := f.st.FindAuditEvents(context.Background(), domain.AuditFilter{Actor: "system"})
	if len(rows) != total+2 || rows[1][0] != "序号" {
		t.Fatalf("export has %d rows, want %d events + title + header", len(rows), total)
	}
	// Admins manage accounts but cannot read the audit log (三员分立).
	if res, _ := f.get(f.login("admin"), "/audit"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("admin read audit: %d", res.StatusCode)
	}
}

func TestExportsReadBack(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	admin := f.login("admin")
	res, body := f.get(admin, "/units/export.xlsx?kind=county")
	if res.StatusCode != 200 {
		t.Fatalf("units export: %d", res.StatusCode)
	}
	rows, err := xlsx.ReadRows(strings.NewReader(body), "单位")
	if err != nil || len(rows) != 4 || rows[2][1] != "甲区" || rows[3][1] != "乙县" {
		t.Fatalf("units export rows: %q %v", rows, err)
	}
	_, body = f.get(admin, "/users/export.xlsx?role=reporter")
	rows, err = xlsx.ReadRows(strings.NewReader(body), "用户")
	if err != nil || len(rows) != 4 || rows[2][0] != "reporter" || rows[3][0] != "reporter2" {
		t.Fatalf("users export rows: %q %v", rows, err)
	}
}

func TestShellHeadersAssetsAndErrors(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	c := f.login("coordinator")
	res, body := f.get(c, "/")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %s: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
		t.Error("security headers missing")
	}
	if regexp.MustCompile(`<script>|<style>|style="|onclick=`).MatchString(body) {
		t.Error("page has inline script or style, which the CSP would block")
	}
	assets := regexp.MustCompile(`/assets/[0-9a-f]{12}/[a-z/.]+`).FindAllString(body, -1)
	if len(assets) < 3 {
		t.Fatalf("hashed assets: %v", assets)
	}
	for _, a := range assets {
		res, _ := f.get(c, a)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("asset %s: %d %s", a, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
	if res, _ := f.get(c, "/assets/000000000000/app.css"); res.StatusCode != 404 {
		t.Errorf("stale asset hash: %d", res.StatusCode)
	}
	res, body = f.get(c, "/no/such/page")
	if res.StatusCode != 404 || !strings.Contains(body, "页面不存在") {
		t.Errorf("404 page: %d", res.StatusCode)
	}
	if res, body := f.get(c, "/units/abc"); res.StatusCode != 404 || strings.Contains(body, "strconv") {
		t.Errorf("bad id: %d", res.StatusCode)
	}

	// A cross-site form post is refused before it reaches the handler.
	req, _ := http.NewRequest("POST", f.ts.URL+"/units", strings.NewReader("code=X1&name=x&kind=park"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := f.login("admin").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", res.StatusCode)
	}
	if _, err := f.st.FindUnitByCode(context.Background(), "X1"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatal("cross-site post created a unit")
	}

	for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
		if res, body := f.get(f.client(), p); res.StatusCode != 200 || body == "" {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
	_, metrics := f.get(f.client(), "/metrics")
	if !strings.Contains(metrics, `beizeng_http_requests_total{method="GET",route="GET /{$}",status="200"}`) || !strings.Contains(metrics, "go_sql_") {
		t.Error("metrics lack request counts by route or pool stats")
	}
}

func TestTokensFromAccountPage(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	c := f.login("coordinator")
	res, body := f.postBody(c, "/account/tokens", url.Values{"name": {"统计对接"}})
	token := regexp.MustCompile(`bz_[A-Za-z0-9_-]{40,}`).FindString(body)
	if res.StatusCode != 200 || token == "" {
		t.Fatalf("create token: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("token /me: %v %v", res.StatusCode, err)
	}
	res.Body.Close()
	_, body = f.get(c, "/account")
	if strings.Contains(body, token) || !strings.Contains(body, token[:10]) {
		t.Fatal("token secret shown again, or its prefix missing")
	}
	toks, _ := f.st.FindTokens(context.Background(), f.users["coordinator"].ID)
	if res := f.post(c, fmt.Sprintf("/account/tokens/%d/revoke", toks[0].ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	// Another user cannot revoke it (it is not theirs): not found.
	if res := f.post(f.login("leader"), fmt.Sprintf("/account/tokens/%d/revoke", toks[0].ID), nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("foreign revoke: %d", res.StatusCode)
	}
}

// TestLockoutHoldsUnderBurst sends many wrong guesses at once: attempts are counted
// before the slow password check, so no more than the allowed number are ever checked,
// and afterwards even the right password is refused until the lock ends.
func TestLockoutHoldsUnderBurst(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	done := make(chan int, 16)
	for range 16 {
		go func() {
			res, _ := f.postBody(f.client(), "/login", url.Values{"username": {"leader"}, "password": {"Wrong-pass-1"}})
			done <- res.StatusCode
		}()
	}
	for range 16 {
		<-done
	}
	ctx := context.Background()
	_, checked, _ := f.st.FindAuditEvents(ctx, domain.AuditFilter{Action: "auth.login_failed", Actor: "leader"})
	if checked > f.cfg.LockoutFailures {
		t.Fatalf("%d passwords were checked in a burst, at most %d allowed", checked, f.cfg.LockoutFailures)
	}
	if res, body := f.postBody(f.client(), "/login", url.Values{"username": {"leader"}, "password": {fixturePassword}}); res.StatusCode == http.StatusSeeOther || !strings.Contains(body, "已锁定") {
		t.Fatalf("the right password got in after the burst: %d", res.StatusCode)
	}
}
