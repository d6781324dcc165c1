package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"beizeng/internal/domain"
)

const enterpriseColumns = `e.id, COALESCE(e.uscc, ''), e.name, e.unit_id, COALESCE(e.park_id, 0), e.industry_section,
	e.industry_division, e.chain, e.address, e.contact_person, e.contact_phone, e.status, COALESCE(e.status_on, ''),
	e.status_reason, e.above_scale, e.version, e.created_at, e.updated_at`

func scanEnterprise(sc interface{ Scan(...any) error }) (*domain.Enterprise, error) {
	var e domain.Enterprise
	if err := sc.Scan(&e.ID, &e.USCC, &e.Name, &e.UnitID, &e.ParkID, &e.IndustrySection, &e.IndustryDivision, &e.Chain,
		&e.Address, &e.ContactPerson, &e.ContactPhone, &e.Status, &e.StatusOn, &e.StatusReason, &e.AboveScale,
		&e.Version, &e.CreatedAt, &e.UpdatedAt); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return &e, nil
}

// auditOfEnterprise is what the audit log keeps of an enterprise.
func auditOfEnterprise(e *domain.Enterprise) map[string]any {
	return map[string]any{"uscc": e.USCC, "name": e.Name, "unit_id": e.UnitID, "park_id": e.ParkID,
		"industry_division": e.IndustryDivision, "chain": e.Chain, "address": e.Address,
		"contact_person": e.ContactPerson, "contact_phone": e.ContactPhone, "status": e.Status,
		"status_on": e.StatusOn, "status_reason": e.StatusReason, "above_scale": e.AboveScale, "version": e.Version}
}

// checkEnterpriseRefs refuses a USCC another enterprise holds, naming that enterprise,
// and checks the unit and park.
func (tx *Tx) checkEnterpriseRefs(ctx context.Context, e *domain.Enterprise) error {
	if e.USCC != "" {
		var other string
		err := tx.queryRow(ctx, `SELECT name FROM enterprises WHERE uscc = ? AND id <> ?`, e.USCC, e.ID).Scan(&other)
		if err == nil {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"uscc": "统一社会信用代码 " + e.USCC + " 已登记为企业“" + other + "”。"}}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check uscc: %w", err)
		}
	}
	return tx.checkUnitAndPark(ctx, e.UnitID, e.ParkID, "所属单位")
}

// CreateEnterprise registers an active enterprise, audited.
func (s *Store) CreateEnterprise(ctx context.Context, actor domain.Actor, e *domain.Enterprise) error {
	e.Status, e.StatusOn, e.StatusReason, e.AboveScale = domain.StatusActive, "", "", false
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error { return tx.createEnterprise(ctx, actor, e) })
}

