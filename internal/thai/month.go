package thai

import (
	"strings"
	"time"
)

var monthNames = [13]string{"",
	"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}

var monthAbbrs = [13]string{"",
	"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
	"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}

// MonthName returns the full Thai name of m (มกราคม … ธันวาคม), or "" when m
// is not a month.
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthNames[m]
}

// MonthAbbr returns the abbreviated Thai name of m (ม.ค. … ธ.ค.), the form
// used in tables and short dates, or "" when m is not a month.
func MonthAbbr(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthAbbrs[m]
}

// monthIndex maps a month word, with dots and spaces removed and lower-cased,
// to its month. It is filled once and only read afterwards.
var monthIndex = func() map[string]time.Month {
	idx := make(map[string]time.Month, 60)
	for m := time.January; m <= time.December; m++ {
		en := m.String()
		for _, w := range []string{monthNames[m], monthAbbrs[m], en, en[:3]} {
			idx[monthKey(w)] = m
		}
	}
	idx["sept"] = time.September
	return idx
}()

func monthKey(s string) string {
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

// ParseMonth reads a month written in Thai, full (มกราคม) or abbreviated with
// or without dots (ม.ค., มค), or in English (January, Jan, case-insensitive).
// Importers use it for a separate "month" column.
func ParseMonth(s string) (time.Month, bool) {
	m, ok := monthIndex[monthKey(strings.TrimSpace(s))]
	return m, ok
}
