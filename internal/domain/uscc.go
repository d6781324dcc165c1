package domain

import "strings"

// usccChars is the GB 32100-2015 character set: digits and capitals without I, O, S, V, Z.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC trims and upper-cases a unified social credit code as people type it.
func NormalizeUSCC(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidUSCC reports whether s (already normalised) is an 18-character unified social
// credit code whose last character is the GB 32100-2015 check character.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := usccCheck(s[:17])
	return ok && s[17] == c
}

// usccCheck computes the check character of a code's first 17 characters.
func usccCheck(body string) (byte, bool) {
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], true
}

// CompleteUSCC appends the check character to 17 valid characters, for generated
// demo and test data; it returns "" when body cannot start a code.
func CompleteUSCC(body string) string {
	if len(body) != 17 {
		return ""
	}
	c, ok := usccCheck(body)
	if !ok {
		return ""
	}
	return body + string(c)
}
