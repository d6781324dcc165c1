package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store/storetest"
)

// The store suite runs on SQLite always, and on PostgreSQL too when BEIZENG_TEST_POSTGRES
// names a database.

func forEachDB(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) { fn(t, openMigrated(t, dsn)) })
}

// OpenTestSQLite opens a migrated SQLite store in a temporary directory.
func OpenTestSQLite(t testing.TB) *Store {
	t.Helper()
	return openMigrated(t, storetest.SQLiteDSN(t))
}

func openMigrated(t testing.TB, dsn string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

var system = domain.Actor{Via: "test"}

func mustUnit(t *testing.T, s *Store, code string, kind domain.UnitKind, parent int64) *domain.Unit {
	t.Helper()
	u := &domain.Unit{Code: code, Name: "单位" + code, Kind: kind, ParentID: parent, Active: true}
	if err := s.CreateUnit(context.Background(), system, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, err := migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %s, postgres %s", i, lite[i].Name, pg[i].Name)
		}
		if i > 0 && lite[i].Version == lite[i-1].Version {
			t.Errorf("two migrations numbered %d", lite[i].Version)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
		cur, latest, err := s.SchemaStatus(ctx)
		if err != nil || cur != latest || latest == 0 {
			t.Fatalf("schema status %d/%d %v", cur, latest, err)
		}
	})
}

func TestRebind(t *testing.T) {
	got := rebind(`SELECT '?' FROM t WHERE a = ? AND b LIKE ? ESCAPE '\'`)
	want := `SELECT '?' FROM t WHERE a = $1 AND b LIKE $2 ESCAPE '\'`
	if got != want {
		t.Fatalf("rebind = %s", got)
	}
}

func TestUnitLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		county := mustUnit(t, s, "360202", domain.UnitCounty, city.ID)

		got, err := s.FindUnitByCode(ctx, "360202")
		if err != nil || got.ID != county.ID || got.ParentID != city.ID || got.Version != 1 {
			t.Fatalf("find by code: %+v %v", got, err)
		}

		dup := &domain.Unit{Code: "360202", Name: "重复", Kind: domain.UnitCounty}
		if err := s.CreateUnit(ctx, system, dup); domain.ErrorFields(err)["code"] == "" {
			t.Fatalf("duplicate code accepted: %v", err)
		}

		// A unit cannot move under its own descendant.
		city.ParentID = county.ID
		if err := s.UpdateUnit(ctx, system, city); domain.ErrorFields(err)["parent_id"] == "" {
			t.Fatalf("cycle accepted: %v", err)
		}

		county.Name, county.Assessed = "昌江区", true
		if err := s.UpdateUnit(ctx, system, county); err != nil {
			t.Fatal(err)
		}
		if county.Version != 2 {
			t.Fatalf("version after update = %d", county.Version)
		}

		stale := *county
		stale.Version = 1
		if err := s.UpdateUnit(ctx, system, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}
		if _, err := s.UpdateUnitContact(ctx, system, county.ID, domain.UnitContact{ContactPerson: "李四", Version: 1}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale contact update: %v", err)
		}
		after, err := s.UpdateUnitContact(ctx, system, county.ID, domain.UnitContact{ContactPerson: "李四", ContactPhone: "0798-8888888", Version: 2})
		if err != nil || after.Version != 3 || after.Name != "昌江区" {
			t.Fatalf("contact update: %+v %v", after, err)
		}

		units, total, err := s.FindUnits(ctx, domain.UnitFilter{Query: "昌江"})
		if err != nil || total != 1 || len(units) != 1 || units[0].ContactPerson != "李四" {
			t.Fatalf("find units: %v %d %v", units, total, err)
		}
		if _, err := s.FindUnitByID(ctx, 9999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("missing unit: %v", err)
		}
		// 2 creates, 1 update, 1 contact change; the refused writes left nothing.
		events, total, err := s.FindAuditEvents(ctx, domain.AuditFilter{Entity: "unit"})
		if err != nil || total != 4 || events[0].Action != "unit.contact" {
			t.Fatalf("audit: %d events, %v", total, err)
		}
	})
}

func TestUserLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		u := &domain.User{Username: "Zhang", DisplayName: "张三", UnitID: city.ID,
			Roles: []domain.Role{domain.RoleReporter, domain.RoleLeader}, MustChangePassword: true}
		if err := s.CreateUser(ctx, system, u, "hash1"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, system, &domain.User{Username: "zhang", DisplayName: "x", UnitID: city.ID, Roles: []domain.Role{domain.RoleLeader}}, "h"); domain.ErrorFields(err)["username"] == "" {
			t.Fatalf("duplicate username accepted: %v", err)
		}
		got, err := s.FindUserByUsername(ctx, "ZHANG ")
		if err != nil || got.ID != u.ID || len(got.Roles) != 2 || got.UnitName != "单位360200" || !got.MustChangePassword {
			t.Fatalf("find user: %+v %v", got, err)
		}

		sess := &Session{IDHash: "s1", UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := s.CreateSession(ctx, sess, "127.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		if _, who, err := s.FindSession(ctx, "s1", 30*time.Minute); err != nil || who.ID != u.ID {
			t.Fatalf("find session: %v", err)
		}

		got.Roles = []domain.Role{domain.RoleLeader}
		if err := s.UpdateUser(ctx, system, got); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.FindSession(ctx, "s1", 30*time.Minute); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Fatalf("changed roles must end sessions: %v", err)
		}
		got.Version = 1
		if err := s.UpdateUser(ctx, system, got); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale user update: %v", err)
		}

		// Lockout after the configured number of attempts; then attempts are refused.
		for i := 1; i <= 4; i++ {
			allowed, until, err := s.ReserveLoginAttempt(ctx, system, u.ID, 3, 15*time.Minute)
			if err != nil || allowed != (i <= 3) || until.IsZero() != (i < 3) {
				t.Fatalf("attempt %d: allowed=%v locked until %v, %v", i, allowed, until, err)
			}
		}
		got, _ = s.FindUserByID(ctx, u.ID)
		if got.LockedUntil.IsZero() {
			t.Fatal("account not locked")
		}
		if err := s.SetPassword(ctx, system, u.ID, "hash2", false, ""); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindUserByID(ctx, u.ID)
		if h, _ := s.PasswordHash(ctx, u.ID); h != "hash2" || !got.LockedUntil.IsZero() || got.MustChangePassword {
			t.Fatalf("after password change: %+v", got)
		}
		if err := s.SetUserDisabled(ctx, system, u.ID, true); err != nil {
			t.Fatal(err)
		}
		users, total, err := s.FindUsers(ctx, domain.UserFilter{Role: domain.RoleLeader})
		if err != nil || total != 1 || !users[0].Disabled {
			t.Fatalf("find users: %v %d %v", users, total, err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		u := &domain.User{Username: "li", DisplayName: "李", UnitID: city.ID, Roles: []domain.Role{domain.RoleLeader}}
		if err := s.CreateUser(ctx, system, u, "h"); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		if err := s.CreateSession(ctx, &Session{IDHash: "a", UserID: u.ID, ExpiresAt: now.Add(8 * time.Hour)}, "", ""); err != nil {
			t.Fatal(err)
		}
		now = now.Add(29 * time.Minute)
		if _, _, err := s.FindSession(ctx, "a", 30*time.Minute); err != nil {
			t.Fatalf("within idle limit: %v", err)
		}
		if err := s.TouchSession(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(29 * time.Minute)
		if _, _, err := s.FindSession(ctx, "a", 30*time.Minute); err != nil {
			t.Fatalf("touched session expired: %v", err)
		}
		now = now.Add(31 * time.Minute)
		if _, _, err := s.FindSession(ctx, "a", 30*time.Minute); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Fatalf("idle session still valid: %v", err)
		}
		// Absolute lifetime holds even for an active session.
		if err := s.CreateSession(ctx, &Session{IDHash: "b", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}, "", ""); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			now = now.Add(25 * time.Minute)
			s.TouchSession(ctx, "b")
		}
		if _, _, err := s.FindSession(ctx, "b", 30*time.Minute); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Fatalf("session past lifetime still valid: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		u := &domain.User{Username: "api", DisplayName: "接口", UnitID: city.ID, Roles: []domain.Role{domain.RoleCoordinator}}
		if err := s.CreateUser(ctx, system, u, "h"); err != nil {
			t.Fatal(err)
		}
		tok := &domain.APIToken{UserID: u.ID, Name: "对接", Prefix: "bz_abc"}
		if err := s.CreateToken(ctx, system, tok, "tokenhash"); err != nil {
			t.Fatal(err)
		}
		who, err := s.FindUserByToken(ctx, "tokenhash")
		if err != nil || who.ID != u.ID {
			t.Fatalf("find by token: %v", err)
		}
		list, err := s.FindTokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].LastUsedAt.IsZero() {
			t.Fatalf("tokens: %+v %v", list, err)
		}
		if err := s.RevokeToken(ctx, system, u.ID+1, tok.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("revoking another's token: %v", err)
		}
		if err := s.RevokeToken(ctx, system, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindUserByToken(ctx, "tokenhash"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Fatalf("revoked token works: %v", err)
		}
	})
}

