package domain

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestParseDec(t *testing.T) {
	tests := []struct {
		in   string
		want Dec
		msg  string // part of the error message; empty when parsing succeeds
	}{
		{"123", 1230000, ""},
		{"-1.5", -15000, ""},
		{"+1.5", 15000, ""},
		{"1,234.5678", 12345678, ""},
		{"1,234,567", 12345670000, ""},
		{" 12.30 ", 123000, ""},
		{"\t12.30\n", 123000, ""},
		{"　12　", 120000, ""}, // ideographic spaces
		{"１２３", 1230000, ""},
		{"－１２．５", -125000, ""},
		{"１，２３４．５", 12345000, ""},
		{"−3", -30000, ""}, // U+2212 minus sign
		{"0", 0, ""},
		{"-0", 0, ""},
		{"-0.0000", 0, ""},
		{"007", 70000, ""},
		{".5", 5000, ""},
		{"5.", 50000, ""},
		{"0.0001", 1, ""},
		{"-0.0001", -1, ""},
		{"1.50000000", 15000, ""},
		{"922337203685477.5807", MaxDec, ""},
		{"-922337203685477.5807", MinDec, ""},
		{"922,337,203,685,477.5807", MaxDec, ""},

		{"", 0, "数字不能为空"},
		{"   ", 0, "数字不能为空"},
		{"1.23456", 0, "小数位数不能超过4位"},
		{"0.00001", 0, "小数位数不能超过4位"},
		{"922337203685477.5808", 0, "超出范围"},
		{"-922337203685477.5808", 0, "超出范围"},
		{"99999999999999999999", 0, "超出范围"},
		{"1e5", 0, "不是有效的数字：1e5"},
		{"1E5", 0, "不是有效的数字"},
		{"NaN", 0, "不是有效的数字"},
		{"Inf", 0, "不是有效的数字"},
		{"-", 0, "不是有效的数字"},
		{"+", 0, "不是有效的数字"},
		{".", 0, "不是有效的数字"},
		{"-.", 0, "不是有效的数字"},
		{"--1", 0, "不是有效的数字"},
		{"+-1", 0, "不是有效的数字"},
		{"1.2.3", 0, "不是有效的数字"},
		{"1 234", 0, "不是有效的数字"},
		{"0x10", 0, "不是有效的数字"},
		{"1_000", 0, "不是有效的数字"},
		{"12元", 0, "不是有效的数字"},
		{"12%", 0, "不是有效的数字"},
		{"1.2,3", 0, "不是有效的数字"},
		{"1,23", 0, "千分位逗号位置不正确"},
		{"1234,567", 0, "千分位逗号位置不正确"},
		{",123", 0, "千分位逗号位置不正确"},
		{"1,,234", 0, "千分位逗号位置不正确"},
		{"1,234,", 0, "千分位逗号位置不正确"},
	}
	for _, tt := range tests {
		got, err := ParseDec(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseDec(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseDec(%q) = %d, want error %q", tt.in, got, tt.msg)
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.msg) {
			t.Errorf("ParseDec(%q) error = %v, want EINVALID containing %q", tt.in, err, tt.msg)
		}
	}
}

func TestParseDecClipsLongInput(t *testing.T) {
	_, err := ParseDec(strings.Repeat("x", 100))
	if msg := ErrorMessage(err); !strings.HasSuffix(msg, "…") || len([]rune(msg)) > 50 {
		t.Errorf("message = %q, want the input clipped", msg)
	}
}

func TestDecString(t *testing.T) {
	tests := []struct {
		d    Dec
		want string
	}{
		{0, "0"},
		{1230000, "123"},
		{123000, "12.3"},
		{-5000, "-0.5"},
		{1000000, "100"},
		{1, "0.0001"},
		{-1, "-0.0001"},
		{12345678, "1234.5678"},
		{10100, "1.01"},
		{MaxDec, "922337203685477.5807"},
		{MinDec, "-922337203685477.5807"},
		{math.MinInt64, "-922337203685477.5808"}, // out of range, but must not panic
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("Dec(%d).String() = %q, want %q", int64(tt.d), got, tt.want)
		}
	}
}

