package thai

import (
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
)

// Era names the calendar a year was written in.
type Era string

// The two eras found in Thai data.
const (
	EraBE Era = "BE" // Buddhist Era, พ.ศ.
	EraCE Era = "CE" // Common Era, ค.ศ.
)

// The plausible years. A year at or above BEThreshold with no era named is
// read as BE: no CE date tambon handles is that far in the future, and no BE
// date is that far in the past. The CE range is exactly the BE range shifted,
// so every accepted date can be shown in either era.
const (
	BEThreshold = 2400                   // written years ≥ this are BE unless the text says ค.ศ.
	MinYearCE   = BEThreshold - BEOffset // 1857: older dates are typing errors in survey data
	MaxYearCE   = 2200                   // later dates are typing errors too
)

// ParsedDate is a date read by ParseDateEra, with the era its year was read
// in, so that importers can tell the user how an ambiguous year was taken.
type ParsedDate struct {
	Time time.Time // midnight UTC of the date
	Era  Era       // the era the written year was read in
	// Inferred is true when Era was decided from the year's size (≥ 2400 → BE)
	// rather than stated by the text (พ.ศ./ค.ศ.) or fixed by the ISO layout.
	Inferred bool
}

// maxDateLen bounds the input so that a pasted paragraph is refused at once.
const maxDateLen = 80

// ParseDate reads a date as Thai users write it and returns midnight UTC of
// that date. See ParseDateEra for the accepted forms; use ParseDateEra when
// the caller must report which era an ambiguous year was read in.
func ParseDate(s string) (time.Time, error) {
	p, err := ParseDateEra(s)
	return p.Time, err
}

// ParseDateEra reads a date in any of the forms found in Thai forms and
// spreadsheets, with Thai or Arabic digits:
//
//	18 ม.ค. 2564, 18 มกราคม 2564, 18 มกราคม พ.ศ. 2564, วันที่ 18 ม.ค. 2564
//	18 Jan 2021, 18 January 2021
//	18/01/2564, 18-01-2564, 18.01.2564, 18/01/2021   (day first, always)
//	2021-01-18 (ISO; a year ≥ 2400 in this layout is read as BE)
//
// Unless the text names the era (พ.ศ. 2564, ค.ศ. 2021, 2021 AD), a year ≥ 2400 is BE
// and a smaller one CE; the result says which was assumed. Two-digit years,
// impossible dates (31 ก.พ.) and years outside พ.ศ. 2400–2743 / ค.ศ. 1857–2200
// are refused with an apperr.Invalid error that says why, in Thai and English.
func ParseDateEra(s string) (ParsedDate, error) {
	if len(s) > maxDateLen {
		return ParsedDate{}, errUnreadable(s)
	}
	in := strings.TrimSpace(FromThaiDigits(s))
	in = strings.TrimSpace(strings.TrimPrefix(in, "วันที่"))
	if in == "" {
		return ParsedDate{}, apperr.New(apperr.Invalid, apperr.T("ไม่ได้กรอกวันที่", "the date is empty"))
	}
	if isNumericDate(in) {
		return parseNumericDate(in, s)
	}
	return parseNamedDate(in, s)
}