func (tx *Tx) createEnterprise(ctx context.Context, actor domain.Actor, e *domain.Enterprise) error {
	e.ID = 0
	if err := tx.checkEnterpriseRefs(ctx, e); err != nil {
		return err
	}
	e.Version, e.CreatedAt, e.UpdatedAt = 1, tx.now, tx.now
	if err := tx.queryRow(ctx, `INSERT INTO enterprises (uscc, name, unit_id, park_id, industry_section, industry_division,
		chain, address, contact_person, contact_phone, status, status_on, status_reason, above_scale, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullText(e.USCC), e.Name, e.UnitID, nullID(e.ParkID), e.IndustrySection, e.IndustryDivision, e.Chain, e.Address,
		e.ContactPerson, e.ContactPhone, e.Status, nullText(e.StatusOn), e.StatusReason, e.AboveScale, e.Version,
		e.CreatedAt, e.UpdatedAt).Scan(&e.ID); err != nil {
		return fmt.Errorf("create enterprise: %w", err)
	}
	return tx.audit(ctx, actor, "enterprise.create", "enterprise", e.ID, nil, auditOfEnterprise(e), "")
}

// FindEnterpriseByID returns one enterprise.
func (s *Store) FindEnterpriseByID(ctx context.Context, id int64) (*domain.Enterprise, error) {
	var e *domain.Enterprise
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.findEnterprise(ctx, `e.id = ?`, id)
		return err
	})
	return e, err
}

// FindEnterpriseByUSCC returns the enterprise holding a (normalised) USCC.
func (s *Store) FindEnterpriseByUSCC(ctx context.Context, uscc string) (*domain.Enterprise, error) {
	var e *domain.Enterprise
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		e, err = tx.findEnterprise(ctx, `e.uscc = ?`, domain.NormalizeUSCC(uscc))
		return err
	})
	return e, err
}

func (tx *Tx) findEnterprise(ctx context.Context, where string, arg any) (*domain.Enterprise, error) {
	e, err := scanEnterprise(tx.queryRow(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("企业")
	}
	if err != nil {
		return nil, fmt.Errorf("find enterprise: %w", err)
	}
	return e, nil
}

// UpdateEnterprise replaces the registry fields if e.Version is still current. The
// status changes only through SetEnterpriseStatus and the above-scale flag only through
// entries and exits.
func (s *Store) UpdateEnterprise(ctx context.Context, actor domain.Actor, e *domain.Enterprise) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error { return tx.updateEnterprise(ctx, actor, e) })
}

func (tx *Tx) updateEnterprise(ctx context.Context, actor domain.Actor, e *domain.Enterprise) error {
	before, err := tx.findEnterprise(ctx, `e.id = ?`, e.ID)
	if err != nil {
		return err
	}
	if before.Version != e.Version {
		return domain.ErrConflict("企业")
	}
	after := *e
	after.Status, after.StatusOn, after.StatusReason, after.AboveScale = before.Status, before.StatusOn, before.StatusReason, before.AboveScale
	if err := tx.checkEnterpriseRefs(ctx, &after); err != nil {
		return err
	}
	after.Version, after.CreatedAt, after.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	res, err := tx.exec(ctx, `UPDATE enterprises SET uscc = ?, name = ?, unit_id = ?, park_id = ?, industry_section = ?,
		industry_division = ?, chain = ?, address = ?, contact_person = ?, contact_phone = ?, version = ?, updated_at = ?
		WHERE id = ? AND version = ?`,
		nullText(after.USCC), after.Name, after.UnitID, nullID(after.ParkID), after.IndustrySection, after.IndustryDivision,
		after.Chain, after.Address, after.ContactPerson, after.ContactPhone, after.Version, after.UpdatedAt, after.ID, before.Version)
	if err := expectOneRow(res, err, "企业"); err != nil {
		return err
	}
	*e = after
	return tx.audit(ctx, actor, "enterprise.update", "enterprise", e.ID, auditOfEnterprise(before), auditOfEnterprise(e), "")
}

// SetEnterpriseStatus moves an enterprise to another status (domain.Enterprise.ApplyStatus)
// if version is still current.
func (s *Store) SetEnterpriseStatus(ctx context.Context, actor domain.Actor, id, version int64, to, on, reason string) (*domain.Enterprise, error) {
	var after *domain.Enterprise
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		after, err = tx.setEnterpriseStatus(ctx, actor, id, version, to, on, reason)
		return err
	})
	return after, err
}

func (tx *Tx) setEnterpriseStatus(ctx context.Context, actor domain.Actor, id, version int64, to, on, reason string) (*domain.Enterprise, error) {
	before, err := tx.lockEnterprise(ctx, id, version)
	if err != nil {
		return nil, err
	}
	e := *before
	if err := e.ApplyStatus(to, strings.TrimSpace(on), reason); err != nil {
		return nil, err
	}
	if err := tx.bumpEnterprise(ctx, &e, `status = ?, status_on = ?, status_reason = ?`, e.Status, e.StatusOn, e.StatusReason); err != nil {
		return nil, err
	}
	return &e, tx.audit(ctx, actor, "enterprise.status", "enterprise", id, auditOfEnterprise(before), auditOfEnterprise(&e), e.StatusReason)
}

// lockEnterprise loads an enterprise for a change, refusing a stale version.
func (tx *Tx) lockEnterprise(ctx context.Context, id, version int64) (*domain.Enterprise, error) {
	e, err := tx.findEnterprise(ctx, `e.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if e.Version != version {
		return nil, domain.ErrConflict("企业")
	}
	return e, nil
}

// bumpEnterprise writes the given columns and the next version of e.
func (tx *Tx) bumpEnterprise(ctx context.Context, e *domain.Enterprise, set string, args ...any) error {
	old := e.Version
	e.Version, e.UpdatedAt = old+1, tx.now
	res, err := tx.exec(ctx, `UPDATE enterprises SET `+set+`, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		append(args, e.Version, e.UpdatedAt, e.ID, old)...)
	return expectOneRow(res, err, "企业")
}

// FindScaleSpells returns an enterprise's stays in the above-scale directory, oldest first.
func (s *Store) FindScaleSpells(ctx context.Context, id int64) ([]*domain.ScaleSpell, error) {
	var list []*domain.ScaleSpell
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		list, err = tx.findScaleSpells(ctx, id)
		return err
	})
	return list, err
}

func (tx *Tx) findScaleSpells(ctx context.Context, id int64) ([]*domain.ScaleSpell, error) {
	rows, err := tx.query(ctx, `SELECT id, enterprise_id, entry_month, entry_type, batch_year, COALESCE(exit_month, ''), exit_reason
		FROM enterprise_scale_spells WHERE enterprise_id = ? ORDER BY entry_month, id`, id)
	if err != nil {
		return nil, fmt.Errorf("find scale spells: %w", err)
	}
	defer rows.Close()
	var list []*domain.ScaleSpell
	for rows.Next() {
		var sp domain.ScaleSpell
		if err := rows.Scan(&sp.ID, &sp.EnterpriseID, &sp.EntryMonth, &sp.EntryType, &sp.BatchYear, &sp.ExitMonth, &sp.ExitReason); err != nil {
			return nil, err
		}
		list = append(list, &sp)
	}
	return list, rows.Err()
}

func auditOfSpell(sp *domain.ScaleSpell) map[string]any {
	return map[string]any{"entry_month": sp.EntryMonth, "entry_type": sp.EntryType, "batch_year": sp.BatchYear,
		"exit_month": sp.ExitMonth, "exit_reason": sp.ExitReason}
}

// RecordScaleEntry records an entry to the above-scale directory (domain.NewEntry,
// domain.CheckEntry) if version is still current, and marks the firm above scale.
func (s *Store) RecordScaleEntry(ctx context.Context, actor domain.Actor, id, version int64, entryType, month string, batchYear int) (*domain.Enterprise, error) {
	sp, err := domain.NewEntry(entryType, strings.TrimSpace(month), batchYear)
	if err != nil {
		return nil, err
	}
	var after *domain.Enterprise
	err = s.inWrite(ctx, func(tx *Tx) error {
		var err error
		after, err = tx.recordScaleEntry(ctx, actor, id, version, sp)
		return err
	})
	return after, err
}

func (tx *Tx) recordScaleEntry(ctx context.Context, actor domain.Actor, id, version int64, sp domain.ScaleSpell) (*domain.Enterprise, error) {
	e, err := tx.lockEnterprise(ctx, id, version)
	if err != nil {
		return nil, err
	}
	spells, err := tx.findScaleSpells(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckEntry(spells, sp); err != nil {
		return nil, err
	}
	sp.EnterpriseID = id
	if err := tx.queryRow(ctx, `INSERT INTO enterprise_scale_spells (enterprise_id, entry_month, entry_type, batch_year, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, id, sp.EntryMonth, sp.EntryType, sp.BatchYear, tx.now).Scan(&sp.ID); err != nil {
		return nil, fmt.Errorf("record entry: %w", err)
	}
	e.AboveScale = true
	if err := tx.bumpEnterprise(ctx, e, `above_scale = ?`, true); err != nil {
		return nil, err
	}
	return e, tx.audit(ctx, actor, "enterprise.scale_entry", "enterprise", id, nil, auditOfSpell(&sp), "")
}

// RecordScaleExit ends the open stay (domain.ApplyExit) if version is still current.
func (s *Store) RecordScaleExit(ctx context.Context, actor domain.Actor, id, version int64, month, reason string) (*domain.Enterprise, error) {
	var after *domain.Enterprise
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		after, err = tx.recordScaleExit(ctx, actor, id, version, month, reason)
		return err
	})
	return after, err
}

