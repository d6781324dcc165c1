package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// The working-day calendar: a year's month grids with its holidays, adjusted workdays and
// service days; coordinators add and remove days, load the national schedule, import and
// export the year, and set the service-day rule.

// calCell is one square of a month grid; Day 0 is padding before the 1st or after the end.
type calCell struct {
	Day   int
	Class string // holiday, workday, weekend; plus service
	Title string
}

type calMonth struct {
	Month int
	Weeks [][7]calCell
}

// dayForm is the add-a-day form as typed.
type dayForm struct {
	Date, Kind, Name string
}

// ruleForm is the service-day rule form as typed.
type ruleForm struct {
	DayOfMonth, Roll, RemindDays string
}

type calendarData struct {
	Year        int
	Cal         *domain.CalendarYear
	Months      []calMonth
	ServiceDays []domain.ServiceDay
	Rule        domain.ServiceDayRule
	Unloaded    []int // years the page's dates were computed for without their calendar
	National    bool  // beizeng ships this year's national schedule
	CanManage   bool
	Kinds       []domain.DayKind
	Rolls       []domain.Roll
	Form        dayForm
	Problems    domain.Problems
	RuleForm    ruleForm
	RuleErrors  domain.Problems
	ruleSent    bool // the refused form is the rule's, not the day's
	Conflict    bool
}

func (h *Handler) calendar(w http.ResponseWriter, r *http.Request) {
	year, note := h.targetYearParam(r)
	d := &calendarData{Year: year}
	if note != "" {
		h.renderCalendar(w, r, 0, d, &flash{Kind: "warn", Message: note})
		return
	}
	h.renderCalendar(w, r, 0, d, nil)
}

// renderCalendar fills d from the database, keeping a refused form's input and problems.
func (h *Handler) renderCalendar(w http.ResponseWriter, r *http.Request, status int, d *calendarData, fl *flash) {
	ctx := r.Context()
	var err error
	if d.Cal, err = h.Store.FindCalendarYear(ctx, d.Year); err != nil {
		h.Error(w, r, err)
		return
	}
	cal, err := h.Store.Calendar(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if d.Rule, err = h.Store.ServiceDayRule(ctx); err != nil {
		h.Error(w, r, err)
		return
	}
	d.ServiceDays = domain.ServiceDays(cal, d.Rule, d.Year)
	if !cal.Loaded(d.Year) {
		d.Unloaded = []int{d.Year}
	}
	for _, sd := range d.ServiceDays {
		for _, y := range sd.Unloaded {
			if !slices.Contains(d.Unloaded, y) {
				d.Unloaded = append(d.Unloaded, y)
			}
		}
	}
	slices.Sort(d.Unloaded)
	d.Months = monthGrids(cal, d.Year, d.ServiceDays)
	_, d.National = domain.NationalCalendar(d.Year)
	d.CanManage = auth.CanAtAll(request.User(r), auth.ManageCampaign)
	d.Kinds = []domain.DayKind{domain.Holiday, domain.Workday}
	d.Rolls = []domain.Roll{domain.RollNext, domain.RollPrevious}
	if !d.ruleSent {
		d.RuleForm = ruleForm{strconv.Itoa(d.Rule.DayOfMonth), string(d.Rule.Roll), strconv.Itoa(d.Rule.RemindDays)}
	}
	h.render(w, r, status, "calendar", view{Title: fmt.Sprintf("%d年工作日历", d.Year), Nav: "calendar", Flash: fl, Data: d})
}

// monthGrids lays out the year's months as weeks from Monday, as Chinese calendars do.
func monthGrids(cal *domain.Calendar, year int, service []domain.ServiceDay) []calMonth {
	serviceOn := map[time.Time]bool{}
	for _, sd := range service {
		serviceOn[sd.Date] = true
	}
	months := make([]calMonth, 0, 12)
	for m := time.January; m <= time.December; m++ {
		first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		cm := calMonth{Month: int(m)}
		var week [7]calCell
		col := (int(first.Weekday()) + 6) % 7 // Monday first
		for d := first; d.Month() == m; d = d.AddDate(0, 0, 1) {
			c := calCell{Day: d.Day()}
			wd := d.Weekday()
			if ex, ok := cal.Day(d); ok {
				c.Class, c.Title = string(ex.Kind), ex.Name+" · "+ex.Kind.Label()
			} else if wd == time.Saturday || wd == time.Sunday {
				c.Class = "weekend"
			}
			if serviceOn[d] {
				c.Class = strings.TrimSpace(c.Class + " service")
				c.Title = strings.TrimPrefix(c.Title+" · 企业服务日", " · ")
			}
			week[col] = c
			col++
			if col == 7 {
				cm.Weeks, week, col = append(cm.Weeks, week), [7]calCell{}, 0
			}
		}
		if col > 0 {
			cm.Weeks = append(cm.Weeks, week)
		}
		months = append(months, cm)
	}
	return months
}

// calendarForm reads the year and version every calendar write carries.
func calendarForm(r *http.Request) (year int, version int64, err error) {
	year, yerr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	version, verr := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("version")), 10, 64)
	if yerr != nil || !domain.ValidYear(year) || verr != nil || version < 0 {
		return 0, 0, domain.Errorf(domain.EINVALID, "年份或版本号无效，请从日历页面重新提交。")
	}
	return year, version, nil
}

