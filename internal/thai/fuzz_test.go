package thai_test

import (
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/thai"
)

// FuzzParseDate checks that no input panics, that every error is an
// invalid-input error a user can read, and that every accepted date is
// plausible and reads back the same after formatting.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"18 ม.ค. 2564", "18 มกราคม 2564", "๑๘ ม.ค. ๒๕๖๔", "18/01/2564", "2021-01-18",
		"18/01/2021", "31 ก.พ. 2564", "29/02/2563", "18 มกราคม พ.ศ. 2564", "18 Jan 2021 AD",
		"วันที่ 1 ต.ค. 2563", "18/01/64", "0/0/0", "2564-13-01", "", " ", "พ.ศ.", "1 ม.ค. พ.ศ. 2021",
		"99999999999", "1/1/1/1", "18 ad 2564", "\xff\xfe", "18.01.2564",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := thai.ParseDateEra(s)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ParseDateEra(%q): error code %s, want invalid", s, apperr.CodeOf(err))
			}
			if m := apperr.MessageOf(err); m.TH == "" || m.EN == "" {
				t.Fatalf("ParseDateEra(%q): message not bilingual: %+v", s, m)
			}
			return
		}
		if y := p.Time.Year(); y < thai.MinYearCE || y > thai.MaxYearCE {
			t.Fatalf("ParseDateEra(%q) accepted year %d", s, y)
		}
		if p.Time.Location() != time.UTC || p.Time.Hour() != 0 || p.Time.Minute() != 0 {
			t.Fatalf("ParseDateEra(%q) = %v, want midnight UTC", s, p.Time)
		}
		if p.Era != thai.EraBE && p.Era != thai.EraCE {
			t.Fatalf("ParseDateEra(%q): era %q", s, p.Era)
		}
		for _, st := range []thai.DateStyle{thai.DateShort, thai.DateLong, thai.DateEnglish, thai.DateNumeric} {
			again, err := thai.ParseDate(thai.FormatDate(p.Time, st))
			if err != nil || !again.Equal(p.Time) {
				t.Fatalf("%q → %v → style %d does not read back: %v, %v", s, p.Time, st, again, err)
			}
		}
	})
}

// FuzzValidCitizenID checks that no input panics and that validation,
// normalisation, formatting and masking agree with each other.
func FuzzValidCitizenID(f *testing.F) {
	for _, s := range []string{
		"1103702488992", "1-1037-02488-99-2", "๑๑๐๓๗๐๒๔๘๘๙๙๒", "1103702488993", "9103702488998",
		"0001234567890", "", "-", "110370248899", "11037024889921", "1-1037-O2488-99-2", "\xff", "ก",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := thai.ValidCitizenID(s)
		norm, nerr := thai.NormalizeCitizenID(s)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("ValidCitizenID and NormalizeCitizenID disagree on %q: %v / %v", s, err, nerr)
		}
		masked := thai.MaskCitizenID(s)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ValidCitizenID(%q): code %s, want invalid", s, apperr.CodeOf(err))
			}
			return
		}
		if len(norm) != 13 || strings.Trim(norm, "0123456789") != "" || norm[0] == '9' {
			t.Fatalf("NormalizeCitizenID(%q) = %q", s, norm)
		}
		formatted := thai.FormatCitizenID(s)
		if again, err := thai.NormalizeCitizenID(formatted); err != nil || again != norm {
			t.Fatalf("FormatCitizenID(%q) = %q does not validate back: %v", s, formatted, err)
		}
		if strings.ReplaceAll(formatted, "-", "") != norm {
			t.Fatalf("FormatCitizenID(%q) = %q changes the digits", s, formatted)
		}
		// Only the category, the office and the check digit may show.
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, masked)
		if digits != norm[:5]+norm[12:] || strings.Count(masked, "x") != 7 {
			t.Fatalf("MaskCitizenID(%q) = %q shows the wrong digits", s, masked)
		}
	})
}
