package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"beizeng/internal/domain"
)

// TargetKey names one cell of the target grid.
type TargetKey = domain.CellKey

// FindTargets returns a year's targets, for every unit or one (unitID 0 for all).
func (s *Store) FindTargets(ctx context.Context, year int, unitID int64) (map[TargetKey]*domain.Target, error) {
	var out map[TargetKey]*domain.Target
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.findTargets(ctx, year, unitID)
		return err
	})
	return out, err
}

func (tx *Tx) findTargets(ctx context.Context, year int, unitID int64) (map[TargetKey]*domain.Target, error) {
	q := `SELECT year, unit_id, indicator_id, base, stretch, version, updated_at FROM targets WHERE year = ?`
	args := []any{year}
	if unitID != 0 {
		q, args = q+` AND unit_id = ?`, append(args, unitID)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find targets: %w", err)
	}
	defer rows.Close()
	out := map[TargetKey]*domain.Target{}
	for rows.Next() {
		var t domain.Target
		var stretch string
		if err := rows.Scan(&t.Year, &t.UnitID, &t.IndicatorID, &t.Base, &stretch, &t.Version, &t.UpdatedAt); err != nil {
			return nil, err
		}
		if stretch != "" {
			d, err := domain.ParseDec(stretch)
			if err != nil {
				return nil, fmt.Errorf("target stretch %q: %w", stretch, err)
			}
			t.Stretch = &d
		}
		out[TargetKey{UnitID: t.UnitID, IndicatorID: t.IndicatorID}] = &t
	}
	return out, rows.Err()
}

// TargetChange is one cell to set: a nil Base removes the target.
type TargetChange struct {
	UnitID, IndicatorID int64
	Base, Stretch       *domain.Dec
}

