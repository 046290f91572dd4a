package thai_test

import (
	"testing"

	"tambon/internal/thai"
)

func TestValidHouseCode(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "70050123456", "70050123456"},
		{"formatted", "7005-012345-6", "70050123456"},
		{"as entered in the survey: office code and the rest", "7005 0123456", "70050123456"},
		{"Thai digits", "๗๐๐๕-๐๑๒๓๔๕-๖", "70050123456"},
		{"a municipal registration office", "3099-000001-0", "30990000010"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := thai.ValidHouseCode(tt.in); err != nil {
				t.Errorf("ValidHouseCode(%q) = %v, want nil", tt.in, err)
			}
			if got, err := thai.NormalizeHouseCode(tt.in); err != nil || got != tt.want {
				t.Errorf("NormalizeHouseCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidHouseCodeRejects(t *testing.T) {
	tests := []struct{ name, in, th, en string }{
		{"empty", "", "ไม่ได้กรอกรหัสประจำบ้าน", "house code is empty"},
		{"a citizen ID in the house-code column", "1103702488992", "ต้องมี 11 หลัก แต่กรอกมา 13 หลัก", "must have 11 digits, got 13"},
		{"10 digits (leading zero lost in a spreadsheet?)", "7005012345", "กรอกมา 10 หลัก", "got 10"},
		{"a house number instead of the code", "31/1", "อักขระ '/' ที่ตำแหน่งที่ 3", "'/' at position 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustInvalid(t, thai.ValidHouseCode(tt.in), tt.th, tt.en)
		})
	}
}

func TestFormatAndMaskHouseCode(t *testing.T) {
	tests := []struct{ name, in, formatted, masked string }{
		{"plain", "70050123456", "7005-012345-6", "7005-xxxxxx-x"},
		{"spaced", "7005 0123456", "7005-012345-6", "7005-xxxxxx-x"},
		{"malformed is left as typed and fully masked", "7005-0123", "7005-0123", "xxxx-xxxxxx-x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatHouseCode(tt.in); got != tt.formatted {
				t.Errorf("FormatHouseCode(%q) = %q, want %q", tt.in, got, tt.formatted)
			}
			if got := thai.MaskHouseCode(tt.in); got != tt.masked {
				t.Errorf("MaskHouseCode(%q) = %q, want %q", tt.in, got, tt.masked)
			}
		})
	}
}
