package area

import (
	"strings"
	"unicode"
)

// nameFix records which repairs cleanName made, so the report can count them.
type nameFix struct {
	spaces   bool // leading, trailing, doubled or non-breaking spaces collapsed
	asterisk bool // a '*' marker removed
}

// cleanName tidies a name from a source file. It collapses every run of
// white space, including U+00A0 NO-BREAK SPACE pasted from spreadsheets, to
// one ASCII space, and removes '*' markers: both files use '*' as a footnote
// mark ("*Suwannakarm", "ตั้งใหม่*"), never as part of a name.
func cleanName(s string) (string, nameFix) {
	var fix nameFix
	if isClean(s) {
		return s, fix
	}
	if t := strings.Join(strings.Fields(s), " "); t != s {
		fix.spaces = true
		s = t
	}
	if strings.Contains(s, "*") {
		fix.asterisk = true
		s = strings.Join(strings.Fields(strings.ReplaceAll(s, "*", "")), " ")
	}
	return s, fix
}

// isClean reports whether s needs no repair: no '*', and white space only as
// single ASCII spaces between words. Almost every name is clean, and this
// check costs no allocation.
func isClean(s string) bool {
	prevSpace := true // a space at the start is not clean
	for _, r := range s {
		switch {
		case r == '*':
			return false
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case unicode.IsSpace(r):
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}