func calendarURL(year int) string { return "/calendar?year=" + strconv.Itoa(year) }

// calendarRefused shows the page again with what was typed: a conflict with the notice
// and a link to the latest, anything else with the form's problems.
func (h *Handler) calendarRefused(w http.ResponseWriter, r *http.Request, d *calendarData) func(status int, err error) {
	return func(status int, err error) {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			d.Conflict = true
			h.renderCalendar(w, r, status, d, nil)
			return
		}
		if fields := domain.ErrorFields(err); len(fields) > 0 {
			if d.ruleSent {
				d.RuleErrors = fields
			} else {
				d.Problems = fields
			}
			h.renderCalendar(w, r, status, d, nil)
			return
		}
		h.renderCalendar(w, r, status, d, &flash{Kind: "error", Message: domain.ErrorMessage(err)})
	}
}

// addCalendarDay records a holiday or an adjusted workday, or renames/changes the one on
// that date.
func (h *Handler) addCalendarDay(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, version, err := calendarForm(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := dayForm{Date: strings.TrimSpace(r.PostFormValue("date")), Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name"))}
	d := &calendarData{Year: year, Form: f}
	day := domain.CalendarDay{Kind: domain.DayKind(f.Kind), Name: f.Name}
	if f.Date != "" {
		if day.Date, err = domain.ParseDate(f.Date); err != nil {
			h.calendarRefused(w, r, d)(http.StatusUnprocessableEntity, &domain.Error{Code: domain.EINVALID,
				Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"date": domain.ErrorMessage(err)}})
			return
		}
	}
	err = h.Store.SetCalendarDay(r.Context(), request.Actor(r), year, version, day)
	h.finishWrite(w, r, err, h.calendarRefused(w, r, d), calendarURL(year),
		fmt.Sprintf("已将 %s 记为%s（%s）。", f.Date, day.Kind.Label(), f.Name))
}

// removeCalendarDay makes a date an ordinary day again.
func (h *Handler) removeCalendarDay(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, version, err := calendarForm(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	date, err := domain.ParseDate(r.PostFormValue("date"))
	if err == nil {
		err = h.Store.RemoveCalendarDay(r.Context(), request.Actor(r), year, version, date)
	}
	h.finishWrite(w, r, err, h.calendarRefused(w, r, &calendarData{Year: year}), calendarURL(year),
		fmt.Sprintf("已删除 %s，该日恢复为普通的%s。", date.Format(domain.DateLayout), ordinaryLabel(date)))
}

func ordinaryLabel(d time.Time) string {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return "周末"
	}
	return "工作日"
}

// loadNationalCalendar replaces the year's days with the shipped national schedule.
func (h *Handler) loadNationalCalendar(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, version, err := calendarForm(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	days, ok := domain.NationalCalendar(year)
	if !ok {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "系统未内置%d年的国家法定节假日安排，请按国务院办公厅通知逐日添加或导入。", year))
		return
	}
	err = h.Store.SaveCalendarYear(r.Context(), request.Actor(r), year, version, days, "载入国家法定节假日")
	h.finishWrite(w, r, err, h.calendarRefused(w, r, &calendarData{Year: year}), calendarURL(year),
		fmt.Sprintf("已载入%d年国家法定节假日安排（%s）。", year, dayCounts(days)))
}

