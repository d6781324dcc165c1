package domain

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A scoring scheme (考核方案) turns a year's records into points per assessed unit
// (DOMAIN.md §6). Every figure is computed exactly as a rational; points are rounded
// half-up only for display, to the scheme's decimals.

// Where an item's figure comes from.
const (
	SourceCompletionBase    = "completion_base"      // an indicator's actual ÷ the unit's base target
	SourceCompletionStretch = "completion_stretch"   // … ÷ the unit's stretch target
	SourceIndicatorValue    = "indicator_value"      // an indicator's actual value
	SourceProjectsSigned    = "projects_signed"      // projects of a tier signed in the year
	SourceProjects5020      = "projects_5020"        // projects certified 5020 in the year
	SourceProjectsLate      = "projects_not_started" // projects signed and not started on time
)

// How an item turns its figure into points.
const (
	MethodCappedRatio = "capped_ratio" // min(actual ÷ target, ratio cap) × weight
	MethodEfficacy    = "efficacy"     // (60 + 40 × (x − min) ÷ (max − min)) × weight ÷ 100
	MethodMinMax      = "min_max"      // weight × (floor + (100 − floor) × (x − min) ÷ (max − min)) ÷ 100
	MethodDeduction   = "deduction"    // weight − step per missing unit below the required count, not below min points
	MethodPenalty     = "penalty"      // − step per counted unit
	MethodBonus       = "bonus"        // + step per unit over the target, at most the item cap
)

// ScoreSources and ScoreMethods name the choices for people, in the editor's order.
var (
	ScoreSources = []Choice{
		{SourceCompletionBase, "指标完成率（对基础目标）"},
		{SourceCompletionStretch, "指标完成率（对奋斗目标）"},
		{SourceIndicatorValue, "指标实际值"},
		{SourceProjectsSigned, "年内签约项目数（合同投资额达到档次）"},
		{SourceProjects5020, "年内认定的5020项目数"},
		{SourceProjectsLate, "签约逾期未开工项目数（按项目预警规则）"},
	}
	ScoreMethods = []Choice{
		{MethodCappedRatio, "完成率封顶法"},
		{MethodEfficacy, "功效系数法"},
		{MethodMinMax, "极差法（保底分）"},
		{MethodDeduction, "差额扣分"},
		{MethodPenalty, "按项扣分"},
		{MethodBonus, "超额加分（封顶）"},
	}
)

// ScoreSourceLabel and ScoreMethodLabel are a source's and a method's Chinese names.
func ScoreSourceLabel(v string) string { return ChoiceLabel(ScoreSources, v) }
func ScoreMethodLabel(v string) string { return ChoiceLabel(ScoreMethods, v) }

// ScoringScheme is one year's scheme: ordered items and a cap on the total.
type ScoringScheme struct {
	Year     int           `json:"year"`
	Name     string        `json:"name"`
	TotalCap Dec           `json:"total_cap"`
	Decimals int           `json:"decimals"` // display decimals of points; 0 takes the default 2
	Items    []ScoringItem `json:"items"`
	Version  int64         `json:"version"`
}

// ScoringItem is one line of a scheme. Which parameters apply depends on the method; the
// others are cleared by Normalize so the stored scheme says only what it uses.
type ScoringItem struct {
	Name      string `json:"name"`
	Source    string `json:"source"`
	Indicator string `json:"indicator,omitempty"` // indicator code, for the indicator sources
	TierYi    Dec    `json:"tier_yi,omitempty"`   // projects_signed: contract investment ≥ this many 亿元
	Method    string `json:"method"`
	Weight    Dec    `json:"weight"`              // full points; bonus and penalty items have none
	Cap       *Dec   `json:"cap,omitempty"`       // item cap: most points (or, for a penalty, most deducted)
	RatioCap  Dec    `json:"ratio_cap,omitempty"` // capped_ratio: 1 = 100%, 1.2 = 120%
	Floor     Dec    `json:"floor,omitempty"`     // min_max: the worst unit's share of the weight, in % (20)
	// Target is a fixed target or required count; nil takes the unit's own base target of
	// the indicator (capped_ratio, deduction and bonus on indicator values).
	Target    *Dec `json:"target,omitempty"`
	Step      Dec  `json:"step,omitempty"`       // points per missing, counted or extra unit
	MinPoints Dec  `json:"min_points,omitempty"` // deduction: the lowest the item can fall to
}

