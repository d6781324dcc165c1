package store

import (
	"testing"
	"time"
)

// The hand-written reader agrees with time.Parse on the layout the SQLite driver writes,
// and declines what it does not handle.
func FuzzParseUTC(f *testing.F) {
	for _, s := range []string{"2026-11-27 10:00:00+00:00", "2026-11-27 10:00:00.123456+00:00", "2021-10-31 23:08:00.5+00:00",
		"2026-02-30 10:00:00+00:00", "2026-11-27 24:00:00+00:00", "2026-11-27 10:00:00+08:00", "2026-11-27 10:00:00.+00:00",
		"2026-11-27 10:00:00.1234567891+00:00", "2026-11-27T10:00:00+00:00", "", "2024-02-29 00:00:00+00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseUTC(s)
		if !ok {
			return
		}
		want, err := time.Parse(sqliteTimeLayout, s)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("parseUTC(%q) = %v; time.Parse gives %v, %v", s, got, want, err)
		}
	})
}

func TestParseUTC(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2026-11-27 10:00:00+00:00":        time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
		"2026-11-27 10:00:00.123456+00:00": time.Date(2026, 11, 27, 10, 0, 0, 123456000, time.UTC),
	} {
		if got, ok := parseUTC(in); !ok || !got.Equal(want) {
			t.Errorf("parseUTC(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"2026-02-30 10:00:00+00:00", "2026-11-27 10:00:00+08:00", "2026-11-27 10:00:00"} {
		if _, ok := parseUTC(in); ok {
			t.Errorf("parseUTC(%q) accepted", in)
		}
	}
	// Times another offset carries still scan, through time.Parse.
	if got, err := parseStoredTime("2026-11-27 18:00:00+08:00"); err != nil || !got.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("an offset time: %v %v", got, err)
	}
}
