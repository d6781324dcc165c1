package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// The API tests go through the real handler — middleware, authorization, store — on
// each database, as a client would.

// apiResult is one API answer.
type apiResult struct {
	status int
	header http.Header
	body   []byte
}

// object decodes a JSON object answer.
func (r apiResult) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// apiError is the API's error shape.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

func (r apiResult) apiError(t *testing.T) apiError {
	t.Helper()
	var e struct {
		Error *apiError `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("answer is not an API error: %v: %s", err, r.body)
	}
	return *e.Error
}

// apiToken gives a fixture user an API token.
func (f *fixture) apiToken(username string) string {
	f.t.Helper()
	secret, _, err := f.svc.CreateToken(context.Background(), domain.Actor{Via: "test"}, f.users[username], "测试")
	if err != nil {
		f.t.Fatal(err)
	}
	return secret
}

// apiCall sends one request. c may be nil for a fresh cookie-less client; authz is the
// Authorization header, if any; header adds or overrides headers.
func (f *fixture) apiCall(c *http.Client, authz, method, path, body string, header map[string]string) apiResult {
	f.t.Helper()
	if c == nil {
		c = f.client()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return apiResult{status: res.StatusCode, header: res.Header, body: b}
}

// newestAudit is the last event of the audit chain, or nil.
func newestAudit(t *testing.T, st *store.Store) *domain.AuditEvent {
	t.Helper()
	events, _, err := st.FindAuditEvents(context.Background(), domain.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 {
		return nil
	}
	return events[0]
}

func auditSeq(e *domain.AuditEvent) int64 {
	if e == nil {
		return 0
	}
	return e.Seq
}

// apiScenario is one request and what must come of it. Scenarios of one table run in
// order and share the database, so later ones see earlier changes (versions move on).
type apiScenario struct {
	name   string
	user   string // whose token to send; "" for none
	authz  string // a raw Authorization header instead
	method string
	path   string
	body   string
	header map[string]string

	status int
	code   string   // the error code, for an error status
	fields []string // fields the error must name
	audit  string   // for a successful write: the action the new audit event records
	check  func(t *testing.T, res apiResult)
}

// run performs the scenarios. Beyond each one's own expectations it checks the rules
// every API answer obeys: errors have the JSON error shape, a successful write appends
// exactly one audit event naming the caller and "api", and a refused write appends none.
func (f *fixture) run(t *testing.T, scenarios []apiScenario) {
	t.Helper()
	tokens := map[string]string{}
	for _, sc := range scenarios {
		if sc.user != "" && tokens[sc.user] == "" {
			tokens[sc.user] = f.apiToken(sc.user)
		}
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			authz := sc.authz
			if sc.user != "" {
				authz = "Bearer " + tokens[sc.user]
			}
			before := auditSeq(newestAudit(t, f.st))
			res := f.apiCall(nil, authz, sc.method, sc.path, sc.body, sc.header)
			if res.status != sc.status {
				t.Fatalf("%s %s: status %d, want %d: %s", sc.method, sc.path, res.status, sc.status, res.body)
			}
			if res.status >= 400 {
				e := res.apiError(t)
				if sc.code != "" && e.Code != sc.code {
					t.Errorf("error code %q, want %q (%s)", e.Code, sc.code, e.Message)
				}
				for _, field := range sc.fields {
					if e.Fields[field] == "" {
						t.Errorf("error fields %v do not name %q", e.Fields, field)
					}
				}
			}
			newest := newestAudit(t, f.st)
			switch {
			case sc.method == http.MethodGet:
				if auditSeq(newest) != before {
					t.Errorf("a GET wrote audit event %s", newest.Action)
				}
			case res.status < 300:
				if auditSeq(newest) != before+1 {
					t.Fatalf("successful %s wrote %d audit events, want 1", sc.method, auditSeq(newest)-before)
				}
				if newest.Action != sc.audit || newest.Via != "api" || newest.ActorName != sc.user {
					t.Errorf("audit event %s by %s via %s, want %s by %s via api", newest.Action, newest.ActorName, newest.Via, sc.audit, sc.user)
				}
			default:
				if auditSeq(newest) != before {
					t.Errorf("refused %s wrote audit event %s", sc.method, newest.Action)
				}
			}
			if sc.check != nil {
				sc.check(t, res)
			}
		})
	}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// hasKeys checks an object has exactly the given keys.
func hasKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Errorf("%s keys %v, want %v", what, got, keys)
	}
}

var unitKeys = []string{"id", "code", "name", "kind", "parent_id", "assessed", "sort_order", "active",
	"contact_person", "contact_phone", "version", "created_at", "updated_at"}

var userKeys = []string{"id", "username", "display_name", "unit_id", "unit_name", "roles", "must_change_password",
	"disabled", "last_login_at", "version", "created_at", "updated_at"}

func TestAPIScenarios(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		a, b, city := f.units["countyA"], f.units["countyB"], f.units["city"]
		r2, err := st.FindUserByID(ctx, f.users["reporter2"].ID)
		if err != nil {
			t.Fatal(err)
		}
		contactA := "/api/v1/units/" + id(a.ID) + "/contact"
		var createdUnit string // Location of the unit an admin creates

		f.run(t, []apiScenario{
			{name: "openapi document is public", method: "GET", path: "/api/v1/openapi.yaml", status: 200,
				check: func(t *testing.T, res apiResult) {
					if ct := res.header.Get("Content-Type"); ct != "application/yaml" || !strings.HasPrefix(string(res.body), "openapi: 3.1") {
						t.Errorf("content type %q, body %.30q", ct, res.body)
					}
				}},
			{name: "me with a token", user: "reporter", method: "GET", path: "/api/v1/me", status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					hasKeys(t, "user", m, userKeys...)
					if m["username"] != "reporter" || m["unit_name"] != a.Name || fmt.Sprint(m["roles"]) != "[reporter]" {
						t.Errorf("me = %v", m)
					}
					if _, err := time.Parse(time.RFC3339, m["created_at"].(string)); err != nil {
						t.Errorf("created_at is not RFC 3339: %v", err)
					}
					if res.header.Get("Cache-Control") != "no-store" {
						t.Errorf("Cache-Control %q", res.header.Get("Cache-Control"))
					}
				}},
			{name: "me without a token", method: "GET", path: "/api/v1/me", status: 401, code: "unauthorized",
				check: func(t *testing.T, res apiResult) {
					if got := res.header.Get("WWW-Authenticate"); got != "Bearer" {
						t.Errorf("WWW-Authenticate %q", got)
					}
				}},
			{name: "me with a bad token", authz: "Bearer bz_not-a-real-token", method: "GET", path: "/api/v1/me", status: 401, code: "unauthorized"},
			{name: "me with a token of the wrong form", authz: "Bearer hello", method: "GET", path: "/api/v1/me", status: 401, code: "unauthorized"},
			{name: "me with another scheme", authz: "Basic cmVwb3J0ZXI6eA==", method: "GET", path: "/api/v1/me", status: 401, code: "unauthorized"},
			{name: "unknown API path", user: "reporter", method: "GET", path: "/api/v1/nothing-here", status: 404, code: "not_found"},

			{name: "list counties", user: "coordinator", method: "GET", path: "/api/v1/units?kind=county&limit=10", status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					hasKeys(t, "list", m, "items", "total", "offset", "limit")
					items := m["items"].([]any)
					if m["total"] != 2.0 || len(items) != 2 || m["limit"] != 10.0 || m["offset"] != 0.0 {
						t.Fatalf("list = %v", m)
					}
					hasKeys(t, "unit", items[0].(map[string]any), unitKeys...)
				}},
			{name: "list with nothing found", user: "coordinator", method: "GET", path: "/api/v1/units?q=nowhere", status: 200,
				check: func(t *testing.T, res apiResult) {
					if !strings.Contains(string(res.body), `"items":[]`) {
						t.Errorf("empty list is not []: %s", res.body)
					}
				}},
			{name: "list with a bad limit", user: "coordinator", method: "GET", path: "/api/v1/units?limit=0", status: 400, code: "invalid"},
			{name: "list with a bad offset", user: "coordinator", method: "GET", path: "/api/v1/units?offset=-5", status: 400, code: "invalid"},
			{name: "list with a bad kind", user: "coordinator", method: "GET", path: "/api/v1/units?kind=planet", status: 400, code: "invalid"},
			{name: "list with a misspelt parameter", user: "coordinator", method: "GET", path: "/api/v1/units?limt=5", status: 400, code: "invalid"},
			{name: "unit with a bad id", user: "coordinator", method: "GET", path: "/api/v1/units/abc", status: 400, code: "invalid"},
			{name: "missing unit", user: "coordinator", method: "GET", path: "/api/v1/units/999999", status: 404, code: "not_found"},
			{name: "auditor does not read the org", user: "auditor", method: "GET", path: "/api/v1/units", status: 403, code: "forbidden"},

			{name: "reporter edits own unit's contact", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":"张三","contact_phone":"0798-8888888","version":1}`, status: 200, audit: "unit.contact",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["contact_person"] != "张三" || m["version"] != 2.0 || m["name"] != a.Name {
						t.Errorf("unit = %v", m)
					}
				}},
			{name: "reporter edits another unit's contact", user: "reporter", method: "PUT", path: "/api/v1/units/" + id(b.ID) + "/contact",
				body: `{"contact_person":"张三","version":1}`, status: 403, code: "forbidden"},
			{name: "leader edits a contact", user: "leader", method: "PUT", path: contactA,
				body: `{"contact_person":"张三","version":2}`, status: 403, code: "forbidden"},
			{name: "stale contact edit", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":"李四","version":1}`, status: 409, code: "conflict"},
			{name: "invalid JSON", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":`, status: 400, code: "invalid"},
			{name: "unknown field", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":"李四","version":2,"name":"改名"}`, status: 400, code: "invalid",
				check: func(t *testing.T, res apiResult) {
					if msg := res.apiError(t).Message; !strings.Contains(msg, `未知字段 "name"`) {
						t.Errorf("message %q", msg)
					}
				}},
			{name: "field of the wrong type", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":"李四","version":"2"}`, status: 400, code: "invalid", fields: []string{"version"}},
			{name: "invalid phone", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_phone":"call me!","version":2}`, status: 422, code: "invalid", fields: []string{"contact_phone"}},
			{name: "missing version", user: "reporter", method: "PUT", path: contactA,
				body: `{"contact_person":"李四"}`, status: 422, code: "invalid", fields: []string{"version"}},
			{name: "form instead of JSON", user: "reporter", method: "PUT", path: contactA,
				body: `contact_person=x&version=2`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
				status: 415, code: "invalid"},

			{name: "admin updates a unit", user: "admin", method: "PUT", path: "/api/v1/units/" + id(a.ID),
				body: `{"name":"甲区（新）","assessed":true,"version":2}`, status: 200, audit: "unit.update",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["name"] != "甲区（新）" || m["assessed"] != true || m["contact_person"] != "张三" || m["version"] != 3.0 || m["parent_id"] != float64(city.ID) {
						t.Errorf("fields left out changed or update lost: %v", m)
					}
				}},
			{name: "stale unit update", user: "admin", method: "PUT", path: "/api/v1/units/" + id(a.ID),
				body: `{"name":"甲区（旧）","version":2}`, status: 409, code: "conflict"},
			{name: "null for a non-null field", user: "admin", method: "PUT", path: "/api/v1/units/" + id(a.ID),
				body: `{"name":null,"version":3}`, status: 422, code: "invalid", fields: []string{"name"}},
			{name: "reporter updates a unit", user: "reporter", method: "PUT", path: "/api/v1/units/" + id(a.ID),
				body: `{"name":"我的区","version":3}`, status: 403, code: "forbidden"},
			{name: "admin creates a unit", user: "admin", method: "POST", path: "/api/v1/units",
				body:   `{"code":"369903","name":"丙工业园","kind":"park","parent_id":` + id(city.ID) + `,"assessed":true}`,
				status: 201, audit: "unit.create",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					hasKeys(t, "unit", m, unitKeys...)
					createdUnit = res.header.Get("Location")
					if m["active"] != true || m["version"] != 1.0 || createdUnit != "/api/v1/units/"+fmt.Sprint(m["id"]) {
						t.Errorf("unit %v at %q", m, createdUnit)
					}
				}},
			{name: "duplicate unit code", user: "admin", method: "POST", path: "/api/v1/units",
				body: `{"code":"369903","name":"又一个园区","kind":"park"}`, status: 422, code: "invalid", fields: []string{"code"}},
			{name: "invalid unit", user: "admin", method: "POST", path: "/api/v1/units",
				body: `{"code":"x","name":"","kind":"planet"}`, status: 422, code: "invalid", fields: []string{"code", "name", "kind"}},
			{name: "coordinator creates a unit", user: "coordinator", method: "POST", path: "/api/v1/units",
				body: `{"code":"369904","name":"丁园区","kind":"park"}`, status: 403, code: "forbidden"},

			{name: "admin creates a user", user: "admin", method: "POST", path: "/api/v1/users",
				body:   `{"username":"newbie","display_name":"新人","unit_id":` + id(a.ID) + `,"roles":["reporter"],"password":"Initial#2026"}`,
				status: 201, audit: "user.create",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					hasKeys(t, "user", m, userKeys...)
					if m["must_change_password"] != true || m["unit_name"] != "甲区（新）" || m["last_login_at"] != nil ||
						res.header.Get("Location") != "/api/v1/users/"+fmt.Sprint(m["id"]) {
						t.Errorf("user %v at %q", m, res.header.Get("Location"))
					}
					if strings.Contains(string(res.body), "Initial#2026") || strings.Contains(string(res.body), "hash") {
						t.Error("the answer shows the password")
					}
				}},
			{name: "weak initial password", user: "admin", method: "POST", path: "/api/v1/users",
				body:   `{"username":"weak","display_name":"弱","unit_id":` + id(a.ID) + `,"roles":["reporter"],"password":"short"}`,
				status: 422, code: "invalid", fields: []string{"password"}},
			{name: "admin and auditor in one account", user: "admin", method: "POST", path: "/api/v1/users",
				body:   `{"username":"both","display_name":"兼任","unit_id":` + id(city.ID) + `,"roles":["admin","auditor"],"password":"Initial#2026"}`,
				status: 422, code: "invalid", fields: []string{"roles"}},
			{name: "list reporters", user: "admin", method: "GET", path: "/api/v1/users?role=reporter", status: 200,
				check: func(t *testing.T, res apiResult) {
					if m := res.object(t); m["total"] != 3.0 {
						t.Errorf("reporters: %v", m)
					}
				}},
			{name: "list with a bad role", user: "admin", method: "GET", path: "/api/v1/users?role=king", status: 400, code: "invalid"},
			{name: "reporter lists users", user: "reporter", method: "GET", path: "/api/v1/users", status: 403, code: "forbidden"},
			{name: "admin updates a user", user: "admin", method: "PUT", path: "/api/v1/users/" + id(r2.ID),
				body: `{"display_name":"乙县填报员","version":` + id(r2.Version) + `}`, status: 200, audit: "user.update",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["display_name"] != "乙县填报员" || m["username"] != "reporter2" || m["unit_name"] != b.Name || fmt.Sprint(m["roles"]) != "[reporter]" {
						t.Errorf("user = %v", m)
					}
				}},
			{name: "stale user update", user: "admin", method: "PUT", path: "/api/v1/users/" + id(r2.ID),
				body: `{"disabled":true,"version":` + id(r2.Version) + `}`, status: 409, code: "conflict"},
			{name: "admin resets a password", user: "admin", method: "POST", path: "/api/v1/users/" + id(r2.ID) + "/password",
				body: `{"password":"Reset#2026pw"}`, status: 204, audit: "user.password_reset"},
			{name: "weak reset password", user: "admin", method: "POST", path: "/api/v1/users/" + id(r2.ID) + "/password",
				body: `{"password":"abc"}`, status: 422, code: "invalid", fields: []string{"password"}},

			{name: "admin reads the audit log", user: "admin", method: "GET", path: "/api/v1/audit", status: 403, code: "forbidden"},
			{name: "auditor reads the audit log", user: "auditor", method: "GET", path: "/api/v1/audit?limit=5", status: 200,
				check: func(t *testing.T, res apiResult) {
					if m := res.object(t); len(m["items"].([]any)) != 5 || m["total"].(float64) < 10 {
						t.Errorf("audit list %v", m)
					}
				}},
			{name: "audit log with an unknown filter", user: "auditor", method: "GET", path: "/api/v1/audit?entity=unit&via=x", status: 400, code: "invalid"},
			{name: "auditor filters the audit log", user: "auditor", method: "GET",
				path: "/api/v1/audit?actor=reporter&action=unit.contact&from=2000-01-01&to=" + time.Now().In(domain.ChinaTime).Format(time.DateOnly), status: 200,
				check: func(t *testing.T, res apiResult) {
					var list struct {
						Items []map[string]any `json:"items"`
						Total int              `json:"total"`
					}
					if err := json.Unmarshal(res.body, &list); err != nil || list.Total != 1 || len(list.Items) != 1 {
						t.Fatalf("audit list %v: %s", err, res.body)
					}
					e := list.Items[0]
					hasKeys(t, "audit event", e, "seq", "at", "actor_id", "actor_name", "via", "ip", "action", "entity",
						"entity_id", "before", "after", "reason", "prev_hash", "hash")
					before, _ := e["before"].(map[string]any)
					after, _ := e["after"].(map[string]any)
					if e["via"] != "api" || e["entity_id"] != id(a.ID) || before == nil || after == nil || after["contact_person"] != "张三" {
						t.Errorf("audit event %v", e)
					}
				}},
			{name: "audit log with a bad date", user: "auditor", method: "GET", path: "/api/v1/audit?from=yesterday", status: 400, code: "invalid"},
			{name: "auditor verifies the chain", user: "auditor", method: "GET", path: "/api/v1/audit/verify", status: 200,
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					if m["ok"] != true || m["checked"].(float64) < 10 || m["broken_seq"] != nil {
						t.Errorf("verify = %v", m)
					}
				}},
			{name: "admin verifies the chain", user: "admin", method: "GET", path: "/api/v1/audit/verify", status: 403, code: "forbidden"},

			{name: "cross-site write", user: "admin", method: "POST", path: "/api/v1/units",
				body: `{"code":"369905","name":"跨站园区","kind":"park"}`, header: map[string]string{"Sec-Fetch-Site": "cross-site"},
				status: 403, code: "forbidden"},
			{name: "write from a foreign origin", user: "admin", method: "POST", path: "/api/v1/units",
				body: `{"code":"369905","name":"跨站园区","kind":"park"}`, header: map[string]string{"Origin": "https://evil.example"},
				status: 403, code: "forbidden"},
		})

		if createdUnit == "" {
			t.Fatal("no unit was created")
		}
		res := f.apiCall(nil, "Bearer "+f.apiToken("leader"), "GET", createdUnit, "", nil)
		if res.status != 200 || res.object(t)["name"] != "丙工业园" {
			t.Errorf("GET %s: %d %s", createdUnit, res.status, res.body)
		}
	})
}

func TestAPITokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		var secret string
		var tokenID string
		f.run(t, []apiScenario{
			{name: "create a token", user: "reporter", method: "POST", path: "/api/v1/tokens", body: `{"name":"数据对接"}`,
				status: 201, audit: "token.create",
				check: func(t *testing.T, res apiResult) {
					m := res.object(t)
					hasKeys(t, "new token", m, "token", "id", "name", "prefix", "created_at", "last_used_at", "revoked_at")
					secret, tokenID = m["token"].(string), fmt.Sprint(m["id"])
					if !strings.HasPrefix(secret, auth.TokenPrefix) || m["prefix"] != secret[:10] || m["name"] != "数据对接" {
						t.Errorf("token %v", m)
					}
				}},
			{name: "token without a name", user: "reporter", method: "POST", path: "/api/v1/tokens", body: `{"name":" "}`,
				status: 422, code: "invalid", fields: []string{"name"}},
		})
		me := f.apiCall(nil, "Bearer "+secret, "GET", "/api/v1/me", "", nil)
		if me.status != 200 || me.object(t)["username"] != "reporter" {
			t.Fatalf("the new token does not work: %d %s", me.status, me.body)
		}
		f.run(t, []apiScenario{
			{name: "list own tokens", user: "reporter", method: "GET", path: "/api/v1/tokens", status: 200,
				check: func(t *testing.T, res apiResult) {
					var list struct {
						Items []map[string]any `json:"items"`
						Total int              `json:"total"`
					}
					if err := json.Unmarshal(res.body, &list); err != nil || list.Total != len(list.Items) || list.Total < 2 {
						t.Fatalf("tokens %v: %s", err, res.body)
					}
					if strings.Contains(string(res.body), secret) {
						t.Error("the list shows a secret")
					}
					for _, it := range list.Items {
						if fmt.Sprint(it["id"]) == tokenID && it["last_used_at"] == nil {
							t.Error("the used token has no last_used_at")
						}
					}
				}},
			{name: "another user revokes it", user: "reporter2", method: "DELETE", path: "/api/v1/tokens/" + tokenID, status: 404, code: "not_found"},
			{name: "bad token id", user: "reporter", method: "DELETE", path: "/api/v1/tokens/x", status: 400, code: "invalid"},
			{name: "owner revokes it", user: "reporter", method: "DELETE", path: "/api/v1/tokens/" + tokenID, status: 204, audit: "token.revoke"},
			{name: "revoked twice", user: "reporter", method: "DELETE", path: "/api/v1/tokens/" + tokenID, status: 404, code: "not_found"},
		})
		if res := f.apiCall(nil, "Bearer "+secret, "GET", "/api/v1/me", "", nil); res.status != 401 {
			t.Errorf("a revoked token still works: %d", res.status)
		}
	})
}

func TestAPIWithSessionCookie(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := f.login("reporter")
		if res := f.apiCall(c, "", "GET", "/api/v1/me", "", nil); res.status != 200 || res.object(t)["username"] != "reporter" {
			t.Fatalf("me with a session: %d %s", res.status, res.body)
		}
		path := "/api/v1/units/" + id(f.units["countyA"].ID) + "/contact"
		res := f.apiCall(c, "", "PUT", path, `{"contact_person":"王五","version":1}`, map[string]string{"Sec-Fetch-Site": "same-origin"})
		if res.status != 200 {
			t.Fatalf("same-origin write with a session: %d %s", res.status, res.body)
		}
		if e := newestAudit(t, st); e.Action != "unit.contact" || e.Via != "api" || e.ActorName != "reporter" {
			t.Errorf("audit event %s by %s via %s", e.Action, e.ActorName, e.Via)
		}
		res = f.apiCall(c, "", "PUT", path, `{"contact_person":"赵六","version":2}`, map[string]string{"Sec-Fetch-Site": "cross-site"})
		if res.status != 403 || res.apiError(t).Code != "forbidden" {
			t.Errorf("cross-site write with a session: %d %s", res.status, res.body)
		}
	})
}
