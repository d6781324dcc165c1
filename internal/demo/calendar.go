package demo

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/jobs"
	"beizeng/internal/store"
)

// loadCalendar loads the national holiday schedules beizeng ships and gives the leaders
// the reminder of the next service day, as the reminder job does on its reminder day, so
// that the inbox has something real to show.
func loadCalendar(ctx context.Context, st *store.Store, actor domain.Actor, now time.Time) error {
	for _, y := range domain.NationalYears() {
		days, _ := domain.NationalCalendar(y)
		if err := st.SaveCalendarYear(ctx, actor, y, 0, days, "载入国家法定节假日"); err != nil {
			return fmt.Errorf("calendar %d: %w", y, err)
		}
	}
	rule, err := st.ServiceDayRule(ctx)
	if err != nil {
		return err
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	today := domain.DateOf(now)
	for m := range 2 {
		first := time.Date(today.Year(), today.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		sd := rule.ServiceDay(cal, first.Year(), first.Month())
		if !sd.Date.Before(today) {
			_, err := jobs.RemindServiceDay(ctx, st, actor, sd)
			return err
		}
	}
	return nil
}
