package store

import (
	"context"
	"testing"

	"beizeng/internal/domain"
)

func dec(t testing.TB, s string) domain.Dec {
	t.Helper()
	d, err := domain.ParseDec(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decp(t testing.TB, s string) *domain.Dec {
	d := dec(t, s)
	return &d
}

func mustIndicator(t *testing.T, s *Store, code, name string, kind domain.IndicatorKind) *domain.Indicator {
	t.Helper()
	i := &domain.Indicator{Code: code, Name: name, Measure: "个", Decimals: 0, HigherIsBetter: true, Kind: kind, Active: true}
	if err := s.CreateIndicator(context.Background(), system, i); err != nil {
		t.Fatal(err)
	}
	return i
}

func TestIndicatorCatalogue(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		signed := mustIndicator(t, s, "signed", "签约项目", domain.KindReported)
		started := mustIndicator(t, s, "started", "开工项目", domain.KindReported)
		rate := &domain.Indicator{Code: "start_rate", Name: "开工率", Measure: "%", Decimals: 1, HigherIsBetter: true,
			Kind: domain.KindRatio, NumeratorID: started.ID, DenominatorID: signed.ID, Active: true}
		if err := s.CreateIndicator(ctx, system, rate); err != nil {
			t.Fatal(err)
		}
		// A ratio of a ratio, a duplicate code and a derived rule (no records yet) are refused.
		bad := []*domain.Indicator{
			{Code: "x", Name: "x", Measure: "%", Kind: domain.KindRatio, NumeratorID: rate.ID, DenominatorID: signed.ID},
			{Code: "signed", Name: "重复", Measure: "个", Kind: domain.KindReported},
			{Code: "derived", Name: "自动", Measure: "个", Kind: domain.KindDerived},
		}
		for _, b := range bad {
			if err := s.CreateIndicator(ctx, system, b); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s accepted: %v", b.Code, err)
			}
		}
		list, err := s.FindIndicators(ctx, true)
		if err != nil || len(list) != 3 {
			t.Fatalf("catalogue: %d %v", len(list), err)
		}
		rate.Name = "项目开工率"
		if err := s.UpdateIndicator(ctx, system, rate); err != nil || rate.Version != 2 {
			t.Fatalf("update: %v", err)
		}
		rate.Version = 1
		if err := s.UpdateIndicator(ctx, system, rate); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
	})
}

func TestTargetsAndLetters(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		county := mustUnit(t, s, "360202", domain.UnitCounty, city.ID)
		ind := mustIndicator(t, s, "new_above_scale", "新增规上工业企业", domain.KindReported)

		n, err := s.SaveTargets(ctx, system, 2026, []TargetChange{
			{UnitID: city.ID, IndicatorID: ind.ID, Base: decp(t, "100"), Stretch: decp(t, "120")},
			{UnitID: county.ID, IndicatorID: ind.ID, Base: decp(t, "30")},
		}, "")
		if err != nil || n != 2 {
			t.Fatalf("save targets: %d %v", n, err)
		}
		if _, err := s.SaveTargets(ctx, system, 2026, []TargetChange{{UnitID: county.ID, IndicatorID: ind.ID, Base: decp(t, "30"), Stretch: decp(t, "20")}}, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("stretch below base accepted: %v", err)
		}
		letter, err := s.IssueLetter(ctx, system, 2026, county.ID, "")
		if err != nil || letter.Version != 1 || len(letter.Targets) != 1 || letter.Targets[0].Base != "30" {
			t.Fatalf("issue: %+v %v", letter, err)
		}
		if _, err := s.IssueLetter(ctx, system, 2027, county.ID, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("letter without targets: %v", err)
		}
		// After issue, a change needs a reason and is kept as a revision.
		change := []TargetChange{{UnitID: county.ID, IndicatorID: ind.ID, Base: decp(t, "32"), Stretch: decp(t, "36")}}
		if _, err := s.SaveTargets(ctx, system, 2026, change, ""); domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("change without reason: %v", err)
		}
		if n, err := s.SaveTargets(ctx, system, 2026, change, "市政府常务会议调整"); err != nil || n != 1 {
			t.Fatalf("change with reason: %d %v", n, err)
		}
		revs, err := s.FindTargetRevisions(ctx, 2026, county.ID)
		if err != nil || len(revs) != 1 || revs[0].OldBase != "30" || revs[0].NewStretch != "36" || revs[0].Reason != "市政府常务会议调整" {
			t.Fatalf("revisions: %+v %v", revs, err)
		}
		// The city's target changes freely: its letter was never issued.
		if _, err := s.SaveTargets(ctx, system, 2026, []TargetChange{{UnitID: city.ID, IndicatorID: ind.ID, Base: decp(t, "110")}}, ""); err != nil {
			t.Fatal(err)
		}
		letter2, _ := s.IssueLetter(ctx, system, 2026, county.ID, "调整后重新下达")
		letters, err := s.FindLetters(ctx, 2026, county.ID)
		if err != nil || len(letters) != 2 || letters[0].Version != 2 || letters[1].Targets[0].Base != "30" || letter2.Targets[0].Base != "32" {
			t.Fatalf("letters keep the earlier version: %+v %v", letters, err)
		}
		targets, _ := s.FindTargets(ctx, 2026, 0)
		if got := targets[TargetKey{UnitID: county.ID, IndicatorID: ind.ID}]; got == nil || got.Base.String() != "32" || got.Stretch.String() != "36" {
			t.Fatalf("targets: %+v", got)
		}
	})
}

