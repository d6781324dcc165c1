package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/web"
)

// TestCockpit: coordinators and leaders land on the cockpit, whose figures are the
// progress page's for the same period; the other roles land on their own workbench.
func TestCockpit(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ind := seedProgress(t, f)
		ctx := context.Background()
		sys := domain.Actor{Via: "test"}
		// Two projects at different stages, one of them warned (signed long ago, never
		// started): the funnel and the warnings count them.
		f.projectOf(f.units["countyA"].ID)
		late := &domain.Project{Code: "LATE1", Name: "迟迟未开工项目", UnitID: f.units["countyB"].ID, Stage: "signed",
			SignedOn: "2025-01-10", ContractInvestment: 3 * domain.Yi}
		if err := st.CreateProject(ctx, sys, late); err != nil {
			t.Fatal(err)
		}

		for _, who := range []string{"leader", "coordinator"} {
			c := f.login(who)
			// The default period is the newest month with an approved or submitted report.
			res, body := f.get(c, "/")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s cockpit: %d", who, res.StatusCode)
			}
			for _, want := range []string{"驾驶舱 · 2026年1–10月", "时序进度 83.3%", "1029.0", "1600.0", "64.3", "-19.0 个百分点",
				"status-red", "<td>第1</td><td>甲区</td>", "<td>第2</td><td>乙县</td>", `href="/projects?stage=signed">签约 <strong>2</strong>`,
				`href="/projects/warnings?unit_id=` + strconv.FormatInt(f.units["countyB"].ID, 10) + `">乙县</a>`, "cockpit.js", "data-cockpit="} {
				if !strings.Contains(body, want) {
					t.Errorf("%s cockpit lacks %q", who, want)
				}
			}
		}

		// The API gives the same figures as /api/v1/progress for the same period.
		bearer := "Bearer " + f.apiToken("leader")
		cp := f.apiCall(nil, bearer, "GET", "/api/v1/cockpit?year=2026&month=10", "", nil)
		pr := f.apiCall(nil, bearer, "GET", "/api/v1/progress?year=2026&month=10", "", nil)
		if cp.status != 200 || pr.status != 200 {
			t.Fatalf("cockpit %d, progress %d: %s", cp.status, pr.status, cp.body)
		}
		var cockpit domain.Cockpit
		var progress progressJSONForTest
		if err := json.Unmarshal(cp.body, &cockpit); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(pr.body, &progress); err != nil {
			t.Fatal(err)
		}
		if len(cockpit.Headline) != 1 || len(progress.Tables) != 1 {
			t.Fatalf("headline %d, tables %d", len(cockpit.Headline), len(progress.Tables))
		}
		h, table := cockpit.Headline[0], progress.Tables[0]
		if h.ID != ind.ID || h.Actual != *table.City.Actual || h.Target != *table.City.Base || h.CompletionPct != *table.City.CompletionBase ||
			h.GapPoints != *table.City.GapPoints || string(h.Colour) != table.City.Colour || h.TimeProgressPct != table.TimeProgressPct {
			t.Errorf("cockpit %+v, progress city %+v", h, table.City)
		}
		if len(cockpit.Ranking) != len(table.Rows) {
			t.Errorf("ranking has %d units, progress %d", len(cockpit.Ranking), len(table.Rows))
		}
		for _, r := range cockpit.Ranking {
			i := slices.IndexFunc(table.Rows, func(p progressRowForTest) bool { return p.UnitID == r.UnitID })
			if i < 0 {
				t.Fatalf("unit %d not in progress", r.UnitID)
			}
			if p := table.Rows[i]; r.RankLabel != p.RankLabel || r.CompletionPct != *p.CompletionBase || r.GapPoints != *p.GapPoints {
				t.Errorf("unit %d: cockpit %+v, progress %+v", r.UnitID, r, p)
			}
		}
		if len(cockpit.Trend.Months) != 10 || cockpit.Trend.Actual[9] == nil || *cockpit.Trend.Actual[9] != "1029.0" ||
			cockpit.Trend.Actual[8] != nil || *cockpit.Trend.Planned[9] != "1333.3" {
			t.Errorf("trend %+v", cockpit.Trend)
		}
		warnedB := slices.ContainsFunc(cockpit.Warnings.Units, func(u domain.UnitWarnings) bool { return u.UnitID == f.units["countyB"].ID && u.Red == 1 })
		if cockpit.Warnings.Red < 1 || !warnedB || cockpit.Funnel[2].Stage != "signed" || cockpit.Funnel[2].Count != 2 {
			t.Errorf("warnings %+v, funnel %+v", cockpit.Warnings, cockpit.Funnel)
		}

		// Bad input gets a clear answer and a 4xx; other roles are refused.
		for path, want := range map[string]int{
			"/api/v1/cockpit?year=2026":                  http.StatusBadRequest,
			"/api/v1/cockpit?year=2026&month=13":         http.StatusBadRequest,
			"/api/v1/cockpit?indicator=abc":              http.StatusBadRequest,
			"/api/v1/cockpit?indicator=999999":           http.StatusUnprocessableEntity,
			"/api/v1/cockpit?year=2026&month=10&color=1": http.StatusBadRequest,
		} {
			if res := f.apiCall(nil, bearer, "GET", path, "", nil); res.status != want || res.apiError(t).Message == "" {
				t.Errorf("%s: %d, want %d", path, res.status, want)
			}
		}
		for _, who := range []string{"reporter", "admin", "auditor", "handler"} {
			if res := f.apiCall(nil, "Bearer "+f.apiToken(who), "GET", "/api/v1/cockpit", "", nil); res.status != http.StatusForbidden {
				t.Errorf("%s read the cockpit API: %d", who, res.status)
			}
		}
		leader := f.login("leader")
		for path, want := range map[string]int{"/?year=2026&month=0": 422, "/?indicator=x": 422, "/?indicator=999999": 422} {
			if res, body := f.get(leader, path); res.StatusCode != want || !strings.Contains(body, "。") {
				t.Errorf("%s: %d", path, res.StatusCode)
			}
		}

		// Everyone else: a workbench for their role, never the cockpit.
		for who, wants := range map[string][]string{
			"reporter": {"工作台", "月报", "本单位红色预警项目", "本单位项目"},
			"admin":    {"工作台", "用户账号", "县（市、区）"},
			"auditor":  {"工作台", "查看审计日志"},
		} {
			res, body := f.get(f.login(who), "/")
			if res.StatusCode != 200 || strings.Contains(body, "驾驶舱 ·") {
				t.Errorf("%s landed on the cockpit: %d", who, res.StatusCode)
			}
			for _, want := range wants {
				if !strings.Contains(body, want) {
					t.Errorf("%s workbench lacks %q", who, want)
				}
			}
		}
	})
}

