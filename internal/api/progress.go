package api

import (
	"math/big"
	"net/http"

	"beizeng/internal/domain"
)

// progressRowJSON is one unit's line; figures are strings rounded half-up exactly as the
// bulletin prints them, null where the UI shows "—".
type progressRowJSON struct {
	UnitID            int64   `json:"unit_id"`
	UnitName          string  `json:"unit_name"`
	Summed            bool    `json:"summed,omitempty"`
	Actual            *string `json:"actual"`
	Base              *string `json:"base"`
	Stretch           *string `json:"stretch"`
	CompletionBase    *string `json:"completion_base_pct"`
	CompletionStretch *string `json:"completion_stretch_pct"`
	GapPoints         *string `json:"gap_points"`
	Colour            string  `json:"colour"`
	Rank              int     `json:"rank,omitempty"`
	Tied              bool    `json:"tied,omitempty"`
	RankLabel         string  `json:"rank_label,omitempty"`
	YearOnYear        *string `json:"year_on_year_pct"`
}

type progressTableJSON struct {
	IndicatorID   int64  `json:"indicator_id"`
	IndicatorCode string `json:"indicator_code"`
	IndicatorName string `json:"indicator_name"`
	Measure       string `json:"measure"`
	RankedBy      string `json:"ranked_by"`
	// TimeProgressPct is what this table compares with: the period's, or its phased one.
	TimeProgressPct string            `json:"time_progress_pct"`
	Phased          bool              `json:"phased"`
	City            *progressRowJSON  `json:"city"`
	Rows            []progressRowJSON `json:"rows"`
}

type progressJSON struct {
	Year            int                 `json:"year"`
	Month           int                 `json:"month"`
	TimeProgressPct string              `json:"time_progress_pct"`
	Tables          []progressTableJSON `json:"tables"`
}

// shown is a figure as displayed, or null when there is none ("—" in the UI).
func shown(r *big.Rat, f func(*big.Rat, int) string, decimals int) *string {
	if r == nil {
		return nil
	}
	s := f(r, decimals)
	return &s
}

func progressRow(ind *domain.Indicator, r domain.ProgressRow, ranked bool) progressRowJSON {
	out := progressRowJSON{UnitID: r.Unit.ID, UnitName: r.Unit.Name, Summed: r.Summed,
		Actual: shown(r.Actual, domain.RoundHalfUp, ind.Decimals), Base: shown(r.Base, domain.RoundHalfUp, ind.Decimals),
		Stretch:           shown(r.Stretch, domain.RoundHalfUp, ind.Decimals),
		CompletionBase:    shown(r.CompletionBase, domain.FormatPercent, 1),
		CompletionStretch: shown(r.CompletionStretch, domain.FormatPercent, 1),
		GapPoints:         shown(r.Gap, domain.FormatPoints, 1), Colour: string(r.Colour),
		YearOnYear: shown(r.YearOnYear, domain.FormatPercent, 1)}
	if ranked {
		out.Rank, out.Tied, out.RankLabel = r.Rank, r.Tied, domain.RankLabel(r.Rank, r.Tied)
	}
	return out
}

// progress answers one period's progress tables, figures rounded as the UI shows them.
func (h *Handler) progress(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "month", "scope")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, month, err := h.periodOrLatest(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	scope, err := q.scope()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := h.store.ProgressInput(r.Context(), year, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in = in.InScope(scope)
	out := progressJSON{Year: year, Month: month, TimeProgressPct: domain.FormatPercent(in.TimeProgress, 1), Tables: []progressTableJSON{}}
	for _, t := range domain.BuildProgress(in) {
		tj := progressTableJSON{IndicatorID: t.Indicator.ID, IndicatorCode: t.Indicator.Code, IndicatorName: t.Indicator.Name,
			Measure: t.Indicator.Measure, RankedBy: t.RankedBy, Rows: []progressRowJSON{},
			TimeProgressPct: domain.FormatPercent(t.TimeProgress, 1), Phased: t.Phased}
		if in.City != nil {
			c := progressRow(t.Indicator, t.City, false)
			tj.City = &c
		}
		for _, row := range t.Rows {
			tj.Rows = append(tj.Rows, progressRow(t.Indicator, row, true))
		}
		out.Tables = append(out.Tables, tj)
	}
	writeJSON(w, http.StatusOK, out)
}
