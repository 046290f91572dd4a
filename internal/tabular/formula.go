package tabular

import "strings"

// A spreadsheet opening a CSV file runs any cell that starts with =, +, - or
// @ as a formula (and Excel also after a leading tab or carriage return), so
// a household's name such as =cmd|' /C calc'!A0 would run a program on the
// official's laptop: CSV or formula injection. The OWASP rule is to write
// such a text cell behind a single quote, which makes it text. XLSX needs
// none of this: a string cell there is never a formula.

// formulaStart reports whether a spreadsheet could read s as a formula.
func formulaStart(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return !plainNumber(s)
	}
	return false
}

// plainNumber reports whether s is an ordinary decimal such as -12 or
// +3.25: a spreadsheet reads it as a number, never as a formula, so it is
// written as it is (a negative coordinate kept as text stays a number in
// Excel).
func plainNumber(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// SafeCSVText is how a text cell goes into a CSV file: behind a single quote
// when a spreadsheet could read it as a formula, else unchanged. Text that
// already starts with quotes before such a character gets one more, so that
// reading it back (Open removes exactly one) always returns the original.
func SafeCSVText(s string) string {
	if formulaStart(strings.TrimLeft(s, "'")) {
		return "'" + s
	}
	return s
}

// unquoteCSVText undoes SafeCSVText for a cell read from a CSV file.
func unquoteCSVText(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaStart(strings.TrimLeft(s, "'")) {
		return s[1:]
	}
	return s
}