func isNumericDate(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '/' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// parseNumericDate reads d/m/y (separator / - or .) and ISO y-m-d.
func parseNumericDate(in, orig string) (ParsedDate, error) {
	k := strings.IndexAny(in, "/-.")
	if k < 0 {
		return ParsedDate{}, errUnreadable(orig)
	}
	parts := strings.Split(in, in[k:k+1])
	if len(parts) != 3 {
		return ParsedDate{}, errUnreadable(orig)
	}
	for _, p := range parts {
		if p == "" || len(p) > 4 || strings.ContainsAny(p, "/-.") {
			return ParsedDate{}, errUnreadable(orig)
		}
	}
	if len(parts[0]) == 4 { // ISO: year first
		if len(parts[1]) > 2 || len(parts[2]) > 2 {
			return ParsedDate{}, errUnreadable(orig)
		}
		y, m, d := atoi(parts[0]), atoi(parts[1]), atoi(parts[2])
		era, inferred := EraCE, false
		if y >= BEThreshold {
			era, inferred = EraBE, true
		}
		return makeDate(y, m, d, era, inferred)
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 {
		return ParsedDate{}, errUnreadable(orig)
	}
	if len(parts[2]) != 4 {
		return ParsedDate{}, errShortYear(parts[2])
	}
	y := atoi(parts[2])
	return makeDate(y, atoi(parts[1]), atoi(parts[0]), eraBySize(y), true)
}

// eraMarkers are the ways a text names its era: before the year (พ.ศ. 2564,
// the Thai habit) or, for the Latin ones, after it too (2021 AD).
var eraMarkers = []struct {
	text  string
	era   Era
	latin bool
}{
	{"พ.ศ.", EraBE, false}, {"พ.ศ", EraBE, false}, {"พศ.", EraBE, false}, {"พศ", EraBE, false},
	{"ค.ศ.", EraCE, false}, {"ค.ศ", EraCE, false}, {"คศ.", EraCE, false}, {"คศ", EraCE, false},
	{"b.e.", EraBE, true}, {"be", EraBE, true},
	{"c.e.", EraCE, true}, {"ce", EraCE, true}, {"a.d.", EraCE, true}, {"ad", EraCE, true},
}

// parseNamedDate reads "day month [era] year" with a Thai or English month.
func parseNamedDate(in, orig string) (ParsedDate, error) {
	era, stated := Era(""), false
	if e, rest, ok := cutTrailingEra(in); ok {
		in, era, stated = rest, e, true
	}
	i := 0
	for i < len(in) && in[i] >= '0' && in[i] <= '9' {
		i++
	}
	j := len(in)
	for j > i && in[j-1] >= '0' && in[j-1] <= '9' {
		j--
	}
	if i == 0 || i > 2 || j == len(in) {
		return ParsedDate{}, errUnreadable(orig)
	}
	if len(in)-j != 4 {
		return ParsedDate{}, errShortYear(in[j:])
	}
	middle := strings.TrimSpace(in[i:j])
	if e, rest, ok := cutTrailingEra(middle); ok {
		if stated {
			return ParsedDate{}, errUnreadable(orig)
		}
		middle, era, stated = rest, e, true
	}
	m, ok := ParseMonth(middle)
	if !ok {
		return ParsedDate{}, errUnreadable(orig)
	}
	y := atoi(in[j:])
	if !stated {
		era = eraBySize(y)
	}
	return makeDate(y, int(m), atoi(in[:i]), era, !stated)
}

// cutTrailingEra removes an era marker from the end of s. Latin markers must
// follow a space so that a month word is never cut.
func cutTrailingEra(s string) (Era, string, bool) {
	for _, mk := range eraMarkers {
		if len(s) < len(mk.text) || !strings.EqualFold(s[len(s)-len(mk.text):], mk.text) {
			continue
		}
		rest := s[:len(s)-len(mk.text)]
		if mk.latin && !strings.HasSuffix(rest, " ") {
			continue
		}
		return mk.era, strings.TrimSpace(rest), true
	}
	return "", s, false
}

func eraBySize(y int) Era {
	if y >= BEThreshold {
		return EraBE
	}
	return EraCE
}

// makeDate checks the year, month and day as written and builds the date.
func makeDate(y, m, d int, era Era, inferred bool) (ParsedDate, error) {
	ce := y
	if era == EraBE {
		ce = CE(y)
	}
	if ce < MinYearCE || ce > MaxYearCE {
		return ParsedDate{}, apperr.New(apperr.Invalid, apperr.Tf(
			"ปี %[1]d (%[2]s) อยู่นอกช่วงที่เป็นไปได้: ใช้ พ.ศ. %[3]d–%[4]d หรือ ค.ศ. %[5]d–%[6]d",
			"year %[1]d (%[2]s) is not plausible: use BE %[3]d–%[4]d or CE %[5]d–%[6]d",
			y, era, BE(MinYearCE), BE(MaxYearCE), MinYearCE, MaxYearCE))
	}
	if m < 1 || m > 12 {
		return ParsedDate{}, apperr.New(apperr.Invalid, apperr.Tf(
			"เดือนต้องอยู่ระหว่าง 1 ถึง 12 แต่กรอกมา %d (วันที่ต้องเขียนแบบ วัน/เดือน/ปี)",
			"the month must be 1 to 12, got %d (dates are written day/month/year)", m))
	}
	month := time.Month(m)
	last := time.Date(ce, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return ParsedDate{}, apperr.New(apperr.Invalid, apperr.Tf(
			"ไม่มีวันที่ %[1]d %[2]s %[3]d: เดือนนี้มี %[6]d วัน",
			"%[1]d %[4]s %[5]d (%[7]s) does not exist: that month has %[6]d days",
			d, monthNames[month], y, month.String(), y, last, era))
	}
	return ParsedDate{Time: time.Date(ce, month, d, 0, 0, 0, 0, time.UTC), Era: era, Inferred: inferred}, nil
}

func errUnreadable(s string) error {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return apperr.New(apperr.Invalid, apperr.Tf(
		"อ่านวันที่ %q ไม่ได้: ใช้รูปแบบ 18 ม.ค. 2564, 18 มกราคม 2564, 18/01/2564 หรือ 2021-01-18",
		"cannot read the date %q: write it like 18 ม.ค. 2564, 18 มกราคม 2564, 18/01/2564 or 2021-01-18", s))
}

func errShortYear(y string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ปี %q ต้องเขียนเต็ม 4 หลัก เช่น 2564 เพื่อไม่ให้สับสนระหว่าง พ.ศ. กับ ค.ศ.",
		"the year %q must have 4 digits, such as 2564, so that BE and CE cannot be confused", y))
}

// atoi converts a string of at most 4 ASCII digits already checked by the
// caller.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
