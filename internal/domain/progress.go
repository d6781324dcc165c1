package domain

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rates, gaps and ranks are computed exactly as rationals and rounded half-up only when
// they are displayed (DOMAIN.md §2): rounding first turns a gap of +13.825 points into
// "+13.9" instead of "+13.8".

// NoValue is what a rate that cannot be computed (a target of zero, say) displays as.
const NoValue = "—"

// Completion is actual ÷ target, or target ÷ actual for a lower-is-better indicator.
// ok is false — show NoValue — when the target is not positive, or when a lower-is-better
// actual is not positive.
func Completion(actual, target Dec, higherIsBetter bool) (r *big.Rat, ok bool) {
	if target <= 0 {
		return nil, false
	}
	if higherIsBetter {
		return new(big.Rat).SetFrac64(int64(actual), int64(target)), true
	}
	if actual <= 0 {
		return nil, false
	}
	return new(big.Rat).SetFrac64(int64(target), int64(actual)), true
}

// TimeProgressMonths is the default time progress: months elapsed ÷ 12 (a report for
// Jan–Oct is 10/12). Months outside 0..12 are clamped.
func TimeProgressMonths(month int) *big.Rat {
	return big.NewRat(int64(min(max(month, 0), 12)), 12)
}

// MonthsToDate names the months from January through month as bulletins do: "1–10月",
// and "1月" for January alone.
func MonthsToDate(month int) string {
	if month == 1 {
		return "1月"
	}
	return "1–" + strconv.Itoa(month) + "月"
}

// TimeProgressDays is the day-based time progress: days elapsed, the date included, ÷
// days in the date's year (365 or 366).
func TimeProgressDays(date time.Time) *big.Rat {
	days := time.Date(date.Year(), time.December, 31, 0, 0, 0, 0, time.UTC).YearDay()
	return big.NewRat(int64(date.YearDay()), int64(days))
}

// Gap is completion − time progress as a fraction (FormatPoints shows it in percentage
// points). It is nil when either is nil.
func Gap(completion, timeProgress *big.Rat) *big.Rat {
	if completion == nil || timeProgress == nil {
		return nil
	}
	return new(big.Rat).Sub(completion, timeProgress)
}

// RoundHalfUp shows r rounded half away from zero to the given decimals (2.5 → "3",
// −2.5 → "-3"); a value that rounds to zero has no sign. nil shows NoValue.
func RoundHalfUp(r *big.Rat, decimals int) string {
	if r == nil {
		return NoValue
	}
	return formatScaled(roundScaled(r, max(decimals, 0)), max(decimals, 0))
}

var hundred = big.NewRat(100, 1)

// FormatPercent shows a fraction as a percentage without the sign: 0.971583 → "97.2".
func FormatPercent(r *big.Rat, decimals int) string {
	if r == nil {
		return NoValue
	}
	return RoundHalfUp(new(big.Rat).Mul(r, hundred), decimals)
}

// FormatPoints shows a fraction in signed percentage points: "+13.8", "-2.0"; a value that
// rounds to zero shows "0.0" without a sign.
func FormatPoints(r *big.Rat, decimals int) string {
	if r == nil {
		return NoValue
	}
	decimals = max(decimals, 0)
	q := roundScaled(new(big.Rat).Mul(r, hundred), decimals)
	s := formatScaled(q, decimals)
	if q.Sign() > 0 {
		s = "+" + s
	}
	return s
}

// Colour is the traffic light of an indicator against time progress.
type Colour string

const (
	ColourGreen  Colour = "green"
	ColourYellow Colour = "yellow"
	ColourRed    Colour = "red"
	ColourNone   Colour = "none"
)

// Label is the colour's Chinese name.
func (c Colour) Label() string {
	switch c {
	case ColourGreen:
		return "绿"
	case ColourYellow:
		return "黄"
	case ColourRed:
		return "红"
	}
	return NoValue
}

// DefaultYellowWithin is how far behind time progress an indicator may be and still be
// yellow: 10 percentage points. Cities configure their own; treat this as read-only.
var DefaultYellowWithin = big.NewRat(1, 10)

