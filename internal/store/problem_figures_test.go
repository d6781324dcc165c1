package store

import (
	"context"
	"testing"
	"time"

	"beizeng/internal/domain"
)

// The statistics read each problem as one packed text column; every field they count
// must come out as the record's own reading gives it, on both databases: times with and
// without fractions of a second or missing, no leader or lead department, a category
// with the separator in it.
func TestProblemFiguresReadAsTheRecord(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)
		p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: c.enterprise.ID, Category: "finance",
			Urgency: domain.UrgencyGeneral, Title: "用地指标", Description: "缺20亩"}
		if err := s.RaiseProblem(ctx, as(c.coordinator), p); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 2, 10, 3, 4, 5, 0, time.UTC)
		fraction := time.Date(2026, 2, 11, 23, 59, 59, 123456000, time.UTC)
		for i, set := range []struct {
			lead, leader                 any
			assigned, due, reply, ontime any
			category, rating, status     string
			escalations                  int
		}{
			{nil, nil, nil, nil, nil, nil, "finance", "", domain.ProblemReceived, 0},
			{c.d1.ID, c.leader.ID, at, fraction, at, fraction, "land|use", domain.RatingSatisfied, domain.ProblemClosed, 3},
			{c.d2.ID, nil, fraction, at, nil, nil, "科技", "", domain.ProblemReopened, 12},
		} {
			err := s.inWrite(ctx, func(tx *Tx) error {
				_, err := tx.exec(ctx, `UPDATE problems SET lead_unit_id = ?, leader_id = ?, assigned_at = ?, due_at = ?,
					first_reply_at = ?, first_reply_due_at = ?, category = ?, rating = ?, status = ?, escalations = ? WHERE id = ?`,
					set.lead, set.leader, set.assigned, set.due, set.reply, set.ontime, set.category, set.rating, set.status,
					set.escalations, p.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.FindProblemByID(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			var figures []domain.ProblemFigures
			err = s.inRead(ctx, func(tx *Tx) (err error) {
				figures, err = tx.problemFigures(ctx, ` FROM problems p WHERE p.id = ?`, []any{p.ID})
				return err
			})
			if err != nil || len(figures) != 1 {
				t.Fatal(len(figures), err)
			}
			got := figures[0]
			if got.LeadUnitID != want.LeadUnitID || got.UnitID != want.UnitID || got.LeaderID != want.LeaderID ||
				got.Escalations != want.Escalations || got.Status != want.Status || got.Rating != want.Rating ||
				got.Category != want.Category || !got.AssignedAt.Equal(want.AssignedAt) || !got.DueAt.Equal(want.DueAt) ||
				!got.FirstReplyAt.Equal(want.FirstReplyAt) || !got.FirstReplyDueAt.Equal(want.FirstReplyDueAt) {
				t.Fatalf("case %d: figures read %+v\nthe record reads %+v", i, got, want)
			}
		}
	})
}

func TestProblemFiguresRefuseAShortRow(t *testing.T) {
	var p domain.ProblemFigures
	for _, packed := range []string{"", "1|2|3", "x|2|3|0|closed||||||finance", "1|2|3|-1|closed||||||finance", "1|2|3|0|closed||nonsense||||finance"} {
		if err := scanProblemFigures(packed, &p); err == nil {
			t.Errorf("%q read without an error", packed)
		}
	}
}