func TestDecFormat(t *testing.T) {
	tests := []struct {
		in       string
		decimals int
		want     string
	}{
		{"2.5", 0, "3"},
		{"-2.5", 0, "-3"},
		{"2.4999", 0, "2"},
		{"-2.4999", 0, "-2"},
		{"3.5", 0, "4"},
		{"0.05", 1, "0.1"},
		{"-0.05", 1, "-0.1"},
		{"0.0499", 1, "0.0"},
		{"-0.0499", 1, "0.0"}, // rounds to zero: no sign
		{"-0.4", 0, "0"},
		{"1.2345", 3, "1.235"},
		{"1.2344", 3, "1.234"},
		{"12.3", 2, "12.30"},
		{"12.3", 4, "12.3000"},
		{"12.3", 6, "12.300000"},
		{"12.3", -1, "12"},
		{"1234567.891", 2, "1234567.89"}, // no thousands separators
		{"9.9999", 2, "10.00"},
		{"-9.9999", 0, "-10"},
		{"0", 2, "0.00"},
		{"922337203685477.5807", 0, "922337203685478"},
		{"-922337203685477.5807", 2, "-922337203685477.58"},
	}
	for _, tt := range tests {
		d := mustDec(t, tt.in)
		if got := d.Format(tt.decimals); got != tt.want {
			t.Errorf("%s.Format(%d) = %q, want %q", tt.in, tt.decimals, got, tt.want)
		}
	}
	if got := Dec(math.MinInt64).Format(0); got != "-922337203685478" {
		t.Errorf("MinInt64.Format(0) = %q", got)
	}
}

func TestDecRat(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"12.3", "123/10"},
		{"-0.5", "-1/2"},
		{"0", "0/1"},
		{"0.0001", "1/10000"},
	}
	for _, tt := range tests {
		if got := mustDec(t, tt.in).Rat().String(); got != tt.want {
			t.Errorf("%s.Rat() = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDecFromInt(t *testing.T) {
	if got := DecFromInt(12); got != 120000 {
		t.Errorf("DecFromInt(12) = %d", got)
	}
	if got := DecFromInt(-3); got.String() != "-3" {
		t.Errorf("DecFromInt(-3) = %s", got)
	}
	if got := DecFromInt(922337203685477); got.String() != "922337203685477" {
		t.Errorf("DecFromInt(max) = %s", got)
	}
	for _, n := range []int64{922337203685478, -922337203685478, math.MaxInt64} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("DecFromInt(%d) did not panic", n)
				}
			}()
			DecFromInt(n)
		}()
	}
}

