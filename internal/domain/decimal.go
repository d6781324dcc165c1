package domain

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dec is an exact decimal with four fractional digits, held as the value × 10⁴. Every
// stored quantity and money amount is a Dec, so sums and comparisons are exact; floats
// never carry them. The range is symmetric (MinDec = −MaxDec) so that negation cannot
// overflow.
type Dec int64

const (
	// DecPlaces is the number of fractional digits a Dec keeps.
	DecPlaces = 4
	decScale  = 10000

	MaxDec Dec = math.MaxInt64  // 922337203685477.5807
	MinDec Dec = -math.MaxInt64 // −922337203685477.5807
)

// ParseDec reads a decimal as people type it: surrounding spaces are trimmed, full-width
// digits and signs are normalised, thousands commas are allowed where they belong
// ("1,234.5"). More than four decimals are refused unless the extra digits are zeros;
// exponents, NaN and out-of-range values are refused. Errors are EINVALID with a message
// for the user.
func ParseDec(s string) (Dec, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, Errorf(EINVALID, "数字不能为空")
	}
	t := normalizeNumber(in)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	if intPart == "" && frac == "" || !onlyDigits(frac) {
		return 0, errNotNumber(in)
	}
	if strings.Contains(intPart, ",") {
		var ok bool
		if intPart, ok = ungroup(intPart); !ok {
			return 0, Errorf(EINVALID, "千分位逗号位置不正确：%s", clip(in))
		}
	}
	if !onlyDigits(intPart) {
		return 0, errNotNumber(in)
	}
	if len(frac) > DecPlaces {
		if strings.Trim(frac[DecPlaces:], "0") != "" {
			return 0, Errorf(EINVALID, "小数位数不能超过%d位：%s", DecPlaces, clip(in))
		}
		frac = frac[:DecPlaces]
	}
	frac += strings.Repeat("0", DecPlaces-len(frac))

	var mag uint64
	for _, c := range []byte(intPart + frac) {
		d := uint64(c - '0')
		if mag > (math.MaxInt64-d)/10 {
			return 0, Errorf(EINVALID, "数字超出范围：%s", clip(in))
		}
		mag = mag*10 + d
	}
	if neg {
		return Dec(-int64(mag)), nil
	}
	return Dec(mag), nil
}

// normalizeNumber maps the full-width characters a Chinese input method produces to
// their ASCII forms.
func normalizeNumber(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．':
			return '.'
		case r == '，':
			return ','
		case r == '－', r == '−':
			return '-'
		case r == '＋':
			return '+'
		}
		return r
	}, s)
}

