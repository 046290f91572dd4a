package welfare_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
	"tambon/internal/welfare"
)

func inTambon(code string) (apperr.Text, bool) {
	if len(code) == 8 && strings.HasPrefix(code, "700513") {
		return apperr.Text{}, true
	}
	return apperr.T("ไม่อยู่ในพื้นที่", "outside the area"), false
}

func read(t *testing.T, name, body string) ([]welfare.Entry, apperr.Problems) {
	t.Helper()
	rd, err := tabular.Open(name, strings.NewReader(body), int64(len(body)), tabular.Options{Expect: welfare.Columns()})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	es, ps, err := welfare.Read(rd, inTambon)
	if err != nil {
		t.Fatal(err)
	}
	return es, ps
}

func TestReadRegisterThaiAndEnglishHeaders(t *testing.T) {
	es, ps := read(t, "ทะเบียน.csv", "รายชื่อผู้ลงทะเบียนบัตรสวัสดิการแห่งรัฐ ตำบลเขาขลุง\n"+
		"ลำดับ,ชื่อ-สกุล,เลขประจำตัวประชาชน,ปีที่ลงทะเบียน,สถานะบัตร,ช่วงรายได้,รหัสหมู่บ้าน\n"+
		"1,นาง ก,1-1017-00230-70-8,2565,ได้รับสิทธิ์,ไม่เกิน 30000,70051304\n"+
		"2,นาย ข,3100600123450,2022,,,\n")
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	want := []welfare.Entry{{Row: 3, CitizenID: "1101700230708", Year: 2565, Status: "ได้รับสิทธิ์", IncomeBand: "ไม่เกิน 30000", Village: "70051304"},
		{Row: 4, CitizenID: "3100600123450", Year: 2565}}
	if len(es) != 2 || es[0] != want[0] || es[1] != want[1] {
		t.Errorf("entries\n got %+v\nwant %+v", es, want)
	}
	es, ps = read(t, "register.csv", "Citizen ID,Registration year,Card status\n1101700230708,2565,valid\n")
	if len(ps) > 0 || len(es) != 1 || es[0].Status != "valid" {
		t.Errorf("English headers: %+v %v", es, ps)
	}
}

func TestReadRegisterRefusesBadRows(t *testing.T) {
	_, ps := read(t, "bad.csv", "เลขประจำตัวประชาชน,ปีที่ลงทะเบียน,รหัสหมู่บ้าน\n"+
		"1101700230708,2565,\n"+ // row 2: fine
		"1101700230705,2565,\n"+ // row 3: wrong check digit
		"1-1017-00230-70-8,2565,\n"+ // row 4: repeats row 2
		",2565,\n"+ // row 5: no ID
		"3100600123450,ปีหน้า,70051401\n") // row 6: bad year, village outside
	type at struct {
		row int
		col string
	}
	var got []at
	for _, p := range ps {
		if p.File != "bad.csv" || p.Reason.TH == "" || p.Reason.EN == "" {
			t.Errorf("problem without file or reason in both languages: %+v", p)
		}
		got = append(got, at{p.Row, p.Column[:1]})
	}
	want := []at{{3, "A"}, {4, "A"}, {5, "A"}, {6, "B"}, {6, "C"}}
	if len(got) != len(want) {
		t.Fatalf("problems %+v, want at %v", ps, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("problem %d at %v, want %v (%s)", i, got[i], want[i], ps[i].Reason.EN)
		}
	}
	if !strings.Contains(ps[1].Reason.TH, "แถว 2") || !strings.Contains(ps[1].Reason.EN, "row 2") {
		t.Errorf("the repeat does not name the first row: %+v", ps[1].Reason)
	}
	if _, ps := read(t, "empty.csv", "เลขประจำตัวประชาชน\n"); len(ps) != 1 {
		t.Errorf("an empty list: %v", ps)
	}
}

func TestReadRegisterXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{{"เลขบัตรประชาชน", "สถานะ"}, {"1101700230708", "ลงทะเบียน"}, {"3100600123450", "ได้รับสิทธิ์"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "register.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rd, err := tabular.OpenFile(path, tabular.Options{Expect: welfare.Columns()})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	es, ps, err := welfare.Read(rd, inTambon)
	if err != nil || len(ps) > 0 || len(es) != 2 || es[1].Status != "ได้รับสิทธิ์" || es[1].Row != 3 {
		t.Errorf("xlsx: %+v %v %v", es, ps, err)
	}
}
