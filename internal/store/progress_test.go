package store

import (
	"context"
	"testing"

	"beizeng/internal/domain"
)

func TestProgressInputReadsApprovedFigures(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		a := &domain.Unit{Code: "360202", Name: "甲区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		b := &domain.Unit{Code: "360203", Name: "乙区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		dept := &domain.Unit{Code: "D01", Name: "工信局", Kind: domain.UnitDepartment, ParentID: city.ID, Active: true}
		for _, u := range []*domain.Unit{a, b, dept} {
			if err := s.CreateUnit(ctx, system, u); err != nil {
				t.Fatal(err)
			}
		}
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		approve := func(unit int64, year int, v string) {
			r, err := s.SaveReportDraft(ctx, system, unit, year, 10, 0, map[int64]domain.Dec{ind.ID: dec(t, v)})
			if err != nil {
				t.Fatal(err)
			}
			r, _ = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
			if _, err := s.TransitionReport(ctx, system, r.ID, r.Version, TransitionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		approve(a.ID, 2026, "629")
		approve(a.ID, 2025, "500")
		// 乙区's report is only submitted: it does not count until approved.
		r, _ := s.SaveReportDraft(ctx, system, b.ID, 2026, 10, 0, map[int64]domain.Dec{ind.ID: dec(t, "400")})
		s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
		if _, err := s.SaveTargets(ctx, system, 2026, []TargetChange{{UnitID: a.ID, IndicatorID: ind.ID, Base: decp(t, "647.4")}}, ""); err != nil {
			t.Fatal(err)
		}

		in, err := s.ProgressInput(ctx, 2026, 10)
		if err != nil {
			t.Fatal(err)
		}
		key := domain.CellKey{UnitID: a.ID, IndicatorID: ind.ID}
		if in.City == nil || in.City.ID != city.ID || len(in.Units) != 2 || len(in.Indicators) != 1 {
			t.Fatalf("units/indicators: city=%v units=%d", in.City, len(in.Units))
		}
		if in.Actual[key].String() != "629" || in.LastYear[key].String() != "500" || in.Targets[key] == nil {
			t.Fatalf("figures: %v %v %v", in.Actual, in.LastYear, in.Targets)
		}
		if _, ok := in.Actual[domain.CellKey{UnitID: b.ID, IndicatorID: ind.ID}]; ok {
			t.Fatal("a submitted, unapproved figure counted")
		}
		if domain.FormatPercent(in.TimeProgress, 1) != "83.3" {
			t.Fatalf("time progress %s", domain.FormatPercent(in.TimeProgress, 1))
		}
		if err := s.SetSetting(ctx, system, SettingTimeProgress, "days"); err != nil {
			t.Fatal(err)
		}
		in, _ = s.ProgressInput(ctx, 2026, 6)
		if domain.FormatPercent(in.TimeProgress, 1) != "49.6" { // 181 of 365 days, not 6/12
			t.Fatalf("days-based time progress %s", domain.FormatPercent(in.TimeProgress, 1))
		}
		trend, err := s.MonthlyFigures(ctx, 2026, 12)
		if err != nil || trend[10][key].String() != "629" || len(trend) != 1 {
			t.Fatalf("trend: %v %v", trend, err)
		}
	})
}

func TestPhasesReplaceTimeProgress(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		q := domain.Phases{3: dec(t, "20"), 6: dec(t, "45"), 9: dec(t, "70"), 12: dec(t, "100")}
		if err := s.SavePhases(ctx, system, 2026, map[int64]domain.Phases{ind.ID: {6: dec(t, "30"), 3: dec(t, "40")}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("falling schedule: %v", err)
		}
		if err := s.SavePhases(ctx, system, 2026, map[int64]domain.Phases{ind.ID: q}); err != nil {
			t.Fatal(err)
		}
		in, err := s.ProgressInput(ctx, 2026, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := domain.FormatPercent(in.Phased[ind.ID], 1); got != "80.0" {
			t.Fatalf("phased October = %s", got)
		}
		if err := s.SavePhases(ctx, system, 2026, map[int64]domain.Phases{ind.ID: {}}); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.FindPhases(ctx, 2026); len(p) != 0 {
			t.Fatalf("schedule not removed: %v", p)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "phases.set"})
		if len(events) != 2 {
			t.Fatalf("audit: %d", len(events))
		}
	})
}
