package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"beizeng/internal/domain"
)

// SettingBulletin holds the bulletin settings (domain.BulletinSettings) as JSON.
const SettingBulletin = "bulletin_settings"

// BulletinSettings returns the stored bulletin settings, or the defaults.
func (s *Store) BulletinSettings(ctx context.Context) (domain.BulletinSettings, error) {
	b := domain.DefaultBulletinSettings
	return b, s.jsonSetting(ctx, SettingBulletin, &b)
}

// SetBulletinSettings validates and stores the bulletin settings, audited. A chosen
// cohort must exist.
func (s *Store) SetBulletinSettings(ctx context.Context, actor domain.Actor, b domain.BulletinSettings) error {
	if err := b.Validate(); err != nil {
		return err
	}
	if b.CohortID > 0 {
		if _, err := s.FindCohortByID(ctx, b.CohortID); err != nil {
			return err
		}
	}
	text, err := auditJSON(b)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, actor, SettingBulletin, text)
}

// ProjectEvent is a project milestone the bulletin counts in a period, with the column
// holding its date and the project list's filter prefix for that date (…_from, …_to).
type ProjectEvent struct {
	Key, Label, Column, FilterPrefix string
}

// ProjectEvents are the milestones counted: signed, started, put into production.
var ProjectEvents = []ProjectEvent{
	{"signed", "签约", "signed_on", "signed"},
	{"started", "开工", "started_on", "started"},
	{"producing", "投产", "in_production_on", "produced"},
}

// ProjectMovement is one unit's project milestones in a period.
type ProjectMovement struct {
	UnitID   int64           `json:"unit_id"`
	UnitCode string          `json:"unit_code"`
	UnitName string          `json:"unit_name"`
	UnitKind domain.UnitKind `json:"unit_kind"`
	// Counts[e][w][t] counts event e of ProjectEvents in window w (0 the month, 1 the
	// year to date) of projects in tier t (0 every project, i ≥ 1 the i-th tier).
	Counts [3][2][]int64 `json:"counts"`
}

// EmptyCounts are zero counts for every event, window and tier.
func EmptyCounts(tiers int) [3][2][]int64 {
	var c [3][2][]int64
	for e := range c {
		for w := range c[e] {
			c[e][w] = make([]int64, tiers+1)
		}
	}
	return c
}

// Add adds another unit's counts to m's (for a total).
func (m *ProjectMovement) Add(o ProjectMovement) {
	for e := range m.Counts {
		for w := range m.Counts[e] {
			for t := range m.Counts[e][w] {
				if t < len(o.Counts[e][w]) {
					m.Counts[e][w][t] += o.Counts[e][w][t]
				}
			}
		}
	}
}

// MonthWindow is a month's first and last day as 'YYYY-MM-DD'.
func MonthWindow(year, month int) (from, to string) {
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
}

