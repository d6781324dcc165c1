package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
	"beizeng/internal/synth"
)

// The bulletin's core is one period's progress tables: every unit's actual, target,
// completion, gap, colour and rank on every indicator. The benchmark times it two ways
// over the province-scale dataset — through the store and the domain formulas, as the
// pages compute it, and as one hand-written aggregate SQL query — after checking both
// give the same figures. A further way (the dispatch bulletin itself, when it exists) is
// one more entry in ways.

// cell names one unit's figure on one indicator.
type cell struct{ unit, indicator int64 }

// shownFigures are a cell's figures as a bulletin prints them.
type shownFigures struct {
	Actual, Base, Completion, Gap string
	Colour                        domain.Colour
	Rank                          int
}

// way computes a period's figures of the reported indicators.
type way struct {
	name string
	run  func(ctx context.Context, st *store.Store, year, month int) (map[cell]shownFigures, error)
}

var ways = []way{
	{"store+domain", progressThroughStore},
	{"raw SQL", progressByRawSQL},
}

// progressThroughStore is the pages' path: ProgressInput, then BuildProgress. It computes
// the derived indicators and year on year too; only the reported indicators' cells are
// compared, since the raw query has no rule engine.
func progressThroughStore(ctx context.Context, st *store.Store, year, month int) (map[cell]shownFigures, error) {
	in, err := st.ProgressInput(ctx, year, month)
	if err != nil {
		return nil, err
	}
	out := map[cell]shownFigures{}
	for _, t := range domain.BuildProgress(in) {
		if t.Indicator.Kind != domain.KindReported {
			continue
		}
		rows := append([]domain.ProgressRow{t.City}, t.Rows...)
		for _, r := range rows {
			if r.Actual == nil {
				continue
			}
			out[cell{r.Unit.ID, t.Indicator.ID}] = shownFigures{Actual: domain.RoundHalfUp(r.Actual, t.Indicator.Decimals),
				Base: domain.RoundHalfUp(r.Base, t.Indicator.Decimals), Completion: domain.FormatPercent(r.CompletionBase, 1),
				Gap: domain.FormatPoints(r.Gap, 1), Colour: r.Colour, Rank: r.Rank}
		}
	}
	return out, nil
}

