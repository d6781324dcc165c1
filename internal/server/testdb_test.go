package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"beizeng/internal/store"
)

// The server's HTTP tests run on SQLite always and on PostgreSQL too when
// BEIZENG_TEST_POSTGRES names a database (e.g. postgres://user:pass@localhost/beizeng_test):
// each test gets a schema of its own there, dropped when the test ends. The store
// package has the same helpers, but test files cannot be imported across packages.

// forEachDB runs fn once per database as subtests named "sqlite" and "postgres"; the
// PostgreSQL one is skipped when BEIZENG_TEST_POSTGRES is not set.
func forEachDB(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openTestSQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		st := openTestPostgres(t)
		if st == nil {
			t.Skip("BEIZENG_TEST_POSTGRES not set: PostgreSQL tests skipped")
		}
		fn(t, st)
	})
}

// openTestSQLite opens a migrated SQLite store in the test's temporary directory.
func openTestSQLite(t testing.TB) *store.Store {
	t.Helper()
	return openTestStore(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// openTestPostgres opens a migrated store in a fresh schema of the database named by
// BEIZENG_TEST_POSTGRES, or returns nil when it is not set.
func openTestPostgres(t testing.TB) *store.Store {
	t.Helper()
	dsn := os.Getenv("BEIZENG_TEST_POSTGRES")
	if dsn == "" {
		return nil
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	// Registered before the store's own cleanup, so it runs after the store is closed.
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Logf("drop test schema %s: %v", schema, err)
		}
		admin.Close()
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return openTestStore(t, dsn+sep+"search_path="+schema)
}

// openTestStore opens and migrates the store a DSN names, closing it when the test ends.
func openTestStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}
