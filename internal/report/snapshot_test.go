package report_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
)

var actor = domain.Actor{Via: "test"}

// A published bulletin stays as published when its records change afterwards, and the
// diff against a fresh computation names the changed cells.
func TestPublishedSnapshotIsFrozenAndDiffShowsCorrection(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) }
		city := &domain.Unit{Code: "369900", Name: "瓷都市", Kind: domain.UnitCity, Active: true}
		if err := s.CreateUnit(ctx, actor, city); err != nil {
			t.Fatal(err)
		}
		a := &domain.Unit{Code: "369901", Name: "甲区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		b := &domain.Unit{Code: "369902", Name: "乙县", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		for _, u := range []*domain.Unit{a, b} {
			if err := s.CreateUnit(ctx, actor, u); err != nil {
				t.Fatal(err)
			}
		}
		ind := &domain.Indicator{Code: "revenue", Name: "工业营业收入", Measure: "亿元", Decimals: 1, HigherIsBetter: true,
			Kind: domain.KindReported, Accumulation: domain.Cumulative, Headline: true, Active: true}
		if err := s.CreateIndicator(ctx, actor, ind); err != nil {
			t.Fatal(err)
		}
		d := func(v string) domain.Dec {
			x, err := domain.ParseDec(v)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		approved := map[int64]*domain.Report{}
		for unit, v := range map[int64]string{a.ID: "629.0", b.ID: "500"} {
			r, err := s.SaveReportDraft(ctx, actor, unit, 2026, 10, 0, map[int64]domain.Dec{ind.ID: d(v)})
			if err != nil {
				t.Fatal(err)
			}
			r, _ = s.TransitionReport(ctx, actor, r.ID, r.Version, store.TransitionSubmit, "")
			if approved[unit], err = s.TransitionReport(ctx, actor, r.ID, r.Version, store.TransitionApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		base := d("647.4")
		if _, err := s.SaveTargets(ctx, actor, 2026, []store.TargetChange{{UnitID: a.ID, IndicatorID: ind.ID, Base: &base}}, ""); err != nil {
			t.Fatal(err)
		}
		loc := time.FixedZone("CST", 8*3600)
		data, err := s.BulletinData(ctx, 2026, 10, loc)
		if err != nil {
			t.Fatal(err)
		}
		bulletin := report.Assemble(data, "all")
		content, err := json.Marshal(bulletin)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := s.PublishBulletin(ctx, actor, domain.BulletinPublication{Year: 2026, Month: 10, Scope: "all", Content: content})
		if err != nil {
			t.Fatal(err)
		}

		// 甲区's figure is corrected after publishing.
		if _, err := s.CorrectReport(ctx, actor, approved[a.ID].ID, approved[a.ID].Version, map[int64]domain.Dec{ind.ID: d("700")}, "统计局核定"); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindBulletinByID(ctx, pub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Content) != string(content) || store.ContentHash(got.Content) != pub.ContentHash {
			t.Fatal("the published snapshot changed")
		}
		var frozen report.Bulletin
		if err := json.Unmarshal(got.Content, &frozen); err != nil {
			t.Fatal(err)
		}
		data, err = s.BulletinData(ctx, 2026, 10, loc)
		if err != nil {
			t.Fatal(err)
		}
		changes := report.Diff(&frozen, report.Assemble(data, "all"))
		want := map[string]bool{"甲区|实际|629.0|700.0": false, "瓷都市|实际|1129.0|1200.0": false}
		for _, c := range changes {
			k := c.Row + "|" + c.Column + "|" + c.Old + "|" + c.New
			if _, ok := want[k]; ok && c.Section == "分项指标完成情况" {
				want[k] = true
			}
		}
		for k, seen := range want {
			if !seen {
				t.Errorf("diff lacks %s: %+v", k, changes)
			}
		}
	})
}