// rawProgressSQL computes every cell in one statement, in integers: values and targets
// (decimal text) are scaled to units of 10⁻⁴; completion is rounded half-up to ‰ and the
// gap to tenths of a point, time progress being month ÷ 12 (12 ÷ 12 for point-in-time
// indicators, judged against their whole target). The city's row is the sum of
// its counties (the dataset's city files no report of its own); % measures are not summed.
// Units are ranked by completion among those with a target, or, where no unit of an
// indicator has one, by value (as domain.BuildProgress ranks).
const rawProgressSQL = `
WITH units_in AS (
	SELECT id, kind FROM units WHERE active = ? AND assessed = ? AND kind IN ('county', 'park')),
city AS (
	SELECT id FROM units WHERE kind = 'city' AND active = ? ORDER BY sort_order, code LIMIT 1),
vals AS (
	SELECT r.unit_id, v.indicator_id, CAST(ROUND(CAST(v.value AS DOUBLE PRECISION) * 10000) AS BIGINT) AS actual
	FROM reports r JOIN report_values v ON v.report_id = r.id JOIN units_in u ON u.id = r.unit_id
	WHERE r.year = ? AND r.month = ? AND r.status = 'approved'),
cells AS (
	SELECT unit_id, indicator_id, actual, 0 AS is_city FROM vals
	UNION ALL
	SELECT (SELECT id FROM city), v.indicator_id, CAST(SUM(v.actual) AS BIGINT), 1
	FROM vals v JOIN units_in u ON u.id = v.unit_id JOIN indicators i ON i.id = v.indicator_id
	WHERE u.kind = 'county' AND i.measure <> '%'
	GROUP BY v.indicator_id),
targeted AS (
	SELECT c.unit_id, c.indicator_id, c.actual, c.is_city, i.decimals,
		CAST(ROUND(CAST(t.base AS DOUBLE PRECISION) * 10000) AS BIGINT) AS base,
		CASE WHEN i.accumulation = 'point' THEN 12 ELSE ? END AS tpm
	FROM cells c JOIN indicators i ON i.id = c.indicator_id AND i.kind = 'reported' AND i.active = ?
	LEFT JOIN targets t ON t.year = ? AND t.unit_id = c.unit_id AND t.indicator_id = c.indicator_id),
gaps AS (
	SELECT *, 12000 * actual - 1000 * tpm * base AS gap_n, 12 * base AS gap_d,
		MAX(CASE WHEN base > 0 AND is_city = 0 THEN 1 ELSE 0 END) OVER (PARTITION BY indicator_id) AS by_rate
	FROM targeted)
SELECT unit_id, indicator_id, decimals, actual, base,
	CASE WHEN base > 0 THEN (2000 * actual + base) / (2 * base) END,
	CASE WHEN base > 0 AND gap_n >= 0 THEN (2 * gap_n + gap_d) / (2 * gap_d)
		WHEN base > 0 THEN -((-2 * gap_n + gap_d) / (2 * gap_d)) END,
	CASE WHEN base IS NULL OR base <= 0 THEN 'none'
		WHEN 12 * actual >= tpm * base THEN 'green'
		WHEN 100 * (tpm * base - 12 * actual) < ? * 12 * base THEN 'yellow'
		ELSE 'red' END,
	CASE WHEN is_city = 1 THEN 0
		WHEN by_rate = 1 AND base > 0 THEN RANK() OVER (PARTITION BY indicator_id, is_city, by_rate, CASE WHEN base > 0 THEN 1 ELSE 0 END
			ORDER BY CAST(actual AS DOUBLE PRECISION) / NULLIF(base, 0) DESC)
		WHEN by_rate = 0 THEN RANK() OVER (PARTITION BY indicator_id, is_city ORDER BY actual DESC)
		ELSE 0 END
FROM gaps`

func progressByRawSQL(ctx context.Context, st *store.Store, year, month int) (map[cell]shownFigures, error) {
	ps, err := st.FindProgressSettings(ctx)
	if err != nil {
		return nil, err
	}
	if ps.DaysBased {
		return nil, fmt.Errorf("the raw query computes month-based time progress only")
	}
	q := rawProgressSQL
	if st.Dialect() == store.Postgres {
		q = rebind(q)
	}
	rows, err := st.DB().QueryContext(ctx, q, true, true, true, year, month, month, true, year, ps.YellowPoints)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[cell]shownFigures{}
	for rows.Next() {
		var c cell
		var decimals int
		var actual int64
		var base, completion, gap *int64
		var f shownFigures
		if err := rows.Scan(&c.unit, &c.indicator, &decimals, &actual, &base, &completion, &gap, &f.Colour, &f.Rank); err != nil {
			return nil, err
		}
		f.Actual = domain.RoundHalfUp(domain.Dec(actual).Rat(), decimals)
		f.Base, f.Completion, f.Gap = domain.NoValue, domain.NoValue, domain.NoValue
		if base != nil {
			f.Base = domain.RoundHalfUp(domain.Dec(*base).Rat(), decimals)
		}
		if completion != nil {
			f.Completion = tenths(*completion, false)
			f.Gap = tenths(*gap, true)
		}
		out[c] = f
	}
	return out, rows.Err()
}

// tenths shows an integer count of tenths: 972 → "97.2"; signed adds "+" above zero.
func tenths(n int64, signed bool) string {
	s := new(big.Rat).SetFrac64(n, 10).FloatString(1)
	if signed && n > 0 {
		s = "+" + s
	}
	return s
}

