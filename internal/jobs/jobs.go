// Package jobs runs beizeng's scheduled work in-process: reminders, warnings, clean-up.
// Every instance of `beizeng serve` runs a scheduler; a lease row per job in the database
// makes each period's run happen on one instance only.
package jobs

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"time"

	"beizeng/internal/store"
)

// Job is a named piece of work run once per period.
type Job struct {
	Name  string
	Every time.Duration
	// Run does the work as of now. It must be safe to run again after a crash: each run
	// redoes whatever is still due, and writes what it did so as not to repeat it.
	Run func(ctx context.Context, now time.Time) error
}

// Scheduler runs jobs when their period comes, taking each period's lease first.
type Scheduler struct {
	store  *store.Store
	log    *slog.Logger
	holder string
	jobs   []Job
}

// New builds a scheduler over the store's clock (tests control it) with a holder name
// that tells instances apart in the lease table.
func New(st *store.Store, log *slog.Logger, jobs ...Job) *Scheduler {
	host, _ := os.Hostname()
	return &Scheduler{store: st, log: log, jobs: jobs,
		holder: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])}
}

// RunDue runs, one after another, every job whose lease this scheduler gets now, and
// returns the names of those it ran. A failing job is logged; the others still run.
func (s *Scheduler) RunDue(ctx context.Context) []string {
	var ran []string
	for _, j := range s.jobs {
		ok, err := s.store.ClaimJob(ctx, j.Name, s.holder, j.Every)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("job lease", "job", j.Name, "err", err)
			}
			continue
		}
		if !ok {
			continue
		}
		ran = append(ran, j.Name)
		start := time.Now()
		if err := s.run(ctx, j); err != nil {
			if ctx.Err() == nil {
				s.log.Error("job failed", "job", j.Name, "err", err)
			}
			continue
		}
		s.log.Debug("job done", "job", j.Name, "took", time.Since(start))
	}
	return ran
}

// run runs one job, turning a panic into an error: a broken job must not take the
// server, which runs the scheduler in-process, down with it.
func (s *Scheduler) run(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return j.Run(ctx, s.store.Now())
}

// Run checks the jobs at once and then every tick until ctx ends. The tick only bounds
// how late a job starts; how often it runs is its period, kept by the lease.
func (s *Scheduler) Run(ctx context.Context, tick time.Duration) {
	s.RunDue(ctx)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.RunDue(ctx)
		}
	}
}
