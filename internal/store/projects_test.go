package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// atJune15 fixes the store's clock at 2026-06-15 18:00 in China (10:00 UTC).
func atJune15(s *Store) {
	s.Now = func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }
}

func TestProjectCRUDAndFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		b := mustUnit(t, s, "360202", domain.UnitCounty, 0)
		park := mustUnit(t, s, "360291", domain.UnitPark, a.ID)
		mk := func(unit, parkID int64, name string, amount int64, signed string, tags ...string) *domain.Project {
			p := &domain.Project{Name: name, UnitID: unit, ParkID: parkID, Stage: "signed", ContractInvestment: amount,
				SignedOn: signed, IndustrySection: "C", IndustryDivision: "30", Tags: tags}
			p.InvestorName, p.InvestorUSCC, p.Industrial = "江西某某陶瓷有限公司", " 914403001922038216 ", true
			if err := s.CreateProject(ctx, system, p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		p1 := mk(a.ID, park.ID, "陶瓷新材料", 12*domain.Yi, "2026-03-01", "行业龙头")
		p2 := mk(a.ID, 0, "电子元件", 3*domain.Yi, "2026-04-01")
		p3 := mk(b.ID, 0, "航空配套", 60*domain.Yi, "2025-12-01", "世界500强")
		if p1.Code != "XM20260001" || p2.Code != "XM20260002" || p3.Code != "XM20260003" {
			t.Fatalf("generated codes %s %s %s", p1.Code, p2.Code, p3.Code)
		}
		got, err := s.FindProjectByID(ctx, p1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.InvestorUSCC != "914403001922038216" || got.CapitalSource != "domestic" || !got.Industrial ||
			got.ExchangeRate != domain.DecFromInt(1) || len(got.Tags) != 1 || got.ParkID != park.ID {
			t.Fatalf("round trip: %+v", got)
		}
		bad := &domain.Project{Name: "x", UnitID: a.ID, Stage: "lead"}
		bad.InvestorUSCC = "914403001922038217"
		if f := domain.ErrorFields(s.CreateProject(ctx, system, bad)); f["investor_uscc"] == "" {
			t.Fatalf("bad USCC accepted: %v", f)
		}
		for name, tc := range map[string]struct {
			f    domain.ProjectFilter
			want int
		}{
			"all":         {domain.ProjectFilter{}, 3},
			"unit":        {domain.ProjectFilter{UnitID: a.ID}, 2},
			"park":        {domain.ProjectFilter{ParkID: park.ID}, 1},
			"tier 10亿":    {domain.ProjectFilter{MinAmount: 10 * domain.Yi}, 2},
			"tag":         {domain.ProjectFilter{Tag: "世界500强"}, 1},
			"window":      {domain.ProjectFilter{SignedFrom: "2026-01-01", SignedTo: "2026-03-31"}, 1},
			"search":      {domain.ProjectFilter{Query: "电子"}, 1},
			"search code": {domain.ProjectFilter{Query: "xm20260003"}, 1},
			"investor":    {domain.ProjectFilter{Query: "某某陶瓷"}, 3},
			"stage":       {domain.ProjectFilter{Stage: "started"}, 0},
			"page 2":      {domain.ProjectFilter{Limit: 2, Offset: 2}, 3},
			"past end":    {domain.ProjectFilter{Limit: 2, Offset: 10}, 3},
		} {
			list, total, err := s.FindProjects(ctx, tc.f)
			if err != nil {
				t.Fatal(name, err)
			}
			if total != tc.want {
				t.Errorf("%s: total %d, want %d", name, total, tc.want)
			}
			if name == "page 2" && (len(list) != 1 || list[0].ID != p3.ID) {
				t.Errorf("page 2: %v", list)
			}
		}
		list, _, _ := s.FindProjects(ctx, domain.ProjectFilter{Sort: "signed_desc"})
		if list[0].ID != p2.ID || list[2].ID != p3.ID {
			t.Errorf("sort signed desc: %s %s %s", list[0].Code, list[1].Code, list[2].Code)
		}
		if _, _, err := s.FindProjects(ctx, domain.ProjectFilter{Sort: "1; DROP TABLE"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad sort: %v", err)
		}

		// Update: fields change, stage does not; a stale version conflicts.
		edit := *got
		edit.Name, edit.Stage, edit.SignedOn = "陶瓷新材料（一期）", "in_production", "2020-01-01"
		if err := s.UpdateProject(ctx, system, &edit); err != nil {
			t.Fatal(err)
		}
		after, _ := s.FindProjectByID(ctx, p1.ID)
		if after.Name != "陶瓷新材料（一期）" || after.Stage != "signed" || after.SignedOn != "2026-03-01" || after.Version != 2 {
			t.Fatalf("after update: %+v", after)
		}
		stale := *got
		if err := s.UpdateProject(ctx, system, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "project.update"})
		if len(events) != 1 || !strings.Contains(events[0].Before, "陶瓷新材料") {
			t.Fatalf("update audit: %+v", events)
		}
	})
}

