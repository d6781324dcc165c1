package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

const reportColumns = `r.id, r.unit_id, n.name, r.year, r.month, r.status, r.return_reason, r.submitted_at, r.submitted_by,
	r.reviewed_at, r.reviewed_by, r.version, r.created_at, r.updated_at`

func scanReport(sc interface{ Scan(...any) error }) (*domain.Report, error) {
	var r domain.Report
	var submitted, reviewed sql.NullTime
	if err := sc.Scan(&r.ID, &r.UnitID, &r.UnitName, &r.Year, &r.Month, &r.Status, &r.ReturnReason, &submitted,
		&r.SubmittedBy, &reviewed, &r.ReviewedBy, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.ReviewedAt = timeOf(submitted), timeOf(reviewed)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

// reportAudit is what the audit log keeps of a report.
type reportAudit struct {
	UnitID       int64             `json:"unit_id"`
	Year         int               `json:"year"`
	Month        int               `json:"month"`
	Status       string            `json:"status"`
	ReturnReason string            `json:"return_reason,omitempty"`
	Values       map[string]string `json:"values"`
	Version      int64             `json:"version"`
}

func auditOfReport(r *domain.Report) reportAudit {
	values := make(map[string]string, len(r.Values))
	for id, v := range r.Values {
		values[strconv.FormatInt(id, 10)] = v.String()
	}
	return reportAudit{r.UnitID, r.Year, r.Month, string(r.Status), r.ReturnReason, values, r.Version}
}

// FindReport returns a unit's report for a month with its values, or ENOTFOUND when the
// unit has not started it.
func (s *Store) FindReport(ctx context.Context, unitID int64, year, month int) (*domain.Report, error) {
	var r *domain.Report
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.findReport(ctx, `r.unit_id = ? AND r.year = ? AND r.month = ?`, unitID, year, month)
		return err
	})
	return r, err
}

// FindReportByID returns a report with its values.
func (s *Store) FindReportByID(ctx context.Context, id int64) (*domain.Report, error) {
	var r *domain.Report
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.findReport(ctx, `r.id = ?`, id)
		return err
	})
	return r, err
}

