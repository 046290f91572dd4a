package thai_test

import (
	"testing"

	"tambon/internal/thai"
)

func TestThaiDigits(t *testing.T) {
	tests := []struct {
		name, arabic, thai string
	}{
		{"all ten digits", "0123456789", "๐๑๒๓๔๕๖๗๘๙"},
		{"a date keeps its Thai words", "18 ม.ค. 2564", "๑๘ ม.ค. ๒๕๖๔"},
		{"an amount keeps its separators", "38,000.50 บาท", "๓๘,๐๐๐.๕๐ บาท"},
		{"text without digits is unchanged", "ขอนแก่น", "ขอนแก่น"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.ToThaiDigits(tt.arabic); got != tt.thai {
				t.Errorf("ToThaiDigits(%q) = %q, want %q", tt.arabic, got, tt.thai)
			}
			if got := thai.FromThaiDigits(tt.thai); got != tt.arabic {
				t.Errorf("FromThaiDigits(%q) = %q, want %q", tt.thai, got, tt.arabic)
			}
		})
	}
}

func TestFromThaiDigitsMixed(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a form typed half on each keyboard", "๑8/0๑/๒564", "18/01/2564"},
		{"Arabic digits stay", "2564", "2564"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FromThaiDigits(tt.in); got != tt.want {
				t.Errorf("FromThaiDigits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
