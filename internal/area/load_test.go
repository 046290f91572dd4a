package area_test

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
	"testing/fstest"

	"tambon/internal/area"
)

// A small gazetteer in the layout of the embedded files, with the kinds of
// dirt the real files have and some they do not have yet.
const (
	testRegions   = "id,name\r\n1,ภาคเหนือ\r\n4,ภาคตะวันตก\r\n"
	testProvinces = "id,name_th,name_en,geography_id,created_at,updated_at,deleted_at\r\n" +
		"55,ราชบุรี,Ratchaburi,4,,,\r\n" +
		"99,จังหวัดเก่า,Old,4,,,2020-01-01\r\n"
	testDistricts = "id,name_th,name_en,province_id,created_at,updated_at,deleted_at\r\n" +
		"7005,บ้านโป่ง,Ban Pong,55,,,\r\n" +
		"7006,บางแพ,Bang Phae,55,,,2020-01-01\r\n" +
		"7074,ท้องถิ่นเทศบาลตำบลบ้านฆ้อง,Tet Saban Ban Kong,55,,,\r\n" +
		"7055,สาขาทดสอบ,Branch,55,,,\r\n"
	testTambons = "id,zip_code,name_th,name_en,district_id,lat,long,created_at,updated_at,deleted_at\r\n" +
		"700513,70110,เขาขลุง,Khao Khlung,7005,,,,,\r\n" +
		"700514,70110,เบิกไพร,*Boek Phrai,7005,,,,,2021-01-01\r\n" +
		"707401,70110,บ้านฆ้อง,Ban Khong,7074,,,,,\r\n" +
		"700601,70160,บางแพ,Bang Phae,7006,,,,,\r\n"
	testVillages = "village_ID,village_name\n" +
		"70051301,เขาแจง\n" +
		"70051302,สระสี่มุม\n" +
		"7005133,เจริญธรรม\n" + // dropped 0 before 3: restored to 70051303
		"70051303,เจริญธรรม\n" +
		"7005134,ไม่มีคู่\n" + // no row confirms a restored code
		"70051304, หนองไม้เฝ้า\u00a0\n" +
		"70051304,หนองไม้เฝ้า\n" + // same code, same name
		"70051305,เขาขลุงเก่า\n" +
		"70051305,เขาขลุงใหม่\n" + // same code, different name
		"70051306,หนอง,อุ่ม\n" +
		"70051307,ดอนไม้ลาย*\n" +
		"70051308,\n" +
		"70051300,หมู่ศูนย์\n" +
		"70059901,ชุมชนตลาด\n" +
		"700513หม,ชื่อหมู่บ้าน\n" +
		"70?51309,หนองไก่ขัน\n" +
		"700513A0,ชุมชนเอ\n" +
		"7005131-,ขีด\n" +
		"759901,ชุมชนหก\n" +
		"123,สั้น\n"
)

func testFS(villages []byte, gz bool) fstest.MapFS {
	fsys := fstest.MapFS{
		"geographies.csv":   {Data: []byte(testRegions)},
		"provinces.csv":     {Data: []byte(testProvinces)},
		"districts.csv":     {Data: []byte(testDistricts)},
		"sub_districts.csv": {Data: []byte(testTambons)},
	}
	if gz {
		fsys["bmn59.village_name.csv.gz"] = &fstest.MapFile{Data: villages}
	} else {
		fsys["bmn59.village_name.csv"] = &fstest.MapFile{Data: villages}
	}
	return fsys
}