// progressJSONForTest is the part of /api/v1/progress the cockpit is compared with.
type progressJSONForTest struct {
	Tables []struct {
		TimeProgressPct string `json:"time_progress_pct"`
		City            struct {
			Actual         *string `json:"actual"`
			Base           *string `json:"base"`
			CompletionBase *string `json:"completion_base_pct"`
			GapPoints      *string `json:"gap_points"`
			Colour         string  `json:"colour"`
		} `json:"city"`
		Rows []progressRowForTest `json:"rows"`
	} `json:"tables"`
}

type progressRowForTest struct {
	UnitID         int64   `json:"unit_id"`
	RankLabel      string  `json:"rank_label"`
	CompletionBase *string `json:"completion_base_pct"`
	GapPoints      *string `json:"gap_points"`
}

// TestCockpitPanels: a module's card shows on the cockpit for the users its action
// allows, with its figures and link; a module with nothing to report adds nothing.
func TestCockpitPanels(t *testing.T) {
	f := newFixture(t, sqliteStore(t))
	seedProgress(t, f)
	f.srv.web.CockpitPanels = []web.CockpitPanel{
		{Action: auth.ManageCampaign, Load: func(_ context.Context, year, month int) (*web.CockpitCard, error) {
			return &web.CockpitCard{Title: "逾期交办事项", Link: "/meetings", LinkText: "查看交办事项",
				Figures: []web.CockpitFigure{{Label: fmt.Sprintf("截至%d年%d月逾期", year, month), Value: "3", Colour: domain.ColourRed}}}, nil
		}},
		{Action: auth.ReadCockpit, Load: func(context.Context, int, int) (*web.CockpitCard, error) { return nil, nil }},
	}
	_, body := f.get(f.login("coordinator"), "/")
	if !strings.Contains(body, "逾期交办事项") || !strings.Contains(body, "截至2026年10月逾期") || !strings.Contains(body, `href="/meetings"`) {
		t.Error("the coordinator's cockpit lacks the panel")
	}
	if _, body := f.get(f.login("leader"), "/"); strings.Contains(body, "逾期交办事项") || !strings.Contains(body, "驾驶舱") {
		t.Error("the leader sees a coordinators' panel")
	}
}
