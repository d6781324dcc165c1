package api

import (
	"math/big"
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

type warningsJSON struct {
	Date  string                    `json:"date"`
	Items []store.ProjectWarningRow `json:"items"`
	Total int                       `json:"total"`
}

// projectWarnings lists the projects with active warnings today, for the city or one unit.
func (h *Handler) projectWarnings(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unitID, err := q.id("unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rules, err := h.store.WarningRules(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	today := h.store.Now().In(chinaTime)
	rows, err := h.store.ProjectWarnings(r.Context(), unitID, today, rules)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.ProjectWarningRow{}
	}
	writeJSON(w, http.StatusOK, warningsJSON{Date: today.Format(time.DateOnly), Items: rows, Total: len(rows)})
}

func (h *Handler) listCohorts(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.store.FindCohorts(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[*domain.Cohort]{Items: cs, Total: len(cs), Limit: len(cs)}
	if out.Items == nil {
		out.Items = []*domain.Cohort{}
	}
	writeJSON(w, http.StatusOK, out)
}

type cohortIn struct {
	Name       string `json:"name"`
	SignedFrom string `json:"signed_from"`
	SignedTo   string `json:"signed_to"`
}

func (h *Handler) createCohort(w http.ResponseWriter, r *http.Request) {
	var in cohortIn
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	c := &domain.Cohort{Name: in.Name, SignedFrom: in.SignedFrom, SignedTo: in.SignedTo}
	if err := h.store.CreateCohort(r.Context(), request.Actor(r), c); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/cohorts/"+strconv.FormatInt(c.ID, 10)+"/rates")
	writeJSON(w, http.StatusCreated, c)
}

// cohortRateJSON is a unit's row: the counts behind every rate, the rates in percent
// rounded half-up to one decimal (null without a denominator), and the rank by start rate.
type cohortRateJSON struct {
	domain.CohortCounts
	RegistrationRate *string `json:"registration_rate"`
	StartRate        *string `json:"start_rate"`
	ProductionRate   *string `json:"production_rate"`
	FundsRate        *string `json:"funds_rate"`
	PerformanceRate  *string `json:"performance_rate"`
	Rank             int     `json:"rank"`
	Tied             bool    `json:"tied"`
}

type cohortRatesJSON struct {
	Cohort      *domain.Cohort   `json:"cohort"`
	Performance string           `json:"performance_definition"`
	Units       []cohortRateJSON `json:"units"`
}

// percent shows a rate to one decimal, half-up; no denominator is null.
func percent(r *big.Rat) *string {
	s := domain.FormatPercent(r, 1)
	if s == domain.NoValue {
		return nil
	}
	return &s
}

func (h *Handler) cohortRates(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.store.FindCohortByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rule, err := h.store.PerformanceRule(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts, err := h.store.CohortRates(r.Context(), id, rule)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := cohortRatesJSON{Cohort: c, Performance: rule.Describe(), Units: []cohortRateJSON{}}
	for _, row := range domain.CohortRates(counts) {
		out.Units = append(out.Units, cohortRateJSON{CohortCounts: row.CohortCounts,
			RegistrationRate: percent(row.Registration),
			StartRate:        percent(row.Start),
			ProductionRate:   percent(row.Production),
			FundsRate:        percent(row.FundsRate),
			PerformanceRate:  percent(row.Performance),
			Rank:             row.Rank, Tied: row.Tied})
	}
	writeJSON(w, http.StatusOK, out)
}

// projectTags lists the investor tag list: the names a project's tags must come from
// (retired ones are kept on the projects that carry them but not given to others).
func (h *Handler) projectTags(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	tags, err := h.store.ProjectTags(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if tags == nil {
		tags = []domain.ProjectTag{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": tags, "total": len(tags)})
}
