package api

import (
	"math/big"
	"net/http"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// itemScoreJSON is one unit's result on one item; figures are strings as displayed
// (points at the scheme's decimals), null where the UI shows "—".
type itemScoreJSON struct {
	Name    string  `json:"name"`
	Value   *string `json:"value"`
	Target  *string `json:"target"`
	RatePct *string `json:"rate_pct"`
	Points  *string `json:"points"`
	Capped  bool    `json:"capped"`
	Formula string  `json:"formula,omitempty"`
	Note    string  `json:"note,omitempty"`
}

type unitScoreJSON struct {
	UnitID      int64           `json:"unit_id"`
	UnitName    string          `json:"unit_name"`
	Total       *string         `json:"total"`
	Sum         *string         `json:"sum"`
	TotalCapped bool            `json:"total_capped"`
	Rank        int             `json:"rank,omitempty"`
	Tied        bool            `json:"tied,omitempty"`
	RankLabel   string          `json:"rank_label"`
	PrevRank    int             `json:"prev_rank,omitempty"`
	Change      string          `json:"change"`
	Items       []itemScoreJSON `json:"items"`
}

func schemeYearQuery(r *http.Request) (int, error) {
	q, err := parseQuery(r, "year")
	if err != nil {
		return 0, err
	}
	return phasesYear(q)
}

func (h *Handler) getScoringScheme(w http.ResponseWriter, r *http.Request) {
	year, err := schemeYearQuery(r)
	if err == nil {
		var s *domain.ScoringScheme
		if s, err = h.store.FindScoringScheme(r.Context(), year); err == nil {
			writeJSON(w, http.StatusOK, s)
			return
		}
	}
	h.fail(w, r, err)
}

// putScoringScheme creates (version 0) or replaces (the current version) the year's
// scheme.
func (h *Handler) putScoringScheme(w http.ResponseWriter, r *http.Request) {
	year, err := schemeYearQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Name     string               `json:"name"`
		TotalCap domain.Dec           `json:"total_cap"`
		Decimals int                  `json:"decimals"`
		Items    []domain.ScoringItem `json:"items"`
		Version  int64                `json:"version"`
	}
	if err := decode(w, r, &in); err != nil { // the query, year only, is already checked
		h.fail(w, r, err)
		return
	}
	s := &domain.ScoringScheme{Year: year, Name: in.Name, TotalCap: in.TotalCap, Decimals: in.Decimals, Items: in.Items, Version: in.Version}
	if err := h.store.SaveScoringScheme(r.Context(), request.Actor(r), s); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// shortest shows a value or target in its shortest form (13, 9.5), as shown() wants it.
func shortest(r *big.Rat, _ int) string { return domain.ShowNumber(r) }

func scoresJSON(b domain.Scoreboard) []unitScoreJSON {
	s := b.Scheme
	out := []unitScoreJSON{}
	for _, u := range b.Units {
		j := unitScoreJSON{UnitID: u.Unit.ID, UnitName: u.Unit.Name, Total: shown(u.Total, domain.RoundHalfUp, s.Decimals),
			Sum: shown(u.Sum, domain.RoundHalfUp, s.Decimals), TotalCapped: u.TotalCapped, Rank: u.Rank, Tied: u.Tied,
			RankLabel: domain.RankLabel(u.Rank, u.Tied), PrevRank: u.PrevRank, Change: domain.RankChange(u.PrevRank, u.Rank)}
		for k, is := range u.Items {
			j.Items = append(j.Items, itemScoreJSON{Name: s.Items[k].Name, Value: shown(is.Value, shortest, 0),
				Target: shown(is.Target, shortest, 0), RatePct: shown(is.Rate, domain.FormatPercent, 2),
				Points: shown(is.Points, domain.RoundHalfUp, s.Decimals), Capped: is.Capped, Formula: is.Formula, Note: is.Note})
		}
		out = append(out, j)
	}
	return out
}

// scores answers the period's scores with breakdowns, ranks and changes.
func (h *Handler) scores(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "month")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, month, err := h.periodOrLatest(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.store.UnitScores(r.Context(), year, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Year   int                   `json:"year"`
		Month  int                   `json:"month"`
		Scheme *domain.ScoringScheme `json:"scheme"`
		Units  []unitScoreJSON       `json:"units"`
	}{year, month, b.Scheme, scoresJSON(b)})
}

// scoreHistory answers every unit's rank month by month: through December for a past
// year, through the latest reporting period for the current one.
func (h *Handler) scoreHistory(w http.ResponseWriter, r *http.Request) {
	year, err := schemeYearQuery(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	curYear, curMonth := domain.ReportPeriodAt(h.store.Now(), chinaTime)
	month := 12
	switch {
	case year == curYear:
		month = curMonth
	case year > curYear:
		h.fail(w, r, badRequest("%d年尚无可考核的期间。", year))
		return
	}
	b, err := h.store.UnitScores(r.Context(), year, month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type unitHistory struct {
		UnitID   int64           `json:"unit_id"`
		UnitName string          `json:"unit_name"`
		Ranks    []domain.RankAt `json:"ranks"`
	}
	out := []unitHistory{}
	for _, u := range b.Units {
		out = append(out, unitHistory{u.Unit.ID, u.Unit.Name, u.History})
	}
	writeJSON(w, http.StatusOK, struct {
		Year    int           `json:"year"`
		Through int           `json:"through_month"`
		Units   []unitHistory `json:"units"`
	}{year, month, out})
}
