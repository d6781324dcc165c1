package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// TestProjectWarningsSQLIsExact checks that the warning level restated in SQL
// (warningLevelSQL) agrees with the domain's rules: ProjectWarnings, which reads only the
// projects SQL finds warned, and the bulletin's counts and first rows (warningSummary)
// match evaluating the rules on every project — on dates one day either side of every
// rule's threshold, funds either side of time progress and every stage, under several rule
// settings.
func TestProjectWarningsSQLIsExact(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, _ := analysisUnits(t, s)
		park := mustUnit(t, s, "360290", domain.UnitPark, a.ParentID)
		kind := map[int64]domain.UnitKind{a.ID: a.Kind, b.ID: b.Kind, park.ID: park.Kind}
		today := time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC)
		ago := func(days int) string { return today.AddDate(0, 0, -days).Format(time.DateOnly) }
		var dates []string
		for _, n := range []int{-30, -1, 0, 1, 29, 30, 31, 89, 90, 91, 179, 180, 181, 364, 365, 366, 800} {
			dates = append(dates, ago(n))
		}
		pick := func(r *rand.Rand) string {
			if r.IntN(3) == 0 {
				return ""
			}
			return dates[r.IntN(len(dates))]
		}
		// Ended projects have no warnings: few of them, so that most rows test a rule.
		rare := func(r *rand.Rand) string {
			if r.IntN(10) > 0 {
				return ""
			}
			return pick(r)
		}
		r := rand.New(rand.NewPCG(1, 2))
		err := s.inWrite(ctx, func(tx *Tx) error {
			for i := range 600 {
				unit := []int64{a.ID, b.ID, park.ID}[i%3]
				stage := domain.ProjectStages[r.IntN(len(domain.ProjectStages))]
				contract := []int64{0, 1_200_000, 50_000_000}[r.IntN(3)]
				// Funds either side of (and at) 10/12 of the contract: today is in November.
				funds := contract * int64(9+r.IntN(3)) / 12
				if _, err := tx.exec(ctx, `INSERT INTO projects (code, name, unit_id, stage, contract_investment, funds_in_place,
					signed_on, land_supplied_on, started_on, in_production_on, terminated_on, planned_start_on,
					planned_production_on, last_note_on, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					fmt.Sprintf("W%04d", i), fmt.Sprintf("预警项目%d", i), unit, stage, contract, funds,
					nullText(pick(r)), nullText(pick(r)), nullText(pick(r)), nullText(rare(r)), nullText(rare(r)),
					nullText(pick(r)), nullText(pick(r)), nullText(pick(r)), tx.now, tx.now); err != nil {
					return err
				}
			}
			// And every threshold alone: one date set, the others empty, before and after the start.
			i := 0
			for _, column := range []string{"signed_on", "land_supplied_on", "planned_start_on", "planned_production_on", "last_note_on"} {
				for _, date := range dates {
					for _, stage := range []string{"land_supplied", "started"} {
						i++
						if _, err := tx.exec(ctx, `INSERT INTO projects (code, name, unit_id, stage, `+column+`, created_at, updated_at)
							VALUES (?, ?, ?, ?, ?, ?, ?)`, fmt.Sprintf("G%04d", i), fmt.Sprintf("阈值项目%d", i),
							[]int64{a.ID, b.ID, park.ID}[i%3], stage, date, tx.now, tx.now); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		off := domain.WarningRules{}
		yellowOnly := domain.DefaultWarningRules
		yellowOnly.NotStartedRedDays, yellowOnly.IdleLandDays, yellowOnly.FundsBehind = 0, 0, false
		redOnly := domain.DefaultWarningRules
		redOnly.NotStartedYellowDays, redOnly.NoNoteDays, redOnly.PlannedStart = 0, 0, false
		for name, rules := range map[string]domain.WarningRules{"defaults": domain.DefaultWarningRules, "off": off,
			"yellow only": yellowOnly, "red only": redOnly} {
			for _, unitID := range []int64{0, b.ID} {
				want := allWarnings(t, s, unitID, today, rules)
				got, err := s.ProjectWarnings(ctx, unitID, today, rules)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.EqualFunc(got, want, func(x, y ProjectWarningRow) bool {
					return fmt.Sprint(x) == fmt.Sprint(y)
				}) {
					t.Fatalf("%s, unit %d: prefiltered %d rows, full evaluation %d", name, unitID, len(got), len(want))
				}
				if unitID == 0 {
					checkSummary(t, s, today, rules, want, kind)
				}
				// The project list's warning filter finds the same projects.
				for filter, keep := range map[string]func(ProjectWarningRow) bool{
					WarningFilterAny: func(ProjectWarningRow) bool { return true },
					WarningFilterRed: func(r ProjectWarningRow) bool { return r.Level == domain.WarningRed },
				} {
					var wantIDs []int64
					for _, r := range want {
						if keep(r) {
							wantIDs = append(wantIDs, r.ProjectID)
						}
					}
					ids, err := s.WarningProjectIDs(ctx, unitID, today, rules, filter)
					slices.Sort(ids)
					slices.Sort(wantIDs)
					if err != nil || !slices.Equal(ids, wantIDs) {
						t.Fatalf("%s, unit %d, filter %s: %d projects, the rules give %d (%v)", name, unitID, filter, len(ids), len(wantIDs), err)
					}
				}
				if name == "defaults" && unitID == 0 {
					kinds := map[string]bool{}
					for _, w := range want {
						for _, x := range w.Warnings {
							kinds[x.Code] = true
						}
					}
					if len(kinds) != len(domain.WarningLabels) {
						t.Fatalf("the dataset shows warning kinds %v, want all %d", kinds, len(domain.WarningLabels))
					}
				}
				if name == "off" && len(got) != 0 {
					t.Fatalf("rules off: %d warned", len(got))
				}
			}
		}
	})
}

// allWarnings evaluates the rules on every project with no narrowing in SQL, ordered as
// ProjectWarnings documents: red first, then by unit order and project code.
func allWarnings(t *testing.T, s *Store, unitID int64, today time.Time, rules domain.WarningRules) []ProjectWarningRow {
	t.Helper()
	var red, yellow []ProjectWarningRow
	err := s.inRead(context.Background(), func(tx *Tx) error {
		rows, err := tx.query(context.Background(), `SELECT p.id, p.code, p.name, p.unit_id, u.name, p.stage,
			COALESCE(p.signed_on, ''), COALESCE(p.land_supplied_on, ''), COALESCE(p.started_on, ''),
			COALESCE(p.in_production_on, ''), COALESCE(p.terminated_on, ''), COALESCE(p.planned_start_on, ''),
			COALESCE(p.planned_production_on, ''), COALESCE(p.last_note_on, ''), p.contract_investment, p.funds_in_place
			FROM projects p JOIN units u ON u.id = p.unit_id
			WHERE p.stage NOT IN ('lead', 'negotiating', 'terminated', 'in_production') AND (? = 0 OR p.unit_id = ?)
			ORDER BY u.sort_order, u.code, p.code`, unitID, unitID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r ProjectWarningRow
			var f domain.ProjectFacts
			if err := rows.Scan(&r.ProjectID, &r.Code, &r.Name, &r.UnitID, &r.UnitName, &r.Stage,
				&f.SignedOn, &f.LandSuppliedOn, &f.StartedOn, &f.InProductionOn, &f.TerminatedOn, &f.PlannedStartOn,
				&f.PlannedProductionOn, &f.LastNoteOn, &f.ContractInvestment, &f.FundsInPlace); err != nil {
				return err
			}
			f.Stage = r.Stage
			if r.Warnings = domain.ProjectWarnings(f, today, rules); len(r.Warnings) > 0 {
				if r.Level = domain.WorstLevel(r.Warnings); r.Level == domain.WarningRed {
					red = append(red, r)
				} else {
					yellow = append(yellow, r)
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(red, yellow...)
}

// checkSummary compares the bulletin's warning summary with the full evaluation want: the
// counts per unit by level, and for several caps the first rows of each unit kind.
func checkSummary(t *testing.T, s *Store, today time.Time, rules domain.WarningRules, want []ProjectWarningRow, kind map[int64]domain.UnitKind) {
	t.Helper()
	counts := map[int64][2]int{}
	for _, w := range want {
		c := counts[w.UnitID]
		if w.Level == domain.WarningRed {
			c[0]++
		} else {
			c[1]++
		}
		counts[w.UnitID] = c
	}
	for _, perKind := range []int{1, 7, 1000} {
		var got WarningSummary
		err := s.inRead(context.Background(), func(tx *Tx) (err error) {
			got, err = tx.warningSummary(context.Background(), 0, today, rules, perKind)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		gotCounts := map[int64][2]int{}
		for _, c := range got.Counts {
			gotCounts[c.UnitID] = [2]int{c.Red, c.Yellow}
		}
		if fmt.Sprint(gotCounts) != fmt.Sprint(counts) {
			t.Fatalf("counts %v, the rules give %v", gotCounts, counts)
		}
		var first []ProjectWarningRow
		taken := map[domain.UnitKind]int{}
		for _, w := range want {
			if k := kind[w.UnitID]; taken[k] < perKind {
				taken[k]++
				first = append(first, w)
			}
		}
		if fmt.Sprint(got.First) != fmt.Sprint(first) {
			t.Fatalf("first %d per kind: %d rows %v, want %d rows", perKind, len(got.First), got.First, len(first))
		}
	}
}
