package server

import (
	"context"
	"time"
)

// Housekeep removes expired sessions every interval until ctx ends. Deleting what has
// expired is idempotent, so several instances may run it at once without a lease.
func (s *Server) Housekeep(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.store.DeleteExpiredSessions(ctx, s.cfg.SessionIdle)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("delete expired sessions", "err", err)
			} else if n > 0 {
				s.log.Info("deleted expired sessions", "count", n)
			}
		}
	}
}
