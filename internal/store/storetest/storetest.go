// Package storetest hands tests fresh, empty databases: a SQLite file in the test's
// temporary directory, and — when BEIZENG_TEST_POSTGRES names a PostgreSQL database —
// a schema of its own there, dropped when the test ends. It returns DSNs rather than
// stores so that the store package's own tests can use it too.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// PostgresEnv names the variable holding the PostgreSQL test database's DSN.
const PostgresEnv = "BEIZENG_TEST_POSTGRES"

// SQLiteDSN is a new SQLite database in the test's temporary directory.
func SQLiteDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// PostgresDSN creates an empty schema for the test and returns a DSN whose search path
// is that schema, or "" when no PostgreSQL test database is configured.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		return ""
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
	// Registered before the caller's store cleanup, so it runs after the store closes.
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
	return dsn + sep + "search_path=" + schema
}

// ForEachDSN runs fn as subtests "sqlite" and "postgres"; the second is skipped, saying
// so, when no PostgreSQL test database is configured.
func ForEachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := PostgresDSN(t)
		if dsn == "" {
			t.Skip(PostgresEnv + " not set: PostgreSQL run skipped")
		}
		fn(t, dsn)
	})
}
