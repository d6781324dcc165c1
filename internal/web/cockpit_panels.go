package web

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
)

// modulePanels are the cockpit cards of the modules the UI itself serves: the dispatch
// meetings' action items, and the working-day calendar when a year it needs is missing.
func (h *Handler) modulePanels() []CockpitPanel {
	return []CockpitPanel{
		{Action: auth.ReadActionItems, Load: h.actionItemsCard},
		{Action: auth.ReadProblems, Load: h.problemsCard},
		{Action: auth.ManageCampaign, Load: h.calendarCard},
	}
}

// problemsCard is the service loop at a glance: the year's problems, those still owed and
// overdue, and the rates the departments are judged by.
func (h *Handler) problemsCard(ctx context.Context, year, month int) (*CockpitCard, error) {
	to := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	r, err := h.Store.ProblemStatistics(ctx, domain.ProblemFilter{From: fmt.Sprintf("%d-01-01", year), To: to}, domain.ProblemByDepartment)
	if err != nil {
		return nil, err
	}
	t := r.Total
	overdue := CockpitFigure{Label: "逾期未办", Value: strconv.Itoa(t.Overdue)}
	if t.Overdue > 0 {
		overdue.Colour = domain.ColourRed
	}
	return &CockpitCard{Title: "企业诉求（" + domain.MonthsToDate(month) + "）", Link: "/problems/stats", LinkText: "办理统计与红黑榜",
		Figures: []CockpitFigure{{Label: "受理", Value: strconv.Itoa(t.Count)}, {Label: "办结", Value: strconv.Itoa(t.Closed)}, overdue,
			{Label: "按期答复率%", Value: t.OnTimeLabel()}, {Label: "满意率%", Value: t.SatisfactionLabel()}}}, nil
}

// actionItemsCard counts the meetings' action items by state, overdue in red.
func (h *Handler) actionItemsCard(ctx context.Context, _, _ int) (*CockpitCard, error) {
	s, err := h.countActionItems(ctx, 0)
	if err != nil {
		return nil, err
	}
	overdue := CockpitFigure{Label: "逾期", Value: strconv.Itoa(s.Overdue)}
	if s.Overdue > 0 {
		overdue.Colour = domain.ColourRed
	}
	return &CockpitCard{Title: "交办事项", Link: "/action-items?overdue=1", LinkText: "查看逾期事项", Figures: []CockpitFigure{
		{Label: "未办结", Value: strconv.Itoa(s.Open)}, {Label: "已答复待办结", Value: strconv.Itoa(s.Replied)}, overdue}}, nil
}

// calendarCard warns when this year's holidays — or, from November, next year's, which
// deadlines of 25 working days reach — are not loaded: deadlines and service days are
// then reckoned on weekends only.
func (h *Handler) calendarCard(ctx context.Context, _, _ int) (*CockpitCard, error) {
	cal, err := h.Store.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(h.Store.Now())
	years := []int{today.Year()}
	if today.Month() >= time.November {
		years = append(years, today.Year()+1)
	}
	for _, y := range years {
		if !cal.Loaded(y) {
			return &CockpitCard{Title: "节假日安排", Link: fmt.Sprintf("/calendar?year=%d", y), LinkText: "去载入（未载入时期限暂按周末推算）",
				Figures: []CockpitFigure{{Label: fmt.Sprintf("%d年节假日", y), Value: "未载入", Colour: domain.ColourYellow}}}, nil
		}
	}
	return nil, nil
}
