package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// Settings holding the project analysis rules, as JSON.
const (
	SettingWarningRules    = "project_warning_rules"
	SettingQualityScheme   = "project_quality_scheme"
	SettingPerformanceRule = "project_performance_rule"
)

// WarningRules returns the stored warning rules, or the defaults.
func (s *Store) WarningRules(ctx context.Context) (domain.WarningRules, error) {
	r := domain.DefaultWarningRules
	return r, s.jsonSetting(ctx, SettingWarningRules, &r)
}

// QualityScheme returns the stored quality scheme, or the default.
func (s *Store) QualityScheme(ctx context.Context) (domain.QualityScheme, error) {
	q := domain.DefaultQualityScheme
	q.TagPoints = maps.Clone(q.TagPoints)
	if err := s.jsonSetting(ctx, SettingQualityScheme, &q); err != nil {
		return domain.DefaultQualityScheme, err
	}
	return q, nil
}

// PerformanceRule returns the stored 履约 definition, or the default.
func (s *Store) PerformanceRule(ctx context.Context) (domain.PerformanceRule, error) {
	r := domain.DefaultPerformanceRule
	return r, s.jsonSetting(ctx, SettingPerformanceRule, &r)
}

func (s *Store) jsonSetting(ctx context.Context, key string, v any) error {
	return s.inRead(ctx, func(tx *Tx) error { return tx.jsonSetting(ctx, key, v) })
}

// jsonSetting reads a JSON setting into v inside the caller's transaction; an unset
// setting leaves v (its defaults) as it is.
func (tx *Tx) jsonSetting(ctx context.Context, key string, v any) error {
	text, err := tx.storedSetting(ctx, key)
	if err != nil || text == "" {
		return err
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("read setting %s: %w", key, err)
	}
	return nil
}

// SetProjectAnalysisRules validates and stores the warning rules, the quality scheme and
// the 履约 definition in one transaction, audited.
func (s *Store) SetProjectAnalysisRules(ctx context.Context, actor domain.Actor, w domain.WarningRules, q domain.QualityScheme, p domain.PerformanceRule) error {
	if err := errors.Join(w.Validate(), q.Validate(), p.Validate()); err != nil {
		return firstDomainError(err)
	}
	values := map[string]string{}
	for key, v := range map[string]any{SettingWarningRules: w, SettingQualityScheme: q, SettingPerformanceRule: p} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		values[key] = string(b)
	}
	return s.SetSettings(ctx, actor, values)
}

// firstDomainError unwraps a joined error to its first part, which keeps its fields.
func firstDomainError(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if errs := j.Unwrap(); len(errs) > 0 {
			return errs[0]
		}
	}
	return err
}

// CreateCohort records a cohort and freezes its membership: every project signed in the
// window (terminated ones included: they were signed) at this moment. Audited.
func (s *Store) CreateCohort(ctx context.Context, actor domain.Actor, c *domain.Cohort) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM cohorts WHERE name = ?`, c.Name).Scan(&n); err != nil {
			return fmt.Errorf("create cohort: %w", err)
		}
		if n > 0 {
			return domain.Problems{"name": "已有同名批次。"}.Err()
		}
		if err := tx.queryRow(ctx, `INSERT INTO cohorts (name, signed_from, signed_to, frozen_at, created_by) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			c.Name, c.SignedFrom, c.SignedTo, tx.now, actor.Name()).Scan(&c.ID); err != nil {
			return fmt.Errorf("create cohort: %w", err)
		}
		res, err := tx.exec(ctx, `INSERT INTO cohort_projects (cohort_id, project_id)
			SELECT ?, id FROM projects WHERE signed_on >= ? AND signed_on <= ?`, c.ID, c.SignedFrom, c.SignedTo)
		if err != nil {
			return fmt.Errorf("freeze cohort: %w", err)
		}
		members, _ := res.RowsAffected()
		c.Projects, c.FrozenAt = int(members), tx.now
		return tx.audit(ctx, actor, "cohort.create", "cohort", c.ID, nil, c, "")
	})
}

const cohortColumns = `c.id, c.name, c.signed_from, c.signed_to, c.frozen_at,
	(SELECT COUNT(*) FROM cohort_projects m WHERE m.cohort_id = c.id)`

func scanCohort(row interface{ Scan(...any) error }) (*domain.Cohort, error) {
	var c domain.Cohort
	if err := row.Scan(&c.ID, &c.Name, &c.SignedFrom, &c.SignedTo, &c.FrozenAt, &c.Projects); err != nil {
		return nil, err
	}
	c.FrozenAt = c.FrozenAt.UTC()
	return &c, nil
}

