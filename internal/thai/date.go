package thai

import (
	"strconv"
	"time"
)

// DateStyle selects how FormatDate writes a date.
type DateStyle int

// The date styles. Thai styles show the year in Buddhist Era; the English one
// in Common Era, as English readers expect.
const (
	DateShort     DateStyle = iota // 18 ม.ค. 2564: tables, lists, the default
	DateLong                       // 18 มกราคม 2564: headings, letters, reports
	DateEnglish                    // 18 Jan 2021: the English interface
	DateTimeShort                  // 18 ม.ค. 2564 15:00 น.: timestamps (submitted, edited)
	DateNumeric                    // 18/01/2564: forms and exports, as the จปฐ. questionnaire writes dates
)

// FormatDate writes the date of t in the given style, using t's own wall clock
// (as time.Format does): pass t.In(Bangkok()) to show a stored UTC instant in
// Thai time. An unknown style is written as DateShort so a page never shows
// an empty date.
func FormatDate(t time.Time, style DateStyle) string {
	y, m, d := t.Date()
	b := make([]byte, 0, 40)
	switch style {
	case DateLong:
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ' ')
		b = append(b, monthNames[m]...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(BE(y)), 10)
	case DateEnglish:
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ' ')
		b = append(b, m.String()[:3]...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(y), 10)
	case DateNumeric:
		b = append2(b, d)
		b = append(b, '/')
		b = append2(b, int(m))
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(BE(y)), 10)
	default: // DateShort, DateTimeShort and unknown styles
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, ' ')
		b = append(b, monthAbbrs[m]...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(BE(y)), 10)
		if style == DateTimeShort {
			b = append(b, ' ')
			b = append2(b, t.Hour())
			b = append(b, ':')
			b = append2(b, t.Minute())
			b = append(b, " น."...)
		}
	}
	return string(b)
}

// append2 appends n (0–99) as two digits.
func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
