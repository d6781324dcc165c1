package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"beizeng/internal/domain"
)

const indicatorColumns = `id, code, name, measure, decimals, higher_is_better, kind, accumulation, rule,
	COALESCE(numerator_id, 0), COALESCE(denominator_id, 0), headline, sort_order, active, version, created_at, updated_at`

func scanIndicator(sc interface{ Scan(...any) error }) (*domain.Indicator, error) {
	var i domain.Indicator
	if err := sc.Scan(&i.ID, &i.Code, &i.Name, &i.Measure, &i.Decimals, &i.HigherIsBetter, &i.Kind, &i.Accumulation,
		&i.Rule, &i.NumeratorID, &i.DenominatorID, &i.Headline, &i.SortOrder, &i.Active, &i.Version,
		&i.CreatedAt, &i.UpdatedAt); err != nil {
		return nil, err
	}
	i.CreatedAt, i.UpdatedAt = i.CreatedAt.UTC(), i.UpdatedAt.UTC()
	return &i, nil
}

// indicatorAudit is what the audit log keeps of an indicator.
type indicatorAudit struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Measure        string `json:"measure"`
	Decimals       int    `json:"decimals"`
	HigherIsBetter bool   `json:"higher_is_better"`
	Kind           string `json:"kind"`
	Accumulation   string `json:"accumulation"`
	Rule           string `json:"rule,omitempty"`
	NumeratorID    int64  `json:"numerator_id,omitempty"`
	DenominatorID  int64  `json:"denominator_id,omitempty"`
	Headline       bool   `json:"headline"`
	SortOrder      int    `json:"sort_order"`
	Active         bool   `json:"active"`
	Version        int64  `json:"version"`
}

func auditOfIndicator(i *domain.Indicator) indicatorAudit {
	return indicatorAudit{i.Code, i.Name, i.Measure, i.Decimals, i.HigherIsBetter, string(i.Kind), string(i.Accumulation),
		i.Rule, i.NumeratorID, i.DenominatorID, i.Headline, i.SortOrder, i.Active, i.Version}
}

// FindIndicators lists the catalogue in display order; activeOnly hides retired lines.
func (s *Store) FindIndicators(ctx context.Context, activeOnly bool) ([]*domain.Indicator, error) {
	var list []*domain.Indicator
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		list, err = tx.findIndicators(ctx, activeOnly)
		return err
	})
	return list, err
}

func (tx *Tx) findIndicators(ctx context.Context, activeOnly bool) ([]*domain.Indicator, error) {
	q := `SELECT ` + indicatorColumns + ` FROM indicators`
	var args []any
	if activeOnly {
		q += ` WHERE active = ?`
		args = append(args, true)
	}
	rows, err := tx.query(ctx, q+` ORDER BY sort_order, code`, args...)
	if err != nil {
		return nil, fmt.Errorf("find indicators: %w", err)
	}
	defer rows.Close()
	var list []*domain.Indicator
	for rows.Next() {
		i, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, i)
	}
	return list, rows.Err()
}

// FindIndicatorByID returns one indicator.
func (s *Store) FindIndicatorByID(ctx context.Context, id int64) (*domain.Indicator, error) {
	var i *domain.Indicator
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		i, err = tx.findIndicator(ctx, id)
		return err
	})
	return i, err
}

func (tx *Tx) findIndicator(ctx context.Context, id int64) (*domain.Indicator, error) {
	i, err := scanIndicator(tx.queryRow(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("指标")
	}
	if err != nil {
		return nil, fmt.Errorf("find indicator: %w", err)
	}
	return i, nil
}

// checkIndicatorRefs checks the code is free and a ratio's parts exist and are not ratios
// of this indicator (which would make the value depend on itself).
func (tx *Tx) checkIndicatorRefs(ctx context.Context, i *domain.Indicator) error {
	p := domain.Problems{}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE code = ? AND id <> ?`, i.Code, i.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		p.Add("code", "编码 "+i.Code+" 已被其他指标使用。")
	}
	if i.Kind == domain.KindRatio {
		for field, id := range map[string]int64{"numerator_id": i.NumeratorID, "denominator_id": i.DenominatorID} {
			part, err := tx.findIndicator(ctx, id)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				p.Add(field, "所选指标不存在。")
				continue
			}
			if err != nil {
				return err
			}
			if part.Kind == domain.KindRatio {
				p.Add(field, "比率指标的分子、分母须是填报或自动统计指标。")
			}
		}
	} else {
		i.NumeratorID, i.DenominatorID = 0, 0
	}
	return p.Err()
}

// CreateIndicator adds a line to the catalogue.
func (s *Store) CreateIndicator(ctx context.Context, actor domain.Actor, i *domain.Indicator) error {
	i.Normalize()
	if err := i.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkIndicatorRefs(ctx, i); err != nil {
			return err
		}
		i.Version, i.CreatedAt, i.UpdatedAt = 1, tx.now, tx.now
		err := tx.queryRow(ctx, `INSERT INTO indicators (code, name, measure, decimals, higher_is_better, kind, accumulation,
			rule, numerator_id, denominator_id, headline, sort_order, active, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			i.Code, i.Name, i.Measure, i.Decimals, i.HigherIsBetter, string(i.Kind), string(i.Accumulation), i.Rule,
			nullID(i.NumeratorID), nullID(i.DenominatorID), i.Headline, i.SortOrder, i.Active, i.Version,
			i.CreatedAt, i.UpdatedAt).Scan(&i.ID)
		if err != nil {
			return fmt.Errorf("create indicator: %w", err)
		}
		return tx.audit(ctx, actor, "indicator.create", "indicator", i.ID, nil, auditOfIndicator(i), "")
	})
}

// UpdateIndicator replaces an indicator's fields if i.Version is current. The kind of an
// indicator that already has values cannot change: its history would change meaning.
func (s *Store) UpdateIndicator(ctx context.Context, actor domain.Actor, i *domain.Indicator) error {
	i.Normalize()
	if err := i.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findIndicator(ctx, i.ID)
		if err != nil {
			return err
		}
		if before.Version != i.Version {
			return domain.ErrConflict("指标")
		}
		if err := tx.checkIndicatorRefs(ctx, i); err != nil {
			return err
		}
		if before.Kind != i.Kind {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM report_values WHERE indicator_id = ?`, i.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
					Fields: map[string]string{"kind": "该指标已有填报数据，不能更改类型。"}}
			}
		}
		i.Version, i.CreatedAt, i.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		res, err := tx.exec(ctx, `UPDATE indicators SET code = ?, name = ?, measure = ?, decimals = ?, higher_is_better = ?,
			kind = ?, accumulation = ?, rule = ?, numerator_id = ?, denominator_id = ?, headline = ?, sort_order = ?,
			active = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			i.Code, i.Name, i.Measure, i.Decimals, i.HigherIsBetter, string(i.Kind), string(i.Accumulation), i.Rule,
			nullID(i.NumeratorID), nullID(i.DenominatorID), i.Headline, i.SortOrder, i.Active, i.Version, i.UpdatedAt,
			i.ID, before.Version)
		if err := expectOneRow(res, err, "指标"); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "indicator.update", "indicator", i.ID, auditOfIndicator(before), auditOfIndicator(i), "")
	})
}

// indicatorsByID indexes a list.
func indicatorsByID(list []*domain.Indicator) map[int64]*domain.Indicator {
	m := make(map[int64]*domain.Indicator, len(list))
	for _, i := range list {
		m[i.ID] = i
	}
	return m
}