// TestAuditChainDetectsTampering edits, deletes and reorders events directly in the
// database and expects verification to name the broken event each time.
func TestAuditChainDetectsTampering(t *testing.T) {
	tamper := []struct {
		name string
		sql  string
		seq  int64
	}{
		{"edited", `UPDATE audit_events SET after = '{"Name":"改过"}' WHERE seq = 3`, 3},
		{"deleted", `DELETE FROM audit_events WHERE seq = 2`, 2},
		{"deleted last", `DELETE FROM audit_events WHERE seq = 5`, 5},
		// Swapped through a free key: both databases check the primary key row by row.
		{"reordered", `UPDATE audit_events SET seq = 100 WHERE seq = 2;
			UPDATE audit_events SET seq = 2 WHERE seq = 3;
			UPDATE audit_events SET seq = 3 WHERE seq = 100`, 2},
	}
	for _, tc := range tamper {
		t.Run(tc.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, s *Store) {
				ctx := context.Background()
				for i := range 5 {
					mustUnit(t, s, fmt.Sprintf("U%02d", i), domain.UnitPark, 0)
				}
				n, brk, err := s.VerifyAudit(ctx)
				if err != nil || brk != nil || n != 5 {
					t.Fatalf("intact chain: n=%d brk=%v err=%v", n, brk, err)
				}
				if _, err := s.write.Exec(tc.sql); err != nil {
					t.Fatal(err)
				}
				_, brk, err = s.VerifyAudit(ctx)
				if err != nil || brk == nil || brk.Seq != tc.seq {
					t.Fatalf("tampering not caught at #%d: brk=%+v err=%v", tc.seq, brk, err)
				}
			})
		})
	}
}

func TestBackupSQLite(t *testing.T) {
	s := OpenTestSQLite(t)
	ctx := context.Background()
	mustUnit(t, s, "360200", domain.UnitCity, 0)
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	c, err := Open(ctx, "sqlite:"+out)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, err := c.CountUnits(ctx); err != nil || n != 1 {
		t.Fatalf("backup has %d units, %v", n, err)
	}
	if _, brk, err := c.VerifyAudit(ctx); err != nil || brk != nil {
		t.Fatalf("backup audit chain: %v %v", brk, err)
	}
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		admin := &domain.User{Username: "root", DisplayName: "管理员", UnitID: city.ID, Roles: []domain.Role{domain.RoleAdmin}}
		if err := s.CreateUser(ctx, system, admin, "h"); err != nil {
			t.Fatal(err)
		}
		self := domain.Actor{User: admin, Via: "test"}
		for _, change := range []func(u *domain.User){
			func(u *domain.User) { u.Disabled = true },
			func(u *domain.User) { u.Roles = []domain.Role{domain.RoleLeader} },
		} {
			u, _ := s.FindUserByID(ctx, admin.ID)
			change(u)
			if err := s.UpdateUser(ctx, self, u); domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("self-lockout accepted: %v", err)
			}
		}
		u, _ := s.FindUserByID(ctx, admin.ID)
		u.Roles = []domain.Role{domain.RoleLeader}
		if err := s.UpdateUser(ctx, system, u); err != nil {
			t.Fatalf("another actor may change the roles: %v", err)
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		u := &domain.User{Username: "li", DisplayName: "李", UnitID: city.ID, Roles: []domain.Role{domain.RoleLeader}}
		if err := s.CreateUser(ctx, system, u, "h"); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return now }
		for id, lifetime := range map[string]time.Duration{"idle": 8 * time.Hour, "old": time.Hour, "live": 8 * time.Hour} {
			if err := s.CreateSession(ctx, &Session{IDHash: id, UserID: u.ID, ExpiresAt: now.Add(lifetime)}, "", ""); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(61 * time.Minute)
		s.TouchSession(ctx, "live")
		n, err := s.DeleteExpiredSessions(ctx, 30*time.Minute)
		if err != nil || n != 2 {
			t.Fatalf("deleted %d, %v", n, err)
		}
		if _, _, err := s.FindSession(ctx, "live", 30*time.Minute); err != nil {
			t.Fatalf("live session gone: %v", err)
		}
	})
}