func decText(d *domain.Dec) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// SaveTargets writes a set of cells for a year in one transaction. A cell of a unit
// whose letter for the year was already issued may change only with a reason, and the
// change is kept as a revision beside the audit event.
func (s *Store) SaveTargets(ctx context.Context, actor domain.Actor, year int, changes []TargetChange, reason string) (int, error) {
	if !domain.ValidYear(year) {
		return 0, domain.Errorf(domain.EINVALID, "年份无效。")
	}
	reason = strings.TrimSpace(reason)
	changed := 0
	err := s.inWrite(ctx, func(tx *Tx) error {
		current, err := tx.findTargets(ctx, year, 0)
		if err != nil {
			return err
		}
		issued, err := tx.issuedUnits(ctx, year)
		if err != nil {
			return err
		}
		// One audit batch for the whole grid: a province's year is thousands of cells.
		audit, err := tx.newAuditBatch(ctx, len(changes) > 50)
		if err != nil {
			return err
		}
		if audit.insert != nil {
			defer audit.insert.Close()
		}
		for _, c := range changes {
			if c.Base == nil && c.Stretch != nil {
				return domain.Errorf(domain.EINVALID, "设置奋斗目标前须先设置基础目标。")
			}
			if (c.Base != nil && *c.Base < 0) || (c.Stretch != nil && *c.Stretch < 0) {
				return domain.Errorf(domain.EINVALID, "目标不能为负数。")
			}
			if c.Base != nil && c.Stretch != nil && *c.Stretch < *c.Base {
				return domain.Errorf(domain.EINVALID, "奋斗目标不能低于基础目标。")
			}
			old := current[TargetKey{UnitID: c.UnitID, IndicatorID: c.IndicatorID}]
			oldBase, oldStretch := "", ""
			if old != nil {
				oldBase, oldStretch = old.Base.String(), decText(old.Stretch)
			}
			newBase, newStretch := decText(c.Base), decText(c.Stretch)
			if oldBase == newBase && oldStretch == newStretch {
				continue
			}
			if issued[c.UnitID] && reason == "" {
				return &domain.Error{Code: domain.EINVALID, Message: "目标责任书已下达，修改目标须填写原因。",
					Fields: map[string]string{"reason": "目标责任书已下达，修改目标须填写原因。"}}
			}
			if err := tx.saveTarget(ctx, year, c, old); err != nil {
				return err
			}
			if issued[c.UnitID] {
				if _, err := tx.exec(ctx, `INSERT INTO target_revisions (year, unit_id, indicator_id, old_base, old_stretch,
					new_base, new_stretch, reason, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					year, c.UnitID, c.IndicatorID, oldBase, oldStretch, newBase, newStretch, reason, actor.Name(), tx.now); err != nil {
					return fmt.Errorf("target revision: %w", err)
				}
			}
			var before, after any
			if old != nil {
				before = map[string]any{"year": year, "unit_id": c.UnitID, "indicator_id": c.IndicatorID, "base": oldBase, "stretch": oldStretch}
			}
			if c.Base != nil {
				after = map[string]any{"year": year, "unit_id": c.UnitID, "indicator_id": c.IndicatorID, "base": newBase, "stretch": newStretch}
			}
			if err := audit.add(ctx, tx, actor, "target.set", "target", c.UnitID, before, after, reason); err != nil {
				return err
			}
			changed++
		}
		return audit.flush(ctx, tx)
	})
	return changed, err
}

func (tx *Tx) saveTarget(ctx context.Context, year int, c TargetChange, old *domain.Target) error {
	var err error
	switch {
	case c.Base == nil:
		_, err = tx.exec(ctx, `DELETE FROM targets WHERE year = ? AND unit_id = ? AND indicator_id = ?`, year, c.UnitID, c.IndicatorID)
	case old == nil:
		_, err = tx.exec(ctx, `INSERT INTO targets (year, unit_id, indicator_id, base, stretch, version, updated_at)
			VALUES (?, ?, ?, ?, ?, 1, ?)`, year, c.UnitID, c.IndicatorID, c.Base.String(), decText(c.Stretch), tx.now)
	default:
		_, err = tx.exec(ctx, `UPDATE targets SET base = ?, stretch = ?, version = version + 1, updated_at = ?
			WHERE year = ? AND unit_id = ? AND indicator_id = ?`, c.Base.String(), decText(c.Stretch), tx.now, year, c.UnitID, c.IndicatorID)
	}
	if err != nil {
		return fmt.Errorf("save target: %w", err)
	}
	return nil
}

// issuedUnits are the units whose letter for the year has been issued.
func (tx *Tx) issuedUnits(ctx context.Context, year int) (map[int64]bool, error) {
	rows, err := tx.query(ctx, `SELECT DISTINCT unit_id FROM letters WHERE year = ?`, year)
	if err != nil {
		return nil, fmt.Errorf("issued letters: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// FindTargetRevisions lists the changes made to a unit's targets after issue, newest first.
func (s *Store) FindTargetRevisions(ctx context.Context, year int, unitID int64) ([]*domain.TargetRevision, error) {
	var out []*domain.TargetRevision
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, year, unit_id, indicator_id, old_base, old_stretch, new_base, new_stretch,
			reason, actor_name, at FROM target_revisions WHERE year = ? AND unit_id = ? ORDER BY id DESC`, year, unitID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r domain.TargetRevision
			if err := rows.Scan(&r.ID, &r.Year, &r.UnitID, &r.IndicatorID, &r.OldBase, &r.OldStretch, &r.NewBase,
				&r.NewStretch, &r.Reason, &r.ActorName, &r.At); err != nil {
				return err
			}
			r.At = r.At.UTC()
			out = append(out, &r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find target revisions: %w", err)
	}
	return out, nil
}

// IssueLetter freezes the unit's current targets for the year as a new letter version.
func (s *Store) IssueLetter(ctx context.Context, actor domain.Actor, year int, unitID int64, note string) (*domain.Letter, error) {
	if !domain.ValidYear(year) {
		return nil, domain.Errorf(domain.EINVALID, "年份无效。")
	}
	var l *domain.Letter
	err := s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findUnit(ctx, `id = ?`, unitID); err != nil {
			return err
		}
		targets, err := tx.findTargets(ctx, year, unitID)
		if err != nil {
			return err
		}
		if len(targets) == 0 {
			return domain.Errorf(domain.EINVALID, "该单位%d年尚未设置目标，不能下达目标责任书。", year)
		}
		indicators, err := tx.findIndicators(ctx, false)
		if err != nil {
			return err
		}
		l = &domain.Letter{Year: year, UnitID: unitID, IssuedAt: tx.now, IssuedBy: actor.Name(), Note: strings.TrimSpace(note)}
		for _, ind := range indicators {
			if t := targets[TargetKey{UnitID: unitID, IndicatorID: ind.ID}]; t != nil {
				l.Targets = append(l.Targets, domain.LetterTarget{IndicatorID: ind.ID, Code: ind.Code, Name: ind.Name,
					Measure: ind.Measure, Base: t.Base.String(), Stretch: decText(t.Stretch)})
			}
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM letters WHERE year = ? AND unit_id = ?`,
			year, unitID).Scan(&l.Version); err != nil {
			return err
		}
		body, err := json.Marshal(l.Targets)
		if err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `INSERT INTO letters (year, unit_id, version, issued_at, issued_by, note, targets)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, year, unitID, l.Version, l.IssuedAt, l.IssuedBy, l.Note, string(body)).Scan(&l.ID); err != nil {
			return fmt.Errorf("issue letter: %w", err)
		}
		return tx.audit(ctx, actor, "letter.issue", "letter", l.ID, nil,
			map[string]any{"year": year, "unit_id": unitID, "version": l.Version, "targets": l.Targets}, "")
	})
	return l, err
}

// FindLetters lists a unit's letters for a year, newest version first.
func (s *Store) FindLetters(ctx context.Context, year int, unitID int64) ([]*domain.Letter, error) {
	var out []*domain.Letter
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, year, unit_id, version, issued_at, issued_by, note, targets
			FROM letters WHERE year = ? AND unit_id = ? ORDER BY version DESC`, year, unitID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l domain.Letter
			var body string
			if err := rows.Scan(&l.ID, &l.Year, &l.UnitID, &l.Version, &l.IssuedAt, &l.IssuedBy, &l.Note, &body); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &l.Targets); err != nil {
				return fmt.Errorf("letter %d targets: %w", l.ID, err)
			}
			l.IssuedAt = l.IssuedAt.UTC()
			out = append(out, &l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find letters: %w", err)
	}
	return out, nil
}
