package synth_test

import (
	"context"
	"os"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/synth"
)

// BenchmarkBulletinSources times each source of the bulletin alone over the province-scale
// dataset — on SQLite (the file BenchmarkBulletinCore keeps) and, with
// BEIZENG_BENCH_POSTGRES naming a database that holds it, on PostgreSQL: the bulletin reads
// them at once, so its time is that of the slowest few sharing the cores.
//
//	go test -run '^$' -bench BulletinSources -benchtime 10x ./internal/synth/
func BenchmarkBulletinSources(b *testing.B) {
	opt := synth.Options{Scale: synth.Province, Seed: synth.Seed, ThroughYear: 2026, ThroughMonth: 10}
	b.Run("sqlite", func(b *testing.B) { benchSources(b, provinceSQLite(b, opt), opt) })
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("BEIZENG_BENCH_POSTGRES")
		if dsn == "" {
			b.Skip("BEIZENG_BENCH_POSTGRES not set")
		}
		st, _ := open(b, dsn)
		if mark, err := st.Setting(context.Background(), store.SettingSynthetic); err != nil || mark != opt.Describe() {
			b.Fatalf("BEIZENG_BENCH_POSTGRES does not hold the dataset %q: %q %v", opt.Describe(), mark, err)
		}
		benchSources(b, st, opt)
	})
}

func benchSources(b *testing.B, st *store.Store, opt synth.Options) {
	ctx := context.Background()
	year, month := opt.ThroughYear, opt.ThroughMonth
	rules, err := st.WarningRules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	today := st.Now().In(domain.ChinaTime)
	sources := []struct {
		name string
		read func() error
	}{
		{"progress", func() error { _, err := st.ProgressInput(ctx, year, month); return err }},
		{"movements", func() error { _, err := st.ProjectMovements(ctx, year, month, domain.DefaultTiers); return err }},
		{"warnings", func() error { _, err := st.WarningSummary(ctx, today, rules, 20); return err }},
		{"reports", func() error { _, err := st.FindReportOverview(ctx, year, month, domain.ChinaTime); return err }},
		{"overdue", func() error { _, err := st.OverdueActionItems(ctx, today); return err }},
		{"problems", func() error {
			_, err := st.ProblemStatistics(ctx, domain.ProblemFilter{From: "2026-01-01", To: "2026-10-31"}, domain.ProblemByDepartment)
			return err
		}},
	}
	for _, s := range sources {
		b.Run(s.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := s.read(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
