package domain

import (
	"strconv"
	"strings"
	"time"
)

// ReportStatus is where a monthly report stands.
type ReportStatus string

const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
	ReportApproved  ReportStatus = "approved"
	ReportReturned  ReportStatus = "returned"
)

// Label is the status's Chinese name.
func (s ReportStatus) Label() string {
	switch s {
	case ReportDraft:
		return "草稿"
	case ReportSubmitted:
		return "已报送"
	case ReportApproved:
		return "已审核"
	case ReportReturned:
		return "已退回"
	}
	return "未填报"
}

// Editable reports whether the reporter may still change the values.
func (s ReportStatus) Editable() bool { return s == ReportDraft || s == ReportReturned || s == "" }

// Report is a unit's monthly report of its reported indicators.
type Report struct {
	ID           int64
	UnitID       int64
	UnitName     string
	Year, Month  int
	Status       ReportStatus
	ReturnReason string
	SubmittedAt  time.Time
	SubmittedBy  string
	ReviewedAt   time.Time
	ReviewedBy   string
	Values       map[int64]Dec // by indicator id
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ReportCorrection is a change to an approved report's value.
type ReportCorrection struct {
	ID          int64
	ReportID    int64
	IndicatorID int64
	OldValue    string
	NewValue    string
	Reason      string
	ActorName   string
	At          time.Time
}

// ValidPeriod checks a report period.
func ValidPeriod(year, month int) bool { return ValidYear(year) && month >= 1 && month <= 12 }

// DefaultReportDeadlineDay is the day of the following month by which a report is due.
const DefaultReportDeadlineDay = 5

// ReportDeadline is the end of the deadline day of the month after the period, in loc:
// a report for October is due by the end of 5 November.
func ReportDeadline(year, month, deadlineDay int, loc *time.Location) time.Time {
	first := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, loc)
	return first.AddDate(0, 0, deadlineDay)
}

// Delivered reports whether the unit has handed the report in: submitted or approved.
// A returned report is back with the unit and counts as not handed in.
func (s ReportStatus) Delivered() bool { return s == ReportSubmitted || s == ReportApproved }

// LateAt reports whether a report in this status is overdue at now: not handed in, and
// the deadline (the first instant after the deadline day) has come.
func (s ReportStatus) LateAt(deadline, now time.Time) bool {
	return !s.Delivered() && !now.Before(deadline)
}

// ReportDeadlineDayOf reads the configured deadline day (a day of the following month,
// 1 to 28 so that every month has it); an unset or unusable setting gives the default.
func ReportDeadlineDayOf(setting string) int {
	if d, err := strconv.Atoi(strings.TrimSpace(setting)); err == nil && d >= 1 && d <= 28 {
		return d
	}
	return DefaultReportDeadlineDay
}

// ReportPeriodAt is the period being reported at now: the month before, in loc
// (October's report is filled in early November).
func ReportPeriodAt(now time.Time, loc *time.Location) (year, month int) {
	t := now.In(loc)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -1, 0)
	return first.Year(), int(first.Month())
}

// ReportLine is one unit's reporting for a period.
type ReportLine struct {
	Unit   *Unit
	Report *Report // nil until the unit saves a first draft
	Late   bool    // not handed in, and the deadline has passed
}

// Status is the report's status; "" (未填报) when there is no report.
func (l ReportLine) Status() ReportStatus {
	if l.Report == nil {
		return ""
	}
	return l.Report.Status
}

// ReportOverview is a period's reporting across the units that report monthly.
type ReportOverview struct {
	Year, Month int
	Deadline    time.Time // the first instant after the deadline day
	Passed      bool      // the deadline has passed
	Lines       []ReportLine
}

// NewReportOverview places each unit's report, if any, against the deadline at now.
func NewReportOverview(year, month int, deadline, now time.Time, units []*Unit, reports []*Report) *ReportOverview {
	byUnit := make(map[int64]*Report, len(reports))
	for _, r := range reports {
		byUnit[r.UnitID] = r
	}
	o := &ReportOverview{Year: year, Month: month, Deadline: deadline, Passed: !now.Before(deadline)}
	for _, u := range units {
		l := ReportLine{Unit: u, Report: byUnit[u.ID]}
		l.Late = l.Status().LateAt(deadline, now)
		o.Lines = append(o.Lines, l)
	}
	return o
}

// Where is the overview's lines that keep accepts.
func (o *ReportOverview) Where(keep func(ReportLine) bool) []ReportLine {
	var out []ReportLine
	for _, l := range o.Lines {
		if keep(l) {
			out = append(out, l)
		}
	}
	return out
}