// DefaultScoreDecimals is how many decimals points show with unless the scheme says.
const DefaultScoreDecimals = 2

// EfficacyFloor is the worst unit's share in the efficacy coefficient method (60 of 100).
var EfficacyFloor = DecFromInt(60)

// MaxScoringItems bounds a scheme; published schemes have a dozen or so.
const MaxScoringItems = 40

func (it ScoringItem) indicatorSource() bool {
	return it.Source == SourceCompletionBase || it.Source == SourceCompletionStretch || it.Source == SourceIndicatorValue
}

func (it ScoringItem) completionSource() bool {
	return it.Source == SourceCompletionBase || it.Source == SourceCompletionStretch
}

// Weighted reports whether the item's full points are its weight (bonus and penalty
// items only add or take away).
func (it ScoringItem) Weighted() bool {
	return it.Method != MethodBonus && it.Method != MethodPenalty
}

// allowed says which sources each method makes sense for: a ratio, a deduction or a
// bonus needs a target, which a count of late projects has no use for; completion is
// already a ratio, so only the ratio and relative methods take it.
var allowed = map[string][]string{
	MethodCappedRatio: {SourceCompletionBase, SourceCompletionStretch, SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020},
	MethodEfficacy:    {SourceCompletionBase, SourceCompletionStretch, SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020, SourceProjectsLate},
	MethodMinMax:      {SourceCompletionBase, SourceCompletionStretch, SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020, SourceProjectsLate},
	MethodDeduction:   {SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020},
	MethodPenalty:     {SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020, SourceProjectsLate},
	MethodBonus:       {SourceIndicatorValue, SourceProjectsSigned, SourceProjects5020},
}

// Normalize trims names, sets the default decimals and clears the parameters the
// item's method does not use.
func (s *ScoringScheme) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	if s.Decimals == 0 {
		s.Decimals = DefaultScoreDecimals
	}
	for i := range s.Items {
		it := &s.Items[i]
		it.Name = strings.TrimSpace(it.Name)
		it.Indicator = strings.TrimSpace(it.Indicator)
		if !it.indicatorSource() {
			it.Indicator = ""
		}
		if it.Source != SourceProjectsSigned {
			it.TierYi = 0
		}
		if !it.Weighted() {
			it.Weight = 0
		}
		if it.Method != MethodCappedRatio {
			it.RatioCap = 0
		}
		if it.Method != MethodMinMax {
			it.Floor = 0
		}
		if it.Method != MethodCappedRatio && it.Method != MethodDeduction && it.Method != MethodBonus || it.completionSource() {
			it.Target = nil
		}
		if it.Method != MethodDeduction && it.Method != MethodPenalty && it.Method != MethodBonus {
			it.Step = 0
		}
		if it.Method != MethodDeduction {
			it.MinPoints = 0
		}
	}
}

// ItemField names a problem's field: "items.2.weight".
func ItemField(i int, field string) string { return fmt.Sprintf("items.%d.%s", i, field) }

var maxPoints = DecFromInt(1000)

