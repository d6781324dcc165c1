package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixtureProblems remembers the two problems of a fixture store: one of county A's
// enterprise led by the fixture's department D01, one of county B's led by another
// department (D02), so that handler and reporter scoping can be tried both ways.
var fixtureProblems sync.Map // projectKey → int64

// problemOf returns the problem of county B's enterprise when unitID is county B, and
// otherwise the one led by D01 for county A's enterprise, creating them the first time.
func (f *fixture) problemOf(unitID int64) int64 {
	f.t.Helper()
	key := projectKey{f.st, f.units["countyA"].ID}
	enterpriseUnit, lead := f.units["countyA"].ID, f.units["dept"].ID
	if unitID == f.units["countyB"].ID {
		key = projectKey{f.st, unitID}
		enterpriseUnit, lead = unitID, f.otherDepartment()
	}
	if id, ok := fixtureProblems.Load(key); ok {
		return id.(int64)
	}
	ctx := context.Background()
	coordinator := domain.ProblemActor{Actor: domain.Actor{User: f.users["coordinator"], Via: "test"}}
	p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: f.enterpriseOf(enterpriseUnit), Category: "land",
		Urgency: domain.UrgencyGeneral, Title: fmt.Sprintf("单位%d企业的用地诉求", enterpriseUnit), Description: "扩建用地指标"}
	if err := f.st.RaiseProblem(ctx, coordinator, p); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.st.ActOnProblem(ctx, coordinator, p.ID, p.Version, domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: lead}); err != nil {
		f.t.Fatal(err)
	}
	fixtureProblems.Store(key, p.ID)
	return p.ID
}

// otherDepartment is a second department, D02, with no users.
func (f *fixture) otherDepartment() int64 {
	f.t.Helper()
	if u, ok := f.units["dept2"]; ok {
		return u.ID
	}
	u := &domain.Unit{Code: "D02", Name: "市自然资源局", Kind: domain.UnitDepartment, ParentID: f.units["city"].ID, Active: true}
	if err := f.st.CreateUnit(context.Background(), domain.Actor{Via: "test"}, u); err != nil {
		f.t.Fatal(err)
	}
	f.units["dept2"] = u
	return u.ID
}

