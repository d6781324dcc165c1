package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixtureItems remembers the action item made for each store and unit.
var fixtureItems sync.Map // itemKey → *domain.ActionItem

type itemKey struct {
	st     *store.Store
	unitID int64
}

// actionItemOf returns an open action item owned by the unit, at a meeting of its own,
// created on first use.
func (f *fixture) actionItemOf(unitID int64) *domain.ActionItem {
	f.t.Helper()
	if it, ok := fixtureItems.Load(itemKey{f.st, unitID}); ok {
		return it.(*domain.ActionItem)
	}
	ctx, sys := context.Background(), domain.Actor{Via: "test"}
	m := &domain.Meeting{HeldOn: "2026-11-05", Kind: domain.MeetingMonthly, Year: 2026, Month: 10, Title: fmt.Sprintf("调度会%d", unitID)}
	if err := f.st.CreateMeeting(ctx, sys, m); err != nil {
		f.t.Fatal(err)
	}
	it := &domain.ActionItem{MeetingID: m.ID, Text: fmt.Sprintf("单位%d的交办事项", unitID), OwnerUnitID: unitID, Deadline: "2026-11-30"}
	if err := f.st.CreateActionItem(ctx, sys, it); err != nil {
		f.t.Fatal(err)
	}
	fixtureItems.Store(itemKey{f.st, unitID}, it)
	return it
}

