package server

import (
	"context"
	"testing"

	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
)

// forEachDB runs fn once per database as subtests named "sqlite" and "postgres"; the
// PostgreSQL one is skipped when BEIZENG_TEST_POSTGRES is not set.
func forEachDB(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) { fn(t, openTestStore(t, dsn)) })
}

// sqliteStore opens a migrated SQLite store in the test's temporary directory.
func sqliteStore(t testing.TB) *store.Store {
	t.Helper()
	return openTestStore(t, storetest.SQLiteDSN(t))
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
