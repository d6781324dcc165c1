package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// Project import: many projects upserted by code in one transaction, all or nothing.

// FindProjectsByCodes returns the projects with these codes, with their tags, keyed by
// code; codes that are not found are left out.
func (s *Store) FindProjectsByCodes(ctx context.Context, codes []string) (map[string]*domain.Project, error) {
	out := map[string]*domain.Project{}
	err := s.inRead(ctx, func(tx *Tx) error {
		for chunk := range slices.Chunk(codes, importChunk) {
			byID := map[int64]*domain.Project{}
			marks, args := inList(chunk)
			err := tx.queryEach(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.code IN (`+marks+`)`, args, func(rows *sql.Rows) error {
				p, err := scanProject(rows)
				if err == nil {
					out[p.Code], byID[p.ID] = p, p
				}
				return err
			})
			if err == nil {
				err = tx.loadProjectTags(ctx, byID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find projects by code: %w", err)
	}
	return out, nil
}

// ImportProjects upserts projects by code in one transaction: a project whose code
// exists has its record fields replaced (its stage, stage dates, funds in place and
// notes are kept: an import changes the record, not the lifecycle); any other is
// created, with the next generated code when its code is empty, at 签约 when it has a
// signing date (not in the future) and at 线索 otherwise. A project with a Version
// other than 0 must still be at that version. Every change is audited. Any failure
// changes nothing; its message names the project.
func (s *Store) ImportProjects(ctx context.Context, actor domain.Actor, list []*domain.Project) (created, updated int, err error) {
	err = s.inWrite(ctx, func(tx *Tx) error {
		created, updated = 0, 0
		today := tx.now.In(chinaTime).Format(time.DateOnly)
		units := map[int64]*domain.Unit{}
		explicit := map[string]bool{}
		for _, p := range list {
			if c := strings.TrimSpace(p.Code); c != "" {
				explicit[c] = true
			}
		}
		gen := &codeGen{explicit: explicit}
		ids, err := tx.projectIDsByCode(ctx, slices.Collect(maps.Keys(explicit)))
		if err != nil {
			return err
		}
		st, err := tx.prepareImport(ctx)
		if err != nil {
			return err
		}
		defer st.close()
		if st.audit, err = tx.newAuditBatch(ctx, true); err != nil {
			return err
		}
		for i, p := range list {
			isNew, err := tx.importProject(ctx, actor, p, today, units, gen, ids, st)
			if err != nil {
				return importFailure(i, p, err)
			}
			if isNew {
				created++
			} else {
				updated++
			}
		}
		return st.audit.flush(ctx, tx)
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// loadProjectTags fills in the tags of the projects by id (at most importChunk).
func (tx *Tx) loadProjectTags(ctx context.Context, byID map[int64]*domain.Project) error {
	if len(byID) == 0 {
		return nil
	}
	marks, args := inList(slices.Collect(maps.Keys(byID)))
	return tx.queryEach(ctx, `SELECT project_id, tag FROM project_tags WHERE project_id IN (`+marks+`) ORDER BY project_id, tag`, args,
		func(rows *sql.Rows) error {
			var id int64
			var tag string
			if err := rows.Scan(&id, &tag); err != nil {
				return err
			}
			byID[id].Tags = append(byID[id].Tags, tag)
			return nil
		})
}

// FindProjectsOfUnits returns the projects of these units with their tags, by code, at
// most limit of them: what the prefilled import template holds.
func (s *Store) FindProjectsOfUnits(ctx context.Context, unitIDs []int64, limit int) ([]*domain.Project, error) {
	var out []*domain.Project
	if len(unitIDs) == 0 {
		return out, nil
	}
	err := s.inRead(ctx, func(tx *Tx) error {
		marks, args := inList(unitIDs)
		rows, err := tx.query(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.unit_id IN (`+marks+`)
			ORDER BY p.code LIMIT ?`, append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProject(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for start := 0; start < len(out); start += importChunk {
			byID := map[int64]*domain.Project{}
			for _, p := range out[start:min(start+importChunk, len(out))] {
				byID[p.ID] = p
			}
			if err := tx.loadProjectTags(ctx, byID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find projects of units: %w", err)
	}
	return out, nil
}

// importFailure names the project a failure belongs to.
func importFailure(i int, p *domain.Project, err error) error {
	who := p.Code
	if who == "" {
		who = p.Name
	}
	return namedImportFailure(fmt.Sprintf("第%d个项目（%s）", i+1, who), err)
}

// namedImportFailure prefixes an invalid or conflicting import record's problems with
// who names it; other errors pass unchanged.
func namedImportFailure(who string, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EINVALID && code != domain.ECONFLICT {
		return err
	}
	msg := domain.ErrorMessage(err)
	if fields := domain.ErrorFields(err); len(fields) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			parts = append(parts, fields[k])
		}
		msg = strings.Join(parts, " ")
	}
	return &domain.Error{Code: code, Message: who + "：" + msg}
}

// codeGen hands out generated codes (see nextProjectNumber), skipping those the import
// names itself.
type codeGen struct {
	prefix   string
	n        int
	explicit map[string]bool
}

func (g *codeGen) next(ctx context.Context, tx *Tx) (string, error) {
	if g.prefix == "" {
		var err error
		if g.prefix, g.n, err = tx.nextProjectNumber(ctx); err != nil {
			return "", err
		}
	} else {
		g.n++
	}
	for g.explicit[projectCode(g.prefix, g.n)] {
		g.n++
	}
	return projectCode(g.prefix, g.n), nil
}

// projectIDsByCode finds which of the codes exist, in chunks.
func (tx *Tx) projectIDsByCode(ctx context.Context, codes []string) (map[string]int64, error) {
	out := map[string]int64{}
	for chunk := range slices.Chunk(codes, importChunk) {
		marks, args := inList(chunk)
		err := tx.queryEach(ctx, `SELECT code, id FROM projects WHERE code IN (`+marks+`)`, args, func(rows *sql.Rows) error {
			var code string
			var id int64
			if err := rows.Scan(&code, &id); err != nil {
				return err
			}
			out[code] = id
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("import project codes: %w", err)
		}
	}
	return out, nil
}

// importStmts are the statements an import runs once per project, prepared once.
type importStmts struct {
	insert, tag, history *sql.Stmt
	audit                *auditBatch
	tags                 []domain.ProjectTag // the tag list, read once
}

func (tx *Tx) prepareImport(ctx context.Context) (*importStmts, error) {
	st := &importStmts{}
	var err error
	if st.tags, err = tx.projectTags(ctx); err != nil {
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	if st.insert, err = tx.tx.PrepareContext(ctx, tx.rebind(insertProjectSQL)); err != nil {
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	if st.tag, err = tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO project_tags (project_id, tag) VALUES (?, ?)`)); err != nil {
		st.close()
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	if st.history, err = tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO project_stage_history
		(project_id, from_stage, to_stage, on_date, reason, actor_name, at) VALUES (?, '', ?, ?, '', ?, ?)`)); err != nil {
		st.close()
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	return st, nil
}

func (st *importStmts) close() {
	stmts := []*sql.Stmt{st.insert, st.tag, st.history}
	if st.audit != nil {
		stmts = append(stmts, st.audit.insert)
	}
	for _, s := range stmts {
		if s != nil {
			s.Close()
		}
	}
}

func (tx *Tx) importProject(ctx context.Context, actor domain.Actor, p *domain.Project, today string,
	units map[int64]*domain.Unit, gen *codeGen, ids map[string]int64, st *importStmts) (isNew bool, err error) {
	p.Code = strings.TrimSpace(p.Code)
	id, ok := ids[p.Code]
	if p.Code == "" || !ok {
		if err := tx.importCreate(ctx, actor, p, today, units, gen, st); err != nil {
			return true, err
		}
		ids[p.Code] = p.ID
		return true, nil
	}
	before, err := tx.findProject(ctx, id)
	if err != nil {
		return false, err
	}
	return false, tx.importUpdate(ctx, actor, p, before, units, st)
}

// importRefs checks the unit and park exist, from a cache of the transaction's units.
func (tx *Tx) importRefs(ctx context.Context, p *domain.Project, units map[int64]*domain.Unit) error {
	get := func(id int64) (*domain.Unit, error) {
		if u, ok := units[id]; ok {
			return u, nil
		}
		u, err := tx.findUnit(ctx, `id = ?`, id)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
		units[id] = u
		return u, nil
	}
	u, err := get(p.UnitID)
	if err != nil {
		return err
	}
	if u == nil {
		return domain.Errorf(domain.EINVALID, "责任单位不存在。")
	}
	if p.ParkID != 0 {
		park, err := get(p.ParkID)
		if err != nil {
			return err
		}
		if park == nil || park.Kind != domain.UnitPark {
			return domain.Errorf(domain.EINVALID, "所选园区不存在。")
		}
	}
	return nil
}

func (tx *Tx) importCreate(ctx context.Context, actor domain.Actor, p *domain.Project, today string,
	units map[int64]*domain.Unit, gen *codeGen, st *importStmts) error {
	generate := p.Code == ""
	if generate {
		p.Code = "XM" // placeholder so that Validate checks the rest
	}
	// A new project's lifecycle starts at signing when it has a date, else as a lead.
	signed := p.SignedOn
	for _, st := range domain.ProjectStages {
		if d := p.StageDate(st); d != nil {
			*d = ""
		}
	}
	p.SignedOn, p.Stage, p.TerminatedReason, p.FundsInPlace, p.LastNoteOn = signed, "lead", "", 0, ""
	if signed != "" {
		p.Stage = "signed"
	}
	err := p.Validate()
	if generate {
		p.Code = ""
	}
	if err != nil {
		return err
	}
	if p.SignedOn > today {
		return domain.Errorf(domain.EINVALID, "签约日期 %s 晚于今天（%s），不能登记未来的日期。", p.SignedOn, today)
	}
	if generate {
		code, err := gen.next(ctx, tx)
		if err != nil {
			return err
		}
		p.Code = code
	}
	if err := tx.importRefs(ctx, p, units); err != nil {
		return err
	}
	p.ID = 0
	p.Tags = slices.Compact(slices.Sorted(slices.Values(p.Tags)))
	if err := domain.CheckProjectTags(p.Tags, st.tags, nil); err != nil {
		return err
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	if err := st.insert.QueryRowContext(ctx, projectInsertArgs(p, tx.now)...).Scan(&p.ID); err != nil {
		return fmt.Errorf("import project: %w", err)
	}
	for _, tag := range p.Tags {
		if _, err := st.tag.ExecContext(ctx, p.ID, tag); err != nil {
			return fmt.Errorf("project tags: %w", err)
		}
	}
	on := today
	if p.SignedOn != "" {
		on = p.SignedOn
	}
	if _, err := st.history.ExecContext(ctx, p.ID, p.Stage, on, actor.Name(), tx.now); err != nil {
		return fmt.Errorf("stage history: %w", err)
	}
	return st.audit.add(ctx, tx, actor, "project.create", "project", p.ID, nil, auditOfProject(p), "导入")
}

func (tx *Tx) importUpdate(ctx context.Context, actor domain.Actor, p, before *domain.Project, units map[int64]*domain.Unit, st *importStmts) error {
	if p.Version != 0 && p.Version != before.Version {
		return domain.ErrConflict("项目")
	}
	after := *p
	after.ID = before.ID
	after.Stage, after.FundsInPlace, after.LastNoteOn = before.Stage, before.FundsInPlace, before.LastNoteOn
	for _, st := range domain.ProjectStages {
		if d := after.StageDate(st); d != nil {
			*d = *before.StageDate(st)
		}
	}
	after.TerminatedReason = before.TerminatedReason
	if err := after.Validate(); err != nil {
		return err
	}
	after.Tags = slices.Compact(slices.Sorted(slices.Values(after.Tags)))
	if err := domain.CheckProjectTags(after.Tags, st.tags, before.Tags); err != nil {
		return err
	}
	if err := tx.importRefs(ctx, &after, units); err != nil {
		return err
	}
	after.Version, after.CreatedAt, after.UpdatedAt = before.Version+1, before.CreatedAt, tx.now
	res, err := tx.exec(ctx, updateProjectSQL, projectUpdateArgs(&after, before.Version)...)
	if err := expectOneRow(res, err, "项目"); err != nil {
		return err
	}
	if !slices.Equal(after.Tags, before.Tags) {
		if err := tx.writeProjectTags(ctx, after.ID, after.Tags); err != nil {
			return err
		}
	}
	*p = after
	return st.audit.add(ctx, tx, actor, "project.update", "project", p.ID, auditOfProject(before), auditOfProject(p), "导入")
}
