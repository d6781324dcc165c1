package domain

import "testing"

func TestPhasesProgress(t *testing.T) {
	quarterly := Phases{3: mustDec(t, "20"), 6: mustDec(t, "45"), 9: mustDec(t, "70"), 12: mustDec(t, "100")}
	tests := []struct {
		p     Phases
		month int
		want  string // percent, 1 decimal
	}{
		{quarterly, 3, "20.0"}, {quarterly, 6, "45.0"}, {quarterly, 1, "6.7"}, {quarterly, 10, "80.0"}, {quarterly, 12, "100.0"},
		{Phases{6: mustDec(t, "40")}, 9, "70.0"}, // after the last given month, on towards 100% in December
		{Phases{6: mustDec(t, "40")}, 3, "20.0"},
	}
	for _, tt := range tests {
		if got := FormatPercent(tt.p.Progress(tt.month), 1); got != tt.want {
			t.Errorf("month %d: %s, want %s", tt.month, got, tt.want)
		}
	}
	if (Phases{}).Progress(5) != nil {
		t.Error("an empty schedule gave a progress")
	}
	if err := (Phases{3: mustDec(t, "30"), 6: mustDec(t, "20")}).Validate(); err == nil {
		t.Error("falling schedule accepted")
	}
	if err := (Phases{3: mustDec(t, "130")}).Validate(); err == nil {
		t.Error("share above 100% accepted")
	}
	if err := quarterly.Validate(); err != nil {
		t.Error(err)
	}
}
