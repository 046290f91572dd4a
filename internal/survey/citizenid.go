package survey

// ValidCitizenID reports whether id is a 13-digit Thai citizen ID whose last
// digit is the mod-11 check digit of the first twelve:
// check = (11 - Σ d[i]·(13-i) mod 11) mod 10, for i = 0..11.
func ValidCitizenID(id string) bool {
	if len(id) != 13 {
		return false
	}
	sum := 0
	for i := 0; i < 13; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		if i < 12 {
			sum += int(c-'0') * (13 - i)
		}
	}
	return int(id[12]-'0') == (11-sum%11)%10
}

// allDigits reports whether s is exactly n ASCII digits.
func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
