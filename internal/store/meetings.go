package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"beizeng/internal/domain"
)

const meetingColumns = `m.id, m.held_on, m.kind, m.year, m.month, m.title, m.attendees, m.decisions,
	COALESCE(m.bulletin_id, 0), m.version, m.created_at, m.updated_at`

func scanMeeting(sc interface{ Scan(...any) error }, extra ...any) (*domain.Meeting, error) {
	var m domain.Meeting
	dest := append([]any{&m.ID, &m.HeldOn, &m.Kind, &m.Year, &m.Month, &m.Title, &m.Attendees, &m.Decisions,
		&m.BulletinID, &m.Version, &m.CreatedAt, &m.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

// meetingAudit is what the audit log keeps of a meeting.
type meetingAudit struct {
	HeldOn     string `json:"held_on"`
	Kind       string `json:"kind"`
	Year       int    `json:"year"`
	Month      int    `json:"month"`
	Title      string `json:"title"`
	Attendees  string `json:"attendees"`
	Decisions  string `json:"decisions"`
	BulletinID int64  `json:"bulletin_id"`
	Version    int64  `json:"version"`
}

func auditOfMeeting(m *domain.Meeting) meetingAudit {
	return meetingAudit{m.HeldOn, string(m.Kind), m.Year, m.Month, m.Title, m.Attendees, m.Decisions, m.BulletinID, m.Version}
}

// FindMeetingByID returns one meeting.
func (s *Store) FindMeetingByID(ctx context.Context, id int64) (*domain.Meeting, error) {
	var m *domain.Meeting
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		m, err = tx.findMeeting(ctx, id)
		return err
	})
	return m, err
}

func (tx *Tx) findMeeting(ctx context.Context, id int64) (*domain.Meeting, error) {
	m, err := scanMeeting(tx.queryRow(ctx, `SELECT `+meetingColumns+` FROM meetings m WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("调度会")
	}
	if err != nil {
		return nil, fmt.Errorf("find meeting: %w", err)
	}
	return m, nil
}

// MeetingRow is a meeting in the list, with the count of its items and of those still
// awaiting closure.
type MeetingRow struct {
	*domain.Meeting
	Items, Pending int
}

// FindMeetings lists meetings, newest first, a page at a time, with the total. Year 0
// means every year.
func (s *Store) FindMeetings(ctx context.Context, year, offset, limit int) ([]MeetingRow, int, error) {
	where, args := "", []any{}
	if year != 0 {
		where, args = ` WHERE m.year = ?`, append(args, year)
	}
	q := `SELECT ` + meetingColumns + `,
		(SELECT COUNT(*) FROM action_items a WHERE a.meeting_id = m.id),
		(SELECT COUNT(*) FROM action_items a WHERE a.meeting_id = m.id AND a.status IN ('open','replied')),
		COUNT(*) OVER()
		FROM meetings m` + where + ` ORDER BY m.held_on DESC, m.id DESC LIMIT ? OFFSET ?`
	args = append(args, pageLimit(limit), max(offset, 0))
	var out []MeetingRow
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var row MeetingRow
			if row.Meeting, err = scanMeeting(rows, &row.Items, &row.Pending, &total); err != nil {
				return err
			}
			out = append(out, row)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find meetings: %w", err)
	}
	return out, total, nil
}

// CreateMeeting records a meeting.
func (s *Store) CreateMeeting(ctx context.Context, actor domain.Actor, m *domain.Meeting) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkMeetingBulletin(ctx, m.BulletinID); err != nil {
			return err
		}
		m.Version, m.CreatedAt, m.UpdatedAt = 1, tx.now, tx.now
		err := tx.queryRow(ctx, `INSERT INTO meetings (held_on, kind, year, month, title, attendees, decisions, bulletin_id,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.HeldOn, string(m.Kind), m.Year, m.Month, m.Title, m.Attendees, m.Decisions, nullID(m.BulletinID),
			m.Version, m.CreatedAt, m.UpdatedAt).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("create meeting: %w", err)
		}
		return tx.audit(ctx, actor, "meeting.create", "meeting", m.ID, nil, auditOfMeeting(m), "")
	})
}

