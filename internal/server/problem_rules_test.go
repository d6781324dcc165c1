package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// problemRulesValues is the rules page's form as a browser posts it for rules: one row per
// category (limits as amount and unit per urgency) and the empty row to add one.
func problemRulesValues(r domain.ProblemRules, version string) url.Values {
	v := url.Values{"version": {version}, "assist_working_days": {strconv.Itoa(r.AssistWorkingDays)},
		"extension_lead_working_days": {strconv.Itoa(r.ExtensionLeadWorkingDays)}, "due_soon_hours": {strconv.Itoa(r.DueSoonHours)},
		"satisfaction_satisfied": {r.Satisfaction.Satisfied.String()}, "satisfaction_basic": {r.Satisfaction.Basic.String()},
		"satisfaction_unsatisfied": {r.Satisfaction.Unsatisfied.String()},
		"supervision_unit_id":      {strconv.FormatInt(r.Escalation.SupervisionUnitID, 10)},
		"min_judged":               {strconv.Itoa(r.Lists.MinJudged)}, "red_top_n": {strconv.Itoa(r.Lists.RedTopN)},
		"red_min_on_time_pct": {r.Lists.RedMinOnTimePct.String()}, "red_min_satisfaction_pct": {r.Lists.RedMinSatisfactionPct.String()},
		"black_below_on_time_pct": {r.Lists.BlackBelowOnTimePct.String()}, "black_below_satisfaction_pct": {r.Lists.BlackBelowSatisfactionPct.String()}}
	for k, on := range map[string]bool{"multi_department_complex": r.MultiDepartmentComplex, "notify_leader": r.Escalation.NotifyLeader,
		"notify_coordinators": r.Escalation.NotifyCoordinators, "black_on_escalation": r.Lists.BlackOnEscalation} {
		if on {
			v.Set(k, "1")
		}
	}
	limit := func(l domain.ProblemLimit, ok bool) (string, string) {
		switch {
		case !ok:
			return "", "days"
		case l.ClockHours > 0:
			return strconv.Itoa(l.ClockHours), "hours"
		}
		return strconv.Itoa(l.WorkingDays), "days"
	}
	for _, u := range domain.ProblemUrgencies {
		l, ok := r.Limits[u.Value]
		amount, unit := limit(l, ok)
		v.Set("limit_"+u.Value+"_amount", amount)
		v.Set("limit_"+u.Value+"_unit", unit)
	}
	for _, c := range append(r.Categories, domain.ProblemCategory{}) {
		v.Add("cat_code", c.Code)
		v.Add("cat_label", c.Label)
		for _, u := range domain.ProblemUrgencies {
			l, ok := c.Limits[u.Value]
			amount, unit := limit(l, ok)
			v.Add("cat_"+u.Value+"_amount", amount)
			v.Add("cat_"+u.Value+"_unit", unit)
		}
	}
	return v
}

// categoryRow is the index of a category's row on the rules page.
func categoryRow(t *testing.T, r domain.ProblemRules, code string) int {
	t.Helper()
	for i, c := range r.Categories {
		if c.Code == code {
			return i
		}
	}
	t.Fatalf("no category %s", code)
	return -1
}

