package api

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// phaseJSON is one point of an indicator's phased schedule: the percentage of the annual
// target due by the end of the month.
type phaseJSON struct {
	IndicatorID int64      `json:"indicator_id"`
	Month       int        `json:"month"`
	SharePct    domain.Dec `json:"share_pct"`
}

func phasesYear(q query) (int, error) {
	year, err := strconv.Atoi(q.str("year"))
	if err != nil || !domain.ValidYear(year) {
		return 0, badRequest("请用 year（2000–2100）指定年份。")
	}
	return year, nil
}

func (h *Handler) listPhases(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := phasesYear(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	phases, err := h.store.FindPhases(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []phaseJSON{}
	for id, p := range phases {
		for m, v := range p {
			out = append(out, phaseJSON{id, m, v})
		}
	}
	slices.SortFunc(out, func(a, b phaseJSON) int {
		return cmp.Or(cmp.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.Month, b.Month))
	})
	writeJSON(w, http.StatusOK, struct {
		Year   int         `json:"year"`
		Phases []phaseJSON `json:"phases"`
	}{year, out})
}

// savePhases replaces the schedules of the indicators named in the body; an indicator
// listed in clear loses its schedule.
func (h *Handler) savePhases(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Year   int         `json:"year"`
		Phases []phaseJSON `json:"phases"`
		Clear  []int64     `json:"clear"`
	}
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	all := map[int64]domain.Phases{}
	for _, id := range in.Clear {
		all[id] = domain.Phases{}
	}
	for _, p := range in.Phases {
		if all[p.IndicatorID] == nil {
			all[p.IndicatorID] = domain.Phases{}
		}
		if _, dup := all[p.IndicatorID][p.Month]; dup {
			h.fail(w, r, domain.Errorf(domain.EINVALID, "指标 %d 的 %d 月出现了两次。", p.IndicatorID, p.Month))
			return
		}
		all[p.IndicatorID][p.Month] = p.SharePct
	}
	if err := h.store.SavePhases(r.Context(), request.Actor(r), in.Year, all); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
