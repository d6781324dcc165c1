package store

import (
	"context"
	"fmt"
	"slices"

	"beizeng/internal/domain"
)

// CreateProject inserts a project's core record with its tags, audited.
func (s *Store) CreateProject(ctx context.Context, actor domain.Actor, p *domain.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE code = ?`, p.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"code": "项目编码 " + p.Code + " 已存在。"}}
		}
		if _, err := tx.findUnit(ctx, `id = ?`, p.UnitID); err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
		if err := tx.queryRow(ctx, `INSERT INTO projects (code, name, unit_id, park_id, stage, industry_section, industry_division,
			foreign_capital, contract_investment, fixed_investment, funds_in_place, land_mu, signed_on, registered_on,
			land_supplied_on, started_on, completed_on, in_production_on, terminated_on, cert_5020, cert_5020_on,
			version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			p.Code, p.Name, p.UnitID, nullID(p.ParkID), p.Stage, p.IndustrySection, p.IndustryDivision, p.ForeignCapital,
			p.ContractInvestment, p.FixedInvestment, p.FundsInPlace, int64(p.LandMu), nullText(p.SignedOn), nullText(p.RegisteredOn),
			nullText(p.LandSuppliedOn), nullText(p.StartedOn), nullText(p.CompletedOn), nullText(p.InProductionOn),
			nullText(p.TerminatedOn), p.Cert5020, nullText(p.Cert5020On), tx.now, tx.now).Scan(&p.ID); err != nil {
			return fmt.Errorf("create project: %w", err)
		}
		tags := slices.Compact(slices.Sorted(slices.Values(p.Tags)))
		for _, tag := range tags {
			if _, err := tx.exec(ctx, `INSERT INTO project_tags (project_id, tag) VALUES (?, ?)`, p.ID, tag); err != nil {
				return fmt.Errorf("project tags: %w", err)
			}
		}
		return tx.audit(ctx, actor, "project.create", "project", p.ID, nil, map[string]any{
			"code": p.Code, "name": p.Name, "unit_id": p.UnitID, "park_id": p.ParkID, "stage": p.Stage,
			"industry_section": p.IndustrySection, "industry_division": p.IndustryDivision, "foreign_capital": p.ForeignCapital,
			"contract_investment": p.ContractInvestment, "fixed_investment": p.FixedInvestment, "funds_in_place": p.FundsInPlace,
			"land_mu": p.LandMu.String(), "signed_on": p.SignedOn, "registered_on": p.RegisteredOn,
			"land_supplied_on": p.LandSuppliedOn, "started_on": p.StartedOn, "completed_on": p.CompletedOn,
			"in_production_on": p.InProductionOn, "terminated_on": p.TerminatedOn, "cert_5020": p.Cert5020,
			"cert_5020_on": p.Cert5020On, "tags": tags}, "")
	})
}

// nullText stores "" as NULL, for optional dates.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
