package api

import (
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// indicatorJSON is a line of the catalogue; numerator_id and denominator_id are null but
// for ratios.
type indicatorJSON struct {
	ID             int64                `json:"id"`
	Code           string               `json:"code"`
	Name           string               `json:"name"`
	Measure        string               `json:"measure"`
	Decimals       int                  `json:"decimals"`
	HigherIsBetter bool                 `json:"higher_is_better"`
	Kind           domain.IndicatorKind `json:"kind"`
	Accumulation   domain.Accumulation  `json:"accumulation"`
	NumeratorID    *int64               `json:"numerator_id"`
	DenominatorID  *int64               `json:"denominator_id"`
	Rule           *string              `json:"rule"`
	Headline       bool                 `json:"headline"`
	SortOrder      int                  `json:"sort_order"`
	Active         bool                 `json:"active"`
	Version        int64                `json:"version"`
	CreatedAt      time.Time            `json:"created_at"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

func indicatorOut(i *domain.Indicator) indicatorJSON {
	j := indicatorJSON{ID: i.ID, Code: i.Code, Name: i.Name, Measure: i.Measure, Decimals: i.Decimals,
		HigherIsBetter: i.HigherIsBetter, Kind: i.Kind, Accumulation: i.Accumulation, Headline: i.Headline,
		SortOrder: i.SortOrder, Active: i.Active, Version: i.Version, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
	if i.NumeratorID != 0 {
		j.NumeratorID = &i.NumeratorID
	}
	if i.DenominatorID != 0 {
		j.DenominatorID = &i.DenominatorID
	}
	if i.Kind == domain.KindDerived {
		j.Rule = &i.Rule
	}
	return j
}

func indicatorLocation(id int64) string { return Prefix + "/indicators/" + strconv.FormatInt(id, 10) }

// listIndicators answers the whole catalogue in one page: a campaign has a few dozen lines.
func (h *Handler) listIndicators(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "active")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	active, err := q.boolean("active")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.store.FindIndicators(r.Context(), active != nil && *active)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[indicatorJSON]{Items: make([]indicatorJSON, 0, len(list))}
	for _, i := range list {
		if active != nil && i.Active != *active {
			continue
		}
		out.Items = append(out.Items, indicatorOut(i))
	}
	out.Total, out.Limit = len(out.Items), len(out.Items)
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getIndicator(w http.ResponseWriter, r *http.Request) {
	i, err := byPathID(r, h.store.FindIndicatorByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, indicatorOut(i))
}

// indicatorCreate is the body of POST /indicators. A new indicator is active,
// higher-is-better and cumulative unless told otherwise.
type indicatorCreate struct {
	Code           string               `json:"code"`
	Name           string               `json:"name"`
	Measure        string               `json:"measure"`
	Decimals       int                  `json:"decimals"`
	HigherIsBetter *bool                `json:"higher_is_better"`
	Kind           domain.IndicatorKind `json:"kind"`
	Accumulation   domain.Accumulation  `json:"accumulation"`
	NumeratorID    *int64               `json:"numerator_id"`
	DenominatorID  *int64               `json:"denominator_id"`
	Rule           string               `json:"rule"` // derived: the rule as a JSON string
	Headline       bool                 `json:"headline"`
	SortOrder      int                  `json:"sort_order"`
	Active         *bool                `json:"active"`
}

func (h *Handler) createIndicator(w http.ResponseWriter, r *http.Request) {
	var in indicatorCreate
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	i := &domain.Indicator{Code: in.Code, Name: in.Name, Measure: in.Measure, Decimals: in.Decimals,
		HigherIsBetter: in.HigherIsBetter == nil || *in.HigherIsBetter, Kind: in.Kind, Accumulation: in.Accumulation,
		Rule: in.Rule, Headline: in.Headline, SortOrder: in.SortOrder, Active: in.Active == nil || *in.Active}
	if in.NumeratorID != nil {
		i.NumeratorID = *in.NumeratorID
	}
	if in.DenominatorID != nil {
		i.DenominatorID = *in.DenominatorID
	}
	if err := h.store.CreateIndicator(r.Context(), request.Actor(r), i); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", indicatorLocation(i.ID))
	writeJSON(w, http.StatusCreated, indicatorOut(i))
}

// indicatorUpdate is the body of PUT /indicators/{id}: fields left out keep their value;
// numerator_id and denominator_id may be null (no part).
type indicatorUpdate struct {
	Code           optional[string]               `json:"code"`
	Name           optional[string]               `json:"name"`
	Measure        optional[string]               `json:"measure"`
	Decimals       optional[int]                  `json:"decimals"`
	HigherIsBetter optional[bool]                 `json:"higher_is_better"`
	Kind           optional[domain.IndicatorKind] `json:"kind"`
	Accumulation   optional[domain.Accumulation]  `json:"accumulation"`
	NumeratorID    optional[int64]                `json:"numerator_id"`
	DenominatorID  optional[int64]                `json:"denominator_id"`
	Rule           optional[string]               `json:"rule"`
	Headline       optional[bool]                 `json:"headline"`
	SortOrder      optional[int]                  `json:"sort_order"`
	Active         optional[bool]                 `json:"active"`
	Version        optional[int64]                `json:"version"`
}

func (h *Handler) updateIndicator(w http.ResponseWriter, r *http.Request) {
	updateByPathID(h, w, r, h.store.FindIndicatorByID, func(p domain.Problems, i *domain.Indicator, in *indicatorUpdate) {
		i.Version = requireVersion(p, in.Version)
		apply(p, "code", in.Code, &i.Code)
		apply(p, "name", in.Name, &i.Name)
		apply(p, "measure", in.Measure, &i.Measure)
		apply(p, "decimals", in.Decimals, &i.Decimals)
		apply(p, "higher_is_better", in.HigherIsBetter, &i.HigherIsBetter)
		apply(p, "kind", in.Kind, &i.Kind)
		apply(p, "accumulation", in.Accumulation, &i.Accumulation)
		for _, part := range []struct {
			name string
			in   optional[int64]
			dst  *int64
		}{{"numerator_id", in.NumeratorID, &i.NumeratorID}, {"denominator_id", in.DenominatorID, &i.DenominatorID}} {
			if part.in.Null {
				*part.dst = 0
			} else {
				apply(p, part.name, part.in, part.dst)
			}
		}
		apply(p, "rule", in.Rule, &i.Rule)
		apply(p, "headline", in.Headline, &i.Headline)
		apply(p, "sort_order", in.SortOrder, &i.SortOrder)
		apply(p, "active", in.Active, &i.Active)
	}, h.store.UpdateIndicator, func(i *domain.Indicator) { writeJSON(w, http.StatusOK, indicatorOut(i)) })
}
