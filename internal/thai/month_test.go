package thai_test

import (
	"testing"
	"time"

	"tambon/internal/thai"
)

func TestMonthNames(t *testing.T) {
	full := []string{"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
		"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}
	abbr := []string{"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
		"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}
	for i := range full {
		m := time.Month(i + 1)
		t.Run(m.String(), func(t *testing.T) {
			if got := thai.MonthName(m); got != full[i] {
				t.Errorf("MonthName(%v) = %q, want %q", m, got, full[i])
			}
			if got := thai.MonthAbbr(m); got != abbr[i] {
				t.Errorf("MonthAbbr(%v) = %q, want %q", m, got, abbr[i])
			}
			for _, s := range []string{full[i], abbr[i], m.String()} {
				if got, ok := thai.ParseMonth(s); !ok || got != m {
					t.Errorf("ParseMonth(%q) = %v, %v; want %v", s, got, ok, m)
				}
			}
		})
	}
}

func TestMonthNameOutOfRange(t *testing.T) {
	for _, m := range []time.Month{0, 13, -1} {
		if got := thai.MonthName(m); got != "" {
			t.Errorf("MonthName(%d) = %q, want empty", m, got)
		}
		if got := thai.MonthAbbr(m); got != "" {
			t.Errorf("MonthAbbr(%d) = %q, want empty", m, got)
		}
	}
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Month
		ok   bool
	}{
		{"abbreviation without dots", "มค", time.January, true},
		{"abbreviation with stray spaces", " ก.พ. ", time.February, true},
		{"English short, any case", "SEP", time.September, true},
		{"English four-letter September", "Sept", time.September, true},
		{"English full", "december", time.December, true},
		{"a province is not a month", "ขอนแก่น", 0, false},
		{"empty", "", 0, false},
		{"dots only", "..", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := thai.ParseMonth(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseMonth(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
