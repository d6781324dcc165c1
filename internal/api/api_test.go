package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// documentedOperations scans openapi.yaml for "METHOD /path" pairs. A line scan is
// enough for the document's fixed layout (paths at two spaces, methods at four) and
// spares the module a YAML dependency.
func documentedOperations(t *testing.T) []string {
	t.Helper()
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true}
	var ops []string
	inPaths, path := false, ""
	sc := bufio.NewScanner(bytes.NewReader(openAPIDoc))
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		key, _, isKey := strings.Cut(strings.TrimSpace(line), ":")
		switch {
		case indent == 0:
			inPaths = line == "paths:"
		case !inPaths || !isKey:
		case indent == 2:
			path = key
			if !strings.HasPrefix(path, "/") {
				t.Fatalf("openapi.yaml: path key %q does not start with /", path)
			}
		case indent == 4 && methods[key]:
			ops = append(ops, strings.ToUpper(key)+" "+path)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ops) == 0 {
		t.Fatal("openapi.yaml documents no operations")
	}
	return ops
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	documented := documentedOperations(t)
	var routed []string
	for _, rt := range New(Deps{}).Routes() {
		if !rt.API {
			t.Errorf("%s: API is false", rt.Key())
		}
		if !strings.HasPrefix(rt.Pattern, Prefix+"/") {
			t.Errorf("%s: pattern outside %s", rt.Key(), Prefix)
		}
		if rt.Handler == nil || rt.Action == "" {
			t.Errorf("%s: no handler or no action", rt.Key())
		}
		routed = append(routed, rt.Key())
		if !slices.Contains(documented, rt.Key()) {
			t.Errorf("route %s is not documented in openapi.yaml", rt.Key())
		}
	}
	for _, op := range documented {
		if !slices.Contains(routed, op) {
			t.Errorf("openapi.yaml documents %s, which has no route", op)
		}
	}
	if n := len(slices.Compact(slices.Sorted(slices.Values(documented)))); n != len(documented) {
		t.Errorf("openapi.yaml documents an operation twice")
	}
}

func TestOpenAPIServed(t *testing.T) {
	w := httptest.NewRecorder()
	New(Deps{}).openAPI(w, httptest.NewRequest("GET", "/api/v1/openapi.yaml", nil))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/yaml" {
		t.Fatalf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if !strings.HasPrefix(w.Body.String(), "openapi: 3.1") {
		t.Errorf("body does not start with the OpenAPI version: %.40q", w.Body.String())
	}
}

func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		domain.EINVALID:      422,
		domain.ENOTFOUND:     404,
		domain.ECONFLICT:     409,
		domain.EFORBIDDEN:    403,
		domain.EUNAUTHORIZED: 401,
		domain.ELOCKED:       423,
		domain.ETHROTTLED:    429,
		domain.EINTERNAL:     500,
		"something-new":      500,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}

