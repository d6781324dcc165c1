package store

import (
	"context"
	"testing"

	"beizeng/internal/domain"
)

func TestFindLetterByIDAndYear(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		a := mustUnit(t, s, "360202", domain.UnitCounty, city.ID)
		b := mustUnit(t, s, "360203", domain.UnitCounty, city.ID)
		ind := mustIndicator(t, s, "projects", "亿元以上项目", domain.KindReported)
		if _, err := s.SaveTargets(ctx, system, 2026, []TargetChange{
			{UnitID: a.ID, IndicatorID: ind.ID, Base: decp(t, "12"), Stretch: decp(t, "15.5")},
			{UnitID: b.ID, IndicatorID: ind.ID, Base: decp(t, "8")},
		}, ""); err != nil {
			t.Fatal(err)
		}
		a1, err := s.IssueLetter(ctx, system, 2026, a.ID, "首次下达")
		if err != nil {
			t.Fatal(err)
		}
		a2, _ := s.IssueLetter(ctx, system, 2026, a.ID, "")
		b1, _ := s.IssueLetter(ctx, system, 2026, b.ID, "")

		got, err := s.FindLetterByID(ctx, a1.ID)
		if err != nil || got.Version != 1 || got.UnitID != a.ID || got.Note != "首次下达" || len(got.Targets) != 1 ||
			got.Targets[0].Stretch != "15.5" || !got.IssuedAt.Equal(a1.IssuedAt) {
			t.Fatalf("by id: %+v %v", got, err)
		}
		if _, err := s.FindLetterByID(ctx, 99999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("missing letter: %v", err)
		}

		year, err := s.FindLettersByYear(ctx, 2026)
		if err != nil || len(year) != 3 {
			t.Fatalf("by year: %d %v", len(year), err)
		}
		if year[0].ID != a2.ID || year[1].ID != a1.ID || year[2].ID != b1.ID {
			t.Errorf("order: %d %d %d, want %d %d %d", year[0].ID, year[1].ID, year[2].ID, a2.ID, a1.ID, b1.ID)
		}
		if none, err := s.FindLettersByYear(ctx, 2027); err != nil || len(none) != 0 {
			t.Fatalf("empty year: %v %v", none, err)
		}
	})
}
