package store

import (
	"context"
	"testing"

	"beizeng/internal/domain"
)

func TestLoadHistory(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		a := mustUnit(t, s, "360202", domain.UnitCounty, city.ID)
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		count := func(table string) int {
			var n int
			if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		vals := map[int64]domain.Dec{ind.ID: dec(t, "12.5")}
		ok := []HistoryReport{{UnitID: a.ID, Year: 2025, Month: 1, Values: vals}, {UnitID: a.ID, Year: 2025, Month: 2, Values: vals}}
		events := count("audit_events")
		if err := s.LoadApprovedReports(ctx, system, "历史数据", ok); err != nil {
			t.Fatal(err)
		}
		if r, err := s.FindReport(ctx, a.ID, 2025, 2); err != nil || r.Status != domain.ReportApproved || r.Values[ind.ID].String() != "12.5" {
			t.Fatalf("loaded report %+v %v", r, err)
		}
		if count("audit_events") != events+2 {
			t.Error("one audit event per report")
		}
		// Any bad report refuses the whole batch.
		for name, bad := range map[string]HistoryReport{
			"duplicate":    {UnitID: a.ID, Year: 2025, Month: 1, Values: vals},
			"unknown unit": {UnitID: 999999, Year: 2025, Month: 3, Values: vals},
			"month 13":     {UnitID: a.ID, Year: 2025, Month: 13, Values: vals},
			"not reported": {UnitID: a.ID, Year: 2025, Month: 4, Values: map[int64]domain.Dec{999999: 1}},
		} {
			err := s.LoadApprovedReports(ctx, system, "", []HistoryReport{{UnitID: a.ID, Year: 2025, Month: 5, Values: vals}, bad})
			if c := domain.ErrorCode(err); c != domain.EINVALID && c != domain.ECONFLICT {
				t.Errorf("%s: %v", name, err)
			}
		}
		if count("reports") != 2 {
			t.Errorf("a refused batch left %d reports", count("reports"))
		}

		p := &domain.Project{Code: "H1", Name: "历史项目", UnitID: a.ID, Stage: "started", SignedOn: "2025-01-05",
			RegisteredOn: "2025-01-20", StartedOn: "2025-03-01", ContractInvestment: 5 * domain.Yi}
		h := HistoryProject{Project: p,
			Ledger: []domain.ProjectLedgerEntry{{Month: "2025-03", FundsInPlace: 1000, InvestmentCompleted: 800}, {Month: "2025-04", FundsInPlace: 500}},
			Notes:  []domain.ProjectNote{{OnDate: "2025-03-02", Body: "开工仪式"}, {OnDate: "2025-04-10", Body: "主体施工"}}}
		if err := s.LoadProjects(ctx, system, "历史数据", []HistoryProject{h}); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindProjectByID(ctx, p.ID)
		if err != nil || got.FundsInPlace != 1500 || got.LastNoteOn != "2025-04-10" || got.Stage != "started" {
			t.Fatalf("loaded project %+v %v", got, err)
		}
		if hist, _ := s.FindProjectHistory(ctx, p.ID); len(hist) != 3 {
			t.Errorf("stage history: %d entries, want signed, registered, started", len(hist))
		}
		for name, change := range map[string]func(h *HistoryProject){
			"taken code":  func(h *HistoryProject) {},
			"future date": func(h *HistoryProject) { h.Project.Code, h.Project.StartedOn = "H2", "2999-01-01" },
			"bad month": func(h *HistoryProject) {
				h.Project.Code, h.Ledger = "H3", []domain.ProjectLedgerEntry{{Month: "2025-13"}}
			},
			"empty note":   func(h *HistoryProject) { h.Project.Code, h.Notes = "H4", []domain.ProjectNote{{OnDate: "2025-01-01"}} },
			"no such unit": func(h *HistoryProject) { h.Project.Code, h.Project.UnitID = "H5", 999999 },
		} {
			q := *p
			q.ID = 0
			bad := HistoryProject{Project: &q, Ledger: h.Ledger, Notes: h.Notes}
			change(&bad)
			if c := domain.ErrorCode(s.LoadProjects(ctx, system, "", []HistoryProject{bad})); c != domain.EINVALID && c != domain.ECONFLICT {
				t.Errorf("%s: %s", name, c)
			}
		}
		if count("projects") != 1 || count("project_ledger") != 2 || count("project_notes") != 2 {
			t.Error("a refused load changed the projects")
		}
	})
}
