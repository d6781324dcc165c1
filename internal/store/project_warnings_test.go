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

// TestProjectWarningsPrefilterIsExact checks that narrowing the candidates in SQL
// (warningCandidates) drops no warned project: on projects with dates one day either
// side of every rule's threshold, funds either side of time progress and every stage,
// ProjectWarnings returns exactly what domain.ProjectWarnings gives on every project,
// under several rule settings.
func TestProjectWarningsPrefilterIsExact(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a, b, _ := analysisUnits(t, s)
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
		r := rand.New(rand.NewPCG(1, 2))
		err := s.inWrite(ctx, func(tx *Tx) error {
			for i := range 600 {
				unit := a.ID
				if i%2 == 1 {
					unit = b.ID
				}
				stage := domain.ProjectStages[r.IntN(len(domain.ProjectStages))]
				contract := []int64{0, 1_200_000, 50_000_000}[r.IntN(3)]
				// Funds either side of (and at) 10/12 of the contract: today is in November.
				funds := contract * int64(9+r.IntN(3)) / 12
				if _, err := tx.exec(ctx, `INSERT INTO projects (code, name, unit_id, stage, contract_investment, funds_in_place,
					signed_on, land_supplied_on, started_on, in_production_on, terminated_on, planned_start_on,
					planned_production_on, last_note_on, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					fmt.Sprintf("W%04d", i), fmt.Sprintf("预警项目%d", i), unit, stage, contract, funds,
					nullText(pick(r)), nullText(pick(r)), nullText(pick(r)), nullText(pick(r)), nullText(pick(r)),
					nullText(pick(r)), nullText(pick(r)), nullText(pick(r)), tx.now, tx.now); err != nil {
					return err
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
