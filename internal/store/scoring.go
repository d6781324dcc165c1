package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// FindScoringScheme returns the year's scoring scheme, or a not-found error when the
// year has none yet.
func (s *Store) FindScoringScheme(ctx context.Context, year int) (*domain.ScoringScheme, error) {
	var out *domain.ScoringScheme
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.findScoringScheme(ctx, year)
		return err
	})
	return out, err
}

func (tx *Tx) findScoringScheme(ctx context.Context, year int) (*domain.ScoringScheme, error) {
	sch := &domain.ScoringScheme{Year: year}
	var items string
	err := tx.queryRow(ctx, `SELECT name, total_cap, decimals, items, version FROM scoring_schemes WHERE year = ?`, year).
		Scan(&sch.Name, &sch.TotalCap, &sch.Decimals, &items, &sch.Version)
	if isNoRows(err) {
		return nil, domain.ErrNotFound(fmt.Sprintf("%d年考核方案", year))
	}
	if err != nil {
		return nil, fmt.Errorf("find scoring scheme: %w", err)
	}
	if err := json.Unmarshal([]byte(items), &sch.Items); err != nil {
		return nil, fmt.Errorf("scoring scheme %d items: %w", year, err)
	}
	return sch, nil
}

// SaveScoringScheme validates and stores the year's scheme, audited with the scheme
// before and after. Version 0 creates the year's first scheme; otherwise it must be the
// stored version (else a conflict). On success sch.Version is the new version.
func (s *Store) SaveScoringScheme(ctx context.Context, actor domain.Actor, sch *domain.ScoringScheme) error {
	sch.Normalize()
	return s.inWrite(ctx, func(tx *Tx) error {
		inds, err := tx.findIndicators(ctx, true)
		if err != nil {
			return err
		}
		if err := sch.Validate(inds); err != nil {
			return err
		}
		items, err := json.Marshal(sch.Items)
		if err != nil {
			return err
		}
		before, err := tx.findScoringScheme(ctx, sch.Year)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		switch {
		case before == nil && sch.Version != 0, before != nil && before.Version != sch.Version:
			return domain.ErrConflict("考核方案")
		case before == nil:
			_, err = tx.exec(ctx, `INSERT INTO scoring_schemes (year, name, total_cap, decimals, items, version, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, sch.Year, sch.Name, sch.TotalCap, sch.Decimals, string(items), actor.Name(), tx.now)
			if err != nil {
				return fmt.Errorf("create scoring scheme: %w", err)
			}
		default:
			res, err := tx.exec(ctx, `UPDATE scoring_schemes SET name = ?, total_cap = ?, decimals = ?, items = ?, version = version + 1,
				updated_by = ?, updated_at = ? WHERE year = ? AND version = ?`,
				sch.Name, sch.TotalCap, sch.Decimals, string(items), actor.Name(), tx.now, sch.Year, sch.Version)
			if err := expectOneRow(res, err, "考核方案"); err != nil {
				return err
			}
		}
		sch.Version++
		var b any
		if before != nil {
			b = before
		}
		return tx.audit(ctx, actor, "scoring_scheme.save", "scoring_scheme", int64(sch.Year), b, sch, "")
	})
}

// UnitScores scores the assessed units for a period with the year's stored scheme: each
// unit's total, items, rank and last month's rank, and its rank in every month of the
// year up to the period. Everything comes from approved reports and project records.
func (s *Store) UnitScores(ctx context.Context, year, month int) (domain.Scoreboard, error) {
	if !domain.ValidPeriod(year, month) {
		return domain.Scoreboard{}, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	var board domain.Scoreboard
	err := s.inRead(ctx, func(tx *Tx) error {
		sch, err := tx.findScoringScheme(ctx, year)
		if err != nil {
			return err
		}
		months, err := tx.scoringData(ctx, sch, month)
		if err != nil {
			return err
		}
		board = domain.BuildScoreboard(sch, months)
		return nil
	})
	if err != nil {
		return board, fmt.Errorf("unit scores: %w", err)
	}
	return board, nil
}

// PreviewScores scores a period with a scheme that is not saved: the editor shows what
// a change would do before it is made. The scheme must be valid.
func (s *Store) PreviewScores(ctx context.Context, sch *domain.ScoringScheme, month int) (domain.Scoreboard, error) {
	if !domain.ValidPeriod(sch.Year, month) {
		return domain.Scoreboard{}, domain.Errorf(domain.EINVALID, "期间无效。")
	}
	var board domain.Scoreboard
	err := s.inRead(ctx, func(tx *Tx) error {
		inds, err := tx.findIndicators(ctx, true)
		if err != nil {
			return err
		}
		if err := sch.Validate(inds); err != nil {
			return err
		}
		months, err := tx.scoringData(ctx, sch, month)
		if err != nil {
			return err
		}
		board = domain.BuildScoreboard(sch, months)
		return nil
	})
	if err != nil {
		return board, fmt.Errorf("preview scores: %w", err)
	}
	return board, nil
}

// scoringData reads each month from January to month: the approved and derived figures
// of each, and once the year's frame and the projects (the domain dates them month by
// month) when an item counts projects.
func (tx *Tx) scoringData(ctx context.Context, sch *domain.ScoringScheme, month int) ([]domain.ScoringData, error) {
	var projects []domain.ScoringProject
	rules := domain.DefaultWarningRules
	for _, it := range sch.Items {
		if it.Source == domain.SourceProjectsSigned || it.Source == domain.SourceProjects5020 || it.Source == domain.SourceProjectsLate {
			var err error
			if projects, err = tx.scoringProjects(ctx, domain.PeriodEnd(sch.Year, month)); err != nil {
				return nil, err
			}
			if err = tx.jsonSetting(ctx, SettingWarningRules, &rules); err != nil {
				return nil, err
			}
			break
		}
	}
	// The catalogue, units and targets are the year's: read once, shared by every month.
	frame := domain.ProgressInput{Year: sch.Year, Month: month}
	if err := tx.progressFrame(ctx, &frame); err != nil {
		return nil, err
	}
	frame.Phased = nil // scores compare with targets, not with time progress
	out := make([]domain.ScoringData, 0, month)
	for m := 1; m <= month; m++ {
		in := frame
		in.Month, in.Actual, in.LastYear = m, map[domain.CellKey]domain.Dec{}, map[domain.CellKey]domain.Dec{}
		if err := tx.progressFigures(ctx, &in, false); err != nil {
			return nil, err
		}
		out = append(out, domain.ScoringData{Progress: in, Projects: projects, Warnings: rules})
	}
	return out, nil
}

// scoringProjects reads what the project sources look at of the projects that can count
// in the year up to end: signed or certified by then, and not already started or ended
// before the year began (those can be neither signed in the year nor late in it).
func (tx *Tx) scoringProjects(ctx context.Context, end time.Time) ([]domain.ScoringProject, error) {
	from, to := fmt.Sprintf("%04d-01-01", end.Year()), end.Format(time.DateOnly)
	rows, err := tx.query(ctx, `SELECT unit_id, contract_investment, cert_5020, COALESCE(cert_5020_on, ''), stage,
			COALESCE(signed_on, ''), COALESCE(started_on, ''), COALESCE(in_production_on, ''), COALESCE(terminated_on, '')
		FROM projects
		WHERE (signed_on <= ? AND (signed_on >= ? OR ((started_on IS NULL OR started_on >= ?) AND (terminated_on IS NULL OR terminated_on >= ?))))
			OR (cert_5020 = 'certified' AND cert_5020_on BETWEEN ? AND ?)`, to, from, from, from, from, to)
	if err != nil {
		return nil, fmt.Errorf("scoring projects: %w", err)
	}
	defer rows.Close()
	var out []domain.ScoringProject
	for rows.Next() {
		var p domain.ScoringProject
		f := &p.Facts
		if err := rows.Scan(&p.UnitID, &p.ContractInvestment, &p.Cert5020, &p.Cert5020On, &f.Stage, &f.SignedOn,
			&f.StartedOn, &f.InProductionOn, &f.TerminatedOn); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
