package store

import (
	"context"
	"testing"

	"beizeng/internal/domain"
)

func TestPlans(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		p := &domain.Plan{Name: "工业倍增三年行动", IndicatorID: ind.ID, BaselineYear: 2020, EndYear: 2023, Multiple: dec(t, "2"), Geometric: true,
			Values: map[int64]map[int]domain.Dec{city.ID: {2020: dec(t, "10000")}}}
		if err := p.Generate(); err != nil {
			t.Fatal(err)
		}
		if err := s.CreatePlan(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindPlanByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{2020: "10000", 2021: "12599.2105", 2022: "15874.0105", 2023: "20000"}
		for y, v := range want {
			if got.Values[city.ID][y].String() != v {
				t.Errorf("%d = %s, want %s", y, got.Values[city.ID][y], v)
			}
		}
		// Goals stay editable; a stale edit is refused; a value outside the years too.
		got.Values[city.ID][2022] = dec(t, "16000")
		if err := s.UpdatePlan(ctx, system, got); err != nil {
			t.Fatal(err)
		}
		got.Version = 1
		if err := s.UpdatePlan(ctx, system, got); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale plan: %v", err)
		}
		got.Version = 2
		got.Values[city.ID][2030] = dec(t, "1")
		if err := s.UpdatePlan(ctx, system, got); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("value outside the plan: %v", err)
		}
		bad := &domain.Plan{Name: "", IndicatorID: ind.ID, BaselineYear: 2020, EndYear: 2020, Multiple: dec(t, "1")}
		if f := domain.ErrorFields(s.CreatePlan(ctx, system, bad)); f["name"] == "" || f["end_year"] == "" || f["multiple"] == "" {
			t.Fatalf("bad plan: %v", f)
		}
		ghost := &domain.Plan{Name: "x", IndicatorID: ind.ID, BaselineYear: 2020, EndYear: 2023, Multiple: dec(t, "2"),
			Values: map[int64]map[int]domain.Dec{999: {2020: dec(t, "1")}}}
		if err := s.CreatePlan(ctx, system, ghost); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("plan for a unit that does not exist: %v", err)
		}
		plans, _ := s.FindPlans(ctx)
		if len(plans) != 1 || plans[0].Version != 2 {
			t.Fatalf("plans: %+v", plans)
		}
		p2, _ := s.FindPlanByID(ctx, p.ID)
		if p2.Values[city.ID][2022].String() != "16000" {
			t.Fatalf("edited goal: %s", p2.Values[city.ID][2022])
		}
		// Year figures take each year's newest approved month.
		for _, m := range []struct {
			month int
			v     string
		}{{11, "90"}, {12, "100"}} {
			r, _ := s.SaveReportDraft(ctx, system, city.ID, 2021, m.month, 0, map[int64]domain.Dec{ind.ID: dec(t, m.v)})
			r, _ = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
			s.TransitionReport(ctx, system, r.ID, r.Version, TransitionApprove, "")
		}
		figs, err := s.YearFigures(ctx, ind.ID, 2020, 2023)
		if err != nil || figs[city.ID][2021].String() != "100" {
			t.Fatalf("year figures: %v %v", figs, err)
		}
	})
}
