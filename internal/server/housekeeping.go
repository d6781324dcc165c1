package server

import (
	"context"
	"time"

	"beizeng/internal/jobs"
)

// jobTick bounds how late a due job starts; each job's own period says how often it runs.
const jobTick = time.Minute

// RunJobs runs the scheduled jobs until ctx ends: expired sessions are removed and
// leaders are reminded of service days, overdue problems are escalated and answers due
// soon are reminded of. Every instance runs it; the database lease makes
// each job's period run on one of them.
func (s *Server) RunJobs(ctx context.Context) {
	jobs.New(s.store, s.log,
		jobs.ExpiredSessions(s.store, s.log, s.cfg.SessionIdle),
		jobs.ServiceDayReminders(s.store),
		jobs.ProblemDeadlines(s.store, s.log),
	).Run(ctx, jobTick)
}