func (tx *Tx) findReport(ctx context.Context, where string, args ...any) (*domain.Report, error) {
	r, err := scanReport(tx.queryRow(ctx, `SELECT `+reportColumns+` FROM reports r JOIN units n ON n.id = r.unit_id WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("月报")
	}
	if err != nil {
		return nil, fmt.Errorf("find report: %w", err)
	}
	r.Values = map[int64]domain.Dec{}
	rows, err := tx.query(ctx, `SELECT indicator_id, value FROM report_values WHERE report_id = ?`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("report values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v domain.Dec
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		r.Values[id] = v
	}
	return r, rows.Err()
}

// FindReports lists the reports of a period (all units), for the review and late pages.
func (s *Store) FindReports(ctx context.Context, year, month int) ([]*domain.Report, error) {
	var out []*domain.Report
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+reportColumns+` FROM reports r JOIN units n ON n.id = r.unit_id
			WHERE r.year = ? AND r.month = ? ORDER BY n.sort_order, n.code`, year, month)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanReport(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	return out, nil
}

// reportedIndicators are the active indicators units type each month.
func (tx *Tx) reportedIndicators(ctx context.Context) (map[int64]*domain.Indicator, error) {
	all, err := tx.findIndicators(ctx, true)
	if err != nil {
		return nil, err
	}
	out := map[int64]*domain.Indicator{}
	for _, i := range all {
		if i.Kind == domain.KindReported {
			out[i.ID] = i
		}
	}
	return out, nil
}

// SaveReportDraft stores the values of a draft or returned report, creating it on first
// save. version is 0 for a new report.
func (s *Store) SaveReportDraft(ctx context.Context, actor domain.Actor, unitID int64, year, month int, version int64, values map[int64]domain.Dec) (*domain.Report, error) {
	if !domain.ValidPeriod(year, month) {
		return nil, domain.Errorf(domain.EINVALID, "填报期间无效。")
	}
	var out *domain.Report
	err := s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findUnit(ctx, `id = ?`, unitID); err != nil {
			return err
		}
		reported, err := tx.reportedIndicators(ctx)
		if err != nil {
			return err
		}
		for id := range values {
			if reported[id] == nil {
				return domain.Errorf(domain.EINVALID, "指标 %d 不是需要填报的指标。", id)
			}
		}
		before, err := tx.findReport(ctx, `r.unit_id = ? AND r.year = ? AND r.month = ?`, unitID, year, month)
		switch {
		case domain.ErrorCode(err) == domain.ENOTFOUND:
			if version != 0 {
				return domain.ErrConflict("月报")
			}
			r := &domain.Report{UnitID: unitID, Year: year, Month: month, Status: domain.ReportDraft, Values: values,
				Version: 1, CreatedAt: tx.now, UpdatedAt: tx.now}
			if err := tx.queryRow(ctx, `INSERT INTO reports (unit_id, year, month, status, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id`, unitID, year, month, string(r.Status), tx.now, tx.now).Scan(&r.ID); err != nil {
				return fmt.Errorf("create report: %w", err)
			}
			if err := tx.writeValues(ctx, r.ID, values); err != nil {
				return err
			}
			out = r
			return tx.audit(ctx, actor, "report.create", "report", r.ID, nil, auditOfReport(r), "")
		case err != nil:
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("月报")
		}
		if !before.Status.Editable() {
			return domain.Errorf(domain.EINVALID, "月报%s，不能再修改；如需更正请由倍增办填写原因后更正。", before.Status.Label())
		}
		after := *before
		after.Values, after.Version, after.UpdatedAt = values, before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE reports SET version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			after.Version, tx.now, before.ID, before.Version)
		if err := expectOneRow(res, err, "月报"); err != nil {
			return err
		}
		if err := tx.writeValues(ctx, before.ID, values); err != nil {
			return err
		}
		out = &after
		return tx.audit(ctx, actor, "report.save", "report", before.ID, auditOfReport(before), auditOfReport(&after), "")
	})
	return out, err
}

func (tx *Tx) writeValues(ctx context.Context, reportID int64, values map[int64]domain.Dec) error {
	if _, err := tx.exec(ctx, `DELETE FROM report_values WHERE report_id = ?`, reportID); err != nil {
		return fmt.Errorf("report values: %w", err)
	}
	for _, id := range slices.Sorted(maps.Keys(values)) {
		if _, err := tx.exec(ctx, `INSERT INTO report_values (report_id, indicator_id, value) VALUES (?, ?, ?)`,
			reportID, id, values[id].String()); err != nil {
			return fmt.Errorf("report values: %w", err)
		}
	}
	return nil
}

// ReportTransition is a move of a report's status.
type ReportTransition string

const (
	TransitionSubmit  ReportTransition = "submit"
	TransitionApprove ReportTransition = "approve"
	TransitionReturn  ReportTransition = "return"
)

// TransitionReport moves a report: a draft or returned report is submitted (every
// reported indicator must have a value); a submitted one is approved or returned with a
// reason. Who may do which is the policy's business, checked by the caller.
func (s *Store) TransitionReport(ctx context.Context, actor domain.Actor, id, version int64, t ReportTransition, reason string) (*domain.Report, error) {
	reason = strings.TrimSpace(reason)
	var out *domain.Report
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findReport(ctx, `r.id = ?`, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("月报")
		}
		after := *before
		after.Version, after.UpdatedAt = before.Version+1, tx.now
		switch {
		case t == TransitionSubmit && before.Status.Editable():
			reported, err := tx.reportedIndicators(ctx)
			if err != nil {
				return err
			}
			var missing []string
			for _, ind := range reported {
				if _, ok := before.Values[ind.ID]; !ok {
					missing = append(missing, ind.Name)
				}
			}
			if len(missing) > 0 {
				slices.Sort(missing)
				return domain.Errorf(domain.EINVALID, "以下指标尚未填写，不能报送：%s。", strings.Join(missing, "、"))
			}
			after.Status, after.SubmittedAt, after.SubmittedBy, after.ReturnReason = domain.ReportSubmitted, tx.now, actor.Name(), ""
		case t == TransitionApprove && before.Status == domain.ReportSubmitted:
			after.Status, after.ReviewedAt, after.ReviewedBy = domain.ReportApproved, tx.now, actor.Name()
		case t == TransitionReturn && before.Status == domain.ReportSubmitted:
			if reason == "" {
				return &domain.Error{Code: domain.EINVALID, Message: "退回须填写原因。", Fields: map[string]string{"reason": "退回须填写原因。"}}
			}
			after.Status, after.ReviewedAt, after.ReviewedBy, after.ReturnReason = domain.ReportReturned, tx.now, actor.Name(), reason
		default:
			return domain.Errorf(domain.EINVALID, "月报当前为“%s”，不能执行该操作。", before.Status.Label())
		}
		res, err := tx.exec(ctx, `UPDATE reports SET status = ?, return_reason = ?, submitted_at = ?, submitted_by = ?,
			reviewed_at = ?, reviewed_by = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			string(after.Status), after.ReturnReason, nullTime(after.SubmittedAt), after.SubmittedBy, nullTime(after.ReviewedAt),
			after.ReviewedBy, after.Version, tx.now, id, before.Version)
		if err := expectOneRow(res, err, "月报"); err != nil {
			return err
		}
		out = &after
		return tx.audit(ctx, actor, "report."+string(t), "report", id, auditOfReport(before), auditOfReport(&after), reason)
	})
	return out, err
}

