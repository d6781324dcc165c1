package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// scoreItemView is one unit's result on one item, as shown: value → formula → points.
type scoreItemView struct {
	Name, Value, Formula, Points string
	Capped                       bool
}

// scoreRowView is one unit's line of the scoreboard, every figure already rounded.
type scoreRowView struct {
	Unit, Total, Sum, Rank, Change string
	TotalCapped                    bool
	Items                          []scoreItemView
}

// scoreboardView turns a scoreboard into rows, best first, and the rank-history chart.
func scoreboardView(b domain.Scoreboard) (rows []scoreRowView, history string) {
	s := b.Scheme
	// Best first; units without a rank keep their order at the end.
	order := slices.Clone(b.Units)
	slices.SortStableFunc(order, func(a, b domain.UnitScore) int {
		return cmp.Compare(rankOrder(a.Rank), rankOrder(b.Rank))
	})
	for _, u := range order {
		row := scoreRowView{Unit: u.Unit.Name, Total: s.FormatScore(u.Total), Sum: s.FormatScore(u.Sum),
			Rank: domain.RankLabel(u.Rank, u.Tied), Change: domain.RankChange(u.PrevRank, u.Rank), TotalCapped: u.TotalCapped}
		for j, is := range u.Items {
			it := s.Items[j]
			v := scoreItemView{Name: it.Name, Value: itemValueText(it, is), Points: s.FormatScore(is.Points), Capped: is.Capped, Formula: is.Formula}
			if is.Points == nil {
				v.Formula = is.Note
			}
			row.Items = append(row.Items, v)
		}
		rows = append(rows, row)
	}
	type series struct {
		Name  string `json:"name"`
		Ranks []*int `json:"ranks"`
	}
	chart := struct {
		Months []string `json:"months"`
		Units  int      `json:"units"`
		Series []series `json:"series"`
	}{Units: len(b.Units)}
	for m := 1; m <= b.Month; m++ {
		chart.Months = append(chart.Months, strconv.Itoa(m)+"月")
	}
	for _, u := range b.Units {
		sr := series{Name: u.Unit.Name, Ranks: make([]*int, b.Month)}
		for _, h := range u.History {
			if h.Rank > 0 && h.Month >= 1 && h.Month <= b.Month {
				rank := h.Rank
				sr.Ranks[h.Month-1] = &rank
			}
		}
		chart.Series = append(chart.Series, sr)
	}
	js, _ := json.Marshal(chart)
	return rows, string(js)
}

// rankOrder sorts rank 0 (unranked) after every rank.
func rankOrder(rank int) int {
	if rank == 0 {
		return math.MaxInt
	}
	return rank
}

// itemValueText shows what an item measured for a unit: the value, and against which
// target with which completion where one applies.
func itemValueText(it domain.ScoringItem, is domain.ItemScore) string {
	if is.Value == nil {
		return domain.NoValue
	}
	text := domain.ShowNumber(is.Value)
	if it.Source == domain.SourceProjectsSigned || it.Source == domain.SourceProjects5020 || it.Source == domain.SourceProjectsLate {
		text += "个"
	}
	if is.Target != nil {
		text += " / 目标 " + domain.ShowNumber(is.Target)
	}
	if is.Rate != nil {
		text += "，完成率 " + domain.FormatPercent(is.Rate, 2) + "%"
	}
	return text
}

// scoring shows the period's scores, ranks, changes, breakdowns and rank history.
func (h *Handler) scoring(w http.ResponseWriter, r *http.Request) {
	year, month, err := h.period(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	board, err := h.Store.UnitScores(r.Context(), year, month)
	noScheme := domain.ErrorCode(err) == domain.ENOTFOUND
	if err != nil && !noScheme {
		h.Error(w, r, err)
		return
	}
	var rows []scoreRowView
	var history string
	if !noScheme {
		rows, history = scoreboardView(board)
	}
	h.render(w, r, 0, "scoring", view{Title: "考核", Nav: "scoring", Data: struct {
		Year, Month int
		Months      []int
		NoScheme    bool
		Scheme      *domain.ScoringScheme
		Rows        []scoreRowView
		History     string
		CanManage   bool
	}{year, month, allMonths, noScheme, board.Scheme, rows, history, auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

var allMonths = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}

// exportScoring writes the scoreboard and every unit's breakdown, figures as shown.
func (h *Handler) exportScoring(w http.ResponseWriter, r *http.Request) {
	year, month, err := h.period(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	board, err := h.Store.UnitScores(r.Context(), year, month)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	rows, _ := scoreboardView(board)
	s := board.Scheme
	title := fmt.Sprintf("%s · %d年%s得分与排名（总分上限%s）", s.Name, year, domain.MonthsToDate(month), s.TotalCap)
	scores := xlsx.Table{Sheet: "得分排名", Title: title, Headers: []string{"排名", "单位", "总分", "较上月"}, Widths: []float64{10, 18, 10, 8}}
	for _, it := range s.Items {
		scores.Headers = append(scores.Headers, it.Name)
		scores.Widths = append(scores.Widths, 14)
	}
	detail := xlsx.Table{Sheet: "得分明细", Title: title, Headers: []string{"单位", "考核项", "数值", "计算", "得分", "封顶"},
		Widths: []float64{18, 18, 30, 60, 10, 6}}
	for _, row := range rows {
		line := []any{row.Rank, row.Unit, row.Total, row.Change}
		for _, it := range row.Items {
			line = append(line, it.Points)
			detail.Rows = append(detail.Rows, []any{row.Unit, it.Name, it.Value, it.Formula, it.Points, yesNo(it.Capped)})
		}
		scores.Rows = append(scores.Rows, line)
	}
	writeXLSX(w, fmt.Sprintf("scoring-%d-%d.xlsx", year, month), scores, h, detail)
}
