package domain

import "time"

// Target is what a unit must achieve on an indicator in a year: a base and, optionally,
// a stretch target. The city's own target is the target of the city unit.
type Target struct {
	Year        int
	UnitID      int64
	IndicatorID int64
	Base        Dec
	Stretch     *Dec // nil when no stretch target was set
	Version     int64
	UpdatedAt   time.Time
}

// TargetRevision is a change made to a target after its letter was issued.
type TargetRevision struct {
	ID                  int64
	Year                int
	UnitID, IndicatorID int64
	OldBase, OldStretch string
	NewBase, NewStretch string
	Reason, ActorName   string
	At                  time.Time
}

// Letter is an issued responsibility letter: the unit's targets as they stood.
type Letter struct {
	ID       int64
	Year     int
	UnitID   int64
	Version  int
	IssuedAt time.Time
	IssuedBy string
	Note     string
	Targets  []LetterTarget
}

// LetterTarget is one line of a letter, frozen with the indicator's name and measure.
type LetterTarget struct {
	IndicatorID int64  `json:"indicator_id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Measure     string `json:"measure"`
	Base        string `json:"base"`
	Stretch     string `json:"stretch"`
}

// ValidYear bounds the years the campaign plans for.
func ValidYear(y int) bool { return y >= 2000 && y <= 2100 }
