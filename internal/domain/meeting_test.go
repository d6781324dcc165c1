package domain

import (
	"testing"
	"time"
)

func TestMeetingValidate(t *testing.T) {
	ok := func() Meeting {
		return Meeting{HeldOn: "2026-11-05", Kind: MeetingMonthly, Year: 2026, Month: 10, Title: " 10月调度会 "}
	}
	cases := []struct {
		name  string
		edit  func(*Meeting)
		field string
	}{
		{"valid", func(*Meeting) {}, ""},
		{"bad date", func(m *Meeting) { m.HeldOn = "2026-02-30" }, "held_on"},
		{"slashes", func(m *Meeting) { m.HeldOn = "2026/11/05" }, "held_on"},
		{"empty date", func(m *Meeting) { m.HeldOn = "" }, "held_on"},
		{"kind", func(m *Meeting) { m.Kind = "weekly" }, "kind"},
		{"month 0", func(m *Meeting) { m.Month = 0 }, "month"},
		{"month 13", func(m *Meeting) { m.Month = 13 }, "month"},
		{"year", func(m *Meeting) { m.Year = 1800 }, "year"},
		{"no title", func(m *Meeting) { m.Title = "  " }, "title"},
		{"negative bulletin", func(m *Meeting) { m.BulletinID = -1 }, "bulletin_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ok()
			c.edit(&m)
			err := m.Validate()
			if c.field == "" {
				if err != nil || m.Title != "10月调度会" {
					t.Fatalf("valid meeting refused: %v (title %q)", err, m.Title)
				}
				return
			}
			if ErrorCode(err) != EINVALID || ErrorFields(err)[c.field] == "" {
				t.Fatalf("want a problem with %s, got %v", c.field, err)
			}
		})
	}
}

func TestValidateActionItem(t *testing.T) {
	m := &Meeting{HeldOn: "2026-11-05"}
	county := &Unit{Name: "甲区", Kind: UnitCounty, Active: true}
	park := &Unit{Name: "园区", Kind: UnitPark, Active: true}
	dept := &Unit{Name: "工信局", Kind: UnitDepartment, Active: true}
	city := &Unit{Name: "市", Kind: UnitCity, Active: true}
	off := &Unit{Name: "旧区", Kind: UnitCounty}
	cases := []struct {
		name     string
		text     string
		deadline string
		owner    *Unit
		field    string
	}{
		{"county", "推进项目开工", "2026-11-30", county, ""},
		{"park", "腾退低效用地", "2026-11-05", park, ""}, // the meeting's own day is allowed
		{"department", "协调用地指标", "2026-12-31", dept, ""},
		{"before the meeting", "推进", "2026-11-04", county, "deadline"},
		{"not a date", "推进", "11月底", county, "deadline"},
		{"empty deadline", "推进", "", county, "deadline"},
		{"no owner", "推进", "2026-11-30", nil, "owner_unit_id"},
		{"city owner", "推进", "2026-11-30", city, "owner_unit_id"},
		{"inactive owner", "推进", "2026-11-30", off, "owner_unit_id"},
		{"no text", "   ", "2026-11-30", county, "text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := &ActionItem{Text: c.text, Deadline: c.deadline}
			err := ValidateActionItem(a, m, c.owner)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorFields(err)[c.field] == "" {
				t.Fatalf("want a problem with %s, got %v", c.field, err)
			}
		})
	}
}

func TestNextActionStatus(t *testing.T) {
	cases := []struct {
		from ActionStatus
		verb string
		text string
		want ActionStatus // "" means refused
	}{
		{ActionOpen, ActionVerbReply, "已开工", ActionReplied},
		{ActionReplied, ActionVerbReply, "补充说明", ActionReplied},
		{ActionOpen, ActionVerbReply, "  ", ""},
		{ActionDone, ActionVerbReply, "迟到的答复", ""},
		{ActionCancelled, ActionVerbReply, "答复", ""},
		{ActionOpen, ActionVerbClose, "", ActionDone},
		{ActionReplied, ActionVerbClose, "", ActionDone},
		{ActionDone, ActionVerbClose, "", ""},
		{ActionCancelled, ActionVerbClose, "", ""},
		{ActionOpen, ActionVerbCancel, "会议另行安排", ActionCancelled},
		{ActionReplied, ActionVerbCancel, "合并办理", ActionCancelled},
		{ActionOpen, ActionVerbCancel, "", ""},
		{ActionDone, ActionVerbCancel, "原因", ""},
		{ActionDone, ActionVerbReopen, "答复与实际不符", ActionOpen},
		{ActionCancelled, ActionVerbReopen, "误撤销", ActionOpen},
		{ActionDone, ActionVerbReopen, "", ""},
		{ActionOpen, ActionVerbReopen, "原因", ""},
		{ActionOpen, "delete", "", ""},
	}
	for _, c := range cases {
		got, err := NextActionStatus(c.from, c.verb, c.text)
		if got != c.want || (c.want == "") != (ErrorCode(err) == EINVALID) {
			t.Errorf("%s %s %q: got %q %v, want %q", c.from, c.verb, c.text, got, err, c.want)
		}
	}
}