// UpdateMeeting replaces a meeting's fields if m.Version is still current. A meeting
// held later than an item's deadline would make that deadline precede it: refused.
func (s *Store) UpdateMeeting(ctx context.Context, actor domain.Actor, m *domain.Meeting) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findMeeting(ctx, m.ID)
		if err != nil {
			return err
		}
		if before.Version != m.Version {
			return domain.ErrConflict("调度会")
		}
		if err := tx.checkMeetingBulletin(ctx, m.BulletinID); err != nil {
			return err
		}
		var earliest sql.NullString
		if err := tx.queryRow(ctx, `SELECT MIN(deadline) FROM action_items WHERE meeting_id = ?`, m.ID).Scan(&earliest); err != nil {
			return err
		}
		if earliest.Valid && earliest.String < m.HeldOn {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"held_on": "会议日期不能晚于其交办事项的办结时限 " + earliest.String + "。"}}
		}
		m.Version, m.CreatedAt, m.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		res, err := tx.exec(ctx, `UPDATE meetings SET held_on = ?, kind = ?, year = ?, month = ?, title = ?, attendees = ?,
			decisions = ?, bulletin_id = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			m.HeldOn, string(m.Kind), m.Year, m.Month, m.Title, m.Attendees, m.Decisions, nullID(m.BulletinID),
			m.Version, m.UpdatedAt, m.ID, before.Version)
		if err := expectOneRow(res, err, "调度会"); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "meeting.update", "meeting", m.ID, auditOfMeeting(before), auditOfMeeting(m), "")
	})
}

// checkMeetingBulletin refuses a reviewed bulletin (0 for none) that was never
// published, on the field, so the form can say so instead of failing on the foreign key.
func (tx *Tx) checkMeetingBulletin(ctx context.Context, bulletinID int64) error {
	if bulletinID == 0 {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM bulletins WHERE id = ?`, bulletinID).Scan(&n); err != nil {
		return fmt.Errorf("check meeting bulletin: %w", err)
	}
	if n == 0 {
		p := domain.Problems{}
		p.Add("bulletin_id", fmt.Sprintf("编号为 %d 的调度通报不存在，请从已发布的通报中选择。", bulletinID))
		return p.Err()
	}
	return nil
}

// FindMeetingsOfBulletin lists the meetings that reviewed a published bulletin version,
// newest first: a version is discussed at one or two meetings, so there is no paging.
func (s *Store) FindMeetingsOfBulletin(ctx context.Context, bulletinID int64) ([]*domain.Meeting, error) {
	var out []*domain.Meeting
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+meetingColumns+` FROM meetings m WHERE m.bulletin_id = ?
			ORDER BY m.held_on DESC, m.id DESC`, bulletinID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMeeting(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find meetings of bulletin: %w", err)
	}
	return out, nil
}

const actionItemColumns = `a.id, a.meeting_id, a.text, a.owner_unit_id, a.deadline, a.status, a.reply, a.replied_by,
	a.replied_at, a.closed_by, a.closed_at, a.version, a.created_at, a.updated_at, m.title, m.held_on, u.name`

const actionItemFrom = ` FROM action_items a JOIN meetings m ON m.id = a.meeting_id JOIN units u ON u.id = a.owner_unit_id`

