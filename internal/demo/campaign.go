package demo

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// indicatorSpec is a line of the demo catalogue. share is each county's or park's part of
// the city target in thousandths; pace is how far ahead (>1000) or behind each unit runs.
type indicatorSpec struct {
	code, name, measure string
	decimals            int
	accumulation        domain.Accumulation
	headline            bool
	cityTarget          string // base; stretch is 120% of it
	rule                string // a derived indicator's rule; "" for a reported one
}

// Rules of the derived demo indicators: counted from the project records, never typed.
const (
	ruleSigned100m = `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`
	ruleStarted    = `{"entity":"project","date_field":"started_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`
	rule5020       = `{"entity":"project","date_field":"cert_5020_on","aggregate":"count","filters":[{"field":"cert_5020","op":"eq","value":["certified"]}]}`
	// 新增规上: gross entries by the month they count from (enterprise registry).
	ruleNewAboveScale = `{"entity":"above_scale_entry","date_field":"entry_on","aggregate":"count"}`
)

// catalogue is the "1234" goals of the campaign speech plus the figures dispatch
// meetings ask for next: growth, industrial investment, funds in place.
var catalogue = []indicatorSpec{
	{"new_above_scale", "新增规上工业企业", "户", 0, domain.Cumulative, true, "100", ruleNewAboveScale},
	{"projects_100m", "亿元以上项目", "个", 0, domain.Cumulative, true, "200", ruleSigned100m},
	{"projects_5020", "5020项目", "个", 0, domain.Cumulative, true, "30", rule5020},
	{"industrial_revenue", "工业营业收入", "亿元", 1, domain.Cumulative, true, "400", ""},
	{"value_added_growth", "规上工业增加值增速", "%", 1, domain.PointInTime, false, "9", ""},
	{"industrial_fai", "工业固定资产投资", "亿元", 1, domain.Cumulative, false, "260", ""},
	{"funds_in_place", "到位资金", "亿元", 1, domain.Cumulative, false, "180", ""},
	{"started_100m", "亿元以上项目开工", "个", 0, domain.Cumulative, false, "150", ruleStarted},
}

// shares split a city target over the four counties (thousandths); parks get a further
// part of their host county's, shown as their own target.
var shares = map[string]int64{"369901": 330, "369902": 270, "369921": 220, "369981": 180,
	"P369901": 120, "P369902": 90, "P369921": 60}

// pace is each unit's speed against time progress, in thousandths: some lead, some lag,
// two share a pace so that ties show.
var pace = map[string]int64{"369901": 1080, "369902": 960, "369921": 890, "369981": 960,
	"P369901": 1150, "P369902": 780, "P369921": 1010}

// loadCampaign creates the catalogue, the campaign year's targets with issued letters for
// the counties, and monthly reports from January of the year before to last month.
func loadCampaign(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, now time.Time) error {
	var inds []*domain.Indicator
	for i, c := range catalogue {
		ind := &domain.Indicator{Code: c.code, Name: c.name, Measure: c.measure, Decimals: c.decimals, HigherIsBetter: true,
			Kind: domain.KindReported, Accumulation: c.accumulation, Headline: c.headline, SortOrder: (i + 1) * 10, Active: true}
		if c.rule != "" {
			ind.Kind, ind.Rule = domain.KindDerived, c.rule
		}
		if err := st.CreateIndicator(ctx, actor, ind); err != nil {
			return fmt.Errorf("demo indicator %s: %w", c.code, err)
		}
		inds = append(inds, ind)
	}
	// The start rate divides two derived counts: nothing about it is typed either.
	rate := &domain.Indicator{Code: "start_rate_100m", Name: "亿元以上项目开工率", Measure: "%", Decimals: 1, HigherIsBetter: true,
		Kind: domain.KindRatio, Accumulation: domain.Cumulative, NumeratorID: inds[len(inds)-1].ID, DenominatorID: inds[1].ID,
		SortOrder: (len(inds) + 1) * 10, Active: true}
	if err := st.CreateIndicator(ctx, actor, rate); err != nil {
		return fmt.Errorf("demo indicator %s: %w", rate.Code, err)
	}
	// The campaign year is that of the newest report, last month's: in January the demo
	// shows last year complete rather than a year with nothing reported yet.
	lastMonth := now.In(domain.ChinaTime).AddDate(0, -1, 0)
	year := lastMonth.Year()
	var changes []store.TargetChange
	for i, c := range catalogue {
		city := mustDec(c.cityTarget)
		changes = append(changes, target(ids[CityCode], inds[i].ID, city))
		for _, code := range slices.Sorted(maps.Keys(shares)) {
			share := shares[code]
			base := city
			if c.measure != "%" {
				base = scale(city, share, 1000, c.decimals)
			}
			changes = append(changes, target(ids[code], inds[i].ID, base))
		}
	}
	if _, err := st.SaveTargets(ctx, actor, year, changes, ""); err != nil {
		return fmt.Errorf("demo targets: %w", err)
	}
	for _, code := range []string{"369901", "369902", "369921", "369981"} {
		if _, err := st.IssueLetter(ctx, actor, year, ids[code], "年初下达"); err != nil {
			return fmt.Errorf("demo letter %s: %w", code, err)
		}
	}

	if _, err := loadProjects(ctx, st, actor, ids, year, int(lastMonth.Month()), now.In(domain.ChinaTime)); err != nil {
		return err
	}
	if err := loadShowcase(ctx, st, actor, ids, now.In(domain.ChinaTime)); err != nil {
		return err
	}
	if err := loadProjectSettings(ctx, st, actor, ids); err != nil {
		return err
	}
	if _, err := loadEnterprises(ctx, st, actor, ids, year, int(lastMonth.Month()), now.In(domain.ChinaTime)); err != nil {
		return err
	}
	for y := year - 1; y <= year; y++ {
		last := 12
		if y == year {
			last = int(lastMonth.Month())
		}
		for m := 1; m <= last; m++ {
			newest := y == year && m == last
			for _, code := range slices.Sorted(maps.Keys(shares)) {
				if err := demoReport(ctx, st, actor, ids[code], code, y, year, m, newest, inds); err != nil {
					return err
				}
			}
		}
	}
	return loadScoring(ctx, st, actor, year)
}

