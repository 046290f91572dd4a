package thai_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/thai"
)

// Valid IDs. The check digits were worked out by hand from the published rule
// (see ValidCitizenID); 1103702488992 is the example on Thai Wikipedia and
// 1234567890121 the usual textbook example (remainder 0 → check digit 1).
func TestValidCitizenID(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "1103702488992", "1103702488992"},
		{"as printed on the card", "1-1037-02488-99-2", "1103702488992"},
		{"with spaces", "1 1037 02488 99 2", "1103702488992"},
		{"in Thai digits", "๑-๑๐๓๗-๐๒๔๘๘-๙๙-๒", "1103702488992"},
		{"remainder 0 gives check digit 1", "1234567890121", "1234567890121"},
		{"remainder 1 gives check digit 0", "0001234567890", "0001234567890"},
		{"category 3", "3100500123458", "3100500123458"},
		{"category 5", "5-7005-00123-40-8", "5700500123408"},
		{"category 8", "8700500012341", "8700500012341"},
		{"category 0: person without registration status", "0-0012-34567-89-0", "0001234567890"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := thai.ValidCitizenID(tt.in); err != nil {
				t.Errorf("ValidCitizenID(%q) = %v, want nil", tt.in, err)
			}
			got, err := thai.NormalizeCitizenID(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizeCitizenID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestValidCitizenIDRejects(t *testing.T) {
	tests := []struct {
		name, in string
		th, en   string
	}{
		{"empty", "", "ไม่ได้กรอกเลขประจำตัวประชาชน", "citizen ID is empty"},
		{"12 digits", "110370248899", "ต้องมี 13 หลัก แต่กรอกมา 12 หลัก", "must have 13 digits, got 12"},
		{"14 digits", "11037024889921", "กรอกมา 14 หลัก", "got 14"},
		{"dashes only", "----", "กรอกมา 0 หลัก", "got 0"},
		{"a letter, position as typed", "1-1037-O2488-99-2", "อักขระ 'O' ที่ตำแหน่งที่ 8", "'O' at position 8"},
		{"a Thai letter", "ก103702488992", "อักขระ 'ก' ที่ตำแหน่งที่ 1", "'ก' at position 1"},
		{"a dot", "1.103702488992", "ตำแหน่งที่ 2", "position 2"},
		{"first digit 9", "9103702488998", "หลักที่ 1 เป็น 9", "digit 1 of the citizen ID is 9"},
		{"last digit wrong", "1103702488993", "หลักที่ 13 (เลขตรวจสอบ)", "digit 13 of the citizen ID (the check digit)"},
		{"a middle digit mistyped", "1103702483992", "หลักที่ 13 (เลขตรวจสอบ)", "does not match the first 12"},
		{"two digits swapped", "1013702488992", "หลักที่ 13", "check digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustInvalid(t, thai.ValidCitizenID(tt.in), tt.th, tt.en)
			if got, err := thai.NormalizeCitizenID(tt.in); err == nil || got != "" {
				t.Errorf("NormalizeCitizenID(%q) = %q, %v; want an error and no ID", tt.in, got, err)
			}
		})
	}
}

// Of the ten possible last digits exactly one makes a valid ID, and it is the
// one the published rule gives, computed here with the weights read right to
// left (2 for digit 12 up to 13 for digit 1).
func TestCitizenIDExactlyOneCheckDigit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		first := strconv.Itoa(1 + r.IntN(8))
		var b strings.Builder
		b.WriteString(first)
		for range 11 {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		prefix := b.String()
		sum := 0
		for w := 2; w <= 13; w++ {
			sum += int(prefix[13-w]-'0') * w
		}
		want := 11 - sum%11
		if want >= 10 {
			want -= 10
		}
		valid := 0
		for c := 0; c <= 9; c++ {
			if thai.ValidCitizenID(prefix+strconv.Itoa(c)) == nil {
				valid++
				if c != want {
					t.Fatalf("%s%d accepted, want check digit %d", prefix, c, want)
				}
			}
		}
		if valid != 1 {
			t.Fatalf("%s: %d check digits accepted, want exactly 1", prefix, valid)
		}
	}
}

func TestFormatAndMaskCitizenID(t *testing.T) {
	tests := []struct {
		name, in, formatted, masked string
	}{
		{"plain", "1103702488992", "1-1037-02488-99-2", "1-1037-xxxxx-xx-2"},
		{"already formatted", "1-1037-02488-99-2", "1-1037-02488-99-2", "1-1037-xxxxx-xx-2"},
		{"Thai digits", "๑๑๐๓๗๐๒๔๘๘๙๙๒", "1-1037-02488-99-2", "1-1037-xxxxx-xx-2"},
		{"a wrong check digit is still shown for correction", "1103702488993", "1-1037-02488-99-3", "1-1037-xxxxx-xx-3"},
		{"too short is left as typed and fully masked", "11037", "11037", "x-xxxx-xxxxx-xx-x"},
		{"letters are left as typed and fully masked", "1103702488abc", "1103702488abc", "x-xxxx-xxxxx-xx-x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.FormatCitizenID(tt.in); got != tt.formatted {
				t.Errorf("FormatCitizenID(%q) = %q, want %q", tt.in, got, tt.formatted)
			}
			if got := thai.MaskCitizenID(tt.in); got != tt.masked {
				t.Errorf("MaskCitizenID(%q) = %q, want %q", tt.in, got, tt.masked)
			}
		})
	}
}

func BenchmarkValidCitizenID(b *testing.B) {
	for b.Loop() {
		if err := thai.ValidCitizenID("1-1037-02488-99-2"); err != nil {
			b.Fatal(err)
		}
	}
}
