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
)

// seedInsightProjects creates three projects of countyA: a 60亿 domestic one signed 200
// days ago without notes (red warning, 5020 candidate), a small recent one (no warning)
// and a foreign USD one below the foreign threshold.
func seedInsightProjects(t *testing.T, f *fixture) (big, small, foreign *domain.Project) {
	t.Helper()
	ctx := context.Background()
	day := func(ago int) string {
		return time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -ago).Format(time.DateOnly)
	}
	unit := f.units["countyA"].ID
	big = &domain.Project{Name: "大型陶瓷新材料基地", UnitID: unit, Stage: "signed", SignedOn: day(200),
		IndustryDivision: "30", ContractInvestment: 60 * domain.Yi, FixedInvestment: 3 * domain.Yi, LandMu: domain.DecFromInt(100)}
	small = &domain.Project{Name: "小型包装材料项目", UnitID: unit, Stage: "signed", SignedOn: day(10),
		IndustryDivision: "22", ContractInvestment: 10 * domain.Yi}
	foreign = &domain.Project{Name: "外资电子元件项目", UnitID: unit, Stage: "signed", SignedOn: day(10), IndustryDivision: "39",
		ProjectDetails: domain.ProjectDetails{CapitalSource: "foreign", Currency: "USD", ExchangeRate: domain.DecFromInt(7),
			ContractInvestmentOrig: 200_000_000}}
	for _, p := range []*domain.Project{big, small, foreign} {
		if err := f.st.CreateProject(ctx, domain.Actor{Via: "test"}, p); err != nil {
			t.Fatal(err)
		}
	}
	if big.IndustrySection != "C" || foreign.ContractInvestment != 14*domain.Yi {
		t.Fatalf("derived: section %q, foreign %d", big.IndustrySection, foreign.ContractInvestment)
	}
	return big, small, foreign
}

