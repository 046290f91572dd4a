package thai

import "strings"

// Thai digits ๐–๙ are the contiguous code points U+0E50–U+0E59.
const thaiZero = '๐'

// ToThaiDigits returns s with the Arabic digits 0–9 replaced by the Thai digits
// ๐–๙, for official documents and letters that print numbers in Thai script.
// Everything else in s is kept as is.
func ToThaiDigits(s string) string {
	if strings.IndexFunc(s, isASCIIDigit) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isASCIIDigit(r) {
			return r - '0' + thaiZero
		}
		return r
	}, s)
}

// FromThaiDigits returns s with the Thai digits ๐–๙ replaced by 0–9. Forms
// filled in on Thai keyboards mix both kinds; every parser in tambon reads
// numbers through here first.
func FromThaiDigits(s string) string {
	if strings.IndexFunc(s, isThaiDigit) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isThaiDigit(r) {
			return r - thaiZero + '0'
		}
		return r
	}, s)
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
func isThaiDigit(r rune) bool  { return r >= thaiZero && r <= thaiZero+9 }
