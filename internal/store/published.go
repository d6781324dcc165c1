package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"beizeng/internal/domain"
)

// FindPublishedFigures returns a period's published figures.
func (s *Store) FindPublishedFigures(ctx context.Context, year, month int) ([]domain.PublishedFigure, error) {
	var out []domain.PublishedFigure
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT year, month, unit_id, indicator_id, figure, source FROM published_figures
			WHERE year = ? AND month = ? ORDER BY indicator_id, unit_id`, year, month)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p domain.PublishedFigure
			if err := rows.Scan(&p.Year, &p.Month, &p.UnitID, &p.IndicatorID, &p.Figure, &p.Source); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find published figures: %w", err)
	}
	return out, nil
}

// SavePublishedFigures writes figures for a period in one transaction: a figure replaces
// the one stored for its cell, an empty figure removes it. Any bad figure refuses all.
func (s *Store) SavePublishedFigures(ctx context.Context, actor domain.Actor, year, month int, figures []domain.PublishedFigure) (int, error) {
	if !domain.ValidPeriod(year, month) {
		return 0, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	for _, f := range figures {
		if strings.TrimSpace(f.Figure) == "" {
			continue
		}
		if err := domain.ValidatePublished(f.Figure); err != nil {
			return 0, domain.Errorf(domain.EINVALID, "公布数 %q 无效：%s", f.Figure, domain.ErrorMessage(err))
		}
	}
	changed := 0
	err := s.inWrite(ctx, func(tx *Tx) error {
		for _, f := range figures {
			var before string
			err := tx.queryRow(ctx, `SELECT figure FROM published_figures WHERE year = ? AND month = ? AND unit_id = ? AND indicator_id = ?`,
				year, month, f.UnitID, f.IndicatorID).Scan(&before)
			if err != nil && !isNoRows(err) {
				return err
			}
			fig := strings.TrimSpace(f.Figure)
			if fig == before {
				continue
			}
			if fig == "" {
				_, err = tx.exec(ctx, `DELETE FROM published_figures WHERE year = ? AND month = ? AND unit_id = ? AND indicator_id = ?`,
					year, month, f.UnitID, f.IndicatorID)
			} else {
				_, err = tx.exec(ctx, `INSERT INTO published_figures (year, month, unit_id, indicator_id, figure, source, actor_name, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (year, month, unit_id, indicator_id) DO UPDATE SET figure = excluded.figure, source = excluded.source,
					actor_name = excluded.actor_name, updated_at = excluded.updated_at`,
					year, month, f.UnitID, f.IndicatorID, fig, strings.TrimSpace(f.Source), actor.Name(), tx.now)
			}
			if err != nil {
				return fmt.Errorf("save published figure: %w", err)
			}
			cell := map[string]any{"year": year, "month": month, "unit_id": f.UnitID, "indicator_id": f.IndicatorID}
			var b, a any
			if before != "" {
				b = map[string]any{"cell": cell, "figure": before}
			}
			if fig != "" {
				a = map[string]any{"cell": cell, "figure": fig, "source": f.Source}
			}
			if err := tx.audit(ctx, actor, "published.set", "published_figure", f.IndicatorID, b, a, ""); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
