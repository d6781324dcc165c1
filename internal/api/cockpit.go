package api

import (
	"net/http"
	"strconv"

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
	var year, month int
	switch {
	case q.str("year") == "" && q.str("month") == "":
		var ok bool
		if year, month, ok, err = h.store.LatestReportPeriod(r.Context()); err != nil {
			h.fail(w, r, err)
			return
		}
		if !ok {
			year, month = domain.ReportPeriodAt(h.store.Now(), chinaTime)
		}
	default:
		y, err1 := strconv.Atoi(q.str("year"))
		m, err2 := strconv.Atoi(q.str("month"))
		if err1 != nil || err2 != nil || !domain.ValidPeriod(y, m) {
			h.fail(w, r, badRequest("请同时用 year（2000–2100）和 month（1–12）指定期间，或都不指定（取最新已报送月份）。"))
			return
		}
		year, month = y, m
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
