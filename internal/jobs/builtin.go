package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// system is how jobs appear in the audit log.
var system = domain.Actor{Via: "job"}

// ExpiredSessions removes sessions past their lifetime or idle limit.
func ExpiredSessions(st *store.Store, log *slog.Logger, idle time.Duration) Job {
	return Job{Name: "expired-sessions", Every: 10 * time.Minute, Run: func(ctx context.Context, _ time.Time) error {
		n, err := st.DeleteExpiredSessions(ctx, idle)
		if n > 0 {
			log.Info("deleted expired sessions", "count", n)
		}
		return err
	}}
}

// ServiceDayReminders tells every leader of a coming enterprise service day, from the
// reminder day (the rule's working days before it) to the day itself. Each leader gets
// each day's reminder once: the message's dedupe key is the date. It runs hourly, so a
// reminder due today reaches leaders within the hour even after a restart.
func ServiceDayReminders(st *store.Store) Job {
	return Job{Name: "service-day-reminders", Every: time.Hour, Run: func(ctx context.Context, now time.Time) error {
		_, err := RemindServiceDays(ctx, st, now)
		return err
	}}
}

// RemindServiceDays sends the reminders due at now and returns how many were written.
func RemindServiceDays(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	rule, err := st.ServiceDayRule(ctx)
	if err != nil {
		return 0, err
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	today := domain.DateOf(now)
	sent := 0
	// A month's service day may roll into the month before or after it.
	for _, m := range []int{-1, 0, 1} {
		first := time.Date(today.Year(), today.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		sd := rule.ServiceDay(cal, first.Year(), first.Month())
		if today.Before(sd.Remind) || today.After(sd.Date) {
			continue
		}
		n, err := RemindServiceDay(ctx, st, system, sd)
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// RemindServiceDay sends every leader the reminder of one service day, once per leader,
// and returns how many were written.
func RemindServiceDay(ctx context.Context, st *store.Store, actor domain.Actor, sd domain.ServiceDay) (int, error) {
	n, err := st.NotifyRole(ctx, actor, domain.RoleLeader, serviceDayMessage(sd))
	if err != nil {
		return n, fmt.Errorf("service day %s: %w", sd.Date.Format(domain.DateLayout), err)
	}
	return n, nil
}

func serviceDayMessage(sd domain.ServiceDay) domain.Notification {
	d := sd.Date
	body := fmt.Sprintf("%d年%d月%d日（%s）为%d月企业服务日，请按挂点安排走访企业、收集诉求。",
		d.Year(), d.Month(), d.Day(), domain.WeekdayName(d), sd.Month)
	if sd.Moved != "" {
		body += fmt.Sprintf("本月%d日逢%s，服务日已调整。", sd.Nominal.Day(), sd.Moved)
	}
	if len(sd.Unloaded) > 0 {
		body += fmt.Sprintf("注意：%d年的节假日安排尚未载入，日期仅按周末推算。", sd.Unloaded[0])
	}
	return domain.Notification{Kind: domain.NotificationKindServiceDay,
		Title:  fmt.Sprintf("%d月%d日为企业服务日", d.Month(), d.Day()),
		Body:   body,
		Link:   fmt.Sprintf("/calendar?year=%d", d.Year()),
		Dedupe: "service_day:" + d.Format(domain.DateLayout)}
}

// ProblemDeadlines escalates (督办) every problem whose answer is overdue — telling the
// lead department, the supervision office, the linked leader and the coordinators as
// the city's rules say — and reminds lead departments of answers due soon. Both are
// once per deadline, so an hourly run after a restart repeats nothing.
func ProblemDeadlines(st *store.Store, log *slog.Logger) Job {
	return Job{Name: "problem-deadlines", Every: time.Hour, Run: func(ctx context.Context, _ time.Time) error {
		escalated, err := st.EscalateOverdue(ctx)
		if escalated > 0 {
			log.Info("escalated overdue problems", "count", escalated)
		}
		if err != nil {
			return err
		}
		_, err = st.RemindDueSoon(ctx)
		return err
	}}
}