// FindCohorts lists the cohorts, newest first.
func (s *Store) FindCohorts(ctx context.Context) ([]*domain.Cohort, error) {
	var cs []*domain.Cohort
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+cohortColumns+` FROM cohorts c ORDER BY c.id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCohort(rows)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find cohorts: %w", err)
	}
	return cs, nil
}

// FindCohortByID returns one cohort.
func (s *Store) FindCohortByID(ctx context.Context, id int64) (*domain.Cohort, error) {
	var c *domain.Cohort
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		c, err = scanCohort(tx.queryRow(ctx, `SELECT `+cohortColumns+` FROM cohorts c WHERE c.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("批次")
	}
	if err != nil {
		return nil, fmt.Errorf("find cohort: %w", err)
	}
	return c, nil
}

// CohortRates counts a cohort's members per unit in one aggregate query: signed (all
// members), registered, started and in production (a stage counts as reached when its
// date or a later stage's date is set), performed under the rule, and the sums of
// contract investment and funds in place. Units with members are listed, and assessed
// active units without any, in unit order.
func (s *Store) CohortRates(ctx context.Context, cohortID int64, rule domain.PerformanceRule) ([]domain.CohortCounts, error) {
	requireStarted := 0
	if rule.RequireStarted {
		requireStarted = 1
	}
	var out []domain.CohortCounts
	err := s.inRead(ctx, func(tx *Tx) error {
		var exists int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM cohorts WHERE id = ?`, cohortID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return domain.ErrNotFound("批次")
		}
		rows, err := tx.query(ctx, `WITH agg AS (
			SELECT p.unit_id,
				COUNT(*) AS signed,
				SUM(CASE WHEN COALESCE(p.registered_on, p.land_supplied_on, p.started_on, p.completed_on, p.in_production_on) IS NOT NULL THEN 1 ELSE 0 END) AS registered,
				SUM(CASE WHEN COALESCE(p.started_on, p.completed_on, p.in_production_on) IS NOT NULL THEN 1 ELSE 0 END) AS started,
				SUM(CASE WHEN p.in_production_on IS NOT NULL THEN 1 ELSE 0 END) AS producing,
				SUM(CASE WHEN (? = 0 OR COALESCE(p.started_on, p.completed_on, p.in_production_on) IS NOT NULL)
					AND p.funds_in_place * 10000 >= p.contract_investment * ? THEN 1 ELSE 0 END) AS performed,
				CAST(SUM(p.contract_investment) AS BIGINT) AS contract,
				CAST(SUM(p.funds_in_place) AS BIGINT) AS funds
			FROM cohort_projects m JOIN projects p ON p.id = m.project_id
			WHERE m.cohort_id = ?
			GROUP BY p.unit_id)
			SELECT u.id, u.code, u.name, COALESCE(a.signed, 0), COALESCE(a.registered, 0), COALESCE(a.started, 0),
				COALESCE(a.producing, 0), COALESCE(a.performed, 0), COALESCE(a.contract, 0), COALESCE(a.funds, 0)
			FROM units u LEFT JOIN agg a ON a.unit_id = u.id
			WHERE a.unit_id IS NOT NULL OR (u.assessed AND u.active AND u.kind IN ('county', 'park'))
			ORDER BY u.sort_order, u.code`, requireStarted, int64(rule.MinFundsRatio), cohortID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c domain.CohortCounts
			if err := rows.Scan(&c.UnitID, &c.UnitCode, &c.UnitName, &c.Signed, &c.Registered, &c.Started,
				&c.InProduction, &c.Performed, &c.Contract, &c.Funds); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("cohort rates: %w", err)
	}
	return out, nil
}

// ProjectWarningRow is a project with its active warnings.
type ProjectWarningRow struct {
	ProjectID int64            `json:"project_id"`
	Code      string           `json:"code"`
	Name      string           `json:"name"`
	UnitID    int64            `json:"unit_id"`
	UnitName  string           `json:"unit_name"`
	Stage     string           `json:"stage"`
	Level     string           `json:"level"`
	Warnings  []domain.Warning `json:"warnings"`
}

// ProjectWarnings evaluates the rules on every signed, live project (of one unit when
// unitID > 0) on the given day and returns those with a warning, red first. SQL finds the
// warned projects (warningLevelSQL); the domain's rules word their warnings.
func (s *Store) ProjectWarnings(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules) ([]ProjectWarningRow, error) {
	var out []ProjectWarningRow
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.projectWarnings(ctx, unitID, today, rules)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("project warnings: %w", err)
	}
	return out, nil
}

func (tx *Tx) projectWarnings(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules) ([]ProjectWarningRow, error) {
	units, err := tx.warningUnits(ctx)
	if err != nil {
		return nil, err
	}
	w := warningLevelSQL(today, rules)
	// No ORDER BY and no join with units: the database would sort every warned row before
	// returning the first; they are sorted here instead, on keys worked out once.
	warned, err := tx.warnedRows(ctx, w.of(w.warned, unitID), sqlCond{}, today, rules, units)
	if err != nil {
		return nil, err
	}
	// Red first, then in unit order (sort order, code) and by project code, which is unique.
	// The keys are worked out once per row rather than in every comparison.
	type key struct {
		yellow bool
		order  int64
		unit   string
		row    *ProjectWarningRow
	}
	keys := make([]key, len(warned))
	for i, r := range warned {
		u := units[r.UnitID]
		keys[i] = key{r.Level != domain.WarningRed, u.order, u.code, r}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.yellow != b.yellow {
			if a.yellow {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.order, b.order), strings.Compare(a.unit, b.unit), strings.Compare(a.row.Code, b.row.Code))
	})
	var out []ProjectWarningRow
	if len(keys) > 0 {
		out = make([]ProjectWarningRow, len(keys))
	}
	for i, k := range keys {
		out[i] = *k.row
	}
	return out, nil
}

// warningFactColumns are the columns of projects p the warning rules read, in the order
// of warningFactTargets.
const warningFactColumns = `COALESCE(p.signed_on, ''), COALESCE(p.land_supplied_on, ''), COALESCE(p.started_on, ''),
	COALESCE(p.in_production_on, ''), COALESCE(p.terminated_on, ''), COALESCE(p.planned_start_on, ''),
	COALESCE(p.planned_production_on, ''), COALESCE(p.last_note_on, ''), p.contract_investment, p.funds_in_place`

func warningFactTargets(f *domain.ProjectFacts) []any {
	return []any{&f.SignedOn, &f.LandSuppliedOn, &f.StartedOn, &f.InProductionOn, &f.TerminatedOn, &f.PlannedStartOn,
		&f.PlannedProductionOn, &f.LastNoteOn, &f.ContractInvestment, &f.FundsInPlace}
}

// ProjectQualityRow is a project with its quality score and breakdown.
type ProjectQualityRow struct {
	ProjectID int64              `json:"project_id"`
	Code      string             `json:"code"`
	Name      string             `json:"name"`
	UnitName  string             `json:"unit_name"`
	Stage     string             `json:"stage"`
	Score     domain.Dec         `json:"score"`
	Items     []domain.ScoreItem `json:"items"`
}

// decLit writes a Dec as an SQL number literal; it is a number we format, never user text.
func decLit(d domain.Dec) string { return d.String() }

// qualityOrderSQL is the quality score in SQL, in floating point: it orders and pages
// the list in the database. The exact score and its breakdown are computed in Go
// (domain.QualityScore) for the page's rows. tagPoints is a derived table of each
// project's tag points, to join as tp; args are its parameters.
func qualityOrderSQL(s domain.QualityScheme) (score, tagPoints string, args []any) {
	capped := func(expr, limit string) string {
		return "(CASE WHEN (" + expr + ") > " + limit + " THEN " + limit + " ELSE (" + expr + ") END)"
	}
	perMu := func(col, bench string, pts domain.Dec) string {
		share := "(CAST(p." + col + " AS DOUBLE PRECISION) / p.land_mu / " + bench + ")"
		return "(CASE WHEN p.land_mu > 0 AND " + bench + " > 0 THEN " + capped(share, "1") + " * " + decLit(pts) + " ELSE 0 END)"
	}
	// The intensity benchmark is the project's park's own when it has one.
	intensity := decLit(s.IntensityBenchmark)
	if len(s.ParkIntensity) > 0 {
		var b strings.Builder
		b.WriteString("(CASE p.park_id")
		for _, id := range slices.Sorted(maps.Keys(s.ParkIntensity)) {
			b.WriteString(" WHEN " + strconv.FormatInt(id, 10) + " THEN " + decLit(s.ParkIntensity[id]))
		}
		b.WriteString(" ELSE " + intensity + " END)")
		intensity = b.String()
	}

	tags := `(SELECT 0 AS project_id, 0 AS points)`
	if len(s.TagPoints) > 0 {
		var b strings.Builder
		b.WriteString("(SELECT project_id, SUM(CASE tag")
		for _, name := range slices.Sorted(maps.Keys(s.TagPoints)) {
			b.WriteString(" WHEN ? THEN " + decLit(s.TagPoints[name]))
			args = append(args, name)
		}
		b.WriteString(" ELSE 0 END) AS points FROM project_tags GROUP BY project_id)")
		tags = b.String()
	}
	tag := capped("COALESCE(tp.points, 0)", decLit(s.TagCap))
	total := strings.Join([]string{
		perMu("fixed_investment", intensity, s.IntensityPoints),
		perMu("expected_tax", decLit(s.TaxBenchmark), s.TaxPoints),
		tag,
		"(CASE WHEN p.capital_source IN ('foreign', 'hmt') OR p.foreign_capital THEN " + decLit(s.ForeignPoints) + " ELSE 0 END)",
		"(CASE WHEN TRIM(p.chain) <> '' THEN " + decLit(s.ChainPoints) + " ELSE 0 END)",
		"(CASE p.cert_5020 WHEN 'certified' THEN " + decLit(s.CertifiedPoints) + " WHEN 'applied' THEN " + decLit(s.AppliedPoints) + " ELSE 0 END)",
	}, " + ")
	return capped(total, decLit(s.TotalCap)), tags, args
}

// ProjectQuality lists live projects (of one unit when unitID > 0) by quality score,
// best first, one page at a time, with the total count.
func (s *Store) ProjectQuality(ctx context.Context, unitID int64, scheme domain.QualityScheme, offset, limit int) ([]ProjectQualityRow, int, error) {
	limit = pageLimit(limit)
	var out []ProjectQualityRow
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		score, tagPoints, args := qualityOrderSQL(scheme)
		where, whereArgs := `p.stage <> 'terminated'`, []any{}
		if unitID > 0 {
			where += ` AND p.unit_id = ?`
			whereArgs = append(whereArgs, unitID)
		}
		// Counted apart: a window count would make the database sort every row in full
		// instead of keeping only the page's best.
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects p WHERE `+where, whereArgs...).Scan(&total); err != nil {
			return err
		}
		args = append(append(args, whereArgs...), limit, max(offset, 0))
		rows, err := tx.query(ctx, `SELECT p.id, p.code, p.name, u.name, p.stage, p.fixed_investment, p.expected_tax, p.land_mu,
				p.capital_source IN ('foreign', 'hmt') OR p.foreign_capital, p.chain, p.cert_5020,
				COALESCE(p.park_id, 0), COALESCE(pk.name, '')
			FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN units pk ON pk.id = p.park_id
			LEFT JOIN `+tagPoints+` tp ON tp.project_id = p.id
			WHERE `+where+`
			ORDER BY `+score+` DESC, p.code LIMIT ? OFFSET ?`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var ids []any
		var facts []domain.QualityFacts
		for rows.Next() {
			var r ProjectQualityRow
			var f domain.QualityFacts
			var land int64 // 亩 × 10⁴
			if err := rows.Scan(&r.ProjectID, &r.Code, &r.Name, &r.UnitName, &r.Stage, &f.FixedInvestment, &f.ExpectedTax, &land,
				&f.Foreign, &f.Chain, &f.Cert5020, &f.ParkID, &f.ParkName); err != nil {
				return err
			}
			f.LandMu = domain.Dec(land)
			out, facts, ids = append(out, r), append(facts, f), append(ids, r.ProjectID)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if len(ids) == 0 {
			return nil
		}
		tags := map[int64][]string{}
		trows, err := tx.query(ctx, `SELECT project_id, tag FROM project_tags WHERE project_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
		if err != nil {
			return err
		}
		defer trows.Close()
		for trows.Next() {
			var id int64
			var tag string
			if err := trows.Scan(&id, &tag); err != nil {
				return err
			}
			tags[id] = append(tags[id], tag)
		}
		if err := trows.Err(); err != nil {
			return err
		}
		for i := range out {
			facts[i].Tags = tags[out[i].ProjectID]
			out[i].Score, out[i].Items = domain.QualityScore(facts[i], scheme)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("project quality: %w", err)
	}
	return out, total, nil
}
