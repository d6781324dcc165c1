package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"beizeng/internal/domain"
)

// SettingDemo is set when the database holds the generated, fictional demo city.
const SettingDemo = "demo"

// SettingSynthetic describes the synthetic dataset a database was generated with
// (internal/synth), set last, so that a half-generated database can be told apart.
const SettingSynthetic = "synthetic_dataset"

// Setting returns a setting's value, or "" when it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.inRead(ctx, func(tx *Tx) (err error) {
		v, err = tx.storedSetting(ctx, key)
		return err
	})
	return v, err
}

// storedSetting is a setting's stored text inside the caller's transaction, "" when it
// is not set: the one reader of the settings table.
func (tx *Tx) storedSetting(ctx context.Context, key string) (string, error) {
	var text string
	err := tx.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&text)
	if isNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return text, nil
}

// SetSetting stores a setting, audited.
func (s *Store) SetSetting(ctx context.Context, actor domain.Actor, key, value string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		return tx.setSetting(ctx, actor, key, value)
	})
}

// setSetting stores a setting; its audit event carries the value it replaced (none for a
// setting set the first time).
func (tx *Tx) setSetting(ctx context.Context, actor domain.Actor, key, value string) error {
	old, err := tx.storedSetting(ctx, key)
	if err != nil {
		return err
	}
	var before any
	if old != "" {
		before = map[string]string{key: old}
	}
	if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return tx.audit(ctx, actor, "setting.set", "setting", 0, before, map[string]string{key: value}, "")
}

// SetSettings stores several settings in one transaction, each audited.
func (s *Store) SetSettings(ctx context.Context, actor domain.Actor, values map[string]string) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		for _, k := range slices.Sorted(maps.Keys(values)) {
			if err := tx.setSetting(ctx, actor, k, values[k]); err != nil {
				return err
			}
		}
		return nil
	})
}
