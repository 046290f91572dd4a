package thai_test

import (
	"testing"
	"time"

	"tambon/internal/thai"
)

func TestFormatDate(t *testing.T) {
	at := time.Date(2021, time.January, 18, 15, 0, 0, 0, thai.Bangkok())
	tests := []struct {
		name  string
		t     time.Time
		style thai.DateStyle
		want  string
	}{
		{"short", at, thai.DateShort, "18 ม.ค. 2564"},
		{"long", at, thai.DateLong, "18 มกราคม 2564"},
		{"English keeps CE", at, thai.DateEnglish, "18 Jan 2021"},
		{"date and time", at, thai.DateTimeShort, "18 ม.ค. 2564 15:00 น."},
		{"numeric pads day and month", time.Date(2020, time.March, 5, 0, 0, 0, 0, time.UTC), thai.DateNumeric, "05/03/2563"},
		{"single-digit day is not padded in words", time.Date(2020, time.October, 1, 0, 0, 0, 0, time.UTC), thai.DateShort, "1 ต.ค. 2563"},
		{"minutes are padded", time.Date(2021, time.December, 31, 9, 5, 0, 0, time.UTC), thai.DateTimeShort, "31 ธ.ค. 2564 09:05 น."},
		{"unknown style falls back to short", at, thai.DateStyle(99), "18 ม.ค. 2564"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatDate(tt.t, tt.style); got != tt.want {
				t.Errorf("FormatDate(%v, %d) = %q, want %q", tt.t, tt.style, got, tt.want)
			}
		})
	}
}

func TestFormatDateUsesTheWallClockGiven(t *testing.T) {
	utc := time.Date(2021, time.January, 18, 20, 30, 0, 0, time.UTC)
	if got, want := thai.FormatDate(utc, thai.DateTimeShort), "18 ม.ค. 2564 20:30 น."; got != want {
		t.Errorf("in UTC: got %q, want %q", got, want)
	}
	// 20:30 UTC is 03:30 the next morning in Thailand.
	if got, want := thai.FormatDate(utc.In(thai.Bangkok()), thai.DateTimeShort), "19 ม.ค. 2564 03:30 น."; got != want {
		t.Errorf("in Bangkok: got %q, want %q", got, want)
	}
}