func scanActionItem(sc interface{ Scan(...any) error }, extra ...any) (*domain.ActionItem, error) {
	var a domain.ActionItem
	var replied, closed sql.NullTime
	dest := append([]any{&a.ID, &a.MeetingID, &a.Text, &a.OwnerUnitID, &a.Deadline, &a.Status, &a.Reply, &a.RepliedBy,
		&replied, &a.ClosedBy, &closed, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.MeetingTitle, &a.MeetingHeldOn,
		&a.OwnerUnitName}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.RepliedAt, a.ClosedAt = timeOf(replied), timeOf(closed)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, nil
}

// actionItemAudit is what the audit log keeps of an action item.
type actionItemAudit struct {
	MeetingID   int64  `json:"meeting_id"`
	Text        string `json:"text"`
	OwnerUnitID int64  `json:"owner_unit_id"`
	Deadline    string `json:"deadline"`
	Status      string `json:"status"`
	Reply       string `json:"reply"`
	RepliedBy   string `json:"replied_by"`
	ClosedBy    string `json:"closed_by"`
	Version     int64  `json:"version"`
}

func auditOfActionItem(a *domain.ActionItem) actionItemAudit {
	return actionItemAudit{a.MeetingID, a.Text, a.OwnerUnitID, a.Deadline, string(a.Status), a.Reply, a.RepliedBy, a.ClosedBy, a.Version}
}

// FindActionItemByID returns one item with its meeting's title and its owner's name.
func (s *Store) FindActionItemByID(ctx context.Context, id int64) (*domain.ActionItem, error) {
	var a *domain.ActionItem
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.findActionItem(ctx, id)
		return err
	})
	return a, err
}

