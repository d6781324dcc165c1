package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// planForm is the plan's head as typed.
type planForm struct {
	ID                               int64
	Name, IndicatorID, BaselineYear  string
	EndYear, Multiple, Path, Version string
}

func formOfPlan(p *domain.Plan) planForm {
	path := "linear"
	if p.Geometric {
		path = "geometric"
	}
	return planForm{ID: p.ID, Name: p.Name, IndicatorID: strconv.FormatInt(p.IndicatorID, 10),
		BaselineYear: strconv.Itoa(p.BaselineYear), EndYear: strconv.Itoa(p.EndYear), Multiple: p.Multiple.String(),
		Path: path, Version: strconv.FormatInt(p.Version, 10)}
}

func readPlanForm(r *http.Request) (planForm, *domain.Plan, domain.Problems) {
	p := domain.Problems{}
	f := planForm{Name: r.PostFormValue("name"), IndicatorID: r.PostFormValue("indicator_id"),
		BaselineYear: r.PostFormValue("baseline_year"), EndYear: r.PostFormValue("end_year"),
		Multiple: r.PostFormValue("multiple"), Path: r.PostFormValue("path"), Version: r.PostFormValue("version")}
	plan := &domain.Plan{Name: f.Name, Geometric: f.Path != "linear"}
	plan.IndicatorID = formInt(r, "indicator_id", "指标", p)
	plan.BaselineYear = int(formInt(r, "baseline_year", "基期年份", p))
	plan.EndYear = int(formInt(r, "end_year", "目标年份", p))
	plan.Version = formInt(r, "version", "版本", p)
	if m, err := domain.ParseDec(f.Multiple); err != nil {
		p.Add("multiple", domain.ErrorMessage(err))
	} else {
		plan.Multiple = m
	}
	// Report every problem at once, not the typing ones first and the rest next time.
	for k, v := range domain.ErrorFields(plan.Validate()) {
		p.Add(k, v)
	}
	return f, plan, p
}

func (h *Handler) plans(w http.ResponseWriter, r *http.Request) {
	h.renderPlans(w, r, 0, planForm{Multiple: "2", Path: "geometric"}, nil)
}

