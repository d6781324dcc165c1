package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

// SettingEnterpriseRules holds the above-scale and cultivation-pool thresholds, as JSON.
const SettingEnterpriseRules = "enterprise_rules"

// EnterpriseRules returns the stored thresholds, or DOMAIN.md's defaults.
func (s *Store) EnterpriseRules(ctx context.Context) (domain.EnterpriseRules, error) {
	r := domain.DefaultEnterpriseRules
	if err := s.jsonSetting(ctx, SettingEnterpriseRules, &r); err != nil {
		return domain.DefaultEnterpriseRules, err
	}
	return r, nil
}

// SetEnterpriseRules validates and stores the thresholds, audited.
func (s *Store) SetEnterpriseRules(ctx context.Context, actor domain.Actor, r domain.EnterpriseRules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, actor, SettingEnterpriseRules, string(b))
}

var enterpriseOrder = map[string]string{
	"":             "e.name, e.id",
	"name":         "e.name, e.id",
	"updated_desc": "e.updated_at DESC, e.id DESC",
	"created_desc": "e.created_at DESC, e.id DESC",
}

// candidateSQL is domain.EnterpriseRules.IsCandidate in SQL, on one year's revenue. The
// revenue band is read first, through the figures' (year, revenue) index: it is narrow.
const candidateSQL = `(e.status = 'active' AND NOT e.above_scale AND e.id IN (SELECT f.enterprise_id FROM enterprise_figures f
	WHERE f.year = ? AND f.revenue >= ? AND f.revenue < ?))`

func enterpriseWhere(f domain.EnterpriseFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) { where, args = append(where, cond), append(args, arg...) }
	if f.UnitID != 0 {
		add("e.unit_id = ?", f.UnitID)
	}
	if f.ParkID != 0 {
		add("e.park_id = ?", f.ParkID)
	}
	if f.IndustryDivision != "" {
		add("e.industry_division = ?", f.IndustryDivision)
	}
	switch f.AboveScale {
	case "yes":
		add("e.above_scale = ?", true)
	case "no":
		add("e.above_scale = ?", false)
	}
	if f.Status != "" {
		add("e.status = ?", f.Status)
	}
	if f.Honour != "" {
		add("e.id IN (SELECT h.enterprise_id FROM enterprise_honours h WHERE h.type = ? AND h.withdrawn_at IS NULL)", f.Honour)
	}
	if f.Candidate {
		add(candidateSQL, f.FiguresYear, f.Rules.CandidateYuan, f.Rules.AboveScaleYuan)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := likePattern(q)
		add(`(LOWER(e.name) LIKE ? ESCAPE '\' OR LOWER(COALESCE(e.uscc, '')) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// FindEnterprises lists a page of enterprises matching the filter, with the filter's
// total. As for projects, the total is a separate COUNT in the same snapshot: a window
// count (COUNT(*) OVER()) makes the database build and sort every matching row before
// cutting the page, which over 100,000 enterprises took seconds on SQLite where the
// separate count and an index-ordered page take milliseconds.
func (s *Store) FindEnterprises(ctx context.Context, f domain.EnterpriseFilter) ([]*domain.Enterprise, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := enterpriseWhere(f)
	order, orderArgs := enterpriseOrder[f.Sort], []any{}
	if f.Sort == "revenue_desc" {
		order = `COALESCE((SELECT r.revenue FROM enterprise_figures r WHERE r.enterprise_id = e.id AND r.year = ?), -1) DESC, e.id`
		orderArgs = append(orderArgs, f.FiguresYear)
	}
	q := `SELECT ` + enterpriseColumns + ` FROM enterprises e` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	var list []*domain.Enterprise
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM enterprises e`+where, args...).Scan(&total); err != nil {
			return err
		}
		if total <= max(f.Offset, 0) {
			return nil
		}
		rows, err := tx.query(ctx, q, append(append(slices.Clone(args), orderArgs...), pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEnterprise(rows)
			if err != nil {
				return err
			}
			list = append(list, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find enterprises: %w", err)
	}
	return list, total, nil
}

// LatestRevenue returns each listed enterprise's revenue of a year (whole yuan), for
// the list's column; enterprises without figures for the year are absent.
func (s *Store) LatestRevenue(ctx context.Context, ids []int64, year int) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	lits := make([]string, len(ids))
	for i, id := range ids {
		lits[i] = strconv.FormatInt(id, 10) // integers we read from the database
	}
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT enterprise_id, revenue FROM enterprise_figures WHERE year = ? AND enterprise_id IN (`+
			strings.Join(lits, ",")+`)`, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, rev int64
			if err := rows.Scan(&id, &rev); err != nil {
				return err
			}
			out[id] = rev
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("revenue: %w", err)
	}
	return out, nil
}

// ScaleRow is one unit's above-scale entries and exits by month of a year.
type ScaleRow struct {
	UnitID        int64
	Entries       [12]int // by the month the entry counts from
	Exits         [12]int
	Monthly       int // gross entries by type
	Annual        int
	Gross, ExitsN int
}

// Net is gross entries minus exits.
func (r ScaleRow) Net() int { return r.Gross - r.ExitsN }

// ScalePipeline counts each unit's entries (by entry month and type) and exits (by
// exit month) in a year. Gross new entries and the net change are kept apart, as
// bulletins report them separately.
func (s *Store) ScalePipeline(ctx context.Context, year int) (map[int64]*ScaleRow, error) {
	out := map[int64]*ScaleRow{}
	row := func(unit int64) *ScaleRow {
		if out[unit] == nil {
			out[unit] = &ScaleRow{UnitID: unit}
		}
		return out[unit]
	}
	from, to := fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-12", year)
	err := s.inRead(ctx, func(tx *Tx) error {
		for _, q := range []struct{ col, sql string }{
			{"entry", `SELECT e.unit_id, s.entry_month, s.entry_type, COUNT(*) FROM enterprise_scale_spells s JOIN enterprises e ON e.id = s.enterprise_id
				WHERE s.entry_month BETWEEN ? AND ? GROUP BY e.unit_id, s.entry_month, s.entry_type`},
			{"exit", `SELECT e.unit_id, s.exit_month, '', COUNT(*) FROM enterprise_scale_spells s JOIN enterprises e ON e.id = s.enterprise_id
				WHERE s.exit_month BETWEEN ? AND ? GROUP BY e.unit_id, s.exit_month`},
		} {
			rows, err := tx.query(ctx, q.sql, from, to)
			if err != nil {
				return err
			}
			for rows.Next() {
				var unit int64
				var month, typ string
				var n int
				if err := rows.Scan(&unit, &month, &typ, &n); err != nil {
					rows.Close()
					return err
				}
				m, _ := strconv.Atoi(month[5:])
				r := row(unit)
				if q.col == "exit" {
					r.Exits[m-1] += n
					r.ExitsN += n
					continue
				}
				r.Entries[m-1] += n
				r.Gross += n
				if typ == domain.EntryAnnual {
					r.Annual += n
				} else {
					r.Monthly += n
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scale pipeline: %w", err)
	}
	return out, nil
}

// HonourCounts counts honours awarded in a year (every year when year is 0) per unit
// and honour type; withdrawn honours are not counted.
func (s *Store) HonourCounts(ctx context.Context, year int) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT e.unit_id, h.type, COUNT(*) FROM enterprise_honours h JOIN enterprises e ON e.id = h.enterprise_id
			WHERE (? = 0 OR h.year = ?) AND h.withdrawn_at IS NULL GROUP BY e.unit_id, h.type`, year, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var unit int64
			var typ string
			var n int
			if err := rows.Scan(&unit, &typ, &n); err != nil {
				return err
			}
			if out[unit] == nil {
				out[unit] = map[string]int{}
			}
			out[unit][typ] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("honour counts: %w", err)
	}
	return out, nil
}

