package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"beizeng/internal/domain"
)

// SettingRules5020 holds the 5020 candidate thresholds per city class and the city's
// class, as JSON. SettingThresholds5020 is the single set of thresholds kept before
// classes existed; it is read only when the rules were never saved.
const (
	SettingRules5020      = "project_5020_rules"
	SettingThresholds5020 = "project_5020_thresholds"
)

// Rules5020 returns the stored 5020 candidate rules, or the defaults. Thresholds saved
// before city classes existed become the chosen class "原设置", unconfirmed.
func (s *Store) Rules5020(ctx context.Context) (domain.Rules5020, error) {
	r := domain.DefaultRules5020
	r.Classes = slices.Clone(r.Classes)
	text, err := s.Setting(ctx, SettingRules5020)
	if err != nil {
		return r, err
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &r); err != nil {
			return domain.DefaultRules5020, fmt.Errorf("read setting %s: %w", SettingRules5020, err)
		}
		return r, nil
	}
	old := domain.Thresholds5020{}
	if err := s.jsonSetting(ctx, SettingThresholds5020, &old); err != nil || old.DomesticYuan == 0 {
		return r, err
	}
	r.Classes = append(r.Classes, domain.CityClass5020{Key: "custom", Name: "原设置", DomesticYuan: old.DomesticYuan, ForeignUSD: old.ForeignUSD})
	r.CityClass, r.USDRate = "custom", old.USDRate
	return r, nil
}

// Thresholds5020 returns the thresholds of the city's class.
func (s *Store) Thresholds5020(ctx context.Context) (domain.Thresholds5020, error) {
	r, err := s.Rules5020(ctx)
	return r.Thresholds(), err
}

// Warning filter values besides a warning code.
const (
	WarningFilterAny = "any"
	WarningFilterRed = "red"
)

// WarningProjectIDs lists the projects (of one unit when unitID > 0) that have, on the
// given day, any active warning (filter "any"), a red one ("red") or the warning with
// that code. Any and red are the database's to find (warningLevelSQL); one warning's code
// is found among the warned by the domain's rules.
func (s *Store) WarningProjectIDs(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules, filter string) ([]int64, error) {
	ids := []int64{}
	if filter != WarningFilterAny && filter != WarningFilterRed {
		rows, err := s.ProjectWarnings(ctx, unitID, today, rules)
		for _, r := range rows {
			if slices.ContainsFunc(r.Warnings, func(w domain.Warning) bool { return w.Code == filter }) {
				ids = append(ids, r.ProjectID)
			}
		}
		return ids, err
	}
	w := warningLevelSQL(today, rules)
	where := w.of(w.warned, unitID)
	if filter == WarningFilterRed {
		where = w.of(w.red, unitID)
	}
	err := s.inRead(ctx, func(tx *Tx) error {
		return tx.queryEach(ctx, `SELECT p.id FROM projects p WHERE `+where.sql, where.args, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("warned projects: %w", err)
	}
	return ids, nil
}

// SetProjectAnalysisSettings validates and stores the warning rules, the quality scheme,
// the 履约 definition and the 5020 candidate rules in one transaction, audited.
func (s *Store) SetProjectAnalysisSettings(ctx context.Context, actor domain.Actor, w domain.WarningRules, q domain.QualityScheme, p domain.PerformanceRule, t domain.Rules5020) error {
	if err := errors.Join(w.Validate(), q.Validate(), p.Validate(), t.Validate()); err != nil {
		return firstDomainError(err)
	}
	values := map[string]string{}
	for key, v := range map[string]any{SettingWarningRules: w, SettingQualityScheme: q, SettingPerformanceRule: p, SettingRules5020: t} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		values[key] = string(b)
	}
	return s.SetSettings(ctx, actor, values)
}