// errorOf decodes the API error shape, failing on anything else.
func errorOf(t *testing.T, body []byte) errorDetail {
	t.Helper()
	var e struct {
		Error *errorDetail `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil {
		t.Fatalf("body is not an API error: %v: %s", err, body)
	}
	return *e.Error
}

func TestWriteError(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	tests := []struct {
		name       string
		err        error
		status     int
		code       string
		message    string
		fields     map[string]string
		authHeader string
		logs       bool
	}{
		{name: "invalid with fields", err: domain.Problems{"name": "请填写名称。"}.Err(), status: 422, code: "invalid",
			message: "提交的内容有误，请按提示修改。", fields: map[string]string{"name": "请填写名称。"}},
		{name: "not found", err: domain.ErrNotFound("单位"), status: 404, code: "not_found", message: "未找到该单位。"},
		{name: "wrapped conflict", err: fmt.Errorf("update: %w", domain.ErrConflict("单位")), status: 409, code: "conflict",
			message: "该单位已被他人修改，请刷新后重试。"},
		{name: "forbidden", err: domain.ErrForbidden, status: 403, code: "forbidden", message: domain.ErrForbidden.Message},
		{name: "unauthorized", err: domain.Errorf(domain.EUNAUTHORIZED, "请先登录。"), status: 401, code: "unauthorized",
			message: "请先登录。", authHeader: "Bearer"},
		{name: "locked", err: domain.Errorf(domain.ELOCKED, "已锁定。"), status: 423, code: "locked", message: "已锁定。"},
		{name: "throttled", err: domain.Errorf(domain.ETHROTTLED, "稍后再试。"), status: 429, code: "throttled", message: "稍后再试。"},
		{name: "internal hides its cause", err: errors.New("pq: secret table broke"), status: 500, code: "internal",
			message: domain.ErrorMessage(errors.New("")), logs: true},
		{name: "bad request", err: badRequest("未知字段 %q", "x"), status: 400, code: "invalid", message: `未知字段 "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logged.Reset()
			w := httptest.NewRecorder()
			WriteError(w, httptest.NewRequest("GET", "/api/v1/units", nil), log, tt.err)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tt.authHeader {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.authHeader)
			}
			e := errorOf(t, w.Body.Bytes())
			if e.Code != tt.code || e.Message != tt.message {
				t.Errorf("got %q %q, want %q %q", e.Code, e.Message, tt.code, tt.message)
			}
			if !maps.Equal(e.Fields, tt.fields) {
				t.Errorf("fields %v, want %v", e.Fields, tt.fields)
			}
			if strings.Contains(w.Body.String(), "secret table") {
				t.Error("the internal cause leaked into the response")
			}
			if tt.logs != strings.Contains(logged.String(), "secret table broke") {
				t.Errorf("logged %q; want the cause logged: %v", logged.String(), tt.logs)
			}
		})
	}
}

type sample struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int    // 0: decodes
		message     string // a part of the message
		field       string // a field the error names
	}{
		{name: "valid", body: `{"name":"a","count":2,"tags":["x"]}`},
		{name: "charset parameter", contentType: "application/json; charset=utf-8", body: `{"name":"a"}`},
		{name: "surrounding whitespace", body: " \n{\"name\":\"a\"}\n "},
		{name: "no content type", contentType: "-", body: `{}`, status: 415, message: "Content-Type"},
		{name: "form content type", contentType: "application/x-www-form-urlencoded", body: `name=a`, status: 415, message: "application/json"},
		{name: "empty", body: ``, status: 400, message: "请求体为空"},
		{name: "truncated", body: `{"name":"a"`, status: 400, message: "请求体不是有效的 JSON：内容不完整"},
		{name: "syntax", body: `{"name":}`, status: 400, message: "请求体不是有效的 JSON：第 9 字节"},
		{name: "single quotes", body: `{'name':'a'}`, status: 400, message: "请求体不是有效的 JSON"},
		{name: "unknown field", body: `{"name":"a","nmae":"b"}`, status: 400, message: `未知字段 "nmae"`},
		{name: "wrong type", body: `{"count":"2"}`, status: 400, message: `字段 "count" 的类型不对：应为整数`, field: "count"},
		{name: "wrong element type", body: `{"tags":[1]}`, status: 400, message: "应为字符串", field: "tags"},
		{name: "fractional int", body: `{"count":1.5}`, status: 400, message: "应为整数", field: "count"},
		{name: "array instead of object", body: `[1,2]`, status: 400, message: "应为一个 JSON 对象"},
		{name: "two values", body: `{"name":"a"}{"name":"b"}`, status: 400, message: "只能包含一个 JSON 值"},
		{name: "trailing garbage", body: `{"name":"a"} x`, status: 400, message: "只能包含一个 JSON 值"},
		{name: "too large", body: `{"name":"` + strings.Repeat("a", maxBody) + `"}`, status: 413, message: "1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tt.body))
			switch tt.contentType {
			case "":
				r.Header.Set("Content-Type", "application/json")
			case "-":
			default:
				r.Header.Set("Content-Type", tt.contentType)
			}
			var dst sample
			err := decode(httptest.NewRecorder(), r, &dst)
			if tt.status == 0 {
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("decoded %+v, want an error", dst)
			}
			w := httptest.NewRecorder()
			WriteError(w, r, nil, err)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			e := errorOf(t, w.Body.Bytes())
			if e.Code != domain.EINVALID || !strings.Contains(e.Message, tt.message) {
				t.Errorf("got %s %q, want invalid containing %q", e.Code, e.Message, tt.message)
			}
			if tt.field != "" && e.Fields[tt.field] == "" {
				t.Errorf("fields %v do not name %q", e.Fields, tt.field)
			}
		})
	}
}