func (tx *Tx) findActionItem(ctx context.Context, id int64) (*domain.ActionItem, error) {
	a, err := scanActionItem(tx.queryRow(ctx, `SELECT `+actionItemColumns+actionItemFrom+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("交办事项")
	}
	if err != nil {
		return nil, fmt.Errorf("find action item: %w", err)
	}
	return a, nil
}

// FindActionItems lists items by the filter, a page at a time, with the total: overdue
// first by how late they are, then by deadline.
func (s *Store) FindActionItems(ctx context.Context, f domain.ActionItemFilter) ([]*domain.ActionItem, int, error) {
	var where []string
	var args []any
	if f.MeetingID != 0 {
		where, args = append(where, "a.meeting_id = ?"), append(args, f.MeetingID)
	}
	if f.OwnerUnitID != 0 {
		where, args = append(where, "a.owner_unit_id = ?"), append(args, f.OwnerUnitID)
	}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, 0, domain.Errorf(domain.EINVALID, "办理状态 %q 无效。", string(f.Status))
		}
		where, args = append(where, "a.status = ?"), append(args, string(f.Status))
	}
	if f.Overdue {
		if _, err := time.Parse(time.DateOnly, f.Today); err != nil {
			return nil, 0, domain.Errorf(domain.EINVALID, "逾期筛选需要有效的日期。")
		}
		rules, err := s.ActionRules(ctx)
		if err != nil {
			return nil, 0, err
		}
		in, inArgs := statusIn(rules.OverdueStatuses())
		where, args = append(where, "a.status "+in+" AND a.deadline < ?"), append(append(args, inArgs...), f.Today)
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	// The page's ids come from the indexes alone, and only those 50 rows are joined with
	// their meeting and unit: over tens of thousands of items, joining every match
	// before sorting costs ten times more.
	const order = ` ORDER BY CASE WHEN a.status IN ('open','replied') THEN 0 ELSE 1 END, a.deadline, a.id`
	q := `SELECT ` + actionItemColumns + ` FROM (SELECT a.id FROM action_items a` + w + order + ` LIMIT ? OFFSET ?) p
		JOIN action_items a ON a.id = p.id JOIN meetings m ON m.id = a.meeting_id JOIN units u ON u.id = a.owner_unit_id` + order
	var out []*domain.ActionItem
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM action_items a`+w, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, q, append(args, pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanActionItem(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find action items: %w", err)
	}
	return out, total, nil
}

// OverdueActionItems returns every item overdue under the city's rules on the day asOf
// falls on in China (see domain.ActionItem.DaysOverdue), most overdue first: what the
// bulletin and the cockpit report.
func (s *Store) OverdueActionItems(ctx context.Context, asOf time.Time) ([]domain.ActionItem, error) {
	rules, err := s.ActionRules(ctx)
	if err != nil {
		return nil, err
	}
	in, args := statusIn(rules.OverdueStatuses())
	var out []domain.ActionItem
	err = s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+actionItemColumns+actionItemFrom+`
			WHERE a.status `+in+` AND a.deadline < ? ORDER BY a.deadline, u.sort_order, u.code, a.id`, append(args, domain.ChinaDate(asOf))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanActionItem(rows)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("overdue action items: %w", err)
	}
	return out, nil
}

// statusIn is "IN (?, …)" with its arguments.
func statusIn(statuses []domain.ActionStatus) (string, []any) {
	args := make([]any, len(statuses))
	for i, st := range statuses {
		args[i] = string(st)
	}
	return "IN (?" + strings.Repeat(", ?", len(statuses)-1) + ")", args
}

// SettingActionRules holds the city's dispatch rules (domain.ActionRules) as JSON.
const SettingActionRules = "action_rules"

// ActionRules returns the stored dispatch rules, or the defaults.
func (s *Store) ActionRules(ctx context.Context) (domain.ActionRules, error) {
	r := domain.DefaultActionRules
	if err := s.jsonSetting(ctx, SettingActionRules, &r); err != nil {
		return domain.DefaultActionRules, err
	}
	return r, nil
}

// SetActionRules validates and stores the dispatch rules, audited.
func (s *Store) SetActionRules(ctx context.Context, actor domain.Actor, r domain.ActionRules) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, actor, SettingActionRules, string(b))
}

// checkActionItem validates an item against its meeting and owner, read in the transaction.
func (tx *Tx) checkActionItem(ctx context.Context, a *domain.ActionItem) error {
	m, err := tx.findMeeting(ctx, a.MeetingID)
	if err != nil {
		return err
	}
	var owner *domain.Unit
	if a.OwnerUnitID > 0 {
		owner, err = tx.findUnit(ctx, `id = ?`, a.OwnerUnitID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
	}
	return domain.ValidateActionItem(a, m, owner)
}

func (tx *Tx) actionItemHistory(ctx context.Context, actor domain.Actor, id int64, action string, from, to domain.ActionStatus, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO action_item_history (item_id, action, from_status, to_status, note, actor_name, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, action, string(from), string(to), note, actor.Name(), tx.now)
	if err != nil {
		return fmt.Errorf("action item history: %w", err)
	}
	return nil
}

// CreateActionItem assigns a new item, open, at a meeting.
func (s *Store) CreateActionItem(ctx context.Context, actor domain.Actor, a *domain.ActionItem) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkActionItem(ctx, a); err != nil {
			return err
		}
		a.Status, a.Version, a.CreatedAt, a.UpdatedAt = domain.ActionOpen, 1, tx.now, tx.now
		err := tx.queryRow(ctx, `INSERT INTO action_items (meeting_id, text, owner_unit_id, deadline, status, version,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.MeetingID, a.Text, a.OwnerUnitID, a.Deadline, string(a.Status), a.Version, a.CreatedAt, a.UpdatedAt).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create action item: %w", err)
		}
		if err := tx.actionItemHistory(ctx, actor, a.ID, "create", "", a.Status, a.Text); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "action_item.create", "action_item", a.ID, nil, auditOfActionItem(a), "")
	})
}

// ActionItemEdit is what a coordinator may change of an item: its text, owner and
// deadline, while it is still pending.
type ActionItemEdit struct {
	Text        string
	OwnerUnitID int64
	Deadline    string
	Version     int64
}

