package domain

import (
	"math/big"
	"slices"
)

// Phases is a phased schedule: the percentage of the annual target due by the end of
// some months. Months not given are interpolated between their neighbours (from 0% at
// the start of the year), so a quarterly schedule also serves October.
type Phases map[int]Dec

// Progress is the schedule's share of the year due by the end of month, as a fraction,
// or nil when the schedule is empty.
func (p Phases) Progress(month int) *big.Rat {
	if len(p) == 0 || month < 1 || month > 12 {
		return nil
	}
	if v, ok := p[month]; ok {
		return new(big.Rat).Quo(v.Rat(), big.NewRat(100, 1))
	}
	months := make([]int, 0, len(p))
	for m := range p {
		months = append(months, m)
	}
	slices.Sort(months)
	prevM, prevV := 0, new(big.Rat)
	for _, m := range months {
		v := new(big.Rat).Quo(p[m].Rat(), big.NewRat(100, 1))
		if m > month {
			// Linear between (prevM, prevV) and (m, v).
			step := new(big.Rat).Sub(v, prevV)
			step.Mul(step, big.NewRat(int64(month-prevM), int64(m-prevM)))
			return step.Add(step, prevV)
		}
		prevM, prevV = m, v
	}
	// Past the last scheduled month: on towards 100% at December.
	if prevM == 12 {
		return prevV
	}
	step := new(big.Rat).Sub(big.NewRat(1, 1), prevV)
	step.Mul(step, big.NewRat(int64(month-prevM), int64(12-prevM)))
	return step.Add(step, prevV)
}

// Validate checks shares lie in 0–100% and never fall as the year goes on.
func (p Phases) Validate() error {
	months := make([]int, 0, len(p))
	for m := range p {
		if m < 1 || m > 12 {
			return Errorf(EINVALID, "月份应为1至12。")
		}
		months = append(months, m)
	}
	slices.Sort(months)
	prev := Dec(0)
	for _, m := range months {
		v := p[m]
		if v < 0 || v > DecFromInt(100) {
			return Errorf(EINVALID, "%d月的进度应在0%%至100%%之间。", m)
		}
		if v < prev {
			return Errorf(EINVALID, "%d月的进度不能低于之前月份。", m)
		}
		prev = v
	}
	return nil
}
