package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"beizeng/internal/domain"
)

// SettingProblemRules keeps the city's problem-loop rules (domain.ProblemRules) as JSON.
const SettingProblemRules = "problem_rules"

// NotificationKindProblem marks inbox messages about problems (诉求).
const NotificationKindProblem = "problem"

// ProblemRules returns the stored rules, or DOMAIN.md's defaults.
func (s *Store) ProblemRules(ctx context.Context) (domain.ProblemRules, error) {
	r, _, err := s.ProblemRulesVersion(ctx)
	return r, err
}

// SetProblemRules replaces the rules whatever is stored (SaveProblemRules without a
// version).
func (s *Store) SetProblemRules(ctx context.Context, actor domain.Actor, r domain.ProblemRules) error {
	_, err := s.SaveProblemRules(ctx, actor, r, "")
	return err
}

func (tx *Tx) problemRules(ctx context.Context) (domain.ProblemRules, error) {
	r, _, err := tx.versionedProblemRules(ctx)
	return r, err
}

const problemColumns = `p.id, p.source, p.enterprise_id, p.unit_id, COALESCE(p.visit_id, 0), p.category, p.urgency, p.title,
	p.description, COALESCE(p.leader_id, 0), COALESCE(p.lead_unit_id, 0), p.status, p.received_at, p.assigned_at, p.due_at,
	p.extensions, p.pending_requested_at, p.pending_due_at, p.pending_reason, p.first_reply_at, p.first_reply_due_at,
	p.replied_at, p.reply, p.rating, p.rated_at, p.reopens, p.escalations, p.escalated_at, p.escalated_due_at, p.closed_at,
	p.close_reason, p.version, p.created_at, p.updated_at`

// problemRecord is a problem as stored: the domain problem and the visit it came from.
type problemRecord struct {
	domain.Problem
	VisitID int64
}

func scanProblem(sc interface{ Scan(...any) error }, extra ...any) (*problemRecord, error) {
	var r problemRecord
	p := &r.Problem
	var assigned, due, pendingAt, pendingDue, firstReply, firstReplyDue, replied, rated, escalated, escalatedDue, closed sql.NullTime
	var pendingReason string
	dest := []any{&p.ID, &p.Source, &p.EnterpriseID, &p.UnitID, &r.VisitID, &p.Category, &p.Urgency, &p.Title,
		&p.Description, &p.LeaderID, &p.LeadUnitID, &p.Status, &p.ReceivedAt, &assigned, &due,
		&p.Extensions, &pendingAt, &pendingDue, &pendingReason, &firstReply, &firstReplyDue,
		&replied, &p.Reply, &p.Rating, &rated, &p.Reopens, &p.Escalations, &escalated, &escalatedDue, &closed,
		&p.CloseReason, &p.Version, &p.CreatedAt, &p.UpdatedAt}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	p.ReceivedAt, p.CreatedAt, p.UpdatedAt = p.ReceivedAt.UTC(), p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.AssignedAt, p.DueAt, p.FirstReplyAt, p.FirstReplyDueAt = timeOf(assigned), timeOf(due), timeOf(firstReply), timeOf(firstReplyDue)
	p.RepliedAt, p.RatedAt, p.EscalatedAt, p.EscalatedDueAt, p.ClosedAt = timeOf(replied), timeOf(rated), timeOf(escalated), timeOf(escalatedDue), timeOf(closed)
	if pendingAt.Valid {
		p.Pending = &domain.ProblemExtension{RequestedAt: timeOf(pendingAt), NewDueAt: timeOf(pendingDue), Reason: pendingReason}
	}
	return &r, nil
}

