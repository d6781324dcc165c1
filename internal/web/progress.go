package web

import (
	"encoding/json"
	"math/big"
	"net/http"
	"strconv"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// progressRow is one unit's line as shown: every figure already rounded half-up.
type progressRow struct {
	Unit                              string
	Summed                            bool
	Actual, Base, Stretch             string
	CompletionBase, CompletionStretch string
	Gap                               string
	Colour                            domain.Colour
	ColourLabel                       string
	Rank                              string
	YearOnYear                        string
}

type progressTableView struct {
	Indicator *domain.Indicator
	// TimeProgress is shown when the indicator follows a phased schedule of its own.
	TimeProgress string
	Phased       bool
	City         progressRow
	Rows         []progressRow
	RankedBy     string
	Chart        string // JSON for progress.js: completion by unit against time progress
}

// period reads ?year=&month=. With neither, every page shows what the cockpit and the API
// show: the newest month with a submitted or approved report, else the month being
// reported now (store.DefaultPeriod); one given alone completes the month being reported.
func (h *Handler) period(r *http.Request) (year, month int, err error) {
	q := r.URL.Query()
	if q.Get("year") == "" && q.Get("month") == "" {
		return h.Store.DefaultPeriod(r.Context(), chinaTime)
	}
	year, month = domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	if v := q.Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || !domain.ValidYear(year) {
			return 0, 0, domain.Errorf(domain.EINVALID, "年份应为2000至2100之间的整数。")
		}
	}
	if v := q.Get("month"); v != "" {
		if month, err = strconv.Atoi(v); err != nil || month < 1 || month > 12 {
			return 0, 0, domain.Errorf(domain.EINVALID, "月份应为1至12之间的整数。")
		}
	}
	return year, month, nil
}

// progressInput reads the period asked for and its figures; on failure it has already
// answered with the error page.
func (h *Handler) progressInput(w http.ResponseWriter, r *http.Request) (domain.ProgressInput, bool) {
	year, month, err := h.period(r)
	if err != nil {
		h.Error(w, r, err)
		return domain.ProgressInput{}, false
	}
	in, err := h.Store.ProgressInput(r.Context(), year, month)
	if err != nil {
		h.Error(w, r, err)
		return in, false
	}
	// The city's own figure stays: when it is the counties' sum it needs all of them.
	return in.InScope(r.URL.Query().Get("scope")), true
}

func ratText(r *big.Rat, decimals int) string { return domain.RoundHalfUp(r, decimals) }

func rowView(ind *domain.Indicator, r domain.ProgressRow) progressRow {
	return progressRow{
		Unit: r.Unit.Name, Summed: r.Summed,
		Actual: ratText(r.Actual, ind.Decimals), Base: ratText(r.Base, ind.Decimals), Stretch: ratText(r.Stretch, ind.Decimals),
		CompletionBase: domain.FormatPercent(r.CompletionBase, 1), CompletionStretch: domain.FormatPercent(r.CompletionStretch, 1),
		Gap: domain.FormatPoints(r.Gap, 1), Colour: r.Colour, ColourLabel: r.Colour.Label(),
		Rank: domain.RankLabel(r.Rank, r.Tied), YearOnYear: domain.FormatPercent(r.YearOnYear, 1),
	}
}

