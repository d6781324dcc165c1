package synth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
	"beizeng/internal/synth"
)

// TestGeneratedProblems: at a small scale, on both databases, every generated problem is
// one the loop could have left — its timeline passes CheckProblemTimeline, deadlines
// follow receipt, departments are departments, whatever is overdue at the dataset's end
// has been escalated — the mix is realistic (every status, source and urgency; most old
// ones closed and rated; a minority of enterprises raising most), and the statistics and
// the bulletin's problem figures over them are non-zero and add up.
func TestGeneratedProblems(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, svc := open(t, dsn)
		if _, err := synth.Generate(ctx, st, svc, domain.Actor{Via: "test"}, small); err != nil {
			t.Fatal(err)
		}
		// The dataset's clock stops at the end of its last day: judge it then.
		end := time.Date(small.ThroughYear, time.Month(small.ThroughMonth)+1, 1, 0, 0, 0, 0, domain.ChinaTime).Add(-time.Second)
		st.Now = func() time.Time { return end }

		departments := map[int64]bool{}
		units, _, err := st.FindUnits(ctx, domain.UnitFilter{Kind: domain.UnitDepartment, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			departments[u.ID] = true
		}
		if len(departments) != 30 {
			t.Errorf("%d departments", len(departments))
		}
		rows, err := st.DB().Query(`SELECT id FROM problems ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) != small.Scale.Problems {
			t.Fatalf("%d problems, want %d", len(ids), small.Scale.Problems)
		}

		statuses, sources, urgencies := map[string]int{}, map[string]int{}, map[string]int{}
		perFirm := map[int64]int{}
		escalated, extended, reopened, oldClosed, old, assisted := 0, 0, 0, 0, 0, 0
		var previous time.Time
		for _, id := range ids {
			p, err := st.FindProblemByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			actions, err := st.FindProblemActions(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			timeline := make([]domain.ProblemAction, len(actions))
			for i, a := range actions {
				timeline[i] = *a
			}
			if err := domain.CheckProblemTimeline(p, timeline, end); err != nil {
				t.Fatalf("problem %d: %v", id, err)
			}
			if p.ReceivedAt.Before(previous) {
				t.Errorf("problem %d received before the one before it", id)
			}
			previous = p.ReceivedAt
			if p.LeadUnitID != 0 && (!departments[p.LeadUnitID] || !p.DueAt.After(p.ReceivedAt)) {
				t.Errorf("problem %d: lead %d, due %s, received %s", id, p.LeadUnitID, p.DueAt, p.ReceivedAt)
			}
			for _, a := range p.Assists {
				if !departments[a.UnitID] || a.UnitID == p.LeadUnitID {
					t.Errorf("problem %d: assisting %d", id, a.UnitID)
				}
			}
			if domain.Overdue(p, end) && p.DueAt.Add(time.Hour).Before(end) && !p.EscalatedDueAt.Equal(p.DueAt) {
				t.Errorf("problem %d overdue since %s, not escalated", id, p.DueAt)
			}
			if (p.Rating == domain.RatingSatisfied || p.Rating == domain.RatingBasic) && p.Status != domain.ProblemClosed {
				t.Errorf("problem %d rated %s but %s", id, p.Rating, p.Status)
			}
			statuses[p.Status]++
			sources[p.Source]++
			urgencies[p.Urgency]++
			perFirm[p.EnterpriseID]++
			if p.Escalations > 0 {
				escalated++
			}
			if p.Extensions > 0 {
				extended++
			}
			if p.Reopens > 0 {
				reopened++
			}
			if len(p.Assists) > 0 {
				assisted++
			}
			if p.ReceivedAt.Before(end.AddDate(0, -6, 0)) {
				old++
				if p.Status == domain.ProblemClosed {
					oldClosed++
				}
			}
		}
		t.Logf("statuses %v, sources %v, urgencies %v; escalated %d, extended %d, reopened %d, assisted %d; %d of %d older than six months closed",
			statuses, sources, urgencies, escalated, extended, reopened, assisted, oldClosed, old)
		// The states a problem stays in for days; a problem waits hours to be assigned or
		// accepted, so at this scale few are caught there at the end (at province scale
		// every status appears).
		for _, status := range []string{domain.ProblemInProgress, domain.ProblemReplied, domain.ProblemReopened, domain.ProblemClosed} {
			if statuses[status] == 0 {
				t.Errorf("no problem is %s", status)
			}
		}
		if len(sources) != 4 || len(urgencies) != 3 || escalated == 0 || extended == 0 || reopened == 0 || assisted == 0 {
			t.Errorf("mix: sources %v, urgencies %v, escalated %d, extended %d, reopened %d, assisted %d",
				sources, urgencies, escalated, extended, reopened, assisted)
		}
		if oldClosed*100 < old*95 {
			t.Errorf("only %d of %d problems older than six months closed", oldClosed, old)
		}
		if statuses[domain.ProblemClosed]*2 < len(ids) {
			t.Errorf("only %d of %d closed", statuses[domain.ProblemClosed], len(ids))
		}
		// A tenth of the enterprises raised most of the problems.
		counts := make([]int, 0, len(perFirm))
		for _, n := range perFirm {
			counts = append(counts, n)
		}
		slices.Sort(counts)
		slices.Reverse(counts)
		top := 0
		for _, n := range counts[:small.Scale.Enterprises/10] {
			top += n
		}
		if top*2 < len(ids) {
			t.Errorf("the top tenth of the enterprises raised %d of %d problems", top, len(ids))
		}

		rep, err := st.ProblemStatistics(ctx, domain.ProblemFilter{}, domain.ProblemByDepartment)
		if err != nil {
			t.Fatal(err)
		}
		sum, overdue := 0, 0
		for _, r := range rep.Rows {
			sum += r.Count
			overdue += r.Overdue
		}
		tot := rep.Total
		if sum+statuses[domain.ProblemReceived]+closedUnassigned(t, st) != tot.Count || tot.Count != len(ids) || overdue != tot.Overdue {
			t.Errorf("by department %d (overdue %d), total %+v", sum, overdue, tot)
		}
		if tot.Closed == 0 || tot.Overdue == 0 || tot.OnTime == 0 || tot.OnTime == tot.Judged || tot.Escalated == 0 ||
			tot.SatisfactionRate == nil || tot.Unsatisfied == 0 || tot.AvgReplyDays == nil {
			t.Errorf("total %+v", tot)
		}
		if len(rep.Red) == 0 || len(rep.Black) == 0 || len(rep.Black) == len(rep.Rows) {
			t.Errorf("%d departments on the red list, %d of %d on the black list", len(rep.Red), len(rep.Black), len(rep.Rows))
		}

		d, err := st.BulletinData(ctx, small.ThroughYear, small.ThroughMonth, domain.ChinaTime)
		if err != nil {
			t.Fatal(err)
		}
		year := countProblems(t, st, domain.ProblemFilter{From: "2026-01-01", To: "2026-09-30"})
		harvest := countProblems(t, st, domain.ProblemFilter{Source: domain.SourceServiceDay, From: "2026-09-01", To: "2026-09-30"})
		if d.Problems == nil || d.Problems.Total.Count != year || year == 0 || d.ServiceDay != harvest || harvest == 0 {
			t.Errorf("bulletin: problems %+v, service day %d; want %d and %d", d.Problems, d.ServiceDay, year, harvest)
		}
		if visits, err := st.FindVisits(ctx, 0, 0, 1000); err != nil || len(visits) == 0 {
			t.Errorf("visits %d %v", len(visits), err)
		}
	})
}

func countProblems(t *testing.T, st *store.Store, f domain.ProblemFilter) int {
	t.Helper()
	f.Limit = 1
	_, n, err := st.FindProblems(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// closedUnassigned counts the duplicates the office closed before assigning them: they
// have no lead department, so no department's row counts them.
func closedUnassigned(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT COUNT(*) FROM problems WHERE lead_unit_id IS NULL AND status = 'closed'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