// Validate checks the scheme against the indicator catalogue (codes of active
// indicators). Problems name the field ("name", "total_cap", "items.0.weight").
func (s *ScoringScheme) Validate(indicators []*Indicator) error {
	p := Problems{}
	if !ValidYear(s.Year) {
		p.Add("year", "年份应在2000到2100之间。")
	}
	if s.Name == "" || utf8.RuneCountInString(s.Name) > 60 {
		p.Add("name", "请填写方案名称（不超过60字）。")
	}
	if s.TotalCap <= 0 || s.TotalCap > maxPoints {
		p.Add("total_cap", "总分上限应大于0且不超过1000。")
	}
	if s.Decimals < 1 || s.Decimals > 4 {
		p.Add("decimals", "显示小数位应在1到4之间。")
	}
	if len(s.Items) == 0 {
		p.Add("items", "方案至少要有一个考核项。")
	}
	if len(s.Items) > MaxScoringItems {
		p.Add("items", fmt.Sprintf("考核项不能超过%d个。", MaxScoringItems))
	}
	codes := map[string]bool{}
	for _, ind := range indicators {
		codes[ind.Code] = true
	}
	for i, it := range s.Items {
		f := func(field string) string { return ItemField(i, field) }
		if it.Name == "" || utf8.RuneCountInString(it.Name) > 40 {
			p.Add(f("name"), "请填写考核项名称（不超过40字）。")
		}
		srcs, ok := allowed[it.Method]
		if !ok {
			p.Add(f("method"), "请选择计分方法。")
			continue
		}
		if !validChoice(ScoreSources, it.Source) {
			p.Add(f("source"), "请选择数据来源。")
			continue
		}
		if !slices.Contains(srcs, it.Source) {
			p.Add(f("method"), fmt.Sprintf("“%s”不适用于“%s”。", ScoreMethodLabel(it.Method), ScoreSourceLabel(it.Source)))
			continue
		}
		if it.indicatorSource() && !codes[it.Indicator] {
			p.Add(f("indicator"), "请选择一个启用中的指标。")
		}
		if it.Source == SourceProjectsSigned && (it.TierYi <= 0 || it.TierYi > DecFromInt(10000)) {
			p.Add(f("tier_yi"), "金额档次应大于0亿元（如1、10、20）。")
		}
		if it.Weighted() && (it.Weight <= 0 || it.Weight > maxPoints) {
			p.Add(f("weight"), "权重（满分）应大于0且不超过1000。")
		}
		if it.Cap != nil && (*it.Cap <= 0 || *it.Cap > maxPoints) {
			p.Add(f("cap"), "单项上限应大于0且不超过1000，不设上限请留空。")
		}
		needsTarget := it.Method == MethodCappedRatio || it.Method == MethodDeduction || it.Method == MethodBonus
		if needsTarget && it.Target == nil && !it.indicatorSource() {
			p.Add(f("target"), "项目数没有各单位目标，请填写统一的目标数。")
		}
		if it.Target != nil && *it.Target < 0 {
			p.Add(f("target"), "目标数不能为负数。")
		}
		switch it.Method {
		case MethodCappedRatio:
			if it.RatioCap <= 0 || it.RatioCap > DecFromInt(10) {
				p.Add(f("ratio_cap"), "完成率封顶应大于0（如1表示100%，1.2表示120%）。")
			}
		case MethodMinMax:
			if it.Floor < 0 || it.Floor >= DecFromInt(100) {
				p.Add(f("floor"), "保底分比例应在0到100之间（不含100），如20。")
			}
		case MethodDeduction, MethodPenalty, MethodBonus:
			if it.Step <= 0 || it.Step > maxPoints {
				p.Add(f("step"), "每个单位的加减分应大于0。")
			}
		}
		if it.Method == MethodDeduction && (it.MinPoints < 0 || it.MinPoints > it.Weight) {
			p.Add(f("min_points"), "最低得分应在0到权重之间。")
		}
		if it.Method == MethodBonus && it.Cap == nil {
			p.Add(f("cap"), "加分项须设单项上限（最多加几分）。")
		}
	}
	return p.Err()
}

// ScoringProject is what the project sources read of a project.
type ScoringProject struct {
	UnitID             int64
	ContractInvestment int64 // whole yuan
	Cert5020           string
	Cert5020On         string
	Facts              ProjectFacts
}

// ScoringData is one month's input: the progress figures (approved reports and derived
// indicators, targets, assessed units) and the projects with the warning rules.
type ScoringData struct {
	Progress ProgressInput
	Projects []ScoringProject
	Warnings WarningRules
}

