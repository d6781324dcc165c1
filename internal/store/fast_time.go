package store

import (
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// timeText selects a timestamp column for a scanTime: as text on SQLite, whose driver
// otherwise parses every timestamp by trying layout after layout — most of the cost of
// reading a year's problems for the bulletin — and as it is on PostgreSQL.
func (tx *Tx) timeText(column string) string {
	if tx.dialect == Postgres {
		return column
	}
	return "CAST(" + column + " AS TEXT)"
}

// sqliteTimeLayout is how the SQLite driver writes times (_time_format=sqlite).
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// scanTime scans a timestamp selected through timeText into t, in UTC; NULL is the zero
// time, as timeOf gives.
type scanTime struct{ t *time.Time }

func (s scanTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case time.Time:
		*s.t = v.UTC()
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	}
	return fmt.Errorf("scan time: unexpected %T", src)
}

func (s scanTime) parse(text string) error {
	if t, ok := parseUTC(text); ok {
		*s.t = t
		return nil
	}
	t, err := time.Parse(sqliteTimeLayout, text)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*s.t = t.UTC()
	return nil
}

// parseUTC reads "2006-01-02 15:04:05[.fraction]+00:00" — every time the store writes,
// being UTC — by hand; anything else is left to time.Parse.
func parseUTC(v string) (time.Time, bool) {
	n := len(v)
	if n < 25 || v[10] != ' ' || v[13] != ':' || v[16] != ':' || v[n-6:] != "+00:00" {
		return time.Time{}, false
	}
	day, ok := domain.ParseDay(v[:10])
	hour, minute, second := domain.Digits(v[11:13]), domain.Digits(v[14:16]), domain.Digits(v[17:19])
	if !ok || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	nanos := 0
	if frac := v[19 : n-6]; frac != "" {
		digits := frac[1:]
		if frac[0] != '.' || len(digits) == 0 || len(digits) > 9 {
			return time.Time{}, false
		}
		if nanos = domain.Digits(digits); nanos < 0 {
			return time.Time{}, false
		}
		for range 9 - len(digits) {
			nanos *= 10
		}
	}
	return day.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute + time.Duration(second)*time.Second +
		time.Duration(nanos)), true
}
