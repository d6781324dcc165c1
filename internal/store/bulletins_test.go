package store

import (
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

func TestProjectMovementsCountWindowsAndTiers(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, c := analysisUnits(t, s)
		const yi = 100_000_000
		insertAnalysisProjects(t, s, []analysisProject{
			{unit: a.ID, stage: "signed", contract: 6 * yi, signed: "2026-10-01"},                                                    // month, ≥1亿 and ≥5亿
			{unit: a.ID, stage: "started", contract: yi / 2, signed: "2026-03-01", started: "2026-10-31"},                            // started this month, below 1亿
			{unit: a.ID, stage: "in_production", contract: yi, signed: "2025-05-01", started: "2025-09-01", producing: "2026-02-02"}, // produced this year
			{unit: b.ID, stage: "signed", contract: 20 * yi, signed: "2026-11-01"},                                                   // after the period
			{unit: b.ID, stage: "signed", contract: 2 * yi, signed: "2025-12-31"},                                                    // last year
		})
		tiers := domain.DefaultTiers[:2]
		got, err := s.ProjectMovements(ctx, 2026, 10, tiers)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]ProjectMovement{}
		for _, m := range got {
			byName[m.UnitName] = m
		}
		if len(got) != 3 || byName[c.Name].Counts[0][1][0] != 0 {
			t.Fatalf("units %+v", got)
		}
		ma := byName[a.Name].Counts
		// [event][window][tier]: signed, started, producing × month, year to date × all, ≥1亿, ≥5亿.
		want := [3][2][]int64{
			{{1, 1, 1}, {2, 1, 1}},
			{{1, 0, 0}, {1, 0, 0}},
			{{0, 0, 0}, {1, 1, 0}},
		}
		for e := range want {
			for w := range want[e] {
				for tier := range want[e][w] {
					if ma[e][w][tier] != want[e][w][tier] {
						t.Errorf("甲区 counts = %v, want %v", ma, want)
						return
					}
				}
			}
		}
		if mb := byName[b.Name].Counts; mb[0][1][0] != 0 {
			t.Errorf("乙区 counted outside the period: %v", mb)
		}
		// The project list's filter finds exactly the projects counted as produced this year.
		list, n, err := s.FindProjects(ctx, domain.ProjectFilter{UnitID: a.ID, ProducedFrom: "2026-01-01", ProducedTo: "2026-10-31", MinAmount: yi})
		if err != nil || n != 1 || len(list) != 1 {
			t.Errorf("produced filter: %d %v", n, err)
		}
		if _, err := s.ProjectMovements(ctx, 2026, 13, tiers); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad period: %v", err)
		}
	})
}

func TestPublishBulletinVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		pub := func(month, after int, scope, note, content string) (*domain.PublishedBulletin, error) {
			return s.PublishBulletin(ctx, system, domain.BulletinPublication{Year: 2026, Month: month, Scope: scope,
				Content: []byte(content), Note: note, After: after})
		}
		first, err := pub(9, 0, "all", "", `{"n":1}`)
		if err != nil {
			t.Fatal(err)
		}
		if first.Version != 1 || first.Issue != 1 || first.ContentHash != ContentHash([]byte(`{"n":1}`)) {
			t.Fatalf("first %+v", first)
		}
		// A correction needs a reason, and must follow the version its publisher saw.
		if _, err := pub(9, 1, "all", " ", `{"n":2}`); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("correction without a reason: %v", err)
		}
		if _, err := pub(9, 0, "all", "", `{"n":2}`); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale publish: %v", err)
		}
		second, err := pub(9, 1, "all", "更正甲区数据", `{"n":2}`)
		if err != nil || second.Version != 2 || second.Issue != 1 {
			t.Fatalf("second %+v %v", second, err)
		}
		october, err := pub(10, 0, "all", "", `{"n":3}`)
		if err != nil || october.Issue != 2 {
			t.Fatalf("october %+v %v", october, err)
		}
		county, err := pub(10, 0, "county", "", `{"n":4}`)
		if err != nil || county.Issue != 1 || county.Version != 1 {
			t.Fatalf("county %+v %v", county, err)
		}
		for _, bad := range []domain.BulletinPublication{
			{Year: 2026, Month: 13, Scope: "all", Content: []byte("{}")},
			{Year: 2026, Month: 1, Scope: "dept", Content: []byte("{}")},
			{Year: 2026, Month: 1, Scope: "all"},
		} {
			if _, err := s.PublishBulletin(ctx, system, bad); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		list, err := s.FindBulletins(ctx, 2026)
		if err != nil || len(list) != 4 || list[0].Month != 10 || list[2].Version != 2 || list[2].Content != nil {
			t.Fatalf("list %+v %v", list, err)
		}
		got, err := s.FindBulletinByID(ctx, second.ID)
		if err != nil || string(got.Content) != `{"n":2}` || got.Note != "更正甲区数据" || got.PublishedBy != "system" {
			t.Fatalf("by id %+v %v", got, err)
		}
		if _, err := s.FindBulletinByID(ctx, 999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing: %v", err)
		}
		if v, err := s.LatestBulletinVersion(ctx, 2026, 9, "all"); err != nil || v != 2 {
			t.Errorf("latest %d %v", v, err)
		}
		events, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Entity: "bulletin", Limit: 10})
		if err != nil || len(events) != 4 {
			t.Fatalf("audit %d %v", len(events), err)
		}
		if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}

func TestBulletinSettings(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		if b, err := s.BulletinSettings(ctx); err != nil || b != domain.DefaultBulletinSettings {
			t.Fatalf("defaults %+v %v", b, err)
		}
		if err := s.SetBulletinSettings(ctx, system, domain.BulletinSettings{WarningCap: 0}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("cap 0: %v", err)
		}
		if err := s.SetBulletinSettings(ctx, system, domain.BulletinSettings{CohortID: 42, WarningCap: 5}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("unknown cohort: %v", err)
		}
		if err := s.SetBulletinSettings(ctx, system, domain.BulletinSettings{Title: strings.Repeat("通", 61), WarningCap: 5}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("long title: %v", err)
		}
		if err := s.SetBulletinSettings(ctx, system, domain.BulletinSettings{Title: " 某市调度通报 ", WarningCap: 5}); err != nil {
			t.Fatal(err)
		}
		if b, _ := s.BulletinSettings(ctx); b.WarningCap != 5 || b.Title != "某市调度通报" {
			t.Errorf("saved %+v", b)
		}
	})
}