// CorrectReport changes values of an approved report; the reason is required and every
// changed value is kept as a correction beside the audit event.
func (s *Store) CorrectReport(ctx context.Context, actor domain.Actor, id, version int64, values map[int64]domain.Dec, reason string) (*domain.Report, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "更正已审核的月报须填写原因。", Fields: map[string]string{"reason": "更正已审核的月报须填写原因。"}}
	}
	var out *domain.Report
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findReport(ctx, `r.id = ?`, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("月报")
		}
		if before.Status != domain.ReportApproved {
			return domain.Errorf(domain.EINVALID, "只有已审核的月报需要更正；当前为“%s”。", before.Status.Label())
		}
		reported, err := tx.reportedIndicators(ctx)
		if err != nil {
			return err
		}
		after := *before
		after.Values = maps.Clone(before.Values)
		changed := 0
		for _, indID := range slices.Sorted(maps.Keys(values)) {
			v := values[indID]
			if reported[indID] == nil {
				return domain.Errorf(domain.EINVALID, "指标 %d 不是需要填报的指标。", indID)
			}
			old, had := before.Values[indID]
			if had && old == v {
				continue
			}
			oldText := ""
			if had {
				oldText = old.String()
			}
			if _, err := tx.exec(ctx, `INSERT INTO report_corrections (report_id, indicator_id, old_value, new_value, reason, actor_name, at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, indID, oldText, v.String(), reason, actor.Name(), tx.now); err != nil {
				return fmt.Errorf("report correction: %w", err)
			}
			after.Values[indID] = v
			changed++
		}
		if changed == 0 {
			return domain.Errorf(domain.EINVALID, "没有需要更正的数值。")
		}
		after.Version, after.UpdatedAt = before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE reports SET version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			after.Version, tx.now, id, before.Version)
		if err := expectOneRow(res, err, "月报"); err != nil {
			return err
		}
		if err := tx.writeValues(ctx, id, after.Values); err != nil {
			return err
		}
		out = &after
		return tx.audit(ctx, actor, "report.correct", "report", id, auditOfReport(before), auditOfReport(&after), reason)
	})
	return out, err
}

// FindReportCorrections lists a report's corrections, newest first.
func (s *Store) FindReportCorrections(ctx context.Context, reportID int64) ([]*domain.ReportCorrection, error) {
	var out []*domain.ReportCorrection
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, report_id, indicator_id, old_value, new_value, reason, actor_name, at
			FROM report_corrections WHERE report_id = ? ORDER BY id DESC`, reportID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c domain.ReportCorrection
			if err := rows.Scan(&c.ID, &c.ReportID, &c.IndicatorID, &c.OldValue, &c.NewValue, &c.Reason, &c.ActorName, &c.At); err != nil {
				return err
			}
			c.At = c.At.UTC()
			out = append(out, &c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find report corrections: %w", err)
	}
	return out, nil
}
