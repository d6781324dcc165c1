package store

import (
	"context"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func TestCockpitInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if _, _, ok, err := s.LatestReportPeriod(ctx); ok || err != nil {
			t.Fatalf("latest period of an empty database: %v %v", ok, err)
		}
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		a := &domain.Unit{Code: "360202", Name: "甲区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		if err := s.CreateUnit(ctx, system, a); err != nil {
			t.Fatal(err)
		}
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		for m, v := range map[int]string{3: "30", 4: "45"} {
			r, err := s.SaveReportDraft(ctx, system, a.ID, 2026, m, 0, map[int64]domain.Dec{ind.ID: dec(t, v)})
			if err != nil {
				t.Fatal(err)
			}
			r, _ = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
			if m == 3 {
				s.TransitionReport(ctx, system, r.ID, r.Version, TransitionApprove, "")
			}
		}
		// A draft of a later month does not move the default period; a submitted one does.
		if _, err := s.SaveReportDraft(ctx, system, a.ID, 2026, 5, 0, map[int64]domain.Dec{ind.ID: dec(t, "60")}); err != nil {
			t.Fatal(err)
		}
		if y, m, ok, err := s.LatestReportPeriod(ctx); !ok || err != nil || y != 2026 || m != 4 {
			t.Fatalf("latest period %d-%d %v %v", y, m, ok, err)
		}
		for i, stage := range []string{"signed", "signed", "started"} {
			p := &domain.Project{Code: "C" + string(rune('A'+i)), Name: "项目", UnitID: a.ID, Stage: stage, SignedOn: "2025-01-02",
				ContractInvestment: domain.Yi}
			if stage == "started" {
				p.StartedOn = "2025-03-01"
			}
			if err := s.CreateProject(ctx, system, p); err != nil {
				t.Fatal(err)
			}
		}

		in, err := s.CockpitInput(ctx, 2026, 4, 0, time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		key := domain.CellKey{UnitID: a.ID, IndicatorID: ind.ID}
		// Only approved months count: March's 30, April is only submitted.
		if len(in.Monthly) != 4 || in.Monthly[3][key].String() != "30" || len(in.Monthly[4]) != 0 || in.MonthlyProgress[3].Cmp(domain.TimeProgressMonths(3)) != 0 {
			t.Errorf("monthly %v", in.Monthly)
		}
		if in.Stages["signed"] != 2 || in.Stages["started"] != 1 || in.Progress.City == nil {
			t.Errorf("stages %v", in.Stages)
		}
		// The two signed projects never started: red after 180 days.
		if len(in.Warnings) != 1 || in.Warnings[0].UnitID != a.ID || in.Warnings[0].Red != 2 {
			t.Errorf("warnings %+v", in.Warnings)
		}
		if _, err := s.CockpitInput(ctx, 2026, 13, 0, time.Now()); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad period: %v", err)
		}

		counts, err := s.CountUnitsByKind(ctx)
		if err != nil || counts[domain.UnitCity] != 1 || counts[domain.UnitCounty] != 1 || counts[domain.UnitPark] != 0 {
			t.Errorf("unit counts %v %v", counts, err)
		}
	})
}