func TestDecFromRat(t *testing.T) {
	tests := []struct {
		num, den int64
		want     string
		ok       bool
	}{
		{1, 3, "0.3333", true},
		{2, 3, "0.6667", true},
		{-2, 3, "-0.6667", true},
		{1, 20000, "0.0001", true}, // 0.00005 half-up
		{-1, 20000, "-0.0001", true},
		{1, 20001, "0", true},
		{922337203685477, 1, "922337203685477", true},
		{math.MaxInt64, 1, "", false},
	}
	for _, tt := range tests {
		got, ok := DecFromRat(big.NewRat(tt.num, tt.den))
		if ok != tt.ok || ok && got.String() != tt.want {
			t.Errorf("DecFromRat(%d/%d) = %s, %v; want %s, %v", tt.num, tt.den, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := DecFromRat(nil); ok {
		t.Error("DecFromRat(nil) ok")
	}
}

func TestDecArithmetic(t *testing.T) {
	tests := []struct {
		a, b          Dec
		sum, diff     Dec
		sumOK, diffOK bool
	}{
		{15000, 25000, 40000, -10000, true, true},
		{-15000, 5000, -10000, -20000, true, true},
		{MaxDec, 1, 0, MaxDec - 1, false, true},
		{MaxDec, -1, MaxDec - 1, 0, true, false},
		{MinDec, -1, 0, MinDec + 1, false, true},
		{MinDec, 1, MinDec + 1, 0, true, false},
		{MaxDec, MaxDec, 0, 0, false, true},
		{MinDec, MaxDec, 0, 0, true, false},
		{0, MinDec, MinDec, MaxDec, true, true},
	}
	for _, tt := range tests {
		s, ok := tt.a.AddChecked(tt.b)
		if ok != tt.sumOK || ok && s != tt.sum {
			t.Errorf("%s + %s = %s, %v; want %s, %v", tt.a, tt.b, s, ok, tt.sum, tt.sumOK)
		}
		d, ok := tt.a.SubChecked(tt.b)
		if ok != tt.diffOK || ok && d != tt.diff {
			t.Errorf("%s - %s = %s, %v; want %s, %v", tt.a, tt.b, d, ok, tt.diff, tt.diffOK)
		}
	}
	if got := Dec(15000).Add(25000).Sub(5000); got.String() != "3.5" {
		t.Errorf("1.5 + 2.5 - 0.5 = %s", got)
	}
	for name, f := range map[string]func(){
		"Add": func() { MaxDec.Add(1) },
		"Sub": func() { MinDec.Sub(1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s overflow did not panic", name)
				}
			}()
			f()
		}()
	}
	if Dec(-5).Sign() != -1 || Dec(0).Sign() != 0 || Dec(5).Sign() != 1 {
		t.Error("Sign")
	}
	if Dec(1).Cmp(2) != -1 || Dec(2).Cmp(2) != 0 || Dec(3).Cmp(2) != 1 {
		t.Error("Cmp")
	}
	if MinDec.Neg() != MaxDec {
		t.Error("Neg")
	}
}

func TestDecJSON(t *testing.T) {
	type row struct {
		Amount Dec  `json:"amount"`
		Opt    *Dec `json:"opt,omitempty"`
	}
	marshal := []struct {
		d    Dec
		want string
	}{
		{123000, `{"amount":12.3}`},
		{-5000, `{"amount":-0.5}`},
		{0, `{"amount":0}`},
		{1000000, `{"amount":100}`},
		{MaxDec, `{"amount":922337203685477.5807}`},
	}
	for _, tt := range marshal {
		b, err := json.Marshal(row{Amount: tt.d})
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%s) = %s, %v; want %s", tt.d, b, err, tt.want)
		}
	}

	unmarshal := []struct {
		in   string
		want Dec
		ok   bool
	}{
		{`{"amount":12.3}`, 123000, true},
		{`{"amount":-0.5}`, -5000, true},
		{`{"amount":100}`, 1000000, true},
		{`{"amount":12.30000}`, 123000, true},
		{`{"amount":"12.3"}`, 123000, true},
		{`{"amount":"1,234.5"}`, 12345000, true},
		{`{"amount":" 7 "}`, 70000, true},
		{`{"amount":"\uff11\uff12"}`, 120000, true}, // full-width "１２"
		{`{"amount":null}`, 0, true},
		{`{"amount":1.23456}`, 0, false},
		{`{"amount":1e5}`, 0, false},
		{`{"amount":"1e5"}`, 0, false},
		{`{"amount":""}`, 0, false},
		{`{"amount":"abc"}`, 0, false},
		{`{"amount":true}`, 0, false},
		{`{"amount":[1]}`, 0, false},
		{`{"amount":99999999999999999999}`, 0, false},
	}
	for _, tt := range unmarshal {
		var r row
		err := json.Unmarshal([]byte(tt.in), &r)
		if (err == nil) != tt.ok || tt.ok && r.Amount != tt.want {
			t.Errorf("Unmarshal(%s) = %s, %v; want %s, ok=%v", tt.in, r.Amount, err, tt.want, tt.ok)
		}
	}

	var r row
	if err := json.Unmarshal([]byte(`{"amount":1,"opt":2.5}`), &r); err != nil || r.Opt == nil || *r.Opt != 25000 {
		t.Errorf("pointer field: %v, %v", r.Opt, err)
	}
	if err := json.Unmarshal([]byte(`{"amount":1,"opt":"bad"}`), &r); ErrorCode(err) != EINVALID {
		t.Errorf("bad string error = %v, want EINVALID", err)
	}
}

