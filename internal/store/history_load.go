package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// Loading history: records that reached their final state before they came into the
// platform — approved monthly reports of past years, projects with their stage dates,
// funds ledger and notes — enter whole, in bulk, rather than replayed through every
// workflow step. The province-scale synthetic dataset (internal/synth) loads the same
// way. Each call is one transaction with one audit event per report or project, written
// through one audit batch as imports are; any bad record changes nothing.

// HistoryReport is an approved monthly report carried over whole.
type HistoryReport struct {
	UnitID      int64
	Year, Month int
	Values      map[int64]domain.Dec // reported indicators only
}

// LoadApprovedReports inserts reports as approved, reviewed by the actor. It refuses an
// invalid period, an unknown unit, an indicator that is not a reported one, and a month
// the unit already has a report for.
func (s *Store) LoadApprovedReports(ctx context.Context, actor domain.Actor, reason string, reports []HistoryReport) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		units, err := tx.idSet(ctx, `SELECT id FROM units`)
		if err != nil {
			return err
		}
		reported, err := tx.idSet(ctx, `SELECT id FROM indicators WHERE kind = 'reported'`)
		if err != nil {
			return err
		}
		exists, err := tx.tx.PrepareContext(ctx, tx.rebind(`SELECT COUNT(*) FROM reports WHERE unit_id = ? AND year = ? AND month = ?`))
		if err != nil {
			return err
		}
		defer exists.Close()
		insert, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO reports (unit_id, year, month, status, submitted_at, submitted_by,
			reviewed_at, reviewed_by, version, created_at, updated_at) VALUES (?, ?, ?, 'approved', ?, ?, ?, ?, 1, ?, ?) RETURNING id`))
		if err != nil {
			return err
		}
		defer insert.Close()
		values := newRowBuffer(`INSERT INTO report_values (report_id, indicator_id, value) VALUES `, 3)
		audit, err := tx.newAuditBatch(ctx, true)
		if err != nil {
			return err
		}
		defer audit.insert.Close()
		for _, h := range reports {
			where := fmt.Sprintf("单位%d %d年%d月的月报", h.UnitID, h.Year, h.Month)
			if !domain.ValidPeriod(h.Year, h.Month) || !units[h.UnitID] {
				return domain.Errorf(domain.EINVALID, "%s：期间或单位无效。", where)
			}
			var n int
			if err := exists.QueryRowContext(ctx, h.UnitID, h.Year, h.Month).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return domain.Errorf(domain.ECONFLICT, "%s已存在，不能再载入。", where)
			}
			r := &domain.Report{UnitID: h.UnitID, Year: h.Year, Month: h.Month, Status: domain.ReportApproved, Values: h.Values, Version: 1}
			if err := insert.QueryRowContext(ctx, h.UnitID, h.Year, h.Month, tx.now, actor.Name(), tx.now, actor.Name(), tx.now, tx.now).Scan(&r.ID); err != nil {
				return fmt.Errorf("load report: %w", err)
			}
			for _, id := range slices.Sorted(maps.Keys(h.Values)) {
				if !reported[id] {
					return domain.Errorf(domain.EINVALID, "%s：指标%d不存在或不是填报指标。", where, id)
				}
				if err := values.add(ctx, tx, r.ID, id, h.Values[id].String()); err != nil {
					return fmt.Errorf("load report values: %w", err)
				}
			}
			if err := audit.add(ctx, tx, actor, "report.load", "report", r.ID, nil, auditOfReport(r), reason); err != nil {
				return err
			}
		}
		if err := values.flush(ctx, tx); err != nil {
			return fmt.Errorf("load report values: %w", err)
		}
		return audit.flush(ctx, tx)
	})
}

// HistoryProject is a project carried over with its lifecycle: its stage and stage
// dates as they are, its monthly funds ledger and its progress notes.
type HistoryProject struct {
	Project *domain.Project
	Ledger  []domain.ProjectLedgerEntry
	Notes   []domain.ProjectNote // OnDate and Body
}

// LoadProjects inserts projects with their stage history (one entry per stage date
// reached), ledger and notes; funds in place is the ledger's sum and the last note date
// the newest note's. It refuses what Validate refuses, a code already taken, an unknown
// unit or park, and a date after today.
func (s *Store) LoadProjects(ctx context.Context, actor domain.Actor, reason string, list []HistoryProject) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		today := tx.now.In(chinaTime).Format(time.DateOnly)
		codes := make([]string, len(list))
		for i, h := range list {
			codes[i] = strings.TrimSpace(h.Project.Code)
		}
		taken, err := tx.projectIDsByCode(ctx, codes)
		if err != nil {
			return err
		}
		st, err := tx.prepareImport(ctx)
		if err != nil {
			return err
		}
		defer st.close()
		rows := &projectRows{
			ledger: newRowBuffer(`INSERT INTO project_ledger (project_id, month, funds_in_place, investment_completed) VALUES `, 4),
			notes:  newRowBuffer(`INSERT INTO project_notes (project_id, on_date, body, author, at) VALUES `, 5),
			history: newRowBuffer(`INSERT INTO project_stage_history
				(project_id, from_stage, to_stage, on_date, reason, actor_name, at) VALUES `, 7),
		}
		if st.audit, err = tx.newAuditBatch(ctx, true); err != nil {
			return err
		}
		units := map[int64]*domain.Unit{}
		for i, h := range list {
			if err := tx.loadProject(ctx, actor, reason, h, today, units, taken, st, rows); err != nil {
				return importFailure(i, h.Project, err)
			}
		}
		for _, b := range []*rowBuffer{rows.ledger, rows.notes, rows.history} {
			if err := b.flush(ctx, tx); err != nil {
				return fmt.Errorf("load projects: %w", err)
			}
		}
		return st.audit.flush(ctx, tx)
	})
}

// projectRows gathers the rows of a project's lifecycle tables for multi-row inserts.
type projectRows struct{ ledger, notes, history *rowBuffer }

func (tx *Tx) loadProject(ctx context.Context, actor domain.Actor, reason string, h HistoryProject, today string,
	units map[int64]*domain.Unit, taken map[string]int64, st *importStmts, rows *projectRows) error {
	p := h.Project
	if err := p.Validate(); err != nil {
		return err
	}
	if _, ok := taken[p.Code]; ok {
		return domain.Errorf(domain.ECONFLICT, "项目编码 %s 已存在。", p.Code)
	}
	if err := tx.importRefs(ctx, p, units); err != nil {
		return err
	}
	p.FundsInPlace, p.LastNoteOn = 0, ""
	for _, e := range h.Ledger {
		if _, err := time.Parse("2006-01", e.Month); err != nil || e.FundsInPlace < 0 || e.InvestmentCompleted < 0 {
			return domain.Errorf(domain.EINVALID, "台账月份 %s 或金额无效。", e.Month)
		}
		p.FundsInPlace += e.FundsInPlace
	}
	for _, n := range h.Notes {
		if _, err := time.Parse(time.DateOnly, n.OnDate); err != nil || n.OnDate > today || strings.TrimSpace(n.Body) == "" {
			return domain.Errorf(domain.EINVALID, "进展日期 %s 或内容无效。", n.OnDate)
		}
		p.LastNoteOn = max(p.LastNoteOn, n.OnDate)
	}
	p.Tags = slices.Compact(slices.Sorted(slices.Values(p.Tags)))
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	if err := st.insert.QueryRowContext(ctx, projectInsertArgs(p, tx.now)...).Scan(&p.ID); err != nil {
		return fmt.Errorf("load project: %w", err)
	}
	taken[p.Code] = p.ID
	for _, tag := range p.Tags {
		if _, err := st.tag.ExecContext(ctx, p.ID, tag); err != nil {
			return fmt.Errorf("project tags: %w", err)
		}
	}
	from := ""
	for _, stage := range domain.ProjectStages {
		d := p.StageDate(stage)
		if d == nil || *d == "" {
			continue
		}
		if *d > today {
			return domain.Errorf(domain.EINVALID, "阶段日期 %s 晚于今天（%s）。", *d, today)
		}
		if err := rows.history.add(ctx, tx, p.ID, from, stage, *d, reason, actor.Name(), tx.now); err != nil {
			return fmt.Errorf("stage history: %w", err)
		}
		from = stage
	}
	for _, e := range h.Ledger {
		if err := rows.ledger.add(ctx, tx, p.ID, e.Month, e.FundsInPlace, e.InvestmentCompleted); err != nil {
			return fmt.Errorf("project ledger: %w", err)
		}
	}
	for _, n := range h.Notes {
		if err := rows.notes.add(ctx, tx, p.ID, n.OnDate, strings.TrimSpace(n.Body), actor.Name(), tx.now); err != nil {
			return fmt.Errorf("project note: %w", err)
		}
	}
	after := map[string]any{"project": auditOfProject(p), "ledger_months": len(h.Ledger), "notes": len(h.Notes)}
	return st.audit.add(ctx, tx, actor, "project.load", "project", p.ID, nil, after, reason)
}

// idSet reads a column of ids into a set.
func (tx *Tx) idSet(ctx context.Context, query string, args ...any) (map[int64]bool, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
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

// rowBuffer gathers rows for one table and writes them as multi-row INSERTs, a few
// hundred rows a statement: one statement per row is most of a bulk load's time over a
// network connection to PostgreSQL.
type rowBuffer struct {
	head  string // "INSERT INTO t (a, b) VALUES "
	tuple string // "(?, ?)"
	cols  int
	args  []any
	// full is the statement of a full buffer — always the same number of rows —
	// prepared once per transaction: parsing a statement of a few thousand parameters
	// anew for every flush was a sixth of a bulk load's time on SQLite.
	full *sql.Stmt
}

// rowBufferParams bounds a statement's parameters well below both databases' limits.
const rowBufferParams = 3000

func newRowBuffer(head string, cols int) *rowBuffer {
	return &rowBuffer{head: head, cols: cols, tuple: "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"}
}

func (b *rowBuffer) add(ctx context.Context, tx *Tx, values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) >= rowBufferParams {
		return b.flush(ctx, tx)
	}
	return nil
}

func (b *rowBuffer) flush(ctx context.Context, tx *Tx) error {
	n := len(b.args) / b.cols
	if n == 0 {
		return nil
	}
	query := b.head + strings.TrimSuffix(strings.Repeat(b.tuple+", ", n), ", ")
	var err error
	switch {
	case n != (rowBufferParams+b.cols-1)/b.cols: // the last, partial flush
		_, err = tx.exec(ctx, query, b.args...)
	case b.full == nil:
		if b.full, err = tx.tx.PrepareContext(ctx, tx.rebind(query)); err != nil {
			return err
		}
		fallthrough
	default:
		_, err = b.full.ExecContext(ctx, b.args...)
	}
	b.args = b.args[:0]
	return err
}