// findProblem loads a problem with its assisting departments.
func (tx *Tx) findProblem(ctx context.Context, id int64) (*problemRecord, error) {
	r, err := scanProblem(tx.queryRow(ctx, `SELECT `+problemColumns+` FROM problems p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("诉求")
	}
	if err != nil {
		return nil, fmt.Errorf("find problem: %w", err)
	}
	assists, err := tx.problemAssists(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	r.Assists = assists[id]
	return r, nil
}

// problemAssists loads the assisting departments of the problems, by problem.
func (tx *Tx) problemAssists(ctx context.Context, ids []int64) (map[int64][]domain.ProblemAssist, error) {
	out := map[int64][]domain.ProblemAssist{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query(ctx, `SELECT problem_id, unit_id, due_at, answered_at, answer FROM problem_assists
		WHERE problem_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY problem_id, unit_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("problem assists: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var a domain.ProblemAssist
		var answered sql.NullTime
		if err := rows.Scan(&pid, &a.UnitID, &a.DueAt, &answered, &a.Answer); err != nil {
			return nil, err
		}
		a.DueAt, a.AnsweredAt = a.DueAt.UTC(), timeOf(answered)
		out[pid] = append(out[pid], a)
	}
	return out, rows.Err()
}

// FindProblemByID returns a problem with its assisting departments.
func (s *Store) FindProblemByID(ctx context.Context, id int64) (*domain.Problem, error) {
	var p *domain.Problem
	err := s.inRead(ctx, func(tx *Tx) error {
		r, err := tx.findProblem(ctx, id)
		if err == nil {
			p = &r.Problem
		}
		return err
	})
	return p, err
}

// FindProblemActions returns a problem's timeline, oldest first.
func (s *Store) FindProblemActions(ctx context.Context, id int64) ([]*domain.ProblemAction, error) {
	var list []*domain.ProblemAction
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, problem_id, kind, party, COALESCE(actor_user_id, 0), actor_name, at, from_status,
			to_status, text, rating, due_at, unit_ids FROM problem_actions WHERE problem_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a domain.ProblemAction
			var due sql.NullTime
			var units string
			if err := rows.Scan(&a.ID, &a.ProblemID, &a.Kind, &a.Party, &a.ActorUserID, &a.ActorName, &a.At, &a.From,
				&a.To, &a.Text, &a.Rating, &due, &units); err != nil {
				return err
			}
			a.At, a.DueAt = a.At.UTC(), timeOf(due)
			for part := range strings.SplitSeq(units, ",") {
				if n, err := strconv.ParseInt(part, 10, 64); err == nil {
					a.UnitIDs = append(a.UnitIDs, n)
				}
			}
			list = append(list, &a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("problem actions: %w", err)
	}
	return list, nil
}

// auditOfProblem is what the audit log keeps of a problem: where it stands, not its text.
func auditOfProblem(p *domain.Problem) map[string]any {
	m := map[string]any{"status": p.Status, "enterprise_id": p.EnterpriseID, "category": p.Category, "urgency": p.Urgency,
		"title": p.Title, "lead_unit_id": p.LeadUnitID, "assisting": p.AssistingUnitIDs(), "leader_id": p.LeaderID,
		"rating": p.Rating, "escalations": p.Escalations, "extensions": p.Extensions, "version": p.Version}
	if !p.DueAt.IsZero() {
		m["due_at"] = p.DueAt.UTC().Format(time.RFC3339)
	}
	return m
}

// checkUnits refuses unit IDs that do not name an active unit.
func (tx *Tx) checkUnits(ctx context.Context, ids []int64, what string) error {
	for _, id := range ids {
		var active bool
		err := tx.queryRow(ctx, `SELECT active FROM units WHERE id = ?`, id).Scan(&active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return domain.Errorf(domain.EINVALID, "%s不存在或已停用。", what)
		}
		if err != nil {
			return fmt.Errorf("check unit: %w", err)
		}
	}
	return nil
}

// RaiseProblem receives a new problem (domain.ReceiveProblem): by the coordinator, by a
// leader for a service-day visit, or by the enterprise's contact. The enterprise's unit
// is taken from the registry, and the linked leader from the enterprise's current link
// when none is given.
func (s *Store) RaiseProblem(ctx context.Context, actor domain.ProblemActor, p *domain.Problem) error {
	return s.inWrite(ctx, func(tx *Tx) error { return tx.raiseProblem(ctx, actor, p, 0) })
}

func (tx *Tx) raiseProblem(ctx context.Context, actor domain.ProblemActor, p *domain.Problem, visitID int64) error {
	rules, err := tx.problemRules(ctx)
	if err != nil {
		return err
	}
	if p.EnterpriseID > 0 {
		e, err := tx.findEnterprise(ctx, `e.id = ?`, p.EnterpriseID)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Errorf(domain.EINVALID, "所选企业不存在。")
			}
			return err
		}
		p.UnitID = e.UnitID
		if p.LeaderID == 0 {
			if p.LeaderID, err = tx.linkedLeader(ctx, p.EnterpriseID, domain.DateOf(tx.now).Format(domain.DateLayout)); err != nil {
				return err
			}
		}
	}
	fx, err := domain.ReceiveProblem(p, actor, tx.now, rules)
	if err != nil {
		return err
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	err = tx.queryRow(ctx, `INSERT INTO problems (source, enterprise_id, unit_id, visit_id, category, urgency, title, description,
		leader_id, status, received_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Source, p.EnterpriseID, p.UnitID, nullID(visitID), p.Category, p.Urgency, p.Title, p.Description, nullID(p.LeaderID),
		p.Status, p.ReceivedAt, p.Version, p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("insert problem: %w", err)
	}
	fx.Action.ProblemID = p.ID
	if err := tx.insertProblemAction(ctx, &fx.Action); err != nil {
		return err
	}
	if err := tx.audit(ctx, actor.Actor, "problem.create", "problem", p.ID, nil, auditOfProblem(p), ""); err != nil {
		return err
	}
	return tx.deliverProblemNotices(ctx, actor.Actor, p, fx.Notices, "")
}

func (tx *Tx) insertProblemAction(ctx context.Context, a *domain.ProblemAction) error {
	units := make([]string, len(a.UnitIDs))
	for i, id := range a.UnitIDs {
		units[i] = strconv.FormatInt(id, 10)
	}
	return tx.queryRow(ctx, `INSERT INTO problem_actions (problem_id, kind, party, actor_user_id, actor_name, at, from_status,
		to_status, text, rating, due_at, unit_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.ProblemID, a.Kind, a.Party, nullID(a.ActorUserID), a.ActorName, a.At, a.From, a.To, a.Text, a.Rating,
		nullTime(a.DueAt), strings.Join(units, ",")).Scan(&a.ID)
}

// ActOnProblem applies one action to a problem in one transaction: load it, refuse a
// stale version, apply the loop's rules (domain.ApplyProblem) on the city's calendar,
// save it with its timeline entry, send the notices and audit the change.
func (s *Store) ActOnProblem(ctx context.Context, actor domain.ProblemActor, id, version int64, c domain.ProblemCommand) (*domain.Problem, error) {
	var out *domain.Problem
	err := s.inWrite(ctx, func(tx *Tx) error {
		p, err := tx.actOnProblem(ctx, actor, id, version, c)
		out = p
		return err
	})
	return out, err
}

func (tx *Tx) actOnProblem(ctx context.Context, actor domain.ProblemActor, id, version int64, c domain.ProblemCommand) (*domain.Problem, error) {
	rec, err := tx.findProblem(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.Version != version {
		return nil, domain.ErrConflict("诉求")
	}
	if c.Kind == domain.ActAssign || c.Kind == domain.ActReassign {
		if c.LeadUnitID > 0 {
			if err := tx.checkUnits(ctx, append([]int64{c.LeadUnitID}, c.AssistingUnitIDs...), "所选部门"); err != nil {
				return nil, err
			}
		}
	}
	rules, err := tx.problemRules(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := tx.calendar(ctx)
	if err != nil {
		return nil, err
	}
	before := rec.Problem
	p := rec.Problem
	fx, err := domain.ApplyProblem(&p, c, actor, tx.now, cal.WorkingDays(), rules)
	if err != nil {
		return nil, err
	}
	if err := tx.saveProblem(ctx, &before, &p); err != nil {
		return nil, err
	}
	if err := tx.insertProblemAction(ctx, &fx.Action); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, actor.Actor, "problem."+c.Kind, "problem", p.ID, auditOfProblem(&before), auditOfProblem(&p), fx.Action.Text); err != nil {
		return nil, err
	}
	dedupe := ""
	if c.Kind == domain.ActEscalate {
		// The job may run again after a crash: one message per missed deadline.
		dedupe = fmt.Sprintf("problem_escalate:%d:%d", p.ID, p.DueAt.Unix())
	}
	return &p, tx.deliverProblemNotices(ctx, actor.Actor, &p, fx.Notices, dedupe)
}

// saveProblem writes every field an action may change, and the assisting departments,
// as the next version of before.
func (tx *Tx) saveProblem(ctx context.Context, before, p *domain.Problem) error {
	var pendingAt, pendingDue time.Time
	pendingReason := ""
	if p.Pending != nil {
		pendingAt, pendingDue, pendingReason = p.Pending.RequestedAt, p.Pending.NewDueAt, p.Pending.Reason
	}
	p.Version, p.UpdatedAt = before.Version+1, tx.now
	res, err := tx.exec(ctx, `UPDATE problems SET lead_unit_id = ?, status = ?, assigned_at = ?, due_at = ?, extensions = ?,
		pending_requested_at = ?, pending_due_at = ?, pending_reason = ?, first_reply_at = ?, first_reply_due_at = ?,
		replied_at = ?, reply = ?, rating = ?, rated_at = ?, reopens = ?, escalations = ?, escalated_at = ?, escalated_due_at = ?,
		closed_at = ?, close_reason = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		nullID(p.LeadUnitID), p.Status, nullTime(p.AssignedAt), nullTime(p.DueAt), p.Extensions,
		nullTime(pendingAt), nullTime(pendingDue), pendingReason, nullTime(p.FirstReplyAt), nullTime(p.FirstReplyDueAt),
		nullTime(p.RepliedAt), p.Reply, p.Rating, nullTime(p.RatedAt), p.Reopens, p.Escalations, nullTime(p.EscalatedAt),
		nullTime(p.EscalatedDueAt), nullTime(p.ClosedAt), p.CloseReason, p.Version, p.UpdatedAt, p.ID, before.Version)
	if err := expectOneRow(res, err, "诉求"); err != nil {
		return err
	}
	if slices.Equal(before.Assists, p.Assists) {
		return nil
	}
	if _, err := tx.exec(ctx, `DELETE FROM problem_assists WHERE problem_id = ?`, p.ID); err != nil {
		return fmt.Errorf("problem assists: %w", err)
	}
	for _, a := range p.Assists {
		if _, err := tx.exec(ctx, `INSERT INTO problem_assists (problem_id, unit_id, due_at, answered_at, answer) VALUES (?, ?, ?, ?, ?)`,
			p.ID, a.UnitID, a.DueAt.UTC(), nullTime(a.AnsweredAt), a.Answer); err != nil {
			return fmt.Errorf("problem assists: %w", err)
		}
	}
	return nil
}

// deliverProblemNotices turns the loop's notices into inbox messages: a department's
// notices reach its enabled handlers (the supervision office's too), the coordinators'
// every coordinator. The enterprise has no inbox: it reads its problems' status through
// its contact link.
func (tx *Tx) deliverProblemNotices(ctx context.Context, actor domain.Actor, p *domain.Problem, notices []domain.ProblemNotice, dedupe string) error {
	title := "诉求：" + p.Title
	if utf8.RuneCountInString(title) > 60 {
		title = string([]rune(title)[:59]) + "…"
	}
	for _, n := range notices {
		msg := domain.Notification{Kind: NotificationKindProblem, Title: title, Body: n.Message,
			Link: "/problems/" + strconv.FormatInt(p.ID, 10), Dedupe: dedupe}
		var err error
		switch n.To {
		case domain.NoticeUnit:
			err = tx.notifyUnitHandlers(ctx, actor, n.ID, msg)
		case domain.NoticeUser:
			msg.UserID = n.ID
			_, err = tx.Notify(ctx, actor, &msg)
		case domain.NoticeCoordinators:
			_, err = tx.NotifyRole(ctx, actor, domain.RoleCoordinator, msg)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) notifyUnitHandlers(ctx context.Context, actor domain.Actor, unitID int64, msg domain.Notification) error {
	rows, err := tx.query(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.unit_id = ? AND r.role = ? AND NOT u.disabled ORDER BY u.id`, unitID, string(domain.RoleHandler))
	if err != nil {
		return fmt.Errorf("unit handlers: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		n := msg
		n.UserID = id
		if _, err := tx.Notify(ctx, actor, &n); err != nil {
			return err
		}
	}
	return nil
}

// owingSQL is domain's owing(): the lead department owes an answer.
const owingSQL = `p.status IN ('assigned', 'in_progress', 'reopened')`

func problemWhere(f domain.ProblemFilter, now time.Time) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) { where, args = append(where, cond), append(args, arg...) }
	switch {
	case f.Status == domain.ProblemOpen:
		// Listed rather than "<> closed" so that the status indexes serve it.
		add("p.status IN ('received', 'assigned', 'reassign_requested', 'in_progress', 'replied', 'reopened')")
	case f.Status != "":
		add("p.status = ?", f.Status)
	}
	if f.LeadUnitID != 0 {
		add("p.lead_unit_id = ?", f.LeadUnitID)
	}
	if f.DepartmentID != 0 {
		// A union of two indexed lookups: an OR across the two tables would scan.
		add("p.id IN (SELECT l.id FROM problems l WHERE l.lead_unit_id = ? UNION SELECT a.problem_id FROM problem_assists a WHERE a.unit_id = ?)",
			f.DepartmentID, f.DepartmentID)
	}
	if f.UnitID != 0 {
		add("p.unit_id = ?", f.UnitID)
	}
	if f.EnterpriseID != 0 {
		add("p.enterprise_id = ?", f.EnterpriseID)
	}
	if f.LeaderID != 0 {
		add("p.leader_id = ?", f.LeaderID)
	}
	if f.Category != "" {
		add("p.category = ?", f.Category)
	}
	if f.Source != "" {
		add("p.source = ?", f.Source)
	}
	if f.Overdue {
		add(owingSQL+" AND p.due_at < ?", now)
	}
	if f.From != "" {
		add("p.received_at >= ?", domain.StartOfDay(mustDate(f.From)).UTC())
	}
	if f.To != "" {
		add("p.received_at < ?", domain.StartOfDay(mustDate(f.To).AddDate(0, 0, 1)).UTC())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := likePattern(q)
		add(`(LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(e.name) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// mustDate reads a date the filter's Validate has checked.
func mustDate(s string) time.Time {
	d, _ := time.Parse(domain.DateLayout, s)
	return d
}

// problemsFrom is the FROM clause of counts over the filtered problems: the enterprises
// are joined only when the search needs their names (every problem has one), since a
// lookup per problem was half the time of the statistics of a year of the province-scale
// dataset (38,784 of its 200,000 problems).
func problemsFrom(f domain.ProblemFilter) string {
	if strings.TrimSpace(f.Query) != "" {
		return ` FROM problems p JOIN enterprises e ON e.id = p.enterprise_id`
	}
	return ` FROM problems p`
}

// FindProblems lists a page of problems matching the filter, with their enterprises'
// names and assisting departments, and the filter's total. As for enterprises, the total
// is a separate COUNT in the same snapshot rather than a window count, which made the
// database build and sort every matching row before cutting the page: over the
// province-scale dataset's 200,000 problems the first page took seconds on SQLite.
func (s *Store) FindProblems(ctx context.Context, f domain.ProblemFilter) ([]*domain.ProblemRow, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	now := s.txNow()
	where, args := problemWhere(f, now)
	order := `p.received_at DESC, p.id DESC`
	if f.Sort == "due" {
		// Deadlines first, the most pressing on top; problems without one after.
		order = `CASE WHEN p.due_at IS NULL THEN 1 ELSE 0 END, p.due_at, p.id`
	}
	const from = ` FROM problems p JOIN enterprises e ON e.id = p.enterprise_id`
	var list []*domain.ProblemRow
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+problemsFrom(f)+where, args...).Scan(&total); err != nil {
			return err
		}
		if total <= max(f.Offset, 0) {
			return nil
		}
		rows, err := tx.query(ctx, `SELECT `+problemColumns+`, e.name`+from+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
			append(slices.Clone(args), pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			row := &domain.ProblemRow{}
			rec, err := scanProblem(rows, &row.EnterpriseName)
			if err != nil {
				rows.Close()
				return err
			}
			p := rec.Problem
			row.Problem = &p
			list = append(list, row)
			ids = append(ids, p.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		assists, err := tx.problemAssists(ctx, ids)
		if err != nil {
			return err
		}
		for _, row := range list {
			row.Assists = assists[row.ID]
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find problems: %w", err)
	}
	return list, total, nil
}

// ProblemStatistics counts the filtered problems by a grouping (domain.ProblemStatsBy)
// at the store's now, with the total row and the red and black lists of lead
// departments. Only the columns the counts need are read.
func (s *Store) ProblemStatistics(ctx context.Context, f domain.ProblemFilter, by string) (*domain.ProblemReport, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	now := s.txNow()
	where, args := problemWhere(f, now)
	var problems []domain.ProblemFigures
	var cal *domain.Calendar
	var rules domain.ProblemRules
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		if rules, err = tx.problemRules(ctx); err != nil {
			return err
		}
		if cal, err = tx.calendar(ctx); err != nil {
			return err
		}
		problems, err = tx.problemFigures(ctx, problemsFrom(f)+where, args)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("problem statistics: %w", err)
	}
	work := cal.WorkingDays()
	rep := &domain.ProblemReport{By: by, At: now, Rules: rules}
	if rep.Rows, err = domain.ProblemStatsBy(problems, by, now, work, rules.Satisfaction); err != nil {
		return nil, err
	}
	rep.Total = domain.ProblemTotal(problems, now, work, rules.Satisfaction)
	departments := rep.Rows
	if by != domain.ProblemByDepartment {
		departments, _ = domain.ProblemStatsBy(problems, domain.ProblemByDepartment, now, work, rules.Satisfaction)
	}
	rep.Red, rep.Black = domain.DepartmentLists(departments, rules.Lists)
	return rep, nil
}

// EscalateOverdue escalates (督办) every problem whose answer is overdue and not yet
// escalated for this deadline, each in its own transaction as the system, and returns
// how many it escalated. A problem changed meanwhile is left for the next run.
func (s *Store) EscalateOverdue(ctx context.Context) (int, error) {
	now := s.txNow()
	ids, err := s.problemIDs(ctx, `SELECT p.id, p.version FROM problems p WHERE `+owingSQL+` AND p.due_at < ?
		AND (p.escalated_due_at IS NULL OR p.escalated_due_at <> p.due_at) ORDER BY p.due_at, p.id`, now)
	if err != nil {
		return 0, err
	}
	system := domain.ProblemActor{Actor: domain.Actor{Via: "job"}}
	n := 0
	for _, iv := range ids {
		_, err := s.ActOnProblem(ctx, system, iv[0], iv[1], domain.ProblemCommand{Kind: domain.ActEscalate})
		switch domain.ErrorCode(err) {
		case "":
			n++
		case domain.ECONFLICT, domain.EINVALID:
		default:
			return n, fmt.Errorf("escalate problem %d: %w", iv[0], err)
		}
	}
	return n, nil
}

func (s *Store) problemIDs(ctx context.Context, q string, args ...any) ([][2]int64, error) {
	var out [][2]int64
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var iv [2]int64
			if err := rows.Scan(&iv[0], &iv[1]); err != nil {
				return err
			}
			out = append(out, iv)
		}
		return rows.Err()
	})
	return out, err
}

// RemindDueSoon tells the lead departments of problems due within the rules' reminder
// time, once per deadline (a rerun sends nothing twice), and returns how many problems
// are due that soon.
func (s *Store) RemindDueSoon(ctx context.Context) (int, error) {
	n := 0
	err := s.inWrite(ctx, func(tx *Tx) error {
		n = 0
		rules, err := tx.problemRules(ctx)
		if err != nil || rules.DueSoonHours == 0 {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+problemColumns+` FROM problems p WHERE `+owingSQL+` AND p.due_at >= ? AND p.due_at <= ?
			ORDER BY p.due_at, p.id`, tx.now, tx.now.Add(time.Duration(rules.DueSoonHours)*time.Hour))
		if err != nil {
			return err
		}
		var due []*domain.Problem
		for rows.Next() {
			rec, err := scanProblem(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, &rec.Problem)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		system := domain.Actor{Via: "job"}
		for _, p := range due {
			notice := domain.ProblemNotice{To: domain.NoticeUnit, ID: p.LeadUnitID,
				Message: fmt.Sprintf("诉求「%s」将于%s到期，请抓紧答复企业，逾期将列入督办。", p.Title, p.DueAt.In(domain.ChinaTime).Format("1月2日15:04"))}
			if err := tx.deliverProblemNotices(ctx, system, p, []domain.ProblemNotice{notice},
				fmt.Sprintf("problem_due_soon:%d:%d", p.ID, p.DueAt.Unix())); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