func gzipped(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestLoadCleaningRules(t *testing.T) {
	for _, gz := range []bool{false, true} {
		name := "plain"
		data := []byte(testVillages)
		if gz {
			name, data = "gzipped", gzipped(t, testVillages)
		}
		t.Run(name, func(t *testing.T) {
			tr, err := area.Load(testFS(data, gz))
			if err != nil {
				t.Fatal(err)
			}
			rep := tr.Report()
			counts := []struct {
				reason area.Reason
				want   int
			}{
				{area.ReasonDeleted, 3}, // a province, a district, a tambon
				{area.ReasonRegistrationOffice, 2},
				{area.ReasonNoParent, 2}, // tambons under 7074 and the deleted 7006
				{area.ReasonCodeSevenRestored, 1},
				{area.ReasonCodeSevenUnresolved, 1},
				{area.ReasonDuplicateSame, 2}, // the restored 7005133 and the second 70051304
				{area.ReasonDuplicateDifferent, 1},
				{area.ReasonNameComma, 1},
				{area.ReasonNameAsterisk, 1},
				{area.ReasonNameSpaces, 1},
				{area.ReasonEmptyName, 1},
				{area.ReasonMooZero, 1},
				{area.ReasonUnknownTambon, 1},
				{area.ReasonHeaderRow, 1},
				{area.ReasonCodeQuestionMark, 1},
				{area.ReasonCodeLetters, 1},
				{area.ReasonCodeGarbled, 1},
				{area.ReasonCodeSixDigits, 1},
				{area.ReasonCodeLength, 1},
			}
			for _, c := range counts {
				if got := rep.Count(c.reason); got != c.want {
					t.Errorf("Count(%s) = %d, want %d\n%s", c.reason, got, c.want, rep)
				}
			}
			villages := []struct {
				code, name string
			}{
				{"70051301", "เขาแจง"},
				{"70051302", "สระสี่มุม"},
				{"70051303", "เจริญธรรม"},
				{"70051304", "หนองไม้เฝ้า"},
				{"70051305", "เขาขลุงเก่า"}, // the first row wins
				{"70051306", "หนอง,อุ่ม"},
				{"70051307", "ดอนไม้ลาย"},
			}
			for _, v := range villages {
				if a, ok := tr.Get(v.code); !ok || a.NameTH != v.name {
					t.Errorf("Get(%s) = %q, %v; want %q", v.code, a.NameTH, ok, v.name)
				}
			}
			if n := tr.Count(area.Village); n != len(villages) {
				t.Errorf("%d villages, want %d", n, len(villages))
			}
			if n := tr.Count(area.District); n != 1 {
				t.Errorf("%d districts, want 1 (7006 deleted, 7074 and 7055 registration offices)", n)
			}
			if a, _ := tr.Get("70"); a.Region != 4 || a.NameEN != "Ratchaburi" {
				t.Errorf("province 70 = %+v: the code comes from its districts, the region from geography_id", a)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		change  func(fstest.MapFS)
		wantErr string
	}{
		{"missing village file", func(f fstest.MapFS) { delete(f, "bmn59.village_name.csv") }, "bmn59.village_name.csv"},
		{"unknown region", func(f fstest.MapFS) {
			f["geographies.csv"] = &fstest.MapFile{Data: []byte("id,name\n1,ภาคกลางเหนือ\n")}
		}, "unknown region"},
		{"province split over two codes", func(f fstest.MapFS) {
			f["districts.csv"] = &fstest.MapFile{Data: []byte(testDistricts + "7101,เมือง,Mueang,55,,,\r\n")}
		}, "both 70 and 71"},
		{"tambon code outside its district", func(f fstest.MapFS) {
			f["sub_districts.csv"] = &fstest.MapFile{Data: []byte(testTambons + "700601,1,x,x,7005,,,,,\r\n")}
		}, "not 6 digits under district"},
		{"missing column", func(f fstest.MapFS) {
			f["provinces.csv"] = &fstest.MapFile{Data: []byte("id,name_th\n55,ราชบุรี\n")}
		}, `no "name_en" column`},
		{"broken gzip", func(f fstest.MapFS) {
			delete(f, "bmn59.village_name.csv")
			f["bmn59.village_name.csv.gz"] = &fstest.MapFile{Data: []byte("not gzip")}
		}, "bmn59.village_name.csv.gz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := testFS([]byte(testVillages), false)
			tt.change(fsys)
			_, err := area.Load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load() error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
