package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ChinaTime is the zone every calendar date is read in. Asia/Shanghai has kept UTC+8
// without daylight saving since 1991, so a fixed zone gives the same dates without
// depending on the host's time zone database.
var ChinaTime = time.FixedZone("CST", 8*3600)

// DayKind says how a calendar day departs from the Monday–Friday week.
type DayKind string

const (
	// Holiday is a day off (法定节假日 and the rest days of its 调休), weekend days
	// inside the holiday included so that the month grid can show the whole break.
	Holiday DayKind = "holiday"
	// Workday is a weekend day worked in exchange (调休上班).
	Workday DayKind = "workday"
)

// Label is the kind as the calendar page shows it.
func (k DayKind) Label() string {
	switch k {
	case Holiday:
		return "放假"
	case Workday:
		return "调休上班"
	}
	return string(k)
}

// CalendarDay is one exception to the ordinary week: a holiday or an adjusted workday.
type CalendarDay struct {
	Date time.Time // a civil date: midnight UTC, see DateOf
	Kind DayKind
	Name string // the festival, e.g. 春节
}

// DateLayout is how dates are written in forms, files, the database and the API.
const DateLayout = time.DateOnly

// DateOf is the China calendar date of an instant, as midnight UTC. Working with civil
// dates in UTC keeps AddDate and comparisons free of any zone arithmetic.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(ChinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "日期“%s”无效，应写作 2026-01-31。", s)
	}
	return d, nil
}

// StartOfDay is the instant a China date begins.
func StartOfDay(date time.Time) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ChinaTime)
}

// Validate checks a day a coordinator adds; year is the calendar it is added to.
func (d CalendarDay) Validate(year int) error {
	p := Problems{}
	switch {
	case d.Date.IsZero():
		p.Add("date", "请填写日期。")
	case d.Date.Year() != year:
		p.Add("date", fmt.Sprintf("日期 %s 不属于 %d 年。", d.Date.Format(DateLayout), year))
	}
	switch d.Kind {
	case Holiday:
	case Workday:
		if wd := d.Date.Weekday(); !d.Date.IsZero() && wd != time.Saturday && wd != time.Sunday {
			p.Add("kind", "调休上班日应是周六或周日：周一至周五本来就是工作日。")
		}
	default:
		p.Add("kind", "类型应为“放假”或“调休上班”。")
	}
	name := strings.TrimSpace(d.Name)
	switch {
	case name == "":
		p.Add("name", "请填写名称，如“春节”。")
	case utf8.RuneCountInString(name) > 20:
		p.Add("name", "名称不超过20个字。")
	}
	return p.Err()
}

// ValidateCalendarYear checks a year's whole list: each day, and no date twice.
func ValidateCalendarYear(year int, days []CalendarDay) error {
	if !ValidYear(year) {
		return Errorf(EINVALID, "年份应在2000至2100之间。")
	}
	seen := map[time.Time]bool{}
	for _, d := range days {
		if err := d.Validate(year); err != nil {
			fields := ErrorFields(err)
			for _, f := range []string{"date", "kind", "name"} {
				if msg := fields[f]; msg != "" {
					return Errorf(EINVALID, "%s：%s", d.Date.Format(DateLayout), msg)
				}
			}
		}
		if seen[d.Date] {
			return Errorf(EINVALID, "日期 %s 出现了两次。", d.Date.Format(DateLayout))
		}
		seen[d.Date] = true
	}
	return nil
}

// Calendar answers which days are working days. It knows the holidays and adjusted
// workdays of the years that were loaded; for any other year it can only assume the
// ordinary Monday–Friday week, and says so: every result that relied on such a year
// carries the year in its Unloaded list, so that a page can warn instead of pretending.
type Calendar struct {
	days   map[time.Time]CalendarDay
	loaded map[int]bool
}

// NewCalendar builds a calendar of the loaded years and their days.
func NewCalendar(loaded []int, days []CalendarDay) *Calendar {
	c := &Calendar{days: map[time.Time]CalendarDay{}, loaded: map[int]bool{}}
	for _, y := range loaded {
		c.loaded[y] = true
	}
	for _, d := range days {
		c.days[d.Date] = d
	}
	return c
}

// Loaded reports whether the year's holidays and adjusted workdays are known.
func (c *Calendar) Loaded(year int) bool { return c.loaded[year] }

// Day returns the exception recorded for a date, if any.
func (c *Calendar) Day(date time.Time) (CalendarDay, bool) {
	d, ok := c.days[DateOf(date)]
	return d, ok
}

