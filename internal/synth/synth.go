// Package synth generates the province-scale synthetic dataset of DESIGN.md's quality
// bars, deterministically: the same options give the same records, field for field (only
// the creation times and the audit events' times and hashes differ from run to run).
//
// The data model has one city above counties and parks, so a province is modelled as
// one province-sized "city" (云岭省, fictional) with 100 counties and 20 parks — the
// units a provincial bulletin ranks. Generation runs as a list of steps, one per entity;
// each step has its own random stream, so adding a step leaves the records of the others
// unchanged.
package synth

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Scale is how much to generate.
type Scale struct {
	Counties, Parks int
	Indicators      int // at most len(catalogue)
	Months          int // monthly reports per unit, ending at Options.Through
	Projects        int
	Enterprises     int
	Problems        int // 诉求, with the departments, leader links and visits around them
}

// Province is DESIGN.md's province-scale dataset.
var Province = Scale{Counties: 100, Parks: 20, Indicators: 30, Months: 60, Projects: 50_000, Enterprises: 100_000,
	Problems: 200_000}

// Seed is the fixed seed of the dataset.
const Seed = 20261127

// Options say what to generate.
type Options struct {
	Scale Scale
	Seed  uint64
	// Through is the last month reported (year, month): the dataset's "now". Dates of
	// projects and notes do not pass its end.
	ThroughYear, ThroughMonth int
	// Progress receives one line per finished batch; nil for none.
	Progress io.Writer
}

// Validate checks the options.
func (o Options) Validate() error {
	s := o.Scale
	switch {
	case s.Counties < 2 || s.Counties > 1000:
		return domain.Errorf(domain.EINVALID, "县（市、区）数量应在2至1000之间。")
	case s.Parks < 0 || s.Parks > s.Counties:
		return domain.Errorf(domain.EINVALID, "园区数量应在0至县（市、区）数量之间。")
	case s.Indicators < 4 || s.Indicators > len(catalogue):
		return domain.Errorf(domain.EINVALID, "指标数量应在4至%d之间。", len(catalogue))
	case s.Months < 1 || s.Months > 240:
		return domain.Errorf(domain.EINVALID, "月份数应在1至240之间。")
	case s.Projects < 0 || s.Projects > 1_000_000:
		return domain.Errorf(domain.EINVALID, "项目数量应在0至1000000之间。")
	case s.Enterprises < 0 || s.Enterprises > 1_000_000:
		return domain.Errorf(domain.EINVALID, "企业数量应在0至1000000之间。")
	case s.Problems < 0 || s.Problems > 2_000_000:
		return domain.Errorf(domain.EINVALID, "诉求数量应在0至2000000之间。")
	case s.Problems > 0 && s.Enterprises < 100:
		return domain.Errorf(domain.EINVALID, "生成企业诉求需要至少100户企业。")
	case !domain.ValidPeriod(o.ThroughYear, o.ThroughMonth):
		return domain.Errorf(domain.EINVALID, "截至月份无效，应为 2026-10 这样的年月。")
	}
	first := time.Date(o.ThroughYear, time.Month(o.ThroughMonth)-time.Month(s.Months-1), 1, 0, 0, 0, 0, time.UTC)
	if !domain.ValidYear(first.Year()) {
		return domain.Errorf(domain.EINVALID, "起始月份早于2000年：请减少月份数或推后截至月份。")
	}
	return nil
}

// Describe names the dataset the options generate: equal descriptions, equal data.
func (o Options) Describe() string {
	s := o.Scale
	d := fmt.Sprintf("counties=%d parks=%d indicators=%d months=%d projects=%d through=%d-%02d seed=%d",
		s.Counties, s.Parks, s.Indicators, s.Months, s.Projects, o.ThroughYear, o.ThroughMonth, o.Seed)
	if s.Enterprises > 0 { // datasets generated before enterprises existed keep their name
		d += fmt.Sprintf(" enterprises=%d", s.Enterprises)
	}
	if s.Problems > 0 { // and before problems existed
		d += fmt.Sprintf(" problems=%d", s.Problems)
	}
	return d
}

// Step generates one entity. Run returns how many records it created.
type Step struct {
	Name string
	Run  func(g *Generator, ctx context.Context) (int, error)
}

