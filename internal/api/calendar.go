package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// calendarDayJSON is one holiday or adjusted workday.
type calendarDayJSON struct {
	Date string         `json:"date"`
	Kind domain.DayKind `json:"kind"`
	Name string         `json:"name"`
}

type serviceDayJSON struct {
	Month    int    `json:"month"`
	Date     string `json:"date"`
	Nominal  string `json:"nominal"`
	Moved    string `json:"moved,omitempty"`
	Remind   string `json:"remind"`
	Unloaded []int  `json:"unloaded_years,omitempty"`
}

type calendarJSON struct {
	Year        int                   `json:"year"`
	Loaded      bool                  `json:"loaded"`
	Version     int64                 `json:"version"`
	Days        []calendarDayJSON     `json:"days"`
	Rule        domain.ServiceDayRule `json:"service_day_rule"`
	ServiceDays []serviceDayJSON      `json:"service_days"`
}

func calendarYearParam(r *http.Request) (int, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || !domain.ValidYear(year) {
		return 0, domain.Errorf(domain.ENOTFOUND, "年份应为2000至2100之间的整数。")
	}
	return year, nil
}

// getCalendar answers the year's days and its service days; loaded false means the
// service days were computed on weekends only.
func (h *Handler) getCalendar(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := calendarYearParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cy, err := h.store.FindCalendarYear(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sds, rule, err := h.store.ServiceDays(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := calendarJSON{Year: year, Loaded: cy.Loaded, Version: cy.Version, Days: []calendarDayJSON{}, Rule: rule}
	for _, d := range cy.Days {
		out.Days = append(out.Days, calendarDayJSON{d.Date.Format(domain.DateLayout), d.Kind, d.Name})
	}
	for _, sd := range sds {
		out.ServiceDays = append(out.ServiceDays, serviceDayJSON{int(sd.Month), sd.Date.Format(domain.DateLayout),
			sd.Nominal.Format(domain.DateLayout), sd.Moved, sd.Remind.Format(domain.DateLayout), sd.Unloaded})
	}
	writeJSON(w, http.StatusOK, out)
}

// putCalendar replaces the year's days. version is the one read (0 for a year not loaded).
func (h *Handler) putCalendar(w http.ResponseWriter, r *http.Request) {
	year, err := calendarYearParam(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Version optional[int64]   `json:"version"`
		Days    []calendarDayJSON `json:"days"`
		Reason  string            `json:"reason"`
	}
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	if !in.Version.Set || in.Version.Null || in.Version.V < 0 {
		p.Add("version", "请提供 version：读取日历时得到的版本号（未载入的年份为 0），用于防止覆盖他人的修改。")
	}
	if in.Days == nil {
		p.Add("days", "请提供 days：本年全部放假和调休上班日（可为空数组）。")
	}
	days := make([]domain.CalendarDay, 0, len(in.Days))
	for i, d := range in.Days {
		date, err := time.Parse(domain.DateLayout, strings.TrimSpace(d.Date))
		if err != nil {
			p.Add("days["+strconv.Itoa(i)+"].date", "日期应写作 2026-01-31。")
			continue
		}
		days = append(days, domain.CalendarDay{Date: date, Kind: d.Kind, Name: strings.TrimSpace(d.Name)})
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.SaveCalendarYear(r.Context(), request.Actor(r), year, in.Version.V, days, strings.TrimSpace(in.Reason)); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
