package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered schema change; both dialects have a file of the same name.
type migration struct {
	Version int
	Name    string
	SQL     string
}

func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and an underscore", name)
		}
		body, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{Version: v, Name: name, SQL: string(body)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.Version - b.Version })
	return ms, nil
}

// SchemaStatus reports the applied and the latest schema version. The applied version is
// the highest one below which nothing is missing, so a database that lacks a migration
// numbered lower than its newest still reads as outdated.
func (s *Store) SchemaStatus(ctx context.Context) (current, latest int, err error) {
	ms, err := migrations(s.dialect)
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		latest = ms[len(ms)-1].Version
	}
	applied, err := s.appliedVersions(ctx)
	if err != nil {
		return 0, latest, err
	}
	for _, m := range ms {
		if !applied[m.Version] {
			break
		}
		current = m.Version
	}
	return current, latest, nil
}

func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	var exists bool
	var q string
	if s.dialect == Postgres {
		q = `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations')`
	} else {
		q = `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')`
	}
	if err := s.read.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	applied := map[int]bool{}
	if !exists {
		return applied, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// Migrate applies every migration not yet applied, each in its own transaction, and
// returns the names applied. Running it concurrently from two instances is safe on
// PostgreSQL (an advisory lock) and on SQLite (the write lock).
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := migrations(s.dialect)
	if err != nil {
		return nil, err
	}
	var names []string
	// Not inWrite: its lock row is what the first migration creates.
	err = s.inTx(ctx, s.write, false, func(tx *Tx) error {
		if s.dialect == Postgres {
			if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(7201)`); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL)`)
		if err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		// Apply every migration not yet applied, not only those above the highest: two
		// branches may land migrations out of numeric order.
		applied := map[int]bool{}
		rows, err := tx.query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range ms {
			if applied[m.Version] {
				continue
			}
			if _, err := tx.exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, tx.now.Format("2006-01-02T15:04:05Z")); err != nil {
				return err
			}
			names = append(names, m.Name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return names, nil
}