// loadScoring sets the campaign year's scoring scheme, built on the patterns of published
// schemes (DOMAIN.md §6); the scores themselves are computed from the reports and projects.
func loadScoring(ctx context.Context, st *store.Store, actor domain.Actor, year int) error {
	d := mustDec
	dp := func(s string) *domain.Dec { v := mustDec(s); return &v }
	s := &domain.ScoringScheme{Year: year, Name: fmt.Sprintf("%d年度工业倍增暨招商引资考核（示例）", year), TotalCap: d("105"), Items: []domain.ScoringItem{
		{Name: "新增规上工业企业", Source: domain.SourceCompletionBase, Indicator: "new_above_scale", Method: domain.MethodCappedRatio,
			Weight: d("25"), RatioCap: d("1.2")},
		{Name: "亿元以上项目", Source: domain.SourceCompletionBase, Indicator: "projects_100m", Method: domain.MethodEfficacy, Weight: d("25")},
		{Name: "规上工业增加值增速", Source: domain.SourceIndicatorValue, Indicator: "value_added_growth", Method: domain.MethodMinMax,
			Weight: d("20"), Floor: d("20")},
		{Name: "5020项目", Source: domain.SourceIndicatorValue, Indicator: "projects_5020", Method: domain.MethodDeduction,
			Weight: d("15"), Step: d("1"), MinPoints: d("0")},
		{Name: "10亿元以上项目加分", Source: domain.SourceProjectsSigned, TierYi: d("10"), Method: domain.MethodBonus,
			Target: dp("3"), Step: d("2"), Cap: dp("6")},
		{Name: "签约逾期未开工扣分", Source: domain.SourceProjectsLate, Method: domain.MethodPenalty, Step: d("0.2"), Cap: dp("5")},
	}}
	if err := st.SaveScoringScheme(ctx, actor, s); err != nil {
		return fmt.Errorf("demo scoring scheme: %w", err)
	}
	return nil
}

// demoReport files one unit's month. In the newest month the reports are at every stage
// the review page knows: approved, submitted, a draft, and one unit not started at all.
func demoReport(ctx context.Context, st *store.Store, actor domain.Actor, unitID int64, code string, y, thisYear, m int, newest bool, inds []*domain.Indicator) error {
	if newest && code == "P369921" {
		return nil
	}
	values := map[int64]domain.Dec{}
	for i, c := range catalogue {
		if c.rule == "" {
			values[inds[i].ID] = figure(c, code, y, thisYear, m)
		}
	}
	r, err := st.SaveReportDraft(ctx, actor, unitID, y, m, 0, values)
	if err != nil {
		return fmt.Errorf("demo report %s %d-%02d: %w", code, y, m, err)
	}
	if newest && code == "P369902" {
		return nil
	}
	if r, err = st.TransitionReport(ctx, actor, r.ID, r.Version, store.TransitionSubmit, ""); err != nil {
		return err
	}
	if newest && code == "P369901" {
		return nil
	}
	_, err = st.TransitionReport(ctx, actor, r.ID, r.Version, store.TransitionApprove, "")
	return err
}

// figure is a unit's year-to-date value: its share of the city target, times time
// progress, times its pace; last year ran at 85% of this year's level.
func figure(c indicatorSpec, code string, y, thisYear, m int) domain.Dec {
	city := mustDec(c.cityTarget)
	if c.measure == "%" {
		// Growth rates are point-in-time: around the target, nudged by pace and month.
		v := new(big.Rat).Mul(city.Rat(), big.NewRat(pace[code]+int64(m*7%23)-11, 1000))
		d, _ := domain.DecFromRat(roundTo(v, c.decimals))
		return d
	}
	v := new(big.Rat).Mul(city.Rat(), big.NewRat(shares[code]*pace[code]*int64(m), 1000*1000*12))
	if y < thisYear {
		v.Mul(v, big.NewRat(85, 100))
	}
	d, _ := domain.DecFromRat(roundTo(v, c.decimals))
	return d
}

func target(unitID, indicatorID int64, base domain.Dec) store.TargetChange {
	stretch := scale(base, 120, 100, 1)
	return store.TargetChange{UnitID: unitID, IndicatorID: indicatorID, Base: &base, Stretch: &stretch}
}

// scale is d × num ÷ den rounded half-up to decimals.
func scale(d domain.Dec, num, den int64, decimals int) domain.Dec {
	v, _ := domain.DecFromRat(roundTo(new(big.Rat).Mul(d.Rat(), big.NewRat(num, den)), decimals))
	return v
}

func roundTo(r *big.Rat, decimals int) *big.Rat {
	out, _ := new(big.Rat).SetString(domain.RoundHalfUp(r, decimals))
	return out
}

func mustDec(s string) domain.Dec {
	d, err := domain.ParseDec(s)
	if err != nil {
		panic(err)
	}
	return d
}