func TestReportWorkflow(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		county := mustUnit(t, s, "360202", domain.UnitCounty, city.ID)
		a := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		b := mustIndicator(t, s, "firms", "新增规上企业", domain.KindReported)

		r, err := s.SaveReportDraft(ctx, system, county.ID, 2026, 10, 0, map[int64]domain.Dec{a.ID: dec(t, "123.45")})
		if err != nil || r.Version != 1 {
			t.Fatalf("draft: %v", err)
		}
		if _, err := s.SaveReportDraft(ctx, system, county.ID, 2026, 10, 0, nil); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("second create: %v", err)
		}
		if _, err := s.TransitionReport(ctx, system, r.ID, 1, TransitionSubmit, ""); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("submit with a value missing: %v", err)
		}
		r, err = s.SaveReportDraft(ctx, system, county.ID, 2026, 10, 1, map[int64]domain.Dec{a.ID: dec(t, "123.45"), b.ID: dec(t, "7")})
		if err != nil {
			t.Fatal(err)
		}
		if r, err = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, ""); err != nil || r.Status != domain.ReportSubmitted {
			t.Fatalf("submit: %v", err)
		}
		if _, err := s.SaveReportDraft(ctx, system, county.ID, 2026, 10, r.Version, nil); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("edit after submit: %v", err)
		}
		if _, err := s.TransitionReport(ctx, system, r.ID, r.Version, TransitionReturn, " "); domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("return without reason: %v", err)
		}
		if r, err = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionReturn, "数据与统计局不符"); err != nil || r.Status != domain.ReportReturned {
			t.Fatalf("return: %v", err)
		}
		r, _ = s.SaveReportDraft(ctx, system, county.ID, 2026, 10, r.Version, map[int64]domain.Dec{a.ID: dec(t, "120"), b.ID: dec(t, "7")})
		r, _ = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionSubmit, "")
		if r, err = s.TransitionReport(ctx, system, r.ID, r.Version, TransitionApprove, ""); err != nil || r.Status != domain.ReportApproved {
			t.Fatalf("approve: %v", err)
		}
		if _, err := s.CorrectReport(ctx, system, r.ID, r.Version, map[int64]domain.Dec{a.ID: dec(t, "121")}, ""); domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("correction without reason: %v", err)
		}
		if r, err = s.CorrectReport(ctx, system, r.ID, r.Version, map[int64]domain.Dec{a.ID: dec(t, "121")}, "统计局反馈更正"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindReport(ctx, county.ID, 2026, 10)
		if got.Values[a.ID].String() != "121" || got.Values[b.ID].String() != "7" || got.Status != domain.ReportApproved {
			t.Fatalf("after correction: %+v", got)
		}
		cs, err := s.FindReportCorrections(ctx, r.ID)
		if err != nil || len(cs) != 1 || cs[0].OldValue != "120" || cs[0].NewValue != "121" {
			t.Fatalf("corrections: %+v %v", cs, err)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Entity: "report"})
		want := []string{"report.correct", "report.approve", "report.submit", "report.save", "report.return", "report.submit", "report.save", "report.create"}
		if len(events) != len(want) {
			t.Fatalf("audit: %d events", len(events))
		}
		for i, e := range events {
			if e.Action != want[i] {
				t.Errorf("event %d = %s, want %s", i, e.Action, want[i])
			}
		}
	})
}