func TestProjectTransitions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		p := &domain.Project{Name: "风电装备", UnitID: a.ID, Stage: "lead"}
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		v := p.Version
		step := func(to, on, reason, wantErr string) {
			t.Helper()
			got, err := s.TransitionProject(ctx, system, p.ID, v, to, on, reason)
			if wantErr != "" {
				if err == nil || !strings.Contains(domain.ErrorMessage(err), wantErr) {
					t.Fatalf("%s on %s: got %v, want %q", to, on, err, wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s on %s: %v", to, on, err)
			}
			v = got.Version
		}
		step("started", "2026-05-01", "", "尚未签约")
		step("negotiating", "2026-02-01", "", "")
		step("signed", "2026-06-16", "", "晚于今天")
		step("signed", "2026-03-01", "", "")
		step("started", "2026-02-01", "", "不能早于「签约」日期")
		step("registered", "2026-04-01", "", "")
		step("started", "2026-03-15", "", "不能早于「注册」日期")
		step("started", "2026-06-15", "", "")
		step("signed", "2026-03-01", "", "必须填写原因")
		step("terminated", "2026-06-15", " ", "终止项目必须填写原因")
		if _, err := s.TransitionProject(ctx, system, p.ID, v-1, "completed", "2026-06-15", ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale transition: %v", err)
		}
		step("registered", "2026-04-01", "开工登记有误", "")
		got, _ := s.FindProjectByID(ctx, p.ID)
		if got.Stage != "registered" || got.StartedOn != "" || got.RegisteredOn != "2026-04-01" || got.SignedOn != "2026-03-01" {
			t.Fatalf("after going back: %+v", got)
		}
		step("terminated", "2026-06-10", "投资方撤资", "")
		got, _ = s.FindProjectByID(ctx, p.ID)
		if got.Stage != "terminated" || got.TerminatedOn != "2026-06-10" || got.TerminatedReason != "投资方撤资" {
			t.Fatalf("terminated: %+v", got)
		}
		hist, err := s.FindProjectHistory(ctx, p.ID)
		if err != nil || len(hist) != 7 || hist[0].From != "" || hist[0].To != "lead" || hist[6].To != "terminated" || hist[5].Reason != "开工登记有误" {
			t.Fatalf("history %d: %v", len(hist), err)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "project.stage"})
		if len(events) != 6 {
			t.Fatalf("stage audit events: %d", len(events))
		}
	})
}

func TestProjectLedgerAndNotes(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		p := &domain.Project{Name: "锂电池", UnitID: a.ID, Stage: "signed", SignedOn: "2026-01-05"}
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		for _, e := range []struct {
			month            string
			funds, completed int64
		}{{"2026-02", 3_000_000, 1_000_000}, {"2026-03", 5_000_000, 0}, {"2026-02", 4_000_000, 2_000_000}} {
			if _, err := s.SetLedger(ctx, system, p.ID, e.month, e.funds, e.completed); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetLedger(ctx, system, p.ID, "2026-07", 1, 0); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("future month: %v", err)
		}
		if _, err := s.SetLedger(ctx, system, p.ID, "2026-13", 1, 0); domain.ErrorFields(err)["month"] == "" {
			t.Fatalf("bad month: %v", err)
		}
		if _, err := s.SetLedger(ctx, system, p.ID, "2026-05", domain.MaxAmount+1, 0); domain.ErrorFields(err)["funds_in_place"] == "" {
			t.Fatalf("funds beyond 100万亿元: %v", err)
		}
		got, _ := s.FindProjectByID(ctx, p.ID)
		ledger, _ := s.FindProjectLedger(ctx, p.ID)
		if got.FundsInPlace != 9_000_000 || len(ledger) != 2 || ledger[0].InvestmentCompleted != 2_000_000 {
			t.Fatalf("funds %d ledger %+v", got.FundsInPlace, ledger)
		}
		if _, err := s.AddProjectNote(ctx, system, p.ID, "2026-06-01", "完成土地平整"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddProjectNote(ctx, system, p.ID, "2026-05-01", "签订补充协议"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddProjectNote(ctx, system, p.ID, "2026-06-16", "明天"); domain.ErrorFields(err)["on_date"] == "" {
			t.Fatalf("future note: %v", err)
		}
		got, _ = s.FindProjectByID(ctx, p.ID)
		notes, _ := s.FindProjectNotes(ctx, p.ID)
		if got.LastNoteOn != "2026-06-01" || len(notes) != 2 || notes[0].Body != "完成土地平整" {
			t.Fatalf("last note %s, notes %+v", got.LastNoteOn, notes)
		}
		for action, want := range map[string]int{"project.ledger": 3, "project.note": 2} {
			if events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: action}); len(events) != want {
				t.Errorf("%s events: %d, want %d", action, len(events), want)
			}
		}
	})
}
