package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"beizeng/internal/domain"
)

// SettingThresholds5020 holds the 5020 candidate thresholds, as JSON.
const SettingThresholds5020 = "project_5020_thresholds"

// Thresholds5020 returns the stored 5020 candidate thresholds, or the defaults.
func (s *Store) Thresholds5020(ctx context.Context) (domain.Thresholds5020, error) {
	t := domain.DefaultThresholds5020
	if err := s.jsonSetting(ctx, SettingThresholds5020, &t); err != nil {
		return domain.DefaultThresholds5020, err
	}
	return t, nil
}

// Thresholds5020Setting validates thresholds and returns them as a setting value for
// SetSettings.
func Thresholds5020Setting(t domain.Thresholds5020) (string, error) {
	if err := t.Validate(); err != nil {
		return "", err
	}
	b, err := json.Marshal(t)
	return string(b), err
}

// Warning filter values besides a warning code.
const (
	WarningFilterAny = "any"
	WarningFilterRed = "red"
)

// WarningProjectIDs lists the projects (of one unit when unitID > 0) that have, on the
// given day, any active warning (filter "any"), a red one ("red") or the warning with
// that code. It narrows with the same SQL as the warnings page and evaluates the rules
// in Go.
func (s *Store) WarningProjectIDs(ctx context.Context, unitID int64, today time.Time, rules domain.WarningRules, filter string) ([]int64, error) {
	rows, err := s.ProjectWarnings(ctx, unitID, today, rules)
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, r := range rows {
		keep := false
		switch filter {
		case WarningFilterAny:
			keep = true
		case WarningFilterRed:
			keep = r.Level == domain.WarningRed
		default:
			for _, w := range r.Warnings {
				keep = keep || w.Code == filter
			}
		}
		if keep {
			ids = append(ids, r.ProjectID)
		}
	}
	return ids, nil
}

// SetProjectAnalysisSettings validates and stores the warning rules, the quality scheme,
// the 履约 definition and the 5020 candidate thresholds in one transaction, audited.
func (s *Store) SetProjectAnalysisSettings(ctx context.Context, actor domain.Actor, w domain.WarningRules, q domain.QualityScheme, p domain.PerformanceRule, t domain.Thresholds5020) error {
	if err := errors.Join(w.Validate(), q.Validate(), p.Validate(), t.Validate()); err != nil {
		return firstDomainError(err)
	}
	values := map[string]string{}
	for key, v := range map[string]any{SettingWarningRules: w, SettingQualityScheme: q, SettingPerformanceRule: p, SettingThresholds5020: t} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		values[key] = string(b)
	}
	return s.SetSettings(ctx, actor, values)
}
