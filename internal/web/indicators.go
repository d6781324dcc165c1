package web

import (
	"net/http"
	"strconv"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// indicatorForm keeps the indicator form's input as typed.
type indicatorForm struct {
	ID                                                int64
	Code, Name, Measure, Decimals, Kind, Accumulation string
	NumeratorID, DenominatorID, SortOrder, Version    string
	Rule                                              string
	HigherIsBetter, Headline, Active                  bool
}

func formOfIndicator(i *domain.Indicator) indicatorForm {
	f := indicatorForm{ID: i.ID, Code: i.Code, Name: i.Name, Measure: i.Measure, Decimals: strconv.Itoa(i.Decimals),
		Kind: string(i.Kind), Accumulation: string(i.Accumulation), SortOrder: strconv.Itoa(i.SortOrder),
		Version: strconv.FormatInt(i.Version, 10), HigherIsBetter: i.HigherIsBetter, Headline: i.Headline, Active: i.Active,
		Rule: i.Rule}
	if i.NumeratorID != 0 {
		f.NumeratorID = strconv.FormatInt(i.NumeratorID, 10)
	}
	if i.DenominatorID != 0 {
		f.DenominatorID = strconv.FormatInt(i.DenominatorID, 10)
	}
	return f
}

func readIndicatorForm(r *http.Request) (indicatorForm, *domain.Indicator, domain.Problems) {
	p := domain.Problems{}
	f := indicatorForm{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Measure: r.PostFormValue("measure"),
		Decimals: r.PostFormValue("decimals"), Kind: r.PostFormValue("kind"), Accumulation: r.PostFormValue("accumulation"),
		NumeratorID: r.PostFormValue("numerator_id"), DenominatorID: r.PostFormValue("denominator_id"),
		SortOrder: r.PostFormValue("sort_order"), Version: r.PostFormValue("version"), Rule: r.PostFormValue("rule"),
		HigherIsBetter: r.PostFormValue("higher_is_better") != "0", Headline: r.PostFormValue("headline") == "1",
		Active: r.PostFormValue("active") == "1"}
	i := &domain.Indicator{Code: f.Code, Name: f.Name, Measure: f.Measure, Kind: domain.IndicatorKind(f.Kind),
		Accumulation: domain.Accumulation(f.Accumulation), HigherIsBetter: f.HigherIsBetter, Headline: f.Headline, Active: f.Active}
	if i.Kind != domain.KindReported && i.Kind != domain.KindRatio && i.Kind != domain.KindDerived {
		p.Add("kind", "请选择指标类型：填报、比率或自动统计。")
	}
	if i.Kind == domain.KindDerived {
		i.Rule = f.Rule
	}
	i.Decimals = int(formInt(r, "decimals", "显示小数位", p))
	i.SortOrder = int(formInt(r, "sort_order", "排序号", p))
	if i.Kind == domain.KindRatio {
		i.NumeratorID = formInt(r, "numerator_id", "分子指标", p)
		i.DenominatorID = formInt(r, "denominator_id", "分母指标", p)
	}
	i.Version = formInt(r, "version", "版本", p)
	if len(p) > 0 {
		// The store would stop at the form's problems; show the record's own ones too, so
		// that one round trip names everything.
		i.Normalize()
		for field, msg := range domain.ErrorFields(i.Validate()) {
			p.Add(field, msg)
		}
	}
	return f, i, p
}

// kindChoice is one option of the kind select.
type kindChoice struct {
	Value, Label string
}

var indicatorKindChoices = []kindChoice{
	{string(domain.KindReported), domain.KindReported.Label()},
	{string(domain.KindRatio), domain.KindRatio.Label()},
	{string(domain.KindDerived), domain.KindDerived.Label()},
}

var accumulationChoices = []kindChoice{
	{string(domain.Cumulative), "累计（年初至今）"},
	{string(domain.PointInTime), "时点（月末状态）"},
}

type indicatorFormData struct {
	Form          indicatorForm
	Problems      map[string]string
	Conflict      bool
	Measures      []string
	Kinds         []kindChoice
	Accumulations []kindChoice
	Parts         []*domain.Indicator // what a ratio may divide: every non-ratio indicator but this one
}

func (h *Handler) renderIndicatorForm(w http.ResponseWriter, r *http.Request, status int, f indicatorForm, err error) {
	all, lerr := h.Store.FindIndicators(r.Context(), false)
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	var parts []*domain.Indicator
	for _, i := range all {
		if i.Kind != domain.KindRatio && i.ID != f.ID {
			parts = append(parts, i)
		}
	}
	d := indicatorFormData{Form: f, Problems: domain.ErrorFields(err), Conflict: domain.ErrorCode(err) == domain.ECONFLICT,
		Measures: domain.Measures, Kinds: indicatorKindChoices, Accumulations: accumulationChoices, Parts: parts}
	title := "新建指标"
	if f.ID != 0 {
		title = "编辑指标"
	}
	v := view{Title: title, Nav: "indicators", Data: d}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "indicator_form", v)
}

