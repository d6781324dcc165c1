package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"beizeng/internal/domain"
)

// Notify puts a message in a user's inbox inside the caller's transaction, audited with
// it, so that a feature's change and the message about it commit together. A message
// whose Dedupe key the user already has is skipped: sent reports whether it was written.
func (tx *Tx) Notify(ctx context.Context, actor domain.Actor, n *domain.Notification) (sent bool, err error) {
	if err := n.Validate(); err != nil {
		return false, err
	}
	var dedupe any
	if n.Dedupe != "" {
		dedupe = n.Dedupe
	}
	err = tx.queryRow(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, dedupe, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedupe) DO NOTHING RETURNING id`,
		n.UserID, n.Kind, n.Title, n.Body, n.Link, dedupe, tx.now).Scan(&n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("notify: %w", err)
	}
	n.CreatedAt = tx.now
	return true, tx.audit(ctx, actor, "notification.create", "notification", n.ID, nil, notificationAudit{
		n.UserID, n.Kind, n.Title, n.Link, n.Dedupe}, "")
}

type notificationAudit struct {
	UserID int64  `json:"user_id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Link   string `json:"link,omitempty"`
	Dedupe string `json:"dedupe,omitempty"`
}

// NotifyRole sends the message to every enabled user holding the role, each once per
// Dedupe key, and returns how many were written.
func (tx *Tx) NotifyRole(ctx context.Context, actor domain.Actor, role domain.Role, msg domain.Notification) (int, error) {
	rows, err := tx.query(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = ? AND NOT u.disabled ORDER BY u.id`, string(role))
	if err != nil {
		return 0, fmt.Errorf("notify %s: %w", role, err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		n := msg
		n.UserID = id
		ok, err := tx.Notify(ctx, actor, &n)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// Notify sends messages in one transaction and returns how many were written.
func (s *Store) Notify(ctx context.Context, actor domain.Actor, msgs ...*domain.Notification) (int, error) {
	sent := 0
	err := s.inWrite(ctx, func(tx *Tx) error {
		sent = 0
		for _, n := range msgs {
			ok, err := tx.Notify(ctx, actor, n)
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		return nil
	})
	return sent, err
}

// NotifyRole is Tx.NotifyRole in a transaction of its own.
func (s *Store) NotifyRole(ctx context.Context, actor domain.Actor, role domain.Role, msg domain.Notification) (int, error) {
	sent := 0
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		sent, err = tx.NotifyRole(ctx, actor, role, msg)
		return err
	})
	return sent, err
}

const notificationColumns = `id, user_id, kind, title, body, link, COALESCE(dedupe, ''), created_at, read_at`

func scanNotification(sc interface{ Scan(...any) error }) (*domain.Notification, error) {
	var n domain.Notification
	var read sql.NullTime
	if err := sc.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.Dedupe, &n.CreatedAt, &read); err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = n.CreatedAt.UTC(), timeOf(read)
	return &n, nil
}

// FindNotifications lists a page of the user's inbox, newest first, with the filter's
// total.
func (s *Store) FindNotifications(ctx context.Context, userID int64, f domain.NotificationFilter) ([]*domain.Notification, int, error) {
	cond := ` WHERE user_id = ?`
	if f.UnreadOnly {
		cond += ` AND read_at IS NULL`
	}
	var out []*domain.Notification
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications`+cond, userID).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+notificationColumns+` FROM notifications`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
			userID, pageLimit(f.Limit), max(f.Offset, 0))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find notifications: %w", err)
	}
	return out, total, nil
}

// UnreadNotifications counts the user's unread messages: one COUNT over the partial
// index of unread rows, cheap enough for the header of every page.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	n := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count unread: %w", err)
	}
	return n, nil
}

// MarkNotificationRead marks one of the actor's own messages read and returns it; another
// user's message is not found. Reading a message already read changes nothing. Audited.
func (s *Store) MarkNotificationRead(ctx context.Context, actor domain.Actor, id int64) (*domain.Notification, error) {
	var n *domain.Notification
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		n, err = scanNotification(tx.queryRow(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = ? AND user_id = ?`, id, actor.UserID()))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound("通知")
		}
		if err != nil || !n.Unread() {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return fmt.Errorf("mark read: %w", err)
		}
		n.ReadAt = tx.now
		return tx.audit(ctx, actor, "notification.read", "notification", id, nil, nil, "")
	})
	return n, err
}

// MarkAllNotificationsRead marks every unread message of the actor read, audited as one
// event with the count, and returns the count.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, actor domain.Actor) (int, error) {
	var n int64
	err := s.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, actor.UserID())
		if err != nil {
			return fmt.Errorf("mark all read: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.audit(ctx, actor, "notification.read_all", "user", actor.UserID(), nil, map[string]int64{"count": n}, "")
	})
	return int(n), err
}
