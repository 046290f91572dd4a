package tpmap

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// maxExact is the largest integer a float64 holds exactly. R writes a whole
// number in scientific form when that is shorter (100000 as "1e+05"); such a
// cell is read exactly as long as it stays below this bound.
const maxExact = 1 << 53

// parseCount reads a count cell. It returns a reason when the cell is not a
// whole number ≥ 0.
func parseCount(s string) (int64, *apperr.Text) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, reason("จำนวนติดลบไม่ได้", "a count cannot be negative")
		}
		return n, nil
	}
	if why := blank(s); why != nil {
		return 0, why
	}
	if strings.ContainsAny(s, "eE") {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= maxExact {
			if f < 0 {
				return 0, reason("จำนวนติดลบไม่ได้", "a count cannot be negative")
			}
			return int64(f), nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return 0, reason("ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม", "must be a whole number, without decimals")
	}
	return 0, reason("ไม่ใช่ตัวเลข", "is not a number")
}

// parseFloat reads a decimal cell (happiness, the poverty rate), which must
// be a finite number within [0, max].
func parseFloat(s string, max float64) (float64, *apperr.Text) {
	if why := blank(s); why != nil {
		return 0, why
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, reason("ไม่ใช่ตัวเลข", "is not a number")
	}
	if f < 0 || f > max {
		t := apperr.Tf("ต้องอยู่ระหว่าง 0 ถึง %g", "must be between 0 and %g", max)
		return 0, &t
	}
	return f, nil
}

// blank explains an empty or missing cell, or returns nil.
func blank(s string) *apperr.Text {
	switch strings.TrimSpace(s) {
	case "":
		return reason("ช่องว่าง ไม่มีค่า", "the cell is empty")
	case "NA", "NaN":
		return reason("ไม่มีค่า (NA)", "the value is missing (NA)")
	}
	return nil
}

func reason(th, en string) *apperr.Text {
	t := apperr.T(th, en)
	return &t
}

// clip shortens a cell for a message, keeping whole UTF-8 characters, so
// that one enormous bad cell cannot flood a report.
func clip(s string) string {
	const max = 60
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// isDigits reports whether s is made only of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// checkCode explains why id is not a well-formed area id of the given number
// of digits, or returns nil. It checks form only: whether the area exists is
// File.Validate's question.
func checkCode(id string, digits int) *apperr.Text {
	th, en := "", ""
	switch {
	case id == "":
		return reason("ไม่มีรหัสพื้นที่", "the area id is empty")
	case !isDigits(id):
		th, en = "รหัสพื้นที่ต้องเป็นตัวเลขเท่านั้น", "an area id must be digits only"
	case len(id) != digits:
		t := apperr.Tf("รหัสพื้นที่ต้องมี %d หลัก แต่มี %d หลัก", "the area id must have %d digits, not %d", digits, len(id))
		return &t
	case id[:2] < "10":
		th, en = "รหัสจังหวัด (2 หลักแรก) ต้องอยู่ระหว่าง 10 ถึง 99", "the province code (first 2 digits) must be 10 to 99"
	case digits >= 4 && id[2:4] == "00":
		th, en = "รหัสอำเภอ (หลักที่ 3-4) เป็น 00 ไม่ได้", "the amphoe part (digits 3-4) cannot be 00"
	case digits >= 6 && id[4:6] == "00":
		th, en = "รหัสตำบล (หลักที่ 5-6) เป็น 00 ไม่ได้", "the tambon part (digits 5-6) cannot be 00"
	default:
		return nil
	}
	return reason(th, en)
}