// Steps run in order; later ones use the units and indicators of earlier ones. Each
// step draws from its own random stream (seeded by the dataset seed and its position),
// so a step added at the end changes nothing before it.
var Steps = []Step{
	{"单位", (*Generator).units},
	{"账号", (*Generator).accounts},
	{"指标", (*Generator).indicators},
	{"目标与责任书", (*Generator).targets},
	{"月报", (*Generator).reports},
	{"项目", (*Generator).projects},
	{"企业", (*Generator).enterprises},
	{"部门、挂点与日历", (*Generator).serviceSetup},
	{"诉求", (*Generator).problems},
}

// Generator carries what the steps share.
type Generator struct {
	st       *store.Store
	svc      *auth.Service
	actor    domain.Actor
	opt      Options
	rng      *rand.Rand
	city     int64
	dept     int64
	unitList []unitInfo // counties, then parks
	inds     []*domain.Indicator
	logins   []demo.Account

	// The service loop's parties, from the enterprises and service-setup steps.
	firms       []firm
	depts       []dept
	reporters   []*domain.User // by unitList index
	coordinator *domain.User
	leaders     []*domain.User
	linked      [][]int // per leader, indexes in firms
}

type unitInfo struct {
	id     int64
	code   string
	name   string
	park   bool
	county int   // index of the host county, for a park
	pace   int64 // ‰ of time progress the unit runs at
	share  int64 // ‰ of the city target, for a county; of its county's, for a park
}

// Result counts what was generated, per step, with the time it took.
type Result struct {
	Steps    []StepResult
	Accounts []demo.Account // the logins, with the province's unit names
}

// StepResult is one step's count and duration.
type StepResult struct {
	Name    string
	Records int
	Took    time.Duration
}

// Reason is what every audit event of the dataset says.
const Reason = "合成数据（虚构，省级规模基准）"

// Generate fills an empty database with the dataset. It refuses a database that has
// any unit: synthetic figures mixed into real ones would corrupt every total.
func Generate(ctx context.Context, st *store.Store, svc *auth.Service, actor domain.Actor, opt Options) (*Result, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	n, err := st.CountUnits(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "数据库中已有单位数据：合成数据只能生成到空数据库（请新建数据库或换一个 --dsn）。")
	}
	g := &Generator{st: st, svc: svc, actor: actor, opt: opt}
	res := &Result{}
	for i, s := range Steps {
		g.rng = rand.New(rand.NewPCG(opt.Seed, uint64(i+1)))
		start := time.Now()
		n, err := s.Run(g, ctx)
		if err != nil {
			return res, fmt.Errorf("生成%s：%w", s.Name, err)
		}
		r := StepResult{Name: s.Name, Records: n, Took: time.Since(start)}
		res.Steps = append(res.Steps, r)
		g.progress("%s：%d 条，用时 %s", r.Name, r.Records, r.Took.Round(time.Millisecond))
	}
	// Fictional like the demo city (every page says so), and described, last, so that a
	// complete dataset can be recognised and reused.
	if err := st.SetSettings(ctx, actor, map[string]string{store.SettingDemo: "1", store.SettingSynthetic: opt.Describe()}); err != nil {
		return res, err
	}
	res.Accounts = g.logins
	return res, nil
}

func (g *Generator) progress(format string, args ...any) {
	if g.opt.Progress != nil {
		fmt.Fprintf(g.opt.Progress, format+"\n", args...)
	}
}

// months lists the reported months, oldest first.
func (g *Generator) months() []time.Time {
	out := make([]time.Time, g.opt.Scale.Months)
	last := time.Date(g.opt.ThroughYear, time.Month(g.opt.ThroughMonth), 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = last.AddDate(0, i-len(out)+1, 0)
	}
	return out
}

// end is the last day of the dataset.
func (g *Generator) end() time.Time {
	return time.Date(g.opt.ThroughYear, time.Month(g.opt.ThroughMonth)+1, 0, 0, 0, 0, 0, time.UTC)
}

// batch runs fn over consecutive slices of n items of size, reporting progress.
func (g *Generator) batch(what string, n, size int, fn func(from, to int) error) error {
	for from := 0; from < n; from += size {
		to := min(from+size, n)
		if err := fn(from, to); err != nil {
			return err
		}
		g.progress("  %s %d/%d", what, to, n)
	}
	return nil
}
