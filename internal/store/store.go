// Package store is beizeng's one store over database/sql. The same hand-written SQL runs
// on SQLite (embedded default) and PostgreSQL; where the dialects differ, both variants sit
// side by side. One public method is one transaction, and every mutation appends its audit
// event inside that transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the SQL flavour of the connected database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the database. On SQLite writes go through a single-connection pool so that
// writers queue in Go instead of failing on the file lock; reads use a wider pool.
type Store struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	path    string // SQLite file, for backup

	// Now returns the current time; tests replace it to control the clock.
	Now func() time.Time
}

// Open connects to the database a DSN names: "sqlite:PATH" or "postgres://…".
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{Now: time.Now}
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("open database: empty SQLite path in DSN %q", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open database: %w", err)
			}
		}
		s.dialect, s.path = SQLite, path
		q := url.Values{}
		// Pages are read through a memory map (up to SQLite's 2 GiB limit) rather than one
		// read call each: on a province's database the calls were a third of the bulletin's
		// time, and SQLite's own page cache is 2 MB per connection.
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "mmap_size(2147483648)"} {
			q.Add("_pragma", p)
		}
		q.Set("_time_format", "sqlite")
		conn := "file:" + path + "?" + q.Encode()
		var err error
		if s.read, err = sql.Open("sqlite", conn); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		q.Set("_txlock", "immediate")
		if s.write, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode()); err != nil {
			s.read.Close()
			return nil, fmt.Errorf("open database: %w", err)
		}
		s.write.SetMaxOpenConns(1)
		// The bulletin reads its sources at once; connections are kept open between
		// requests, as a new one parses the schema and maps the file again.
		s.read.SetMaxOpenConns(8)
		s.read.SetMaxIdleConns(8)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s.dialect = Postgres
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.read, s.write = db, db
	default:
		return nil, fmt.Errorf("open database: DSN must start with sqlite: or postgres:// (got %q)", redactDSN(dsn))
	}
	if err := s.read.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open database %s: %w", redactDSN(dsn), err)
	}
	return s, nil
}

// Close closes the pools.
func (s *Store) Close() error {
	var errs []error
	if s.write != nil && s.write != s.read {
		errs = append(errs, s.write.Close())
	}
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	return errors.Join(errs...)
}

// Dialect reports which database this is.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the read pool, for metrics on its statistics.
func (s *Store) DB() *sql.DB { return s.read }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// redactDSN hides the password of a PostgreSQL DSN, in the user part or the query. A DSN
// that does not parse is not echoed at all: it may hold a password in any shape.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://（无法解析的连接串，已隐藏）"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for _, k := range []string{"password", "passfile", "sslpassword"} {
		if q.Has(k) {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// SplitPassword takes the password out of a PostgreSQL DSN, from the user part or the
// query, so that it can travel in PGPASSWORD instead of a command line.
func SplitPassword(dsn string) (rest, password string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, ""
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			password = pw
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	if q.Has("password") {
		password = q.Get("password")
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String(), password
}

// RedactDSN is redactDSN for the config printer.
func RedactDSN(dsn string) string { return redactDSN(dsn) }

// Tx is a transaction that carries its clock and rebinds "?" placeholders for PostgreSQL.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	now     time.Time
}

// now is truncated to microseconds: PostgreSQL keeps no more, and the audit hash must
// survive a round trip through either database.
func (s *Store) txNow() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// inWrite runs fn in a write transaction, committing when fn returns nil.
//
// On PostgreSQL every write transaction first locks the audit head row, so writers queue
// exactly as they do on SQLite's single connection: reads inside a write then see every
// earlier commit, check-then-insert steps cannot race, and no two writers can deadlock
// on rows taken in different orders. Writes are a small share of the load; reads are not
// serialised.
func (s *Store) inWrite(ctx context.Context, fn func(tx *Tx) error) error {
	if s.dialect != Postgres {
		return s.inTx(ctx, s.write, false, fn)
	}
	return s.inTx(ctx, s.write, false, func(tx *Tx) error {
		var seq int64
		if err := tx.queryRow(ctx, `SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&seq); err != nil {
			return fmt.Errorf("write lock: %w", err)
		}
		return fn(tx)
	})
}

// inRead runs fn in a read-only transaction, so that a page's queries see one snapshot.
func (s *Store) inRead(ctx context.Context, fn func(tx *Tx) error) error {
	return s.inTx(ctx, s.read, true, fn)
}

func (s *Store) inTx(ctx context.Context, db *sql.DB, readOnly bool, fn func(tx *Tx) error) error {
	sqlTx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly && s.dialect == Postgres})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, dialect: s.dialect, now: s.txNow()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (tx *Tx) rebind(query string) string {
	if tx.dialect != Postgres {
		return query
	}
	return rebind(query)
}

// rebind turns "?" into "$1", "$2", … outside string literals.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, inString := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.rebind(query), args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.rebind(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.rebind(query), args...)
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// timeOf reads a nullable timestamp; NULL becomes the zero time.
func timeOf(nt sql.NullTime) time.Time {
	if !nt.Valid {
		return time.Time{}
	}
	return nt.Time.UTC()
}

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// likePattern escapes a user's search text for LIKE … ESCAPE '\'.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// pageLimit bounds a list's page size.
func pageLimit(limit int) int {
	switch {
	case limit <= 0:
		return 50
	case limit > 500:
		return 500
	}
	return limit
}

// DatabaseSize is the data's size on disk in bytes: SQLite's pages, or on PostgreSQL
// the tables of the current schema with their indexes and TOAST (a database may hold
// other schemas).
func (s *Store) DatabaseSize(ctx context.Context) (int64, error) {
	var n int64
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if s.dialect == Postgres {
		q = `SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`
	}
	if err := s.read.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("database size: %w", err)
	}
	return n, nil
}
