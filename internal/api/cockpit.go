package api

import (
	"net/http"

	"beizeng/internal/domain"
)

// cockpit answers the cockpit's figures for a period, rounded as the page shows them:
// ?year=&month= (both or neither: the default is the newest month with a submitted or
// approved report) and ?indicator= (a headline indicator to rank units on).
func (h *Handler) cockpit(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "month", "indicator")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, month, err := h.periodOrLatest(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	indicator, err := q.id("indicator")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := h.store.CockpitInput(r.Context(), year, month, indicator, h.store.Now().In(chinaTime))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := domain.BuildCockpit(in)
	if indicator != 0 && !c.HasHeadline(indicator) {
		h.fail(w, r, domain.Errorf(domain.EINVALID, "所选指标不是主要指标，无法排名。"))
		return
	}
	writeJSON(w, http.StatusOK, c)
}