func TestProjectDetailShowsWarningsScoreAndCandidate(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	big, small, _ := seedInsightProjects(t, f)
	leader := f.login("leader")
	res, body := f.get(leader, fmt.Sprintf("/projects/%d", big.ID))
	if res.StatusCode != 200 {
		t.Fatalf("detail: %d", res.StatusCode)
	}
	for _, want := range []string{"签约已200天仍未开工（超过180天）", "签约未开工", "质量评分", "投资强度", "30 非金属矿物制品业",
		"5020候选", "内资项目合同投资60.00亿元，达到门槛50.00亿元", "门槛，未经确认"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	_, body = f.get(leader, fmt.Sprintf("/projects/%d", small.ID))
	if !strings.Contains(body, "当前无预警") || !strings.Contains(body, "22 造纸和纸制品业") {
		t.Error("small project's page")
	}
	if _, body := f.get(leader, "/projects"); !strings.Contains(body, "30 非金属矿物制品业") {
		t.Error("list lacks the division label")
	}
}

func TestProjectDivisionValidated(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	rep := f.login("reporter")
	own := f.units["countyA"].ID
	form := url.Values{"name": {"行业不明项目"}, "unit_id": {fmt.Sprint(own)}, "currency": {"CNY"}, "exchange_rate": {"1"},
		"capital_source": {"domestic"}, "cert_5020": {"none"}, "industry_division": {"99"}, "industry_section": {"A"}}
	res, body := f.postBody(rep, "/projects", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "不在国民经济行业分类（GB/T 4754-2017）01–97中") {
		t.Fatalf("bad division: %d", res.StatusCode)
	}
	if _, body := f.get(rep, "/projects/new"); !strings.Contains(body, `<optgroup label="C 制造业">`) || !strings.Contains(body, ">30 非金属矿物制品业<") {
		t.Error("form lacks the grouped division select")
	}
	// A good division sets the section, whatever was sent.
	form.Set("industry_division", "44")
	if res := f.post(rep, "/projects", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good division: %d", res.StatusCode)
	}
	list, _, _ := f.st.FindProjects(context.Background(), domain.ProjectFilter{UnitID: own})
	if len(list) != 1 || list[0].IndustrySection != "D" {
		t.Fatalf("stored: %+v", list)
	}
	// The API refuses it the same way.
	tok := "Bearer " + f.apiToken("reporter")
	r := f.apiCall(nil, tok, "POST", "/api/v1/projects", fmt.Sprintf(`{"name":"x","unit_id":%d,"industry_division":"00"}`, own), nil)
	if r.status != 422 || !strings.Contains(r.apiError(t).Fields["industry_division"], "GB/T 4754-2017") {
		t.Fatalf("API bad division: %d %s", r.status, r.body)
	}
}

func TestProjectListCandidateAndWarningFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		seedInsightProjects(t, f)
		coord := f.login("coordinator")
		names := []string{"大型陶瓷新材料基地", "小型包装材料项目", "外资电子元件项目"}
		check := func(query string, want ...string) {
			t.Helper()
			res, body := f.get(coord, "/projects"+query)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", query, res.StatusCode)
			}
			for _, n := range names {
				listed := strings.Contains(body, ">"+n+"</a>")
				wanted := false
				for _, w := range want {
					wanted = wanted || w == n
				}
				if listed != wanted {
					t.Errorf("%s: %s listed %v, want %v", query, n, listed, wanted)
				}
			}
		}
		check("", names...)
		check("?candidate_5020=1", "大型陶瓷新材料基地")
		check("?warning=red", "大型陶瓷新材料基地")
		check("?warning=any", "大型陶瓷新材料基地")
		check("?warning=not_started", "大型陶瓷新材料基地")
		check("?warning=funds_behind")
		check("?warning=bogus", names...)

		// The API takes the same filters.
		tok := "Bearer " + f.apiToken("leader")
		for query, want := range map[string]float64{"candidate_5020=1": 1, "warning=red": 1, "warning=funds_behind": 0, "candidate_5020=0": 3} {
			r := f.apiCall(nil, tok, "GET", "/api/v1/projects?"+query, "", nil)
			if r.status != 200 || r.object(t)["total"].(float64) != want {
				t.Errorf("API %s: %d %s", query, r.status, r.body)
			}
		}
		if r := f.apiCall(nil, tok, "GET", "/api/v1/projects?warning=bogus", "", nil); r.status != 400 {
			t.Errorf("API bad warning: %d", r.status)
		}

		// Lower the foreign threshold to 2亿美元: the USD project becomes a candidate.
		res := f.post(coord, "/projects/analysis/settings", url.Values{"not_started_yellow_days": {"90"}, "not_started_red_days": {"180"},
			"no_note_days": {"30"}, "idle_land_days": {"365"}, "intensity_benchmark": {"300"}, "intensity_points": {"40"},
			"tax_benchmark": {"30"}, "tax_points": {"25"}, "tag_cap": {"15"}, "foreign_points": {"5"}, "chain_points": {"5"},
			"certified_points": {"10"}, "applied_points": {"5"}, "total_cap": {"100"}, "min_funds_ratio": {"0.5"},
			"city_class": {"large"}, "candidate_domestic_large": {"50"}, "candidate_foreign_large": {"2"},
			"candidate_domestic_small": {"20"}, "candidate_foreign_small": {"1"}, "candidate_usd_rate": {"7.1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save thresholds: %d", res.StatusCode)
		}
		if th, _ := f.st.Thresholds5020(context.Background()); th.ForeignUSD != 200_000_000 || th.DomesticYuan != 50*domain.Yi {
			t.Fatalf("stored thresholds %+v", th)
		}
		check("?candidate_5020=1", "大型陶瓷新材料基地", "外资电子元件项目")
		if _, body := f.get(coord, "/projects/analysis/settings"); !strings.Contains(body, `name="candidate_foreign_large" value="2"`) {
			t.Error("settings page lacks the stored threshold")
		}
	})
}