// PeriodEnd is the last day of a period, the date project sources count up to.
func PeriodEnd(year, month int) time.Time {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
}

// ItemScore is one unit's result on one item. Nil rationals show NoValue.
type ItemScore struct {
	Value   *big.Rat // the actual value or count
	Target  *big.Rat // the target it is measured against, where one applies
	Rate    *big.Rat // completion (value ÷ target), for the ratio and completion sources
	Points  *big.Rat // after the item cap; nil when the item is not scored for the unit
	Capped  bool     // a cap (the item's or the ratio's) cut the points
	Formula string   // how the points came about, for people
	Note    string   // why the item is not scored
}

// UnitScore is one unit's line on the scoreboard.
type UnitScore struct {
	Unit        *Unit
	Items       []ItemScore
	Sum         *big.Rat // of the items' points, before the total cap
	Total       *big.Rat // nil when no item could be scored
	TotalCapped bool
	Rank        int
	Tied        bool
	PrevRank    int      // last month's rank, 0 for none
	History     []RankAt // month 1 … the period
}

// RankAt is a unit's rank in one month.
type RankAt struct {
	Month int  `json:"month"`
	Rank  int  `json:"rank"` // 0 when the unit could not be scored that month
	Tied  bool `json:"tied"`
}

// Scoreboard is a period's scores with each unit's rank history for the year.
type Scoreboard struct {
	Scheme      *ScoringScheme
	Year, Month int
	Units       []UnitScore
}

// RankChange shows the move from last month's rank: "↑2", "↓1", or "—" when unchanged
// or when either month has no rank.
func RankChange(prev, cur int) string {
	switch {
	case prev <= 0 || cur <= 0 || prev == cur:
		return NoValue
	case cur < prev:
		return fmt.Sprintf("↑%d", prev-cur)
	}
	return fmt.Sprintf("↓%d", cur-prev)
}

// BuildScoreboard scores every month of months (month 1 first, the period last) and
// keeps the last month's scores with every unit's rank history.
func BuildScoreboard(s *ScoringScheme, months []ScoringData) Scoreboard {
	b := Scoreboard{Scheme: s}
	if len(months) == 0 {
		return b
	}
	last := months[len(months)-1].Progress
	b.Year, b.Month = last.Year, last.Month
	history := map[int64][]RankAt{}
	for i, d := range months {
		scores := ScoreUnits(s, d)
		for _, us := range scores {
			history[us.Unit.ID] = append(history[us.Unit.ID], RankAt{d.Progress.Month, us.Rank, us.Tied})
		}
		if i == len(months)-1 {
			b.Units = scores
		}
	}
	for i := range b.Units {
		u := &b.Units[i]
		u.History = history[u.Unit.ID]
		if n := len(u.History); n >= 2 {
			u.PrevRank = u.History[n-2].Rank
		}
	}
	return b
}

// ScoreUnits scores every assessed unit of one month. Item caps apply first, then the
// total cap; units are ranked on their totals as shown (rounded to the scheme's
// decimals), so two units showing the same score share the rank ("并列"). A unit no item
// could score gets no total and no rank.
func ScoreUnits(s *ScoringScheme, d ScoringData) []UnitScore {
	units := d.Progress.Units
	out := make([]UnitScore, len(units))
	for i, u := range units {
		out[i] = UnitScore{Unit: u, Items: make([]ItemScore, len(s.Items))}
	}
	for j, it := range s.Items {
		col := scoreItem(it, d)
		for i := range out {
			out[i].Items[j] = col[i]
		}
	}
	decimals := s.Decimals
	shown := make([]*big.Rat, len(out))
	for i := range out {
		us := &out[i]
		sum, any := new(big.Rat), false
		for _, is := range us.Items {
			if is.Points != nil {
				sum.Add(sum, is.Points)
				any = true
			}
		}
		if !any {
			continue
		}
		us.Sum, us.Total = sum, sum
		if capRat := s.TotalCap.Rat(); sum.Cmp(capRat) > 0 {
			us.Total, us.TotalCapped = capRat, true
		}
		shown[i] = new(big.Rat).SetFrac(roundScaled(us.Total, decimals), pow10(decimals))
	}
	ranks, tied := Ranks(shown, true)
	for i := range out {
		out[i].Rank, out[i].Tied = ranks[i], tied[i]
	}
	return out
}