// chartJSON is the data of one indicator's bar chart; figures are the displayed ones.
func chartJSON(t domain.ProgressTable, timeProgress *big.Rat) string {
	type chart struct {
		Title        string    `json:"title"`
		Units        []string  `json:"units"`
		Completion   []*string `json:"completion"`
		TimeProgress string    `json:"time_progress"`
	}
	c := chart{Title: t.Indicator.Name, TimeProgress: domain.FormatPercent(timeProgress, 1)}
	for _, r := range t.Rows {
		c.Units = append(c.Units, r.Unit.Name)
		var v *string
		if r.CompletionBase != nil {
			s := domain.FormatPercent(r.CompletionBase, 1)
			v = &s
		}
		c.Completion = append(c.Completion, v)
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func (h *Handler) progress(w http.ResponseWriter, r *http.Request) {
	in, ok := h.progressInput(w, r)
	if !ok {
		return
	}
	year, month := in.Year, in.Month
	settings, err := h.Store.FindProgressSettings(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	tables := domain.BuildProgress(in)
	views := make([]progressTableView, 0, len(tables))
	for _, t := range tables {
		v := progressTableView{Indicator: t.Indicator, RankedBy: t.RankedBy, Chart: chartJSON(t, t.TimeProgress),
			TimeProgress: domain.FormatPercent(t.TimeProgress, 1), Phased: t.Phased}
		if in.City != nil {
			v.City = rowView(t.Indicator, t.City)
		}
		for _, row := range t.Rows {
			v.Rows = append(v.Rows, rowView(t.Indicator, row))
		}
		views = append(views, v)
	}
	trend, err := h.trendJSON(r, in, year, month)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "progress", view{Title: "目标进度", Nav: "progress", Data: struct {
		Year, Month  int
		Scope        string
		Scopes       any
		Months       []int
		TimeProgress string
		Tables       []progressTableView
		Trend        string
		Settings     store.ProgressSettings
		CanManage    bool
	}{year, month, r.URL.Query().Get("scope"), domain.Scopes, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, domain.FormatPercent(in.TimeProgress, 1), views, trend,
		settings, auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

// trendJSON is the city's monthly figures of the headline indicators, for the trend chart:
// its own, or its counties' sum, month by month.
func (h *Handler) trendJSON(r *http.Request, in domain.ProgressInput, year, month int) (string, error) {
	if in.City == nil {
		return "", nil
	}
	byMonth, err := h.Store.MonthlyFigures(r.Context(), year, month)
	if err != nil {
		return "", err
	}
	type series struct {
		Name   string    `json:"name"`
		Values []*string `json:"values"`
	}
	out := struct {
		Months []string `json:"months"`
		Series []series `json:"series"`
	}{}
	for m := 1; m <= month; m++ {
		out.Months = append(out.Months, strconv.Itoa(m)+"月")
	}
	for _, ind := range in.Indicators {
		if !ind.Headline || ind.Kind != domain.KindReported {
			continue
		}
		s := series{Name: ind.Name + "（" + ind.Measure + "）"}
		for m := 1; m <= month; m++ {
			var v *string
			if c := domain.CityValue(ind, in.Indicators, byMonth[m], in.City, in.Units); c != nil {
				t := domain.RoundHalfUp(c, ind.Decimals)
				v = &t
			}
			s.Values = append(s.Values, v)
		}
		out.Series = append(out.Series, s)
	}
	if len(out.Series) == 0 {
		return "", nil
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// saveProgressSettings changes how time progress and colours are computed.
func (h *Handler) saveProgressSettings(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	mode := r.PostFormValue("time_progress")
	points, err := strconv.Atoi(r.PostFormValue("yellow_points"))
	if (mode != "months" && mode != "days") || err != nil || points < 0 || points > 100 {
		h.setFlash(w, "error", "设置无效：时序进度须按月或按日，黄色阈值为0至100之间的整数。")
		http.Redirect(w, r, "/progress?"+r.URL.RawQuery, http.StatusSeeOther)
		return
	}
	if err := h.Store.SetSettings(r.Context(), request.Actor(r), map[string]string{
		store.SettingTimeProgress: mode, store.SettingYellowPoints: strconv.Itoa(points)}); err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, "/progress?"+r.URL.RawQuery, "已保存进度计算设置。")
}

// exportProgress writes the period's tables to one sheet, figures exactly as displayed.
func (h *Handler) exportProgress(w http.ResponseWriter, r *http.Request) {
	in, ok := h.progressInput(w, r)
	if !ok {
		return
	}
	year, month := in.Year, in.Month
	t := xlsx.Table{Sheet: "目标进度",
		Title:   strconv.Itoa(year) + "年" + domain.MonthsToDate(month) + "目标进度（时序进度 " + domain.FormatPercent(in.TimeProgress, 1) + "%）",
		Headers: []string{"指标", "计量单位", "单位", "实际", "基础目标", "完成率%", "奋斗目标", "完成率%", "差距（百分点）", "状态", "排名", "同比%"},
		Widths:  []float64{22, 8, 16, 12, 12, 10, 12, 10, 12, 6, 10, 10}}
	for _, tb := range domain.BuildProgress(in) {
		rows := tb.Rows
		if in.City != nil {
			rows = append([]domain.ProgressRow{tb.City}, rows...)
		}
		for i, row := range rows {
			v := rowView(tb.Indicator, row)
			rank := v.Rank
			if in.City != nil && i == 0 {
				rank = "—"
			}
			t.Rows = append(t.Rows, []any{tb.Indicator.Name, tb.Indicator.Measure, v.Unit, v.Actual, v.Base, v.CompletionBase,
				v.Stretch, v.CompletionStretch, v.Gap, v.ColourLabel, rank, v.YearOnYear})
		}
	}
	writeXLSX(w, "progress-"+strconv.Itoa(year)+"-"+strconv.Itoa(month)+".xlsx", t, h)
}