// TestMigrateFillsGaps applies a migration numbered below the newest applied one, as
// happens when two branches land migrations out of order.
func TestMigrateFillsGaps(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// Migration 5 only creates target_phases, which nothing refers to.
		for _, q := range []string{`DELETE FROM schema_migrations WHERE version = 5`, `DROP TABLE target_phases`} {
			if _, err := s.write.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		cur, latest, err := s.SchemaStatus(ctx)
		if err != nil || cur != 4 || latest <= 5 {
			t.Fatalf("status with a gap: %d/%d %v", cur, latest, err)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 1 || applied[0] != "0005_phases.sql" {
			t.Fatalf("migrate applied %v, %v", applied, err)
		}
		if cur, latest, _ := s.SchemaStatus(ctx); cur != latest {
			t.Fatalf("after filling the gap: %d/%d", cur, latest)
		}
	})
}

// TestConcurrentWritesQueue runs writers at once on the same rows in opposite orders and
// racing check-then-insert steps: every one must succeed or get a clear conflict, never
// a deadlock or a duplicate-key error.
func TestConcurrentWritesQueue(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		ind := mustIndicator(t, s, "revenue", "工业营业收入", domain.KindReported)
		var units []*domain.Unit
		for i := range 6 {
			units = append(units, mustUnit(t, s, fmt.Sprintf("C%02d", i), domain.UnitCounty, city.ID))
		}
		errs := make(chan error, 24)
		for w := range 8 {
			go func() {
				changes := make([]TargetChange, 0, len(units))
				for i := range units {
					u := units[i]
					if w%2 == 1 {
						u = units[len(units)-1-i]
					}
					changes = append(changes, TargetChange{UnitID: u.ID, IndicatorID: ind.ID, Base: decp(t, fmt.Sprint(10+w))})
				}
				_, err := s.SaveTargets(ctx, system, 2026, changes, "并发")
				errs <- err
			}()
		}
		for range 8 {
			go func() {
				_, err := s.SaveReportDraft(ctx, system, units[0].ID, 2026, 3, 0, map[int64]domain.Dec{ind.ID: dec(t, "1")})
				errs <- err
			}()
		}
		for range 8 {
			go func() {
				_, err := s.IssueLetter(ctx, system, 2026, units[1].ID, "")
				if domain.ErrorCode(err) == domain.EINVALID {
					err = nil // no targets yet when it ran first
				}
				errs <- err
			}()
		}
		for range 24 {
			err := <-errs
			switch domain.ErrorCode(err) {
			case "":
			case domain.ECONFLICT:
			default:
				t.Errorf("concurrent write failed: %v", err)
			}
		}
		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("audit after %d events: %v %v", n, brk, err)
		}
	})
}

func TestRedactDSN(t *testing.T) {
	for dsn, secret := range map[string]string{
		"postgres://bz:TopSecret1@h/db":                    "TopSecret1",
		"postgres://bz@h/db?password=TopSecret1":           "TopSecret1",
		"postgres://bz:S3cr%t@h/db":                        "S3cr",
		"postgres://bz@h/db?sslmode=disable&password=p4ss": "p4ss",
	} {
		if got := RedactDSN(dsn); strings.Contains(got, secret) {
			t.Errorf("RedactDSN(%q) = %q shows the password", dsn, got)
		}
	}
	if got := RedactDSN("sqlite:./beizeng.db"); got != "sqlite:./beizeng.db" {
		t.Errorf("sqlite DSN changed: %q", got)
	}
	rest, pw := SplitPassword("postgres://bz:a@h/db?password=b&sslmode=disable")
	if pw != "b" || strings.Contains(rest, "a@") || strings.Contains(rest, "password") {
		t.Errorf("SplitPassword: %q %q", rest, pw)
	}
}
