package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"beizeng/internal/store"
)

func TestReportDeadlineSetting(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	coord := f.login("coordinator")
	if _, body := f.get(coord, "/reports?year=2026&month=10"); !strings.Contains(body, `name="deadline_day" value="5"`) || !strings.Contains(body, "2026-11-05") {
		t.Fatal("overview lacks the default deadline")
	}
	if res := f.post(coord, "/reports/settings?year=2026&month=10", url.Values{"deadline_day": {"31"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bad day: %d", res.StatusCode)
	}
	if v, _ := f.st.Setting(context.Background(), store.SettingReportDeadlineDay); v != "" {
		t.Fatalf("a bad day was stored: %q", v)
	}
	if res := f.post(coord, "/reports/settings?year=2026&month=10", url.Values{"deadline_day": {"10"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set day: %d", res.StatusCode)
	}
	if _, body := f.get(coord, "/reports?year=2026&month=10"); !strings.Contains(body, "2026-11-10") || !strings.Contains(body, "次月10日") {
		t.Fatal("new deadline not shown")
	}
	if res := f.post(f.login("leader"), "/reports/settings", url.Values{"deadline_day": {"3"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("leader changed the deadline: %d", res.StatusCode)
	}
}