// IsWorkingDay reports whether the China date of t is a working day: an adjusted workday,
// or a Monday–Friday that is not a holiday. In a year not loaded only weekends are off.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	date := DateOf(t)
	if d, ok := c.days[date]; ok {
		return d.Kind == Workday
	}
	wd := date.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Unloaded lists the years from a's to b's (either order) whose calendar is not loaded.
func (c *Calendar) Unloaded(a, b time.Time) []int {
	ya, yb := DateOf(a).Year(), DateOf(b).Year()
	if ya > yb {
		ya, yb = yb, ya
	}
	var out []int
	for y := ya; y <= yb; y++ {
		if !c.loaded[y] {
			out = append(out, y)
		}
	}
	return out
}

// AddWorkingDays counts n working days from the date of `from`, forwards for n > 0 and
// backwards for n < 0, and returns the date reached; n = 0 is from's own date.
//
// The start day never counts, whatever the hour: a period "within 10 working days of
// receipt" begins on the day after receipt (民法典 第二百零一条: 开始的当日不计入). So a
// problem received on Friday 2026-01-09 at 16:00 with 10 working days is due by the end of
// Friday 2026-01-23: Monday the 12th is day 1. A deadline so counted always ends on a
// working day. unloaded lists the years it crossed without their calendar.
func (c *Calendar) AddWorkingDays(from time.Time, n int) (date time.Time, unloaded []int) {
	date = DateOf(from)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		date = date.AddDate(0, 0, step)
		if c.IsWorkingDay(date) {
			n--
		}
	}
	return date, c.Unloaded(from, date)
}

// WorkingDaysBetween counts the working days after a's date up to and including b's,
// negative when b is before a: the inverse of AddWorkingDays, so that
// WorkingDaysBetween(a, AddWorkingDays(a, n)) == n. Deadlines use it for "N working days
// left".
func (c *Calendar) WorkingDaysBetween(a, b time.Time) (n int, unloaded []int) {
	from, to := DateOf(a), DateOf(b)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n, c.Unloaded(a, b)
}

// NextWorkingDay is the first working day strictly after t's date.
func (c *Calendar) NextWorkingDay(t time.Time) (time.Time, []int) {
	return c.AddWorkingDays(t, 1)
}

// PreviousWorkingDay is the last working day strictly before t's date.
func (c *Calendar) PreviousWorkingDay(t time.Time) (time.Time, []int) {
	return c.AddWorkingDays(t, -1)
}

// DeadlineRule is how long an item may take: clock hours for urgent items, or working
// days.
type DeadlineRule struct {
	Hours       int `json:"hours,omitempty"`
	WorkingDays int `json:"working_days,omitempty"`
}

// Deadline is when an item is due: an instant, exclusive (due before it).
type Deadline struct {
	Due time.Time
	// Day is the China date of the last day allowed, for working-day deadlines; zero for
	// hour deadlines.
	Day time.Time
	// Unloaded lists the years the count crossed without their calendar: only weekends
	// were skipped there, and the page must say so.
	Unloaded []int
}

// Validate checks that exactly one of hours and working days is set, within reason.
func (r DeadlineRule) Validate() error {
	switch {
	case r.Hours > 0 && r.WorkingDays > 0, r.Hours <= 0 && r.WorkingDays <= 0:
		return Errorf(EINVALID, "时限应为小时数或工作日数中的一个，且大于0。")
	case r.Hours > 72:
		return Errorf(EINVALID, "按小时计的时限不超过72小时；更长的时限请按工作日计。")
	case r.WorkingDays > 250:
		return Errorf(EINVALID, "时限不超过250个工作日。")
	}
	return nil
}

// Due computes the deadline of an item received at `received`.
//
// Hour deadlines are clock hours that run through nights, weekends and holidays: an
// urgent item is urgent because it cannot wait, so one received at 17:00 on the eve of
// the Spring Festival is due at 19:00 that day, not nine days later. Working-day
// deadlines end when the last allowed day ends (midnight China time); see AddWorkingDays
// for how the days are counted.
func (r DeadlineRule) Due(c *Calendar, received time.Time) Deadline {
	if r.Hours > 0 {
		return Deadline{Due: received.Add(time.Duration(r.Hours) * time.Hour)}
	}
	day, unloaded := c.AddWorkingDays(received, r.WorkingDays)
	return Deadline{Due: StartOfDay(day.AddDate(0, 0, 1)), Day: day, Unloaded: unloaded}
}

// Roll says where a rule's day moves when it is not a working day.
type Roll string

