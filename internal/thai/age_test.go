package thai_test

import (
	"testing"
	"time"

	"tambon/internal/thai"
)

func TestAgeAt(t *testing.T) {
	tests := []struct {
		name       string
		birth, ref time.Time
		want       int
	}{
		{"birthday on the reference date counts", mustDate(t, 2000, time.January, 18), mustDate(t, 2021, time.January, 18), 21},
		{"the day before the birthday", mustDate(t, 2000, time.January, 18), mustDate(t, 2021, time.January, 17), 20},
		{"later in the year", mustDate(t, 2000, time.January, 18), mustDate(t, 2021, time.December, 31), 21},
		{"born on 31 December, asked on 1 January", mustDate(t, 2000, time.December, 31), mustDate(t, 2001, time.January, 1), 0},
		{"newborn on the survey day", mustDate(t, 2021, time.March, 1), mustDate(t, 2021, time.March, 1), 0},
		{"elder aged 60: the old-age indicator threshold", mustDate(t, 1961, time.June, 30), mustDate(t, 2021, time.June, 30), 60},
		{"29 February, leap-year birthday", mustDate(t, 2000, time.February, 29), mustDate(t, 2004, time.February, 29), 4},
		{"29 February, 28 Feb of a common year: not yet", mustDate(t, 2000, time.February, 29), mustDate(t, 2001, time.February, 28), 0},
		{"29 February, 1 March of a common year", mustDate(t, 2000, time.February, 29), mustDate(t, 2001, time.March, 1), 1},
		{"28 February birth in a leap year", mustDate(t, 2003, time.February, 28), mustDate(t, 2004, time.February, 28), 1},
		{"1 March birth on 29 February", mustDate(t, 2003, time.March, 1), mustDate(t, 2004, time.February, 29), 0},
		{"reference before birth is negative", mustDate(t, 2021, time.May, 1), mustDate(t, 2021, time.January, 1), -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.AgeAt(tt.birth, tt.ref); got != tt.want {
				t.Errorf("AgeAt(%s, %s) = %d, want %d", tt.birth.Format(time.DateOnly), tt.ref.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}

// Age must rise by exactly one on each birthday and never otherwise.
func TestAgeAtRisesOncePerYear(t *testing.T) {
	birth := mustDate(t, 1996, time.February, 29)
	prev := thai.AgeAt(birth, birth)
	rises := 0
	for d := birth.AddDate(0, 0, 1); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		age := thai.AgeAt(birth, d)
		switch age - prev {
		case 0:
		case 1:
			rises++
			if !(d.Month() == time.February && d.Day() == 29) && !(d.Month() == time.March && d.Day() == 1) {
				t.Fatalf("age rose on %s", d.Format(time.DateOnly))
			}
		default:
			t.Fatalf("age went from %d to %d on %s", prev, age, d.Format(time.DateOnly))
		}
		prev = age
	}
	if rises != 29 || prev != 29 {
		t.Errorf("born 1996-02-29: %d rises to age %d by the end of 2025, want 29", rises, prev)
	}
}
