package web

import (
	"net/http"
	"slices"
	"strconv"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// yearParam reads ?year=, defaulting to this year in China time.
func (h *Handler) yearParam(r *http.Request) (int, error) {
	year := h.Store.Now().In(chinaTime).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		var err error
		if year, err = strconv.Atoi(v); err != nil || !domain.ValidYear(year) {
			return 0, domain.Errorf(domain.EINVALID, "年份应为2000至2100之间的整数。")
		}
	}
	return year, nil
}

// scaleLine is one unit's line of the above-scale pipeline.
type scaleLine struct {
	Name string
	store.ScaleRow
}

// Cells are the twelve months as "entries / exits".
func (l scaleLine) Cells() []string {
	out := make([]string, 12)
	for m := range 12 {
		out[m] = strconv.Itoa(l.Entries[m]) + " / " + strconv.Itoa(l.Exits[m])
	}
	return out
}

// scaleReport assembles the pipeline of the year the query asks for by unit in the unit
// tree's order, then the city's total; units with no movement are left out.
func (h *Handler) scaleReport(r *http.Request) (year int, lines []scaleLine, total scaleLine, err error) {
	if year, err = h.yearParam(r); err != nil {
		return year, nil, total, err
	}
	rows, err := h.Store.ScalePipeline(r.Context(), year)
	if err != nil {
		return year, nil, total, err
	}
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return year, nil, total, err
	}
	total.Name = "合计"
	for _, u := range units {
		row, ok := rows[u.ID]
		if !ok {
			continue
		}
		lines = append(lines, scaleLine{u.Name, *row})
		for m := range 12 {
			total.Entries[m] += row.Entries[m]
			total.Exits[m] += row.Exits[m]
		}
		total.Monthly, total.Annual = total.Monthly+row.Monthly, total.Annual+row.Annual
		total.Gross, total.ExitsN = total.Gross+row.Gross, total.ExitsN+row.ExitsN
	}
	return year, lines, total, nil
}