// indicatorRow is one line of the catalogue as the list and its export show it.
type indicatorRow struct {
	*domain.Indicator
	KindLabel, Direction, AccumulationLabel, Parts string
}

func indicatorRows(list []*domain.Indicator) []indicatorRow {
	byID := make(map[int64]*domain.Indicator, len(list))
	for _, i := range list {
		byID[i.ID] = i
	}
	rows := make([]indicatorRow, 0, len(list))
	for _, i := range list {
		row := indicatorRow{Indicator: i, KindLabel: i.Kind.Label(), Direction: "越低越好", AccumulationLabel: "时点"}
		if i.HigherIsBetter {
			row.Direction = "越高越好"
		}
		if i.Accumulation == domain.Cumulative {
			row.AccumulationLabel = "累计"
		}
		if i.Kind == domain.KindRatio {
			num, den := byID[i.NumeratorID], byID[i.DenominatorID]
			if num != nil && den != nil {
				row.Parts = num.Name + " ÷ " + den.Name
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (h *Handler) indicators(w http.ResponseWriter, r *http.Request) {
	list, err := h.Store.FindIndicators(r.Context(), false)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "indicators", view{Title: "指标", Nav: "indicators", Data: struct {
		Rows      []indicatorRow
		CanManage bool
	}{indicatorRows(list), auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

func (h *Handler) exportIndicators(w http.ResponseWriter, r *http.Request) {
	list, err := h.Store.FindIndicators(r.Context(), false)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "指标", Title: "指标目录",
		Headers: []string{"编码", "名称", "计量单位", "小数位", "类型", "比率构成", "方向", "累计/时点", "核心指标", "排序", "启用"},
		Widths:  []float64{20, 24, 10, 8, 10, 30, 10, 10, 10, 8, 8}}
	for _, row := range indicatorRows(list) {
		t.Rows = append(t.Rows, []any{row.Code, row.Name, row.Measure, row.Decimals, row.KindLabel, row.Parts, row.Direction,
			row.AccumulationLabel, yesNo(row.Headline), row.SortOrder, yesNo(row.Active)})
	}
	writeXLSX(w, "indicators.xlsx", t, h)
}

func (h *Handler) newIndicator(w http.ResponseWriter, r *http.Request) {
	h.renderIndicatorForm(w, r, 0, indicatorForm{Kind: string(domain.KindReported), Accumulation: string(domain.Cumulative),
		Measure: "", Decimals: "0", SortOrder: "0", HigherIsBetter: true, Active: true}, nil)
}

func (h *Handler) createIndicator(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, i, p := readIndicatorForm(r)
	err := p.Err()
	if err == nil {
		err = h.Store.CreateIndicator(r.Context(), request.Actor(r), i)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderIndicatorForm(w, r, status, f, err) }, "/indicators", "已创建指标“"+i.Name+"”。")
}

func (h *Handler) editIndicator(w http.ResponseWriter, r *http.Request) {
	i, ok := byPathID(h, w, r, h.Store.FindIndicatorByID)
	if !ok {
		return
	}
	h.renderIndicatorForm(w, r, 0, formOfIndicator(i), nil)
}

func (h *Handler) updateIndicator(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	f, i, p := readIndicatorForm(r)
	f.ID, i.ID = id, id
	err := p.Err()
	if err == nil {
		err = h.Store.UpdateIndicator(r.Context(), request.Actor(r), i)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderIndicatorForm(w, r, status, f, err) }, "/indicators", "已保存指标“"+i.Name+"”。")
}
