package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"beizeng/internal/domain"
)

// FindPhases returns a year's phased schedules by indicator.
func (s *Store) FindPhases(ctx context.Context, year int) (map[int64]domain.Phases, error) {
	var out map[int64]domain.Phases
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.findPhases(ctx, year)
		return err
	})
	return out, err
}

func (tx *Tx) findPhases(ctx context.Context, year int) (map[int64]domain.Phases, error) {
	rows, err := tx.query(ctx, `SELECT indicator_id, month, share FROM target_phases WHERE year = ?`, year)
	if err != nil {
		return nil, fmt.Errorf("find phases: %w", err)
	}
	defer rows.Close()
	out := map[int64]domain.Phases{}
	for rows.Next() {
		var id int64
		var m int
		var v domain.Dec
		if err := rows.Scan(&id, &m, &v); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = domain.Phases{}
		}
		out[id][m] = v
	}
	return out, rows.Err()
}

// SavePhases replaces a year's schedules for the indicators given (an empty schedule
// removes one), in one transaction, each change audited.
func (s *Store) SavePhases(ctx context.Context, actor domain.Actor, year int, phases map[int64]domain.Phases) error {
	if !domain.ValidYear(year) {
		return domain.Errorf(domain.EINVALID, "年份无效。")
	}
	for _, p := range phases {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		current, err := tx.findPhases(ctx, year)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(phases)) {
			next := phases[id]
			if maps.Equal(current[id], next) || (len(current[id]) == 0 && len(next) == 0) {
				continue
			}
			if _, err := tx.findIndicator(ctx, id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM target_phases WHERE year = ? AND indicator_id = ?`, year, id); err != nil {
				return fmt.Errorf("save phases: %w", err)
			}
			for _, m := range slices.Sorted(maps.Keys(next)) {
				if _, err := tx.exec(ctx, `INSERT INTO target_phases (year, indicator_id, month, share) VALUES (?, ?, ?, ?)`,
					year, id, m, next[m].String()); err != nil {
					return fmt.Errorf("save phases: %w", err)
				}
			}
			var before, after any
			if len(current[id]) > 0 {
				before = map[string]any{"year": year, "indicator_id": id, "phases": current[id]}
			}
			if len(next) > 0 {
				after = map[string]any{"year": year, "indicator_id": id, "phases": next}
			}
			if err := tx.audit(ctx, actor, "phases.set", "indicator", id, before, after, ""); err != nil {
				return err
			}
		}
		return nil
	})
}
