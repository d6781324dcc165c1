package domain

import (
	"math/big"
	"slices"
	"strconv"
)

// The cockpit (驾驶舱) is the coordinators' and leaders' landing page: one period's
// headline indicators against time progress, their monthly trend, the ranking of units
// on one of them, the project pipeline by stage and the active project warnings. Every
// figure comes from the same formulas as the progress page (BuildProgress), rounded
// half-up only here, for display.

// CockpitInput is what the cockpit is computed from; the store reads it in one go.
type CockpitInput struct {
	Progress ProgressInput
	// Monthly holds, for each month 1..Progress.Month, every unit's cumulative figures
	// (approved reports and derived counts): the trend.
	Monthly map[int]map[CellKey]Dec
	// MonthlyProgress is time progress at the end of each month, by the same rule as
	// Progress.TimeProgress (months or days).
	MonthlyProgress map[int]*big.Rat
	// Stages counts the projects at each current stage.
	Stages map[string]int
	// Warnings counts, per unit, the projects with an active warning by worst level.
	Warnings []UnitWarnings
	// Indicator is the headline indicator the ranking and trend show; 0 takes the first.
	Indicator int64
}

// UnitWarnings is one unit's projects with an active warning, by worst level.
type UnitWarnings struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Red      int    `json:"red"`
	Yellow   int    `json:"yellow"`
}

// Cockpit is the landing page's figures as displayed: every number already rounded.
type Cockpit struct {
	Year            int                 `json:"year"`
	Month           int                 `json:"month"`
	TimeProgressPct string              `json:"time_progress_pct"`
	Headline        []CockpitIndicator  `json:"headline"`
	Selected        int64               `json:"indicator_id"`
	Ranking         []CockpitRank       `json:"ranking"`
	RankedBy        string              `json:"ranked_by"`
	Trend           CockpitTrend        `json:"trend"`
	Funnel          []CockpitStage      `json:"funnel"`
	Terminated      int                 `json:"terminated"`
	Warnings        CockpitWarningsView `json:"warnings"`
}

// CockpitIndicator is a headline indicator's city figure against time progress.
type CockpitIndicator struct {
	ID              int64  `json:"indicator_id"`
	Code            string `json:"code"`
	Name            string `json:"name"`
	Measure         string `json:"measure"`
	Actual          string `json:"actual"`
	Target          string `json:"target"`
	CompletionPct   string `json:"completion_pct"`
	TimeProgressPct string `json:"time_progress_pct"`
	GapPoints       string `json:"gap_points"`
	Colour          Colour `json:"colour"`
	// Completion is CompletionPct as a number for the gauge; nil without a target.
	Completion *float64 `json:"-"`
}

// CockpitRank is one unit's place on the selected indicator.
type CockpitRank struct {
	UnitID        int64  `json:"unit_id"`
	UnitName      string `json:"unit_name"`
	Rank          int    `json:"rank"`
	RankLabel     string `json:"rank_label"`
	Actual        string `json:"actual"`
	CompletionPct string `json:"completion_pct"`
	GapPoints     string `json:"gap_points"`
	Colour        Colour `json:"colour"`
}

// CockpitTrend is the selected indicator's city figure month by month against the
// target's time-progress line (target × time progress at each month's end).
type CockpitTrend struct {
	Name    string    `json:"name"`
	Months  []string  `json:"months"`
	Actual  []*string `json:"actual"`
	Planned []*string `json:"planned"`
}

