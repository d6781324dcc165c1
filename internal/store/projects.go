package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// chinaTime is the campaign's calendar: a stage date is a date in China.
var chinaTime = domain.ChinaTime

const projectColumns = `p.id, p.code, p.name, p.unit_id, COALESCE(p.park_id, 0), p.stage, p.industry_section, p.industry_division,
	p.foreign_capital, p.contract_investment, p.fixed_investment, p.funds_in_place, p.land_mu,
	COALESCE(p.signed_on, ''), COALESCE(p.registered_on, ''), COALESCE(p.land_supplied_on, ''), COALESCE(p.started_on, ''),
	COALESCE(p.completed_on, ''), COALESCE(p.in_production_on, ''), COALESCE(p.terminated_on, ''),
	p.cert_5020, COALESCE(p.cert_5020_on, ''), p.version, p.created_at, p.updated_at,
	p.investor_name, p.investor_uscc, p.investor_origin, p.capital_source, p.industrial, p.chain, p.currency,
	p.exchange_rate, p.contract_investment_orig, p.registered_capital, p.expected_revenue, p.expected_tax,
	p.linked_leader, p.contact_person, p.contact_phone, COALESCE(p.planned_start_on, ''), COALESCE(p.planned_production_on, ''),
	p.terminated_reason, p.cert_5020_doc, p.progress_pct, COALESCE(p.last_note_on, '')`

