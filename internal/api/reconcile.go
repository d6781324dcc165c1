package api

import (
	"net/http"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type reconciliationJSON struct {
	UnitID      int64   `json:"unit_id"`
	IndicatorID int64   `json:"indicator_id"`
	Published   string  `json:"published"`
	Source      string  `json:"source"`
	Computed    *string `json:"computed"` // rounded as the published figure is; null when the records give none
	Matches     bool    `json:"matches"`
}

// reconciliation compares the period's published figures with the computed ones.
func (h *Handler) reconciliation(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "month")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, month, err := q.period()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := h.store.ProgressInput(r.Context(), year, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	published, err := h.store.FindPublishedFigures(r.Context(), year, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	units := map[int64]*domain.Unit{}
	for _, u := range append(in.Units, in.City) {
		if u != nil {
			units[u.ID] = u
		}
	}
	out := []reconciliationJSON{}
	for _, rc := range domain.ReconcileAll(domain.BuildProgress(in), published, units) {
		j := reconciliationJSON{UnitID: rc.Published.UnitID, IndicatorID: rc.Published.IndicatorID, Published: rc.Published.Figure,
			Source: rc.Published.Source, Matches: rc.Matches}
		if rc.Computed != nil {
			j.Computed = &rc.Shown
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, struct {
		Year  int                  `json:"year"`
		Month int                  `json:"month"`
		Items []reconciliationJSON `json:"items"`
	}{year, month, out})
}

// savePublished stores published figures for a period; an empty figure removes one.
func (h *Handler) savePublished(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Year    int    `json:"year"`
		Month   int    `json:"month"`
		Source  string `json:"source"`
		Figures []struct {
			UnitID      int64  `json:"unit_id"`
			IndicatorID int64  `json:"indicator_id"`
			Figure      string `json:"figure"`
		} `json:"figures"`
	}
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	figs := make([]domain.PublishedFigure, 0, len(in.Figures))
	for _, f := range in.Figures {
		figs = append(figs, domain.PublishedFigure{Year: in.Year, Month: in.Month, UnitID: f.UnitID, IndicatorID: f.IndicatorID,
			Figure: f.Figure, Source: in.Source})
	}
	n, err := h.store.SavePublishedFigures(r.Context(), request.Actor(r), in.Year, in.Month, figs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Changed int `json:"changed"`
	}{n})
}
