package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"time"

	"beizeng/internal/domain"
)

// LatestReportPeriod is the newest month any unit has submitted or had approved a
// report for: the cockpit's default period. ok is false when there is none yet.
func (s *Store) LatestReportPeriod(ctx context.Context) (year, month int, ok bool, err error) {
	err = s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT year, month FROM reports WHERE status IN ('submitted', 'approved')
			ORDER BY year DESC, month DESC LIMIT 1`).Scan(&year, &month)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, fmt.Errorf("latest report period: %w", err)
	}
	return year, month, true, nil
}

// DefaultPeriod is the period shown when none is asked for: the newest reported month,
// else the month being reported now (counted in loc).
func (s *Store) DefaultPeriod(ctx context.Context, loc *time.Location) (year, month int, err error) {
	year, month, ok, err := s.LatestReportPeriod(ctx)
	if err != nil || ok {
		return year, month, err
	}
	year, month = domain.ReportPeriodAt(s.Now(), loc)
	return year, month, nil
}

// CockpitInput reads everything the cockpit shows for a period in one snapshot: the
// period's progress input, each month's cumulative figures up to it (approved reports
// and derived counts) for the trend, the projects per stage, and the projects with an
// active warning today, counted per unit.
func (s *Store) CockpitInput(ctx context.Context, year, month int, indicatorID int64, today time.Time) (domain.CockpitInput, error) {
	in := domain.CockpitInput{Indicator: indicatorID,
		Progress:        domain.ProgressInput{Year: year, Month: month, Actual: map[domain.CellKey]domain.Dec{}, LastYear: map[domain.CellKey]domain.Dec{}},
		Monthly:         map[int]map[domain.CellKey]domain.Dec{},
		MonthlyProgress: map[int]*big.Rat{}, Stages: map[string]int{}}
	if !domain.ValidPeriod(year, month) {
		return in, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	ps, err := s.FindProgressSettings(ctx)
	if err != nil {
		return in, err
	}
	rules, err := s.WarningRules(ctx)
	if err != nil {
		return in, err
	}
	err = s.inRead(ctx, func(tx *Tx) error {
		if err := tx.progressInput(ctx, ps, &in.Progress, true); err != nil {
			return err
		}
		// The trend's earlier months in one query; the period itself is the progress's own.
		approved, err := tx.monthlyApproved(ctx, year, month-1)
		if err != nil {
			return err
		}
		for m := 1; m < month; m++ {
			figures := approved[m]
			if figures == nil {
				figures = map[domain.CellKey]domain.Dec{}
			}
			if err := tx.addDerived(ctx, &in.Progress, year, m, figures); err != nil {
				return err
			}
			in.Monthly[m], in.MonthlyProgress[m] = figures, ps.TimeProgress(year, m)
		}
		in.Monthly[month], in.MonthlyProgress[month] = in.Progress.Actual, ps.TimeProgress(year, month)
		if in.Stages, err = tx.projectStageCounts(ctx); err != nil {
			return err
		}
		in.Warnings, err = tx.warningCounts(ctx, 0, today, rules)
		return err
	})
	if err != nil {
		return in, fmt.Errorf("cockpit input: %w", err)
	}
	return in, nil
}

// ProjectWarningCounts counts one unit's (or, with unitID 0, every unit's) projects with
// an active warning today, by worst level.
func (s *Store) ProjectWarningCounts(ctx context.Context, unitID int64, today time.Time) ([]domain.UnitWarnings, error) {
	rules, err := s.WarningRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []domain.UnitWarnings
	err = s.inRead(ctx, func(tx *Tx) error {
		out, err = tx.warningCounts(ctx, unitID, today, rules)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("project warning counts: %w", err)
	}
	return out, nil
}

// WarningCounts groups warned projects by unit, in the order the units first appear.
func WarningCounts(rows []ProjectWarningRow) []domain.UnitWarnings {
	var out []domain.UnitWarnings
	at := map[int64]int{}
	for _, r := range rows {
		i, ok := at[r.UnitID]
		if !ok {
			i = len(out)
			at[r.UnitID] = i
			out = append(out, domain.UnitWarnings{UnitID: r.UnitID, UnitName: r.UnitName})
		}
		if r.Level == domain.WarningRed {
			out[i].Red++
		} else {
			out[i].Yellow++
		}
	}
	return out
}

func (tx *Tx) projectStageCounts(ctx context.Context) (map[string]int, error) {
	rows, err := tx.query(ctx, `SELECT stage, COUNT(*) FROM projects GROUP BY stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var stage string
		var n int
		if err := rows.Scan(&stage, &n); err != nil {
			return nil, err
		}
		out[stage] = n
	}
	return out, rows.Err()
}

// CountUnitsByKind counts the units of each kind in one grouped query: the admin's
// workbench figures.
func (s *Store) CountUnitsByKind(ctx context.Context) (map[domain.UnitKind]int, error) {
	out := map[domain.UnitKind]int{}
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT kind, COUNT(*) FROM units GROUP BY kind`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k domain.UnitKind
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			out[k] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("count units: %w", err)
	}
	return out, nil
}
