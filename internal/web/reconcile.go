package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type reconcileCell struct {
	Name, Value string
}

type reconcileRow struct {
	Unit  *domain.Unit
	Cells []reconcileCell
}

// reconcile shows the period's published figures beside the computed ones, flagging
// every figure the records do not reproduce at the figure's own rounding.
func (h *Handler) reconcile(w http.ResponseWriter, r *http.Request) {
	in, ok := h.progressInput(w, r)
	if !ok {
		return
	}
	h.renderReconcile(w, r, 0, in, nil, nil)
}

func (h *Handler) renderReconcile(w http.ResponseWriter, r *http.Request, status int, in domain.ProgressInput, typed map[string]string, err error) {
	published, perr := h.Store.FindPublishedFigures(r.Context(), in.Year, in.Month)
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	units := map[int64]*domain.Unit{}
	rowsUnits := in.Units
	if in.City != nil {
		units[in.City.ID] = in.City
		rowsUnits = append([]*domain.Unit{in.City}, in.Units...)
	}
	for _, u := range in.Units {
		units[u.ID] = u
	}
	results := domain.ReconcileAll(domain.BuildProgress(in), published, units)
	flagged := 0
	for _, rc := range results {
		if !rc.Matches {
			flagged++
		}
	}
	stored := map[domain.CellKey]string{}
	source := ""
	for _, p := range published {
		stored[domain.CellKey{UnitID: p.UnitID, IndicatorID: p.IndicatorID}] = p.Figure
		source = p.Source
	}
	var grid []reconcileRow
	for _, u := range rowsUnits {
		row := reconcileRow{Unit: u}
		for _, ind := range in.Indicators {
			name := fmt.Sprintf("f_%d_%d", u.ID, ind.ID)
			v := stored[domain.CellKey{UnitID: u.ID, IndicatorID: ind.ID}]
			if t, ok := typed[name]; ok {
				v = t
			}
			row.Cells = append(row.Cells, reconcileCell{name, v})
		}
		grid = append(grid, row)
	}
	if src, ok := typed["source"]; ok {
		source = src
	}
	v := view{Title: "数据核对", Nav: "progress", Data: struct {
		Year, Month int
		Results     []domain.Reconciliation
		Flagged     int
		Indicators  []*domain.Indicator
		Grid        []reconcileRow
		Source      string
		CanManage   bool
	}{in.Year, in.Month, results, flagged, in.Indicators, grid, source, auth.CanAtAll(request.User(r), auth.ManageCampaign)}}
	if err != nil {
		v.Flash = &flash{Kind: "error", Message: domain.ErrorMessage(err)}
	}
	h.render(w, r, status, "reconcile", v)
}

// savePublished stores the figures typed into the grid; one bad figure saves nothing.
func (h *Handler) savePublished(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	in, ok := h.progressInput(w, r)
	if !ok {
		return
	}
	source := strings.TrimSpace(r.PostFormValue("source"))
	typed := map[string]string{"source": source}
	var figures []domain.PublishedFigure
	var bad []string
	units := in.Units
	if in.City != nil {
		units = append([]*domain.Unit{in.City}, units...)
	}
	for _, u := range units {
		for _, ind := range in.Indicators {
			name := fmt.Sprintf("f_%d_%d", u.ID, ind.ID)
			v := strings.TrimSpace(r.PostFormValue(name))
			typed[name] = v
			if v != "" {
				if err := domain.ValidatePublished(v); err != nil {
					bad = append(bad, u.Name+" · "+ind.Name)
				}
			}
			figures = append(figures, domain.PublishedFigure{Year: in.Year, Month: in.Month, UnitID: u.ID, IndicatorID: ind.ID, Figure: v, Source: source})
		}
	}
	var err error
	if len(bad) > 0 {
		err = domain.Errorf(domain.EINVALID, "以下公布数不是有效的数字，未保存任何内容：%s。", strings.Join(bad, "、"))
	} else {
		_, err = h.Store.SavePublishedFigures(r.Context(), request.Actor(r), in.Year, in.Month, figures)
	}
	if err != nil {
		h.renderReconcile(w, r, api.Status(domain.ErrorCode(err)), in, typed, err)
		return
	}
	h.redirect(w, r, "/reconcile?year="+strconv.Itoa(in.Year)+"&month="+strconv.Itoa(in.Month), "已保存公布数，核对结果已更新。")
}
