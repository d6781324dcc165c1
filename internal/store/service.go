package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// linkedLeader is the leader linked to the enterprise on date (the longest-standing link
// when several are), or 0.
func (tx *Tx) linkedLeader(ctx context.Context, enterpriseID int64, date string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT leader_id FROM leader_links WHERE enterprise_id = ? AND start_on <= ?
		AND (end_on IS NULL OR end_on >= ?) ORDER BY start_on, id LIMIT 1`, enterpriseID, date, date).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("linked leader: %w", err)
	}
	return id, nil
}

const linkColumns = `l.id, l.leader_id, l.enterprise_id, l.start_on, COALESCE(l.end_on, ''), l.version, l.created_at, l.updated_at,
	u.display_name, e.name, e.unit_id`

const linkFrom = ` FROM leader_links l JOIN users u ON u.id = l.leader_id JOIN enterprises e ON e.id = l.enterprise_id`

func scanLink(sc interface{ Scan(...any) error }, extra ...any) (*domain.LeaderLink, error) {
	var l domain.LeaderLink
	if err := sc.Scan(append([]any{&l.ID, &l.LeaderID, &l.EnterpriseID, &l.StartOn, &l.EndOn, &l.Version, &l.CreatedAt,
		&l.UpdatedAt, &l.LeaderName, &l.EnterpriseName, &l.UnitID}, extra...)...); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, nil
}

func auditOfLink(l *domain.LeaderLink) map[string]any {
	return map[string]any{"leader_id": l.LeaderID, "enterprise_id": l.EnterpriseID, "start_on": l.StartOn, "end_on": l.EndOn, "version": l.Version}
}

// checkLeader refuses a user who is not an enabled leader.
func (tx *Tx) checkLeader(ctx context.Context, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE u.id = ? AND r.role = ? AND NOT u.disabled`, id, string(domain.RoleLeader)).Scan(&n); err != nil {
		return fmt.Errorf("check leader: %w", err)
	}
	if n == 0 {
		return domain.Errorf(domain.EINVALID, "挂点领导应为已启用的领导账号。")
	}
	return nil
}

// CreateLink links a leader to an enterprise; the same pair may not have two links over
// the same dates.
func (s *Store) CreateLink(ctx context.Context, actor domain.Actor, l *domain.LeaderLink) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkLeader(ctx, l.LeaderID); err != nil {
			return err
		}
		if _, err := tx.findEnterprise(ctx, `e.id = ?`, l.EnterpriseID); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Errorf(domain.EINVALID, "所选企业不存在。")
			}
			return err
		}
		end := l.EndOn
		if end == "" {
			end = "9999-12-31"
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM leader_links WHERE leader_id = ? AND enterprise_id = ?
			AND start_on <= ? AND (end_on IS NULL OR end_on >= ?)`, l.LeaderID, l.EnterpriseID, end, l.StartOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.EINVALID, "该领导在这段时间已挂点该企业。")
		}
		l.Version, l.CreatedAt, l.UpdatedAt = 1, tx.now, tx.now
		if err := tx.queryRow(ctx, `INSERT INTO leader_links (leader_id, enterprise_id, start_on, end_on, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.LeaderID, l.EnterpriseID, l.StartOn, nullText(l.EndOn), l.Version,
			l.CreatedAt, l.UpdatedAt).Scan(&l.ID); err != nil {
			return fmt.Errorf("insert link: %w", err)
		}
		return tx.audit(ctx, actor, "link.create", "leader_link", l.ID, nil, auditOfLink(l), "")
	})
}

