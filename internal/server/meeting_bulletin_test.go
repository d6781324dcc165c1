package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/store"
)

// publishOctober publishes the seeded October bulletin for all units through the page,
// as a coordinator does, and returns its id.
func (f *fixture) publishOctober(coord *http.Client) int64 {
	f.t.Helper()
	_, body := f.get(coord, "/bulletin?year=2026&month=10")
	m := hashField.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatal("no publish form")
	}
	res := f.post(coord, "/bulletins", url.Values{"year": {"2026"}, "month": {"10"}, "scope": {"all"}, "after": {"0"}, "hash": {m[1]}})
	var bid int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/bulletins/%d", &bid); res.StatusCode != http.StatusSeeOther || err != nil {
		f.t.Fatalf("publish: %d %v", res.StatusCode, err)
	}
	return bid
}

// TestMeetingBulletinWeb links a meeting to the bulletin it discussed on the form: an id
// that was never published comes back as a field error with the input kept and nothing
// saved; the meeting, its minutes and the bulletin show the link both ways.
func TestMeetingBulletinWeb(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedBulletin(t, f)
		coord := f.login("coordinator")
		bid := f.publishOctober(coord)
		label := "2026年10月 第1期 第1版（全部考核单位）"

		_, body := f.get(coord, "/meetings/new")
		if !strings.Contains(body, `<select id="bulletin_id" name="bulletin_id">`) || !strings.Contains(body, "（未关联）") ||
			!strings.Contains(body, fmt.Sprintf(`<option value="%d">%s</option>`, bid, label)) {
			t.Fatalf("the form offers no bulletin:\n%s", body)
		}
		meeting := url.Values{"title": {"10月调度会"}, "held_on": {"2026-11-05"}, "kind": {"monthly"}, "year": {"2026"}, "month": {"10"},
			"bulletin_id": {id(bid + 100)}}
		before := auditSeq(newestAudit(t, st))
		res, body := f.postBody(coord, "/meetings", meeting)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "的调度通报不存在") ||
			!strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, bid+100)) || !strings.Contains(body, "10月调度会") {
			t.Fatalf("unknown bulletin: %d\n%s", res.StatusCode, body)
		}
		if res, body := f.postBody(coord, "/meetings", withValue(meeting, "bulletin_id", "abc")); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "调度通报应为整数") {
			t.Fatalf("non-numeric bulletin: %d", res.StatusCode)
		}
		if auditSeq(newestAudit(t, st)) != before {
			t.Fatal("a refused meeting changed something")
		}

		meeting.Set("bulletin_id", id(bid))
		res = f.post(coord, "/meetings", meeting)
		path := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		link := fmt.Sprintf(`<a href="/bulletins/%d">%s</a>`, bid, label)
		for _, p := range []string{path, path + "/minutes"} {
			if _, body := f.get(f.login("reporter"), p); !strings.Contains(body, link) {
				t.Errorf("%s lacks the bulletin link", p)
			}
		}
		if _, body := f.get(f.login("leader"), fmt.Sprintf("/bulletins/%d", bid)); !strings.Contains(body, `<a href="`+path+`">10月调度会</a>`) {
			t.Error("the bulletin does not list its meeting")
		}

		// The edit form shows the link; a stale version is a conflict; unlinking works.
		if _, body := f.get(coord, path+"/edit"); !strings.Contains(body, fmt.Sprintf(`<option value="%d" selected>`, bid)) {
			t.Fatal("the edit form does not select the linked bulletin")
		}
		if res := f.post(coord, path, withValue(withValue(meeting, "bulletin_id", ""), "version", "1")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlink: %d", res.StatusCode)
		}
		if res := f.post(coord, path, withValue(meeting, "version", "1")); res.StatusCode != http.StatusConflict {
			t.Fatalf("stale link: %d", res.StatusCode)
		}
		if _, body := f.get(coord, path); strings.Contains(body, link) || !strings.Contains(body, "未关联") {
			t.Error("the meeting still shows the bulletin after unlinking")
		}
		if res := f.post(f.login("reporter"), path, withValue(meeting, "version", "2")); res.StatusCode != http.StatusForbidden {
			t.Errorf("a reporter links a bulletin: %d", res.StatusCode)
		}
	})
}

// withValue is a copy of v with key set to value.
func withValue(v url.Values, key, value string) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = vs
	}
	c.Set(key, value)
	return c
}

// TestMeetingBulletinAPI sets, refuses and clears bulletin_id through the API.
func TestMeetingBulletinAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedBulletin(t, f)
		bid := f.publishOctober(f.login("coordinator"))
		coord := "Bearer " + f.apiToken("coordinator")
		const base = `"title":"10月调度会","held_on":"2026-11-05","kind":"monthly","year":2026,"month":10`

		before := auditSeq(newestAudit(t, st))
		r := f.apiCall(nil, coord, "POST", "/api/v1/meetings", fmt.Sprintf(`{%s,"bulletin_id":%d}`, base, bid+100), nil)
		if e := r.apiError(t); r.status != 422 || !strings.Contains(e.Fields["bulletin_id"], "不存在") {
			t.Fatalf("unknown bulletin: %d %+v", r.status, e)
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/meetings", fmt.Sprintf(`{%s,"bulletin_id":0}`, base), nil)
		if e := r.apiError(t); r.status != 422 || e.Fields["bulletin_id"] == "" {
			t.Fatalf("zero bulletin: %d %+v", r.status, e)
		}
		if r := f.apiCall(nil, coord, "POST", "/api/v1/meetings", fmt.Sprintf(`{%s,"bulletin_id":"1"}`, base), nil); r.status != 400 {
			t.Fatalf("string bulletin: %d", r.status)
		}
		if auditSeq(newestAudit(t, st)) != before {
			t.Fatal("a refused call changed something")
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/meetings", fmt.Sprintf(`{%s,"bulletin_id":%d}`, base, bid), nil)
		m := r.object(t)
		if r.status != 201 || m["bulletin_id"] != float64(bid) {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		path := fmt.Sprintf("/api/v1/meetings/%d", int64(m["id"].(float64)))
		// Leaving it out keeps it; null clears it.
		if r := f.apiCall(nil, coord, "PUT", path, `{"title":"10月工业倍增调度会","version":1}`, nil); r.status != 200 || r.object(t)["bulletin_id"] != float64(bid) {
			t.Fatalf("omitted bulletin_id: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", path, fmt.Sprintf(`{"bulletin_id":%d,"version":2}`, bid+100), nil); r.status != 422 {
			t.Fatalf("unknown bulletin on update: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", path, `{"bulletin_id":null,"version":2}`, nil); r.status != 200 || r.object(t)["bulletin_id"] != nil {
			t.Fatalf("unlink: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, "Bearer "+f.apiToken("reporter"), "PUT", path, fmt.Sprintf(`{"bulletin_id":%d,"version":3}`, bid), nil); r.status != 403 {
			t.Fatalf("reporter links: %d", r.status)
		}
	})
}
