package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPhasedTargets(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ind := seedProgress(t, f) // 甲区 629.0 of 647.4 by October
	coord := f.login("coordinator")
	if res, body := f.get(coord, "/targets/phases?year=2026"); res.StatusCode != 200 || !strings.Contains(body, "工业营业收入") {
		t.Fatalf("phases page: %d", res.StatusCode)
	}
	form := url.Values{"year": {"2026"}}
	for m, v := range map[int]string{3: "20", 6: "45", 9: "abc", 12: "100"} {
		form.Set(fmt.Sprintf("p_%d_%d", ind.ID, m), v)
	}
	res, body := f.postBody(coord, "/targets/phases", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "9月：不是有效的数字") || !strings.Contains(body, `value="abc"`) {
		t.Fatalf("bad cell: %d", res.StatusCode)
	}
	form.Set(fmt.Sprintf("p_%d_9", ind.ID), "70%")
	if res := f.post(coord, "/targets/phases", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save phases: %d", res.StatusCode)
	}
	// October is interpolated between 70% (September) and 100% (December): 80%. 97.2% done
	// is then 17.2 points ahead instead of 13.8.
	_, body = f.get(f.login("leader"), "/progress?year=2026&month=10")
	if !strings.Contains(body, "应完成全年目标的 80.0%") || !strings.Contains(body, "&#43;17.2") {
		t.Error("progress does not follow the phased schedule")
	}
	if res := f.post(f.login("leader"), "/targets/phases", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("leader saved phases: %d", res.StatusCode)
	}

	// The API reads and replaces the same schedules.
	coordAPI := "Bearer " + f.apiToken("coordinator")
	if res := f.apiCall(nil, coordAPI, "GET", "/api/v1/phases?year=2026", "", nil); res.status != 200 || !strings.Contains(string(res.body), `"month":9,"share_pct":70`) {
		t.Fatalf("api phases: %d %s", res.status, res.body)
	}
	bad := fmt.Sprintf(`{"year":2026,"phases":[{"indicator_id":%d,"month":3,"share_pct":50},{"indicator_id":%d,"month":6,"share_pct":40}]}`, ind.ID, ind.ID)
	if res := f.apiCall(nil, coordAPI, "PUT", "/api/v1/phases", bad, nil); res.status != http.StatusUnprocessableEntity {
		t.Fatalf("falling schedule: %d", res.status)
	}
	clear := fmt.Sprintf(`{"year":2026,"clear":[%d]}`, ind.ID)
	if res := f.apiCall(nil, coordAPI, "PUT", "/api/v1/phases", clear, nil); res.status != http.StatusNoContent {
		t.Fatalf("clear: %d %s", res.status, res.body)
	}
	if _, body := f.get(f.login("leader"), "/progress?year=2026&month=10"); strings.Contains(body, "应完成全年目标") {
		t.Error("cleared schedule still used")
	}
}