// CockpitStage is the number of projects at one stage of the pipeline.
type CockpitStage struct {
	Stage string `json:"stage"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// CockpitWarningsView is the active project warnings: totals and the most-warned units.
type CockpitWarningsView struct {
	Red    int            `json:"red"`
	Yellow int            `json:"yellow"`
	Units  []UnitWarnings `json:"units"`
}

// CockpitTopUnits is how many most-warned units the cockpit lists.
const CockpitTopUnits = 5

// BuildCockpit computes the cockpit from its input with the progress formulas.
func BuildCockpit(in CockpitInput) Cockpit {
	// Lists start empty rather than nil: the API answers [] for "none".
	c := Cockpit{Year: in.Progress.Year, Month: in.Progress.Month, TimeProgressPct: FormatPercent(in.Progress.TimeProgress, 1),
		Headline: []CockpitIndicator{}, Ranking: []CockpitRank{}, Funnel: []CockpitStage{},
		Trend: CockpitTrend{Months: []string{}, Actual: []*string{}, Planned: []*string{}}}
	var selected *ProgressTable
	tables := BuildProgress(in.Progress)
	for i := range tables {
		t := &tables[i]
		if !t.Indicator.Headline {
			continue
		}
		if selected == nil || t.Indicator.ID == in.Indicator {
			selected = t
		}
		c.Headline = append(c.Headline, headlineView(t))
	}
	if selected != nil {
		c.Selected, c.RankedBy = selected.Indicator.ID, selected.RankedBy
		for _, r := range selected.Rows {
			c.Ranking = append(c.Ranking, CockpitRank{UnitID: r.Unit.ID, UnitName: r.Unit.Name, Rank: r.Rank,
				RankLabel: RankLabel(r.Rank, r.Tied), Actual: RoundHalfUp(r.Actual, selected.Indicator.Decimals),
				CompletionPct: FormatPercent(r.CompletionBase, 1), GapPoints: FormatPoints(r.Gap, 1), Colour: r.Colour})
		}
		// Best first; units without a rank (no figure) go last, in their order.
		slices.SortStableFunc(c.Ranking, func(a, b CockpitRank) int {
			switch {
			case a.Rank == b.Rank:
				return 0
			case a.Rank == 0:
				return 1
			case b.Rank == 0:
				return -1
			}
			return a.Rank - b.Rank
		})
		c.Trend = trendView(in, selected)
	}
	for _, s := range ProjectStages {
		if s == "terminated" {
			c.Terminated = in.Stages[s]
			continue
		}
		c.Funnel = append(c.Funnel, CockpitStage{Stage: s, Label: ProjectStageLabels[s], Count: in.Stages[s]})
	}
	c.Warnings = warningsView(in.Warnings)
	return c
}

func headlineView(t *ProgressTable) CockpitIndicator {
	ind, city := t.Indicator, t.City
	v := CockpitIndicator{ID: ind.ID, Code: ind.Code, Name: ind.Name, Measure: ind.Measure,
		Actual: RoundHalfUp(city.Actual, ind.Decimals), Target: RoundHalfUp(city.Base, ind.Decimals),
		CompletionPct: FormatPercent(city.CompletionBase, 1), TimeProgressPct: FormatPercent(t.TimeProgress, 1),
		GapPoints: FormatPoints(city.Gap, 1), Colour: city.Colour}
	if city.CompletionBase != nil {
		// The gauge draws the displayed figure, so it parses the rounded text, not a float
		// of the exact rational.
		if f, err := strconv.ParseFloat(v.CompletionPct, 64); err == nil {
			v.Completion = &f
		}
	}
	if city.Unit == nil {
		v.Colour = ColourNone
	}
	return v
}

// trendView is the selected indicator's city figure at each month's end, and the
// target's share at that month's time progress. A phased indicator follows its own
// schedule only for the period itself, so its line uses the plain time progress.
func trendView(in CockpitInput, t *ProgressTable) CockpitTrend {
	ind := t.Indicator
	tr := CockpitTrend{Name: ind.Name + "（" + ind.Measure + "）"}
	city := in.Progress.City
	for m := 1; m <= in.Progress.Month; m++ {
		tr.Months = append(tr.Months, strconv.Itoa(m)+"月")
		var actual, planned *string
		if city != nil {
			if v := CityValue(ind, in.Progress.Indicators, in.Monthly[m], city, in.Progress.Units); v != nil {
				s := RoundHalfUp(v, ind.Decimals)
				actual = &s
			}
			if t.City.Base != nil && in.MonthlyProgress[m] != nil && ind.Accumulation == Cumulative {
				s := RoundHalfUp(new(big.Rat).Mul(t.City.Base, in.MonthlyProgress[m]), ind.Decimals)
				planned = &s
			}
		}
		tr.Actual, tr.Planned = append(tr.Actual, actual), append(tr.Planned, planned)
	}
	return tr
}

// warningsView totals the warnings and keeps the units with the most red, then most
// warned projects; ties keep the units' order.
func warningsView(units []UnitWarnings) CockpitWarningsView {
	v := CockpitWarningsView{}
	top := make([]UnitWarnings, 0, len(units))
	for _, u := range units {
		v.Red += u.Red
		v.Yellow += u.Yellow
		top = append(top, u)
	}
	slices.SortStableFunc(top, func(a, b UnitWarnings) int {
		if a.Red != b.Red {
			return b.Red - a.Red
		}
		return (b.Red + b.Yellow) - (a.Red + a.Yellow)
	})
	if len(top) > CockpitTopUnits {
		top = top[:CockpitTopUnits]
	}
	v.Units = top
	return v
}

// HasHeadline reports whether id is one of the cockpit's headline indicators: the only
// ones it ranks units on.
func (c Cockpit) HasHeadline(id int64) bool {
	return slices.ContainsFunc(c.Headline, func(i CockpitIndicator) bool { return i.ID == id })
}