func TestDaysOverdue(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d.Add(10 * time.Hour) // 18:00 in China: the time of day does not matter
	}
	cases := []struct {
		status   ActionStatus
		deadline string
		today    string
		want     int
	}{
		{ActionOpen, "2026-11-30", "2026-11-29", 0},
		{ActionOpen, "2026-11-30", "2026-11-30", 0}, // the deadline day is still in time
		{ActionOpen, "2026-11-30", "2026-12-01", 1},
		{ActionReplied, "2026-11-30", "2026-12-10", 10}, // replied but not closed still counts
		{ActionDone, "2026-11-30", "2026-12-10", 0},
		{ActionCancelled, "2026-11-30", "2026-12-10", 0},
		{ActionOpen, "2026-02-28", "2026-03-01", 1},
		{ActionOpen, "2024-02-28", "2024-03-01", 2}, // leap year
		{ActionOpen, "not a date", "2026-12-01", 0},
	}
	lenient := ActionRules{RepliedCountsOverdue: false, DefaultDeadlineDays: 14}
	// 2026-11-30 20:00 UTC is already 1 December in China.
	late := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC)
	if got := (&ActionItem{Status: ActionOpen, Deadline: "2026-11-30"}).DaysOverdue(late, DefaultActionRules); got != 1 || ChinaDate(late) != "2026-12-01" {
		t.Errorf("China's day: %d days, date %s", got, ChinaDate(late))
	}
	for _, c := range cases {
		a := &ActionItem{Status: c.status, Deadline: c.deadline}
		if got := a.DaysOverdue(day(c.today), DefaultActionRules); got != c.want || a.Overdue(day(c.today), DefaultActionRules) != (c.want > 0) {
			t.Errorf("%s due %s on %s: %d days, want %d", c.status, c.deadline, c.today, got, c.want)
		}
		// A city that trusts replies counts only open items.
		want := c.want
		if c.status == ActionReplied {
			want = 0
		}
		if got := a.DaysOverdue(day(c.today), lenient); got != want {
			t.Errorf("lenient: %s due %s on %s: %d days, want %d", c.status, c.deadline, c.today, got, want)
		}
	}
}

func TestActionLabels(t *testing.T) {
	want := map[ActionStatus]string{ActionOpen: "未办结", ActionReplied: "已答复", ActionDone: "已办结", ActionCancelled: "已撤销"}
	for s, l := range want {
		if s.Label() != l || !s.Valid() {
			t.Errorf("%s: %q", s, s.Label())
		}
	}
	if ActionStatus("x").Valid() || MeetingKind("x").Valid() {
		t.Error("unknown values accepted")
	}
	for k, l := range map[MeetingKind]string{MeetingMonthly: "月度调度会", MeetingQuarterly: "季度调度会", MeetingSpecial: "专题调度会"} {
		if k.Label() != l {
			t.Errorf("%s: %q", k, k.Label())
		}
	}
}

func TestActionRulesValidate(t *testing.T) {
	for days, ok := range map[int]bool{0: false, 1: true, 14: true, 365: true, 366: false, -3: false} {
		err := ActionRules{DefaultDeadlineDays: days}.Validate()
		if (err == nil) != ok || (!ok && ErrorFields(err)["default_deadline_days"] == "") {
			t.Errorf("%d days: %v", days, err)
		}
	}
	if DefaultActionRules.Validate() != nil || !DefaultActionRules.RepliedCountsOverdue {
		t.Error("defaults")
	}
}