// sourceFigure is a unit's figure on an item's source.
type sourceFigure struct {
	value, target, rate *big.Rat
	note                string // why there is no figure, when the source itself is missing
}

// figures reads the item's source for every unit; higher says whether more is better
// (a late project count and a lower-is-better indicator are not).
func figures(it ScoringItem, d ScoringData) (out []sourceFigure, higher bool) {
	in := d.Progress
	out = make([]sourceFigure, len(in.Units))
	if it.indicatorSource() {
		byID := map[int64]*Indicator{}
		var ind *Indicator
		for _, x := range in.Indicators {
			byID[x.ID] = x
			if x.Code == it.Indicator {
				ind = x
			}
		}
		if ind == nil {
			for i := range out {
				out[i].note = fmt.Sprintf("指标 %s 已停用或不存在，不计分", it.Indicator)
			}
			return out, true
		}
		for i, u := range in.Units {
			f := &out[i]
			f.value, _ = indicatorValue(ind, byID, in.Actual, u, in.Units, false)
			if tg := in.Targets[CellKey{u.ID, ind.ID}]; tg != nil {
				f.target = tg.Base.Rat()
				if it.Source == SourceCompletionStretch {
					f.target = nil
					if tg.Stretch != nil {
						f.target = tg.Stretch.Rat()
					}
				}
			}
			if it.completionSource() {
				f.rate = completionRat(f.value, f.target, ind.HigherIsBetter)
			}
		}
		return out, it.completionSource() || ind.HigherIsBetter
	}
	counts := projectCounts(it, d)
	for i, u := range in.Units {
		out[i].value = new(big.Rat).SetInt64(counts[u.ID])
	}
	return out, it.Source != SourceProjectsLate
}

// projectCounts counts, per unit, the projects an item's source names, as they stood at
// the end of the period: signed (and not terminated since) or certified from 1 January
// to the period's end, or signed and not started on time by the warning rules on the
// period's last day.
func projectCounts(it ScoringItem, d ScoringData) map[int64]int64 {
	year, month := d.Progress.Year, d.Progress.Month
	end := PeriodEnd(year, month)
	from, to := fmt.Sprintf("%04d-01-01", year), end.Format(time.DateOnly)
	within := func(date string) bool { return date != "" && date >= from && date <= to }
	counts := map[int64]int64{}
	minYuan := int64(it.TierYi) * (Yi / decScale) // a Dec of 亿元 in whole yuan
	for _, p := range d.Projects {
		var hit bool
		switch it.Source {
		case SourceProjectsSigned:
			terminated := p.Facts.TerminatedOn != "" && p.Facts.TerminatedOn <= to
			hit = within(p.Facts.SignedOn) && !terminated && p.ContractInvestment >= minYuan
		case SourceProjects5020:
			hit = p.Cert5020 == "certified" && within(p.Cert5020On)
		case SourceProjectsLate:
			hit = p.Facts.SignedOn != "" && p.Facts.SignedOn <= to && NotStartedLate(FactsAsOf(p.Facts, to), end, d.Warnings)
		}
		if hit {
			counts[p.UnitID]++
		}
	}
	return counts
}

// FactsAsOf is a project as it stood at the end of date: stages reached later are
// undone, so a month's score does not change when a project starts afterwards.
func FactsAsOf(f ProjectFacts, date string) ProjectFacts {
	for _, d := range []*string{&f.SignedOn, &f.LandSuppliedOn, &f.StartedOn, &f.InProductionOn, &f.TerminatedOn, &f.LastNoteOn} {
		if *d > date {
			*d = ""
		}
	}
	// The stage is today's; the dates above say what had been reached by then.
	f.Stage = ""
	if f.SignedOn != "" {
		f.Stage = "signed"
	}
	return f
}