// saveServiceDayRule stores the rule that places the monthly service day.
func (h *Handler) saveServiceDayRule(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	if !domain.ValidYear(year) {
		year = domain.DateOf(h.Store.Now()).Year()
	}
	f := ruleForm{strings.TrimSpace(r.PostFormValue("day_of_month")), r.PostFormValue("roll"), strings.TrimSpace(r.PostFormValue("remind_days"))}
	d := &calendarData{Year: year, RuleForm: f, ruleSent: true}
	p := domain.Problems{}
	rule := domain.ServiceDayRule{Roll: domain.Roll(f.Roll)}
	var err error
	if rule.DayOfMonth, err = strconv.Atoi(f.DayOfMonth); err != nil {
		p.Add("day_of_month", "请填写1至28之间的整数。")
	}
	if rule.RemindDays, err = strconv.Atoi(f.RemindDays); err != nil {
		p.Add("remind_days", "请填写0至10之间的整数。")
	}
	err = p.Err()
	if err == nil {
		err = h.Store.SetServiceDayRule(r.Context(), request.Actor(r), rule)
	}
	h.finishWrite(w, r, err, h.calendarRefused(w, r, d), calendarURL(year), "已保存企业服务日规则。")
}

func (h *Handler) exportCalendar(w http.ResponseWriter, r *http.Request) {
	year, _ := h.targetYearParam(r)
	cy, err := h.Store.FindCalendarYear(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	writeXLSX(w, fmt.Sprintf("calendar-%d.xlsx", year), xlsx.CalendarTable(year, cy.Days), h)
}

const calendarImportURL = "/calendar/import"

func (h *Handler) calendarTemplate(w http.ResponseWriter, r *http.Request) {
	year, _ := h.targetYearParam(r)
	cy, err := h.Store.FindCalendarYear(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.sendTemplate(w, r, fmt.Sprintf("calendar-%d-template.xlsx", year), func(w io.Writer) error {
		return xlsx.WriteCalendarTemplate(w, year, cy.Days)
	})
}

// importCalendar replaces the year's days with the file's, all or nothing.
func (h *Handler) importCalendar(w http.ResponseWriter, r *http.Request) {
	page := func(year int, version int64) importPage {
		return importPage{What: "节假日", Back: calendarURL(year), BackLabel: "返回日历",
			Template: fmt.Sprintf("/calendar/template.xlsx?year=%d", year), Action: calendarImportURL,
			Hidden: []hiddenField{{"year", strconv.Itoa(year)}, {"version", strconv.FormatInt(version, 10)}}}
	}
	fallback, _ := h.targetYearParam(r)
	up, err := readUpload(w, r)
	if err != nil {
		h.refuseImport(w, r, page(fallback, 0), nil, "", 0, nil, err)
		return
	}
	year, yerr := strconv.Atoi(strings.TrimSpace(up.Fields.Get("year")))
	version, verr := strconv.ParseInt(strings.TrimSpace(up.Fields.Get("version")), 10, 64)
	if yerr != nil || !domain.ValidYear(year) || verr != nil || version < 0 {
		h.refuseImport(w, r, page(fallback, 0), up, "", 0, nil, domain.Errorf(domain.EINVALID, "年份或版本号无效，请从日历页面重新导入。"))
		return
	}
	p := page(year, version)
	imp, err := xlsx.ReadCalendar(up.Data, year)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.CalendarSheet, 0, nil, err)
		return
	}
	if len(imp.Errors) > 0 {
		h.refuseImport(w, r, p, up, xlsx.CalendarSheet, imp.HeaderRow, imp.Errors, nil)
		return
	}
	if err := h.Store.SaveCalendarYear(r.Context(), request.Actor(r), year, version, imp.Days, "导入 "+up.Name); err != nil {
		h.refuseImport(w, r, p, up, xlsx.CalendarSheet, 0, nil, err)
		return
	}
	h.redirect(w, r, calendarURL(year), fmt.Sprintf("已导入%d年节假日安排（%s）。", year, dayCounts(imp.Days)))
}

func (h *Handler) calendarImportErrors(w http.ResponseWriter, r *http.Request) {
	h.sendStashed(w, r, calendarImportURL)
}

// dayCounts reads "放假32天，调休上班7天".
func dayCounts(days []domain.CalendarDay) string {
	n := map[domain.DayKind]int{}
	for _, d := range days {
		n[d.Kind]++
	}
	return fmt.Sprintf("%s%d天，%s%d天", domain.Holiday.Label(), n[domain.Holiday], domain.Workday.Label(), n[domain.Workday])
}
