package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store/storetest"
)

// Benchmarks run on SQLite and, when BEIZENG_TEST_POSTGRES is set, on PostgreSQL:
//
//	go test -run '^$' -bench . -benchmem ./internal/store/

func benchEachDB(b *testing.B, fn func(b *testing.B, s *Store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, openMigrated(b, storetest.SQLiteDSN(b))) })
	b.Run("postgres", func(b *testing.B) {
		dsn := storetest.PostgresDSN(b)
		if dsn == "" {
			b.Skip(storetest.PostgresEnv + " not set")
		}
		fn(b, openMigrated(b, dsn))
	})
}

// seedAudit appends n audited unit changes.
func seedAudit(b *testing.B, s *Store, n int) *domain.Unit {
	b.Helper()
	ctx := context.Background()
	u := &domain.Unit{Code: "B0", Name: "基准单位", Kind: domain.UnitPark, Active: true}
	if err := s.CreateUnit(ctx, system, u); err != nil {
		b.Fatal(err)
	}
	for i := 1; i < n; i++ {
		if _, err := s.UpdateUnitContact(ctx, system, u.ID, domain.UnitContact{ContactPerson: fmt.Sprint("联系人", i), Version: u.Version}); err != nil {
			b.Fatal(err)
		}
		u.Version++
	}
	return u
}

// BenchmarkAuditedUpdate is one optimistic-concurrency update with its audit event:
// the shape of every write in the system.
func BenchmarkAuditedUpdate(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		u := seedAudit(b, s, 1)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := s.UpdateUnitContact(ctx, system, u.ID, domain.UnitContact{ContactPerson: fmt.Sprint(i), Version: u.Version}); err != nil {
				b.Fatal(err)
			}
			u.Version++
		}
	})
}

// BenchmarkAuditPage is the auditor's filtered first page over 20,000 events.
func BenchmarkAuditPage(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		seedAudit(b, s, 20_000)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			events, total, err := s.FindAuditEvents(ctx, domain.AuditFilter{Entity: "unit", Action: "unit.contact", Limit: 50,
				From: time.Now().AddDate(0, 0, -1)})
			if err != nil || len(events) != 50 || total != AuditCountCap+1 {
				b.Fatalf("%d events of %d: %v", len(events), total, err)
			}
		}
	})
}

// BenchmarkVerifyAudit walks a 20,000-event chain.
func BenchmarkVerifyAudit(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		seedAudit(b, s, 20_000)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n != 20_000 {
				b.Fatalf("verify: %d %v %v", n, brk, err)
			}
		}
	})
}

// BenchmarkSessionLookup is the work every signed-in request does before its handler.
func BenchmarkSessionLookup(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		ctx := context.Background()
		u := seedAudit(b, s, 1)
		user := &domain.User{Username: "bench", DisplayName: "基准", UnitID: u.ID, Roles: []domain.Role{domain.RoleLeader}}
		if err := s.CreateUser(ctx, system, user, "h"); err != nil {
			b.Fatal(err)
		}
		if err := s.CreateSession(ctx, &Session{IDHash: "bench", UserID: user.ID, ExpiresAt: time.Now().Add(time.Hour)}, "", ""); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := s.FindSession(ctx, "bench", time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
}