func (tx *Tx) recordScaleExit(ctx context.Context, actor domain.Actor, id, version int64, month, reason string) (*domain.Enterprise, error) {
	e, err := tx.lockEnterprise(ctx, id, version)
	if err != nil {
		return nil, err
	}
	spells, err := tx.findScaleSpells(ctx, id)
	if err != nil {
		return nil, err
	}
	var before domain.ScaleSpell
	if n := len(spells); n > 0 {
		before = *spells[n-1]
	}
	sp, err := domain.ApplyExit(spells, strings.TrimSpace(month), reason)
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(ctx, `UPDATE enterprise_scale_spells SET exit_month = ?, exit_reason = ? WHERE id = ?`,
		sp.ExitMonth, sp.ExitReason, sp.ID); err != nil {
		return nil, fmt.Errorf("record exit: %w", err)
	}
	e.AboveScale = domain.InDirectory(spells)
	if err := tx.bumpEnterprise(ctx, e, `above_scale = ?`, e.AboveScale); err != nil {
		return nil, err
	}
	return e, tx.audit(ctx, actor, "enterprise.scale_exit", "enterprise", id, auditOfSpell(&before), auditOfSpell(sp), sp.ExitReason)
}

const figureColumns = `enterprise_id, year, revenue, tax, value_added, employees, land_mu, energy_tce, electricity, emissions, rd_spending`

