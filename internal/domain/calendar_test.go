package domain

import (
	"slices"
	"testing"
	"time"
)

func day(s string) time.Time { return mustDate(s) }

// cst is a China time of day on a date.
func cst(date string, hour, minute int) time.Time {
	d := day(date)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, ChinaTime)
}

// nationalCalendar is 2025 and 2026 as shipped; other years are not loaded.
func nationalCalendar(t *testing.T) *Calendar {
	t.Helper()
	var all []CalendarDay
	for _, y := range []int{2025, 2026} {
		days, ok := NationalCalendar(y)
		if !ok {
			t.Fatalf("no national calendar for %d", y)
		}
		all = append(all, days...)
	}
	return NewCalendar([]int{2025, 2026}, all)
}

func TestNationalCalendarMatchesTheNotices(t *testing.T) {
	// The notices' own words, weekday included: the shipped ranges must reproduce them.
	tests := []struct {
		date    string
		weekday time.Weekday
		kind    DayKind
		name    string
	}{
		{"2026-02-14", time.Saturday, Workday, "春节"},
		{"2026-02-15", time.Sunday, Holiday, "春节"},
		{"2026-02-23", time.Monday, Holiday, "春节"},
		{"2026-02-28", time.Saturday, Workday, "春节"},
		{"2026-01-04", time.Sunday, Workday, "元旦"},
		{"2026-05-09", time.Saturday, Workday, "劳动节"},
		{"2026-09-20", time.Sunday, Workday, "国庆节"},
		{"2026-10-07", time.Wednesday, Holiday, "国庆节"},
		{"2026-10-10", time.Saturday, Workday, "国庆节"},
		{"2025-01-26", time.Sunday, Workday, "春节"},
		{"2025-02-08", time.Saturday, Workday, "春节"},
		{"2025-04-27", time.Sunday, Workday, "劳动节"},
		{"2025-09-28", time.Sunday, Workday, "国庆节、中秋节"},
		{"2025-10-01", time.Wednesday, Holiday, "国庆节、中秋节"},
		{"2025-10-08", time.Wednesday, Holiday, "国庆节、中秋节"},
		{"2025-10-11", time.Saturday, Workday, "国庆节、中秋节"},
	}
	c := nationalCalendar(t)
	for _, tt := range tests {
		d := day(tt.date)
		got, ok := c.Day(d)
		if d.Weekday() != tt.weekday || !ok || got.Kind != tt.kind || got.Name != tt.name {
			t.Errorf("%s: %v %+v %v; want %v %s %s", tt.date, d.Weekday(), got, ok, tt.weekday, tt.kind, tt.name)
		}
	}
	// The breaks' lengths as announced: 春节 2026 共9天, 国庆 2025 共8天.
	count := func(year int, name string) int {
		days, _ := NationalCalendar(year)
		n := 0
		for _, d := range days {
			if d.Name == name && d.Kind == Holiday {
				n++
			}
		}
		return n
	}
	if n := count(2026, "春节"); n != 9 {
		t.Errorf("2026 春节 has %d days off, want 9", n)
	}
	if n := count(2025, "国庆节、中秋节"); n != 8 {
		t.Errorf("2025 国庆 has %d days off, want 8", n)
	}
	for _, y := range NationalYears() {
		days, _ := NationalCalendar(y)
		if err := ValidateCalendarYear(y, days); err != nil {
			t.Errorf("shipped %d: %v", y, err)
		}
	}
	if _, ok := NationalCalendar(2030); ok {
		t.Error("2030 is not shipped")
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := nationalCalendar(t)
	tests := []struct {
		at   time.Time
		want bool
	}{
		{day("2026-02-13"), true},                               // Friday before the break
		{day("2026-02-14"), true},                               // Saturday worked (调休)
		{day("2026-02-15"), false},                              // Sunday, first day off
		{day("2026-02-18"), false},                              // Wednesday inside the break
		{day("2026-02-23"), false},                              // Monday, last day off
		{day("2026-02-24"), true},                               // back to work
		{day("2026-02-28"), true},                               // Saturday worked
		{day("2026-03-01"), false},                              // an ordinary Sunday
		{day("2025-09-28"), true},                               // Sunday worked before National Day
		{day("2025-10-08"), false},                              // Wednesday, last day off
		{day("2025-10-09"), true},                               //
		{day("2025-10-11"), true},                               // Saturday worked
		{day("2027-01-01"), true},                               // 2027 not loaded: only weekends are off
		{day("2027-01-02"), false},                              // a Saturday
		{cst("2026-02-14", 0, 30), true},                        // China date, not UTC's (13 Feb 16:30 UTC)
		{time.Date(2026, 2, 14, 16, 30, 0, 0, time.UTC), false}, // 15 Feb 00:30 in China
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.at); got != tt.want {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := nationalCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		n        int
		want     string
		unloaded []int
	}{
		{"Friday 16:00, ten days: the start day never counts", cst("2026-01-09", 16, 0), 10, "2026-01-23", nil},
		{"Friday before the Spring Festival", cst("2026-02-13", 16, 0), 10, "2026-03-05", nil},
		{"one day from that Friday is the Saturday worked", cst("2026-02-13", 16, 0), 1, "2026-02-14", nil},
		{"two days jump the whole break", cst("2026-02-13", 9, 0), 2, "2026-02-24", nil},
		{"received on a holiday", day("2026-02-18"), 1, "2026-02-24", nil},
		{"received on the Saturday worked", day("2026-02-14"), 1, "2026-02-24", nil},
		{"into National Day 2025: the Sunday worked", day("2025-09-26"), 1, "2025-09-28", nil},
		{"across National Day 2025", day("2025-09-30"), 1, "2025-10-09", nil},
		{"to the Saturday worked after it", day("2025-09-30"), 3, "2025-10-11", nil},
		{"across the year end into 元旦 2026", day("2025-12-31"), 1, "2026-01-04", nil},
		{"year end into an unloaded year", day("2026-12-31"), 1, "2027-01-01", []int{2027}},
		{"weekends still skipped there", day("2026-12-31"), 2, "2027-01-04", []int{2027}},
		{"from an unloaded year", day("2024-12-31"), 1, "2025-01-02", []int{2024}},
		{"zero is the start date", cst("2026-02-15", 10, 0), 0, "2026-02-15", nil},
		{"backwards over the break", day("2026-02-24"), -1, "2026-02-14", nil},
		{"backwards over 元旦", day("2026-01-04"), -1, "2025-12-31", nil},
		{"a time late in the evening China time", time.Date(2026, 2, 13, 17, 0, 0, 0, time.UTC), 1, "2026-02-24", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, unloaded := c.AddWorkingDays(tt.from, tt.n)
			if got.Format(DateLayout) != tt.want || !slices.Equal(unloaded, tt.unloaded) {
				t.Fatalf("AddWorkingDays(%v, %d) = %s %v, want %s %v", tt.from, tt.n, got.Format(DateLayout), unloaded, tt.want, tt.unloaded)
			}
			if !c.IsWorkingDay(got) && tt.n != 0 {
				t.Errorf("%s is not a working day", tt.want)
			}
			if back, _ := c.WorkingDaysBetween(tt.from, got); back != tt.n {
				t.Errorf("WorkingDaysBetween(%v, %s) = %d, want %d", tt.from, tt.want, back, tt.n)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := nationalCalendar(t)
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-02-13", "2026-02-13", 0},
		{"2026-02-13", "2026-02-23", 1},  // only the Saturday worked
		{"2026-02-01", "2026-02-28", 16}, // 2–6, 9–13, 14 (worked), 24–27, 28 (worked)
		{"2025-09-30", "2025-10-12", 3},
		{"2025-12-29", "2026-01-05", 4}, // 30, 31 Dec; 4 Jan (Sunday worked), 5 Jan
		{"2026-02-28", "2026-02-13", -1 * 6},
	}
	for _, tt := range tests {
		if got, _ := c.WorkingDaysBetween(day(tt.a), day(tt.b)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if _, unloaded := c.WorkingDaysBetween(day("2026-12-01"), day("2027-02-01")); !slices.Equal(unloaded, []int{2027}) {
		t.Errorf("unloaded = %v, want [2027]", unloaded)
	}
}

func TestNextAndPreviousWorkingDay(t *testing.T) {
	c := nationalCalendar(t)
	if d, _ := c.NextWorkingDay(day("2026-02-13")); d.Format(DateLayout) != "2026-02-14" {
		t.Errorf("next after 13 Feb = %s", d.Format(DateLayout))
	}
	if d, _ := c.NextWorkingDay(day("2026-02-14")); d.Format(DateLayout) != "2026-02-24" {
		t.Errorf("next after 14 Feb = %s", d.Format(DateLayout))
	}
	if d, _ := c.PreviousWorkingDay(day("2025-10-11")); d.Format(DateLayout) != "2025-10-10" {
		t.Errorf("previous before 11 Oct = %s", d.Format(DateLayout))
	}
	if d, _ := c.PreviousWorkingDay(day("2025-10-09")); d.Format(DateLayout) != "2025-09-30" {
		t.Errorf("previous before 9 Oct = %s", d.Format(DateLayout))
	}
}

func TestDeadlineRule(t *testing.T) {
	c := nationalCalendar(t)
	tests := []struct {
		name     string
		rule     DeadlineRule
		received time.Time
		due      time.Time
		unloaded []int
	}{
		{"urgent: clock hours through the eve of the break", DeadlineRule{Hours: 2}, cst("2026-02-14", 17, 0), cst("2026-02-14", 19, 0), nil},
		{"urgent: past midnight on a holiday", DeadlineRule{Hours: 2}, cst("2026-02-15", 23, 0), cst("2026-02-16", 1, 0), nil},
		{"general: ten working days end at midnight", DeadlineRule{WorkingDays: 10}, cst("2026-01-09", 16, 0), cst("2026-01-24", 0, 0), nil},
		{"complex: 25 working days over the break", DeadlineRule{WorkingDays: 25}, cst("2026-02-02", 9, 0), cst("2026-03-14", 0, 0), nil},
		{"into 2027, not loaded", DeadlineRule{WorkingDays: 3}, cst("2026-12-30", 9, 0), cst("2027-01-05", 0, 0), []int{2027}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.rule.Validate(); err != nil {
				t.Fatal(err)
			}
			d := tt.rule.Due(c, tt.received)
			if !d.Due.Equal(tt.due) || !slices.Equal(d.Unloaded, tt.unloaded) {
				t.Errorf("Due = %v %v, want %v %v", d.Due.In(ChinaTime), d.Unloaded, tt.due, tt.unloaded)
			}
		})
	}
	for _, bad := range []DeadlineRule{{}, {Hours: 2, WorkingDays: 10}, {Hours: -1}, {Hours: 100}, {WorkingDays: 300}} {
		if ErrorCode(bad.Validate()) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestServiceDays(t *testing.T) {
	c := nationalCalendar(t)
	tests := []struct {
		name         string
		rule         ServiceDayRule
		year         int
		month        time.Month
		date, remind string
		moved        string
	}{
		{"an ordinary Tuesday", DefaultServiceDayRule, 2026, time.January, "2026-01-06", "2026-01-05", ""},
		{"a Friday; reminded on Thursday", DefaultServiceDayRule, 2026, time.February, "2026-02-06", "2026-02-05", ""},
		{"inside 清明: moved to Tuesday, reminded on Friday", DefaultServiceDayRule, 2026, time.April, "2026-04-07", "2026-04-03", "清明节"},
		{"a Saturday: to Monday", DefaultServiceDayRule, 2026, time.June, "2026-06-08", "2026-06-05", "周六"},
		{"inside National Day 2026", DefaultServiceDayRule, 2026, time.October, "2026-10-08", "2026-09-30", "国庆节"},
		{"inside National Day 2025", DefaultServiceDayRule, 2025, time.October, "2025-10-09", "2025-09-30", "国庆节、中秋节"},
		{"rolled back instead", ServiceDayRule{6, RollPrevious, 1}, 2026, time.June, "2026-06-05", "2026-06-04", "周六"},
		{"rolled back out of the break", ServiceDayRule{6, RollPrevious, 2}, 2026, time.October, "2026-09-30", "2026-09-28", "国庆节"},
		{"rolled back over the year end", ServiceDayRule{1, RollPrevious, 0}, 2026, time.January, "2025-12-31", "2025-12-31", "元旦"},
		{"another day of the month", ServiceDayRule{15, RollNext, 1}, 2026, time.February, "2026-02-24", "2026-02-14", "春节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.rule.Validate(); err != nil {
				t.Fatal(err)
			}
			sd := tt.rule.ServiceDay(c, tt.year, tt.month)
			if sd.Date.Format(DateLayout) != tt.date || sd.Remind.Format(DateLayout) != tt.remind || sd.Moved != tt.moved {
				t.Errorf("got %s remind %s moved %q; want %s %s %q", sd.Date.Format(DateLayout), sd.Remind.Format(DateLayout), sd.Moved, tt.date, tt.remind, tt.moved)
			}
			if len(sd.Unloaded) != 0 {
				t.Errorf("unloaded %v", sd.Unloaded)
			}
		})
	}
	days := ServiceDays(c, DefaultServiceDayRule, 2027)
	if len(days) != 12 || !slices.Equal(days[0].Unloaded, []int{2027}) {
		t.Errorf("2027 (not loaded) service days: %d, first unloaded %v", len(days), days[0].Unloaded)
	}
	for _, bad := range []ServiceDayRule{{0, RollNext, 1}, {29, RollNext, 1}, {6, "sideways", 1}, {6, RollNext, -1}, {6, RollNext, 11}} {
		if ErrorCode(bad.Validate()) != EINVALID {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestCalendarDayValidate(t *testing.T) {
	tests := []struct {
		day   CalendarDay
		field string
	}{
		{CalendarDay{day("2026-02-15"), Holiday, "春节"}, ""},
		{CalendarDay{day("2026-02-14"), Workday, "春节"}, ""},
		{CalendarDay{day("2026-02-13"), Workday, "春节"}, "kind"}, // a Friday is a working day anyway
		{CalendarDay{day("2025-02-15"), Holiday, "春节"}, "date"}, // another year
		{CalendarDay{time.Time{}, Holiday, "春节"}, "date"},
		{CalendarDay{day("2026-02-15"), "rest", "春节"}, "kind"},
		{CalendarDay{day("2026-02-15"), Holiday, "  "}, "name"},
		{CalendarDay{day("2026-02-15"), Holiday, "一二三四五六七八九十一二三四五六七八九十一"}, "name"},
	}
	for _, tt := range tests {
		err := tt.day.Validate(2026)
		if tt.field == "" && err != nil || tt.field != "" && ErrorFields(err)[tt.field] == "" {
			t.Errorf("%+v: %v, want a problem with %q", tt.day, err, tt.field)
		}
	}
	dup := []CalendarDay{{day("2026-02-15"), Holiday, "春节"}, {day("2026-02-15"), Holiday, "春节"}}
	if ErrorCode(ValidateCalendarYear(2026, dup)) != EINVALID {
		t.Error("a date twice accepted")
	}
}

func TestNotificationValidate(t *testing.T) {
	ok := Notification{UserID: 1, Kind: "service_day", Title: "3月6日为企业服务日", Link: "/calendar?year=2026"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, mut := range []func(n *Notification){
		func(n *Notification) { n.UserID = 0 },
		func(n *Notification) { n.Kind = "" },
		func(n *Notification) { n.Title = " " },
		func(n *Notification) { n.Link = "https://evil.example/" },
		func(n *Notification) { n.Link = "//evil.example/" },
	} {
		n := ok
		mut(&n)
		if ErrorCode(n.Validate()) != EINVALID {
			t.Errorf("%+v accepted", n)
		}
	}
}
