package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// WarningSummary is what the bulletin and the cockpit show of the warnings on a day: how
// many projects each unit has warned, by worst level (in unit order), and the first
// warned projects — red first, then in unit order and by project code, as ProjectWarnings
// lists them — up to a number per unit kind, so that the first n of any scope (all,
// counties, parks) are among them. A province has tens of thousands of warned projects;
// the bulletin lists twenty, so only those are worded.
type WarningSummary struct {
	Counts []domain.UnitWarnings
	First  []ProjectWarningRow
}

// warningSummary counts the warned projects per unit (of one unit when unitID > 0) in
// SQL, and reads and words the first perKind of each unit kind: per level, red then
// yellow, the units in order each give their projects in code order, until the kind has
// perKind.
func (tx *Tx) warningSummary(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules, perKind int) (WarningSummary, error) {
	var sum WarningSummary
	units, err := tx.warningUnits(ctx)
	if err != nil {
		return sum, err
	}
	w := warningLevelSQL(today, rules)
	where := w.of(w.warned, unitID)
	err = tx.queryEach(ctx, `SELECT p.unit_id, COUNT(CASE WHEN `+w.red.sql+` THEN 1 END), COUNT(*)
		FROM projects p WHERE `+where.sql+` GROUP BY p.unit_id`, append(slices.Clip(w.red.args), where.args...),
		func(rows *sql.Rows) error {
			var c domain.UnitWarnings
			var all int
			if err := rows.Scan(&c.UnitID, &c.Red, &all); err != nil {
				return err
			}
			c.UnitName, c.Yellow = units[c.UnitID].name, all-c.Red
			sum.Counts = append(sum.Counts, c)
			return nil
		})
	if err != nil {
		return sum, err
	}
	slices.SortFunc(sum.Counts, func(a, b domain.UnitWarnings) int {
		ua, ub := units[a.UnitID], units[b.UnitID]
		return cmp.Or(cmp.Compare(ua.order, ub.order), strings.Compare(ua.code, ub.code))
	})
	// The first perKind of each kind, in ProjectWarnings's order — red before yellow, units
	// in order, codes in order (bytewise, as Go compares them).
	yellow := joinConds("AND", w.warned, sqlCond{sql: "NOT " + w.red.sql, args: w.red.args})
	taken := map[string]int{}
	for level, cond := range []sqlCond{w.red, yellow} {
		for _, c := range sum.Counts {
			kind := units[c.UnitID].kind
			n := min([]int{c.Red, c.Yellow}[level], perKind-taken[kind])
			if n <= 0 {
				continue
			}
			taken[kind] += n
			rows, err := tx.warnedRows(ctx, w.of(cond, c.UnitID), sqlCond{" ORDER BY " + tx.bytewise("p.code") + " LIMIT ?", []any{n}},
				today, rules, units)
			if err != nil {
				return sum, err
			}
			for _, r := range rows {
				sum.First = append(sum.First, *r)
			}
		}
	}
	return sum, nil
}

// WarningSummary is warningSummary for every unit, in a read transaction of its own.
func (s *Store) WarningSummary(ctx context.Context, today time.Time, rules domain.WarningRules, perKind int) (WarningSummary, error) {
	var sum WarningSummary
	err := s.inRead(ctx, func(tx *Tx) (err error) {
		sum, err = tx.warningSummary(ctx, 0, today, rules, perKind)
		return err
	})
	if err != nil {
		return WarningSummary{}, fmt.Errorf("project warnings: %w", err)
	}
	return sum, nil
}

// warningCounts counts one unit's (or, with unitID 0, every unit's) warned projects by
// worst level, in unit order.
func (tx *Tx) warningCounts(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules) ([]domain.UnitWarnings, error) {
	sum, err := tx.warningSummary(ctx, unitID, today, rules, 0)
	return sum.Counts, err
}

// warningUnit is what the warning lists need of a unit: its name, its kind, and its place
// in unit order (sort order, then code).
type warningUnit struct {
	name, code, kind string
	order            int64
}

func (tx *Tx) warningUnits(ctx context.Context) (map[int64]warningUnit, error) {
	units := map[int64]warningUnit{}
	err := tx.queryEach(ctx, `SELECT id, name, code, kind, sort_order FROM units`, nil, func(rows *sql.Rows) error {
		var id int64
		var u warningUnit
		err := rows.Scan(&id, &u.name, &u.code, &u.kind, &u.order)
		units[id] = u
		return err
	})
	return units, err
}

// warnedRows reads the projects p that where selects (then tail: an order, a limit), each
// with its warnings worded by the domain's rules and its unit's name. Rows come by
// pointer: at province scale tens of thousands are warned, and growing a slice of whole
// rows copied them over and over.
func (tx *Tx) warnedRows(ctx context.Context, where, tail sqlCond, today time.Time, rules domain.WarningRules, units map[int64]warningUnit) ([]*ProjectWarningRow, error) {
	var out []*ProjectWarningRow
	err := tx.queryEach(ctx, `SELECT p.id, p.code, p.name, p.unit_id, p.stage, `+warningFactColumns+`
		FROM projects p WHERE `+where.sql+tail.sql, append(slices.Clip(where.args), tail.args...), func(rows *sql.Rows) error {
		r := &ProjectWarningRow{}
		var f domain.ProjectFacts
		if err := rows.Scan(append([]any{&r.ProjectID, &r.Code, &r.Name, &r.UnitID, &r.Stage}, warningFactTargets(&f)...)...); err != nil {
			return err
		}
		f.Stage = r.Stage
		r.UnitName = units[r.UnitID].name
		r.Warnings = domain.ProjectWarnings(f, today, rules)
		r.Level = domain.WorstLevel(r.Warnings)
		out = append(out, r)
		return nil
	})
	return out, err
}