func (h *Handler) renderPlans(w http.ResponseWriter, r *http.Request, status int, f planForm, err error) {
	plans, perr := h.Store.FindPlans(r.Context())
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	inds, ierr := h.Store.FindIndicators(r.Context(), true)
	if ierr != nil {
		h.Error(w, r, ierr)
		return
	}
	names := map[int64]string{}
	for _, i := range inds {
		names[i.ID] = i.Name
	}
	h.render(w, r, status, "plans", view{Title: "倍增规划", Nav: "plans", Data: struct {
		Plans      []*domain.Plan
		Names      map[int64]string
		Indicators []*domain.Indicator
		Form       planForm
		Problems   map[string]string
		CanManage  bool
	}{plans, names, inds, f, domain.ErrorFields(err), auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

func (h *Handler) createPlan(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, plan, p := readPlanForm(r)
	err := p.Err()
	if err == nil {
		err = h.Store.CreatePlan(r.Context(), request.Actor(r), plan)
	}
	if err != nil {
		if domain.ErrorFields(err) == nil {
			h.Error(w, r, err)
			return
		}
		h.renderPlans(w, r, http.StatusUnprocessableEntity, f, err)
		return
	}
	h.redirect(w, r, fmt.Sprintf("/plans/%d", plan.ID), "已创建规划，请填写各单位基期数值后生成年度目标。")
}

// planUnits are the plan's rows: the city, then the assessed counties and parks.
func (h *Handler) planUnits(r *http.Request) ([]*domain.Unit, error) {
	all, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []*domain.Unit
	for _, u := range all {
		if u.Active && (u.Kind == domain.UnitCity || (u.Assessed && (u.Kind == domain.UnitCounty || u.Kind == domain.UnitPark))) {
			out = append(out, u)
		}
	}
	return out, nil
}

type planCell struct {
	Name, Value, Error string
}

type planRow struct {
	Unit  *domain.Unit
	Cells []planCell
}

// planChart is one unit's plan path and actual figures, for plan.js.
type planChart struct {
	Unit   string    `json:"unit"`
	Plan   []*string `json:"plan"`
	Actual []*string `json:"actual"`
}

func (h *Handler) plan(w http.ResponseWriter, r *http.Request) {
	p, ok := byPathID(h, w, r, h.Store.FindPlanByID)
	if !ok {
		return
	}
	h.renderPlan(w, r, 0, p, formOfPlan(p), nil, nil)
}

// renderPlan shows the grid; typed holds the cells as the user typed them after a refused
// save, so nothing typed is lost.
func (h *Handler) renderPlan(w http.ResponseWriter, r *http.Request, status int, p *domain.Plan, f planForm, typed map[string]planCell, err error) {
	units, uerr := h.planUnits(r)
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	ind, ierr := h.Store.FindIndicatorByID(r.Context(), p.IndicatorID)
	if ierr != nil {
		h.Error(w, r, ierr)
		return
	}
	figures, ferr := h.Store.YearFigures(r.Context(), p.IndicatorID, p.BaselineYear, p.EndYear)
	if ferr != nil {
		h.Error(w, r, ferr)
		return
	}
	var years []int
	for y := p.BaselineYear; y <= p.EndYear; y++ {
		years = append(years, y)
	}
	var rows []planRow
	var charts []planChart
	for _, u := range units {
		row := planRow{Unit: u}
		chart := planChart{Unit: u.Name}
		for _, y := range years {
			name := fmt.Sprintf("v_%d_%d", u.ID, y)
			cell := planCell{Name: name}
			if v, ok := p.Values[u.ID][y]; ok {
				cell.Value = v.Format(ind.Decimals)
				s := v.Format(ind.Decimals)
				chart.Plan = append(chart.Plan, &s)
			} else {
				chart.Plan = append(chart.Plan, nil)
			}
			if t, ok := typed[name]; ok {
				cell = t
			}
			row.Cells = append(row.Cells, cell)
			if a, ok := figures[u.ID][y]; ok {
				s := a.Format(ind.Decimals)
				chart.Actual = append(chart.Actual, &s)
			} else {
				chart.Actual = append(chart.Actual, nil)
			}
		}
		rows = append(rows, row)
		charts = append(charts, chart)
	}
	chartJSON, _ := json.Marshal(struct {
		Years  []int       `json:"years"`
		Title  string      `json:"title"`
		Series []planChart `json:"series"`
	}{years, ind.Name + "（" + ind.Measure + "）", charts})
	v := view{Title: p.Name, Nav: "plans", Data: struct {
		Plan      *domain.Plan
		Form      planForm
		Indicator *domain.Indicator
		Years     []int
		Rows      []planRow
		Chart     string
		Problems  map[string]string
		Conflict  bool
		CanManage bool
	}{p, f, ind, years, rows, string(chartJSON), domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT,
		auth.CanAtAll(request.User(r), auth.ManageCampaign)}}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "plan", v)
}

// savePlan stores the head and every cell; with generate it first fills the goals from
// the baselines along the chosen path. A bad cell refuses the whole save and names it.
func (h *Handler) savePlan(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	current, err := h.Store.FindPlanByID(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f, plan, problems := readPlanForm(r)
	f.ID, plan.ID = id, id
	units, err := h.planUnits(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	plan.Values = map[int64]map[int]domain.Dec{}
	typed := map[string]planCell{}
	var bad []string
	for _, u := range units {
		for y := current.BaselineYear; y <= current.EndYear; y++ {
			name := fmt.Sprintf("v_%d_%d", u.ID, y)
			raw := strings.TrimSpace(r.PostFormValue(name))
			cell := planCell{Name: name, Value: raw}
			if raw != "" {
				d, perr := domain.ParseDec(raw)
				if perr != nil {
					cell.Error = domain.ErrorMessage(perr)
					bad = append(bad, fmt.Sprintf("%s %d年", u.Name, y))
				} else if y >= plan.BaselineYear && y <= plan.EndYear {
					if plan.Values[u.ID] == nil {
						plan.Values[u.ID] = map[int]domain.Dec{}
					}
					plan.Values[u.ID][y] = d
				}
			}
			typed[name] = cell
		}
	}
	err = problems.Err()
	if err == nil && len(bad) > 0 {
		err = domain.Errorf(domain.EINVALID, "以下数值无效，未保存任何内容：%s。", strings.Join(bad, "、"))
	}
	generate := r.PostFormValue("generate") == "1"
	if err == nil && generate {
		if err = plan.Generate(); err == nil {
			typed = nil // show the generated goals
		}
	}
	if err == nil {
		err = h.Store.UpdatePlan(r.Context(), request.Actor(r), plan)
	}
	if err != nil {
		h.renderPlan(w, r, api.Status(domain.ErrorCode(err)), current, f, typed, err)
		return
	}
	msg := "已保存规划。"
	if generate {
		msg = "已按" + map[bool]string{true: "几何", false: "线性"}[plan.Geometric] + "路径生成各年度目标，可继续逐项修改。"
	}
	h.redirect(w, r, fmt.Sprintf("/plans/%d", id), msg)
}

// exportPlan writes the plan's grid: each unit's baseline and yearly goals, and the
// actual yearly figures beside them.
func (h *Handler) exportPlan(w http.ResponseWriter, r *http.Request) {
	p, ok := byPathID(h, w, r, h.Store.FindPlanByID)
	if !ok {
		return
	}
	ind, err := h.Store.FindIndicatorByID(r.Context(), p.IndicatorID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	units, err := h.planUnits(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	figures, err := h.Store.YearFigures(r.Context(), p.IndicatorID, p.BaselineYear, p.EndYear)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "规划", Title: p.Name + "（" + ind.Name + "，" + ind.Measure + "）", Headers: []string{"单位"}, Widths: []float64{22}}
	for y := p.BaselineYear; y <= p.EndYear; y++ {
		label := strconv.Itoa(y) + "年目标"
		if y == p.BaselineYear {
			label = strconv.Itoa(y) + "年基期"
		}
		t.Headers = append(t.Headers, label, strconv.Itoa(y)+"年实际")
		t.Widths = append(t.Widths, 12, 12)
	}
	cell := func(v domain.Dec, ok bool) any {
		if !ok {
			return ""
		}
		return v.Format(ind.Decimals)
	}
	for _, u := range units {
		row := []any{u.Name}
		for y := p.BaselineYear; y <= p.EndYear; y++ {
			goal, ok := p.Values[u.ID][y]
			actual, aok := figures[u.ID][y]
			row = append(row, cell(goal, ok), cell(actual, aok))
		}
		t.Rows = append(t.Rows, row)
	}
	writeXLSX(w, fmt.Sprintf("plan-%d.xlsx", p.ID), t, h)
}
