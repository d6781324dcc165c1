package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// Session is a signed-in browser. Only a hash of its id is stored, so a leaked database
// does not hand out live sessions.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute lifetime
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *Session, ip, userAgent string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		sess.CreatedAt, sess.LastSeenAt = tx.now, tx.now
		if len(userAgent) > 255 {
			userAgent = userAgent[:255]
		}
		_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sess.IDHash, sess.UserID, sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt.UTC(), ip, userAgent)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// FindSession returns the live session and its user, or EUNAUTHORIZED when it is
// missing, expired, idle too long, or its user is disabled. An expired session is removed.
func (s *Store) FindSession(ctx context.Context, idHash string, idle time.Duration) (*Session, *domain.User, error) {
	var sess Session
	var user *domain.User
	expired := false
	err := s.inRead(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`, idHash).
			Scan(&sess.IDHash, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.EUNAUTHORIZED, "请先登录。")
		}
		if err != nil {
			return fmt.Errorf("find session: %w", err)
		}
		if !tx.now.Before(sess.ExpiresAt) || tx.now.Sub(sess.LastSeenAt) > idle {
			expired = true
			return domain.Errorf(domain.EUNAUTHORIZED, "登录已超时，请重新登录。")
		}
		user, err = tx.findUser(ctx, `u.id = ?`, sess.UserID)
		if err != nil {
			return err
		}
		if user.Disabled {
			return domain.Errorf(domain.EUNAUTHORIZED, "账号已停用。")
		}
		return nil
	})
	if expired {
		_ = s.DeleteSession(ctx, idHash)
	}
	if err != nil {
		return nil, nil, err
	}
	return &sess, user, nil
}

// TouchSession records activity; callers throttle it so not every request writes.
func (s *Store) TouchSession(ctx context.Context, idHash string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, tx.now, idHash)
		return err
	})
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		return err
	})
}

// EndSession ends a session at the user's request (logout), audited.
func (s *Store) EndSession(ctx context.Context, actor domain.Actor, idHash string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash)
		if err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already gone: expired or ended elsewhere
		}
		return tx.audit(ctx, actor, "auth.logout", "user", actor.UserID(), nil, nil, "")
	})
}

func (tx *Tx) deleteSessions(ctx context.Context, userID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their lifetime or idle limit.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idle time.Duration) (int64, error) {
	var n int64
	err := s.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`, tx.now, tx.now.Add(-idle))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
