package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// reportJSON is a unit's monthly report. A report not started yet is shown too, with id
// null, status "none" and version 0: the version a first PUT sends.
type reportJSON struct {
	ID           *int64                `json:"id"`
	UnitID       int64                 `json:"unit_id"`
	UnitName     string                `json:"unit_name"`
	Year         int                   `json:"year"`
	Month        int                   `json:"month"`
	Status       string                `json:"status"`
	ReturnReason string                `json:"return_reason"`
	SubmittedAt  *time.Time            `json:"submitted_at"`
	SubmittedBy  string                `json:"submitted_by"`
	ReviewedAt   *time.Time            `json:"reviewed_at"`
	ReviewedBy   string                `json:"reviewed_by"`
	Deadline     time.Time             `json:"deadline"`
	Late         bool                  `json:"late"`
	Values       map[string]domain.Dec `json:"values"`
	Version      int64                 `json:"version"`
	UpdatedAt    *time.Time            `json:"updated_at"`
	Corrections  *[]correctionJSON     `json:"corrections,omitempty"`
}

type correctionJSON struct {
	IndicatorID int64     `json:"indicator_id"`
	OldValue    *string   `json:"old_value"` // null when the value was not filled in
	NewValue    string    `json:"new_value"`
	Reason      string    `json:"reason"`
	ActorName   string    `json:"actor_name"`
	At          time.Time `json:"at"`
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// reportOut shows a unit's report (nil: not started) against the period's deadline.
func reportOut(u *domain.Unit, year, month int, rep *domain.Report, deadline, now time.Time) reportJSON {
	j := reportJSON{UnitID: u.ID, UnitName: u.Name, Year: year, Month: month, Status: "none", Deadline: deadline,
		Values: map[string]domain.Dec{}}
	var status domain.ReportStatus
	if rep != nil {
		status = rep.Status
		j.ID, j.Status, j.ReturnReason, j.Version = &rep.ID, string(rep.Status), rep.ReturnReason, rep.Version
		j.SubmittedAt, j.SubmittedBy = timeOrNull(rep.SubmittedAt), rep.SubmittedBy
		j.ReviewedAt, j.ReviewedBy = timeOrNull(rep.ReviewedAt), rep.ReviewedBy
		j.UpdatedAt = timeOrNull(rep.UpdatedAt)
		for id, v := range rep.Values {
			j.Values[strconv.FormatInt(id, 10)] = v
		}
	}
	j.Late = status.LateAt(deadline, now)
	return j
}

// reportList is the answer of GET /reports: the period, its deadline and one item per
// unit the caller may read.
type reportList struct {
	Year     int          `json:"year"`
	Month    int          `json:"month"`
	Deadline time.Time    `json:"deadline"`
	Passed   bool         `json:"deadline_passed"`
	Items    []reportJSON `json:"items"`
}

// listReports shows the period's reporting. Coordinators and leaders see every unit; a
// reporter sees their own unit only.
func (h *Handler) listReports(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "month")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, month := domain.ReportPeriodAt(h.store.Now(), chinaTime)
	if q.str("year") != "" || q.str("month") != "" {
		y, yerr := strconv.Atoi(q.str("year"))
		m, merr := strconv.Atoi(q.str("month"))
		if yerr != nil || merr != nil || !domain.ValidPeriod(y, m) {
			h.fail(w, r, badRequest("查询参数 year 和 month 须同时提供：年份 2000–2100，月份 1–12；收到 year=%q, month=%q。", q.str("year"), q.str("month")))
			return
		}
		year, month = y, m
	}
	o, err := h.store.FindReportOverview(r.Context(), year, month, chinaTime)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	user, now := request.User(r), h.store.Now()
	out := reportList{Year: year, Month: month, Deadline: o.Deadline, Passed: o.Passed, Items: []reportJSON{}}
	for _, l := range o.Lines {
		if auth.Can(user, auth.ReadReport, l.Unit.ID) {
			out.Items = append(out.Items, reportOut(l.Unit, year, month, l.Report, o.Deadline, now))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// reportRef is the report a path names: /reports/{unitID}/{year}/{month}.
type reportRef struct {
	unit        *domain.Unit
	year, month int
	report      *domain.Report // nil: not started
}

// reportFromPath reads the path and applies the action to its unit before anything about
// the unit is read, so a reporter of another unit learns nothing.
func (h *Handler) reportFromPath(r *http.Request, action auth.Action) (*reportRef, error) {
	unitID, err := strconv.ParseInt(r.PathValue("unitID"), 10, 64)
	if err != nil || unitID <= 0 {
		return nil, badRequest("路径中的 unitID 应为正整数，收到 %q。", r.PathValue("unitID"))
	}
	year, yerr := strconv.Atoi(r.PathValue("year"))
	month, merr := strconv.Atoi(r.PathValue("month"))
	if yerr != nil || merr != nil || !domain.ValidPeriod(year, month) {
		return nil, badRequest("路径中的期间无效：年份 2000–2100，月份 1–12；收到 %q/%q。", r.PathValue("year"), r.PathValue("month"))
	}
	if !auth.Can(request.User(r), action, unitID) {
		return nil, domain.ErrForbidden
	}
	ref := &reportRef{year: year, month: month}
	if ref.unit, err = h.store.FindUnitByID(r.Context(), unitID); err != nil {
		return nil, err
	}
	ref.report, err = h.store.FindReport(r.Context(), unitID, year, month)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		err = nil
	}
	return ref, err
}

// answer writes the report after a read or a write, with its corrections when asked.
func (h *Handler) answerReport(ctx context.Context, w http.ResponseWriter, r *http.Request, ref *reportRef, corrections bool) {
	deadline, err := h.store.ReportDeadline(ctx, ref.year, ref.month, chinaTime)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := reportOut(ref.unit, ref.year, ref.month, ref.report, deadline, h.store.Now())
	if corrections {
		list := []correctionJSON{}
		if ref.report != nil {
			cs, err := h.store.FindReportCorrections(ctx, ref.report.ID)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			for _, c := range cs {
				j := correctionJSON{IndicatorID: c.IndicatorID, NewValue: c.NewValue, Reason: c.Reason, ActorName: c.ActorName, At: c.At}
				if c.OldValue != "" {
					j.OldValue = &c.OldValue
				}
				list = append(list, j)
			}
		}
		out.Corrections = &list
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getReport(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ref, err := h.reportFromPath(r, auth.ReadReport)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerReport(r.Context(), w, r, ref, true)
}

// reportBody is the body of PUT and of the actions. values maps indicator ids to numbers
// (or numeric strings); each is read exactly, never through a float.
type reportBody struct {
	Version *int64                     `json:"version"`
	Reason  string                     `json:"reason"`
	Values  map[string]json.RawMessage `json:"values"`
}

// read checks the body: version is required (0 creates a report), and the values are
// indicator ids with exact decimals.
func (b reportBody) read(p domain.Problems) (version int64, values map[int64]domain.Dec) {
	if b.Version == nil || *b.Version < 0 {
		p.Add("version", "请提供 version：读取月报时得到的版本号（尚未填报时为 0），用于防止覆盖他人的修改。")
	} else {
		version = *b.Version
	}
	values = map[int64]domain.Dec{}
	for key, raw := range b.Values {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id <= 0 {
			p.Add("values", "values 的键应为指标 id（正整数），收到 "+strconv.Quote(key)+"。")
			continue
		}
		var v domain.Dec
		if string(raw) == "null" {
			p.Add("values."+key, "数值不能为 null；未填写的指标请省略。")
			continue
		}
		if err := v.UnmarshalJSON(raw); err != nil {
			msg := "应为数字。"
			if domain.ErrorCode(err) == domain.EINVALID {
				msg = domain.ErrorMessage(err)
			}
			p.Add("values."+key, msg)
			continue
		}
		values[id] = v
	}
	return version, values
}

// putReport saves a draft: values replace the draft's values; indicators left out are
// not filled in.
func (h *Handler) putReport(w http.ResponseWriter, r *http.Request) {
	ref, err := h.reportFromPath(r, auth.EditReport)
	var in reportBody
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	version, values := in.read(p)
	if in.Reason != "" {
		p.Add("reason", "保存草稿不需要 reason。")
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if ref.report, err = h.store.SaveReportDraft(r.Context(), request.Actor(r), ref.unit.ID, ref.year, ref.month, version, values); err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerReport(r.Context(), w, r, ref, false)
}

func (h *Handler) submitReport(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, store.TransitionSubmit, auth.EditReport)
}

func (h *Handler) approveReport(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, store.TransitionApprove, auth.ReviewReports)
}

func (h *Handler) returnReport(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, store.TransitionReturn, auth.ReviewReports)
}

func (h *Handler) correctReport(w http.ResponseWriter, r *http.Request) {
	h.reportAction(w, r, transitionCorrect, auth.ReviewReports)
}

// reportAction is POST …/submit, …/approve, …/return or …/correct.
func (h *Handler) reportAction(w http.ResponseWriter, r *http.Request, t store.ReportTransition, action auth.Action) {
	ref, err := h.reportFromPath(r, action)
	var in reportBody
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err == nil && ref.report == nil {
		err = domain.ErrNotFound("月报")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	version, values := in.read(p)
	if t != transitionCorrect && in.Values != nil {
		p.Add("values", "只有更正（correct）时可以提供 values；报送前请用 PUT 保存数值。")
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), request.Actor(r)
	if t == transitionCorrect {
		ref.report, err = h.store.CorrectReport(ctx, actor, ref.report.ID, version, values, in.Reason)
	} else {
		ref.report, err = h.store.TransitionReport(ctx, actor, ref.report.ID, version, t, in.Reason)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerReport(ctx, w, r, ref, false)
}

// transitionCorrect routes POST …/correct through reportAction; it is not a status move.
const transitionCorrect store.ReportTransition = "correct"
