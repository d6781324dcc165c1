package web

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// A unit's monthly report by Excel: a template of the reported indicators with the values
// saved so far, and its all-or-nothing import into the draft.

func (t *reportTarget) book() xlsx.ReportBook {
	b := xlsx.ReportBook{Unit: t.Unit, Year: t.Year, Month: t.Month, Indicators: t.Indicators}
	if t.Report != nil {
		b.Values = t.Report.Values
	}
	return b
}

func (h *Handler) reportTemplate(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.ReadReport)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.sendTemplate(w, r, fmt.Sprintf("report-%s-%d-%02d.xlsx", t.Unit.Code, t.Year, t.Month), func(w io.Writer) error {
		return xlsx.WriteReportTemplate(w, t.book())
	})
}

// importReport fills the draft from a file: every row is checked first, and one bad row
// leaves the report as it was. Empty value cells keep the values saved before. The unit
// is checked (loadReport) before the upload is read.
func (h *Handler) importReport(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.EditReport)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := importPage{What: "月报", Back: t.URL(), BackLabel: "返回月报", Template: t.URL() + "/template.xlsx",
		Action: t.URL() + "/import"}
	if t.Report != nil {
		p.Hidden = []hiddenField{{"version", strconv.FormatInt(t.Report.Version, 10)}}
		if !t.Report.Status.Editable() {
			h.refuseImport(w, r, p, nil, "", 0, nil, domain.Errorf(domain.EINVALID,
				"月报%s，不能再导入；如需更正请联系市倍增办。", t.Report.Status.Label()))
			return
		}
	}
	up, err := readUpload(w, r)
	if err != nil {
		h.refuseImport(w, r, p, nil, "", 0, nil, err)
		return
	}
	version, verr := strconv.ParseInt(strings.TrimSpace(up.Fields.Get("version")), 10, 64)
	if verr != nil {
		version = 0 // no report yet; a stale or missing version meets the store's conflict check
	}
	imp, err := xlsx.ReadReport(up.Data, t.book())
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.ReportSheet, 0, nil, err)
		return
	}
	if len(imp.Errors) > 0 {
		h.refuseImport(w, r, p, up, xlsx.ReportSheet, imp.HeaderRow, imp.Errors, nil)
		return
	}
	if len(imp.Values) == 0 {
		h.redirect(w, r, t.URL(), "文件中没有填写任何数值，未做修改。")
		return
	}
	values := map[int64]domain.Dec{}
	if t.Report != nil {
		maps.Copy(values, t.Report.Values)
	}
	maps.Copy(values, imp.Values)
	if _, err := h.Store.SaveReportDraft(r.Context(), request.Actor(r), t.Unit.ID, t.Year, t.Month, version, values); err != nil {
		h.refuseImport(w, r, p, up, xlsx.ReportSheet, 0, nil, err)
		return
	}
	h.redirect(w, r, t.URL(), fmt.Sprintf("已从 Excel 导入 %d 项数值并保存为草稿，请核对后报送。", len(imp.Values)))
}

func (h *Handler) reportImportErrors(w http.ResponseWriter, r *http.Request) {
	t, err := h.loadReport(r, auth.EditReport)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.sendStashed(w, r, t.URL()+"/import")
}
