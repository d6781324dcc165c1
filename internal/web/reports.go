package web

import (
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// Monthly reports: the period overview for those who read every unit, and each unit's
// report page where its reporters fill it in and coordinators review it.

func reportURL(unitID int64, year, month int) string {
	return fmt.Sprintf("/reports/%d/%d/%d", unitID, year, month)
}

// periodOf reads ?year=&month=. Absent, they are the month being reported now; invalid,
// they are that month too, with a problem to show, so nobody takes a refused filter
// for an applied one.
func (h *Handler) periodOf(r *http.Request) (year, month int, problem string) {
	year, month = domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	q := r.URL.Query()
	ys, ms := strings.TrimSpace(q.Get("year")), strings.TrimSpace(q.Get("month"))
	if ys == "" && ms == "" {
		return year, month, ""
	}
	y, yerr := strconv.Atoi(ys)
	m, merr := strconv.Atoi(ms)
	if yerr != nil || merr != nil || !domain.ValidPeriod(y, m) {
		return year, month, fmt.Sprintf("期间无效（年份 2000–2100，月份 1–12），显示的是默认期间 %d年%d月。", year, month)
	}
	return y, m, ""
}

// lastDay is the deadline day a deadline instant ends, for display.
func lastDay(deadline time.Time) string {
	return deadline.In(chinaTime).AddDate(0, 0, -1).Format("2006-01-02")
}

// reportsOverview is what the period overview and the late page show.
type reportsOverview struct {
	*domain.ReportOverview
	Shown                  []domain.ReportLine // all lines, or the late page's
	DeadlineDay            string
	LateOnly, CanReview    bool
	Problem                string
	Months                 []int
	Delivered, Late, Total int
	DeadlineSetting        int // the configured day of the following month
}

// reports is the period overview; a reporter, who reads only their own unit, goes
// straight to that unit's report.
func (h *Handler) reports(w http.ResponseWriter, r *http.Request) {
	user := request.User(r)
	if !auth.Can(user, auth.ReadReport, 0) {
		year, month, _ := h.periodOf(r)
		http.Redirect(w, r, reportURL(user.UnitID, year, month), http.StatusSeeOther)
		return
	}
	h.renderOverview(w, r, false)
}

// lateReports lists the units that have not handed in the period's report.
func (h *Handler) lateReports(w http.ResponseWriter, r *http.Request) {
	h.renderOverview(w, r, true)
}

func (h *Handler) renderOverview(w http.ResponseWriter, r *http.Request, lateOnly bool) {
	year, month, problem := h.periodOf(r)
	o, err := h.Store.FindReportOverview(r.Context(), year, month, chinaTime)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	user := request.User(r)
	setting, err := h.Store.Setting(r.Context(), store.SettingReportDeadlineDay)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d := reportsOverview{ReportOverview: o, DeadlineDay: lastDay(o.Deadline), LateOnly: lateOnly,
		DeadlineSetting: domain.ReportDeadlineDayOf(setting),
		CanReview:       auth.Can(user, auth.ReviewReports, 0), Problem: problem,
		Months: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Total: len(o.Lines)}
	for _, l := range o.Lines {
		switch {
		case l.Status().Delivered():
			d.Delivered++
		case l.Late:
			d.Late++
		}
	}
	d.Shown = o.Where(func(l domain.ReportLine) bool { return !lateOnly || !l.Status().Delivered() })
	title := fmt.Sprintf("%d年%d月 月报", year, month)
	if lateOnly {
		title = fmt.Sprintf("%d年%d月 逾期及未报送", year, month)
	}
	h.render(w, r, 0, "reports", view{Title: title, Nav: "reports", Data: d})
}

// exportReports writes the period overview with every reported value: units as rows,
// reported indicators as columns. A reporter's export holds their own unit only.
func (h *Handler) exportReports(w http.ResponseWriter, r *http.Request) {
	year, month, problem := h.periodOf(r)
	if problem != "" {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "%s", problem))
		return
	}
	o, err := h.Store.FindReportOverview(r.Context(), year, month, chinaTime)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	indicators, err := h.Store.FindIndicators(r.Context(), true)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	reported := reportedOf(indicators)
	t := xlsx.Table{Sheet: "月报", Title: fmt.Sprintf("%d年%d月 月报填报情况（截止 %s）", year, month, lastDay(o.Deadline)),
		Headers: []string{"编码", "单位", "类型", "状态", "逾期", "报送时间", "报送人", "审核时间", "审核人"},
		Widths:  []float64{12, 20, 12, 10, 8, 18, 12, 18, 12}}
	for _, ind := range reported {
		t.Headers = append(t.Headers, ind.Name+"（"+ind.Measure+"）")
		t.Widths = append(t.Widths, 16)
	}
	user := request.User(r)
	for _, l := range o.Where(func(l domain.ReportLine) bool { return auth.Can(user, auth.ReadReport, l.Unit.ID) }) {
		row := []any{l.Unit.Code, l.Unit.Name, l.Unit.Kind.Label(), l.Status().Label(), yesNo(l.Late)}
		if rep := l.Report; rep != nil {
			row = append(row, cellTime(rep.SubmittedAt), rep.SubmittedBy, cellTime(rep.ReviewedAt), rep.ReviewedBy)
			for _, ind := range reported {
				if v, ok := rep.Values[ind.ID]; ok {
					row = append(row, cellNumber(v))
				} else {
					row = append(row, "")
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	writeXLSX(w, fmt.Sprintf("reports-%d-%02d.xlsx", year, month), t, h)
}

func cellTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006-01-02 15:04")
}

// cellNumber is a value as an Excel number when a float shows it exactly, else as text:
// a spreadsheet must not show a figure the report does not hold.
func cellNumber(d domain.Dec) any {
	s := d.String()
	if f, err := strconv.ParseFloat(s, 64); err == nil && strconv.FormatFloat(f, 'f', -1, 64) == s {
		return f
	}
	return s
}

func reportedOf(indicators []*domain.Indicator) []*domain.Indicator {
	var out []*domain.Indicator
	for _, i := range indicators {
		if i.Kind == domain.KindReported {
			out = append(out, i)
		}
	}
	return out
}

// reportTarget is the unit report a request is about, loaded after the policy allowed
// the action on that unit.
type reportTarget struct {
	Unit        *domain.Unit
	Year, Month int
	Report      *domain.Report // nil until a first draft is saved
	Indicators  []*domain.Indicator
}

func (t *reportTarget) URL() string { return reportURL(t.Unit.ID, t.Year, t.Month) }

// loadReport reads /reports/{unitID}/{year}/{month} and checks the action against the
// unit before anything about it is read: a reporter of another unit learns nothing.
func (h *Handler) loadReport(r *http.Request, action auth.Action) (*reportTarget, error) {
	notFound := domain.Errorf(domain.ENOTFOUND, "页面不存在或已被移除。")
	unitID, err := strconv.ParseInt(r.PathValue("unitID"), 10, 64)
	if err != nil || unitID <= 0 {
		return nil, notFound
	}
	year, yerr := strconv.Atoi(r.PathValue("year"))
	month, merr := strconv.Atoi(r.PathValue("month"))
	if yerr != nil || merr != nil || !domain.ValidPeriod(year, month) {
		return nil, notFound
	}
	if !auth.Can(request.User(r), action, unitID) {
		return nil, domain.ErrForbidden
	}
	t := &reportTarget{Year: year, Month: month}
	if t.Unit, err = h.Store.FindUnitByID(r.Context(), unitID); err != nil {
		return nil, err
	}
	if t.Report, err = h.findReport(r, unitID, year, month); err != nil {
		return nil, err
	}
	if t.Indicators, err = h.Store.FindIndicators(r.Context(), true); err != nil {
		return nil, err
	}
	return t, nil
}

// findReport is the unit's report for the period, or nil when none was started.
func (h *Handler) findReport(r *http.Request, unitID int64, year, month int) (*domain.Report, error) {
	rep, err := h.Store.FindReport(r.Context(), unitID, year, month)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	return rep, err
}

// reportForm is the report form as typed: values by indicator, so that a refused
// submission comes back exactly as it was.
type reportForm struct {
	Values  map[int64]string
	Version string
	Reason  string
}

func formOfReport(rep *domain.Report) reportForm {
	f := reportForm{Values: map[int64]string{}, Version: "0"}
	if rep != nil {
		for id, v := range rep.Values {
			f.Values[id] = v.String()
		}
		f.Version = strconv.FormatInt(rep.Version, 10)
	}
	return f
}

func valueField(id int64) string { return "v_" + strconv.FormatInt(id, 10) }

// readReportForm reads the values of the reported indicators (v_<id>); an empty input is
// a value not filled in. A bad number is a problem named after its indicator.
func readReportForm(r *http.Request, indicators []*domain.Indicator) (reportForm, map[int64]domain.Dec, int64, domain.Problems) {
	p := domain.Problems{}
	f := reportForm{Values: map[int64]string{}, Version: r.PostFormValue("version"), Reason: r.PostFormValue("reason")}
	values := map[int64]domain.Dec{}
	for _, ind := range reportedOf(indicators) {
		field := valueField(ind.ID)
		raw := r.PostFormValue(field)
		f.Values[ind.ID] = raw
		if strings.TrimSpace(raw) == "" {
			continue
		}
		v, err := domain.ParseDec(raw)
		if err != nil {
			p.Add(field, "“"+ind.Name+"”"+domain.ErrorMessage(err))
			continue
		}
		values[ind.ID] = v
	}
	version := formInt(r, "version", "版本", p)
	return f, values, version, p
}

// reportRow is one reported indicator on the page.
type reportRow struct {
	Indicator *domain.Indicator
	Field     string
	Input     string
	LastYear  string
}

// ratioRow is a ratio indicator computed from the values on the page, or a derived one
// counted from the records.
type ratioRow struct {
	Indicator *domain.Indicator
	Formula   string // 分子 ÷ 分母
	Value     string
	LastYear  string
}

type correctionRow struct {
	*domain.ReportCorrection
	Indicator string
}

type reportPage struct {
	*reportTarget
	Status                         domain.ReportStatus
	Form                           reportForm
	Rows                           []reportRow
	Ratios                         []ratioRow
	Corrections                    []correctionRow
	DeadlineDay                    string
	Late                           bool
	CanEdit, CanReview, CanCorrect bool
	CanOverview                    bool
	Problems                       map[string]string
	Conflict                       bool
	PrevURL, NextURL               string
}

// Inputs reports whether the values are editable for this user.
func (p reportPage) Inputs() bool { return p.CanEdit || p.CanCorrect }

func (h *Handler) reportPage(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.ReadReport)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.renderReport(w, r, 0, t, formOfReport(t.Report), nil)
}

// renderReport shows the report with the form f; err is what refused a submission.
func (h *Handler) renderReport(w http.ResponseWriter, r *http.Request, status int, t *reportTarget, f reportForm, err error) {
	ctx := r.Context()
	lastYear, lerr := h.findReport(r, t.Unit.ID, t.Year-1, t.Month)
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	deadline, derr := h.Store.ReportDeadline(ctx, t.Year, t.Month, chinaTime)
	if derr != nil {
		h.Error(w, r, derr)
		return
	}
	user := request.User(r)
	p := reportPage{reportTarget: t, Form: f, DeadlineDay: lastDay(deadline),
		Problems: domain.ErrorFields(err), Conflict: domain.ErrorCode(err) == domain.ECONFLICT,
		CanOverview: auth.Can(user, auth.ReadReport, 0)}
	if t.Report != nil {
		p.Status = t.Report.Status
	}
	p.Late = p.Status.LateAt(deadline, h.Store.Now())
	canReview := auth.Can(user, auth.ReviewReports, t.Unit.ID)
	p.CanEdit = auth.Can(user, auth.EditReport, t.Unit.ID) && p.Status.Editable()
	p.CanReview = canReview && p.Status == domain.ReportSubmitted
	p.CanCorrect = canReview && p.Status == domain.ReportApproved

	// Ratios are computed from the values as they stand on the page, typed ones included.
	current := map[int64]*big.Rat{}
	for id, s := range f.Values {
		if v, err := domain.ParseDec(s); err == nil {
			current[id] = v.Rat()
		}
	}
	last := map[int64]*big.Rat{}
	if lastYear != nil {
		for id, v := range lastYear.Values {
			last[id] = v.Rat()
		}
	}
	// Derived figures come from the records, not the form; ratios may divide them too.
	for _, p := range []struct {
		year int
		into map[int64]*big.Rat
	}{{t.Year, current}, {t.Year - 1, last}} {
		figs, ferr := h.Store.DerivedFigures(ctx, t.Unit.ID, p.year, t.Month)
		if ferr != nil {
			h.Error(w, r, ferr)
			return
		}
		for id, v := range figs {
			p.into[id] = v.Rat()
		}
	}
	names := map[int64]string{}
	for _, ind := range t.Indicators {
		names[ind.ID] = ind.Name
	}
	for _, ind := range t.Indicators {
		switch ind.Kind {
		case domain.KindReported:
			row := reportRow{Indicator: ind, Field: valueField(ind.ID), Input: f.Values[ind.ID], LastYear: domain.NoValue}
			if lastYear != nil {
				if v, ok := lastYear.Values[ind.ID]; ok {
					row.LastYear = v.String()
				}
			}
			p.Rows = append(p.Rows, row)
		case domain.KindDerived:
			p.Ratios = append(p.Ratios, ratioRow{Indicator: ind, Formula: "按统计规则从项目台账自动得出",
				Value: domain.RoundHalfUp(current[ind.ID], ind.Decimals), LastYear: domain.RoundHalfUp(last[ind.ID], ind.Decimals)})
		case domain.KindRatio:
			formula := names[ind.NumeratorID] + " ÷ " + names[ind.DenominatorID]
			if ind.Measure == "%" {
				formula += " × 100"
			}
			p.Ratios = append(p.Ratios, ratioRow{Indicator: ind, Formula: formula,
				Value:    domain.RoundHalfUp(ind.RatioValue(current[ind.NumeratorID], current[ind.DenominatorID]), ind.Decimals),
				LastYear: domain.RoundHalfUp(ind.RatioValue(last[ind.NumeratorID], last[ind.DenominatorID]), ind.Decimals)})
		}
	}
	if t.Report != nil {
		cs, cerr := h.Store.FindReportCorrections(ctx, t.Report.ID)
		if cerr != nil {
			h.Error(w, r, cerr)
			return
		}
		for _, c := range cs {
			name := names[c.IndicatorID]
			if name == "" {
				name = fmt.Sprintf("指标 %d", c.IndicatorID)
			}
			p.Corrections = append(p.Corrections, correctionRow{c, name})
		}
	}
	prev := time.Date(t.Year, time.Month(t.Month)-1, 1, 0, 0, 0, 0, time.UTC)
	next := time.Date(t.Year, time.Month(t.Month)+1, 1, 0, 0, 0, 0, time.UTC)
	if domain.ValidPeriod(prev.Year(), int(prev.Month())) {
		p.PrevURL = reportURL(t.Unit.ID, prev.Year(), int(prev.Month()))
	}
	if domain.ValidPeriod(next.Year(), int(next.Month())) {
		p.NextURL = reportURL(t.Unit.ID, next.Year(), int(next.Month()))
	}
	v := view{Title: fmt.Sprintf("%s %d年%d月 月报", t.Unit.Name, t.Year, t.Month), Nav: "reports", Data: p}
	if err != nil && !p.Conflict {
		v.Flash = &flash{Kind: "error", Message: domain.ErrorMessage(err)}
	}
	h.render(w, r, status, "report", v)
}

// reportRefused answers a refused write: the page again with the input kept, or the
// error page when there is no page to show.
func (h *Handler) reportRefused(w http.ResponseWriter, r *http.Request, t *reportTarget, f reportForm, err error) {
	switch domain.ErrorCode(err) {
	case domain.EINVALID, domain.ECONFLICT:
		h.renderReport(w, r, api.Status(domain.ErrorCode(err)), t, f, err)
	default:
		h.Error(w, r, err)
	}
}

// saveReport stores the reporter's values as a draft.
func (h *Handler) saveReport(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.EditReport)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f, values, version, p := readReportForm(r, t.Indicators)
	err = p.Err()
	if err == nil {
		_, err = h.Store.SaveReportDraft(r.Context(), request.Actor(r), t.Unit.ID, t.Year, t.Month, version, values)
	}
	if err != nil {
		h.reportRefused(w, r, t, f, err)
		return
	}
	h.redirect(w, r, t.URL(), "已保存草稿。")
}

