package thai

import (
	"math"
	"strconv"
)

// FormatInt writes n with a comma between thousands, 38,000, as Thai reports
// and forms print amounts and counts.
func FormatInt(n int64) string {
	return string(group(strconv.AppendInt(make([]byte, 0, 27), n, 10)))
}

// FormatFloat writes x rounded to decimals places (0 or more) with a comma
// between thousands and a dot before the decimals, 31,250.50. A value that
// rounds to zero is written without a minus sign. NaN and infinities are
// written as strconv does ("NaN", "+Inf", "-Inf") so that a bad figure is
// visible rather than hidden.
func FormatFloat(x float64, decimals int) string {
	if decimals < 0 {
		decimals = 0
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b := strconv.AppendFloat(make([]byte, 0, 32), x, 'f', decimals, 64)
	if b[0] == '-' && allZero(b[1:]) {
		b = b[1:]
	}
	return string(group(b))
}

// FormatPercent writes a percentage with two decimals and a % sign:
// FormatPercent(12.345) is "12.35%" (rounded half to even on the binary value,
// as strconv does). x is already in percent (ร้อยละ), not a fraction: callers
// compute 100*passed/eligible so that the scale is visible where the figure is
// made.
func FormatPercent(x float64) string { return FormatFloat(x, 2) + "%" }

// FormatPercentNumber writes a percentage like FormatPercent but without the
// sign, for Thai text that says "ร้อยละ 12.35" and for table columns headed
// "(%)".
func FormatPercentNumber(x float64) string { return FormatFloat(x, 2) }

// group inserts thousands separators into the integer part of a formatted
// number b ("-1234567.5" → "-1,234,567.5"). It reuses b's array when it can.
func group(b []byte) []byte {
	start := 0
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		start = 1
	}
	end := start
	for end < len(b) && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	digits := end - start
	if digits <= 3 {
		return b
	}
	commas := (digits - 1) / 3
	out := make([]byte, len(b)+commas)
	copy(out, b[:start])
	o := start
	for i := start; i < end; i++ {
		out[o] = b[i]
		o++
		if rest := end - i - 1; rest > 0 && rest%3 == 0 {
			out[o] = ','
			o++
		}
	}
	copy(out[o:], b[end:])
	return out
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}