// ProjectMovements counts, per unit in one aggregate query, the projects signed, started
// and put into production in the month and in the year to date, for every project and
// for each tier of contract investment. Units with any are listed, and the assessed
// active counties and parks without any, in unit order.
func (s *Store) ProjectMovements(ctx context.Context, year, month int, tiers []domain.Tier) ([]ProjectMovement, error) {
	if !domain.ValidPeriod(year, month) {
		return nil, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	monthFrom, to := MonthWindow(year, month)
	yearFrom := fmt.Sprintf("%04d-01-01", year)
	mins := []int64{0}
	for _, t := range tiers {
		mins = append(mins, t.Min)
	}
	// Each event's projects come from their own range scan of the (date, amount, unit)
	// index (migrations 0017 and 0018), read from the index alone; one OR over the three
	// dates instead visited every matching project's table row. Each event's rows carry
	// its number e, its date d and the amount, and one pass sums them per window and tier.
	var sums, outer, events []string
	var args []any
	for i, e := range ProjectEvents {
		events = append(events, fmt.Sprintf(`SELECT unit_id, %d AS e, %s AS d, contract_investment AS amount
			FROM projects WHERE %s >= ? AND %s <= ?`, i, e.Column, e.Column, e.Column))
		args = append(args, yearFrom, to)
	}
	n := 0
	for i := range ProjectEvents {
		for _, from := range []string{monthFrom, yearFrom} {
			for _, min := range mins {
				sums = append(sums, fmt.Sprintf("SUM(CASE WHEN ev.e = %d AND ev.d >= ? AND ev.amount >= ? THEN 1 ELSE 0 END) AS c%d", i, n))
				outer = append(outer, fmt.Sprintf("COALESCE(a.c%d, 0)", n))
				args = append(args, from, min)
				n++
			}
		}
	}
	q := `WITH ev AS (` + strings.Join(events, " UNION ALL ") + `),
		agg AS (SELECT ev.unit_id, ` + strings.Join(sums, ", ") + ` FROM ev GROUP BY ev.unit_id)
		SELECT u.id, u.code, u.name, u.kind, ` + strings.Join(outer, ", ") + `
		FROM units u LEFT JOIN agg a ON a.unit_id = u.id
		WHERE a.unit_id IS NOT NULL OR (u.assessed AND u.active AND u.kind IN ('county', 'park'))
		ORDER BY u.sort_order, u.code`
	var out []ProjectMovement
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m := ProjectMovement{Counts: EmptyCounts(len(tiers))}
			dest := []any{&m.UnitID, &m.UnitCode, &m.UnitName, &m.UnitKind}
			for e := range m.Counts {
				for w := range m.Counts[e] {
					for t := range m.Counts[e][w] {
						dest = append(dest, &m.Counts[e][w][t])
					}
				}
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("project movements: %w", err)
	}
	return out, nil
}

// BulletinData is everything a period's bulletin is assembled from. Each part is read
// by its own store method (so each can be compared and tuned on its own), in separate
// read transactions: a record changed between them shows in the next computation.
type BulletinData struct {
	CityName    string
	Progress    domain.ProgressInput
	Movements   []ProjectMovement
	Tiers       []domain.Tier
	Cohort      *domain.Cohort
	CohortRates []domain.CohortCounts
	Warnings    WarningSummary
	Settings    domain.BulletinSettings
	Reports     *domain.ReportOverview
	// Overdue are the meetings' action items overdue today under ActionRules.
	Overdue     []domain.ActionItem
	ActionRules domain.ActionRules
	Today       time.Time
	// Problems are the enterprises' problems (诉求) received from January to the period's
	// end, by lead department; ServiceDay counts those collected on the month's visits.
	Problems    *domain.ProblemReport
	ServiceDay  int
	Departments map[int64]string
}

// BulletinData reads a period's bulletin sources. Warnings are evaluated on today
// (counted in loc), as are the reports' deadlines. The sources are independent and read
// at once, each in its own read transaction: a province's bulletin is hundreds of
// thousands of rows, and a server has more than one core.
func (s *Store) BulletinData(ctx context.Context, year, month int, loc *time.Location) (*BulletinData, error) {
	d := &BulletinData{Tiers: domain.DefaultTiers, Today: s.Now().In(loc)}
	var err error
	if d.Settings, err = s.BulletinSettings(ctx); err != nil {
		return nil, err
	}
	rules, err := s.WarningRules(ctx)
	if err != nil {
		return nil, err
	}
	err = parallel(
		func() (err error) {
			d.Progress, err = s.ProgressInput(ctx, year, month)
			return err
		},
		func() (err error) {
			d.Movements, err = s.ProjectMovements(ctx, year, month, d.Tiers)
			return err
		},
		func() error { return s.bulletinCohort(ctx, d) },
		func() (err error) {
			d.Warnings, err = s.WarningSummary(ctx, d.Today, rules, d.Settings.WarningCap)
			return err
		},
		func() (err error) {
			d.Reports, err = s.FindReportOverview(ctx, year, month, loc)
			return err
		},
		func() (err error) {
			if d.ActionRules, err = s.ActionRules(ctx); err != nil {
				return err
			}
			d.Overdue, err = s.OverdueActionItems(ctx, d.Today)
			return err
		},
		func() error { return s.bulletinProblems(ctx, d, year, month) })
	if err != nil {
		return nil, err
	}
	if d.Progress.City != nil {
		d.CityName = d.Progress.City.Name
	}
	return d, nil
}

// parallel runs the functions at once and returns their errors joined.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// bulletinCohort reads the cohort the settings name, or else the newest, with its rates.
func (s *Store) bulletinCohort(ctx context.Context, d *BulletinData) error {
	var err error
	if d.Settings.CohortID > 0 {
		if d.Cohort, err = s.FindCohortByID(ctx, d.Settings.CohortID); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	if d.Cohort == nil {
		cohorts, err := s.FindCohorts(ctx)
		if err != nil {
			return err
		}
		if len(cohorts) > 0 {
			d.Cohort = cohorts[0]
		}
	}
	if d.Cohort == nil {
		return nil
	}
	rule, err := s.PerformanceRule(ctx)
	if err != nil {
		return err
	}
	d.CohortRates, err = s.CohortRates(ctx, d.Cohort.ID, rule)
	return err
}

const bulletinColumns = `id, year, month, scope, version, issue, content_hash, note, published_by, published_at`

func scanBulletin(sc interface{ Scan(...any) error }, extra ...any) (*domain.PublishedBulletin, error) {
	var b domain.PublishedBulletin
	if err := sc.Scan(append([]any{&b.ID, &b.Year, &b.Month, &b.Scope, &b.Version, &b.Issue, &b.ContentHash, &b.Note,
		&b.PublishedBy, &b.PublishedAt}, extra...)...); err != nil {
		return nil, err
	}
	b.PublishedAt = b.PublishedAt.UTC()
	return &b, nil
}

// ContentHash is the SHA-256 of a snapshot, in hex.
func ContentHash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// PublishBulletin freezes a period's bulletin as its next version (the first, or a
// correction with a reason), audited. The issue number (第N期) is the next in the year
// and scope for a first version, and the earlier versions' for a correction.
func (s *Store) PublishBulletin(ctx context.Context, actor domain.Actor, p domain.BulletinPublication) (*domain.PublishedBulletin, error) {
	if err := p.Validate(p.After + 1); err != nil {
		return nil, err
	}
	if len(p.Content) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "通报内容为空。")
	}
	var out *domain.PublishedBulletin
	err := s.inWrite(ctx, func(tx *Tx) error {
		var latest, issue int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0), COALESCE(MAX(issue), 0) FROM bulletins
			WHERE year = ? AND month = ? AND scope = ?`, p.Year, p.Month, p.Scope).Scan(&latest, &issue); err != nil {
			return err
		}
		if latest != p.After {
			return domain.Errorf(domain.ECONFLICT, "该期通报已有第%d版，请刷新后核对再发布。", latest)
		}
		if latest == 0 {
			if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(issue), 0) + 1 FROM bulletins WHERE year = ? AND scope = ?`,
				p.Year, p.Scope).Scan(&issue); err != nil {
				return err
			}
		}
		b := &domain.PublishedBulletin{Year: p.Year, Month: p.Month, Scope: p.Scope, Version: latest + 1, Issue: issue,
			Content: p.Content, ContentHash: ContentHash(p.Content), Note: p.Note, PublishedBy: actor.Name(), PublishedAt: tx.now}
		if err := tx.queryRow(ctx, `INSERT INTO bulletins (year, month, scope, version, issue, content, content_hash, note, published_by, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, b.Year, b.Month, b.Scope, b.Version, b.Issue, string(b.Content),
			b.ContentHash, b.Note, b.PublishedBy, b.PublishedAt).Scan(&b.ID); err != nil {
			return fmt.Errorf("insert bulletin: %w", err)
		}
		out = b
		return tx.audit(ctx, actor, "bulletin.publish", "bulletin", b.ID, nil, b, b.Note)
	})
	if err != nil {
		if domain.ErrorCode(err) != domain.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("publish bulletin: %w", err)
	}
	return out, nil
}

// FindBulletins lists published versions without their content, newest period first
// and, within a period, newest version first; year 0 lists every year.
func (s *Store) FindBulletins(ctx context.Context, year int) ([]*domain.PublishedBulletin, error) {
	var out []*domain.PublishedBulletin
	err := s.inRead(ctx, func(tx *Tx) error {
		q, args := `SELECT `+bulletinColumns+` FROM bulletins`, []any{}
		if year > 0 {
			q += ` WHERE year = ?`
			args = append(args, year)
		}
		rows, err := tx.query(ctx, q+` ORDER BY year DESC, month DESC, scope, version DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			b, err := scanBulletin(rows)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find bulletins: %w", err)
	}
	return out, nil
}

