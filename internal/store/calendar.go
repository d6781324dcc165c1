package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// SettingServiceDayRule holds the service-day rule as JSON.
const SettingServiceDayRule = "service_day_rule"

// FindCalendarYear returns a year's calendar; a year never saved is not loaded, version 0.
func (s *Store) FindCalendarYear(ctx context.Context, year int) (*domain.CalendarYear, error) {
	cy := &domain.CalendarYear{Year: year}
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		cy, err = tx.calendarYear(ctx, year)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find calendar %d: %w", year, err)
	}
	return cy, nil
}

func (tx *Tx) calendarYear(ctx context.Context, year int) (*domain.CalendarYear, error) {
	cy := &domain.CalendarYear{Year: year}
	err := tx.queryRow(ctx, `SELECT version, updated_at FROM calendar_years WHERE year = ?`, year).Scan(&cy.Version, &cy.UpdatedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cy, nil
	case err != nil:
		return nil, err
	}
	cy.Loaded = true
	cy.Days, err = tx.calendarDays(ctx, `WHERE year = ?`, year)
	return cy, err
}

func (tx *Tx) calendarDays(ctx context.Context, where string, args ...any) ([]domain.CalendarDay, error) {
	rows, err := tx.query(ctx, `SELECT day, kind, name FROM calendar_days `+where+` ORDER BY day`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var days []domain.CalendarDay
	for rows.Next() {
		var d domain.CalendarDay
		var date string
		if err := rows.Scan(&date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		if d.Date, err = time.Parse(domain.DateLayout, date); err != nil {
			return nil, fmt.Errorf("calendar day %q: %w", date, err)
		}
		days = append(days, d)
	}
	return days, rows.Err()
}

// Calendar loads every loaded year with its days: a few dozen rows a year, read whole so
// that deadline arithmetic needs no further queries.
func (s *Store) Calendar(ctx context.Context) (*domain.Calendar, error) {
	var cal *domain.Calendar
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		cal, err = tx.calendar(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	return cal, nil
}

func (tx *Tx) calendar(ctx context.Context) (*domain.Calendar, error) {
	rows, err := tx.query(ctx, `SELECT year FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, err
	}
	var years []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return nil, err
		}
		years = append(years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	days, err := tx.calendarDays(ctx, "")
	if err != nil {
		return nil, err
	}
	return domain.NewCalendar(years, days), nil
}

// claimCalendarYear checks the version a change is based on and moves it on: version 0
// means "the year is not loaded yet" and loads it. A stale version is a conflict.
func (tx *Tx) claimCalendarYear(ctx context.Context, year int, version int64) error {
	if !domain.ValidYear(year) {
		return domain.Errorf(domain.EINVALID, "年份应在2000至2100之间。")
	}
	var res sql.Result
	var err error
	if version == 0 {
		res, err = tx.exec(ctx, `INSERT INTO calendar_years (year, version, updated_at) VALUES (?, 1, ?)
			ON CONFLICT (year) DO NOTHING`, year, tx.now)
	} else {
		res, err = tx.exec(ctx, `UPDATE calendar_years SET version = version + 1, updated_at = ?
			WHERE year = ? AND version = ?`, tx.now, year, version)
	}
	if err != nil {
		return fmt.Errorf("calendar year %d: %w", year, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return domain.ErrConflict(fmt.Sprintf("%d年日历", year))
	}
	return nil
}

// calendarAudit is a day as the audit log keeps it.
type calendarAudit struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func auditOfDays(days []domain.CalendarDay) []calendarAudit {
	out := make([]calendarAudit, len(days))
	for i, d := range days {
		out[i] = calendarAudit{d.Date.Format(domain.DateLayout), string(d.Kind), d.Name}
	}
	return out
}

// SaveCalendarYear replaces a year's holidays and adjusted workdays with days, based on
// version (0 for a year not loaded yet), audited with the lists before and after. An
// empty list is allowed: a year with no exceptions is still a loaded year.
func (s *Store) SaveCalendarYear(ctx context.Context, actor domain.Actor, year int, version int64, days []domain.CalendarDay, reason string) error {
	if err := domain.ValidateCalendarYear(year, days); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.calendarDays(ctx, `WHERE year = ?`, year)
		if err != nil {
			return err
		}
		if err := tx.claimCalendarYear(ctx, year, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE year = ?`, year); err != nil {
			return fmt.Errorf("clear calendar %d: %w", year, err)
		}
		for _, d := range days {
			if err := tx.insertCalendarDay(ctx, year, d); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actor, "calendar.replace", "calendar", int64(year), auditOfDays(before), auditOfDays(days), reason)
	})
}

func (tx *Tx) insertCalendarDay(ctx context.Context, year int, d domain.CalendarDay) error {
	if _, err := tx.exec(ctx, `INSERT INTO calendar_days (day, year, kind, name) VALUES (?, ?, ?, ?)`,
		d.Date.Format(domain.DateLayout), year, string(d.Kind), d.Name); err != nil {
		return fmt.Errorf("insert calendar day: %w", err)
	}
	return nil
}

// SetCalendarDay adds a day to a year's calendar, or changes the day already recorded for
// that date; audited.
func (s *Store) SetCalendarDay(ctx context.Context, actor domain.Actor, year int, version int64, d domain.CalendarDay) error {
	if err := d.Validate(year); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		date := d.Date.Format(domain.DateLayout)
		old, err := tx.calendarDays(ctx, `WHERE day = ?`, date)
		if err != nil {
			return err
		}
		if err := tx.claimCalendarYear(ctx, year, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE day = ?`, date); err != nil {
			return err
		}
		if err := tx.insertCalendarDay(ctx, year, d); err != nil {
			return err
		}
		var before any
		if len(old) > 0 {
			before = auditOfDays(old)[0]
		}
		return tx.audit(ctx, actor, "calendar.day.set", "calendar", int64(year), before, auditOfDays([]domain.CalendarDay{d})[0], "")
	})
}

// RemoveCalendarDay takes a date out of a year's calendar: it becomes an ordinary day
// again. Audited.
func (s *Store) RemoveCalendarDay(ctx context.Context, actor domain.Actor, year int, version int64, date time.Time) error {
	return s.inWrite(ctx, func(tx *Tx) error {
		old, err := tx.calendarDays(ctx, `WHERE day = ? AND year = ?`, date.Format(domain.DateLayout), year)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			return domain.Errorf(domain.ENOTFOUND, "%d年日历中没有 %s。", year, date.Format(domain.DateLayout))
		}
		if err := tx.claimCalendarYear(ctx, year, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM calendar_days WHERE day = ?`, date.Format(domain.DateLayout)); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "calendar.day.remove", "calendar", int64(year), auditOfDays(old)[0], nil, "")
	})
}

// ServiceDayRule returns the stored service-day rule, or DOMAIN.md's default.
func (s *Store) ServiceDayRule(ctx context.Context) (domain.ServiceDayRule, error) {
	r := domain.DefaultServiceDayRule
	if err := s.jsonSetting(ctx, SettingServiceDayRule, &r); err != nil {
		return domain.DefaultServiceDayRule, err
	}
	return r, nil
}

// SetServiceDayRule validates and stores the rule, audited.
func (s *Store) SetServiceDayRule(ctx context.Context, actor domain.Actor, r domain.ServiceDayRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, actor, SettingServiceDayRule, string(b))
}

// ServiceDays are the year's service days under the stored rule and calendar.
func (s *Store) ServiceDays(ctx context.Context, year int) ([]domain.ServiceDay, domain.ServiceDayRule, error) {
	rule, err := s.ServiceDayRule(ctx)
	if err != nil {
		return nil, rule, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, rule, err
	}
	return domain.ServiceDays(cal, rule, year), rule, nil
}
