package store

import (
	"context"
	"testing"
	"time"

	"beizeng/internal/domain"
)

func TestMeetingsAndActionItems(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "369900", domain.UnitCity, 0)
		a := mustUnit(t, s, "369901", domain.UnitCounty, city.ID)
		b := mustUnit(t, s, "369902", domain.UnitCounty, city.ID)
		dept := mustUnit(t, s, "D01", domain.UnitDepartment, city.ID)

		m := &domain.Meeting{HeldOn: "2026-11-05", Kind: domain.MeetingMonthly, Year: 2026, Month: 10, Title: "10月调度会",
			Attendees: "市领导\n各县区", Decisions: "一、加快项目开工。"}
		if err := s.CreateMeeting(ctx, system, m); err != nil || m.ID == 0 || m.Version != 1 {
			t.Fatalf("create meeting: %+v %v", m, err)
		}
		// A stale version is a conflict and changes nothing.
		stale := *m
		m.Title = "10月工业倍增调度会"
		if err := s.UpdateMeeting(ctx, system, m); err != nil || m.Version != 2 {
			t.Fatalf("update meeting: %v", err)
		}
		stale.Title = "旧标题"
		if err := s.UpdateMeeting(ctx, system, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale meeting: %v", err)
		}
		if got, _ := s.FindMeetingByID(ctx, m.ID); got.Title != "10月工业倍增调度会" || got.BulletinID != 0 {
			t.Fatalf("after the conflict: %+v", got)
		}
		bad := &domain.Meeting{HeldOn: "2026-13-01", Kind: "weekly", Year: 2026, Month: 10, Title: "x"}
		if err := s.CreateMeeting(ctx, system, bad); domain.ErrorFields(err)["held_on"] == "" || domain.ErrorFields(err)["kind"] == "" {
			t.Fatalf("bad meeting: %v", err)
		}

		item := func(owner int64, deadline, text string) *domain.ActionItem {
			t.Helper()
			it := &domain.ActionItem{MeetingID: m.ID, Text: text, OwnerUnitID: owner, Deadline: deadline}
			if err := s.CreateActionItem(ctx, system, it); err != nil {
				t.Fatalf("create item %s: %v", text, err)
			}
			return it
		}
		i1 := item(a.ID, "2026-11-20", "推进甲区重点项目开工")
		i2 := item(b.ID, "2026-11-30", "乙县补报项目资料")
		i3 := item(dept.ID, "2026-12-31", "协调用地指标")
		if i1.Status != domain.ActionOpen || i1.Version != 1 {
			t.Fatalf("new item: %+v", i1)
		}
		// Refused: a deadline before the meeting, the city as owner, an unknown unit or meeting.
		for name, it := range map[string]*domain.ActionItem{
			"early":   {MeetingID: m.ID, Text: "x", OwnerUnitID: a.ID, Deadline: "2026-11-04"},
			"city":    {MeetingID: m.ID, Text: "x", OwnerUnitID: city.ID, Deadline: "2026-11-30"},
			"unknown": {MeetingID: m.ID, Text: "x", OwnerUnitID: 99999, Deadline: "2026-11-30"},
		} {
			if err := s.CreateActionItem(ctx, system, it); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s item accepted: %v", name, err)
			}
		}
		if err := s.CreateActionItem(ctx, system, &domain.ActionItem{MeetingID: 99999, Text: "x", OwnerUnitID: a.ID, Deadline: "2026-11-30"}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("item of an unknown meeting: %v", err)
		}
		// Moving the meeting after an item's deadline is refused.
		m.HeldOn = "2026-11-25"
		if err := s.UpdateMeeting(ctx, system, m); domain.ErrorFields(err)["held_on"] == "" {
			t.Fatalf("meeting moved past a deadline: %v", err)
		}
		m.HeldOn = "2026-11-05"

		// Edit, reply, close, reopen, cancel; stale versions conflict.
		e, err := s.UpdateActionItem(ctx, system, i2.ID, ActionItemEdit{Text: i2.Text, OwnerUnitID: a.ID, Deadline: "2026-12-05", Version: 1})
		if err != nil || e.Deadline != "2026-12-05" || e.Version != 2 || e.OwnerUnitName != a.Name {
			t.Fatalf("edit item: %+v %v", e, err)
		}
		if h, _ := s.FindActionItemHistory(ctx, i2.ID); len(h) != 2 || h[1].Note != "责任单位 "+b.Name+" → "+a.Name+"；办结时限 2026-11-30 → 2026-12-05" {
			t.Fatalf("edit history: %+v", h)
		}
		if e, err = s.UpdateActionItem(ctx, system, i2.ID, ActionItemEdit{Text: i2.Text, OwnerUnitID: b.ID, Deadline: "2026-12-05", Version: 2}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateActionItem(ctx, system, i2.ID, ActionItemEdit{Text: "x", OwnerUnitID: b.ID, Deadline: "2026-12-05", Version: 2}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale edit: %v", err)
		}
		r, err := s.ChangeActionItemStatus(ctx, system, i1.ID, 1, domain.ActionVerbReply, " 已开工2个，余下1个12月开工。 ")
		if err != nil || r.Status != domain.ActionReplied || r.Reply != "已开工2个，余下1个12月开工。" || r.RepliedAt.IsZero() || r.RepliedBy != "system" {
			t.Fatalf("reply: %+v %v", r, err)
		}
		if _, err := s.ChangeActionItemStatus(ctx, system, i1.ID, 1, domain.ActionVerbClose, ""); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale close: %v", err)
		}
		if _, err := s.ChangeActionItemStatus(ctx, system, i3.ID, 1, domain.ActionVerbCancel, ""); domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("cancel without a reason: %v", err)
		}
		c, err := s.ChangeActionItemStatus(ctx, system, i1.ID, 2, domain.ActionVerbClose, "")
		if err != nil || c.Status != domain.ActionDone || c.ClosedAt.IsZero() {
			t.Fatalf("close: %+v %v", c, err)
		}
		if _, err := s.UpdateActionItem(ctx, system, i1.ID, ActionItemEdit{Text: "x", OwnerUnitID: a.ID, Deadline: "2026-12-05", Version: 3}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("edit of a closed item: %v", err)
		}
		o, err := s.ChangeActionItemStatus(ctx, system, i1.ID, 3, domain.ActionVerbReopen, "现场核查仍有1个未开工")
		if err != nil || o.Status != domain.ActionOpen || !o.ClosedAt.IsZero() || o.Reply == "" {
			t.Fatalf("reopen: %+v %v", o, err)
		}
		if _, err := s.ChangeActionItemStatus(ctx, system, i3.ID, 1, domain.ActionVerbCancel, "并入专题会办理"); err != nil {
			t.Fatal(err)
		}
		hist, err := s.FindActionItemHistory(ctx, i1.ID)
		if err != nil || len(hist) != 4 || hist[0].Action != "create" || hist[1].ToStatus != domain.ActionReplied ||
			hist[3].Action != "reopen" || hist[3].Note != "现场核查仍有1个未开工" {
			t.Fatalf("history: %+v %v", hist, err)
		}

		// Lists filter and page in the database.
		list, total, err := s.FindActionItems(ctx, domain.ActionItemFilter{OwnerUnitID: a.ID})
		if err != nil || total != 1 || list[0].ID != i1.ID || list[0].MeetingTitle != m.Title {
			t.Fatalf("by owner: %d %+v %v", total, list, err)
		}
		if _, total, _ := s.FindActionItems(ctx, domain.ActionItemFilter{Status: domain.ActionCancelled}); total != 1 {
			t.Fatalf("cancelled: %d", total)
		}
		page, total, err := s.FindActionItems(ctx, domain.ActionItemFilter{MeetingID: m.ID, Limit: 2})
		if err != nil || total != 3 || len(page) != 2 || page[0].Status == domain.ActionCancelled {
			t.Fatalf("page: %d %d %v", total, len(page), err)
		}
		if _, _, err := s.FindActionItems(ctx, domain.ActionItemFilter{Status: "lost"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad status: %v", err)
		}
		over, total, err := s.FindActionItems(ctx, domain.ActionItemFilter{Overdue: true, Today: "2026-12-01"})
		if err != nil || total != 1 || over[0].ID != i1.ID {
			t.Fatalf("overdue filter: %d %v", total, err)
		}
		rows, total, err := s.FindMeetings(ctx, 2026, 0, 10)
		if err != nil || total != 1 || rows[0].Items != 3 || rows[0].Pending != 2 {
			t.Fatalf("meetings: %+v %d %v", rows, total, err)
		}

		// OverdueActionItems on a test-controlled day, in China's calendar: the deadline day
		// is in time; a replied item still counts until closed.
		on := func(day string, hourUTC int) []domain.ActionItem {
			d, _ := time.Parse(time.DateOnly, day)
			got, err := s.OverdueActionItems(ctx, d.Add(time.Duration(hourUTC)*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := on("2026-11-20", 3); len(got) != 0 {
			t.Fatalf("on the deadline: %+v", got)
		}
		if got := on("2026-11-20", 17); len(got) != 1 || got[0].ID != i1.ID || got[0].OwnerUnitName != a.Name {
			t.Fatalf("China's 21 November: %+v", got)
		}
		if _, err := s.ChangeActionItemStatus(ctx, system, i2.ID, 3, domain.ActionVerbReply, "已补报"); err != nil {
			t.Fatal(err)
		}
		got := on("2026-12-10", 3)
		if len(got) != 2 || got[0].ID != i1.ID || got[1].ID != i2.ID || got[1].Status != domain.ActionReplied ||
			got[1].DaysOverdue(time.Date(2026, 12, 10, 3, 0, 0, 0, time.UTC), domain.DefaultActionRules) != 5 {
			t.Fatalf("10 December: %+v", got)
		}

		// A city that trusts replies counts only open items.
		if err := s.SetActionRules(ctx, system, domain.ActionRules{DefaultDeadlineDays: 0}); domain.ErrorFields(err)["default_deadline_days"] == "" {
			t.Fatalf("bad rules: %v", err)
		}
		if err := s.SetActionRules(ctx, system, domain.ActionRules{RepliedCountsOverdue: false, DefaultDeadlineDays: 10}); err != nil {
			t.Fatal(err)
		}
		if r, err := s.ActionRules(ctx); err != nil || r.RepliedCountsOverdue || r.DefaultDeadlineDays != 10 {
			t.Fatalf("rules: %+v %v", r, err)
		}
		if got := on("2026-12-10", 3); len(got) != 1 || got[0].ID != i1.ID {
			t.Fatalf("lenient rules: %+v", got)
		}
		if _, total, _ := s.FindActionItems(ctx, domain.ActionItemFilter{Overdue: true, Today: "2026-12-10"}); total != 1 {
			t.Fatalf("lenient overdue filter: %d", total)
		}

		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
			t.Fatalf("audit: %d %v %v", n, brk, err)
		}
		var events int
		if err := s.inRead(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_events WHERE entity IN ('meeting','action_item')`).Scan(&events)
		}); err != nil || events != 12 {
			t.Fatalf("audited changes: %d %v", events, err)
		}
	})
}
