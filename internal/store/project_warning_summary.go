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

// warnedProject is a warned project, kept until the first few are chosen: no more than
// ordering needs, as a province has tens of thousands.
type warnedProject struct {
	id, unitID int64
	code       string
	red        bool
}

// judgeWarnings judges the live projects (of one unit when unitID > 0) with
// domain.WarningLevel, reading only the facts the rules need, and
// returns those warned. Projects ended or in production have no warnings.
func (tx *Tx) judgeWarnings(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules) ([]warnedProject, error) {
	where, args := warningCandidates(today, rules)
	q := `SELECT p.id, p.code, p.unit_id, p.stage, COALESCE(p.signed_on, ''), COALESCE(p.land_supplied_on, ''),
			COALESCE(p.started_on, ''), COALESCE(p.planned_start_on, ''), COALESCE(p.planned_production_on, ''),
			COALESCE(p.last_note_on, ''), p.contract_investment, p.funds_in_place
		FROM projects p
		WHERE p.stage NOT IN ('lead', 'negotiating', 'terminated', 'in_production')
			AND COALESCE(p.terminated_on, '') = '' AND ` + where
	if unitID > 0 {
		q += ` AND p.unit_id = ?`
		args = append(args, unitID)
	}
	var out []warnedProject
	err := tx.queryEach(ctx, q, args, func(rows *sql.Rows) error {
		var w warnedProject
		var f domain.ProjectFacts
		if err := rows.Scan(&w.id, &w.code, &w.unitID, &f.Stage, &f.SignedOn, &f.LandSuppliedOn, &f.StartedOn,
			&f.PlannedStartOn, &f.PlannedProductionOn, &f.LastNoteOn, &f.ContractInvestment, &f.FundsInPlace); err != nil {
			return err
		}
		switch domain.WarningLevel(f, today, rules) {
		case domain.WarningRed:
			w.red = true
		case "":
			return nil
		}
		out = append(out, w)
		return nil
	})
	return out, err
}

// summarizeWarnings counts the warned projects per unit and words the warnings of the
// first perKind of each unit kind.
func (tx *Tx) summarizeWarnings(ctx context.Context, warned []warnedProject, today time.Time, rules domain.WarningRules, perKind int) (WarningSummary, error) {
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
	// Per unit, its red and its yellow projects.
	byUnit := map[int64]*[2][]*warnedProject{}
	for i := range warned {
		w := &warned[i]
		lists := byUnit[w.unitID]
		if lists == nil {
			lists = &[2][]*warnedProject{}
			byUnit[w.unitID] = lists
		}
		level := 1
		if w.red {
			level = 0
		}
		lists[level] = append(lists[level], w)
	}
	order := make([]int64, 0, len(byUnit))
	for id := range byUnit {
		order = append(order, id)
	}
	slices.SortFunc(order, func(a, b int64) int {
		return cmp.Or(cmp.Compare(units[a].order, units[b].order), strings.Compare(units[a].code, units[b].code))
	})
	for _, id := range order {
		lists := byUnit[id]
		sum.Counts = append(sum.Counts, domain.UnitWarnings{UnitID: id, UnitName: units[id].name,
			Red: len(lists[0]), Yellow: len(lists[1])})
	}
	// The first perKind of each kind, in ProjectWarnings's order — red before yellow, units
	// in order, codes in order — sorting only the lists drawn from.
	var first []*warnedProject
	taken := map[string]int{}
	for level := range 2 {
		for _, id := range order {
			kind := units[id].kind
			list := byUnit[id][level]
			if taken[kind] >= perKind || len(list) == 0 {
				continue
			}
			slices.SortFunc(list, func(a, b *warnedProject) int { return strings.Compare(a.code, b.code) })
			n := min(len(list), perKind-taken[kind])
			taken[kind] += n
			first = append(first, list[:n]...)
		}
	}
	if len(first) == 0 {
		return sum, nil
	}
	ids := make([]int64, len(first))
	for i, w := range first {
		ids[i] = w.id
	}
	// The listed few are read again whole, and their warnings worded.
	marks, idArgs := inList(ids)
	err = tx.queryEach(ctx, `SELECT p.id, p.code, p.name, p.unit_id, p.stage, `+warningFactColumns+`
		FROM projects p WHERE p.id IN (`+marks+`)`, idArgs, func(rows *sql.Rows) error {
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
	// Red first across kinds, then unit order and code.
	slices.SortFunc(sum.First, func(a, b ProjectWarningRow) int {
		if (a.Level == domain.WarningRed) != (b.Level == domain.WarningRed) {
			if a.Level == domain.WarningRed {
				return -1
			}
			return 1
		}
		ua, ub := units[a.UnitID], units[b.UnitID]
		return cmp.Or(cmp.Compare(ua.order, ub.order), strings.Compare(ua.code, ub.code), strings.Compare(a.Code, b.Code))
	})
	return sum, nil
}

// warningSummary judges and summarizes in one transaction.
func (tx *Tx) warningSummary(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules, perKind int) (WarningSummary, error) {
	warned, err := tx.judgeWarnings(ctx, unitID, today, rules)
	if err != nil {
		return WarningSummary{}, err
	}
	return tx.summarizeWarnings(ctx, warned, today, rules, perKind)
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