// TestMeetingsWebFlow runs a meeting through the pages: bad input is refused in Chinese
// and keeps what was typed, another county's user cannot answer, a stale version is a
// conflict, and the lists and export show exactly what each user may see.
func TestMeetingsWebFlow(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.setClock(time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)) // 3 December in China
		coord, rep, rep2, handler := f.login("coordinator"), f.login("reporter"), f.login("reporter2"), f.login("handler")
		countyA, dept := f.units["countyA"], f.units["dept"]

		meeting := url.Values{"title": {"11月调度会"}, "held_on": {"2026-11-31"}, "kind": {"monthly"}, "year": {"2026"}, "month": {"10"},
			"attendees": {"市领导\n各县区"}, "decisions": {"一、加快项目开工。"}}
		res, body := f.postBody(coord, "/meetings", meeting)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写有效的会议日期") || !strings.Contains(body, "11月调度会") {
			t.Fatalf("bad date: %d", res.StatusCode)
		}
		meeting.Set("held_on", "2026-11-05")
		res = f.post(coord, "/meetings", meeting)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create meeting: %d", res.StatusCode)
		}
		path := res.Header.Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/meetings/"), 10, 64)

		// A deadline before the meeting is refused with the input kept.
		item := url.Values{"text": {"推进甲区重点项目开工"}, "owner_unit_id": {fmt.Sprint(countyA.ID)}, "deadline": {"2026-11-01"}}
		res, body = f.postBody(coord, path+"/items", item)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "办结时限不能早于会议日期") || !strings.Contains(body, "推进甲区重点项目开工") {
			t.Fatalf("early deadline: %d", res.StatusCode)
		}
		item.Set("deadline", "2026-11-30")
		if res := f.post(coord, path+"/items", item); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add item: %d", res.StatusCode)
		}
		if res := f.post(coord, path+"/items", url.Values{"text": {"协调用地指标"}, "owner_unit_id": {fmt.Sprint(dept.ID)}, "deadline": {"2026-12-31"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add dept item: %d", res.StatusCode)
		}
		items, _, _ := st.FindActionItems(context.Background(), domain.ActionItemFilter{MeetingID: id})
		var itemA, itemD *domain.ActionItem
		for _, it := range items {
			if it.OwnerUnitID == countyA.ID {
				itemA = it
			} else {
				itemD = it
			}
		}
		itemPath := fmt.Sprintf("/action-items/%d", itemA.ID)

		// The meeting page: all items for the coordinator, the overdue one in red.
		if _, body := f.get(coord, path); !strings.Contains(body, "推进甲区重点项目开工") || !strings.Contains(body, "协调用地指标") || !strings.Contains(body, "逾期3天") {
			t.Fatal("coordinator's meeting page lacks an item or the overdue mark")
		}
		// County B's reporter neither reads nor answers county A's item; the page shows
		// B none of A's items.
		if res, _ := f.get(rep2, itemPath); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter2 reads A's item: %d", res.StatusCode)
		}
		if res := f.post(rep2, itemPath+"/reply", url.Values{"reply": {"冒名答复"}, "version": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter2 replies for A: %d", res.StatusCode)
		}
		if _, body := f.get(rep2, path); strings.Contains(body, "推进甲区重点项目开工") {
			t.Fatal("reporter2 sees A's item on the meeting page")
		}
		// A's reporter sees only A's items in the list, by default.
		if _, body := f.get(rep, "/action-items?unit_id="+fmt.Sprint(dept.ID)); !strings.Contains(body, "推进甲区重点项目开工") || strings.Contains(body, "协调用地指标") {
			t.Fatal("reporter's list is not limited to their unit")
		}
		// The workbench counts A's items for A's reporter.
		if _, body := f.get(rep, "/"); !strings.Contains(body, "交办事项（本单位）") || !strings.Contains(body, `href="/action-items?overdue=1">1<`) {
			t.Fatal("the reporter's workbench lacks their overdue item")
		}
		// An empty reply is refused; then A answers.
		res, body = f.postBody(rep, itemPath+"/reply", url.Values{"reply": {"  "}, "version": {"1"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写答复内容") {
			t.Fatalf("empty reply: %d", res.StatusCode)
		}
		if res := f.post(rep, itemPath+"/reply", url.Values{"reply": {"已开工2个项目"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply: %d", res.StatusCode)
		}
		// The department's handler answers its own item, not county A's.
		if res := f.post(handler, itemPath+"/reply", url.Values{"reply": {"x"}, "version": {"2"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("handler replies for A: %d", res.StatusCode)
		}
		if res := f.post(handler, fmt.Sprintf("/action-items/%d/reply", itemD.ID), url.Values{"reply": {"已下达指标"}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("handler reply: %d", res.StatusCode)
		}
		// Replied but not closed is still overdue; a stale close is a conflict.
		if _, body := f.get(coord, "/action-items?overdue=1"); !strings.Contains(body, "已答复") || !strings.Contains(body, "逾期3天") || strings.Contains(body, "协调用地指标") {
			t.Fatal("overdue list")
		}
		// A city that trusts replies turns the rule off: then only open items are overdue.
		res, body = f.postBody(coord, "/action-items/settings", url.Values{"replied_counts_overdue": {"1"}, "default_deadline_days": {"两周"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "默认办结时限应为整数") || !strings.Contains(body, "两周") {
			t.Fatalf("bad rules: %d", res.StatusCode)
		}
		if res := f.post(rep, "/action-items/settings", url.Values{"default_deadline_days": {"10"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter sets the rules: %d", res.StatusCode)
		}
		if res := f.post(coord, "/action-items/settings", url.Values{"default_deadline_days": {"10"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rules: %d", res.StatusCode)
		}
		if _, body := f.get(coord, "/action-items?overdue=1"); strings.Contains(body, "推进甲区重点项目开工") || !strings.Contains(body, "已答复的不再计入") {
			t.Fatal("a replied item is overdue under lenient rules")
		}
		if _, body := f.get(coord, path); !strings.Contains(body, `value="2026-11-15"`) {
			t.Fatal("the add-item form should propose the meeting's date plus the default days")
		}
		if res := f.post(coord, "/action-items/settings", url.Values{"replied_counts_overdue": {"1"}, "default_deadline_days": {"14"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("rules back: %d", res.StatusCode)
		}
		res, body = f.postBody(coord, itemPath+"/close", url.Values{"version": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") {
			t.Fatalf("stale close: %d", res.StatusCode)
		}
		if res := f.post(coord, itemPath+"/close", url.Values{"version": {"2"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", res.StatusCode)
		}
		res, body = f.postBody(coord, itemPath+"/reopen", url.Values{"version": {"3"}, "reason": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "重新打开须填写原因") {
			t.Fatalf("reopen without reason: %d", res.StatusCode)
		}
		if _, body := f.get(rep, itemPath); !strings.Contains(body, "已办结") || !strings.Contains(body, "答复") || strings.Contains(body, `action="`+itemPath+`/reply"`) {
			t.Fatal("a closed item still offers the reply form")
		}

		// A stale meeting version is a conflict, the typed input kept.
		edit := url.Values{"title": {"11月工业倍增调度会"}, "held_on": {"2026-11-05"}, "kind": {"monthly"}, "year": {"2026"}, "month": {"10"}, "version": {"1"},
			"attendees": {"市领导\n各县区"}, "decisions": {"一、加快项目开工。"}}
		if res := f.post(coord, path, edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit meeting: %d", res.StatusCode)
		}
		edit.Set("title", "迟到的修改")
		res, body = f.postBody(coord, path, edit)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "迟到的修改") || !strings.Contains(body, "该记录已被他人修改") {
			t.Fatalf("stale meeting: %d", res.StatusCode)
		}
		if m, _ := st.FindMeetingByID(context.Background(), id); m.Title != "11月工业倍增调度会" {
			t.Fatalf("stale edit changed the meeting: %q", m.Title)
		}

		// Minutes and the export.
		if _, body := f.get(coord, path+"/minutes"); !strings.Contains(body, "11月工业倍增调度会纪要") || !strings.Contains(body, "2026年11月5日") || !strings.Contains(body, "一、加快项目开工。") {
			t.Fatal("minutes")
		}
		x := f.download(rep, "/action-items/export.xlsx?status=done")
		rows, _ := x.GetRows("交办事项")
		if len(rows) != 3 || rows[2][3] != "推进甲区重点项目开工" || rows[2][6] != "已办结" {
			t.Fatalf("export: %q", rows)
		}
		if x := f.download(coord, "/action-items/export.xlsx?status=open"); func() int { r, _ := x.GetRows("交办事项"); return len(r) }() != 2 {
			t.Fatal("the export is not the filtered list")
		}
		// Every page renders for the roles that read it.
		for user, pages := range map[string][]string{
			"coordinator": {"/meetings", "/meetings?year=2026", "/meetings/new", path + "/edit", "/action-items?status=replied&page=2", "/action-items?meeting_id=" + fmt.Sprint(id)},
			"leader":      {"/meetings", path, path + "/minutes", "/action-items", itemPath},
			"handler":     {"/action-items", fmt.Sprintf("/action-items/%d", itemD.ID), path},
		} {
			c := f.login(user)
			for _, p := range pages {
				if res, body := f.get(c, p); res.StatusCode != 200 || strings.Contains(body, "<no value>") {
					t.Errorf("%s GET %s: %d", user, p, res.StatusCode)
				}
			}
		}
		if n, brk, err := st.VerifyAudit(context.Background()); err != nil || brk != nil || n == 0 {
			t.Fatalf("audit: %v %v", brk, err)
		}
	})
}

// TestMeetingsAPI covers the API's refusals: another county's reply, a stale version, a
// bad date, another unit's list.
func TestMeetingsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		coord, rep, rep2 := "Bearer "+f.apiToken("coordinator"), "Bearer "+f.apiToken("reporter"), "Bearer "+f.apiToken("reporter2")
		countyA := f.units["countyA"]

		r := f.apiCall(nil, coord, "POST", "/api/v1/meetings", `{"title":"专题调度会","held_on":"2026/11/05","kind":"special","year":2026,"month":11}`, nil)
		if e := r.apiError(t); r.status != 422 || !strings.Contains(e.Fields["held_on"], "有效的会议日期") {
			t.Fatalf("bad date: %d %+v", r.status, e)
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/meetings", `{"title":"专题调度会","held_on":"2026-11-05","kind":"special","year":2026,"month":11,"decisions":"盯紧开工"}`, nil)
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		m := r.object(t)
		mid := int64(m["id"].(float64))
		if m["bulletin_id"] != nil || m["version"].(float64) != 1 {
			t.Fatalf("meeting: %v", m)
		}
		mpath := fmt.Sprintf("/api/v1/meetings/%d", mid)
		if r := f.apiCall(nil, coord, "PUT", mpath, `{"title":"专题调度会（开工）","version":1}`, nil); r.status != 200 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
		r = f.apiCall(nil, coord, "PUT", mpath, `{"title":"旧","version":1}`, nil)
		if e := r.apiError(t); r.status != 409 || e.Code != "conflict" {
			t.Fatalf("stale: %d %+v", r.status, e)
		}
		if r := f.apiCall(nil, coord, "PUT", mpath, `{"title":"x"}`, nil); r.status != 422 {
			t.Fatalf("no version: %d", r.status)
		}
		if r := f.apiCall(nil, rep, "POST", "/api/v1/meetings", `{"title":"x"}`, nil); r.status != 403 {
			t.Fatalf("reporter creates a meeting: %d", r.status)
		}

		r = f.apiCall(nil, coord, "POST", "/api/v1/action-items", fmt.Sprintf(`{"meeting_id":%d,"text":"甲区补报资料","owner_unit_id":%d,"deadline":"2026-11-04"}`, mid, countyA.ID), nil)
		if e := r.apiError(t); r.status != 422 || !strings.Contains(e.Fields["deadline"], "不能早于会议日期") {
			t.Fatalf("early deadline: %d %+v", r.status, e)
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/action-items", fmt.Sprintf(`{"meeting_id":%d,"text":"甲区补报资料","owner_unit_id":%d,"deadline":"2026-11-20"}`, mid, f.units["city"].ID), nil)
		if e := r.apiError(t); r.status != 422 || e.Fields["owner_unit_id"] == "" {
			t.Fatalf("city owner: %d %+v", r.status, e)
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/action-items", fmt.Sprintf(`{"meeting_id":%d,"text":"甲区补报资料","owner_unit_id":%d,"deadline":"2026-11-20","extra":1}`, mid, countyA.ID), nil)
		if r.status != 400 {
			t.Fatalf("unknown field: %d", r.status)
		}
		r = f.apiCall(nil, coord, "POST", "/api/v1/action-items", fmt.Sprintf(`{"meeting_id":%d,"text":"甲区补报资料","owner_unit_id":%d,"deadline":"2026-11-20"}`, mid, countyA.ID), nil)
		if r.status != 201 {
			t.Fatalf("create item: %d %s", r.status, r.body)
		}
		it := r.object(t)
		ipath := fmt.Sprintf("/api/v1/action-items/%d", int64(it["id"].(float64)))
		if it["status"] != "open" || it["owner_unit_name"] != countyA.Name {
			t.Fatalf("item: %v", it)
		}

		before := auditSeq(newestAudit(t, st))
		if r := f.apiCall(nil, rep2, "POST", ipath+"/reply", `{"reply":"冒名","version":1}`, nil); r.status != 403 {
			t.Fatalf("reporter2 replies for A: %d", r.status)
		}
		if r := f.apiCall(nil, rep2, "GET", ipath, "", nil); r.status != 403 {
			t.Fatalf("reporter2 reads A's item: %d", r.status)
		}
		if r := f.apiCall(nil, rep2, "GET", fmt.Sprintf("/api/v1/action-items?unit_id=%d", countyA.ID), "", nil); r.status != 403 {
			t.Fatalf("reporter2 lists A's items: %d", r.status)
		}
		if r := f.apiCall(nil, rep, "POST", ipath+"/reply", `{"reason":"x","version":1}`, nil); r.status != 422 {
			t.Fatalf("reply without reply: %d", r.status)
		}
		if auditSeq(newestAudit(t, st)) != before {
			t.Fatal("a refused call changed something")
		}
		r = f.apiCall(nil, rep, "POST", ipath+"/reply", `{"reply":"已补报","version":1}`, nil)
		if r.status != 200 || r.object(t)["status"] != "replied" {
			t.Fatalf("reply: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "POST", ipath+"/close", `{"version":1}`, nil); r.status != 409 {
			t.Fatalf("stale close: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", ipath+"/cancel", `{"version":2}`, nil); r.status != 422 {
			t.Fatalf("cancel without a reason: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", ipath+"/close", `{"version":2}`, nil); r.status != 200 || r.object(t)["status"] != "done" {
			t.Fatalf("close: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "PUT", ipath, `{"deadline":"2026-12-01","version":3}`, nil); r.status != 422 {
			t.Fatalf("edit a closed item: %d", r.status)
		}
		if r := f.apiCall(nil, coord, "POST", ipath+"/reopen", `{"reason":"核查未完成","version":3}`, nil); r.status != 200 || r.object(t)["status"] != "open" {
			t.Fatalf("reopen: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coord, "GET", "/api/v1/action-items?status=lost", "", nil); r.status != 400 {
			t.Fatalf("bad status: %d", r.status)
		}
		r = f.apiCall(nil, rep, "GET", "/api/v1/action-items", "", nil)
		if r.status != 200 || r.object(t)["total"].(float64) != 1 {
			t.Fatalf("reporter's list: %d %s", r.status, r.body)
		}
		r = f.apiCall(nil, rep2, "GET", mpath, "", nil)
		if r.status != 200 || len(r.object(t)["items"].([]any)) != 0 {
			t.Fatalf("reporter2 sees A's items on the meeting: %s", r.body)
		}
		r = f.apiCall(nil, coord, "GET", "/api/v1/meetings?year=2026", "", nil)
		if r.status != 200 || r.object(t)["total"].(float64) != 1 {
			t.Fatalf("meetings: %s", r.body)
		}
	})
}
