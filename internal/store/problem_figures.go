package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// problemFigures reads the figures the statistics count of the problems p a FROM … WHERE
// clause selects. They are counted first, so that the slice is not copied over and over
// as it grows (copying a province's year was a fifth of reading it).
//
// The pure-Go SQLite driver's cost is per column read — eleven of them for a province's
// year were a third of the bulletin's time — so on SQLite each problem comes as one text
// column (problemFiguresSQL). On PostgreSQL the columns come as they are: turning
// timestamps into text there costs the server more than the columns cost the driver.
func (tx *Tx) problemFigures(ctx context.Context, from string, args []any) ([]domain.ProblemFigures, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&n); err != nil {
		return nil, err
	}
	out := make([]domain.ProblemFigures, 0, n)
	if tx.dialect == Postgres {
		err := tx.queryEach(ctx, `SELECT COALESCE(p.lead_unit_id, 0), p.unit_id, COALESCE(p.leader_id, 0), p.escalations,
			p.status, COALESCE(p.rating, ''), p.assigned_at, p.due_at, p.first_reply_at, p.first_reply_due_at, p.category`+from, args,
			func(rows *sql.Rows) error {
				var p domain.ProblemFigures
				var assigned, due, reply, replyDue sql.NullTime
				if err := rows.Scan(&p.LeadUnitID, &p.UnitID, &p.LeaderID, &p.Escalations, &p.Status, &p.Rating,
					&assigned, &due, &reply, &replyDue, &p.Category); err != nil {
					return err
				}
				p.AssignedAt, p.DueAt, p.FirstReplyAt, p.FirstReplyDueAt = timeOf(assigned), timeOf(due), timeOf(reply), timeOf(replyDue)
				out = append(out, p)
				return nil
			})
		return out, err
	}
	err := tx.queryEach(ctx, `SELECT `+problemFiguresSQL+from, args, func(rows *sql.Rows) error {
		var packed string
		if err := rows.Scan(&packed); err != nil {
			return err
		}
		var p domain.ProblemFigures
		if err := scanProblemFigures(packed, &p); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// problemFiguresSQL is a SQLite problem's figures as one text column,
// "lead|unit|leader|escalations|status|rating|assigned|due|first reply|first reply due|category"
// (times as the SQLite driver stores them, read by parseStoredTime, "" for none; the
// category, a code the rules name, last so that nothing in it can shift a field).
var problemFiguresSQL = func() string {
	fields := []string{"COALESCE(p.lead_unit_id, 0)", "p.unit_id", "COALESCE(p.leader_id, 0)", "p.escalations", "p.status",
		"COALESCE(p.rating, '')"}
	for _, column := range []string{"p.assigned_at", "p.due_at", "p.first_reply_at", "p.first_reply_due_at"} {
		fields = append(fields, "COALESCE(CAST("+column+" AS TEXT), '')")
	}
	return strings.Join(append(fields, "p.category"), " || '|' || ")
}()

// scanProblemFigures reads a problemFiguresSQL column into p.
func scanProblemFigures(packed string, p *domain.ProblemFigures) error {
	var fields [10]string
	rest := packed
	for i := range fields {
		var ok bool
		if fields[i], rest, ok = strings.Cut(rest, "|"); !ok {
			return fmt.Errorf("problem figures %q: %d fields, want 11", packed, i+1)
		}
	}
	p.Category = rest
	for i, id := range []*int64{&p.LeadUnitID, &p.UnitID, &p.LeaderID} {
		n := domain.Digits(fields[i])
		if n < 0 || fields[i] == "" {
			return fmt.Errorf("problem figures %q: field %d is not a number", packed, i+1)
		}
		*id = int64(n)
	}
	if p.Escalations = domain.Digits(fields[3]); p.Escalations < 0 || fields[3] == "" {
		return fmt.Errorf("problem figures %q: field 4 is not a number", packed)
	}
	p.Status, p.Rating = fields[4], fields[5]
	for i, t := range []*time.Time{&p.AssignedAt, &p.DueAt, &p.FirstReplyAt, &p.FirstReplyDueAt} {
		*t = time.Time{}
		if text := fields[6+i]; text != "" {
			var err error
			if *t, err = parseStoredTime(text); err != nil {
				return err
			}
		}
	}
	return nil
}
