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
	type unitInfo struct {
		name, code, kind string
		order            int64
	}
	units := map[int64]unitInfo{}
	err := tx.queryEach(ctx, `SELECT id, name, code, kind, sort_order FROM units`, nil, func(rows *sql.Rows) error {
		var id int64
		var u unitInfo
		if err := rows.Scan(&id, &u.name, &u.code, &u.kind, &u.order); err != nil {
			return err
		}
		units[id] = u
		return nil
	})
	if err != nil {
		return sum, err
	}
	w := warningLevelSQL(today, rules)
	where := joinConds("AND", w.live, w.warned)
	if unitID > 0 {
		where = joinConds("AND", where, sqlCond{"p.unit_id = ?", []any{unitID}})
	}
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
			where := joinConds("AND", sqlCond{"p.unit_id = ?", []any{c.UnitID}}, w.live, cond)
			err := tx.queryEach(ctx, `SELECT p.id, p.code, p.name, p.unit_id, p.stage, `+warningFactColumns+`
				FROM projects p WHERE `+where.sql+` ORDER BY `+tx.bytewise("p.code")+` LIMIT ?`, append(where.args, n),
				func(rows *sql.Rows) error {
					var r ProjectWarningRow
					var f domain.ProjectFacts
					if err := rows.Scan(append([]any{&r.ProjectID, &r.Code, &r.Name, &r.UnitID, &r.Stage}, warningFactTargets(&f)...)...); err != nil {
						return err
					}
					f.Stage = r.Stage
					r.UnitName = units[r.UnitID].name
					r.Warnings = domain.ProjectWarnings(f, today, rules)
					r.Level = domain.WorstLevel(r.Warnings)
					sum.First = append(sum.First, r)
					return nil
				})
			if err != nil {
				return sum, err
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