// The rules page: read by the loop's parties, saved whole by coordinators against the
// version they read; a refusal shows the form again as typed and changes nothing.
func TestProblemRulesPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		f.problemOf(f.units["countyA"].ID) // a 用地 (land) problem
		coord, reporter, handler := f.login("coordinator"), f.login("reporter"), f.login("handler")

		if res, body := f.get(coord, "/problems"); res.StatusCode != http.StatusOK || !strings.Contains(body, `href="/problems/rules"`) {
			t.Fatalf("list links the rules for coordinators: %d", res.StatusCode)
		}
		if _, body := f.get(reporter, "/problems/stats"); strings.Contains(body, `href="/problems/rules"`) {
			t.Fatal("stats page links the rules for a reporter")
		}
		res, body := f.get(coord, "/problems/rules")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "保存规则") || !strings.Contains(body, `value="水电气保障"`) || !strings.Contains(body, "1件") {
			t.Fatalf("rules page: %d", res.StatusCode)
		}
		if res, body := f.get(reporter, "/problems/rules"); res.StatusCode != http.StatusOK || strings.Contains(body, "保存规则") || !strings.Contains(body, "只供查看") {
			t.Fatalf("reporter reads the rules: %d", res.StatusCode)
		}

		rules, version, err := st.ProblemRulesVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		unchanged := func() {
			t.Helper()
			if _, v, _ := st.ProblemRulesVersion(ctx); v != version {
				t.Fatal("a refused save changed the rules")
			}
		}
		good := problemRulesValues(rules, version)
		for _, who := range []*http.Client{reporter, handler} {
			if res := f.post(who, "/problems/rules", good); res.StatusCode != http.StatusForbidden {
				t.Fatalf("save by a non-coordinator: %d", res.StatusCode)
			}
		}
		unchanged()

		land, finance := categoryRow(t, rules, "land"), categoryRow(t, rules, "finance")
		for name, c := range map[string]struct {
			edit func(v url.Values)
			want string
		}{
			"negative hours": {func(v url.Values) { v.Set("due_soon_hours", "-5") }, "到期提醒应在0到240小时之间"},
			"hours too many": {func(v url.Values) { v.Set("limit_urgent_amount", "100") }, "按小时计的时限不超过72小时"},
			"negative limit": {func(v url.Values) { v["cat_general_amount"][land] = "-3" }, "答复时限应为正整数"},
			"zero limit":     {func(v url.Values) { v.Set("limit_general_amount", "0") }, "答复时限应为正整数"},
			"not a number":   {func(v url.Values) { v["cat_general_amount"][finance] = "十五" }, "时限应为整数"},
			"duplicate code": {func(v url.Values) {
				v["cat_code"][len(v["cat_code"])-1], v["cat_label"][len(v["cat_label"])-1] = "land", "用地二"
			}, "类别代码「land」重复"},
			"used category removed": {func(v url.Values) { v.Add("cat_remove", strconv.Itoa(land)) }, "「用地」（land）已有1件诉求使用"},
			"used category recoded": {func(v url.Values) { v["cat_code"][land] = "land_use" }, "不能删除或更改代码"},
			"bad weight":            {func(v url.Values) { v.Set("satisfaction_basic", "2") }, "满意度权重应在0到1之间"},
		} {
			v := problemRulesValues(rules, version)
			c.edit(v)
			res, body := f.postBody(coord, "/problems/rules", v)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
				t.Fatalf("%s: %d, want %q", name, res.StatusCode, c.want)
			}
			unchanged()
		}
		// The API's whole replace is held to the same rule.
		withoutLand := rules
		withoutLand.Categories = append(append([]domain.ProblemCategory(nil), rules.Categories[:land]...), rules.Categories[land+1:]...)
		payload, _ := json.Marshal(withoutLand)
		if r := f.apiCall(nil, "Bearer "+f.apiToken("coordinator"), "PUT", "/api/v1/problem-rules", string(payload), nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "已有1件诉求使用") {
			t.Fatalf("API removes a used category: %d %s", r.status, r.body)
		}
		unchanged()
		v := problemRulesValues(rules, version)
		v.Set("due_soon_hours", "-5")
		if _, body := f.postBody(coord, "/problems/rules", v); !strings.Contains(body, `value="-5"`) {
			t.Fatal("the refused input is not kept")
		}

		// A coordinator renames 用地, gives 融资 its own general deadline, adds a category
		// and names the supervision office.
		v = problemRulesValues(rules, version)
		v["cat_label"][land] = "土地要素"
		v["cat_general_amount"][finance] = "15"
		n := len(v["cat_code"]) - 1
		v["cat_code"][n], v["cat_label"][n], v["cat_urgent_amount"][n], v["cat_urgent_unit"][n] = "energy", "能耗指标", "4", "hours"
		v.Set("supervision_unit_id", strconv.FormatInt(f.units["dept"].ID, 10))
		if res := f.post(coord, "/problems/rules", v); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/problems/rules" {
			t.Fatalf("save: %d", res.StatusCode)
		}
		saved, _ := st.ProblemRules(ctx)
		if saved.CategoryLabel("land") != "土地要素" || saved.Category("finance").Limits[domain.UrgencyGeneral].WorkingDays != 15 ||
			saved.Category("energy").Limits[domain.UrgencyUrgent].ClockHours != 4 || saved.Escalation.SupervisionUnitID != f.units["dept"].ID {
			t.Fatalf("saved %+v", saved)
		}
		events, _, err := st.FindAuditEvents(ctx, domain.AuditFilter{Action: "setting.set", Limit: 1})
		if err != nil || len(events) != 1 || !strings.Contains(events[0].After, "能耗指标") || events[0].ActorName == "" {
			t.Fatalf("audit: %v", err)
		}

		// The form read before that save is now stale: a conflict, the input kept.
		stale := problemRulesValues(rules, version)
		stale.Set("due_soon_hours", "12")
		res, body = f.postBody(coord, "/problems/rules", stale)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已被他人修改") || !strings.Contains(body, `value="12"`) {
			t.Fatalf("stale save: %d", res.StatusCode)
		}
		if again, _ := st.ProblemRules(ctx); again.DueSoonHours != saved.DueSoonHours {
			t.Fatal("a stale save was written")
		}

		// The API: the ETag of a GET sent back in If-Match; a stale one is a conflict.
		coordAPI := "Bearer " + f.apiToken("coordinator")
		got := f.apiCall(nil, coordAPI, "GET", "/api/v1/problem-rules", "", nil)
		etag := got.header.Get("ETag")
		if got.status != http.StatusOK || etag == "" {
			t.Fatalf("GET rules: %d etag %q", got.status, etag)
		}
		stalePut := f.apiCall(nil, coordAPI, "PUT", "/api/v1/problem-rules", string(got.body), map[string]string{"If-Match": `"` + version + `"`})
		if stalePut.status != http.StatusConflict {
			t.Fatalf("stale If-Match: %d %s", stalePut.status, stalePut.body)
		}
		edited := strings.Replace(string(got.body), `"due_soon_hours":24`, `"due_soon_hours":36`, 1)
		put := f.apiCall(nil, coordAPI, "PUT", "/api/v1/problem-rules", edited, map[string]string{"If-Match": etag})
		if put.status != http.StatusOK || put.header.Get("ETag") == etag || put.header.Get("ETag") == "" {
			t.Fatalf("PUT with the ETag: %d %s", put.status, put.body)
		}
		if again, _ := st.ProblemRules(ctx); again.DueSoonHours != 36 {
			t.Fatalf("PUT not saved: %d", again.DueSoonHours)
		}
	})
}