func TestDecSQL(t *testing.T) {
	tests := []struct {
		src  any
		want Dec
		ok   bool
	}{
		{"12.3", 123000, true},
		{"12.3000", 123000, true}, // PostgreSQL numeric(18,4)
		{[]byte("-0.5"), -5000, true},
		{int64(42), 420000, true},
		{int64(-7), -70000, true},
		{float64(12.3), 123000, true},
		{float64(-0.0001), -1, true},
		{float64(1e10), 100000000000000, true},
		{float64(0), 0, true},
		{"922337203685477.5807", MaxDec, true},

		{math.Nextafter(0.3, 1), 0, false}, // 0.30000000000000004, what 0.1 + 0.2 gives at run time
		{float64(1.23456), 0, false},
		{math.NaN(), 0, false},
		{math.Inf(1), 0, false},
		{float64(1e20), 0, false},
		{int64(922337203685478), 0, false},
		{int64(math.MinInt64), 0, false},
		{"abc", 0, false},
		{[]byte("1e5"), 0, false},
		{nil, 0, false},
		{true, 0, false},
	}
	for _, tt := range tests {
		d := Dec(-99)
		err := d.Scan(tt.src)
		if (err == nil) != tt.ok || tt.ok && d != tt.want {
			t.Errorf("Scan(%#v) = %s, %v; want %s, ok=%v", tt.src, d, err, tt.want, tt.ok)
		}
		if !tt.ok && d != -99 {
			t.Errorf("Scan(%#v) changed the value on error", tt.src)
		}
	}

	for _, s := range []string{"0", "12.3", "-0.5", "1234567.8901", "922337203685477.5807"} {
		d := mustDec(t, s)
		v, err := d.Value()
		if err != nil || v != s {
			t.Errorf("%s.Value() = %#v, %v", s, v, err)
		}
		var back Dec
		if err := back.Scan(v); err != nil || back != d {
			t.Errorf("round trip %s = %s, %v", s, back, err)
		}
	}

	var _ driver.Valuer = Dec(0)
	var _ sql.Scanner = (*Dec)(nil)
	var n sql.Null[Dec]
	if err := n.Scan(nil); err != nil || n.Valid {
		t.Errorf("Null[Dec].Scan(nil) = %v, %v", n, err)
	}
	if err := n.Scan("2.5"); err != nil || !n.Valid || n.V != 25000 {
		t.Errorf("Null[Dec].Scan(2.5) = %v, %v", n, err)
	}
	if v, err := n.Value(); err != nil || v != "2.5" {
		t.Errorf("Null[Dec].Value() = %#v, %v", v, err)
	}
}

func FuzzParseDec(f *testing.F) {
	for _, s := range []string{
		"123", "-1.5", "1,234.5678", " 12.30 ", "１２３", "1e5", "NaN", "", "1.23450",
		"922337203685477.5807", "-922337203685477.5808", ".5", "5.", "-0", "1,23", "－１．５",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDec(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseDec(%q) error %v is not EINVALID", s, err)
			}
			return
		}
		str := d.String()
		back, err := ParseDec(str)
		if err != nil || back != d {
			t.Fatalf("ParseDec(%q) = %d; String %q parses to %d, %v", s, int64(d), str, int64(back), err)
		}
		if d < MinDec {
			t.Fatalf("ParseDec(%q) = %d is below MinDec", s, int64(d))
		}
		if four, err := ParseDec(d.Format(4)); err != nil || four != d {
			t.Fatalf("Format(4) of %q = %q does not parse back", s, d.Format(4))
		}
		b, _ := d.MarshalJSON()
		var j Dec
		if err := json.Unmarshal(b, &j); err != nil || j != d {
			t.Fatalf("JSON round trip of %q via %s = %d, %v", s, b, int64(j), err)
		}
	})
}

func mustDec(t *testing.T, s string) Dec {
	t.Helper()
	d, err := ParseDec(s)
	if err != nil {
		t.Fatalf("ParseDec(%q): %v", s, err)
	}
	return d
}