// scoreItem scores one item for every unit.
func scoreItem(it ScoringItem, d ScoringData) []ItemScore {
	figs, higher := figures(it, d)
	out := make([]ItemScore, len(figs))
	switch it.Method {
	case MethodEfficacy, MethodMinMax:
		relativeScores(it, figs, higher, out)
	default:
		for i, f := range figs {
			out[i] = absoluteScore(it, f, higher)
		}
	}
	for i := range out {
		applyItemCap(it, &out[i])
	}
	return out
}

// basis is what the relative methods compare: completion for completion sources, else
// the value.
func (it ScoringItem) basis(f sourceFigure) *big.Rat {
	if it.completionSource() {
		return f.rate
	}
	return f.value
}

// relativeScores scores units against each other: the best gets the full weight, the
// worst the floor's share. When every scored unit has the same figure, max = min and
// nobody is behind anybody: every one of them gets full points (the alternative, the
// floor for all, would punish a county for its peers doing exactly as well).
func relativeScores(it ScoringItem, figs []sourceFigure, higher bool, out []ItemScore) {
	floor := it.Floor
	if it.Method == MethodEfficacy {
		floor = EfficacyFloor
	}
	var lo, hi *big.Rat
	for _, f := range figs {
		if x := it.basis(f); x != nil {
			if lo == nil || x.Cmp(lo) < 0 {
				lo = x
			}
			if hi == nil || x.Cmp(hi) > 0 {
				hi = x
			}
		}
	}
	weight := it.Weight.Rat()
	for i, f := range figs {
		is := ItemScore{Value: f.value, Target: f.target, Rate: f.rate}
		x := it.basis(f)
		switch {
		case x == nil:
			is.Note = noFigureNote(it, f)
		case lo.Cmp(hi) == 0:
			is.Points = new(big.Rat).Set(weight)
			is.Formula = fmt.Sprintf("各单位数值相同，均得满分 %s", it.Weight)
		default:
			// share = floor + (100 − floor) × position, position ∈ [0, 1] best = 1.
			pos := new(big.Rat).Sub(x, lo)
			if !higher {
				pos.Sub(hi, x)
			}
			pos.Quo(pos, new(big.Rat).Sub(hi, lo))
			share := new(big.Rat).Mul(new(big.Rat).Sub(hundred, floor.Rat()), pos)
			share.Add(share, floor.Rat())
			is.Points = share.Mul(share, weight)
			is.Points.Quo(is.Points, hundred)
			lead, tail := "x − 最小值", "最大值 − 最小值"
			if !higher {
				lead = "最大值 − x"
			}
			is.Formula = fmt.Sprintf("(%s + %s × (%s) ÷ (%s)) × %s ÷ 100；x=%s，最小值=%s，最大值=%s",
				floor, DecFromInt(100).Sub(floor), lead, tail, it.Weight, showRat(x, it), showRat(lo, it), showRat(hi, it))
		}
		out[i] = is
	}
}

// showRat shows a figure: completion as a percentage, values with four decimals at most.
func showRat(x *big.Rat, it ScoringItem) string {
	if it.completionSource() {
		return FormatPercent(x, 2) + "%"
	}
	return ShowNumber(x)
}

