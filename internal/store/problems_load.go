package store

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// Loading the service loop's history: leader links, service-day visits and problems
// that went through the loop before they came into the platform enter whole, as
// history_load.go loads reports and projects — the province-scale synthetic dataset
// (internal/synth) loads them this way. Each call is one transaction with multi-row
// inserts and one audit event per link, visit or problem through one audit batch; any
// bad record changes nothing and is named in the error. A problem enters at the status
// its timeline reached, and domain.CheckProblemTimeline must accept the pair: history
// does not replay ApplyProblem, so this is what keeps it consistent with the loop.
// Inbox messages of the past are not recreated.

// LoadLeaderLinks inserts leader ↔ enterprise links. It refuses what LeaderLink.Validate
// refuses, a user who is not an enabled leader, an unknown enterprise, and a link that
// overlaps another of the same pair (as CreateLink does).
func (s *Store) LoadLeaderLinks(ctx context.Context, actor domain.Actor, reason string, links []*domain.LeaderLink) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		leaders, err := tx.leaderIDs(ctx)
		if err != nil {
			return err
		}
		enterprises, err := tx.enterpriseUnits(ctx, func(yield func(int64) bool) {
			for _, l := range links {
				if !yield(l.EnterpriseID) {
					return
				}
			}
		})
		if err != nil {
			return err
		}
		insert, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO leader_links (leader_id, enterprise_id, start_on, end_on,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id`))
		if err != nil {
			return err
		}
		defer insert.Close()
		overlap, err := tx.tx.PrepareContext(ctx, tx.rebind(`SELECT COUNT(*) FROM leader_links WHERE leader_id = ? AND enterprise_id = ?
			AND start_on <= ? AND (end_on IS NULL OR end_on >= ?)`))
		if err != nil {
			return err
		}
		defer overlap.Close()
		audit, err := tx.newAuditBatch(ctx, true)
		if err != nil {
			return err
		}
		defer audit.insert.Close()
		for i, l := range links {
			fail := func(err error) error { return namedImportFailure(fmt.Sprintf("第%d条挂点关系", i+1), err) }
			if err := l.Validate(); err != nil {
				return fail(err)
			}
			if !leaders[l.LeaderID] {
				return fail(domain.Errorf(domain.EINVALID, "挂点领导应为已启用的领导账号。"))
			}
			if _, ok := enterprises[l.EnterpriseID]; !ok {
				return fail(domain.Errorf(domain.EINVALID, "所选企业不存在。"))
			}
			end := l.EndOn
			if end == "" {
				end = "9999-12-31"
			}
			var n int
			if err := overlap.QueryRowContext(ctx, l.LeaderID, l.EnterpriseID, end, l.StartOn).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fail(domain.Errorf(domain.EINVALID, "该领导在这段时间已挂点该企业。"))
			}
			l.Version, l.CreatedAt, l.UpdatedAt = 1, tx.now, tx.now
			if err := insert.QueryRowContext(ctx, l.LeaderID, l.EnterpriseID, l.StartOn, nullText(l.EndOn), tx.now, tx.now).Scan(&l.ID); err != nil {
				return fmt.Errorf("load link: %w", err)
			}
			if err := audit.add(ctx, tx, actor, "link.load", "leader_link", l.ID, nil, auditOfLink(l), reason); err != nil {
				return err
			}
		}
		return audit.flush(ctx, tx)
	})
}

// HistoryProblem is a problem as the loop left it, with its timeline, oldest first.
// Visit, when set, is the service-day visit it was raised on: one loaded with it or
// before it (its ID set).
type HistoryProblem struct {
	Problem  *domain.Problem
	Timeline []domain.ProblemAction
	Visit    *domain.ServiceVisit
}

// LoadProblemHistory inserts service-day visits, then problems with their assisting
// departments and timelines. A visit must be by a leader linked to the enterprise on the
// day. A problem must pass Validate against the city's rules and CheckProblemTimeline at
// now; its enterprise must exist in its unit; its lead and assisting departments must be
// active departments, its linked leader an enabled leader, the actors of its timeline
// users; a problem raised on a visit is a service-day problem of the visit's enterprise
// and leader, received on the visit's day. IDs and versions (one per timeline entry) are
// set on the records.
func (s *Store) LoadProblemHistory(ctx context.Context, actor domain.Actor, reason string, visits []*domain.ServiceVisit, problems []HistoryProblem) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		today := domain.DateOf(tx.now).Format(domain.DateLayout)
		audit, err := tx.newAuditBatch(ctx, true)
		if err != nil {
			return err
		}
		defer audit.insert.Close()
		if err := tx.loadVisits(ctx, actor, reason, today, visits, audit); err != nil {
			return err
		}
		if err := tx.loadProblems(ctx, actor, reason, problems, audit); err != nil {
			return err
		}
		return audit.flush(ctx, tx)
	})
}

func (tx *Tx) loadVisits(ctx context.Context, actor domain.Actor, reason, today string, visits []*domain.ServiceVisit, audit *auditBatch) error {
	insert, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO service_visits (leader_id, enterprise_id, visit_on, notes, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return err
	}
	defer insert.Close()
	for i, v := range visits {
		fail := func(err error) error { return namedImportFailure(fmt.Sprintf("第%d次走访", i+1), err) }
		if err := v.Validate(today); err != nil {
			return fail(err)
		}
		if _, err := tx.linkedLeaderOf(ctx, v); err != nil {
			return fail(err)
		}
		v.CreatedAt = tx.now
		if err := insert.QueryRowContext(ctx, v.LeaderID, v.EnterpriseID, v.VisitOn, v.Notes, tx.now).Scan(&v.ID); err != nil {
			return fmt.Errorf("load visit: %w", err)
		}
		if err := audit.add(ctx, tx, actor, "visit.load", "service_visit", v.ID, nil, map[string]any{
			"leader_id": v.LeaderID, "enterprise_id": v.EnterpriseID, "visit_on": v.VisitOn}, reason); err != nil {
			return err
		}
	}
	return nil
}

// problemRefs are the sets a loaded problem's references are checked against.
type problemRefs struct {
	rules       domain.ProblemRules
	departments map[int64]bool
	leaders     map[int64]bool
	users       map[int64]bool
	enterprises map[int64]int64 // enterprise → its unit
}

func (tx *Tx) loadProblems(ctx context.Context, actor domain.Actor, reason string, list []HistoryProblem, audit *auditBatch) error {
	var refs problemRefs
	var err error
	if refs.rules, err = tx.problemRules(ctx); err != nil {
		return err
	}
	if refs.departments, err = tx.idSet(ctx, `SELECT id FROM units WHERE kind = ? AND active = ?`, domain.UnitDepartment, true); err != nil {
		return err
	}
	if refs.leaders, err = tx.leaderIDs(ctx); err != nil {
		return err
	}
	if refs.users, err = tx.idSet(ctx, `SELECT id FROM users`); err != nil {
		return err
	}
	refs.enterprises, err = tx.enterpriseUnits(ctx, func(yield func(int64) bool) {
		for _, h := range list {
			if !yield(h.Problem.EnterpriseID) {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	insert, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO problems (source, enterprise_id, unit_id, visit_id, category, urgency,
		title, description, leader_id, lead_unit_id, status, received_at, assigned_at, due_at, extensions, pending_requested_at,
		pending_due_at, pending_reason, first_reply_at, first_reply_due_at, replied_at, reply, rating, rated_at, reopens,
		escalations, escalated_at, escalated_due_at, closed_at, close_reason, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return err
	}
	defer insert.Close()
	assists := newRowBuffer(`INSERT INTO problem_assists (problem_id, unit_id, due_at, answered_at, answer) VALUES `, 5)
	actions := newRowBuffer(`INSERT INTO problem_actions (problem_id, kind, party, actor_user_id, actor_name, at, from_status,
		to_status, text, rating, due_at, unit_ids) VALUES `, 12)
	for i, h := range list {
		if err := tx.loadProblem(ctx, actor, reason, h, &refs, insert, assists, actions, audit); err != nil {
			return namedImportFailure(fmt.Sprintf("第%d件诉求（%s）", i+1, h.Problem.Title), err)
		}
	}
	for _, b := range []*rowBuffer{assists, actions} {
		if err := b.flush(ctx, tx); err != nil {
			return fmt.Errorf("load problems: %w", err)
		}
	}
	return nil
}

func (tx *Tx) loadProblem(ctx context.Context, actor domain.Actor, reason string, h HistoryProblem, refs *problemRefs,
	insert *sql.Stmt, assists, actions *rowBuffer, audit *auditBatch) error {
	p := h.Problem
	if err := p.Validate(refs.rules); err != nil {
		return err
	}
	if err := domain.CheckProblemTimeline(p, h.Timeline, tx.now); err != nil {
		return err
	}
	unit, ok := refs.enterprises[p.EnterpriseID]
	switch {
	case !ok:
		return domain.Errorf(domain.EINVALID, "所选企业不存在。")
	case unit != p.UnitID:
		return domain.Errorf(domain.EINVALID, "诉求的县区或园区应为企业所属单位。")
	case p.LeaderID > 0 && !refs.leaders[p.LeaderID]:
		return domain.Errorf(domain.EINVALID, "挂点领导应为已启用的领导账号。")
	case p.Pending != nil && !p.Pending.NewDueAt.After(p.DueAt):
		return domain.Errorf(domain.EINVALID, "待审批的延期期限应晚于现期限。")
	}
	for _, id := range append([]int64{p.LeadUnitID}, p.AssistingUnitIDs()...) {
		if id != 0 && !refs.departments[id] {
			return domain.Errorf(domain.EINVALID, "主办或协办单位应为启用的部门。")
		}
	}
	visitID := int64(0)
	if v := h.Visit; v != nil {
		if v.ID == 0 || p.Source != domain.SourceServiceDay || v.EnterpriseID != p.EnterpriseID || v.LeaderID != p.LeaderID ||
			domain.DateOf(p.ReceivedAt).Format(domain.DateLayout) != v.VisitOn {
			return domain.Errorf(domain.EINVALID, "走访中提出的诉求应为该次走访的企业和领导当天登记的企业服务日诉求。")
		}
		visitID = v.ID
	}
	for _, a := range h.Timeline {
		if a.ActorUserID != 0 && !refs.users[a.ActorUserID] {
			return domain.Errorf(domain.EINVALID, "办理记录中的用户不存在。")
		}
	}
	var pendingAt, pendingDue time.Time
	pendingReason := ""
	if p.Pending != nil {
		pendingAt, pendingDue, pendingReason = p.Pending.RequestedAt, p.Pending.NewDueAt, p.Pending.Reason
	}
	p.Version, p.CreatedAt, p.UpdatedAt = int64(len(h.Timeline)), tx.now, tx.now
	if err := insert.QueryRowContext(ctx, p.Source, p.EnterpriseID, p.UnitID, nullID(visitID), p.Category, p.Urgency, p.Title,
		p.Description, nullID(p.LeaderID), nullID(p.LeadUnitID), p.Status, p.ReceivedAt.UTC(), nullTime(p.AssignedAt), nullTime(p.DueAt),
		p.Extensions, nullTime(pendingAt), nullTime(pendingDue), pendingReason, nullTime(p.FirstReplyAt), nullTime(p.FirstReplyDueAt),
		nullTime(p.RepliedAt), p.Reply, p.Rating, nullTime(p.RatedAt), p.Reopens, p.Escalations, nullTime(p.EscalatedAt),
		nullTime(p.EscalatedDueAt), nullTime(p.ClosedAt), p.CloseReason, p.Version, tx.now, tx.now).Scan(&p.ID); err != nil {
		return fmt.Errorf("load problem: %w", err)
	}
	for _, a := range p.Assists {
		if err := assists.add(ctx, tx, p.ID, a.UnitID, a.DueAt.UTC(), nullTime(a.AnsweredAt), a.Answer); err != nil {
			return fmt.Errorf("problem assists: %w", err)
		}
	}
	for i := range h.Timeline {
		a := &h.Timeline[i]
		a.ProblemID = p.ID
		units := make([]string, len(a.UnitIDs))
		for k, id := range a.UnitIDs {
			units[k] = strconv.FormatInt(id, 10)
		}
		if err := actions.add(ctx, tx, p.ID, a.Kind, a.Party, nullID(a.ActorUserID), a.ActorName, a.At.UTC(), a.From, a.To,
			a.Text, a.Rating, nullTime(a.DueAt), strings.Join(units, ",")); err != nil {
			return fmt.Errorf("problem actions: %w", err)
		}
	}
	after := auditOfProblem(p)
	after["actions"] = len(h.Timeline)
	return audit.add(ctx, tx, actor, "problem.load", "problem", p.ID, nil, after, reason)
}

// leaderIDs are the enabled leaders.
func (tx *Tx) leaderIDs(ctx context.Context) (map[int64]bool, error) {
	return tx.idSet(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? AND NOT u.disabled`,
		string(domain.RoleLeader))
}

// enterpriseUnits reads the unit of each of the enterprises that exist, importChunk ids
// a query.
func (tx *Tx) enterpriseUnits(ctx context.Context, ids iter.Seq[int64]) (map[int64]int64, error) {
	out := map[int64]int64{}
	var chunk []int64
	read := func() error {
		if len(chunk) == 0 {
			return nil
		}
		marks, args := inList(chunk)
		chunk = chunk[:0]
		return tx.queryEach(ctx, `SELECT id, unit_id FROM enterprises WHERE id IN (`+marks+`)`, args, func(rows *sql.Rows) error {
			var id, unit int64
			if err := rows.Scan(&id, &unit); err != nil {
				return err
			}
			out[id] = unit
			return nil
		})
	}
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if chunk = append(chunk, id); len(chunk) == importChunk {
			if err := read(); err != nil {
				return nil, err
			}
		}
	}
	if err := read(); err != nil {
		return nil, fmt.Errorf("enterprise units: %w", err)
	}
	return out, nil
}
