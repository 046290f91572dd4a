package area_test

import (
	"testing"

	"tambon/internal/area"
)

func TestLevelOf(t *testing.T) {
	tests := []struct {
		name string
		code string
		want area.Level
		ok   bool
	}{
		{"country", "TH", area.Country, true},
		{"province", "70", area.Province, true},
		{"district", "7005", area.District, true},
		{"subdistrict", "700513", area.Subdistrict, true},
		{"village", "70051304", area.Village, true},
		{"empty", "", 0, false},
		{"odd length", "700", 0, false},
		{"seven digits from the dirty village file", "1412801", 0, false},
		{"letters", "501471A0", 0, false},
		{"lower-case country", "th", 0, false},
		{"Thai digits are not a code", "๗๐", 0, false},
		{"ten digits", "7005130401", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := area.LevelOf(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("LevelOf(%q) = %v, %v; want %v, %v", tt.code, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLevelString(t *testing.T) {
	tests := []struct {
		level area.Level
		want  string
	}{
		{area.Country, "country"},
		{area.Province, "province"},
		{area.District, "district"},
		{area.Subdistrict, "subdistrict"},
		{area.Village, "village"},
		{area.Level(9), "level(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.level.String(); got != tt.want {
				t.Errorf("Level(%d).String() = %q, want %q", int(tt.level), got, tt.want)
			}
		})
	}
}