func (h *Handler) aboveScale(w http.ResponseWriter, r *http.Request) {
	year, lines, total, err := h.scaleReport(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rules, err := h.Store.EnterpriseRules(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := domain.EnterpriseFilter{Candidate: true, FiguresYear: h.figuresYear(), Rules: rules, Sort: "revenue_desc", Limit: 20}
	list, candidates, err := h.Store.FindEnterprises(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rows, err := h.enterpriseRows(r, list, names)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "above_scale", view{Title: "规上企业入退库", Nav: "enterprises", Data: struct {
		Year           int
		Lines          []scaleLine
		Total          scaleLine
		All            []scaleLine // the lines and the total
		Months         []int
		Candidates     []enterpriseRow
		CandidateCount int
		FiguresYear    int
		CandidateWan   string
		AboveScaleWan  string
		CanManage      bool
	}{year, lines, total, append(slices.Clone(lines), total), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, rows, candidates, h.figuresYear(),
		domain.YuanToWan(rules.CandidateYuan), domain.YuanToWan(rules.AboveScaleYuan), auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

func (h *Handler) exportAboveScale(w http.ResponseWriter, r *http.Request) {
	year, lines, total, err := h.scaleReport(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	y := strconv.Itoa(year)
	sum := xlsx.Table{Sheet: "汇总", Title: y + "年规上工业企业入退库",
		Headers: []string{"单位", "月度入库", "年度小升规", "新增入库（毛）", "退库", "净增"}, Widths: []float64{16, 10, 12, 14, 8, 8}}
	byMonth := xlsx.Table{Sheet: "分月", Title: y + "年规上工业企业分月入库/退库", Headers: []string{"单位"}, Widths: []float64{16}}
	for m := 1; m <= 12; m++ {
		byMonth.Headers = append(byMonth.Headers, strconv.Itoa(m)+"月入库", strconv.Itoa(m)+"月退库")
	}
	for _, l := range append(lines, total) {
		sum.Rows = append(sum.Rows, []any{l.Name, l.Monthly, l.Annual, l.Gross, l.ExitsN, l.Net()})
		row := []any{l.Name}
		for m := range 12 {
			row = append(row, l.Entries[m], l.Exits[m])
		}
		byMonth.Rows = append(byMonth.Rows, row)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="above-scale-`+y+`.xlsx"`)
	if err := xlsx.Write(w, sum, byMonth); err != nil {
		h.Log.Error("write xlsx", "file", "above-scale", "err", err)
	}
}

// honourCountLine is one unit's honour counts in the ladder's order.
type honourCountLine struct {
	Name   string
	Counts []int
	Total  int
}

func (h *Handler) honourReport(r *http.Request, year int) ([]honourCountLine, honourCountLine, error) {
	counts, err := h.Store.HonourCounts(r.Context(), year)
	if err != nil {
		return nil, honourCountLine{}, err
	}
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return nil, honourCountLine{}, err
	}
	total := honourCountLine{Name: "合计", Counts: make([]int, len(domain.HonourTypes))}
	var lines []honourCountLine
	for _, u := range units {
		c, ok := counts[u.ID]
		if !ok {
			continue
		}
		l := honourCountLine{Name: u.Name, Counts: make([]int, len(domain.HonourTypes))}
		for i, t := range domain.HonourTypes {
			l.Counts[i] = c[t.Value]
			l.Total += c[t.Value]
			total.Counts[i] += c[t.Value]
		}
		total.Total += l.Total
		lines = append(lines, l)
	}
	return lines, total, nil
}

// honourYear reads ?year=: a year, or "all" (the default) for every year.
func (h *Handler) honourYear(r *http.Request) (int, error) {
	if v := r.URL.Query().Get("year"); v == "" || v == "all" {
		return 0, nil
	}
	return h.yearParam(r)
}

func (h *Handler) honours(w http.ResponseWriter, r *http.Request) {
	year, err := h.honourYear(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	lines, total, err := h.honourReport(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	this := h.Store.Now().In(chinaTime).Year()
	var years []int
	for y := this; y >= this-6; y-- {
		years = append(years, y)
	}
	h.render(w, r, 0, "honours", view{Title: "企业荣誉", Nav: "enterprises", Data: struct {
		Year  int
		Years []int
		Types []domain.HonourType
		Lines []honourCountLine
		Total honourCountLine
	}{year, years, domain.HonourTypes, lines, total}})
}

func (h *Handler) exportHonours(w http.ResponseWriter, r *http.Request) {
	year, err := h.honourYear(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	lines, total, err := h.honourReport(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	title := "企业荣誉（各年度）"
	if year != 0 {
		title = strconv.Itoa(year) + "年认定的企业荣誉"
	}
	t := xlsx.Table{Sheet: "荣誉", Title: title, Headers: []string{"单位"}, Widths: []float64{16}}
	for _, ty := range domain.HonourTypes {
		t.Headers, t.Widths = append(t.Headers, ty.Label), append(t.Widths, 18)
	}
	t.Headers = append(t.Headers, "合计")
	for _, l := range append(lines, total) {
		row := []any{l.Name}
		for _, n := range l.Counts {
			row = append(row, n)
		}
		t.Rows = append(t.Rows, append(row, l.Total))
	}
	writeXLSX(w, "honours.xlsx", t, h)
}

// saveEnterpriseRules stores the above-scale and cultivation-pool thresholds, typed in 万元.
func (h *Handler) saveEnterpriseRules(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	back := "/enterprises/above-scale?" + r.URL.RawQuery
	probs := domain.Problems{}
	rules := domain.EnterpriseRules{AboveScaleYuan: formWan(r, "above_scale_wan", "规上门槛", probs),
		CandidateYuan: formWan(r, "candidate_wan", "培育库门槛", probs)}
	err := probs.Err()
	if err == nil {
		err = h.Store.SetEnterpriseRules(r.Context(), request.Actor(r), rules)
	}
	if domain.ErrorCode(err) == domain.EINVALID {
		msg := "设置无效："
		for _, m := range domain.ErrorFields(err) {
			msg += m
		}
		h.setFlash(w, "error", msg)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, back, "已保存规上与培育库门槛。")
}