// EndLink ends a link on endOn if version is still current.
func (s *Store) EndLink(ctx context.Context, actor domain.Actor, id, version int64, endOn string) (*domain.LeaderLink, error) {
	var out *domain.LeaderLink
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := scanLink(tx.queryRow(ctx, `SELECT `+linkColumns+linkFrom+` WHERE l.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound("挂点关系")
		}
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("挂点关系")
		}
		after := *before
		after.EndOn = endOn
		if err := after.Validate(); err != nil {
			return err
		}
		if after.EndOn == "" {
			return domain.Errorf(domain.EINVALID, "请填写挂点结束日期。")
		}
		after.Version, after.UpdatedAt = before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE leader_links SET end_on = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			after.EndOn, after.Version, after.UpdatedAt, id, version)
		if err := expectOneRow(res, err, "挂点关系"); err != nil {
			return err
		}
		out = &after
		return tx.audit(ctx, actor, "link.end", "leader_link", id, auditOfLink(before), auditOfLink(&after), "")
	})
	return out, err
}

// LinkFilter selects leader links.
type LinkFilter struct {
	LeaderID, EnterpriseID, UnitID int64
	ActiveOn                       string // links holding on this date, "" for all
	Offset, Limit                  int
}

// FindLinks lists links with the leaders' and enterprises' names, the current first.
func (s *Store) FindLinks(ctx context.Context, f LinkFilter) ([]*domain.LeaderLink, int, error) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) { where, args = append(where, cond), append(args, arg...) }
	if f.LeaderID != 0 {
		add("l.leader_id = ?", f.LeaderID)
	}
	if f.EnterpriseID != 0 {
		add("l.enterprise_id = ?", f.EnterpriseID)
	}
	if f.UnitID != 0 {
		add("e.unit_id = ?", f.UnitID)
	}
	if f.ActiveOn != "" {
		add("l.start_on <= ? AND (l.end_on IS NULL OR l.end_on >= ?)", f.ActiveOn, f.ActiveOn)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var list []*domain.LeaderLink
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+linkColumns+`, COUNT(*) OVER()`+linkFrom+cond+`
			ORDER BY CASE WHEN l.end_on IS NULL THEN 0 ELSE 1 END, u.display_name, e.name, l.id LIMIT ? OFFSET ?`,
			append(slices.Clone(args), pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLink(rows, &total)
			if err != nil {
				return err
			}
			list = append(list, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find links: %w", err)
	}
	return list, total, nil
}

// Leaders lists the enabled leader accounts, for the link form.
func (s *Store) Leaders(ctx context.Context) ([]*domain.User, error) {
	var list []*domain.User
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT u.id, u.username, u.display_name, u.unit_id FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE r.role = ? AND NOT u.disabled ORDER BY u.display_name, u.id`, string(domain.RoleLeader))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u domain.User
			if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &u.UnitID); err != nil {
				return err
			}
			u.Roles = []domain.Role{domain.RoleLeader}
			list = append(list, &u)
		}
		return rows.Err()
	})
	return list, err
}

// RecordVisit records a leader's service-day visit to an enterprise linked to them on
// that day, with the problems raised there, in one transaction. The leader records their
// own visits; a coordinator may record one for the linked leader named in v.LeaderID.
func (s *Store) RecordVisit(ctx context.Context, actor domain.ProblemActor, v *domain.ServiceVisit, problems []*domain.Problem) error {
	if u := actor.User; u != nil && !u.HasRole(domain.RoleCoordinator) {
		v.LeaderID = u.ID
	}
	if err := v.Validate(domain.DateOf(s.Now()).Format(domain.DateLayout)); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		leader, err := tx.linkedLeaderOf(ctx, v)
		if err != nil {
			return err
		}
		v.LeaderID, v.CreatedAt = leader, tx.now
		if err := tx.queryRow(ctx, `INSERT INTO service_visits (leader_id, enterprise_id, visit_on, notes, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, v.LeaderID, v.EnterpriseID, v.VisitOn, v.Notes, v.CreatedAt).Scan(&v.ID); err != nil {
			return fmt.Errorf("insert visit: %w", err)
		}
		if err := tx.audit(ctx, actor.Actor, "visit.create", "service_visit", v.ID, nil, map[string]any{
			"leader_id": v.LeaderID, "enterprise_id": v.EnterpriseID, "visit_on": v.VisitOn, "problems": len(problems)}, ""); err != nil {
			return err
		}
		for i, p := range problems {
			p.Source, p.EnterpriseID, p.LeaderID = domain.SourceServiceDay, v.EnterpriseID, v.LeaderID
			if err := tx.raiseProblem(ctx, actor, p, v.ID); err != nil {
				if d, ok := err.(*domain.Error); ok && len(problems) > 1 {
					return domain.Errorf(d.Code, "第%d条诉求：%s", i+1, domain.ErrorMessage(err))
				}
				return err
			}
		}
		v.Problems = len(problems)
		return nil
	})
}

// linkedLeaderOf checks that the visit's leader was linked to its enterprise on the day.
func (tx *Tx) linkedLeaderOf(ctx context.Context, v *domain.ServiceVisit) (int64, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM leader_links WHERE leader_id = ? AND enterprise_id = ? AND start_on <= ?
		AND (end_on IS NULL OR end_on >= ?)`, v.LeaderID, v.EnterpriseID, v.VisitOn, v.VisitOn).Scan(&n); err != nil {
		return 0, fmt.Errorf("check link: %w", err)
	}
	if n == 0 {
		return 0, domain.Errorf(domain.EFORBIDDEN, "走访当日该领导未挂点这家企业，只能记录挂点企业的走访。")
	}
	return v.LeaderID, nil
}