func TestOptionalFields(t *testing.T) {
	var in struct {
		ParentID optional[int64]  `json:"parent_id"`
		Name     optional[string] `json:"name"`
		Active   optional[bool]   `json:"active"`
	}
	r := httptest.NewRequest("PUT", "/api/v1/x", strings.NewReader(`{"parent_id":null,"name":"新区"}`))
	r.Header.Set("Content-Type", "application/json")
	if err := decode(httptest.NewRecorder(), r, &in); err != nil {
		t.Fatal(err)
	}
	if !in.ParentID.Set || !in.ParentID.Null {
		t.Errorf("parent_id null: %+v", in.ParentID)
	}
	if !in.Name.Set || in.Name.Null || in.Name.V != "新区" {
		t.Errorf("name: %+v", in.Name)
	}
	if in.Active.Set {
		t.Errorf("absent active is set: %+v", in.Active)
	}
	p := domain.Problems{}
	name, active := "旧区", true
	apply(p, "name", in.Name, &name)
	apply(p, "active", in.Active, &active)
	if name != "新区" || !active || len(p) != 0 {
		t.Errorf("apply: name %q active %v problems %v", name, active, p)
	}
	apply(p, "parent_id", in.ParentID, new(int64))
	if p["parent_id"] == "" {
		t.Error("null for a non-nullable field is not a problem")
	}
	if requireVersion(p, optional[int64]{}); p["version"] == "" {
		t.Error("a missing version is not a problem")
	}
}

func TestQueryParameters(t *testing.T) {
	tests := []struct {
		url     string
		message string // "" for valid
	}{
		{url: "/x?offset=10&limit=20"},
		{url: "/x"},
		{url: "/x?limit=0", message: "limit 应为 1 至 500"},
		{url: "/x?limit=501", message: "limit 应为 1 至 500"},
		{url: "/x?limit=ten", message: "limit"},
		{url: "/x?offset=-1", message: "offset 应为不小于 0 的整数"},
		{url: "/x?offset=1&offset=2", message: "只能出现一次"},
		{url: "/x?limt=5", message: `未知查询参数 "limt"`},
		{url: "/x?q=%zz", message: "查询字符串格式不正确"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			q, err := parseQuery(httptest.NewRequest("GET", tt.url, nil), "offset", "limit", "q")
			if err == nil {
				_, _, err = q.page()
			}
			if tt.message == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *requestError
			if !errors.As(err, &re) || re.status != http.StatusBadRequest {
				t.Fatalf("error %v is not a 400", err)
			}
			if !strings.Contains(domain.ErrorMessage(err), tt.message) {
				t.Errorf("message %q does not contain %q", domain.ErrorMessage(err), tt.message)
			}
		})
	}

	q, _ := parseQuery(httptest.NewRequest("GET", "/x?from=2025-03-01&to=2025-03-31&id=x&active=maybe", nil), "from", "to", "id", "active")
	from, err := q.instant("from", false)
	if err != nil || !from.Equal(time.Date(2025, 2, 28, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("from = %v, %v; want midnight China time", from, err)
	}
	to, err := q.instant("to", true)
	if err != nil || !to.Equal(time.Date(2025, 3, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("to = %v, %v; want the end of the day", to, err)
	}
	if _, err := q.id("id"); err == nil {
		t.Error("id=x accepted")
	}
	if _, err := q.boolean("active"); err == nil {
		t.Error("active=maybe accepted")
	}

	r := httptest.NewRequest("GET", "/api/v1/units/abc", nil)
	r.SetPathValue("id", "abc")
	if _, err := pathID(r); err == nil || !strings.Contains(domain.ErrorMessage(err), "id 应为正整数") {
		t.Errorf("path id abc: %v", err)
	}
}
