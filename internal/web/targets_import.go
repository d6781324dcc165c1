package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// The target grid by Excel: a template of every campaign unit × active indicator,
// prefilled with the year's targets, and its all-or-nothing import.

const targetsImportURL = "/targets/import"

func (g *targetGrid) book() xlsx.TargetBook {
	return xlsx.TargetBook{Year: g.year, Units: g.units, Indicators: g.indicators, Targets: g.targets}
}

func (h *Handler) targetsTemplate(w http.ResponseWriter, r *http.Request) {
	year, _ := h.targetYearParam(r)
	g, err := h.loadTargetGrid(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.sendTemplate(w, r, fmt.Sprintf("targets-%d-template.xlsx", year), func(w io.Writer) error {
		return xlsx.WriteTargetTemplate(w, g.book())
	})
}

// importTargets reads the whole file, checks every cell against the catalogue, the units
// and the current targets, and saves it in one transaction, or nothing with every
// problem listed.
func (h *Handler) importTargets(w http.ResponseWriter, r *http.Request) {
	page := func(year int) importPage {
		return importPage{What: "目标", Back: fmt.Sprintf("/targets?year=%d", year), BackLabel: "返回目标",
			Template: fmt.Sprintf("/targets/template.xlsx?year=%d", year), Action: targetsImportURL,
			Hidden: []hiddenField{{"year", strconv.Itoa(year)}}}
	}
	up, err := readUpload(w, r)
	if err != nil {
		// The year field may be unread: the page offers ?year= or this year's.
		fallback, _ := h.targetYearParam(r)
		h.refuseImport(w, r, page(fallback), nil, "", 0, nil, err)
		return
	}
	reason := strings.TrimSpace(up.Fields.Get("reason"))
	year, yerr := strconv.Atoi(strings.TrimSpace(up.Fields.Get("year")))
	if yerr != nil || !domain.ValidYear(year) {
		fallback, _ := h.targetYearParam(r)
		h.refuseImport(w, r, page(fallback), up, "", 0, nil, domain.Errorf(domain.EINVALID, "年份无效，请从目标页面重新导入。"))
		return
	}
	p := page(year)
	p.Reason = reason
	g, err := h.loadTargetGrid(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p.AskReason = len(g.issued) > 0
	imp, err := xlsx.ReadTargets(up.Data, g.book())
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.TargetSheet, 0, nil, err)
		return
	}
	if len(imp.Errors) > 0 {
		h.refuseImport(w, r, p, up, xlsx.TargetSheet, imp.HeaderRow, imp.Errors, nil)
		return
	}
	if len(imp.Cells) == 0 {
		h.redirect(w, r, p.Back, "文件中没有填写任何目标，未做修改。")
		return
	}
	changes := make([]store.TargetChange, len(imp.Cells))
	for i, c := range imp.Cells {
		base := c.Base
		changes[i] = store.TargetChange{UnitID: c.UnitID, IndicatorID: c.IndicatorID, Base: &base, Stretch: c.Stretch}
	}
	n, err := h.Store.SaveTargets(r.Context(), request.Actor(r), year, changes, reason)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.TargetSheet, 0, nil, err)
		return
	}
	msg := fmt.Sprintf("已导入 %d 个目标。", n)
	if n == 0 {
		msg = "文件中的目标与现有目标相同，没有变化。"
	}
	h.redirect(w, r, p.Back, msg)
}

func (h *Handler) targetsImportErrors(w http.ResponseWriter, r *http.Request) {
	h.sendStashed(w, r, targetsImportURL)
}
