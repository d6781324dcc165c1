package store

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"beizeng/internal/domain"
)

// Settings that shape progress; both are data, edited by coordinators.
const (
	// SettingTimeProgress is "months" (months elapsed ÷ 12, the default) or "days".
	SettingTimeProgress = "time_progress"
	// SettingYellowPoints is how many points behind time progress is still yellow (10).
	SettingYellowPoints = "yellow_points"
)

// ProgressSettings are the progress rules in force.
type ProgressSettings struct {
	DaysBased    bool
	YellowPoints int
}

// FindProgressSettings reads the rules, with their defaults.
func (s *Store) FindProgressSettings(ctx context.Context) (ProgressSettings, error) {
	ps := ProgressSettings{YellowPoints: 10}
	mode, err := s.Setting(ctx, SettingTimeProgress)
	if err != nil {
		return ps, err
	}
	ps.DaysBased = mode == "days"
	if v, err := s.Setting(ctx, SettingYellowPoints); err != nil {
		return ps, err
	} else if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 100 {
		ps.YellowPoints = n
	}
	return ps, nil
}

// TimeProgress is the share of the year a period represents under these rules.
func (ps ProgressSettings) TimeProgress(year, month int) *big.Rat {
	if ps.DaysBased {
		return domain.TimeProgressDays(time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC))
	}
	return domain.TimeProgressMonths(month)
}

// ProgressInput reads one period's figures in one snapshot: approved reports of the
// period and of the same month last year, the year's targets, the city and the assessed
// units; derived indicators count and sum their records for both periods.
func (s *Store) ProgressInput(ctx context.Context, year, month int) (domain.ProgressInput, error) {
	in := domain.ProgressInput{Year: year, Month: month, Actual: map[domain.CellKey]domain.Dec{}, LastYear: map[domain.CellKey]domain.Dec{}}
	if !domain.ValidPeriod(year, month) {
		return in, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	ps, err := s.FindProgressSettings(ctx)
	if err != nil {
		return in, err
	}
	if err := s.inRead(ctx, func(tx *Tx) error { return tx.progressInput(ctx, ps, &in, true) }); err != nil {
		return in, fmt.Errorf("progress input: %w", err)
	}
	return in, nil
}

// progressInput fills in's figures for its period inside the caller's snapshot; the
// same month of last year only when lastYear is set (scoring has no use for it).
func (tx *Tx) progressInput(ctx context.Context, ps ProgressSettings, in *domain.ProgressInput, lastYear bool) error {
	in.TimeProgress = ps.TimeProgress(in.Year, in.Month)
	in.YellowWithin = big.NewRat(int64(ps.YellowPoints), 100)
	if err := tx.progressFrame(ctx, in); err != nil {
		return err
	}
	return tx.progressFigures(ctx, in, lastYear)
}

// progressFrame reads what a period's figures are set in: the catalogue, the city and
// the assessed units, the year's targets and phased schedules.
func (tx *Tx) progressFrame(ctx context.Context, in *domain.ProgressInput) error {
	year, month := in.Year, in.Month
	var err error
	if in.Indicators, err = tx.findIndicators(ctx, true); err != nil {
		return err
	}
	rows, err := tx.query(ctx, `SELECT `+unitColumns+` FROM units WHERE active = ? AND (kind = 'city' OR (assessed = ? AND kind IN ('county','park')))
		ORDER BY sort_order, code`, true, true)
	if err != nil {
		return err
	}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if u.Kind == domain.UnitCity {
			if in.City == nil {
				in.City = u
			}
			continue
		}
		in.Units = append(in.Units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if in.Targets, err = tx.findTargets(ctx, year, 0); err != nil {
		return err
	}
	phases, err := tx.findPhases(ctx, year)
	if err != nil {
		return err
	}
	in.Phased = map[int64]*big.Rat{}
	for id, p := range phases {
		if pr := p.Progress(month); pr != nil {
			in.Phased[id] = pr
		}
	}
	return nil
}

// progressFigures reads the period's approved and derived figures into in.Actual (and
// in.LastYear when lastYear is set).
func (tx *Tx) progressFigures(ctx context.Context, in *domain.ProgressInput, lastYear bool) error {
	year, month := in.Year, in.Month
	for _, p := range []struct {
		year int
		into map[domain.CellKey]domain.Dec
	}{{year, in.Actual}, {year - 1, in.LastYear}} {
		if p.year != year && !lastYear {
			continue
		}
		if err := tx.approvedValues(ctx, p.year, month, p.into); err != nil {
			return err
		}
		if err := tx.addDerived(ctx, in, p.year, month, p.into); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) approvedValues(ctx context.Context, year, month int, into map[domain.CellKey]domain.Dec) error {
	rows, err := tx.query(ctx, `SELECT r.unit_id, v.indicator_id, v.value FROM reports r
		JOIN report_values v ON v.report_id = r.id
		WHERE r.year = ? AND r.month = ? AND r.status = 'approved'`, year, month)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k domain.CellKey
		var v domain.Dec
		if err := rows.Scan(&k.UnitID, &k.IndicatorID, &v); err != nil {
			return err
		}
		into[k] = v
	}
	return rows.Err()
}

// MonthlyFigures is every unit's approved figures for each month of the year through
// month: the trend chart's data.
func (s *Store) MonthlyFigures(ctx context.Context, year, month int) (map[int]map[domain.CellKey]domain.Dec, error) {
	var out map[int]map[domain.CellKey]domain.Dec
	err := s.inRead(ctx, func(tx *Tx) (err error) {
		out, err = tx.monthlyApproved(ctx, year, month)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("monthly figures: %w", err)
	}
	return out, nil
}

// monthlyApproved reads the approved figures of every month of the year through month in
// one query, by month.
func (tx *Tx) monthlyApproved(ctx context.Context, year, month int) (map[int]map[domain.CellKey]domain.Dec, error) {
	rows, err := tx.query(ctx, `SELECT r.month, r.unit_id, v.indicator_id, v.value FROM reports r
		JOIN report_values v ON v.report_id = r.id
		WHERE r.year = ? AND r.month <= ? AND r.status = 'approved'`, year, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]map[domain.CellKey]domain.Dec{}
	for rows.Next() {
		var m int
		var k domain.CellKey
		var v domain.Dec
		if err := rows.Scan(&m, &k.UnitID, &k.IndicatorID, &v); err != nil {
			return nil, err
		}
		if out[m] == nil {
			out[m] = map[domain.CellKey]domain.Dec{}
		}
		out[m][k] = v
	}
	return out, rows.Err()
}
