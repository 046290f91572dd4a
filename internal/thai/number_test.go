package thai_test

import (
	"math"
	"testing"

	"tambon/internal/thai"
)

func TestFormatInt(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{"zero", 0, "0"},
		{"three digits need no comma", 999, "999"},
		{"four digits", 1000, "1,000"},
		{"the income threshold", 38000, "38,000"},
		{"households in the country", 12942574, "12,942,574"},
		{"negative", -1234567, "-1,234,567"},
		{"negative without a comma", -999, "-999"},
		{"largest", math.MaxInt64, "9,223,372,036,854,775,807"},
		{"smallest", math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatInt(tt.n); got != tt.want {
				t.Errorf("FormatInt(%d) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		name     string
		x        float64
		decimals int
		want     string
	}{
		{"baht and satang", 31250.5, 2, "31,250.50"},
		{"rounds", 1234.567, 2, "1,234.57"},
		{"no decimals", 38000.4, 0, "38,000"},
		{"negative decimals mean none", 38000.4, -2, "38,000"},
		{"small", 0.5, 2, "0.50"},
		{"negative", -1234567.891, 1, "-1,234,567.9"},
		{"a tiny negative shows no minus", -0.001, 2, "0.00"},
		{"a tiny negative with no decimals", -0.4, 0, "0"},
		{"a real negative below one", -0.5, 2, "-0.50"},
		{"NaN stays visible", math.NaN(), 2, "NaN"},
		{"infinity stays visible", math.Inf(1), 2, "+Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatFloat(tt.x, tt.decimals); got != tt.want {
				t.Errorf("FormatFloat(%v, %d) = %q, want %q", tt.x, tt.decimals, got, tt.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		name         string
		x            float64
		sign, number string
	}{
		{"two decimals", 12.3456, "12.35%", "12.35"},
		{"whole", 100, "100.00%", "100.00"},
		{"zero", 0, "0.00%", "0.00"},
		{"a percent above a thousand gets a comma", 1234.5, "1,234.50%", "1,234.50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatPercent(tt.x); got != tt.sign {
				t.Errorf("FormatPercent(%v) = %q, want %q", tt.x, got, tt.sign)
			}
			if got := thai.FormatPercentNumber(tt.x); got != tt.number {
				t.Errorf("FormatPercentNumber(%v) = %q, want %q", tt.x, got, tt.number)
			}
		})
	}
}