// rebind numbers the placeholders for PostgreSQL ($1, $2, …).
func rebind(q string) string {
	out, n := make([]byte, 0, len(q)+16), 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$')
			out = strconv.AppendInt(out, int64(n), 10)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// compareWays fails unless every way gives the same figures for the period.
func compareWays(tb testing.TB, st *store.Store, year, month int) int {
	tb.Helper()
	ctx := context.Background()
	want, err := ways[0].run(ctx, st, year, month)
	if err != nil {
		tb.Fatal(err)
	}
	for _, w := range ways[1:] {
		got, err := w.run(ctx, st, year, month)
		if err != nil {
			tb.Fatalf("%s: %v", w.name, err)
		}
		if len(got) != len(want) {
			tb.Errorf("%s: %d cells, %s: %d", w.name, len(got), ways[0].name, len(want))
		}
		for k, f := range want {
			if got[k] != f {
				tb.Errorf("unit %d, indicator %d: %s %+v, %s %+v", k.unit, k.indicator, ways[0].name, f, w.name, got[k])
			}
		}
	}
	return len(want)
}

// TestRawSQLMatchesStore: on a small generated dataset, on both databases, the raw
// query reproduces every figure of the store+domain path, month by month.
func TestRawSQLMatchesStore(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, svc := open(t, dsn)
		if _, err := synth.Generate(ctx, st, svc, domain.Actor{Via: "test"}, small); err != nil {
			t.Fatal(err)
		}
		for _, month := range []int{1, 6, 9} {
			if n := compareWays(t, st, 2026, month); n < 6*6 {
				t.Errorf("month %d: only %d cells compared", month, n)
			}
		}
		// The dataset's first month, and a period before it: no figures at all.
		compareWays(t, st, 2025, 8)
		if n := compareWays(t, st, 2024, 12); n != 0 {
			t.Errorf("%d cells before the dataset", n)
		}
	})
}

// BenchmarkBulletinCore times each way over the province-scale dataset. The SQLite file
// is generated once and kept in the temporary directory (BEIZENG_BENCH_DIR to choose
// another) for later runs; PostgreSQL gets a fresh schema, generated each run, unless
// BEIZENG_BENCH_POSTGRES names a database that already holds the dataset.
//
//	go test -run '^$' -bench BulletinCore -benchtime 20x ./internal/synth/
func BenchmarkBulletinCore(b *testing.B) {
	opt := synth.Options{Scale: synth.Province, Seed: synth.Seed, ThroughYear: 2026, ThroughMonth: 10}
	year, month := opt.ThroughYear, opt.ThroughMonth
	run := func(b *testing.B, st *store.Store) {
		n := compareWays(b, st, year, month)
		b.Logf("%d cells identical in every way", n)
		for _, w := range ways {
			b.Run(w.name, func(b *testing.B) {
				ctx := context.Background()
				cpu := cpuTime()
				for b.Loop() {
					if _, err := w.run(ctx, st, year, month); err != nil {
						b.Fatal(err)
					}
				}
				// On a shared machine wall time includes waiting for a core; the process's
				// CPU time per run (the database's too, for SQLite in process) does not.
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			})
		}
	}
	b.Run("sqlite", func(b *testing.B) { run(b, provinceSQLite(b, opt)) })
	b.Run("postgres", func(b *testing.B) {
		// A database already holding the dataset (beizeng demo --scale province
		// --through 2026-10) saves generating it again.
		if dsn := os.Getenv("BEIZENG_BENCH_POSTGRES"); dsn != "" {
			st, _ := open(b, dsn)
			if mark, err := st.Setting(context.Background(), store.SettingSynthetic); err != nil || mark != opt.Describe() {
				b.Fatalf("BEIZENG_BENCH_POSTGRES does not hold the dataset %q: %q %v", opt.Describe(), mark, err)
			}
			run(b, st)
			return
		}
		dsn := storetest.PostgresDSN(b)
		if dsn == "" {
			b.Skip(storetest.PostgresEnv + " not set")
		}
		st, svc := open(b, dsn)
		generate(b, st, svc, opt)
		run(b, st)
	})
}

