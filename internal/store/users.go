package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

const userColumns = `u.id, u.username, u.display_name, u.unit_id, n.name, u.must_change_password, u.disabled,
	u.failed_logins, u.locked_until, u.last_login_at, u.version, u.created_at, u.updated_at`

const userFrom = ` FROM users u JOIN units n ON n.id = u.unit_id`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*domain.User, error) {
	var u domain.User
	var locked, last sql.NullTime
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &u.UnitID, &u.UnitName, &u.MustChangePassword,
		&u.Disabled, &u.FailedLogins, &locked, &last, &u.Version, &u.CreatedAt, &u.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.LockedUntil, u.LastLoginAt = timeOf(locked), timeOf(last)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// userAudit is what the audit log keeps of a user; never the password hash.
type userAudit struct {
	Username           string        `json:"username"`
	DisplayName        string        `json:"display_name"`
	UnitID             int64         `json:"unit_id"`
	Roles              []domain.Role `json:"roles"`
	Disabled           bool          `json:"disabled"`
	MustChangePassword bool          `json:"must_change_password"`
	Version            int64         `json:"version"`
}

func auditOfUser(u *domain.User) userAudit {
	return userAudit{u.Username, u.DisplayName, u.UnitID, u.Roles, u.Disabled, u.MustChangePassword, u.Version}
}

func (tx *Tx) findUser(ctx context.Context, where string, arg any) (*domain.User, error) {
	u, err := scanUser(tx.queryRow(ctx, `SELECT `+userColumns+userFrom+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("用户")
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	if err := tx.loadRoles(ctx, []*domain.User{u}); err != nil {
		return nil, err
	}
	return u, nil
}

// loadRoles fills the roles of the users in one query.
func (tx *Tx) loadRoles(ctx context.Context, users []*domain.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*domain.User, len(users))
	ph := make([]string, 0, len(users))
	args := make([]any, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		u.Roles = nil
		ph, args = append(ph, "?"), append(args, u.ID)
	}
	rows, err := tx.query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(ph, ",")+`) ORDER BY role`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r domain.Role
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		byID[id].Roles = append(byID[id].Roles, r)
	}
	return rows.Err()
}

// FindUserByID returns one user with roles.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*domain.User, error) {
	var u *domain.User
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.findUser(ctx, `u.id = ?`, id)
		return err
	})
	return u, err
}

// FindUserByUsername returns one user with roles.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (*domain.User, error) {
	var u *domain.User
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.findUser(ctx, `u.username = ?`, strings.ToLower(strings.TrimSpace(username)))
		return err
	})
	return u, err
}

// PasswordHash returns the stored hash of a user, for login and password change.
func (s *Store) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&h)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.ErrNotFound("用户")
	}
	return h, err
}

// FindUsers lists users by unit code order then username, with the filter's total.
func (s *Store) FindUsers(ctx context.Context, f domain.UserFilter) ([]*domain.User, int, error) {
	var where []string
	var args []any
	if f.UnitID != 0 {
		where, args = append(where, "u.unit_id = ?"), append(args, f.UnitID)
	}
	if f.Role != "" {
		where, args = append(where, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)"), append(args, string(f.Role))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, `(LOWER(u.username) LIKE ? ESCAPE '\' OR LOWER(u.display_name) LIKE ? ESCAPE '\')`)
		args = append(args, likePattern(q), likePattern(q))
	}
	q := `SELECT ` + userColumns + `, COUNT(*) OVER()` + userFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY n.sort_order, n.code, u.username LIMIT ? OFFSET ?`
	args = append(args, pageLimit(f.Limit), max(f.Offset, 0))
	var users []*domain.User
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			u, err := scanUser(rows, &total)
			if err != nil {
				rows.Close()
				return err
			}
			users = append(users, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.loadRoles(ctx, users)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find users: %w", err)
	}
	return users, total, nil
}

// CreateUser inserts a user with an initial password hash; the user must change it at
// first login.
func (s *Store) CreateUser(ctx context.Context, actor domain.Actor, u *domain.User, passwordHash string) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkUserRefs(ctx, u); err != nil {
			return err
		}
		u.Version, u.CreatedAt, u.UpdatedAt = 1, tx.now, tx.now
		err := tx.queryRow(ctx, `INSERT INTO users (username, display_name, unit_id, password_hash,
			must_change_password, disabled, failed_logins, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`,
			u.Username, u.DisplayName, u.UnitID, passwordHash, u.MustChangePassword, u.Disabled,
			u.Version, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := tx.setRoles(ctx, u.ID, u.Roles); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "user.create", "user", u.ID, nil, auditOfUser(u), "")
	})
}

func (tx *Tx) checkUserRefs(ctx context.Context, u *domain.User) error {
	p := domain.Problems{}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE username = ? AND id <> ?`, u.Username, u.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		p.Add("username", "用户名 "+u.Username+" 已存在。")
	}
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE id = ?`, u.UnitID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		p.Add("unit_id", "所属单位不存在。")
	}
	return p.Err()
}

func (tx *Tx) setRoles(ctx context.Context, userID int64, roles []domain.Role) error {
	if _, err := tx.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("set roles: %w", err)
	}
	for _, r := range roles {
		if _, err := tx.exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, userID, string(r)); err != nil {
			return fmt.Errorf("set roles: %w", err)
		}
	}
	return nil
}

// UpdateUser changes name, unit, roles and the disabled flag if u.Version is current.
// Disabling a user ends their sessions.
func (s *Store) UpdateUser(ctx context.Context, actor domain.Actor, u *domain.User) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findUser(ctx, `u.id = ?`, u.ID)
		if err != nil {
			return err
		}
		if before.Version != u.Version {
			return domain.ErrConflict("用户")
		}
		// An admin who disables themselves or drops their own admin role could leave the
		// installation with nobody able to manage accounts.
		if actor.UserID() == u.ID && (u.Disabled || (before.HasRole(domain.RoleAdmin) && !u.HasRole(domain.RoleAdmin))) {
			return &domain.Error{Code: domain.EINVALID, Message: "不能停用自己的账号或取消自己的系统管理员角色。",
				Fields: map[string]string{"roles": "不能停用自己的账号或取消自己的系统管理员角色。"}}
		}
		if err := tx.checkUserRefs(ctx, u); err != nil {
			return err
		}
		u.Version, u.UpdatedAt, u.MustChangePassword = before.Version+1, tx.now, before.MustChangePassword
		res, err := tx.exec(ctx, `UPDATE users SET username = ?, display_name = ?, unit_id = ?, disabled = ?,
			version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			u.Username, u.DisplayName, u.UnitID, u.Disabled, u.Version, u.UpdatedAt, u.ID, before.Version)
		if err := expectOneRow(res, err, "用户"); err != nil {
			return err
		}
		if !slices.Equal(before.Roles, u.Roles) {
			if err := tx.setRoles(ctx, u.ID, u.Roles); err != nil {
				return err
			}
		}
		if u.Disabled || !slices.Equal(before.Roles, u.Roles) || before.UnitID != u.UnitID {
			// Changed powers take effect at once: the user signs in again.
			if err := tx.deleteSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actor, "user.update", "user", u.ID, auditOfUser(before), auditOfUser(u), "")
	})
}

