package thai_test

import (
	"testing"
	"time"

	"tambon/internal/thai"
)

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want int
	}{
		{"1 October starts the next fiscal year", mustDate(t, 2020, time.October, 1), 2564},
		{"30 September ends the fiscal year", mustDate(t, 2021, time.September, 30), 2564},
		{"the day before 1 October", mustDate(t, 2020, time.September, 30), 2563},
		{"mid-year", mustDate(t, 2021, time.January, 18), 2564},
		{"31 December belongs to the next year's budget", mustDate(t, 2021, time.December, 31), 2565},
		{"last minute of 30 September, Thai time", time.Date(2021, time.September, 30, 23, 59, 0, 0, thai.Bangkok()), 2564},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FiscalYear(tt.t); got != tt.want {
				t.Errorf("FiscalYear(%v) = %d, want %d", tt.t, got, tt.want)
			}
		})
	}
}

func TestFiscalYearReadsTheGivenLocation(t *testing.T) {
	// 30 September 20:00 UTC is already 1 October in Thailand.
	utc := time.Date(2021, time.September, 30, 20, 0, 0, 0, time.UTC)
	if got := thai.FiscalYear(utc); got != 2564 {
		t.Errorf("in UTC: FiscalYear = %d, want 2564", got)
	}
	if got := thai.FiscalYear(utc.In(thai.Bangkok())); got != 2565 {
		t.Errorf("in Bangkok: FiscalYear = %d, want 2565", got)
	}
}

func TestFiscalYearRange(t *testing.T) {
	tests := []struct {
		name       string
		be         int
		start, end time.Time
	}{
		{"2564", 2564, mustDate(t, 2020, time.October, 1), mustDate(t, 2021, time.September, 30)},
		{"2567 spans the 2024 leap day", 2567, mustDate(t, 2023, time.October, 1), mustDate(t, 2024, time.September, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := thai.FiscalYearRange(tt.be)
			if !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("FiscalYearRange(%d) = %v, %v; want %v, %v", tt.be, start, end, tt.start, tt.end)
			}
		})
	}
}

// The range and FiscalYear must agree at both edges for every year.
func TestFiscalYearRangeAgreesWithFiscalYear(t *testing.T) {
	for be := 2500; be <= 2600; be++ {
		start, end := thai.FiscalYearRange(be)
		if got := thai.FiscalYear(start); got != be {
			t.Fatalf("FiscalYear(start of %d) = %d", be, got)
		}
		if got := thai.FiscalYear(end); got != be {
			t.Fatalf("FiscalYear(end of %d) = %d", be, got)
		}
		if got := thai.FiscalYear(start.AddDate(0, 0, -1)); got != be-1 {
			t.Fatalf("FiscalYear(day before %d) = %d", be, got)
		}
		if got := thai.FiscalYear(end.AddDate(0, 0, 1)); got != be+1 {
			t.Fatalf("FiscalYear(day after %d) = %d", be, got)
		}
	}
}
