package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimJob takes the job's lease for one period when the last period has run out, and
// reports whether this holder got it. The claim is one conditional UPDATE: however many
// instances ask at once, the database lets exactly one move expires_at forward, and the
// others find it in the future. The lease is not given back after the run — it is the
// record that the period's run happened — so a job runs at most once per period across
// all instances. A holder that dies mid-run loses that period's run, which the jobs allow:
// each run redoes whatever is still due.
//
// Leases are machinery, not campaign data: they are not audited and do not queue on the
// audit head.
func (s *Store) ClaimJob(ctx context.Context, name, holder string, period time.Duration) (bool, error) {
	claimed := false
	err := s.inTx(ctx, s.write, false, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, '', ?)
			ON CONFLICT (name) DO NOTHING`, name, time.Unix(0, 0).UTC()); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE job_leases SET holder = ?, expires_at = ?, last_run_at = ?
			WHERE name = ? AND expires_at <= ?`, holder, tx.now.Add(period), tx.now, name, tx.now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim job %s: %w", name, err)
	}
	return claimed, nil
}
