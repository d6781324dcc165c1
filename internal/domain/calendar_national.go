package domain

import (
	"maps"
	"slices"
	"time"
)

// The State Council's yearly holiday notices (国务院办公厅关于部分节假日安排的通知), as
// published: each festival's break as a range of dates and the weekend days worked in
// exchange. A new year is one more entry here, checked against the notice's own weekdays
// in the table test.

type holidayBreak struct {
	Name     string
	From, To string   // the break, both days off
	Workdays []string // weekend days worked instead (调休上班)
}

var nationalSchedules = map[int][]holidayBreak{
	// 国办发明电〔2024〕12号
	2025: {
		{"元旦", "2025-01-01", "2025-01-01", nil},
		{"春节", "2025-01-28", "2025-02-04", []string{"2025-01-26", "2025-02-08"}},
		{"清明节", "2025-04-04", "2025-04-06", nil},
		{"劳动节", "2025-05-01", "2025-05-05", []string{"2025-04-27"}},
		{"端午节", "2025-05-31", "2025-06-02", nil},
		{"国庆节、中秋节", "2025-10-01", "2025-10-08", []string{"2025-09-28", "2025-10-11"}},
	},
	// 国办发明电〔2025〕7号
	2026: {
		{"元旦", "2026-01-01", "2026-01-03", []string{"2026-01-04"}},
		{"春节", "2026-02-15", "2026-02-23", []string{"2026-02-14", "2026-02-28"}},
		{"清明节", "2026-04-04", "2026-04-06", nil},
		{"劳动节", "2026-05-01", "2026-05-05", []string{"2026-05-09"}},
		{"端午节", "2026-06-19", "2026-06-21", nil},
		{"中秋节", "2026-09-25", "2026-09-27", nil},
		{"国庆节", "2026-10-01", "2026-10-07", []string{"2026-09-20", "2026-10-10"}},
	},
}

// NationalYears are the years whose national schedule ships with beizeng.
func NationalYears() []int { return slices.Sorted(maps.Keys(nationalSchedules)) }

// NationalCalendar returns the year's national holidays and adjusted workdays, ordered by
// date, and whether beizeng ships that year.
func NationalCalendar(year int) ([]CalendarDay, bool) {
	breaks, ok := nationalSchedules[year]
	if !ok {
		return nil, false
	}
	var days []CalendarDay
	for _, b := range breaks {
		from, to := mustDate(b.From), mustDate(b.To)
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			days = append(days, CalendarDay{Date: d, Kind: Holiday, Name: b.Name})
		}
		for _, w := range b.Workdays {
			days = append(days, CalendarDay{Date: mustDate(w), Kind: Workday, Name: b.Name})
		}
	}
	slices.SortFunc(days, func(a, b CalendarDay) int { return a.Date.Compare(b.Date) })
	return days, true
}

func mustDate(s string) time.Time {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		panic("bad shipped date " + s)
	}
	return d
}
