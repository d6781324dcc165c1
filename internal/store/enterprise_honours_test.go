package store

import (
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

func TestHonourCorrectionAndWithdrawal(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360202", domain.UnitCounty, 0)
		b := mustUnit(t, s, "360203", domain.UnitCounty, 0)
		e := mustEnterprise(t, s, a.ID, "景德镇华光陶瓷有限公司", testUSCC("360202", 1))
		other := mustEnterprise(t, s, b.ID, "乙县电子科技有限公司", "")
		keep := &domain.Honour{EnterpriseID: e.ID, Type: "specialized_sme", Year: 2024, Batch: "第六批"}
		gone := &domain.Honour{EnterpriseID: e.ID, Type: "little_giant", Year: 2024, Batch: "第五批"}
		for _, h := range []*domain.Honour{keep, gone} {
			if err := s.AddHonour(ctx, system, h); err != nil {
				t.Fatal(err)
			}
			if h.Version != 1 {
				t.Fatalf("new honour version %d", h.Version)
			}
		}
		counts := func() map[string]int {
			t.Helper()
			c, err := s.HonourCounts(ctx, 2024)
			if err != nil {
				t.Fatal(err)
			}
			return c[a.ID]
		}
		if c := counts(); c["specialized_sme"] != 1 || c["little_giant"] != 1 {
			t.Fatalf("counts before %v", c)
		}

		// A correction follows the rules of adding one and moves the version on.
		fix := *keep
		fix.Level, fix.ValidUntil, fix.DocNo = "city", "", " 工信厅函〔2024〕12号 "
		if err := s.UpdateHonour(ctx, system, &fix); err != nil {
			t.Fatal(err)
		}
		if fix.Version != 2 || fix.DocNo != "工信厅函〔2024〕12号" || fix.ValidUntil != "2026-12-31" {
			t.Fatalf("corrected %+v", fix)
		}
		stale := *keep // still at version 1
		stale.Batch = "第七批"
		if err := s.UpdateHonour(ctx, system, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale correction: %v", err)
		}
		bad := fix
		bad.Year = 1999
		if err := s.UpdateHonour(ctx, system, &bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad year: %v", err)
		}
		wrongFirm := fix
		wrongFirm.EnterpriseID = other.ID
		if err := s.UpdateHonour(ctx, system, &wrongFirm); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("another firm's path: %v", err)
		}
		got, err := s.FindHonour(ctx, e.ID, keep.ID)
		if err != nil || got.Level != "city" || got.Batch != "第六批" || got.Version != 2 {
			t.Fatalf("stored correction %+v %v", got, err)
		}

		// A withdrawal needs a reason and the version read; the row stays.
		if _, err := s.WithdrawHonour(ctx, system, e.ID, gone.ID, 1, "  "); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("no reason: %v", err)
		}
		if _, err := s.WithdrawHonour(ctx, system, e.ID, gone.ID, 7, "复核未通过"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale withdrawal: %v", err)
		}
		w, err := s.WithdrawHonour(ctx, system, e.ID, gone.ID, 1, " 复核未通过 ")
		if err != nil || !w.Withdrawn() || w.WithdrawReason != "复核未通过" || w.WithdrawnBy != "系统" || w.Version != 2 {
			t.Fatalf("withdrawn %+v %v", w, err)
		}
		if _, err := s.WithdrawHonour(ctx, system, e.ID, gone.ID, 2, "再次撤销"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("second withdrawal: %v", err)
		}
		again := *w
		again.Batch = "第八批"
		if err := s.UpdateHonour(ctx, system, &again); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("correcting a withdrawn honour: %v", err)
		}
		list, err := s.FindHonours(ctx, e.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("history keeps both: %d %v", len(list), err)
		}
		for _, h := range list {
			if (h.ID == gone.ID) != h.Withdrawn() || (h.ID == gone.ID && !h.WithdrawnAt.Equal(s.Now())) {
				t.Fatalf("history row %+v", h)
			}
		}
		if c := counts(); c["specialized_sme"] != 1 || c["little_giant"] != 0 {
			t.Fatalf("counts after %v", c)
		}
		if all, err := s.HonourCounts(ctx, 0); err != nil || all[a.ID]["little_giant"] != 0 {
			t.Fatalf("all years %v %v", all, err)
		}
		if _, n, err := s.FindEnterprises(ctx, domain.EnterpriseFilter{Honour: "little_giant", Limit: 10}); err != nil || n != 0 {
			t.Fatalf("filter by a withdrawn honour: %d %v", n, err)
		}

		// Both changes are audited with before, after and the reason.
		var before, after, reason string
		if err := s.inRead(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT before, after, reason FROM audit_events WHERE action = 'enterprise.honour.withdraw'`).
				Scan(&before, &after, &reason)
		}); err != nil {
			t.Fatal(err)
		}
		if reason != "复核未通过" || strings.Contains(before, "withdraw_reason") || !strings.Contains(after, `"withdraw_reason":"复核未通过"`) {
			t.Fatalf("withdrawal event %s → %s (%s)", before, after, reason)
		}
		if err := s.inRead(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT before, after FROM audit_events WHERE action = 'enterprise.honour.update'`).Scan(&before, &after)
		}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(before, `"level":"provincial"`) || !strings.Contains(after, `"level":"city"`) {
			t.Fatalf("correction event %s → %s", before, after)
		}
		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
			t.Fatalf("audit chain: %d %v %v", n, brk, err)
		}
	})
}