func TestParseDate(t *testing.T) {
	jan18 := time.Date(2021, time.January, 18, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		in       string
		want     time.Time
		era      thai.Era
		inferred bool
	}{
		{"short Thai", "18 ม.ค. 2564", jan18, thai.EraBE, true},
		{"long Thai", "18 มกราคม 2564", jan18, thai.EraBE, true},
		{"Thai digits", "๑๘ ม.ค. ๒๕๖๔", jan18, thai.EraBE, true},
		{"no space before the year", "18 ม.ค.2564", jan18, thai.EraBE, true},
		{"abbreviation without dots", "18 มค 2564", jan18, thai.EraBE, true},
		{"era named", "18 มกราคม พ.ศ. 2564", jan18, thai.EraBE, false},
		{"era named, no space", "18 ม.ค. พ.ศ.2564", jan18, thai.EraBE, false},
		{"leading วันที่", "วันที่ 18 มกราคม 2564", jan18, thai.EraBE, true},
		{"Thai month with a CE year", "18 ม.ค. 2021", jan18, thai.EraCE, true},
		{"ค.ศ. named", "18 ม.ค. ค.ศ. 2021", jan18, thai.EraCE, false},
		{"English", "18 Jan 2021", jan18, thai.EraCE, true},
		{"English full month, AD after", "18 January 2021 AD", jan18, thai.EraCE, false},
		{"numeric BE", "18/01/2564", jan18, thai.EraBE, true},
		{"numeric CE", "18/01/2021", jan18, thai.EraCE, true},
		{"numeric without padding", "18/1/2564", jan18, thai.EraBE, true},
		{"numeric with dashes", "18-01-2564", jan18, thai.EraBE, true},
		{"numeric with dots", "18.01.2564", jan18, thai.EraBE, true},
		{"numeric in Thai digits", "๑๘/๐๑/๒๕๖๔", jan18, thai.EraBE, true},
		{"ISO", "2021-01-18", jan18, thai.EraCE, false},
		{"ISO layout with a BE year", "2564-01-18", jan18, thai.EraBE, true},
		{"ISO layout at the BE threshold", "2400-01-01", time.Date(1857, time.January, 1, 0, 0, 0, 0, time.UTC), thai.EraBE, true},
		{"ISO layout just below the threshold is CE", "2200-01-01", time.Date(2200, time.January, 1, 0, 0, 0, 0, time.UTC), thai.EraCE, false},
		{"surrounding spaces", "  18/01/2564 ", jan18, thai.EraBE, true},
		{"29 February in a leap year", "29 ก.พ. 2563", time.Date(2020, time.February, 29, 0, 0, 0, 0, time.UTC), thai.EraBE, true},
		{"lowest BE year", "1/1/2400", time.Date(1857, time.January, 1, 0, 0, 0, 0, time.UTC), thai.EraBE, true},
		{"highest CE year", "31/12/2200", time.Date(2200, time.December, 31, 0, 0, 0, 0, time.UTC), thai.EraCE, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := thai.ParseDateEra(tt.in)
			if err != nil {
				t.Fatalf("ParseDateEra(%q): %v", tt.in, err)
			}
			if !p.Time.Equal(tt.want) || p.Time.Location() != time.UTC {
				t.Errorf("ParseDateEra(%q).Time = %v, want %v", tt.in, p.Time, tt.want)
			}
			if p.Era != tt.era || p.Inferred != tt.inferred {
				t.Errorf("ParseDateEra(%q) era = %s inferred=%v, want %s inferred=%v", tt.in, p.Era, p.Inferred, tt.era, tt.inferred)
			}
			got, err := thai.ParseDate(tt.in)
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	tests := []struct {
		name, in string
		th, en   string // fragments the two messages must contain
	}{
		{"31 February", "31 ก.พ. 2564", "ไม่มีวันที่ 31 กุมภาพันธ์ 2564", "31 February 2564 (BE) does not exist"},
		{"29 February in a common year", "29/02/2564", "เดือนนี้มี 28 วัน", "has 28 days"},
		{"31 April, ISO", "2021-04-31", "ไม่มีวันที่ 31 เมษายน 2021", "has 30 days"},
		{"day zero", "0/01/2564", "ไม่มีวันที่ 0", "does not exist"},
		{"month 13 (month first by mistake)", "01/13/2564", "เดือนต้องอยู่ระหว่าง 1 ถึง 12", "month must be 1 to 12"},
		{"a two-digit year", "18/01/64", "4 หลัก", "must have 4 digits"},
		{"a two-digit year in words", "18 ม.ค. 64", "4 หลัก", "must have 4 digits"},
		{"a year too old", "18/01/1700", "นอกช่วงที่เป็นไปได้", "not plausible"},
		{"a CE year in the future", "18/01/2300", "นอกช่วงที่เป็นไปได้", "not plausible"},
		{"a BE year too far ahead", "18/01/2800", "พ.ศ. 2400–2743", "BE 2400–2743"},
		{"พ.ศ. with a CE-sized year", "18 ม.ค. พ.ศ. 2021", "ปี 2021 (BE)", "year 2021 (BE)"},
		{"an unknown month", "18 ขอนแก่น 2564", "อ่านวันที่", "cannot read the date"},
		{"free text", "เมื่อวาน", "อ่านวันที่", "cannot read the date"},
		{"mixed separators", "18/01-2564", "อ่านวันที่", "cannot read the date"},
		{"digits only", "18012564", "อ่านวันที่", "cannot read the date"},
		{"four parts", "18/01/25/64", "อ่านวันที่", "cannot read the date"},
		{"empty", "  ", "ไม่ได้กรอกวันที่", "empty"},
		{"a pasted paragraph", "18 มกราคม 2564 " + string(make([]byte, 100)), "อ่านวันที่", "cannot read the date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := thai.ParseDate(tt.in)
			mustInvalid(t, err, tt.th, tt.en)
			if !got.IsZero() {
				t.Errorf("ParseDate(%q) returned %v with its error, want the zero time", tt.in, got)
			}
		})
	}
}

// Every date tambon can show must read back as the same date, in every style
// that has a year, and in Thai digits too.
func TestFormatThenParseRoundTrips(t *testing.T) {
	styles := []thai.DateStyle{thai.DateShort, thai.DateLong, thai.DateEnglish, thai.DateNumeric}
	start := time.Date(2019, time.January, 1, 0, 0, 0, 0, time.UTC) // covers the 2020 leap day
	for d := start; d.Year() < 2022; d = d.AddDate(0, 0, 1) {
		for _, st := range styles {
			for _, s := range []string{thai.FormatDate(d, st), thai.ToThaiDigits(thai.FormatDate(d, st))} {
				got, err := thai.ParseDate(s)
				if err != nil || !got.Equal(d) {
					t.Fatalf("ParseDate(%q) = %v, %v; want %v", s, got, err, d)
				}
			}
		}
	}
}

func BenchmarkParseDate(b *testing.B) {
	for b.Loop() {
		if _, err := thai.ParseDate("18/01/2564"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatDate(b *testing.B) {
	d := time.Date(2021, time.January, 18, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		_ = thai.FormatDate(d, thai.DateShort)
	}
}
