package thai

import (
	"unicode"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// idKind names a numeric identifier in both languages, for error messages.
type idKind struct {
	th, en string
	digits int
}

// idDigits strips dashes and white space from s, turns Thai digits into ASCII
// ones and checks that exactly kind.digits digits remain. Errors name the
// first character that is not a digit and its position as typed (counting
// from 1), or the number of digits found.
func idDigits(s string, kind idKind) (string, error) {
	if len(s) == 0 {
		return "", apperr.New(apperr.Invalid, apperr.Tf("ไม่ได้กรอก%[1]s", "the %[2]s is empty", kind.th, kind.en))
	}
	var buf [32]byte
	d := buf[:0]
	n, pos := 0, 0
	for _, r := range s {
		pos++
		switch {
		case isASCIIDigit(r) || isThaiDigit(r):
			if isThaiDigit(r) {
				r = r - thaiZero + '0'
			}
			if n < len(buf) { // past that the length is wrong anyway
				d = append(d, byte(r))
			}
			n++
		case r == '-' || unicode.IsSpace(r):
		default:
			if r == utf8.RuneError {
				r = '\uFFFD'
			}
			return "", apperr.New(apperr.Invalid, apperr.Tf(
				"%[1]sมีอักขระ %[3]q ที่ตำแหน่งที่ %[4]d ซึ่งไม่ใช่ตัวเลข: ใช้ได้เฉพาะตัวเลข ขีด และช่องว่าง",
				"the %[2]s has %[3]q at position %[4]d, which is not a digit: only digits, dashes and spaces are allowed",
				kind.th, kind.en, r, pos))
		}
	}
	if n != kind.digits {
		return "", apperr.New(apperr.Invalid, apperr.Tf(
			"%[1]sต้องมี %[3]d หลัก แต่กรอกมา %[4]d หลัก",
			"the %[2]s must have %[3]d digits, got %[4]d",
			kind.th, kind.en, kind.digits, n))
	}
	return string(d), nil
}