// StatusColour is green when completion ≥ time progress, yellow when behind by less than
// yellowWithin (nil means DefaultYellowWithin), red otherwise, and none without a rate.
func StatusColour(completion, timeProgress *big.Rat, ok bool, yellowWithin *big.Rat) Colour {
	if !ok || completion == nil || timeProgress == nil {
		return ColourNone
	}
	if yellowWithin == nil {
		yellowWithin = DefaultYellowWithin
	}
	behind := new(big.Rat).Sub(timeProgress, completion)
	switch {
	case behind.Sign() <= 0:
		return ColourGreen
	case behind.Cmp(yellowWithin) < 0:
		return ColourYellow
	}
	return ColourRed
}

// CompetitionRank ranks values "1224": equal values share a rank and the next rank skips.
// A nil value (no figure) gets rank 0 and does not push others down.
func CompetitionRank(values []*big.Rat, higherIsBetter bool) []int {
	ranks, _ := Ranks(values, higherIsBetter)
	return ranks
}

// Ranks is CompetitionRank with, for each value, whether it shares its rank ("并列").
// It sorts once rather than comparing every pair: a province ranks over a hundred units
// on thirty indicators, and rational comparisons are not cheap.
func Ranks(values []*big.Rat, higherIsBetter bool) (ranks []int, tied []bool) {
	ranks = make([]int, len(values))
	tied = make([]bool, len(values))
	order := make([]int, 0, len(values))
	for i, v := range values {
		if v != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		c := values[b].Cmp(values[a]) // best first
		if !higherIsBetter {
			c = -c
		}
		return c
	})
	for pos, i := range order {
		if pos > 0 && values[i].Cmp(values[order[pos-1]]) == 0 {
			prev := order[pos-1]
			ranks[i], tied[i], tied[prev] = ranks[prev], true, true
			continue
		}
		ranks[i] = pos + 1
	}
	return ranks, tied
}

// RankLabel shows a rank as "第1", or "并列第1" when tied; rank 0 (unranked) shows NoValue.
func RankLabel(rank int, tied bool) string {
	if rank <= 0 {
		return NoValue
	}
	s := "第" + strconv.Itoa(rank)
	if tied {
		s = "并列" + s
	}
	return s
}

// YearOnYear is current ÷ same period last year − 1; ok is false when last year is not
// positive. Published official growth rates are stored as data, not recomputed with this.
func YearOnYear(current, lastYear Dec) (r *big.Rat, ok bool) {
	if lastYear <= 0 {
		return nil, false
	}
	r = new(big.Rat).SetFrac64(int64(current), int64(lastYear))
	return r.Sub(r, big.NewRat(1, 1)), true
}

// MaxPathYears bounds the plans DoublingPath generates.
const MaxPathYears = 100

// DoublingPath proposes the goal for each year 1..years of a plan that multiplies the
// baseline by multiple: geometric (baseline × multiple^(k/years); doubling in three years
// is ×1.2599, ×1.5874, ×2) or linear (baseline × (1 + (multiple−1)·k/years); ×1.3333,
// ×1.6667, ×2). Goals are rounded half-up to four decimals; the geometric one is the exact
// rounding of the irrational value, not of a float approximation. It returns nil when
// years is outside 1..MaxPathYears, when a geometric multiple is not positive, or when a
// goal is out of range. Plans store each year's goal; this is only a generator.
func DoublingPath(baseline Dec, years int, multiple Dec, geometric bool) []Dec {
	if years < 1 || years > MaxPathYears || geometric && multiple <= 0 {
		return nil
	}
	path := make([]Dec, years)
	for k := 1; k <= years; k++ {
		var ok bool
		if geometric {
			path[k-1], ok = geometricGoal(baseline, multiple, k, years)
		} else {
			f := new(big.Rat).Sub(multiple.Rat(), big.NewRat(1, 1))
			f.Mul(f, big.NewRat(int64(k), int64(years)))
			f.Add(f, big.NewRat(1, 1))
			path[k-1], ok = DecFromRat(f.Mul(f, baseline.Rat()))
		}
		if !ok {
			return nil
		}
	}
	return path
}