// provinceSQLite opens the province-scale dataset's SQLite file in the temporary
// directory (BEIZENG_BENCH_DIR to choose another), generating it first unless it holds
// exactly this dataset.
func provinceSQLite(b *testing.B, opt synth.Options) *store.Store {
	dir := os.Getenv("BEIZENG_BENCH_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("beizeng-province-%d-%d-%02d.db", opt.Seed, opt.ThroughYear, opt.ThroughMonth))
	st, svc := open(b, "sqlite:"+path)
	if mark, err := st.Setting(context.Background(), store.SettingSynthetic); err != nil || mark != opt.Describe() {
		st.Close() // an older dataset or an interrupted generation: start again
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		st, svc = open(b, "sqlite:"+path)
		generate(b, st, svc, opt)
	}
	return st
}

// BenchmarkProvinceProblems times the problem pages' reads over the province's 200,000
// problems on SQLite (the dataset's file as BenchmarkBulletinCore keeps it), at the
// dataset's end: /problems/stats over all of them and over the newest year (the
// bulletin's figures), and the list's first counted page.
//
//	go test -run '^$' -bench ProvinceProblems -benchtime 3x ./internal/synth/
func BenchmarkProvinceProblems(b *testing.B) {
	opt := synth.Options{Scale: synth.Province, Seed: synth.Seed, ThroughYear: 2026, ThroughMonth: 10}
	st := provinceSQLite(b, opt)
	end := time.Date(opt.ThroughYear, time.Month(opt.ThroughMonth)+1, 1, 0, 0, 0, 0, domain.ChinaTime).Add(-time.Second)
	st.Now = func() time.Time { return end }
	ctx := context.Background()
	for _, c := range []struct {
		name string
		run  func() (int, error)
	}{
		{"stats by department, all", func() (int, error) {
			r, err := st.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment)
			if err != nil {
				return 0, err
			}
			return r.Total.Count, nil
		}},
		{"stats by department, year", func() (int, error) {
			r, err := st.ProblemStatistics(ctx, domain.ProblemFilter{From: "2026-01-01", To: "2026-10-31"}, domain.ProblemByDepartment)
			if err != nil {
				return 0, err
			}
			return r.Total.Count, nil
		}},
		{"list, first page", func() (int, error) {
			_, n, err := st.FindProblems(ctx, domain.ProblemFilter{Limit: 50})
			return n, err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n, cpu := 0, cpuTime()
			for b.Loop() {
				var err error
				if n, err = c.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(n), "problems")
		})
	}
}

func generate(b *testing.B, st *store.Store, svc *auth.Service, opt synth.Options) {
	b.Helper()
	start := time.Now()
	steps := &stepCPU{last: cpuTime()}
	opt.Progress = steps
	res, err := synth.Generate(context.Background(), st, svc, domain.Actor{Via: "bench"}, opt)
	if err != nil {
		b.Fatal(err)
	}
	for i, s := range res.Steps {
		b.Logf("  %s: %d records in %s (CPU %s)", s.Name, s.Records, s.Took.Round(time.Millisecond), steps.cpu[i].Round(time.Millisecond))
	}
	size, _ := st.DatabaseSize(context.Background())
	b.Logf("generated the province-scale dataset in %s (%.0f MiB)", time.Since(start).Round(time.Second), float64(size)/(1<<20))
}

// stepCPU takes the CPU time of each generation step from its progress lines (a
// step's own line is not indented, its batches' are): on a shared machine a step's wall
// time includes waiting for a core.
type stepCPU struct {
	last time.Duration
	cpu  []time.Duration
}

func (w *stepCPU) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("  ")) {
		now := cpuTime()
		w.cpu, w.last = append(w.cpu, now-w.last), now
	}
	return len(p), nil
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
