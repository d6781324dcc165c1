package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"beizeng/internal/domain"
)

const unitColumns = `id, code, name, kind, COALESCE(parent_id, 0), assessed, sort_order, active,
	contact_person, contact_phone, version, created_at, updated_at`

func scanUnit(sc interface{ Scan(...any) error }, extra ...any) (*domain.Unit, error) {
	var u domain.Unit
	dest := append([]any{&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.Assessed, &u.SortOrder, &u.Active,
		&u.ContactPerson, &u.ContactPhone, &u.Version, &u.CreatedAt, &u.UpdatedAt}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// unitAudit is what the audit log keeps of a unit.
type unitAudit struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	ParentID      int64  `json:"parent_id"`
	Assessed      bool   `json:"assessed"`
	Active        bool   `json:"active"`
	SortOrder     int    `json:"sort_order"`
	ContactPerson string `json:"contact_person"`
	ContactPhone  string `json:"contact_phone"`
	Version       int64  `json:"version"`
}

func auditOfUnit(u *domain.Unit) unitAudit {
	return unitAudit{u.Code, u.Name, string(u.Kind), u.ParentID, u.Assessed, u.Active, u.SortOrder,
		u.ContactPerson, u.ContactPhone, u.Version}
}

// FindUnitByID returns one unit.
func (s *Store) FindUnitByID(ctx context.Context, id int64) (*domain.Unit, error) {
	var u *domain.Unit
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.findUnit(ctx, `id = ?`, id)
		return err
	})
	return u, err
}

// FindUnitByCode returns the unit with the code.
func (s *Store) FindUnitByCode(ctx context.Context, code string) (*domain.Unit, error) {
	var u *domain.Unit
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.findUnit(ctx, `code = ?`, strings.TrimSpace(code))
		return err
	})
	return u, err
}

func (tx *Tx) findUnit(ctx context.Context, where string, arg any) (*domain.Unit, error) {
	u, err := scanUnit(tx.queryRow(ctx, `SELECT `+unitColumns+` FROM units WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("单位")
	}
	if err != nil {
		return nil, fmt.Errorf("find unit: %w", err)
	}
	return u, nil
}

// FindUnits lists units in tree order (sort order, then code) with the filter's total.
func (s *Store) FindUnits(ctx context.Context, f domain.UnitFilter) ([]*domain.Unit, int, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.ParentID != 0 {
		where, args = append(where, "parent_id = ?"), append(args, f.ParentID)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, `(LOWER(name) LIKE ? ESCAPE '\' OR LOWER(code) LIKE ? ESCAPE '\')`)
		args = append(args, likePattern(q), likePattern(q))
	}
	if f.Active != nil {
		where, args = append(where, "active = ?"), append(args, *f.Active)
	}
	q := `SELECT ` + unitColumns + `, COUNT(*) OVER() FROM units`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY sort_order, code LIMIT ? OFFSET ?`
	args = append(args, pageLimit(f.Limit), max(f.Offset, 0))
	var units []*domain.Unit
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUnit(rows, &total)
			if err != nil {
				return err
			}
			units = append(units, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find units: %w", err)
	}
	return units, total, nil
}

// CreateUnit inserts a unit.
func (s *Store) CreateUnit(ctx context.Context, actor domain.Actor, u *domain.Unit) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkUnitRefs(ctx, u); err != nil {
			return err
		}
		u.Version, u.CreatedAt, u.UpdatedAt = 1, tx.now, tx.now
		err := tx.queryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, assessed, sort_order, active,
			contact_person, contact_phone, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Code, u.Name, string(u.Kind), nullID(u.ParentID), u.Assessed, u.SortOrder, u.Active,
			u.ContactPerson, u.ContactPhone, u.Version, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("create unit: %w", err)
		}
		return tx.audit(ctx, actor, "unit.create", "unit", u.ID, nil, auditOfUnit(u), "")
	})
}

// checkUnitRefs checks the code is free and the parent exists and is not a descendant.
func (tx *Tx) checkUnitRefs(ctx context.Context, u *domain.Unit) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM units WHERE code = ? AND id <> ?`, u.Code, u.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"code": "编码 " + u.Code + " 已被其他单位使用。"}}
	}
	// Walk up from the new parent: reaching u itself would make a cycle.
	for p := u.ParentID; p != 0; {
		if u.ID != 0 && p == u.ID {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"parent_id": "上级单位不能是本单位的下级。"}}
		}
		var next sql.NullInt64
		err := tx.queryRow(ctx, `SELECT parent_id FROM units WHERE id = ?`, p).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"parent_id": "上级单位不存在。"}}
		}
		if err != nil {
			return err
		}
		p = next.Int64
	}
	return nil
}

// UpdateUnit replaces a unit's fields if u.Version is still current.
func (s *Store) UpdateUnit(ctx context.Context, actor domain.Actor, u *domain.Unit) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findUnit(ctx, `id = ?`, u.ID)
		if err != nil {
			return err
		}
		if before.Version != u.Version {
			return domain.ErrConflict("单位")
		}
		if err := tx.checkUnitRefs(ctx, u); err != nil {
			return err
		}
		u.Version, u.CreatedAt, u.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		res, err := tx.exec(ctx, `UPDATE units SET code = ?, name = ?, kind = ?, parent_id = ?, assessed = ?,
			sort_order = ?, active = ?, contact_person = ?, contact_phone = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`,
			u.Code, u.Name, string(u.Kind), nullID(u.ParentID), u.Assessed, u.SortOrder, u.Active,
			u.ContactPerson, u.ContactPhone, u.Version, u.UpdatedAt, u.ID, before.Version)
		if err := expectOneRow(res, err, "单位"); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "unit.update", "unit", u.ID, auditOfUnit(before), auditOfUnit(u), "")
	})
}

// UpdateUnitContact changes only the contact person and phone.
func (s *Store) UpdateUnitContact(ctx context.Context, actor domain.Actor, id int64, c domain.UnitContact) (*domain.Unit, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var after *domain.Unit
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findUnit(ctx, `id = ?`, id)
		if err != nil {
			return err
		}
		if before.Version != c.Version {
			return domain.ErrConflict("单位")
		}
		u := *before
		u.ContactPerson, u.ContactPhone, u.Version, u.UpdatedAt = c.ContactPerson, c.ContactPhone, before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE units SET contact_person = ?, contact_phone = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, u.ContactPerson, u.ContactPhone, u.Version, u.UpdatedAt, id, before.Version)
		if err := expectOneRow(res, err, "单位"); err != nil {
			return err
		}
		after = &u
		return tx.audit(ctx, actor, "unit.contact", "unit", id, auditOfUnit(before), auditOfUnit(&u), "")
	})
	return after, err
}

// expectOneRow turns an update that matched nothing into a conflict: the row was read in
// the same transaction, so only a concurrent version bump can explain it.
func expectOneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("update %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return domain.ErrConflict(what)
	}
	return nil
}

// CountUnits counts all units (the demo loader checks the database is empty).
func (s *Store) CountUnits(ctx context.Context) (int, error) {
	var n int
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM units`).Scan(&n)
	})
	return n, err
}
