package store

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// SettingReportDeadlineDay is the day of the following month by which a monthly report
// is due (default domain.DefaultReportDeadlineDay).
const SettingReportDeadlineDay = "report_deadline_day"

// ReportDeadline is the period's deadline under the configured deadline day, counted in
// loc: the first instant after the deadline day.
func (s *Store) ReportDeadline(ctx context.Context, year, month int, loc *time.Location) (time.Time, error) {
	day, err := s.Setting(ctx, SettingReportDeadlineDay)
	if err != nil {
		return time.Time{}, err
	}
	return domain.ReportDeadline(year, month, domain.ReportDeadlineDayOf(day), loc), nil
}

// FindReportOverview is a period's reporting in one snapshot: every active city, county
// and park with its report (values included) or none, placed against the deadline
// (counted in loc) at the store's clock.
func (s *Store) FindReportOverview(ctx context.Context, year, month int, loc *time.Location) (*domain.ReportOverview, error) {
	if !domain.ValidPeriod(year, month) {
		return nil, domain.Errorf(domain.EINVALID, "填报期间无效。")
	}
	deadline, err := s.ReportDeadline(ctx, year, month, loc)
	if err != nil {
		return nil, err
	}
	var o *domain.ReportOverview
	err = s.inRead(ctx, func(tx *Tx) error {
		units, err := tx.reportingUnits(ctx)
		if err != nil {
			return err
		}
		reports, err := tx.periodReports(ctx, year, month)
		if err != nil {
			return err
		}
		o = domain.NewReportOverview(year, month, deadline, tx.now, units, reports)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report overview: %w", err)
	}
	return o, nil
}

// reportingUnits are the active units that report monthly: the city, counties and parks.
func (tx *Tx) reportingUnits(ctx context.Context) ([]*domain.Unit, error) {
	rows, err := tx.query(ctx, `SELECT `+unitColumns+` FROM units WHERE active = ? AND kind IN ('city','county','park')
		ORDER BY sort_order, code`, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var units []*domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		units = append(units, u)
	}
	return units, rows.Err()
}

// periodReports are the period's reports with their values, in two queries whatever the
// number of units.
func (tx *Tx) periodReports(ctx context.Context, year, month int) ([]*domain.Report, error) {
	rows, err := tx.query(ctx, `SELECT `+reportColumns+` FROM reports r JOIN units n ON n.id = r.unit_id
		WHERE r.year = ? AND r.month = ?`, year, month)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Report{}
	var reports []*domain.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.Values = map[int64]domain.Dec{}
		byID[r.ID] = r
		reports = append(reports, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT v.report_id, v.indicator_id, v.value FROM report_values v
		JOIN reports r ON r.id = v.report_id WHERE r.year = ? AND r.month = ?`, year, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var reportID, indicatorID int64
		var v domain.Dec
		if err := rows.Scan(&reportID, &indicatorID, &v); err != nil {
			return nil, err
		}
		if r := byID[reportID]; r != nil {
			r.Values[indicatorID] = v
		}
	}
	return reports, rows.Err()
}