// ShowNumber shows a figure in its shortest form at up to four decimals: 13, 9.5, 0.3333.
func ShowNumber(r *big.Rat) string {
	if r == nil {
		return NoValue
	}
	s := RoundHalfUp(r, DecPlaces)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func noFigureNote(it ScoringItem, f sourceFigure) string {
	switch {
	case f.note != "":
		return f.note
	case f.value == nil:
		return "本期无数据，不计分"
	case it.completionSource():
		return "无目标或目标≤0，无法计算完成率，不计分"
	}
	return "不计分"
}

// absoluteScore scores one unit on its own figure: capped ratio, deduction, penalty,
// bonus. Missing and extra counts are whole units: 2.6 of a required 5 misses 3.
func absoluteScore(it ScoringItem, f sourceFigure, higher bool) ItemScore {
	is := ItemScore{Value: f.value, Target: f.target, Rate: f.rate}
	target := f.target
	if it.Target != nil {
		target = it.Target.Rat()
		is.Target = target
	}
	if f.value == nil {
		is.Note = noFigureNote(it, f)
		return is
	}
	weight := it.Weight.Rat()
	switch it.Method {
	case MethodCappedRatio:
		rate := f.rate
		if !it.completionSource() {
			rate = completionRat(f.value, target, higher)
		}
		if rate == nil || target == nil || target.Sign() <= 0 {
			is.Note = "无目标或目标≤0，无法计算完成率，不计分"
			return is
		}
		is.Rate = rate
		used := rate
		if capRat := it.RatioCap.Rat(); rate.Cmp(capRat) > 0 {
			used, is.Capped = capRat, true
		}
		is.Points = new(big.Rat).Mul(used, weight)
		is.Formula = fmt.Sprintf("min(完成率 %s%%, 封顶 %s%%) × %s", FormatPercent(rate, 2), FormatPercent(it.RatioCap.Rat(), 0), it.Weight)
	case MethodDeduction:
		if target == nil {
			is.Note = "未设目标数，不计分"
			return is
		}
		missing := ceilRat(new(big.Rat).Sub(target, f.value))
		if missing.Sign() < 0 {
			missing.SetInt64(0)
		}
		pts := new(big.Rat).Sub(weight, new(big.Rat).Mul(it.Step.Rat(), missing))
		if minPts := it.MinPoints.Rat(); pts.Cmp(minPts) < 0 {
			pts, is.Capped = minPts, true
		}
		is.Points = pts
		is.Formula = fmt.Sprintf("%s − %s × 差%s个（要求%s，完成%s），最低%s", it.Weight, it.Step, missing.RatString(), ShowNumber(target), ShowNumber(f.value), it.MinPoints)
	case MethodPenalty:
		is.Points = new(big.Rat).Neg(new(big.Rat).Mul(it.Step.Rat(), f.value))
		is.Formula = fmt.Sprintf("−%s × %s个", it.Step, ShowNumber(f.value))
	case MethodBonus:
		if target == nil {
			is.Note = "未设目标数，不计分"
			return is
		}
		extra := floorRat(new(big.Rat).Sub(f.value, target))
		if extra.Sign() < 0 {
			extra.SetInt64(0)
		}
		is.Points = new(big.Rat).Mul(it.Step.Rat(), extra)
		is.Formula = fmt.Sprintf("+%s × 超%s个（目标%s，完成%s）", it.Step, extra.RatString(), ShowNumber(target), ShowNumber(f.value))
	}
	return is
}

// applyItemCap limits an item's points to its cap: at most cap points, or for a penalty
// at most cap points deducted.
func applyItemCap(it ScoringItem, is *ItemScore) {
	if it.Cap == nil || is.Points == nil {
		return
	}
	c := it.Cap.Rat()
	if is.Points.Sign() < 0 {
		if neg := new(big.Rat).Neg(c); is.Points.Cmp(neg) < 0 {
			is.Points, is.Capped = neg, true
			is.Formula += fmt.Sprintf("，最多扣%s分", it.Cap)
		}
		return
	}
	if is.Points.Cmp(c) > 0 {
		is.Points, is.Capped = c, true
		is.Formula += fmt.Sprintf("，单项上限%s分", it.Cap)
	}
}

func floorRat(r *big.Rat) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: rounds toward −∞ for a positive divisor
	return new(big.Rat).SetInt(q)
}

func ceilRat(r *big.Rat) *big.Rat {
	f := floorRat(r)
	if f.Cmp(r) != 0 {
		f.Add(f, big.NewRat(1, 1))
	}
	return f
}

// FormatScore shows points rounded half-up to the scheme's decimals; nil shows NoValue.
func (s *ScoringScheme) FormatScore(r *big.Rat) string {
	return RoundHalfUp(r, s.Decimals)
}
