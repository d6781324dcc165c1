package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/store"
)

// publishFixtureBulletin publishes October's whole-city bulletin as the coordinator
// sees it and returns the version's page path.
func publishFixtureBulletin(t *testing.T, f *fixture) string {
	t.Helper()
	coord := f.login("coordinator")
	_, body := f.get(coord, "/bulletin?year=2026&month=10")
	m := hashField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no publish form for the coordinator")
	}
	res := f.post(coord, "/bulletins", url.Values{"year": {"2026"}, "month": {"10"}, "scope": {"all"}, "after": {"0"}, "hash": {m[1]}})
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/bulletins/") {
		t.Fatalf("publish: %d %s", res.StatusCode, loc)
	}
	return loc
}

// Without a browser the server offers no PDF anywhere, and the PDF routes say why in
// Chinese with 503, before computing anything.
func TestBulletinPDFWithoutBrowser(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st) // PDF export off
		seedBulletin(t, f)
		version := publishFixtureBulletin(t, f)
		leader := f.login("leader")
		for _, page := range []string{"/bulletin?year=2026&month=10", "/bulletin/print?year=2026&month=10", version, version + "/print"} {
			res, body := f.get(leader, page)
			if res.StatusCode != http.StatusOK || strings.Contains(body, ".pdf") || strings.Contains(body, "PDF") {
				t.Errorf("%s: %d, offers a PDF without a browser:\n%s", page, res.StatusCode, body)
			}
		}
		// The page's other links keep the period chosen (the query is not escaped whole).
		if _, body := f.get(leader, "/bulletin?year=2026&month=9&scope=county"); !strings.Contains(body, `href="/bulletin/export.xlsx?year=2026&amp;month=9&amp;scope=county"`) {
			t.Errorf("the export link lost the period:\n%s", body)
		}
		for _, path := range []string{"/bulletin.pdf?year=2026&month=10", version + "/bulletin.pdf"} {
			res, body := f.get(leader, path)
			if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "本服务器未配置 Chromium 浏览器，暂不能生成 PDF") ||
				res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Errorf("%s: %d %s\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), body)
			}
		}
		// The API says the same in its JSON, code unavailable.
		token := "Bearer " + f.apiToken("leader")
		for _, path := range []string{"/api/v1/bulletin.pdf?year=2026&month=10", "/api/v1" + version + "/bulletin.pdf"} {
			got := f.apiCall(nil, token, "GET", path, "", nil)
			if got.status != http.StatusServiceUnavailable || !strings.Contains(string(got.body), `"code":"unavailable"`) ||
				!strings.Contains(string(got.body), "未配置 Chromium") {
				t.Errorf("%s: %d %s", path, got.status, got.body)
			}
		}
		if got := f.apiCall(nil, "Bearer "+f.apiToken("auditor"), "GET", "/api/v1/bulletin.pdf?year=2026&month=10", "", nil); got.status != http.StatusForbidden {
			t.Errorf("auditor via the API: %d", got.status)
		}
		// The auditor reads no bulletin, PDF or not.
		if res, _ := f.get(f.login("auditor"), "/bulletin.pdf?year=2026&month=10"); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor: %d", res.StatusCode)
		}
	})
}