func scanProject(sc interface{ Scan(...any) error }, extra ...any) (*domain.Project, error) {
	var p domain.Project
	var land int64
	d := &p.ProjectDetails
	dest := append([]any{&p.ID, &p.Code, &p.Name, &p.UnitID, &p.ParkID, &p.Stage, &p.IndustrySection, &p.IndustryDivision,
		&p.ForeignCapital, &p.ContractInvestment, &p.FixedInvestment, &p.FundsInPlace, &land,
		&p.SignedOn, &p.RegisteredOn, &p.LandSuppliedOn, &p.StartedOn, &p.CompletedOn, &p.InProductionOn, &p.TerminatedOn,
		&p.Cert5020, &p.Cert5020On, &p.Version, &p.CreatedAt, &p.UpdatedAt,
		&d.InvestorName, &d.InvestorUSCC, &d.InvestorOrigin, &d.CapitalSource, &d.Industrial, &d.Chain, &d.Currency,
		&d.ExchangeRate, &d.ContractInvestmentOrig, &d.RegisteredCapital, &d.ExpectedRevenue, &d.ExpectedTax,
		&d.LinkedLeader, &d.ContactPerson, &d.ContactPhone, &d.PlannedStartOn, &d.PlannedProductionOn,
		&d.TerminatedReason, &d.Cert5020Doc, &d.ProgressPct, &d.LastNoteOn}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	p.LandMu = domain.Dec(land)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

// auditOfProject is what the audit log keeps of a project.
func auditOfProject(p *domain.Project) map[string]any {
	d := p.ProjectDetails
	return map[string]any{
		"code": p.Code, "name": p.Name, "unit_id": p.UnitID, "park_id": p.ParkID, "stage": p.Stage,
		"industry_section": p.IndustrySection, "industry_division": p.IndustryDivision, "foreign_capital": p.ForeignCapital,
		"contract_investment": p.ContractInvestment, "fixed_investment": p.FixedInvestment, "funds_in_place": p.FundsInPlace,
		"land_mu": p.LandMu.String(), "signed_on": p.SignedOn, "registered_on": p.RegisteredOn,
		"land_supplied_on": p.LandSuppliedOn, "started_on": p.StartedOn, "completed_on": p.CompletedOn,
		"in_production_on": p.InProductionOn, "terminated_on": p.TerminatedOn, "cert_5020": p.Cert5020,
		"cert_5020_on": p.Cert5020On, "tags": p.Tags, "version": p.Version,
		"investor_name": d.InvestorName, "investor_uscc": d.InvestorUSCC, "investor_origin": d.InvestorOrigin,
		"capital_source": d.CapitalSource, "industrial": d.Industrial, "chain": d.Chain, "currency": d.Currency,
		"exchange_rate": d.ExchangeRate.String(), "contract_investment_orig": d.ContractInvestmentOrig,
		"registered_capital": d.RegisteredCapital, "expected_revenue": d.ExpectedRevenue, "expected_tax": d.ExpectedTax,
		"linked_leader": d.LinkedLeader, "contact_person": d.ContactPerson, "contact_phone": d.ContactPhone,
		"planned_start_on": d.PlannedStartOn, "planned_production_on": d.PlannedProductionOn,
		"terminated_reason": d.TerminatedReason, "cert_5020_doc": d.Cert5020Doc, "progress_pct": d.ProgressPct,
	}
}

// CreateProject inserts a project with its tags, audited. An empty code gets the next
// "XM" + year + number (four digits or more) of the current year (China time).
func (s *Store) CreateProject(ctx context.Context, actor domain.Actor, p *domain.Project) error {
	generate := strings.TrimSpace(p.Code) == ""
	if generate {
		p.Code = "XM" // placeholder so that Validate checks the rest
	}
	if err := p.Validate(); err != nil {
		if generate {
			p.Code = ""
		}
		return err
	}
	p.ID = 0
	return s.inWrite(ctx, func(tx *Tx) error {
		if generate {
			code, err := tx.nextProjectCode(ctx)
			if err != nil {
				return err
			}
			p.Code = code
		}
		if err := tx.checkProjectRefs(ctx, p); err != nil {
			return err
		}
		p.Tags = slices.Compact(slices.Sorted(slices.Values(p.Tags)))
		if err := tx.checkProjectTags(ctx, p.Tags, nil); err != nil {
			return err
		}
		p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
		if err := tx.queryRow(ctx, insertProjectSQL, projectInsertArgs(p, tx.now)...).Scan(&p.ID); err != nil {
			return fmt.Errorf("create project: %w", err)
		}
		if err := tx.writeProjectTags(ctx, p.ID, p.Tags); err != nil {
			return err
		}
		// The history starts with the stage the project was recorded in, so that its
		// timeline has a beginning even for imported projects.
		on := tx.now.In(chinaTime).Format(time.DateOnly)
		if d := p.StageDate(p.Stage); d != nil && *d != "" {
			on = *d
		}
		if _, err := tx.exec(ctx, `INSERT INTO project_stage_history (project_id, from_stage, to_stage, on_date, reason, actor_name, at)
			VALUES (?, '', ?, ?, '', ?, ?)`, p.ID, p.Stage, on, actor.Name(), tx.now); err != nil {
			return fmt.Errorf("stage history: %w", err)
		}
		return tx.audit(ctx, actor, "project.create", "project", p.ID, nil, auditOfProject(p), "")
	})
}

// nextProjectNumber finds the number after the highest generated code of this year
// (China time): codes run XM20260001 … XM20269999, then XM202610000 and on, so that a
// year is never "used up" and the four-digit codes stay valid. Codes with the prefix and
// anything but digits after it were typed by hand and are skipped.
func (tx *Tx) nextProjectNumber(ctx context.Context) (prefix string, n int, err error) {
	prefix = "XM" + strconv.Itoa(tx.now.In(chinaTime).Year())
	rows, err := tx.query(ctx, `SELECT code FROM projects WHERE code LIKE ? AND LENGTH(code) >= ?`, prefix+"%", len(prefix)+4)
	if err != nil {
		return "", 0, fmt.Errorf("next project code: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return "", 0, fmt.Errorf("next project code: %w", err)
		}
		digits := code[len(prefix):]
		if strings.Trim(digits, "0123456789") != "" || len(digits) > 9 {
			continue
		}
		if v, _ := strconv.Atoi(digits); v > n {
			n = v
		}
	}
	return prefix, n + 1, rows.Err()
}

// projectCode formats a generated code: at least four digits.
func projectCode(prefix string, n int) string { return fmt.Sprintf("%s%04d", prefix, n) }

// nextProjectCode is the next generated code of this year.
func (tx *Tx) nextProjectCode(ctx context.Context) (string, error) {
	prefix, n, err := tx.nextProjectNumber(ctx)
	return projectCode(prefix, n), err
}

// checkProjectRefs checks the code is free and the unit and park exist.
func (tx *Tx) checkProjectRefs(ctx context.Context, p *domain.Project) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE code = ? AND id <> ?`, p.Code, p.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"code": "项目编码 " + p.Code + " 已存在。"}}
	}
	return tx.checkUnitAndPark(ctx, p.UnitID, p.ParkID, "责任单位")
}

// checkUnitAndPark checks a record's unit exists and its park, when set, is a park;
// unitLabel names the unit field in the message. Projects and enterprises share it.
func (tx *Tx) checkUnitAndPark(ctx context.Context, unitID, parkID int64, unitLabel string) error {
	if _, err := tx.findUnit(ctx, `id = ?`, unitID); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"unit_id": unitLabel + "不存在。"}}
		}
		return err
	}
	if parkID != 0 {
		park, err := tx.findUnit(ctx, `id = ?`, parkID)
		if err != nil || park.Kind != domain.UnitPark {
			if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
				return err
			}
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"park_id": "所选园区不存在。"}}
		}
	}
	return nil
}

func (tx *Tx) writeProjectTags(ctx context.Context, id int64, tags []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM project_tags WHERE project_id = ?`, id); err != nil {
		return fmt.Errorf("project tags: %w", err)
	}
	for _, tag := range tags {
		if _, err := tx.exec(ctx, `INSERT INTO project_tags (project_id, tag) VALUES (?, ?)`, id, tag); err != nil {
			return fmt.Errorf("project tags: %w", err)
		}
	}
	return nil
}