// geometricGoal rounds baseline × multiple^(k/n) half away from zero to four decimals.
// A high-precision estimate picks the candidate; exact integer powers then confirm it,
// so a value that lands on (or next to) a half is rounded correctly.
func geometricGoal(baseline, multiple Dec, k, n int) (Dec, bool) {
	if baseline == 0 {
		return 0, true
	}
	const prec = 256
	b := new(big.Int).SetUint64(baseline.mag())
	m := big.NewInt(int64(multiple))

	// v = |baseline| × 10⁴ × multiple^(k/n); h = round(v).
	root := nthRoot(new(big.Float).SetPrec(prec).SetRat(multiple.Rat()), n, prec)
	v := powFloat(root, k)
	v.Mul(v, new(big.Float).SetPrec(prec).SetInt(b))
	v.Add(v, big.NewFloat(0.5))
	h, _ := v.Int(nil)

	// h is right when (h−½)ⁿ ≤ vⁿ < (h+½)ⁿ, that is, in integers,
	// (2h−1)ⁿ·10^(4k) ≤ 2ⁿ·|baseline units|ⁿ·multiple units^k < (2h+1)ⁿ·10^(4k).
	rhs := new(big.Int).Exp(new(big.Int).Lsh(b, 1), big.NewInt(int64(n)), nil)
	rhs.Mul(rhs, new(big.Int).Exp(m, big.NewInt(int64(k)), nil))
	scale := pow10(DecPlaces * k)
	bound := func(odd int64) *big.Int { // (2h+odd)ⁿ·10^(4k)
		x := new(big.Int).Lsh(h, 1)
		x.Add(x, big.NewInt(odd))
		x.Exp(x, big.NewInt(int64(n)), nil)
		return x.Mul(x, scale)
	}
	for {
		if h.Sign() > 0 && bound(-1).Cmp(rhs) > 0 {
			h.Sub(h, big.NewInt(1))
			continue
		}
		if bound(1).Cmp(rhs) <= 0 {
			h.Add(h, big.NewInt(1))
			continue
		}
		break
	}
	if !h.IsInt64() {
		return 0, false
	}
	if baseline < 0 {
		return Dec(-h.Int64()), true
	}
	return Dec(h.Int64()), true
}

// nthRoot solves xⁿ = a (a > 0) by Newton's method from a float64 estimate.
func nthRoot(a *big.Float, n int, prec uint) *big.Float {
	if n == 1 {
		return a
	}
	f, _ := a.Float64()
	x := new(big.Float).SetPrec(prec).SetFloat64(math.Pow(f, 1/float64(n)))
	nf := new(big.Float).SetPrec(prec).SetInt64(int64(n))
	n1 := new(big.Float).SetPrec(prec).SetInt64(int64(n - 1))
	for range 8 { // quadratic convergence: 53 bits → well past prec
		t := new(big.Float).SetPrec(prec).Quo(a, powFloat(x, n-1))
		t.Add(t, new(big.Float).SetPrec(prec).Mul(n1, x))
		x = t.Quo(t, nf)
	}
	return x
}

func powFloat(x *big.Float, k int) *big.Float {
	r := new(big.Float).SetPrec(x.Prec()).SetInt64(1)
	b := new(big.Float).Copy(x)
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r.Mul(r, b)
		}
		b.Mul(b, b)
	}
	return r
}

// Reconcile reports whether a computed value reproduces a published figure: the value,
// rounded half-up to decimals places, equals the figure. decimals < 0 takes the figure's
// own number of decimals ("63" has 0, "68.9" has 1). A figure ending in "%" is compared
// with the value as a percentage (0.6875 against "68.9%"). A figure that is not a number
// never matches, so it gets flagged too.
func Reconcile(computed *big.Rat, published string, decimals int) (matches bool) {
	if computed == nil {
		return false
	}
	p := strings.TrimSpace(published)
	if s, ok := strings.CutSuffix(p, "%"); ok {
		p, computed = s, new(big.Rat).Mul(computed, hundred)
	} else if s, ok := strings.CutSuffix(p, "％"); ok {
		p, computed = s, new(big.Rat).Mul(computed, hundred)
	}
	want, err := ParseDec(p)
	if err != nil {
		return false
	}
	if decimals < 0 {
		_, frac, _ := strings.Cut(normalizeNumber(strings.TrimSpace(p)), ".")
		decimals = len(frac)
	}
	w := want.Rat()
	w.Mul(w, new(big.Rat).SetInt(pow10(decimals)))
	return w.IsInt() && w.Num().Cmp(roundScaled(computed, decimals)) == 0
}