// FindVisits lists visits, the latest first, with the number of problems each raised.
func (s *Store) FindVisits(ctx context.Context, leaderID, enterpriseID int64, limit int) ([]*domain.ServiceVisit, error) {
	var where []string
	var args []any
	if leaderID != 0 {
		where, args = append(where, "v.leader_id = ?"), append(args, leaderID)
	}
	if enterpriseID != 0 {
		where, args = append(where, "v.enterprise_id = ?"), append(args, enterpriseID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var list []*domain.ServiceVisit
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT v.id, v.leader_id, v.enterprise_id, v.visit_on, v.notes, v.created_at, u.display_name, e.name,
			(SELECT COUNT(*) FROM problems p WHERE p.visit_id = v.id)
			FROM service_visits v JOIN users u ON u.id = v.leader_id JOIN enterprises e ON e.id = v.enterprise_id`+cond+`
			ORDER BY v.visit_on DESC, v.id DESC LIMIT ?`, append(args, pageLimit(limit))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v domain.ServiceVisit
			if err := rows.Scan(&v.ID, &v.LeaderID, &v.EnterpriseID, &v.VisitOn, &v.Notes, &v.CreatedAt, &v.LeaderName,
				&v.EnterpriseName, &v.Problems); err != nil {
				return err
			}
			v.CreatedAt = v.CreatedAt.UTC()
			list = append(list, &v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find visits: %w", err)
	}
	return list, nil
}

// contactTokenHash is what is stored of a contact link's token.
func contactTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ContactLink is the link an enterprise's contact holds: to whom and when it was issued
// (the token itself is not kept).
type ContactLink struct {
	ContactName string
	IssuedAt    time.Time
	IssuedBy    string // the issuer's name
	tokenHash   string
}

// Is reports whether token is this link's: a token issued moments ago may already have
// been replaced by another coordinator's.
func (l *ContactLink) Is(token string) bool {
	return subtle.ConstantTimeCompare([]byte(l.tokenHash), []byte(contactTokenHash(token))) == 1
}

// CurrentContactLink is the enterprise's link now in force, nil when none was issued.
func (s *Store) CurrentContactLink(ctx context.Context, enterpriseID int64) (*ContactLink, error) {
	var l ContactLink
	var at sql.NullTime
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT l.contact_name, l.issued_at, COALESCE(u.display_name, ''), l.token_hash
			FROM enterprise_contact_links l LEFT JOIN users u ON u.id = l.issued_by WHERE l.enterprise_id = ?`,
			enterpriseID).Scan(&l.ContactName, &at, &l.IssuedBy, &l.tokenHash)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("contact link: %w", err)
	}
	l.IssuedAt = timeOf(at)
	return &l, nil
}

// IssueContactLink gives an enterprise's contact a new link token (replacing any earlier
// one) and returns it; only its hash is stored, so it is shown once.
func (s *Store) IssueContactLink(ctx context.Context, actor domain.Actor, enterpriseID int64, contactName string) (string, error) {
	contactName = strings.TrimSpace(contactName)
	if n := len([]rune(contactName)); n == 0 || n > 40 {
		return "", domain.Errorf(domain.EINVALID, "请填写企业联系人姓名（不超过40个字）。")
	}
	token := rand.Text() + rand.Text() // 52 base32 characters, 260 random bits
	err := s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findEnterprise(ctx, `e.id = ?`, enterpriseID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO enterprise_contact_links (enterprise_id, token_hash, contact_name, issued_by, issued_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (enterprise_id) DO UPDATE SET token_hash = excluded.token_hash,
			contact_name = excluded.contact_name, issued_by = excluded.issued_by, issued_at = excluded.issued_at`,
			enterpriseID, contactTokenHash(token), contactName, nullID(actor.UserID()), tx.now); err != nil {
			return fmt.Errorf("issue contact link: %w", err)
		}
		return tx.audit(ctx, actor, "contact_link.issue", "enterprise", enterpriseID, nil, map[string]any{"contact_name": contactName}, "")
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ContactByToken finds whose contact link a token is: the enterprise's contact as a
// problem actor. An unknown token is not found, with nothing said about why.
func (s *Store) ContactByToken(ctx context.Context, token string) (domain.ProblemActor, *domain.Enterprise, error) {
	var a domain.ProblemActor
	var e *domain.Enterprise
	err := s.inRead(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT enterprise_id, contact_name FROM enterprise_contact_links WHERE token_hash = ?`,
			contactTokenHash(token)).Scan(&a.EnterpriseID, &a.ContactName)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "链接无效或已被更换，请向倍增办索取新的链接。")
		}
		if err != nil {
			return err
		}
		e, err = tx.findEnterprise(ctx, `e.id = ?`, a.EnterpriseID)
		return err
	})
	a.Via = "contact"
	return a, e, err
}