func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ungroup removes thousands commas, accepting them only between groups of three digits.
func ungroup(s string) (string, bool) {
	groups := strings.Split(s, ",")
	if n := len(groups[0]); n < 1 || n > 3 {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func errNotNumber(in string) *Error {
	return Errorf(EINVALID, "不是有效的数字：%s", clip(in))
}

// clip shortens what a user typed before it is echoed in a message.
func clip(s string) string {
	const limit = 32
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// DecFromInt returns n as a Dec. It panics when n is beyond ±922,337,203,685: it is meant
// for counts and constants, not for user input (use ParseDec).
func DecFromInt(n int64) Dec {
	if n > int64(MaxDec)/decScale || n < int64(MinDec)/decScale {
		panic(fmt.Sprintf("domain: DecFromInt(%d) out of range", n))
	}
	return Dec(n * decScale)
}

// DecFromRat rounds r half-up (away from zero) to four decimals. ok is false when r is
// nil or the result is out of range.
func DecFromRat(r *big.Rat) (d Dec, ok bool) {
	if r == nil {
		return 0, false
	}
	q := roundScaled(r, DecPlaces)
	if !q.IsInt64() || q.Int64() < int64(MinDec) {
		return 0, false
	}
	return Dec(q.Int64()), true
}

// mag is |d|; it is exact even for the out-of-range math.MinInt64.
func (d Dec) mag() uint64 {
	if d < 0 {
		return -uint64(d)
	}
	return uint64(d)
}

// String is the minimal form: no trailing zeros, no thousands separators ("12.3",
// "-0.5", "100").
func (d Dec) String() string {
	m := d.mag()
	s := strconv.FormatUint(m/decScale, 10)
	if f := m % decScale; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	if d < 0 {
		s = "-" + s
	}
	return s
}

// Format rounds half-up (away from zero) to the given number of decimals and always shows
// that many, without thousands separators: Dec 2.5 → "3", −2.5 → "-3", 12.3 → "12.30" at
// two. A value that rounds to zero shows no sign.
func (d Dec) Format(decimals int) string {
	decimals = max(decimals, 0)
	q, places := d.mag(), DecPlaces
	if decimals < DecPlaces {
		unit := uint64(math.Pow10(DecPlaces - decimals))
		q, places = q/unit, decimals
		if 2*(d.mag()%unit) >= unit {
			q++
		}
	}
	s := formatScaled(new(big.Int).SetUint64(q), places) + strings.Repeat("0", decimals-places)
	if d < 0 && q != 0 {
		s = "-" + s
	}
	return s
}

// Rat returns d as an exact rational.
func (d Dec) Rat() *big.Rat {
	return new(big.Rat).SetFrac64(int64(d), decScale)
}

// Sign returns −1, 0 or +1.
func (d Dec) Sign() int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}

// Cmp compares d and e: −1 when d < e, 0 when equal, +1 when d > e.
func (d Dec) Cmp(e Dec) int {
	switch {
	case d < e:
		return -1
	case d > e:
		return 1
	}
	return 0
}

// Neg returns −d.
func (d Dec) Neg() Dec { return -d }

// AddChecked returns d + e; ok is false when the sum leaves the Dec range.
func (d Dec) AddChecked(e Dec) (sum Dec, ok bool) {
	s := d + e
	if (e > 0 && s < d) || (e < 0 && s > d) || s < MinDec || s > MaxDec {
		return 0, false
	}
	return s, true
}

// SubChecked returns d − e; ok is false when the difference leaves the Dec range.
func (d Dec) SubChecked(e Dec) (diff Dec, ok bool) {
	s := d - e
	if (e > 0 && s > d) || (e < 0 && s < d) || s < MinDec || s > MaxDec {
		return 0, false
	}
	return s, true
}

// Add returns d + e and panics on overflow. Amounts typed by users are far inside the
// range; use AddChecked where operands are not bounded.
func (d Dec) Add(e Dec) Dec {
	s, ok := d.AddChecked(e)
	if !ok {
		panic(fmt.Sprintf("domain: Dec overflow in %s + %s", d, e))
	}
	return s
}

// Sub returns d − e and panics on overflow; see Add.
func (d Dec) Sub(e Dec) Dec {
	s, ok := d.SubChecked(e)
	if !ok {
		panic(fmt.Sprintf("domain: Dec overflow in %s - %s", d, e))
	}
	return s
}

// MarshalJSON writes a JSON number in minimal form (12.3), never a float.
func (d Dec) MarshalJSON() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalJSON accepts a JSON number or a numeric string (read by ParseDec). Numbers in
// exponent form are refused like in ParseDec; null leaves d unchanged.
func (d *Dec) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
	}
	v, err := ParseDec(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores d as TEXT in minimal form, which SQLite and PostgreSQL both keep exactly.
func (d Dec) Value() (driver.Value, error) {
	return d.String(), nil
}

// Scan reads a Dec from TEXT (string or []byte), an integer, or a float64 that holds a
// value with at most four decimals exactly (a REAL column written by other tools). NULL is
// an error; scan nullable columns into sql.Null[Dec].
func (d *Dec) Scan(src any) error {
	var (
		v   Dec
		err error
	)
	switch x := src.(type) {
	case string:
		v, err = ParseDec(x)
	case []byte:
		v, err = ParseDec(string(x))
	case int64:
		if x > int64(MaxDec)/decScale || x < int64(MinDec)/decScale {
			return fmt.Errorf("scan Dec: integer %d out of range", x)
		}
		v = Dec(x * decScale)
	case float64:
		v, err = ParseDec(strconv.FormatFloat(x, 'f', -1, 64))
		if err == nil {
			if back, _ := strconv.ParseFloat(v.String(), 64); back != x {
				err = fmt.Errorf("%s does not round-trip", v)
			}
		}
		if err != nil {
			return fmt.Errorf("scan Dec: float %v is not exact at %d decimals: %w", x, DecPlaces, err)
		}
	case nil:
		return fmt.Errorf("scan Dec: NULL")
	default:
		return fmt.Errorf("scan Dec: unsupported type %T", src)
	}
	if err != nil {
		return fmt.Errorf("scan Dec: %w", err)
	}
	*d = v
	return nil
}

// roundScaled returns r × 10^decimals rounded half away from zero to an integer.
func roundScaled(r *big.Rat, decimals int) *big.Int {
	num := new(big.Int).Abs(r.Num())
	num.Mul(num, pow10(decimals))
	q, rem := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	if rem.Lsh(rem, 1).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// formatScaled writes the integer q as a decimal with the given number of places
// ("-1234", 2 → "-12.34").
func formatScaled(q *big.Int, places int) string {
	digits := new(big.Int).Abs(q).String()
	if places > 0 {
		if len(digits) <= places {
			digits = strings.Repeat("0", places-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-places] + "." + digits[len(digits)-places:]
	}
	if q.Sign() < 0 {
		digits = "-" + digits
	}
	return digits
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