// SetUserDisabled disables or enables a user regardless of version (CLI use).
func (s *Store) SetUserDisabled(ctx context.Context, actor domain.Actor, id int64, disabled bool) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findUser(ctx, `u.id = ?`, id)
		if err != nil {
			return err
		}
		after := *before
		after.Disabled, after.Version = disabled, before.Version+1
		if _, err := tx.exec(ctx, `UPDATE users SET disabled = ?, version = ?, updated_at = ? WHERE id = ?`,
			disabled, after.Version, tx.now, id); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if disabled {
			if err := tx.deleteSessions(ctx, id); err != nil {
				return err
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.audit(ctx, actor, action, "user", id, auditOfUser(before), auditOfUser(&after), "")
	})
}

// SetPassword stores a new hash. mustChange marks an initial or reset password. All of
// the user's sessions but keepSession (the one changing it, if any) end.
func (s *Store) SetPassword(ctx context.Context, actor domain.Actor, id int64, hash string, mustChange bool, keepSession string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findUser(ctx, `u.id = ?`, id)
		if err != nil {
			return err
		}
		after := *before
		after.MustChangePassword, after.Version = mustChange, before.Version+1
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0,
			locked_until = NULL, version = ?, updated_at = ? WHERE id = ?`, hash, mustChange, after.Version, tx.now, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, id, keepSession); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		action := "user.password_change"
		if mustChange {
			action = "user.password_reset"
		}
		return tx.audit(ctx, actor, action, "user", id, auditOfUser(before), auditOfUser(&after), "")
	})
}

// ReserveLoginAttempt counts a sign-in attempt before its password is checked, and locks
// the account for lockFor once maxFailures attempts have been counted. It refuses the
// attempt while the account is locked. lockedUntil is set when the account is (now)
// locked; the attempt that locks it is still checked, so a right password gets in.
func (s *Store) ReserveLoginAttempt(ctx context.Context, actor domain.Actor, id int64, maxFailures int, lockFor time.Duration) (allowed bool, lockedUntil time.Time, err error) {
	err = s.inWrite(ctx, func(tx *Tx) error {
		var failures int
		var locked sql.NullTime
		if err := tx.queryRow(ctx, `SELECT failed_logins, locked_until FROM users WHERE id = ?`, id).Scan(&failures, &locked); err != nil {
			return fmt.Errorf("reserve login attempt: %w", err)
		}
		if until := timeOf(locked); tx.now.Before(until) {
			lockedUntil = until
			return nil
		}
		allowed = true
		failures++
		if failures < maxFailures {
			_, err := tx.exec(ctx, `UPDATE users SET failed_logins = ? WHERE id = ?`, failures, id)
			return err
		}
		lockedUntil = tx.now.Add(lockFor)
		if _, err := tx.exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?`, lockedUntil, id); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "auth.locked", "user", id, nil, map[string]any{"attempts": failures, "locked_until": lockedUntil}, "")
	})
	return allowed, lockedUntil, err
}

// RecordLoginFailure notes a wrong password; the attempt was counted when reserved.
func (s *Store) RecordLoginFailure(ctx context.Context, actor domain.Actor, id int64) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		return tx.audit(ctx, actor, "auth.login_failed", "user", id, nil, nil, "")
	})
}

// RecordLogin resets the failure count and notes the login time.
func (s *Store) RecordLogin(ctx context.Context, actor domain.Actor, id int64) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		// A lock set meanwhile by other attempts stays: a right password among a burst of
		// guesses must not reopen the account to the rest of the burst.
		if _, err := tx.exec(ctx, `UPDATE users SET failed_logins = 0, last_login_at = ? WHERE id = ?`, tx.now, id); err != nil {
			return fmt.Errorf("record login: %w", err)
		}
		return tx.audit(ctx, actor, "auth.login", "user", id, nil, nil, "")
	})
}

// CountUsers counts all users.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	})
	return n, err
}