func scanFigures(sc interface{ Scan(...any) error }) (*domain.EnterpriseFigures, error) {
	var f domain.EnterpriseFigures
	var land, energy, elec, emis int64 // raw × 10⁴ values, not whole numbers
	err := sc.Scan(&f.EnterpriseID, &f.Year, &f.Revenue, &f.Tax, &f.ValueAdded, &f.Employees, &land, &energy,
		&elec, &emis, &f.RDSpending)
	f.LandMu, f.EnergyTce, f.Electricity, f.Emissions = domain.Dec(land), domain.Dec(energy), domain.Dec(elec), domain.Dec(emis)
	return &f, err
}

func auditOfFigures(f *domain.EnterpriseFigures) map[string]any {
	if f == nil {
		return nil
	}
	return map[string]any{"year": f.Year, "revenue": f.Revenue, "tax": f.Tax, "value_added": f.ValueAdded,
		"employees": f.Employees, "land_mu": f.LandMu.String(), "energy_tce": f.EnergyTce.String(),
		"electricity": f.Electricity.String(), "emissions": f.Emissions.String(), "rd_spending": f.RDSpending}
}

// SetEnterpriseFigures stores one year's figures of an enterprise, replacing that year's
// earlier ones, audited.
func (s *Store) SetEnterpriseFigures(ctx context.Context, actor domain.Actor, f *domain.EnterpriseFigures) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error { return tx.setEnterpriseFigures(ctx, actor, f) })
}