// FindBulletinByID returns a published version with its content.
func (s *Store) FindBulletinByID(ctx context.Context, id int64) (*domain.PublishedBulletin, error) {
	var b *domain.PublishedBulletin
	err := s.inRead(ctx, func(tx *Tx) error {
		var content string
		var err error
		b, err = scanBulletin(tx.queryRow(ctx, `SELECT `+bulletinColumns+`, content FROM bulletins WHERE id = ?`, id), &content)
		if isNoRows(err) {
			return domain.ErrNotFound("通报")
		}
		if err != nil {
			return fmt.Errorf("find bulletin: %w", err)
		}
		b.Content = []byte(content)
		return nil
	})
	return b, err
}

// LatestBulletinVersion is the newest published version of a period and scope (0 for
// none): what a publish form sends back as After.
func (s *Store) LatestBulletinVersion(ctx context.Context, year, month int, scope string) (int, error) {
	var v int
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM bulletins WHERE year = ? AND month = ? AND scope = ?`,
			year, month, scope).Scan(&v)
	})
	if err != nil {
		return 0, fmt.Errorf("latest bulletin version: %w", err)
	}
	return v, nil
}

// bulletinProblems reads the problem figures of the bulletin: the year to the period's
// end by lead department, and the month's service-day harvest.
func (s *Store) bulletinProblems(ctx context.Context, d *BulletinData, year, month int) error {
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	to := first.AddDate(0, 1, -1).Format(time.DateOnly)
	var err error
	if d.Problems, err = s.ProblemStatistics(ctx, domain.ProblemFilter{From: fmt.Sprintf("%d-01-01", year), To: to},
		domain.ProblemByDepartment); err != nil {
		return err
	}
	if _, d.ServiceDay, err = s.FindProblems(ctx, domain.ProblemFilter{Source: domain.SourceServiceDay,
		From: first.Format(time.DateOnly), To: to, Limit: 1}); err != nil {
		return err
	}
	depts, _, err := s.FindUnits(ctx, domain.UnitFilter{Kind: domain.UnitDepartment, Limit: 10000})
	if err != nil {
		return err
	}
	d.Departments = map[int64]string{}
	for _, u := range depts {
		d.Departments[u.ID] = u.Name
	}
	return nil
}
