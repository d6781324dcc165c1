package synth_test

import (
	"context"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/synth"
)

// BenchmarkBulletinSources times each source of the bulletin alone over the province-scale
// dataset on SQLite (the file BenchmarkBulletinCore keeps): the bulletin reads them at once,
// so its time is that of the slowest few sharing the cores.
//
//	go test -run '^$' -bench BulletinSources -benchtime 10x ./internal/synth/
func BenchmarkBulletinSources(b *testing.B) {
	opt := synth.Options{Scale: synth.Province, Seed: synth.Seed, ThroughYear: 2026, ThroughMonth: 10}
	st := provinceSQLite(b, opt)
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
