package store

import (
	"fmt"
	"strings"

	"beizeng/internal/domain"
)

// problemFiguresSQL selects what the problem statistics count as one text column,
// "lead|unit|leader|escalations|status|rating|assigned|due|first reply|first reply due|category"
// (times in UTC as parseUTC reads them, "" for none; the category, a code the rules
// name, last so that nothing in it can shift a field). The pure-Go SQLite driver's cost is
// per column read: eleven of them for a province's year of problems were a third of the
// bulletin's time.
func (tx *Tx) problemFiguresSQL() string {
	number := func(column string) string { return "CAST(COALESCE(" + column + ", 0) AS TEXT)" }
	time := func(column string) string {
		if tx.dialect == Postgres {
			return `COALESCE(to_char(` + column + ` AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00', '')`
		}
		return "COALESCE(CAST(" + column + " AS TEXT), '')"
	}
	return strings.Join([]string{number("p.lead_unit_id"), number("p.unit_id"), number("p.leader_id"), number("p.escalations"),
		"p.status", "COALESCE(p.rating, '')", time("p.assigned_at"), time("p.due_at"), time("p.first_reply_at"),
		time("p.first_reply_due_at"), "p.category"}, " || '|' || ")
}

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
	for i, t := range []scanTime{{&p.AssignedAt}, {&p.DueAt}, {&p.FirstReplyAt}, {&p.FirstReplyDueAt}} {
		var err error
		if text := fields[6+i]; text == "" {
			err = t.Scan(nil)
		} else {
			err = t.parse(text)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
