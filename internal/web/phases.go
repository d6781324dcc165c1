package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// phaseRow is one indicator's schedule as shown: a cell per month, as typed.
type phaseRow struct {
	Indicator *domain.Indicator
	Cells     []planCell
	Error     string
}

// phasesYear reads ?year=, defaulting to the year being reported.
func (h *Handler) phasesYear(r *http.Request) (int, error) {
	year, _ := domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || !domain.ValidYear(y) {
			return 0, domain.Errorf(domain.EINVALID, "年份应为2000至2100之间的整数。")
		}
		year = y
	}
	return year, nil
}

func (h *Handler) phases(w http.ResponseWriter, r *http.Request) {
	year, err := h.phasesYear(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.renderPhases(w, r, 0, year, nil, nil)
}

// renderPhases shows the schedules; typed holds a refused submission's cells.
func (h *Handler) renderPhases(w http.ResponseWriter, r *http.Request, status int, year int, typed map[string]string, rowErrors map[int64]string) {
	inds, err := h.Store.FindIndicators(r.Context(), true)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	phases, err := h.Store.FindPhases(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var rows []phaseRow
	for _, ind := range inds {
		if ind.Accumulation != domain.Cumulative {
			continue // a schedule of shares only means something for year-to-date figures
		}
		row := phaseRow{Indicator: ind, Error: rowErrors[ind.ID]}
		for m := 1; m <= 12; m++ {
			name := fmt.Sprintf("p_%d_%d", ind.ID, m)
			cell := planCell{Name: name}
			if v, ok := phases[ind.ID][m]; ok {
				cell.Value = v.String()
			}
			if t, ok := typed[name]; ok {
				cell.Value = t
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	h.render(w, r, status, "phases", view{Title: "分阶段目标", Nav: "targets", Data: struct {
		Year      int
		Rows      []phaseRow
		Months    []int
		CanManage bool
		Failed    bool
	}{year, rows, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, auth.CanAtAll(request.User(r), auth.ManageCampaign), len(rowErrors) > 0}})
}

// savePhases replaces every cumulative indicator's schedule for the year at once; a bad
// cell refuses the whole form and names its indicator.
func (h *Handler) savePhases(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil || !domain.ValidYear(year) {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "年份无效。"))
		return
	}
	inds, err := h.Store.FindIndicators(r.Context(), true)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	typed := map[string]string{}
	rowErrors := map[int64]string{}
	all := map[int64]domain.Phases{}
	for _, ind := range inds {
		if ind.Accumulation != domain.Cumulative {
			continue
		}
		p := domain.Phases{}
		for m := 1; m <= 12; m++ {
			name := fmt.Sprintf("p_%d_%d", ind.ID, m)
			raw := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue(name)), "%"))
			typed[name] = raw
			if raw == "" {
				continue
			}
			v, perr := domain.ParseDec(raw)
			if perr != nil {
				rowErrors[ind.ID] = fmt.Sprintf("%d月：%s", m, domain.ErrorMessage(perr))
				continue
			}
			p[m] = v
		}
		if rowErrors[ind.ID] == "" {
			if verr := p.Validate(); verr != nil {
				rowErrors[ind.ID] = domain.ErrorMessage(verr)
			}
		}
		all[ind.ID] = p
	}
	if len(rowErrors) == 0 {
		err = h.Store.SavePhases(r.Context(), request.Actor(r), year, all)
	}
	if len(rowErrors) > 0 || err != nil {
		if err != nil && domain.ErrorCode(err) != domain.EINVALID {
			h.Error(w, r, err)
			return
		}
		h.renderPhases(w, r, http.StatusUnprocessableEntity, year, typed, rowErrors)
		return
	}
	h.redirect(w, r, fmt.Sprintf("/targets/phases?year=%d", year), "已保存分阶段目标；目标进度按此计算。")
}