func TestProblemPagesScopeAndActions(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		mine, theirs := f.problemOf(f.units["countyA"].ID), f.problemOf(f.units["countyB"].ID)
		handler, coord, rep := f.login("handler"), f.login("coordinator"), f.login("reporter")

		// A handler of D01 sees D01's problem, not D02's: 403, and not in the list either.
		if res, body := f.get(handler, fmt.Sprintf("/problems/%d", mine)); res.StatusCode != http.StatusOK || !strings.Contains(body, `value="accept"`) {
			t.Fatalf("own department's problem: %d", res.StatusCode)
		}
		if res, _ := f.get(handler, fmt.Sprintf("/problems/%d", theirs)); res.StatusCode != http.StatusForbidden {
			t.Fatalf("another department's problem: %d, want 403", res.StatusCode)
		}
		res := f.post(handler, fmt.Sprintf("/problems/%d/act", theirs), url.Values{"kind": {"accept"}, "version": {"2"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("acting on another department's problem: %d, want 403", res.StatusCode)
		}
		if _, body := f.get(handler, "/problems"); !strings.Contains(body, fmt.Sprintf("/problems/%d\"", mine)) || strings.Contains(body, fmt.Sprintf("/problems/%d\"", theirs)) {
			t.Fatal("the handler's list is not scoped to the department")
		}
		if _, body := f.get(handler, "/problems/queue"); !strings.Contains(body, fmt.Sprintf("/problems/%d\"", mine)) {
			t.Fatal("the queue misses the department's problem")
		}
		// A reporter sees county A's enterprise's problem only.
		if res, _ := f.get(rep, fmt.Sprintf("/problems/%d", theirs)); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter, another county's problem: %d", res.StatusCode)
		}

		before, _ := st.FindProblemByID(ctx, mine)
		// A bad action and a bad filter: a Chinese message, nothing changed.
		res, body := f.postBody(handler, fmt.Sprintf("/problems/%d/act", mine), url.Values{"kind": {"fly"}, "version": {fmt.Sprint(before.Version)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "未知的诉求办理操作") {
			t.Fatalf("bad action: %d", res.StatusCode)
		}
		res, body = f.postBody(handler, fmt.Sprintf("/problems/%d/act", mine), url.Values{"kind": {"accept"}, "version": {"abc"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "版本应为整数") {
			t.Fatalf("bad version: %d", res.StatusCode)
		}
		if res, body := f.get(coord, "/problems?from=2026-13-01"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "日期格式") {
			t.Fatalf("bad filter: %d", res.StatusCode)
		}
		// A stale version: 409 with the conflict notice, nothing changed.
		res, body = f.postBody(handler, fmt.Sprintf("/problems/%d/act", mine), url.Values{"kind": {"accept"}, "version": {fmt.Sprint(before.Version - 1)}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Fatalf("stale version: %d", res.StatusCode)
		}
		if after, _ := st.FindProblemByID(ctx, mine); after.Version != before.Version || after.Status != domain.ProblemAssigned {
			t.Fatalf("refusals changed the problem: %+v", after)
		}
		// A reply before accepting is not allowed now: 409 from the loop's rules.
		res, _ = f.postBody(handler, fmt.Sprintf("/problems/%d/act", mine), url.Values{"kind": {"reply"}, "text": {"x"}, "version": {fmt.Sprint(before.Version)}})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("reply while assigned: %d", res.StatusCode)
		}
		res = f.post(handler, fmt.Sprintf("/problems/%d/act", mine), url.Values{"kind": {"accept"}, "version": {fmt.Sprint(before.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d", res.StatusCode)
		}

		// The export and the statistics answer with workbooks and the red/black lists.
		if res, _ := f.get(coord, "/problems/export.xlsx?status=open"); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d", res.StatusCode)
		}
		if res, body := f.get(coord, "/problems/stats?by=leader"); res.StatusCode != http.StatusOK || !strings.Contains(body, "黑榜") {
			t.Fatalf("stats: %d", res.StatusCode)
		}
		if res, _ := f.get(coord, "/problems/stats?by=colour"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown grouping: %d", res.StatusCode)
		}
		if res, _ := f.get(coord, "/problems/stats/export.xlsx"); res.StatusCode != http.StatusOK {
			t.Fatalf("stats export: %d", res.StatusCode)
		}
	})
}

// The enterprise contact's link: issued on a problem page, shown once, opens the
// enterprise's page without an account, rates its own problems only; a bad token is
// not found and guesses are throttled.
func TestContactLink(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	id := f.problemOf(f.units["countyA"].ID)
	coord := f.login("coordinator")
	link := f.issueContactLink(coord, fmt.Sprintf("/problems/%d", id), "王经理")
	anon := f.client()
	if res, body := f.get(anon, link); res.StatusCode != http.StatusOK || !strings.Contains(body, "王经理") || !strings.Contains(body, "的用地诉求") {
		t.Fatalf("contact page: %d", res.StatusCode)
	}
	// Raising through the form, and a bad one refused with the input kept.
	if res, body := f.postBody(anon, link+"/problems", url.Values{"category": {"labour"}, "urgency": {"general"}, "title": {"招工"}, "description": {""}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写诉求内容") {
		t.Fatalf("bad contact problem: %d", res.StatusCode)
	}
	if res := f.post(anon, link+"/problems", url.Values{"category": {"labour"}, "urgency": {"general"}, "title": {"招工"}, "description": {"缺普工30人"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contact problem: %d", res.StatusCode)
	}
	// Rating another enterprise's problem is refused.
	other := f.problemOf(f.units["countyB"].ID)
	p, _ := f.st.FindProblemByID(ctx, other)
	if res := f.post(anon, fmt.Sprintf("%s/problems/%d/rate", link, other), url.Values{"rating": {"satisfied"}, "version": {fmt.Sprint(p.Version)}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("rating another enterprise's problem: %d", res.StatusCode)
	}
	// A contact has no account: an outdated link says whom to ask, and offers no
	// workbench to go back to, as a signed-in user's error page does.
	if res, body := f.get(anon, "/c/NOTATOKEN"); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "索取新的链接") ||
		strings.Contains(body, "返回工作台") {
		t.Fatalf("bad token: %d %s", res.StatusCode, body)
	}
	if res, body := f.get(coord, "/problems/99999999"); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "返回工作台") {
		t.Fatalf("a user's not-found page: %d", res.StatusCode)
	}
	throttled := false
	for range f.cfg.ThrottleFailures + 1 {
		if res, _ := f.get(anon, "/c/GUESS"); res.StatusCode == http.StatusTooManyRequests {
			throttled = true
			break
		}
	}
	if !throttled {
		t.Fatal("guessing tokens is not throttled")
	}
}

// A link replaced between its issuing and the page it redirects to (another coordinator,
// the same minute) is not shown: it would be sent to the contact already cut off.
func TestContactLinkReplacedBeforeShown(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	id := f.problemOf(f.units["countyA"].ID)
	page := fmt.Sprintf("/problems/%d", id)
	coord := f.login("coordinator")
	if res := f.post(coord, page+"/contact-link", url.Values{"contact_name": {"王经理"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue: %d", res.StatusCode)
	}
	p, _ := f.st.FindProblemByID(ctx, id)
	if _, err := f.st.IssueContactLink(ctx, domain.Actor{Via: "test"}, p.EnterpriseID, "李经理"); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(coord, page); strings.Contains(body, "/c/") || !strings.Contains(body, "当前有效链接：发给 李经理") {
		t.Error("a replaced link is shown, or the link in force is not named")
	}
	// Issued again and shown; the cookie was cleared on the page's path.
	link := f.issueContactLink(coord, page, "王经理")
	if res, _ := f.get(f.client(), link); res.StatusCode != http.StatusOK {
		t.Fatalf("the link shown does not open: %d", res.StatusCode)
	}
}

// The API: scoped lists, 403 for another department, a stale version 409, a bad action
// 422 in Chinese, and a visit with its problem recorded all or nothing.
func TestProblemAPI(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	ctx := context.Background()
	mine, theirs := f.problemOf(f.units["countyA"].ID), f.problemOf(f.units["countyB"].ID)
	handler, leader := "Bearer "+f.apiToken("handler"), "Bearer "+f.apiToken("leader")
	if res := f.apiCall(nil, handler, "GET", "/api/v1/problems", "", nil); res.status != http.StatusOK ||
		!strings.Contains(string(res.body), `"total":1`) {
		t.Fatalf("handler's list: %d %s", res.status, res.body)
	}
	if res := f.apiCall(nil, handler, "GET", fmt.Sprintf("/api/v1/problems/%d", theirs), "", nil); res.status != http.StatusForbidden {
		t.Fatalf("another department's problem: %d", res.status)
	}
	res := f.apiCall(nil, handler, "GET", fmt.Sprintf("/api/v1/problems/%d", mine), "", nil)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"allowed_actions":["accept","object"]`) {
		t.Fatalf("own problem: %d %s", res.status, res.body)
	}
	p, _ := f.st.FindProblemByID(ctx, mine)
	act := func(body string) apiResult {
		return f.apiCall(nil, handler, "POST", fmt.Sprintf("/api/v1/problems/%d/actions", mine), body, nil)
	}
	if res := act(fmt.Sprintf(`{"kind":"accept","version":%d}`, p.Version-1)); res.status != http.StatusConflict {
		t.Fatalf("stale: %d", res.status)
	}
	if res := act(fmt.Sprintf(`{"kind":"teleport","version":%d}`, p.Version)); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(res.body), "未知的诉求办理操作") {
		t.Fatalf("bad action: %d %s", res.status, res.body)
	}
	if res := act(`{"kind":"accept"}`); res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "version") {
		t.Fatalf("no version: %d %s", res.status, res.body)
	}
	if after, _ := f.st.FindProblemByID(ctx, mine); after.Version != p.Version {
		t.Fatal("refused actions changed the problem")
	}
	if res := act(fmt.Sprintf(`{"kind":"accept","version":%d}`, p.Version)); res.status != http.StatusOK || !strings.Contains(string(res.body), `"status":"in_progress"`) {
		t.Fatalf("accept: %d %s", res.status, res.body)
	}

	enterprise := f.enterpriseOf(f.units["countyA"].ID)
	visit := fmt.Sprintf(`{"enterprise_id":%d,"visit_on":"2026-01-06","notes":"走访","problems":[{"category":"finance","urgency":"general","title":"贷款","description":"需500万元"},{"category":"","urgency":"general","title":"x","description":"y"}]}`, enterprise)
	if res := f.apiCall(nil, leader, "POST", "/api/v1/visits", visit, nil); res.status != http.StatusForbidden {
		t.Fatalf("visit without a link: %d %s", res.status, res.body)
	}
	if err := f.st.CreateLink(ctx, domain.Actor{Via: "test"}, &domain.LeaderLink{LeaderID: f.users["leader"].ID, EnterpriseID: enterprise, StartOn: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	if res := f.apiCall(nil, leader, "POST", "/api/v1/visits", visit, nil); res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "第2条诉求") {
		t.Fatalf("visit with a bad problem: %d %s", res.status, res.body)
	}
	visit = strings.Replace(visit, `"category":""`, `"category":"land"`, 1)
	if res := f.apiCall(nil, leader, "POST", "/api/v1/visits", visit, nil); res.status != http.StatusCreated || !strings.Contains(string(res.body), `"problem_count":2`) {
		t.Fatalf("visit: %d %s", res.status, res.body)
	}
	if res := f.apiCall(nil, leader, "GET", "/api/v1/problems/stats?by=leader", "", nil); res.status != http.StatusOK || !strings.Contains(string(res.body), `"black_list"`) {
		t.Fatalf("stats: %d %s", res.status, res.body)
	}
	if res := f.apiCall(nil, leader, "GET", "/api/v1/problems?colour=red", "", nil); res.status != http.StatusBadRequest {
		t.Fatalf("unknown parameter: %d", res.status)
	}

	// The rules: the defaults until set; a supervision office that is no unit is refused.
	coord := "Bearer " + f.apiToken("coordinator")
	res = f.apiCall(nil, coord, "GET", "/api/v1/problem-rules", "", nil)
	if res.status != http.StatusOK || !strings.Contains(string(res.body), `"due_soon_hours":24`) {
		t.Fatalf("rules: %d %s", res.status, res.body)
	}
	bad := strings.Replace(string(res.body), `"supervision_unit_id":0`, `"supervision_unit_id":99999`, 1)
	if res := f.apiCall(nil, coord, "PUT", "/api/v1/problem-rules", bad, nil); res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "督查部门") {
		t.Fatalf("bad supervision office: %d %s", res.status, res.body)
	}
	good := strings.Replace(string(res.body), `"supervision_unit_id":0`, fmt.Sprintf(`"supervision_unit_id":%d`, f.units["dept"].ID), 1)
	if res := f.apiCall(nil, coord, "PUT", "/api/v1/problem-rules", good, nil); res.status != http.StatusOK {
		t.Fatalf("set rules: %d %s", res.status, res.body)
	}
	if rules, _ := f.st.ProblemRules(ctx); rules.Escalation.SupervisionUnitID != f.units["dept"].ID {
		t.Fatal("supervision office not saved")
	}
}
