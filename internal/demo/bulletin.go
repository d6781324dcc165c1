package demo

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
)

// loadBulletin gives the bulletin what a running campaign has: a frozen cohort of last
// year's signings for the rates, and the previous month's bulletin published, so that
// its page shows what changed since (the newest month's reports are still coming in).
// The newest meeting that reviewed that month is then linked to it, as a coordinator
// does after the meeting.
func loadBulletin(ctx context.Context, st *store.Store, actor domain.Actor, now time.Time) error {
	cst := domain.ChinaTime
	year, month := domain.ReportPeriodAt(now, cst)
	cohort := &domain.Cohort{Name: fmt.Sprintf("%d年签约项目", year-1),
		SignedFrom: fmt.Sprintf("%d-01-01", year-1), SignedTo: fmt.Sprintf("%d-12-31", year-1)}
	if err := st.CreateCohort(ctx, actor, cohort); err != nil {
		return fmt.Errorf("demo cohort: %w", err)
	}
	// The city's unit name says it is fictional; the bulletin's heading reads as printed.
	if err := st.SetBulletinSettings(ctx, actor, domain.BulletinSettings{Title: "瓷都市工业倍增暨招商引资工作调度通报",
		WarningCap: domain.DefaultBulletinSettings.WarningCap}); err != nil {
		return fmt.Errorf("demo bulletin settings: %w", err)
	}
	if month == 1 {
		year, month = year-1, 12
	} else {
		month--
	}
	data, err := st.BulletinData(ctx, year, month, cst)
	if err != nil {
		return fmt.Errorf("demo bulletin: %w", err)
	}
	content, err := report.Snapshot(report.Assemble(data, "all"))
	if err != nil {
		return err
	}
	// The demo coordinator publishes, as in real use: the version names its publisher.
	if u, err := st.FindUserByUsername(ctx, "coordinator"); err == nil {
		actor = domain.Actor{User: u, Via: actor.Via, IP: actor.IP}
	}
	b, err := st.PublishBulletin(ctx, actor, domain.BulletinPublication{Year: year, Month: month, Scope: "all",
		Content: content, Note: "演示：上月通报"})
	if err != nil {
		return fmt.Errorf("demo bulletin: %w", err)
	}
	return linkDemoMeeting(ctx, st, actor, b)
}

// linkDemoMeeting links the newest meeting of the bulletin's period to it; depending on
// the day the demo is loaded, no meeting may have reviewed that month, and none is linked.
func linkDemoMeeting(ctx context.Context, st *store.Store, actor domain.Actor, b *domain.PublishedBulletin) error {
	rows, _, err := st.FindMeetings(ctx, b.Year, 0, 50)
	if err != nil {
		return fmt.Errorf("demo meeting link: %w", err)
	}
	for _, row := range rows {
		if row.Month == b.Month {
			m := *row.Meeting
			m.BulletinID = b.ID
			if err := st.UpdateMeeting(ctx, actor, &m); err != nil {
				return fmt.Errorf("demo meeting link: %w", err)
			}
			return nil
		}
	}
	return nil
}
