package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"beizeng/internal/domain"
)

func pathName(geometric bool) string {
	if geometric {
		return "geometric"
	}
	return "linear"
}

// planAudit is what the audit log keeps of a plan.
type planAudit struct {
	Name         string                       `json:"name"`
	IndicatorID  int64                        `json:"indicator_id"`
	BaselineYear int                          `json:"baseline_year"`
	EndYear      int                          `json:"end_year"`
	Multiple     string                       `json:"multiple"`
	Path         string                       `json:"path"`
	Values       map[int64]map[int]domain.Dec `json:"values"`
	Version      int64                        `json:"version"`
}

func auditOfPlan(p *domain.Plan) planAudit {
	return planAudit{p.Name, p.IndicatorID, p.BaselineYear, p.EndYear, p.Multiple.String(), pathName(p.Geometric), p.Values, p.Version}
}

const planColumns = `id, name, indicator_id, baseline_year, end_year, multiple, path, version, created_at, updated_at`

func scanPlan(sc interface{ Scan(...any) error }) (*domain.Plan, error) {
	var p domain.Plan
	var path string
	if err := sc.Scan(&p.ID, &p.Name, &p.IndicatorID, &p.BaselineYear, &p.EndYear, &p.Multiple, &path, &p.Version,
		&p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	p.Geometric = path == "geometric"
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// FindPlans lists the plans, newest first, without their values.
func (s *Store) FindPlans(ctx context.Context) ([]*domain.Plan, error) {
	var out []*domain.Plan
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+planColumns+` FROM plans ORDER BY id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPlan(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find plans: %w", err)
	}
	return out, nil
}

// FindPlanByID returns a plan with every unit's baseline and goals.
func (s *Store) FindPlanByID(ctx context.Context, id int64) (*domain.Plan, error) {
	var p *domain.Plan
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		p, err = tx.findPlan(ctx, id)
		return err
	})
	return p, err
}

func (tx *Tx) findPlan(ctx context.Context, id int64) (*domain.Plan, error) {
	p, err := scanPlan(tx.queryRow(ctx, `SELECT `+planColumns+` FROM plans WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("规划")
	}
	if err != nil {
		return nil, fmt.Errorf("find plan: %w", err)
	}
	p.Values = map[int64]map[int]domain.Dec{}
	rows, err := tx.query(ctx, `SELECT unit_id, year, value FROM plan_values WHERE plan_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("plan values: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var year int
		var v domain.Dec
		if err := rows.Scan(&unit, &year, &v); err != nil {
			return nil, err
		}
		if p.Values[unit] == nil {
			p.Values[unit] = map[int]domain.Dec{}
		}
		p.Values[unit][year] = v
	}
	return p, rows.Err()
}

// checkPlan checks the indicator exists and every value lies within the plan's years.
func (tx *Tx) checkPlan(ctx context.Context, p *domain.Plan) error {
	if _, err := tx.findIndicator(ctx, p.IndicatorID); domain.ErrorCode(err) == domain.ENOTFOUND {
		return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"indicator_id": "所选指标不存在。"}}
	} else if err != nil {
		return err
	}
	for unit, byYear := range p.Values {
		if _, err := tx.findUnit(ctx, `id = ?`, unit); domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.Errorf(domain.EINVALID, "单位 %d 不存在。", unit)
		} else if err != nil {
			return err
		}
		for year := range byYear {
			if year < p.BaselineYear || year > p.EndYear {
				return domain.Errorf(domain.EINVALID, "单位 %d 的 %d 年数值不在规划年份 %d–%d 之内。", unit, year, p.BaselineYear, p.EndYear)
			}
		}
	}
	return nil
}

func (tx *Tx) writePlanValues(ctx context.Context, p *domain.Plan) error {
	if _, err := tx.exec(ctx, `DELETE FROM plan_values WHERE plan_id = ?`, p.ID); err != nil {
		return fmt.Errorf("plan values: %w", err)
	}
	for _, unit := range slices.Sorted(maps.Keys(p.Values)) {
		for _, year := range slices.Sorted(maps.Keys(p.Values[unit])) {
			if _, err := tx.exec(ctx, `INSERT INTO plan_values (plan_id, unit_id, year, value) VALUES (?, ?, ?, ?)`,
				p.ID, unit, year, p.Values[unit][year].String()); err != nil {
				return fmt.Errorf("plan values: %w", err)
			}
		}
	}
	return nil
}

// CreatePlan stores a new plan with its values.
func (s *Store) CreatePlan(ctx context.Context, actor domain.Actor, p *domain.Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Values == nil {
		p.Values = map[int64]map[int]domain.Dec{}
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkPlan(ctx, p); err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
		if err := tx.queryRow(ctx, `INSERT INTO plans (name, indicator_id, baseline_year, end_year, multiple, path, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, p.Name, p.IndicatorID, p.BaselineYear, p.EndYear, p.Multiple.String(),
			pathName(p.Geometric), tx.now, tx.now).Scan(&p.ID); err != nil {
			return fmt.Errorf("create plan: %w", err)
		}
		if err := tx.writePlanValues(ctx, p); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "plan.create", "plan", p.ID, nil, auditOfPlan(p), "")
	})
}

// UpdatePlan replaces a plan's fields and values if p.Version is current.
func (s *Store) UpdatePlan(ctx context.Context, actor domain.Actor, p *domain.Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findPlan(ctx, p.ID)
		if err != nil {
			return err
		}
		if before.Version != p.Version {
			return domain.ErrConflict("规划")
		}
		if err := tx.checkPlan(ctx, p); err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		res, err := tx.exec(ctx, `UPDATE plans SET name = ?, indicator_id = ?, baseline_year = ?, end_year = ?, multiple = ?, path = ?,
			version = ?, updated_at = ? WHERE id = ? AND version = ?`, p.Name, p.IndicatorID, p.BaselineYear, p.EndYear,
			p.Multiple.String(), pathName(p.Geometric), p.Version, tx.now, p.ID, before.Version)
		if err := expectOneRow(res, err, "规划"); err != nil {
			return err
		}
		if err := tx.writePlanValues(ctx, p); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "plan.update", "plan", p.ID, auditOfPlan(before), auditOfPlan(p), "")
	})
}

// YearFigures is each unit's figure for an indicator in each year from the newest
// approved report of that year: December's year-to-date for a finished year, the latest
// month so far for the current one.
func (s *Store) YearFigures(ctx context.Context, indicatorID int64, fromYear, toYear int) (map[int64]map[int]domain.Dec, error) {
	out := map[int64]map[int]domain.Dec{}
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT r.unit_id, r.year, v.value FROM reports r
			JOIN report_values v ON v.report_id = r.id
			WHERE v.indicator_id = ? AND r.status = 'approved' AND r.year BETWEEN ? AND ?
			ORDER BY r.unit_id, r.year, r.month`, indicatorID, fromYear, toYear)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var unit int64
			var year int
			var v domain.Dec
			if err := rows.Scan(&unit, &year, &v); err != nil {
				return err
			}
			if out[unit] == nil {
				out[unit] = map[int]domain.Dec{}
			}
			out[unit][year] = v // ordered by month: the newest stays
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("year figures: %w", err)
	}
	return out, nil
}
