package domain

import "testing"

func TestValidUSCC(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"914403001922038216", true},
		{"914403001922038217", false}, // last character changed
		{"91440300192203821", false},  // too short
		{"9144030019220382160", false},
		{"91440300192203821I", false}, // I is not in the set
		{"914403001922038216 ", false},
		{"", false},
		{"91350100M000100Y43", true},
	} {
		if got := ValidUSCC(tc.in); got != tc.want {
			t.Errorf("ValidUSCC(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if NormalizeUSCC(" 914403001922038216\t") != "914403001922038216" {
		t.Error("normalise")
	}
}

func FuzzValidUSCC(f *testing.F) {
	f.Add("914403001922038216")
	f.Add("91350100M000100Y43")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidUSCC(s) {
			return
		}
		// A valid code has exactly one check character: any other last character fails.
		for i := 0; i < len(usccChars); i++ {
			c := usccChars[i]
			if c != s[17] && ValidUSCC(s[:17]+string(c)) {
				t.Fatalf("%q and last %q both valid", s, c)
			}
		}
	})
}
