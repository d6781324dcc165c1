package domain

import "time"

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