// SettingPerMuScheme holds the per-mu evaluation scheme, as JSON.
const SettingPerMuScheme = "per_mu_scheme"

// PerMuScheme returns the stored scheme, or DOMAIN.md's default.
func (s *Store) PerMuScheme(ctx context.Context) (domain.PerMuScheme, error) {
	sc := domain.DefaultPerMuScheme
	if err := s.jsonSetting(ctx, SettingPerMuScheme, &sc); err != nil {
		return domain.DefaultPerMuScheme, err
	}
	return sc, nil
}

// SetPerMuScheme validates and stores the scheme, audited.
func (s *Store) SetPerMuScheme(ctx context.Context, actor domain.Actor, sc domain.PerMuScheme) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, actor, SettingPerMuScheme, string(b))
}

// PerMuInputs reads what the per-mu evaluation of a year needs: every active enterprise
// with figures for that year, its scale and section, and the unit and park each belongs
// to (for the distribution).
func (s *Store) PerMuInputs(ctx context.Context, year int) ([]domain.PerMuInput, map[int64][2]int64, error) {
	var out []domain.PerMuInput
	owners := map[int64][2]int64{}
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT e.unit_id, COALESCE(e.park_id, 0), e.above_scale, e.industry_section, f.enterprise_id, f.year,
			f.revenue, f.tax, f.value_added, f.employees, f.land_mu, f.energy_tce, f.electricity, f.emissions, f.rd_spending
			FROM enterprise_figures f JOIN enterprises e ON e.id = f.enterprise_id
			WHERE f.year = ? AND e.status = 'active' ORDER BY f.enterprise_id`, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var in domain.PerMuInput
			var unit, park int64
			fig, err := scanFigures(prefixScanner{rows, []any{&unit, &park, &in.AboveScale, &in.Section}})
			if err != nil {
				return err
			}
			in.EnterpriseID, in.Figures = fig.EnterpriseID, *fig
			owners[in.EnterpriseID] = [2]int64{unit, park}
			out = append(out, in)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("per-mu inputs: %w", err)
	}
	return out, owners, nil
}

// prefixScanner scans leading columns into pre before handing the rest to a scan
// function written for a row without them.
type prefixScanner struct {
	sc  interface{ Scan(...any) error }
	pre []any
}

func (p prefixScanner) Scan(dest ...any) error {
	return p.sc.Scan(append(slices.Clone(p.pre), dest...)...)
}