// submitReport saves what the form holds when it differs from the stored draft, then
// submits: the reporter need not save before submitting.
func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.EditReport)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f, values, version, p := readReportForm(r, t.Indicators)
	if err := p.Err(); err != nil {
		h.reportRefused(w, r, t, f, err)
		return
	}
	ctx, actor := r.Context(), request.Actor(r)
	if t.Report == nil || !maps.Equal(t.Report.Values, values) {
		saved, err := h.Store.SaveReportDraft(ctx, actor, t.Unit.ID, t.Year, t.Month, version, values)
		if err != nil {
			h.reportRefused(w, r, t, f, err)
			return
		}
		// Should the submission now be refused, the page shows the saved draft.
		t.Report, version = saved, saved.Version
		f.Version = strconv.FormatInt(version, 10)
	}
	if _, err := h.Store.TransitionReport(ctx, actor, t.Report.ID, version, store.TransitionSubmit, ""); err != nil {
		h.reportRefused(w, r, t, f, err)
		return
	}
	h.redirect(w, r, t.URL(), "已报送，等待市倍增办审核。")
}

func (h *Handler) approveReport(w http.ResponseWriter, r *http.Request) {
	h.reviewReport(w, r, store.TransitionApprove, "已审核通过，数值已锁定。")
}

func (h *Handler) returnReport(w http.ResponseWriter, r *http.Request) {
	h.reviewReport(w, r, store.TransitionReturn, "已退回，填报单位将看到退回原因。")
}

