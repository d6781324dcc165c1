package store

import (
	"fmt"
	"time"

	"beizeng/internal/domain"
)

// sqliteTimeLayout is how the SQLite driver writes times (_time_format=sqlite).
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// parseStoredTime reads a timestamp as the SQLite driver stores it, in UTC: by hand for
// the UTC times the store writes (the driver tried layout after layout — most of the cost
// of reading a year's problems for the bulletin), by time.Parse for any other offset.
func parseStoredTime(text string) (time.Time, error) {
	if t, ok := parseUTC(text); ok {
		return t, nil
	}
	t, err := time.Parse(sqliteTimeLayout, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time: %w", err)
	}
	return t.UTC(), nil
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