const (
	RollNext     Roll = "next"
	RollPrevious Roll = "previous"
)

// Label is the roll as the settings form shows it.
func (r Roll) Label() string {
	if r == RollPrevious {
		return "提前到前一个工作日"
	}
	return "顺延到下一个工作日"
}

// ServiceDayRule places the monthly enterprise service day (企业服务日) and its reminder.
type ServiceDayRule struct {
	DayOfMonth int  `json:"day_of_month"`
	Roll       Roll `json:"roll"`
	// RemindDays is how many working days before the service day leaders are reminded.
	RemindDays int `json:"remind_days"`
}

// DefaultServiceDayRule is DOMAIN.md's: the 6th, moved to the next working day, with a
// reminder one working day before.
var DefaultServiceDayRule = ServiceDayRule{DayOfMonth: 6, Roll: RollNext, RemindDays: 1}

// Validate checks the rule. The day is at most 28 so that it exists in every month.
func (r ServiceDayRule) Validate() error {
	p := Problems{}
	if r.DayOfMonth < 1 || r.DayOfMonth > 28 {
		p.Add("day_of_month", "每月第几日应为1至28之间的整数（每个月都有的日子）。")
	}
	if r.Roll != RollNext && r.Roll != RollPrevious {
		p.Add("roll", "遇非工作日应顺延或提前。")
	}
	if r.RemindDays < 0 || r.RemindDays > 10 {
		p.Add("remind_days", "提前提醒的工作日数应为0至10之间的整数。")
	}
	return p.Err()
}

// ServiceDay is one month's service day.
type ServiceDay struct {
	Month   time.Month
	Nominal time.Time // the rule's day of the month
	Date    time.Time // the working day it falls on
	// Moved names why it moved ("春节", "周六"), empty when the nominal day is a working day.
	Moved string
	// Remind is the day leaders are reminded.
	Remind   time.Time
	Unloaded []int
}

// ServiceDays are the year's twelve service days under the rule.
func ServiceDays(c *Calendar, r ServiceDayRule, year int) []ServiceDay {
	out := make([]ServiceDay, 0, 12)
	for m := time.January; m <= time.December; m++ {
		out = append(out, r.ServiceDay(c, year, m))
	}
	return out
}

// ServiceDay is the month's service day under the rule.
func (r ServiceDayRule) ServiceDay(c *Calendar, year int, month time.Month) ServiceDay {
	nominal := time.Date(year, month, r.DayOfMonth, 0, 0, 0, 0, time.UTC)
	sd := ServiceDay{Month: month, Nominal: nominal, Date: nominal}
	var unloaded []int
	if !c.IsWorkingDay(nominal) {
		if d, ok := c.Day(nominal); ok {
			sd.Moved = d.Name
		} else {
			sd.Moved = weekdayNames[nominal.Weekday()]
		}
		if r.Roll == RollPrevious {
			sd.Date, unloaded = c.PreviousWorkingDay(nominal)
		} else {
			sd.Date, unloaded = c.NextWorkingDay(nominal)
		}
	}
	var remindUnloaded []int
	sd.Remind, remindUnloaded = c.AddWorkingDays(sd.Date, -r.RemindDays)
	sd.Unloaded = mergeYears(c.Unloaded(nominal, nominal), unloaded, remindUnloaded)
	return sd
}

func mergeYears(lists ...[]int) []int {
	var out []int
	for _, l := range lists {
		for _, y := range l {
			if !slices.Contains(out, y) {
				out = append(out, y)
			}
		}
	}
	slices.Sort(out)
	return out
}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// WeekdayName is the weekday in Chinese, e.g. 周六.
func WeekdayName(t time.Time) string { return weekdayNames[t.Weekday()] }

// CalendarYear is one year's calendar as stored: Loaded once it has been saved, with the
// version its next change must name.
type CalendarYear struct {
	Year      int
	Loaded    bool
	Version   int64
	UpdatedAt time.Time
	Days      []CalendarDay
}

// WorkingDays is the calendar as the problem loop's WorkCalendar: the same counting, with
// dates returned as midnight China time (the zone WorkCalendar's callers pass) and the
// unloaded-year notes left to the pages that show a calendar.
func (c *Calendar) WorkingDays() WorkCalendar { return workingDays{c} }

type workingDays struct{ c *Calendar }

func (w workingDays) AddWorkingDays(from time.Time, n int) time.Time {
	d, _ := w.c.AddWorkingDays(from, n)
	return StartOfDay(d)
}

func (w workingDays) IsWorkingDay(d time.Time) bool { return w.c.IsWorkingDay(d) }
