package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// CreateToken stores a token's hash for a user.
func (s *Store) CreateToken(ctx context.Context, actor domain.Actor, t *domain.APIToken, hash string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		t.CreatedAt = tx.now
		if err := tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, t.UserID, t.Name, t.Prefix, hash, t.CreatedAt).Scan(&t.ID); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return tx.audit(ctx, actor, "token.create", "api_token", t.ID, nil,
			map[string]any{"user_id": t.UserID, "name": t.Name, "prefix": t.Prefix}, "")
	})
}

// FindUserByToken returns the live token's user and notes its use. Last-used time is
// written at most once a minute per token to keep API reads from becoming writes.
func (s *Store) FindUserByToken(ctx context.Context, hash string) (*domain.User, error) {
	var user *domain.User
	var tokenID int64
	var lastUsed sql.NullTime
	err := s.inRead(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.queryRow(ctx, `SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`, hash).
			Scan(&tokenID, &userID, &lastUsed)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.EUNAUTHORIZED, "API 令牌无效或已吊销。")
		}
		if err != nil {
			return fmt.Errorf("find token: %w", err)
		}
		if user, err = tx.findUser(ctx, `u.id = ?`, userID); err != nil {
			return err
		}
		if user.Disabled {
			return domain.Errorf(domain.EUNAUTHORIZED, "账号已停用。")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if now := s.txNow(); !lastUsed.Valid || now.Sub(lastUsed.Time) > time.Minute {
		err = s.inWrite(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.now, tokenID)
			return err
		})
	}
	return user, err
}

// FindTokens lists a user's tokens, newest first.
func (s *Store) FindTokens(ctx context.Context, userID int64) ([]*domain.APIToken, error) {
	var tokens []*domain.APIToken
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at
			FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t domain.APIToken
			var used, revoked sql.NullTime
			if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
				return err
			}
			t.CreatedAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), timeOf(used), timeOf(revoked)
			tokens = append(tokens, &t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken revokes one of the owner's tokens.
func (s *Store) RevokeToken(ctx context.Context, actor domain.Actor, ownerID, id int64) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, tx.now, id, ownerID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrNotFound("有效令牌")
		}
		return tx.audit(ctx, actor, "token.revoke", "api_token", id, nil, map[string]any{"user_id": ownerID}, "")
	})
}