func (tx *Tx) setEnterpriseFigures(ctx context.Context, actor domain.Actor, f *domain.EnterpriseFigures) error {
	if _, err := tx.findEnterprise(ctx, `e.id = ?`, f.EnterpriseID); err != nil {
		return err
	}
	before, err := scanFigures(tx.queryRow(ctx, `SELECT `+figureColumns+` FROM enterprise_figures WHERE enterprise_id = ? AND year = ?`,
		f.EnterpriseID, f.Year))
	if errors.Is(err, sql.ErrNoRows) {
		before = nil
	} else if err != nil {
		return fmt.Errorf("find figures: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO enterprise_figures (`+figureColumns+`, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (enterprise_id, year) DO UPDATE SET revenue = excluded.revenue, tax = excluded.tax,
		value_added = excluded.value_added, employees = excluded.employees, land_mu = excluded.land_mu,
		energy_tce = excluded.energy_tce, electricity = excluded.electricity, emissions = excluded.emissions,
		rd_spending = excluded.rd_spending, updated_at = excluded.updated_at`,
		f.EnterpriseID, f.Year, f.Revenue, f.Tax, f.ValueAdded, f.Employees, int64(f.LandMu), int64(f.EnergyTce),
		int64(f.Electricity), int64(f.Emissions), f.RDSpending, tx.now); err != nil {
		return fmt.Errorf("set figures: %w", err)
	}
	return tx.audit(ctx, actor, "enterprise.figures", "enterprise", f.EnterpriseID, auditOfFigures(before), auditOfFigures(f), "")
}

// FindEnterpriseFigures returns an enterprise's yearly figures, latest year first.
func (s *Store) FindEnterpriseFigures(ctx context.Context, id int64) ([]*domain.EnterpriseFigures, error) {
	var list []*domain.EnterpriseFigures
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+figureColumns+` FROM enterprise_figures WHERE enterprise_id = ? ORDER BY year DESC`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFigures(rows)
			if err != nil {
				return err
			}
			list = append(list, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find figures: %w", err)
	}
	return list, nil
}

// AddHonour records an honour of an enterprise, audited.
func (s *Store) AddHonour(ctx context.Context, actor domain.Actor, h *domain.Honour) error {
	if err := h.Validate(s.Now().In(domain.ChinaTime).Year()); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error { return tx.addHonour(ctx, actor, h) })
}

func (tx *Tx) addHonour(ctx context.Context, actor domain.Actor, h *domain.Honour) error {
	if _, err := tx.findEnterprise(ctx, `e.id = ?`, h.EnterpriseID); err != nil {
		return err
	}
	h.Version, h.WithdrawnAt, h.WithdrawnBy, h.WithdrawReason = 1, nil, "", ""
	if err := tx.queryRow(ctx, `INSERT INTO enterprise_honours (enterprise_id, type, level, batch, year, valid_until, doc_no, version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, h.EnterpriseID, h.Type, h.Level, h.Batch, h.Year,
		nullText(h.ValidUntil), h.DocNo, h.Version, tx.now).Scan(&h.ID); err != nil {
		return fmt.Errorf("add honour: %w", err)
	}
	return tx.audit(ctx, actor, "enterprise.honour", "enterprise", h.EnterpriseID, nil, auditOfHonour(h), "")
}

const honourColumns = `id, enterprise_id, type, level, batch, year, COALESCE(valid_until, ''), doc_no, version,
	withdrawn_at, withdrawn_by, withdraw_reason`

func scanHonour(sc interface{ Scan(...any) error }) (*domain.Honour, error) {
	var h domain.Honour
	var withdrawn sql.NullTime
	if err := sc.Scan(&h.ID, &h.EnterpriseID, &h.Type, &h.Level, &h.Batch, &h.Year, &h.ValidUntil, &h.DocNo, &h.Version,
		&withdrawn, &h.WithdrawnBy, &h.WithdrawReason); err != nil {
		return nil, err
	}
	if withdrawn.Valid {
		t := withdrawn.Time.UTC()
		h.WithdrawnAt = &t
	}
	return &h, nil
}

// auditOfHonour is what the audit log keeps of an honour; the events are the
// enterprise's, so the honour names itself.
func auditOfHonour(h *domain.Honour) map[string]any {
	m := map[string]any{"honour_id": h.ID, "type": h.Type, "level": h.Level, "batch": h.Batch, "year": h.Year,
		"valid_until": h.ValidUntil, "doc_no": h.DocNo, "version": h.Version}
	if h.Withdrawn() {
		m["withdrawn_at"], m["withdrawn_by"], m["withdraw_reason"] = h.WithdrawnAt, h.WithdrawnBy, h.WithdrawReason
	}
	return m
}

// lockHonour loads an honour of the enterprise at the version the caller read; an
// honour of another enterprise is not found, so a path cannot reach across records.
func (tx *Tx) lockHonour(ctx context.Context, enterpriseID, id, version int64) (*domain.Honour, error) {
	h, err := tx.findHonour(ctx, enterpriseID, id)
	if err != nil {
		return nil, err
	}
	if h.Version != version {
		return nil, domain.ErrConflict("荣誉")
	}
	return h, nil
}

// UpdateHonour corrects an honour (type, level, batch, year, validity, document number)
// at h.Version under the rules of adding one, audited with before and after. A withdrawn
// honour is not corrected.
func (s *Store) UpdateHonour(ctx context.Context, actor domain.Actor, h *domain.Honour) error {
	if err := h.Validate(s.Now().In(domain.ChinaTime).Year()); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.lockHonour(ctx, h.EnterpriseID, h.ID, h.Version)
		if err != nil {
			return err
		}
		if err := before.CheckCorrection(); err != nil {
			return err
		}
		h.Version = before.Version + 1
		res, err := tx.exec(ctx, `UPDATE enterprise_honours SET type = ?, level = ?, batch = ?, year = ?, valid_until = ?, doc_no = ?,
			version = ? WHERE id = ? AND version = ?`, h.Type, h.Level, h.Batch, h.Year, nullText(h.ValidUntil), h.DocNo,
			h.Version, h.ID, before.Version)
		if err := expectOneRow(res, err, "荣誉"); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "enterprise.honour.update", "enterprise", h.EnterpriseID, auditOfHonour(before), auditOfHonour(h), "")
	})
}