// UpdateActionItem changes a pending item's text, owner or deadline if the version is
// still current.
func (s *Store) UpdateActionItem(ctx context.Context, actor domain.Actor, id int64, e ActionItemEdit) (*domain.ActionItem, error) {
	var after *domain.ActionItem
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findActionItem(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != e.Version {
			return domain.ErrConflict("交办事项")
		}
		if !before.Status.Pending() {
			return domain.Errorf(domain.EINVALID, "该事项%s，不能修改；如需修改请先重新打开。", before.Status.Label())
		}
		a := *before
		a.Text, a.OwnerUnitID, a.Deadline = e.Text, e.OwnerUnitID, e.Deadline
		if err := tx.checkActionItem(ctx, &a); err != nil {
			return err
		}
		a.Version, a.UpdatedAt = before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE action_items SET text = ?, owner_unit_id = ?, deadline = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, a.Text, a.OwnerUnitID, a.Deadline, a.Version, a.UpdatedAt, id, before.Version)
		if err := expectOneRow(res, err, "交办事项"); err != nil {
			return err
		}
		if after, err = tx.findActionItem(ctx, id); err != nil {
			return err
		}
		if err := tx.actionItemHistory(ctx, actor, id, "update", before.Status, a.Status, editNote(before, after)); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "action_item.update", "action_item", id, auditOfActionItem(before), auditOfActionItem(after), "")
	})
	return after, err
}

// editNote says in the history what an edit changed.
func editNote(before, after *domain.ActionItem) string {
	var parts []string
	if before.Text != after.Text {
		parts = append(parts, "内容改为："+after.Text)
	}
	if before.OwnerUnitID != after.OwnerUnitID {
		parts = append(parts, "责任单位 "+before.OwnerUnitName+" → "+after.OwnerUnitName)
	}
	if before.Deadline != after.Deadline {
		parts = append(parts, "办结时限 "+before.Deadline+" → "+after.Deadline)
	}
	if len(parts) == 0 {
		return "未改动"
	}
	return strings.Join(parts, "；")
}

// ChangeActionItemStatus applies a verb (domain.ActionVerbReply, …Close, …Reopen, …Cancel)
// to an item if the version is still current. text is the reply, or the reason for
// reopening or cancelling (required for those). The caller has checked that the actor
// may: replying is the owner unit's, the rest the coordinators'.
func (s *Store) ChangeActionItemStatus(ctx context.Context, actor domain.Actor, id, version int64, verb, text string) (*domain.ActionItem, error) {
	text = strings.TrimSpace(text)
	var after *domain.ActionItem
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findActionItem(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("交办事项")
		}
		to, err := domain.NextActionStatus(before.Status, verb, text)
		if err != nil {
			return err
		}
		a := *before
		a.Status, a.Version, a.UpdatedAt = to, before.Version+1, tx.now
		reason := ""
		switch verb {
		case domain.ActionVerbReply:
			a.Reply, a.RepliedBy, a.RepliedAt = text, actor.Name(), tx.now
		case domain.ActionVerbClose, domain.ActionVerbCancel:
			a.ClosedBy, a.ClosedAt = actor.Name(), tx.now
			reason = text
		case domain.ActionVerbReopen:
			a.ClosedBy, a.ClosedAt = "", time.Time{}
			reason = text
		}
		res, err := tx.exec(ctx, `UPDATE action_items SET status = ?, reply = ?, replied_by = ?, replied_at = ?, closed_by = ?,
			closed_at = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			string(a.Status), a.Reply, a.RepliedBy, nullTime(a.RepliedAt), a.ClosedBy, nullTime(a.ClosedAt),
			a.Version, a.UpdatedAt, id, before.Version)
		if err := expectOneRow(res, err, "交办事项"); err != nil {
			return err
		}
		if err := tx.actionItemHistory(ctx, actor, id, verb, before.Status, to, text); err != nil {
			return err
		}
		after = &a
		return tx.audit(ctx, actor, "action_item."+verb, "action_item", id, auditOfActionItem(before), auditOfActionItem(&a), reason)
	})
	return after, err
}

// FindActionItemHistory returns an item's changes, oldest first.
func (s *Store) FindActionItemHistory(ctx context.Context, id int64) ([]domain.ActionItemEvent, error) {
	var out []domain.ActionItemEvent
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT action, from_status, to_status, note, actor_name, at FROM action_item_history
			WHERE item_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e domain.ActionItemEvent
			if err := rows.Scan(&e.Action, &e.FromStatus, &e.ToStatus, &e.Note, &e.ActorName, &e.At); err != nil {
				return err
			}
			e.At = e.At.UTC()
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("action item history: %w", err)
	}
	return out, nil
}
