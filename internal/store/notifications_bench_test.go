package store

import (
	"context"
	"fmt"
	"testing"

	"beizeng/internal/domain"
)

// seedInboxes gives users×each notifications, every other one read, written directly:
// the benchmark measures the reads, not the audited sends.
func seedInboxes(b *testing.B, s *Store, users, each int) []int64 {
	b.Helper()
	ctx := context.Background()
	unit := &domain.Unit{Code: "N0", Name: "基准单位", Kind: domain.UnitCity, Active: true}
	if err := s.CreateUnit(ctx, system, unit); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, users)
	for i := range ids {
		u := &domain.User{Username: fmt.Sprintf("inbox%d", i), DisplayName: "收件人", UnitID: unit.ID, Roles: []domain.Role{domain.RoleLeader}}
		if err := s.CreateUser(ctx, system, u, "h"); err != nil {
			b.Fatal(err)
		}
		ids[i] = u.ID
	}
	err := s.inWrite(ctx, func(tx *Tx) error {
		for n := range each {
			for _, id := range ids {
				var read any
				if n%2 == 1 {
					read = tx.now
				}
				if _, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, created_at, read_at)
					VALUES (?, 'bench', ?, '内容', '/calendar', ?, ?)`, id, fmt.Sprint("通知", n), tx.now, read); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkUnreadCount is the header badge of every page: one user's unread count among
// 100,000 messages of 500 users (100 unread each).
func BenchmarkUnreadCount(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		ids := seedInboxes(b, s, 500, 200)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if n, err := s.UnreadNotifications(ctx, ids[i%len(ids)]); err != nil || n != 100 {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkInboxPage is the inbox's first page of 30 with its total, on the same data.
func BenchmarkInboxPage(b *testing.B) {
	benchEachDB(b, func(b *testing.B, s *Store) {
		ids := seedInboxes(b, s, 500, 200)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if list, total, err := s.FindNotifications(ctx, ids[i%len(ids)], domain.NotificationFilter{Limit: 30}); err != nil || total != 200 || len(list) != 30 {
				b.Fatal(total, err)
			}
		}
	})
}
