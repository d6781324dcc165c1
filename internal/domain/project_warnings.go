package domain

import (
	"fmt"
	"math/big"
	"time"
)

// Warning levels.
const (
	WarningYellow = "yellow"
	WarningRed    = "red"
)

// Warning codes.
const (
	WarnNotStarted        = "not_started"
	WarnNoNote            = "no_note"
	WarnPlannedStart      = "planned_start_passed"
	WarnPlannedProduction = "planned_production_passed"
	WarnFundsBehind       = "funds_behind"
	WarnIdleLand          = "idle_land"
)

// WarningLabels name the warning codes for people.
var WarningLabels = map[string]string{
	WarnNotStarted:        "签约未开工",
	WarnNoNote:            "长期无进展记录",
	WarnPlannedStart:      "超计划开工日期",
	WarnPlannedProduction: "超计划投产日期",
	WarnFundsBehind:       "资金到位滞后",
	WarnIdleLand:          "供地未开工（闲置土地）",
}

// WarningRules are the thresholds of the project warnings (DOMAIN.md §3). A day count of
// 0 switches its rule off.
type WarningRules struct {
	NotStartedYellowDays int  `json:"not_started_yellow_days"` // signed and not started for more than this many days
	NotStartedRedDays    int  `json:"not_started_red_days"`
	NoNoteDays           int  `json:"no_note_days"` // no progress note for more than this many days
	PlannedStart         bool `json:"planned_start"`
	PlannedProduction    bool `json:"planned_production"`
	FundsBehind          bool `json:"funds_behind"`
	IdleLandDays         int  `json:"idle_land_days"` // land supplied and not started for at least this many days
}

// DefaultWarningRules are DOMAIN.md §3's defaults. The idle land rule is the national one:
// land not started one year (365 days) after it was supplied.
var DefaultWarningRules = WarningRules{
	NotStartedYellowDays: 90,
	NotStartedRedDays:    180,
	NoNoteDays:           30,
	PlannedStart:         true,
	PlannedProduction:    true,
	FundsBehind:          true,
	IdleLandDays:         365,
}

// Validate checks the thresholds make sense.
func (r WarningRules) Validate() error {
	p := Problems{}
	for field, n := range map[string]int{"not_started_yellow_days": r.NotStartedYellowDays, "not_started_red_days": r.NotStartedRedDays,
		"no_note_days": r.NoNoteDays, "idle_land_days": r.IdleLandDays} {
		if n < 0 || n > 3650 {
			p.Add(field, "天数应在0到3650之间（0表示不启用）。")
		}
	}
	if r.NotStartedYellowDays > 0 && r.NotStartedRedDays > 0 && r.NotStartedRedDays < r.NotStartedYellowDays {
		p.Add("not_started_red_days", "红色预警天数不能少于黄色预警天数。")
	}
	return p.Err()
}

// ProjectFacts are the fields of a project the warnings look at. Dates are 'YYYY-MM-DD'
// or "" when not reached.
type ProjectFacts struct {
	Stage                               string
	SignedOn, LandSuppliedOn, StartedOn string
	InProductionOn, TerminatedOn        string
	PlannedStartOn, PlannedProductionOn string
	LastNoteOn                          string
	ContractInvestment, FundsInPlace    int64 // whole yuan
}

// Warning is one active warning on a project.
type Warning struct {
	Code   string `json:"code"`
	Level  string `json:"level"`
	Reason string `json:"reason"`
}

func stageAtLeast(stage, min string) bool {
	si, mi := -1, -1
	for i, s := range ProjectStages {
		if s == stage {
			si = i
		}
		if s == min {
			mi = i
		}
	}
	return stage != "terminated" && si >= mi && mi >= 0
}

func (f ProjectFacts) signed() bool {
	return f.SignedOn != "" || stageAtLeast(f.Stage, "signed")
}

func (f ProjectFacts) started() bool {
	return f.StartedOn != "" || stageAtLeast(f.Stage, "started")
}

func (f ProjectFacts) inProduction() bool {
	return f.InProductionOn != "" || f.Stage == "in_production"
}

// daysSince counts whole days from date to today; ok is false for an empty or bad date.
func daysSince(date string, today time.Time) (int, bool) {
	d, ok := ParseDay(date)
	if !ok {
		return 0, false
	}
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return int(t.Sub(d).Hours() / 24), true
}

// ParseDay reads a 'YYYY-MM-DD' date as time.Parse(time.DateOnly) does (midnight UTC;
// false for anything else, a 30 February included), by hand: parsing dominated judging a
// province's fifty thousand projects.
func ParseDay(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, m, d := Digits(s[0:4]), Digits(s[5:7]), Digits(s[8:10])
	if y < 0 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // past the month's end: time.Date rolled over
		return time.Time{}, false
	}
	return t, true
}

