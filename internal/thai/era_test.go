package thai_test

import (
	"testing"
	"time"

	"tambon/internal/thai"
)

func TestBEAndCE(t *testing.T) {
	tests := []struct {
		name   string
		ce, be int
	}{
		{"2021 is the year of survey round 2564", 2021, 2564},
		{"the 2560-2564 indicator set starts in 2017", 2017, 2560},
		{"the modern calendar starts 1 January 1941", 1941, 2484},
		{"year zero maps to the offset", 0, 543},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.BE(tt.ce); got != tt.be {
				t.Errorf("BE(%d) = %d, want %d", tt.ce, got, tt.be)
			}
			if got := thai.CE(tt.be); got != tt.ce {
				t.Errorf("CE(%d) = %d, want %d", tt.be, got, tt.ce)
			}
		})
	}
}

func TestBangkokIsUTCPlus7(t *testing.T) {
	utc := mustDate(t, 2021, time.January, 18).Add(8 * time.Hour)
	local := utc.In(thai.Bangkok())
	if h := local.Hour(); h != 15 {
		t.Errorf("08:00 UTC in Bangkok is %02d:00, want 15:00", h)
	}
}
