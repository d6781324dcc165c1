package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

func TestCalendarPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		// March 2026: the home page asks for this year's calendar only.
		st.Now = func() time.Time { return time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) }
		f := newFixture(t, st)
		coord, reporter := f.login("coordinator"), f.login("reporter")

		// Not loaded: the coordinator's home page and the calendar page say so.
		if _, body := f.get(coord, "/"); !strings.Contains(body, "2026年的节假日安排尚未载入") {
			t.Fatal("no warning on the coordinator's home page")
		}
		res, body := f.get(reporter, "/calendar?year=2026")
		if res.StatusCode != 200 || !strings.Contains(body, "2026年的节假日安排尚未载入") || strings.Contains(body, "载入国家法定节假日</button>") {
			t.Fatalf("reporter, not loaded: %d", res.StatusCode)
		}
		// A reporter cannot change the calendar, by any route.
		for _, path := range []string{"/calendar/national", "/calendar/days", "/calendar/days/remove", "/calendar/service-day-rule"} {
			if res := f.post(reporter, path, url.Values{"year": {"2026"}, "version": {"0"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("reporter POST %s: %d", path, res.StatusCode)
			}
		}
		if res, _ := f.upload(reporter, "/calendar/import", map[string]string{"year": "2026", "version": "0"}, "a.xlsx", []byte("x")); res.StatusCode != http.StatusForbidden {
			t.Errorf("reporter import: %d", res.StatusCode)
		}

		// One click loads the national schedule.
		if res := f.post(coord, "/calendar/national", url.Values{"year": {"2026"}, "version": {"0"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("load national: %d", res.StatusCode)
		}
		if _, body := f.get(coord, "/"); strings.Contains(body, "2026年的节假日安排尚未载入") {
			t.Fatal("the home page still warns about 2026")
		}
		res, body = f.get(coord, "/calendar?year=2026")
		if res.StatusCode != 200 || strings.Contains(body, "尚未载入") || !strings.Contains(body, `title="春节 · 放假"`) ||
			!strings.Contains(body, "<td>2026-04-07</td><td>周二</td><td>6日逢清明节</td>") {
			t.Fatalf("loaded page: %d\n%s", res.StatusCode, body)
		}
		// The same click from the stale page is a conflict, not a second load.
		res, body = f.postBody(coord, "/calendar/national", url.Values{"year": {"2026"}, "version": {"0"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "该记录已被他人修改") {
			t.Fatalf("stale load: %d", res.StatusCode)
		}
		// A year beizeng does not ship is refused with the way forward.
		if _, body := f.postBody(coord, "/calendar/national", url.Values{"year": {"2031"}, "version": {"0"}}); !strings.Contains(body, "系统未内置2031年") {
			t.Fatal("2031 national schedule")
		}

		// Add a day: a bad one keeps the input and names the field; a good one is audited.
		res, body = f.postBody(coord, "/calendar/days", url.Values{"year": {"2026"}, "version": {"1"}, "date": {"2026-03-16"}, "kind": {"workday"}, "name": {"市庆"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "调休上班日应是周六或周日") || !strings.Contains(body, `value="市庆"`) {
			t.Fatalf("bad day: %d", res.StatusCode)
		}
		if res := f.post(coord, "/calendar/days", url.Values{"year": {"2026"}, "version": {"1"}, "date": {"2026-03-16"}, "kind": {"holiday"}, "name": {"市庆"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add day: %d", res.StatusCode)
		}
		if res := f.post(coord, "/calendar/days/remove", url.Values{"year": {"2026"}, "version": {"1"}, "date": {"2026-03-16"}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("remove with a stale version: %d", res.StatusCode)
		}
		if res := f.post(coord, "/calendar/days/remove", url.Values{"year": {"2026"}, "version": {"2"}, "date": {"2026-03-16"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", res.StatusCode)
		}
		if n := countAudit(t, st, "calendar.day.set") + countAudit(t, st, "calendar.day.remove") + countAudit(t, st, "calendar.replace"); n != 3 {
			t.Fatalf("calendar audit events: %d", n)
		}

		// The service-day rule: a bad value names the field; a good one moves the days.
		res, body = f.postBody(coord, "/calendar/service-day-rule", url.Values{"year": {"2026"}, "day_of_month": {"30"}, "roll": {"next"}, "remind_days": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "1至28") || !strings.Contains(body, `value="30"`) {
			t.Fatalf("bad rule: %d", res.StatusCode)
		}
		if res := f.post(coord, "/calendar/service-day-rule", url.Values{"year": {"2026"}, "day_of_month": {"6"}, "roll": {"previous"}, "remind_days": {"2"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rule: %d", res.StatusCode)
		}
		if _, body := f.get(coord, "/calendar?year=2026"); !strings.Contains(body, "<td>2026-04-03</td><td>周五</td><td>6日逢清明节</td>") {
			t.Fatal("the rule rolled back is not shown")
		}
		// A bad year in the query shows this year, saying so.
		if res, body := f.get(coord, "/calendar?year=abc"); res.StatusCode != 200 || !strings.Contains(body, "年份“abc”无效") {
			t.Fatalf("bad year: %d", res.StatusCode)
		}
	})
}

func TestCalendarImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		coord := f.login("coordinator")
		x := f.download(coord, "/calendar/template.xlsx?year=2025")
		// A bad row among good ones: nothing is saved, the row and column are named.
		data := edit(t, x, xlsx.CalendarSheet, map[string]any{
			"A3": "2025-01-01", "B3": "放假", "C3": "元旦",
			"A4": "2025-01-26", "B4": "调休上班", "C4": "春节",
			"A5": "2025-01-27", "B5": "调休上班", "C5": "春节", // a Monday
		})
		res, body := f.upload(coord, "/calendar/import", map[string]string{"year": "2025", "version": "0"}, "2025.xlsx", data)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "第5行") || !strings.Contains(body, "B列（类型）") ||
			!strings.Contains(body, "调休上班日应是周六或周日") {
			t.Fatalf("bad row: %d\n%s", res.StatusCode, body)
		}
		if cy, _ := st.FindCalendarYear(ctx, 2025); cy.Loaded || countAudit(t, st, "calendar.replace") != 0 {
			t.Fatal("a refused import changed the calendar")
		}
		// The annotated copy is offered.
		i := strings.Index(body, "/calendar/import/errors/")
		if i < 0 {
			t.Fatal("no annotated file offered")
		}
		tok := body[i : i+strings.IndexByte(body[i:], '"')]
		f.download(coord, tok)

		// Corrected, it loads, and the export carries the days.
		data = edit(t, x, xlsx.CalendarSheet, map[string]any{"A5": "2025-02-08", "B5": "调休上班", "C5": "春节"})
		if res, body := f.upload(coord, "/calendar/import", map[string]string{"year": "2025", "version": "0"}, "2025.xlsx", data); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("good import: %d\n%s", res.StatusCode, body)
		}
		cy, _ := st.FindCalendarYear(ctx, 2025)
		if !cy.Loaded || len(cy.Days) != 3 {
			t.Fatalf("imported: %+v", cy)
		}
		exp := f.download(coord, "/calendar/export.xlsx?year=2025")
		if v, _ := exp.GetCellValue(xlsx.CalendarSheet, "A5"); v != "2025-02-08" {
			t.Fatalf("export A5 = %q", v)
		}
		// Garbage is refused as a whole file.
		if res, body := f.upload(coord, "/calendar/import", map[string]string{"year": "2025", "version": "1"}, "x.xlsx", []byte("hello")); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不是有效的 Excel") {
			t.Fatalf("garbage: %d", res.StatusCode)
		}
	})
}

func TestCalendarAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		coord, rep := "Bearer "+f.apiToken("coordinator"), "Bearer "+f.apiToken("reporter")
		r := f.apiCall(nil, rep, "GET", "/api/v1/calendar/2026", "", nil)
		obj := r.object(t)
		if r.status != 200 || obj["loaded"] != false || len(obj["service_days"].([]any)) != 12 {
			t.Fatalf("get: %d %s", r.status, r.body)
		}
		body := `{"version":0,"days":[{"date":"2026-02-15","kind":"holiday","name":"春节"},{"date":"2026-02-14","kind":"workday","name":"春节"}]}`
		if r := f.apiCall(nil, rep, "PUT", "/api/v1/calendar/2026", body, nil); r.status != http.StatusForbidden {
			t.Fatalf("reporter put: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/calendar/2026", body, nil); r.status != http.StatusNoContent {
			t.Fatalf("put: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", "/api/v1/calendar/2026", body, nil); r.status != http.StatusConflict {
			t.Fatalf("stale put: %d %s", r.status, r.body)
		}
		for _, bad := range []string{
			`{"days":[]}`, // no version
			`{"version":1,"days":[{"date":"2026-2-30","kind":"holiday","name":"春节"}]}`,
			`{"version":1,"days":[{"date":"2026-02-13","kind":"workday","name":"春节"}]}`,
			`{"version":1,"days":[],"extra":1}`,
		} {
			r := f.apiCall(nil, coord, "PUT", "/api/v1/calendar/2026", bad, nil)
			if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
				t.Errorf("%s: %d", bad, r.status)
			}
			r.apiError(t)
		}
		r = f.apiCall(nil, rep, "GET", "/api/v1/calendar/2026", "", nil)
		obj = r.object(t)
		if obj["loaded"] != true || obj["version"].(float64) != 1 || len(obj["days"].([]any)) != 2 {
			t.Fatalf("after put: %s", r.body)
		}
		if r := f.apiCall(nil, rep, "GET", "/api/v1/calendar/1999", "", nil); r.status != http.StatusNotFound {
			t.Fatalf("1999: %d", r.status)
		}
		if r := f.apiCall(nil, rep, "GET", "/api/v1/calendar/2026?x=1", "", nil); r.status != http.StatusBadRequest {
			t.Fatalf("unknown query: %d", r.status)
		}
	})
}

func TestInbox(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sys := domain.Actor{Via: "test"}
		for i := range 3 {
			if _, err := st.Notify(ctx, sys, &domain.Notification{UserID: f.users["leader"].ID, Kind: "test",
				Title: fmt.Sprintf("通知%d", i), Body: "内容", Link: "/calendar?year=2026"}); err != nil {
				t.Fatal(err)
			}
		}
		leader, coord := f.login("leader"), f.login("coordinator")
		_, body := f.get(leader, "/")
		if !strings.Contains(body, `id="unread-badge">3</span>`) {
			t.Fatal("no badge of 3 on the home page")
		}
		if _, body := f.get(coord, "/"); strings.Contains(body, "unread-badge") {
			t.Fatal("the coordinator has a badge")
		}
		list, _, _ := st.FindNotifications(ctx, f.users["leader"].ID, domain.NotificationFilter{})
		// Another user cannot read (or even find) the leader's message.
		if res := f.post(coord, fmt.Sprintf("/inbox/%d/read", list[0].ID), nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("coordinator marking the leader's: %d", res.StatusCode)
		}
		if r := f.apiCall(nil, "Bearer "+f.apiToken("coordinator"), "POST", fmt.Sprintf("/api/v1/notifications/%d/read", list[0].ID), "", nil); r.status != http.StatusNotFound {
			t.Fatalf("API, another's: %d", r.status)
		}
		// Following a message marks it read and goes to its link.
		res := f.post(leader, fmt.Sprintf("/inbox/%d/read", list[0].ID), url.Values{"follow": {"1"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar?year=2026" {
			t.Fatalf("follow: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		tok := "Bearer " + f.apiToken("leader")
		r := f.apiCall(nil, tok, "GET", "/api/v1/notifications?unread=true", "", nil)
		if obj := r.object(t); r.status != 200 || obj["total"].(float64) != 2 {
			t.Fatalf("API unread: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, tok, "GET", "/api/v1/notifications?unread=maybe", "", nil); r.status != http.StatusBadRequest {
			t.Fatalf("bad unread: %d", r.status)
		}
		if r := f.apiCall(nil, tok, "POST", fmt.Sprintf("/api/v1/notifications/%d/read", list[1].ID), "", nil); r.status != 200 || r.object(t)["read_at"] == nil {
			t.Fatalf("API read: %d %s", r.status, r.body)
		}
		if res := f.post(leader, "/inbox/read-all", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("read all: %d", res.StatusCode)
		}
		if _, body := f.get(leader, "/inbox"); strings.Contains(body, "unread-badge") || !strings.Contains(body, "通知2") {
			t.Fatal("badge after reading everything, or the list is missing")
		}
		if n := countAudit(t, st, "notification.read") + countAudit(t, st, "notification.read_all"); n != 3 {
			t.Fatalf("read events: %d", n)
		}
	})
}

// TestServiceDayReminderReachesTheInbox runs the server's jobs at a controlled time: the
// leader finds the reminder in the inbox.
func TestServiceDayReminderReachesTheInbox(t *testing.T) {
	st := sqliteStore(t)
	f := newFixture(t, st)
	days, _ := domain.NationalCalendar(2026)
	if err := st.SaveCalendarYear(context.Background(), domain.Actor{Via: "test"}, 2026, 0, days, ""); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 4, 3, 1, 0, 0, 0, time.UTC) } // Friday 09:00 in China
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.srv.RunJobs(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if n, _ := st.UnreadNotifications(context.Background(), f.users["leader"].ID); n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no reminder within 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	st.Now = time.Now
	if _, body := f.get(f.login("leader"), "/inbox"); !strings.Contains(body, "4月7日为企业服务日") {
		t.Fatal("the reminder is not in the inbox")
	}
}