// FindProjectByID returns one project with its tags.
func (s *Store) FindProjectByID(ctx context.Context, id int64) (*domain.Project, error) {
	var p *domain.Project
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		p, err = tx.findProject(ctx, id)
		return err
	})
	return p, err
}

func (tx *Tx) findProject(ctx context.Context, id int64) (*domain.Project, error) {
	p, err := scanProject(tx.queryRow(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("项目")
	}
	if err != nil {
		return nil, fmt.Errorf("find project: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT tag FROM project_tags WHERE project_id = ? ORDER BY tag`, id)
	if err != nil {
		return nil, fmt.Errorf("find project tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tag string
		if err := rows.Scan(&tag); err != nil {
			return nil, err
		}
		p.Tags = append(p.Tags, tag)
	}
	return p, rows.Err()
}

// projectOrder maps a filter's sort to SQL; every order ends with the id so pages are stable.
var projectOrder = map[string]string{
	"":             "p.code, p.id",
	"code":         "p.code, p.id",
	"signed_desc":  "p.signed_on DESC, p.id DESC",
	"signed_asc":   "p.signed_on, p.id",
	"amount_desc":  "p.contract_investment DESC, p.id DESC",
	"started_desc": "p.started_on DESC, p.id DESC",
	"updated_desc": "p.updated_at DESC, p.id DESC",
}

// projectWhere turns a filter into a WHERE clause and its arguments.
func projectWhere(f domain.ProjectFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg ...any) { where, args = append(where, cond), append(args, arg...) }
	if f.UnitID != 0 {
		add("p.unit_id = ?", f.UnitID)
	}
	if f.ParkID != 0 {
		add("p.park_id = ?", f.ParkID)
	}
	if f.Stage != "" {
		add("p.stage = ?", f.Stage)
	}
	if f.MinAmount > 0 {
		add("p.contract_investment >= ?", f.MinAmount)
	}
	if f.IndustrySection != "" {
		add("p.industry_section = ?", f.IndustrySection)
	}
	if f.IndustryDivision != "" {
		add("p.industry_division = ?", f.IndustryDivision)
	}
	if f.Tag != "" {
		add("EXISTS (SELECT 1 FROM project_tags t WHERE t.project_id = p.id AND t.tag = ?)", f.Tag)
	}
	if f.SignedFrom != "" {
		add("p.signed_on >= ?", f.SignedFrom)
	}
	if f.SignedTo != "" {
		add("p.signed_on <= ?", f.SignedTo)
	}
	if f.StartedFrom != "" {
		add("p.started_on >= ?", f.StartedFrom)
	}
	if f.StartedTo != "" {
		add("p.started_on <= ?", f.StartedTo)
	}
	if f.ProducedFrom != "" {
		add("p.in_production_on >= ?", f.ProducedFrom)
	}
	if f.ProducedTo != "" {
		add("p.in_production_on <= ?", f.ProducedTo)
	}
	if t := f.Candidate5020; t != nil {
		add(`(p.stage <> 'terminated' AND (
			(p.capital_source = 'domestic' AND NOT p.foreign_capital AND p.contract_investment >= ?)
			OR ((p.capital_source <> 'domestic' OR p.foreign_capital) AND p.currency = 'USD' AND p.contract_investment_orig >= ?)
			OR ((p.capital_source <> 'domestic' OR p.foreign_capital) AND p.currency <> 'USD' AND p.contract_investment >= ?)))`,
			t.DomesticYuan, t.ForeignUSD, t.ForeignYuan())
	}
	if f.RestrictIDs {
		if len(f.IDs) == 0 {
			add("1 = 0")
		} else {
			// Literal integers we read from the database: no parameter limit applies.
			ids := make([]string, len(f.IDs))
			for i, id := range f.IDs {
				ids[i] = strconv.FormatInt(id, 10)
			}
			add("p.id IN (" + strings.Join(ids, ", ") + ")")
		}
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := likePattern(q)
		add(`p.search_text LIKE ? ESCAPE '\'`, pat)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// FindProjects lists a page of projects matching the filter, with the filter's total.
// The total is a separate COUNT in the same snapshot: a window count would make the
// database build every matching row before cutting the page. Tags are not loaded:
// lists do not show them.
func (s *Store) FindProjects(ctx context.Context, f domain.ProjectFilter) ([]*domain.Project, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	where, args := projectWhere(f)
	q := `SELECT ` + projectColumns + ` FROM projects p` + where + ` ORDER BY ` + projectOrder[f.Sort] + ` LIMIT ? OFFSET ?`
	var list []*domain.Project
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM projects p`+where, args...).Scan(&total); err != nil {
			return err
		}
		if total <= max(f.Offset, 0) {
			return nil
		}
		rows, err := tx.query(ctx, q, append(args, pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProject(rows)
			if err != nil {
				return err
			}
			list = append(list, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find projects: %w", err)
	}
	return list, total, nil
}

// UpdateProject replaces a project's editable fields if p.Version is still current. The
// stage and its dates change only through TransitionProject, funds in place only through
// the ledger.
func (s *Store) UpdateProject(ctx context.Context, actor domain.Actor, p *domain.Project) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findProject(ctx, p.ID)
		if err != nil {
			return err
		}
		if before.Version != p.Version {
			return domain.ErrConflict("项目")
		}
		after := *p
		after.Stage, after.FundsInPlace, after.LastNoteOn = before.Stage, before.FundsInPlace, before.LastNoteOn
		for _, st := range domain.ProjectStages {
			if d := after.StageDate(st); d != nil {
				*d = *before.StageDate(st)
			}
		}
		after.TerminatedReason = before.TerminatedReason
		after.Tags = slices.Compact(slices.Sorted(slices.Values(p.Tags)))
		if err := tx.checkProjectTags(ctx, after.Tags, before.Tags); err != nil {
			return err
		}
		if err := tx.checkProjectRefs(ctx, &after); err != nil {
			return err
		}
		after.Version, after.CreatedAt, after.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
		res, err := tx.exec(ctx, updateProjectSQL, projectUpdateArgs(&after, before.Version)...)
		if err := expectOneRow(res, err, "项目"); err != nil {
			return err
		}
		if err := tx.writeProjectTags(ctx, after.ID, after.Tags); err != nil {
			return err
		}
		*p = after
		return tx.audit(ctx, actor, "project.update", "project", p.ID, auditOfProject(before), auditOfProject(p), "")
	})
}

// TransitionProject moves a project to another stage if version is still current, by
// the lifecycle rules (domain.Project.ApplyTransition) with today taken from the
// transaction's clock in China time, and records the change in the stage history.
func (s *Store) TransitionProject(ctx context.Context, actor domain.Actor, id, version int64, to, onDate, reason string) (*domain.Project, error) {
	var after *domain.Project
	err := s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findProject(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return domain.ErrConflict("项目")
		}
		p := *before
		today := tx.now.In(chinaTime).Format(time.DateOnly)
		if err := p.ApplyTransition(to, strings.TrimSpace(onDate), reason, today); err != nil {
			return err
		}
		p.Version, p.UpdatedAt = before.Version+1, tx.now
		res, err := tx.exec(ctx, `UPDATE projects SET stage = ?, signed_on = ?, registered_on = ?, land_supplied_on = ?,
			started_on = ?, completed_on = ?, in_production_on = ?, terminated_on = ?, terminated_reason = ?,
			version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			p.Stage, nullText(p.SignedOn), nullText(p.RegisteredOn), nullText(p.LandSuppliedOn), nullText(p.StartedOn),
			nullText(p.CompletedOn), nullText(p.InProductionOn), nullText(p.TerminatedOn), p.TerminatedReason,
			p.Version, p.UpdatedAt, id, before.Version)
		if err := expectOneRow(res, err, "项目"); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if _, err := tx.exec(ctx, `INSERT INTO project_stage_history (project_id, from_stage, to_stage, on_date, reason, actor_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, before.Stage, p.Stage, strings.TrimSpace(onDate), reason, actor.Name(), tx.now); err != nil {
			return fmt.Errorf("stage history: %w", err)
		}
		after = &p
		return tx.audit(ctx, actor, "project.stage", "project", id, auditOfProject(before), auditOfProject(&p), reason)
	})
	return after, err
}

// FindProjectHistory returns a project's stage changes, oldest first.
func (s *Store) FindProjectHistory(ctx context.Context, id int64) ([]*domain.ProjectStageChange, error) {
	var list []*domain.ProjectStageChange
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, project_id, from_stage, to_stage, on_date, reason, actor_name, at
			FROM project_stage_history WHERE project_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c domain.ProjectStageChange
			if err := rows.Scan(&c.ID, &c.ProjectID, &c.From, &c.To, &c.OnDate, &c.Reason, &c.ActorName, &c.At); err != nil {
				return err
			}
			c.At = c.At.UTC()
			list = append(list, &c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find project history: %w", err)
	}
	return list, nil
}

// SetLedger records one month's funds in place and investment completed (whole yuan)
// and keeps the project's funds_in_place equal to the ledger's sum.
func (s *Store) SetLedger(ctx context.Context, actor domain.Actor, id int64, month string, funds, completed int64) (*domain.Project, error) {
	probs := domain.Problems{}
	if !domain.ValidMonth(month) {
		probs.Add("month", "月份格式应为 2026-01。")
	}
	domain.CheckAmount(probs, "funds_in_place", funds)
	domain.CheckAmount(probs, "investment_completed", completed)
	if err := probs.Err(); err != nil {
		return nil, err
	}
	var after *domain.Project
	err := s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findProject(ctx, id); err != nil {
			return err
		}
		if thisMonth := tx.now.In(chinaTime).Format("2006-01"); month > thisMonth {
			return domain.Errorf(domain.EINVALID, "月份 %s 晚于本月（%s），不能登记未来的月份。", month, thisMonth)
		}
		var old domain.ProjectLedgerEntry
		err := tx.queryRow(ctx, `SELECT month, funds_in_place, investment_completed FROM project_ledger WHERE project_id = ? AND month = ?`,
			id, month).Scan(&old.Month, &old.FundsInPlace, &old.InvestmentCompleted)
		var beforeEntry any
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("ledger: %w", err)
		default:
			beforeEntry = old
		}
		if _, err := tx.exec(ctx, `INSERT INTO project_ledger (project_id, month, funds_in_place, investment_completed)
			VALUES (?, ?, ?, ?) ON CONFLICT (project_id, month) DO UPDATE SET funds_in_place = excluded.funds_in_place,
			investment_completed = excluded.investment_completed`, id, month, funds, completed); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE projects SET funds_in_place = (SELECT COALESCE(SUM(funds_in_place), 0)
			FROM project_ledger WHERE project_id = ?), updated_at = ? WHERE id = ?`, id, tx.now, id); err != nil {
			return fmt.Errorf("ledger sum: %w", err)
		}
		if after, err = tx.findProject(ctx, id); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "project.ledger", "project", id, beforeEntry,
			domain.ProjectLedgerEntry{Month: month, FundsInPlace: funds, InvestmentCompleted: completed}, "")
	})
	return after, err
}

// FindProjectLedger returns a project's ledger, oldest month first.
func (s *Store) FindProjectLedger(ctx context.Context, id int64) ([]domain.ProjectLedgerEntry, error) {
	var list []domain.ProjectLedgerEntry
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT month, funds_in_place, investment_completed FROM project_ledger
			WHERE project_id = ? ORDER BY month`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e domain.ProjectLedgerEntry
			if err := rows.Scan(&e.Month, &e.FundsInPlace, &e.InvestmentCompleted); err != nil {
				return err
			}
			list = append(list, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find project ledger: %w", err)
	}
	return list, nil
}

// AddProjectNote appends a dated progress note and keeps last_note_on the latest date.
func (s *Store) AddProjectNote(ctx context.Context, actor domain.Actor, id int64, onDate, body string) (*domain.ProjectNote, error) {
	onDate, body = strings.TrimSpace(onDate), strings.TrimSpace(body)
	probs := domain.Problems{}
	if _, err := time.Parse(time.DateOnly, onDate); err != nil {
		probs.Add("on_date", "日期格式应为 2026-01-31。")
	}
	if n := len([]rune(body)); n == 0 || n > 2000 {
		probs.Add("body", "请填写进展情况（不超过2000个字）。")
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	n := &domain.ProjectNote{ProjectID: id, OnDate: onDate, Body: body, Author: actor.Name()}
	err := s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findProject(ctx, id); err != nil {
			return err
		}
		if today := tx.now.In(chinaTime).Format(time.DateOnly); onDate > today {
			return &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"on_date": "日期晚于今天（" + today + "）。"}}
		}
		n.At = tx.now
		if err := tx.queryRow(ctx, `INSERT INTO project_notes (project_id, on_date, body, author, at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			id, onDate, body, n.Author, tx.now).Scan(&n.ID); err != nil {
			return fmt.Errorf("add project note: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE projects SET last_note_on = (SELECT MAX(on_date) FROM project_notes WHERE project_id = ?)
			WHERE id = ?`, id, id); err != nil {
			return fmt.Errorf("last note: %w", err)
		}
		return tx.audit(ctx, actor, "project.note", "project", id, nil, map[string]any{"on_date": onDate, "body": body}, "")
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// FindProjectNotes returns a project's notes, newest first.
func (s *Store) FindProjectNotes(ctx context.Context, id int64) ([]*domain.ProjectNote, error) {
	var list []*domain.ProjectNote
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, project_id, on_date, body, author, at FROM project_notes
			WHERE project_id = ? ORDER BY on_date DESC, id DESC`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n domain.ProjectNote
			if err := rows.Scan(&n.ID, &n.ProjectID, &n.OnDate, &n.Body, &n.Author, &n.At); err != nil {
				return err
			}
			n.At = n.At.UTC()
			list = append(list, &n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find project notes: %w", err)
	}
	return list, nil
}

// nullText stores "" as NULL, for optional dates.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insertProjectSQL adds a whole project row; CreateProject and the import share it, with
// projectInsertArgs, so a new column reaches both.
const insertProjectSQL = `INSERT INTO projects (code, name, unit_id, park_id, stage, industry_section, industry_division,
		foreign_capital, contract_investment, fixed_investment, funds_in_place, land_mu, signed_on, registered_on,
		land_supplied_on, started_on, completed_on, in_production_on, terminated_on, cert_5020, cert_5020_on,
		version, created_at, updated_at,
		investor_name, investor_uscc, investor_origin, capital_source, industrial, chain, currency, exchange_rate,
		contract_investment_orig, registered_capital, expected_revenue, expected_tax, linked_leader, contact_person,
		contact_phone, planned_start_on, planned_production_on, terminated_reason, cert_5020_doc, progress_pct, last_note_on,
		search_text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?,
		?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

func projectInsertArgs(p *domain.Project, now time.Time) []any {
	d := &p.ProjectDetails
	return []any{p.Code, p.Name, p.UnitID, nullID(p.ParkID), p.Stage, p.IndustrySection, p.IndustryDivision, p.ForeignCapital,
		p.ContractInvestment, p.FixedInvestment, p.FundsInPlace, int64(p.LandMu), nullText(p.SignedOn), nullText(p.RegisteredOn),
		nullText(p.LandSuppliedOn), nullText(p.StartedOn), nullText(p.CompletedOn), nullText(p.InProductionOn),
		nullText(p.TerminatedOn), p.Cert5020, nullText(p.Cert5020On), now, now,
		d.InvestorName, d.InvestorUSCC, d.InvestorOrigin, d.CapitalSource, d.Industrial, d.Chain, d.Currency, d.ExchangeRate.String(),
		d.ContractInvestmentOrig, d.RegisteredCapital, d.ExpectedRevenue, d.ExpectedTax, d.LinkedLeader, d.ContactPerson,
		d.ContactPhone, nullText(d.PlannedStartOn), nullText(d.PlannedProductionOn), d.TerminatedReason, d.Cert5020Doc,
		d.ProgressPct, nullText(d.LastNoteOn), projectSearchText(p)}
}

// updateProjectSQL writes a project's editable fields if its version is still the one
// read; UpdateProject and the import share it, with projectUpdateArgs. The stage, its
// dates and funds in place change elsewhere.
const updateProjectSQL = `UPDATE projects SET code = ?, name = ?, unit_id = ?, park_id = ?, industry_section = ?,
	industry_division = ?, foreign_capital = ?, contract_investment = ?, fixed_investment = ?, land_mu = ?,
	cert_5020 = ?, cert_5020_on = ?, investor_name = ?, investor_uscc = ?, investor_origin = ?, capital_source = ?,
	industrial = ?, chain = ?, currency = ?, exchange_rate = ?, contract_investment_orig = ?, registered_capital = ?,
	expected_revenue = ?, expected_tax = ?, linked_leader = ?, contact_person = ?, contact_phone = ?,
	planned_start_on = ?, planned_production_on = ?, cert_5020_doc = ?, progress_pct = ?, search_text = ?,
	version = ?, updated_at = ?
	WHERE id = ? AND version = ?`

func projectUpdateArgs(p *domain.Project, readVersion int64) []any {
	d := &p.ProjectDetails
	return []any{p.Code, p.Name, p.UnitID, nullID(p.ParkID), p.IndustrySection, p.IndustryDivision,
		p.ForeignCapital, p.ContractInvestment, p.FixedInvestment, int64(p.LandMu),
		p.Cert5020, nullText(p.Cert5020On), d.InvestorName, d.InvestorUSCC, d.InvestorOrigin, d.CapitalSource,
		d.Industrial, d.Chain, d.Currency, d.ExchangeRate.String(), d.ContractInvestmentOrig, d.RegisteredCapital,
		d.ExpectedRevenue, d.ExpectedTax, d.LinkedLeader, d.ContactPerson, d.ContactPhone,
		nullText(d.PlannedStartOn), nullText(d.PlannedProductionOn), d.Cert5020Doc, d.ProgressPct, projectSearchText(p),
		p.Version, p.UpdatedAt, p.ID, readVersion}
}

// projectSearchText is what the list's text search matches: code, name and investor,
// lowercased as the query is (likePattern).
func projectSearchText(p *domain.Project) string {
	return strings.ToLower(p.Code + " " + p.Name + " " + p.InvestorName)
}