// reviewReport approves or returns a submitted report.
func (h *Handler) reviewReport(w http.ResponseWriter, r *http.Request, tr store.ReportTransition, done string) {
	t, err := h.loadReport(r, auth.ReviewReports)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil && t.Report == nil {
		err = domain.ErrNotFound("月报")
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := formOfReport(t.Report)
	f.Version, f.Reason = r.PostFormValue("version"), r.PostFormValue("reason")
	p := domain.Problems{}
	version := formInt(r, "version", "版本", p)
	err = p.Err()
	if err == nil {
		_, err = h.Store.TransitionReport(r.Context(), request.Actor(r), t.Report.ID, version, tr, f.Reason)
	}
	if err != nil {
		h.reportRefused(w, r, t, f, err)
		return
	}
	h.redirect(w, r, t.URL(), done)
}

// correctReport changes values of an approved report, with a reason kept in its history.
func (h *Handler) correctReport(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.ReviewReports)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil && t.Report == nil {
		err = domain.ErrNotFound("月报")
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f, values, version, p := readReportForm(r, t.Indicators)
	err = p.Err()
	if err == nil {
		_, err = h.Store.CorrectReport(r.Context(), request.Actor(r), t.Report.ID, version, values, f.Reason)
	}
	if err != nil {
		h.reportRefused(w, r, t, f, err)
		return
	}
	h.redirect(w, r, t.URL(), "已更正，更正记录见下方。")
}

// saveReportDeadline sets the day of the following month by which reports are due.
func (h *Handler) saveReportDeadline(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	back := "/reports?" + r.URL.RawQuery
	day, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("deadline_day")))
	if err != nil || day < 1 || day > 28 {
		h.setFlash(w, "error", "截止日应为1至28之间的整数（次月几日前报送）。")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if err := h.Store.SetSetting(r.Context(), request.Actor(r), store.SettingReportDeadlineDay, strconv.Itoa(day)); err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, back, fmt.Sprintf("已设置：月报须在次月%d日（含）前报送。", day))
}
