package area_test

import (
	"testing"

	"tambon/internal/area"
)

func TestTitles(t *testing.T) {
	tests := []struct {
		name    string
		a       area.Area
		wantTH  string
		wantEN  string
		bangkok bool
	}{
		{"country", area.Area{Code: "TH", Level: area.Country, NameTH: "ประเทศไทย", NameEN: "Thailand"}, "ประเทศไทย", "Thailand", false},
		{"province", area.Area{Code: "70", Level: area.Province, NameTH: "ราชบุรี", NameEN: "Ratchaburi"}, "จังหวัดราชบุรี", "Ratchaburi Province", false},
		{"Bangkok has no จังหวัด", area.Area{Code: "10", Level: area.Province, NameTH: "กรุงเทพมหานคร", NameEN: "Bangkok"}, "กรุงเทพมหานคร", "Bangkok", true},
		{"amphoe", area.Area{Code: "7005", Level: area.District, NameTH: "บ้านโป่ง", NameEN: "Ban Pong"}, "อำเภอบ้านโป่ง", "Ban Pong District", false},
		{"khet", area.Area{Code: "1004", Level: area.District, NameTH: "บางรัก", NameEN: "Bang Rak"}, "เขตบางรัก", "Bang Rak District", true},
		{"tambon", area.Area{Code: "700513", Level: area.Subdistrict, NameTH: "เขาขลุง", NameEN: "Khao Khlung"}, "ตำบลเขาขลุง", "Khao Khlung Subdistrict", false},
		{"khwaeng", area.Area{Code: "100404", Level: area.Subdistrict, NameTH: "บางรัก", NameEN: "Bang Rak"}, "แขวงบางรัก", "Bang Rak Subdistrict", true},
		{"village gets บ้าน", area.Area{Code: "70051304", Level: area.Village, NameTH: "หนองไม้เฝ้า", Moo: 4}, "หมู่ 4 บ้านหนองไม้เฝ้า", "Moo 4 (หนองไม้เฝ้า)", false},
		{"village already บ้าน", area.Area{Code: "19010101", Level: area.Village, NameTH: "บ้านคลองบางหลวง", Moo: 1}, "หมู่ 1 บ้านคลองบางหลวง", "Moo 1 (บ้านคลองบางหลวง)", false},
		{"community keeps ชุมชน", area.Area{Code: "20100401", Level: area.Village, NameTH: "ชุมชนบ้านคลองมือไทร1", Moo: 1}, "หมู่ 1 ชุมชนบ้านคลองมือไทร1", "Moo 1 (ชุมชนบ้านคลองมือไทร1)", false},
		{"housing estate keeps หมู่บ้าน", area.Area{Code: "12010203", Level: area.Village, NameTH: "หมู่บ้านเจ้าคุณ", Moo: 3}, "หมู่ 3 หมู่บ้านเจ้าคุณ", "Moo 3 (หมู่บ้านเจ้าคุณ)", false},
		{"village named หมู่… is a place name", area.Area{Code: "12010203", Level: area.Village, NameTH: "หมู่ใหญ่", Moo: 3}, "หมู่ 3 บ้านหมู่ใหญ่", "Moo 3 (หมู่ใหญ่)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.TitleTH(); got != tt.wantTH {
				t.Errorf("TitleTH() = %q, want %q", got, tt.wantTH)
			}
			if got := tt.a.TitleEN(); got != tt.wantEN {
				t.Errorf("TitleEN() = %q, want %q", got, tt.wantEN)
			}
			if got := tt.a.InBangkok(); got != tt.bangkok {
				t.Errorf("InBangkok() = %v, want %v", got, tt.bangkok)
			}
		})
	}
}