// WithdrawHonour withdraws (撤销) an honour at the version read, for a required reason: the
// row stays in the enterprise's history with who, when and why, and leaves every count.
func (s *Store) WithdrawHonour(ctx context.Context, actor domain.Actor, enterpriseID, id, version int64, reason string) (*domain.Honour, error) {
	var h *domain.Honour
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		h, err = tx.withdrawHonour(ctx, actor, enterpriseID, id, version, reason)
		return err
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

func (tx *Tx) withdrawHonour(ctx context.Context, actor domain.Actor, enterpriseID, id, version int64, reason string) (*domain.Honour, error) {
	h, err := tx.lockHonour(ctx, enterpriseID, id, version)
	if err != nil {
		return nil, err
	}
	before := *h
	if err := h.ApplyWithdrawal(reason, actor.DisplayName(), tx.now); err != nil {
		return nil, err
	}
	h.Version++
	res, err := tx.exec(ctx, `UPDATE enterprise_honours SET withdrawn_at = ?, withdrawn_by = ?, withdraw_reason = ?, version = ?
		WHERE id = ? AND version = ?`, *h.WithdrawnAt, h.WithdrawnBy, h.WithdrawReason, h.Version, h.ID, before.Version)
	if err := expectOneRow(res, err, "荣誉"); err != nil {
		return nil, err
	}
	return h, tx.audit(ctx, actor, "enterprise.honour.withdraw", "enterprise", enterpriseID, auditOfHonour(&before), auditOfHonour(h), h.WithdrawReason)
}

// FindHonour returns one honour of an enterprise, withdrawn or not.
func (s *Store) FindHonour(ctx context.Context, enterpriseID, id int64) (*domain.Honour, error) {
	var h *domain.Honour
	err := s.inRead(ctx, func(tx *Tx) (err error) {
		h, err = tx.findHonour(ctx, enterpriseID, id)
		return err
	})
	return h, err
}

// findHonour reads one of an enterprise's honours; another enterprise's is not found.
func (tx *Tx) findHonour(ctx context.Context, enterpriseID, id int64) (*domain.Honour, error) {
	h, err := scanHonour(tx.queryRow(ctx, `SELECT `+honourColumns+` FROM enterprise_honours WHERE id = ? AND enterprise_id = ?`,
		id, enterpriseID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("荣誉")
	}
	if err != nil {
		return nil, fmt.Errorf("find honour: %w", err)
	}
	return h, nil
}

// FindHonours returns an enterprise's honours, latest first, the withdrawn ones included
// (the page shows them as history).
func (s *Store) FindHonours(ctx context.Context, id int64) ([]*domain.Honour, error) {
	var list []*domain.Honour
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryEach(ctx, `SELECT `+honourColumns+` FROM enterprise_honours WHERE enterprise_id = ? ORDER BY year DESC, id DESC`,
			[]any{id}, func(rows *sql.Rows) error {
				h, err := scanHonour(rows)
				if err == nil {
					list = append(list, h)
				}
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("find honours: %w", err)
	}
	return list, nil
}

// FindEnterprisesByUSCC returns the enterprises holding these (normalised) credit codes,
// keyed by code; codes not found are left out.
func (s *Store) FindEnterprisesByUSCC(ctx context.Context, codes []string) (map[string]*domain.Enterprise, error) {
	out := map[string]*domain.Enterprise{}
	err := s.inRead(ctx, func(tx *Tx) error {
		for chunk := range slices.Chunk(codes, importChunk) {
			marks, args := inList(chunk)
			err := tx.queryEach(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.uscc IN (`+marks+`)`, args, func(rows *sql.Rows) error {
				e, err := scanEnterprise(rows)
				if err == nil {
					out[e.USCC] = e
				}
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find enterprises by uscc: %w", err)
	}
	return out, nil
}

// ImportEnterprises creates (ID 0) or updates (at their Version) enterprises in one
// transaction, each audited; any failure changes nothing, and its message names the
// enterprise.
func (s *Store) ImportEnterprises(ctx context.Context, actor domain.Actor, list []*domain.Enterprise) (created, updated int, err error) {
	err = s.inWrite(ctx, func(tx *Tx) error {
		created, updated = 0, 0
		for i, e := range list {
			var err error
			if err = e.Validate(); err == nil {
				if e.ID == 0 {
					e.Status, e.StatusOn, e.StatusReason, e.AboveScale = domain.StatusActive, "", "", false
					err = tx.createEnterprise(ctx, actor, e)
					created++
				} else {
					err = tx.updateEnterprise(ctx, actor, e)
					updated++
				}
			}
			if err != nil {
				return namedImportFailure(fmt.Sprintf("第%d家企业（%s）", i+1, e.Name), err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// EnterpriseHistory is an enterprise with its past, as kept elsewhere before: stays in
// the above-scale directory, a status change, yearly figures and honours (an honour with
// a WithdrawReason is recorded and then withdrawn for it).
type EnterpriseHistory struct {
	Enterprise *domain.Enterprise
	Entries    []HistoryEntry
	Status     *HistoryStatus // nil: active
	Figures    []*domain.EnterpriseFigures
	Honours    []*domain.Honour
}

// HistoryEntry is one stay: an entry and, when ExitMonth is set, its exit.
type HistoryEntry struct {
	Type, Month           string
	BatchYear             int
	ExitMonth, ExitReason string
}

// HistoryStatus is a status change.
type HistoryStatus struct{ To, On, Reason string }

// LoadEnterpriseHistories registers enterprises with their histories in one transaction
// (the demo; a city's earlier ledgers), every step by the same rules and audited as
// the single changes are; any failure changes nothing and names the enterprise.
func (s *Store) LoadEnterpriseHistories(ctx context.Context, actor domain.Actor, list []*EnterpriseHistory) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		for i, h := range list {
			if err := tx.loadEnterpriseHistory(ctx, actor, h); err != nil {
				return namedImportFailure(fmt.Sprintf("第%d家企业（%s）", i+1, h.Enterprise.Name), err)
			}
		}
		return nil
	})
}

func (tx *Tx) loadEnterpriseHistory(ctx context.Context, actor domain.Actor, h *EnterpriseHistory) error {
	e := h.Enterprise
	e.Status, e.StatusOn, e.StatusReason, e.AboveScale = domain.StatusActive, "", "", false
	if err := e.Validate(); err != nil {
		return err
	}
	if err := tx.createEnterprise(ctx, actor, e); err != nil {
		return err
	}
	for _, en := range h.Entries {
		sp, err := domain.NewEntry(en.Type, en.Month, en.BatchYear)
		if err != nil {
			return err
		}
		if e, err = tx.recordScaleEntry(ctx, actor, e.ID, e.Version, sp); err != nil {
			return err
		}
		if en.ExitMonth != "" {
			if e, err = tx.recordScaleExit(ctx, actor, e.ID, e.Version, en.ExitMonth, en.ExitReason); err != nil {
				return err
			}
		}
	}
	if st := h.Status; st != nil {
		var err error
		if e, err = tx.setEnterpriseStatus(ctx, actor, e.ID, e.Version, st.To, st.On, st.Reason); err != nil {
			return err
		}
	}
	for _, f := range h.Figures {
		f.EnterpriseID = e.ID
		if err := f.Validate(); err != nil {
			return err
		}
		if err := tx.setEnterpriseFigures(ctx, actor, f); err != nil {
			return err
		}
	}
	for _, x := range h.Honours {
		x.EnterpriseID = e.ID
		if err := x.Validate(tx.now.In(domain.ChinaTime).Year()); err != nil {
			return err
		}
		withdrawn := x.WithdrawReason // a past withdrawal, made as a withdrawal is now
		if err := tx.addHonour(ctx, actor, x); err != nil {
			return err
		}
		if withdrawn != "" {
			w, err := tx.withdrawHonour(ctx, actor, e.ID, x.ID, x.Version, withdrawn)
			if err != nil {
				return err
			}
			*x = *w
		}
	}
	*h.Enterprise = *e
	return nil
}