// Digits is the number a run of decimal digits spells, -1 when anything else is in it:
// the piece of hand-written date and time readers, where time.Parse was the cost.
func Digits(s string) int {
	v := 0
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// ProjectWarnings returns a project's active warnings on the given day. Terminated
// projects and projects in production have none, except that a project in production
// is never warned about starting.
//
// Funds behind time progress is simplified: the project's cumulative funds in place ÷
// its contract investment is compared with this year's time progress (complete months
// elapsed ÷ 12), for started projects not yet in production; there is no per-project
// funding schedule to compare with.
func ProjectWarnings(f ProjectFacts, today time.Time, rules WarningRules) []Warning {
	if f.TerminatedOn != "" || f.Stage == "terminated" || !f.signed() {
		return nil
	}
	var ws []Warning
	add := func(code, level, format string, args ...any) {
		ws = append(ws, Warning{Code: code, Level: level, Reason: fmt.Sprintf(format, args...)})
	}
	started, producing := f.started(), f.inProduction()
	if level, days, limit := notStarted(f, today, rules); level != "" {
		add(WarnNotStarted, level, "签约已%d天仍未开工（超过%d天）", days, limit)
	}
	if !started && !producing {
		if rules.IdleLandDays > 0 {
			if days, ok := daysSince(f.LandSuppliedOn, today); ok && days >= rules.IdleLandDays {
				add(WarnIdleLand, WarningRed, "供地已%d天仍未开工（满%d天按闲置土地处置）", days, rules.IdleLandDays)
			}
		}
		if rules.PlannedStart {
			if days, ok := daysSince(f.PlannedStartOn, today); ok && days > 0 {
				add(WarnPlannedStart, WarningYellow, "计划开工日期%s已过%d天仍未开工", f.PlannedStartOn, days)
			}
		}
	}
	if producing {
		return ws
	}
	if rules.NoNoteDays > 0 {
		since, what := f.LastNoteOn, "最近一次进展记录"
		if since == "" {
			since, what = f.SignedOn, "签约后无进展记录，签约"
		}
		if days, ok := daysSince(since, today); ok && days > rules.NoNoteDays {
			add(WarnNoNote, WarningYellow, "%s已%d天（超过%d天未更新进展）", what, days, rules.NoNoteDays)
		}
	}
	if rules.PlannedProduction {
		if days, ok := daysSince(f.PlannedProductionOn, today); ok && days > 0 {
			add(WarnPlannedProduction, WarningYellow, "计划投产日期%s已过%d天仍未投产", f.PlannedProductionOn, days)
		}
	}
	if rules.FundsBehind && started && f.ContractInvestment > 0 {
		if months := int(today.Month()) - 1; months > 0 && fundsBehind(f.FundsInPlace, f.ContractInvestment, months) {
			share := new(big.Rat).SetFrac64(f.FundsInPlace, f.ContractInvestment)
			add(WarnFundsBehind, WarningYellow, "资金到位率%s%%，低于时序进度%s%%（%d/12）", FormatPercent(share, 1), timeProgressPercent[months], months)
		}
	}
	return ws
}

// fundsBehind reports funds ÷ contract < months ÷ 12 (contract > 0), in integers when the
// products cannot overflow — amounts are whole yuan far below 2⁵⁹ — exactly otherwise.
func fundsBehind(funds, contract int64, months int) bool {
	const safe = 1 << 59
	if funds >= 0 && funds < safe && contract < safe {
		return funds*12 < contract*int64(months)
	}
	return new(big.Rat).SetFrac64(funds, contract).Cmp(TimeProgressMonths(months)) < 0
}

// timeProgressPercent are FormatPercent(TimeProgressMonths(m), 1) for m = 0…12, worked
// out once: a province's bulletin evaluates tens of thousands of projects.
var timeProgressPercent = func() (labels [13]string) {
	for m := range labels {
		labels[m] = FormatPercent(TimeProgressMonths(m), 1)
	}
	return labels
}()

// NotStartedLate reports whether a project has the 签约未开工 warning (either level) on
// the day: signed, live, not started, and signed longer ago than the rules allow.
func NotStartedLate(f ProjectFacts, today time.Time, rules WarningRules) bool {
	level, _, _ := notStarted(f, today, rules)
	return level != ""
}

// notStarted is the 签约未开工 rule: its level ("" for none), the days since signing and
// the limit those days passed.
func notStarted(f ProjectFacts, today time.Time, rules WarningRules) (level string, days, limit int) {
	if f.TerminatedOn != "" || f.Stage == "terminated" || !f.signed() || f.started() || f.inProduction() {
		return "", 0, 0
	}
	days, ok := daysSince(f.SignedOn, today)
	switch {
	case !ok:
	case rules.NotStartedRedDays > 0 && days > rules.NotStartedRedDays:
		return WarningRed, days, rules.NotStartedRedDays
	case rules.NotStartedYellowDays > 0 && days > rules.NotStartedYellowDays:
		return WarningYellow, days, rules.NotStartedYellowDays
	}
	return "", days, 0
}

// WorstLevel is red when any warning is red, yellow when any is yellow, else "".
func WorstLevel(ws []Warning) string {
	level := ""
	for _, w := range ws {
		if w.Level == WarningRed {
			return WarningRed
		}
		level = WarningYellow
	}
	return level
}
