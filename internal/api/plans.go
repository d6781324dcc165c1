package api

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// planValueJSON is one unit's figure in one year of a plan.
type planValueJSON struct {
	UnitID int64      `json:"unit_id"`
	Year   int        `json:"year"`
	Value  domain.Dec `json:"value"`
}

type planJSON struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	IndicatorID  int64           `json:"indicator_id"`
	BaselineYear int             `json:"baseline_year"`
	EndYear      int             `json:"end_year"`
	Multiple     domain.Dec      `json:"multiple"`
	Path         string          `json:"path"`
	Values       []planValueJSON `json:"values"`
	Version      int64           `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

func planOut(p *domain.Plan) planJSON {
	j := planJSON{ID: p.ID, Name: p.Name, IndicatorID: p.IndicatorID, BaselineYear: p.BaselineYear, EndYear: p.EndYear,
		Multiple: p.Multiple, Path: "linear", Values: []planValueJSON{}, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.Geometric {
		j.Path = "geometric"
	}
	for unit, byYear := range p.Values {
		for year, v := range byYear {
			j.Values = append(j.Values, planValueJSON{unit, year, v})
		}
	}
	slices.SortFunc(j.Values, func(a, b planValueJSON) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Year, b.Year))
	})
	return j
}

// planIn is the body of POST and PUT: every value is replaced; generate fills the goals
// from the baselines along the path before saving.
type planIn struct {
	Name         string          `json:"name"`
	IndicatorID  int64           `json:"indicator_id"`
	BaselineYear int             `json:"baseline_year"`
	EndYear      int             `json:"end_year"`
	Multiple     domain.Dec      `json:"multiple"`
	Path         string          `json:"path"`
	Values       []planValueJSON `json:"values"`
	Generate     bool            `json:"generate"`
	Version      int64           `json:"version"`
}

func (in planIn) plan() (*domain.Plan, error) {
	if in.Path != "geometric" && in.Path != "linear" {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"path": "path 应为 geometric 或 linear。"}}
	}
	p := &domain.Plan{Name: in.Name, IndicatorID: in.IndicatorID, BaselineYear: in.BaselineYear, EndYear: in.EndYear,
		Multiple: in.Multiple, Geometric: in.Path == "geometric", Version: in.Version, Values: map[int64]map[int]domain.Dec{}}
	for _, v := range in.Values {
		if p.Values[v.UnitID] == nil {
			p.Values[v.UnitID] = map[int]domain.Dec{}
		}
		if _, dup := p.Values[v.UnitID][v.Year]; dup {
			return nil, domain.Errorf(domain.EINVALID, "单位 %d 的 %d 年数值出现了两次。", v.UnitID, v.Year)
		}
		p.Values[v.UnitID][v.Year] = v.Value
	}
	if in.Generate {
		if err := p.Generate(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (h *Handler) listPlans(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	plans, err := h.store.FindPlans(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[planJSON]{Items: make([]planJSON, 0, len(plans)), Total: len(plans), Limit: len(plans)}
	for _, p := range plans {
		out.Items = append(out.Items, planOut(p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getPlan(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.store.FindPlanByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planOut(p))
}

func (h *Handler) createPlan(w http.ResponseWriter, r *http.Request) {
	var in planIn
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := in.plan()
	if err == nil {
		err = h.store.CreatePlan(r.Context(), request.Actor(r), p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/plans/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, planOut(p))
}

func (h *Handler) updatePlan(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in planIn
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Version == 0 {
		h.fail(w, r, &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: map[string]string{"version": "请提供 version。"}})
		return
	}
	p, err := in.plan()
	if err == nil {
		p.ID = id
		err = h.store.UpdatePlan(r.Context(), request.Actor(r), p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planOut(p))
}