// A contact link issued from an enterprise's page (and through the API) for an
// enterprise with no problem yet opens its contact page; only coordinators issue links.
func TestEnterpriseContactLink(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := f.enterpriseOf(f.units["countyB"].ID)
		path := fmt.Sprintf("/enterprises/%d", id)
		coord, reporter := f.login("coordinator"), f.login("reporter2")
		if _, body := f.get(coord, path); !strings.Contains(body, "生成链接") || strings.Contains(body, "当前有效链接") || strings.Contains(body, "data-confirm=\"重新生成") {
			t.Fatal("no contact link form for the coordinator, or a link in force before any was issued")
		}
		if _, body := f.get(reporter, path); strings.Contains(body, "生成链接") {
			t.Fatal("a reporter is offered the contact link form")
		}
		if res := f.post(reporter, path+"/contact-link", url.Values{"contact_name": {"李经理"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("reporter issues a link: %d", res.StatusCode)
		}
		if res, body := f.postBody(coord, path+"/contact-link", url.Values{"contact_name": {" "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写企业联系人姓名") {
			t.Fatalf("blank name: %d", res.StatusCode)
		}
		link := f.issueContactLink(coord, path, "李经理")
		if res, body := f.get(f.client(), link); res.StatusCode != http.StatusOK || !strings.Contains(body, "李经理") {
			t.Fatalf("contact page: %d", res.StatusCode)
		}
		// Back on the enterprise's page: whose link is in force, and a question before replacing it.
		if _, body := f.get(coord, path); !strings.Contains(body, "当前有效链接：发给 李经理") || !strings.Contains(body, "由测试coordinator生成") ||
			!strings.Contains(body, "已发给李经理的链接将立即失效") {
			t.Error("the page does not show the link in force or ask before replacing it")
		}
		if res := f.post(coord, "/enterprises/999999/contact-link", url.Values{"contact_name": {"李经理"}}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("missing enterprise: %d", res.StatusCode)
		}

		// The API answers the token and the link once; the new link replaces the old one.
		api := fmt.Sprintf("/api/v1/enterprises/%d/contact-link", id)
		coordToken, reporterToken := "Bearer "+f.apiToken("coordinator"), "Bearer "+f.apiToken("reporter2")
		if r := f.apiCall(nil, reporterToken, "POST", api, `{"contact_name":"李经理"}`, nil); r.status != http.StatusForbidden {
			t.Fatalf("API by a reporter: %d", r.status)
		}
		if r := f.apiCall(nil, coordToken, "POST", api, `{"contact":"李经理"}`, nil); r.status != http.StatusBadRequest {
			t.Fatalf("unknown field: %d", r.status)
		}
		if r := f.apiCall(nil, coordToken, "POST", api, `{"contact_name":""}`, nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "请填写企业联系人姓名") {
			t.Fatalf("blank name: %d %s", r.status, r.body)
		}
		if r := f.apiCall(nil, coordToken, "POST", "/api/v1/enterprises/999999/contact-link", `{"contact_name":"李经理"}`, nil); r.status != http.StatusNotFound {
			t.Fatalf("missing enterprise: %d", r.status)
		}
		r := f.apiCall(nil, coordToken, "POST", api, `{"contact_name":"赵主任"}`, nil)
		if r.status != http.StatusCreated || !strings.Contains(string(r.body), `"url":"http://`) || !strings.Contains(string(r.body), `"contact_name":"赵主任"`) {
			t.Fatalf("API issue: %d %s", r.status, r.body)
		}
		if res, _ := f.get(f.client(), link); res.StatusCode != http.StatusNotFound {
			t.Fatalf("the replaced link still opens: %d", res.StatusCode)
		}
	})
}
