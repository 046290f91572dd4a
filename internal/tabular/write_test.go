package tabular_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

func mustOpenXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open what we wrote: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestXLSXWriterLayout checks what an official sees on opening an export: a
// bold frozen header with filters, numbers they can sum, real dates, IDs in
// full, and more than one sheet.
func TestXLSXWriterLayout(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewXLSXWriter(&buf)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.NewSheet("ครัวเรือน", []string{"เลขประจำตัวประชาชน", "รายได้", "วันที่สำรวจ", "รหัส"}))
	for i := range 150 {
		must(w.Write("1101700203451", 38000+i, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), int64(1101700203451)))
	}
	must(w.NewSheet("สรุป", []string{"หมู่", "จำนวน"}))
	must(w.Write("หมู่ 1", 12.5))
	must(w.Close())

	f := mustOpenXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"ครัวเรือน", "สรุป"}) {
		t.Errorf("sheets %q", got)
	}
	checks := []struct {
		name string
		fn   func() error
	}{
		{"header is bold", func() error {
			id, _ := f.GetCellStyle("ครัวเรือน", "B1")
			s, err := f.GetStyle(id)
			if err != nil || s.Font == nil || !s.Font.Bold {
				return fmt.Errorf("style %+v, %v", s, err)
			}
			return nil
		}},
		{"header row is frozen", func() error {
			p, err := f.GetPanes("ครัวเรือน")
			if err != nil || !p.Freeze || p.YSplit != 1 {
				return fmt.Errorf("panes %+v, %v", p, err)
			}
			return nil
		}},
		{"auto-filter covers the table", func() error {
			for _, d := range f.GetDefinedName() {
				if d.Name == "_xlnm._FilterDatabase" && strings.Contains(d.RefersTo, "$A$1:$D$151") {
					return nil
				}
			}
			return fmt.Errorf("defined names %+v", f.GetDefinedName())
		}},
		{"numbers are numbers", func() error {
			typ, _ := f.GetCellType("ครัวเรือน", "B2")
			v, _ := f.GetCellValue("ครัวเรือน", "B151", excelize.Options{RawCellValue: true})
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || v != "38149" {
				return fmt.Errorf("type %v value %q", typ, v)
			}
			return nil
		}},
		{"IDs as text keep their digits", func() error {
			typ, _ := f.GetCellType("ครัวเรือน", "A2")
			if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				return fmt.Errorf("type %v", typ)
			}
			return nil
		}},
		{"big integers show in full", func() error {
			v, _ := f.GetCellValue("ครัวเรือน", "D2")
			if v != "1101700203451" {
				return fmt.Errorf("shown as %q", v)
			}
			return nil
		}},
		{"dates are date serials with a date format", func() error {
			raw, _ := f.GetCellValue("ครัวเรือน", "C2", excelize.Options{RawCellValue: true})
			id, _ := f.GetCellStyle("ครัวเรือน", "C2")
			s, _ := f.GetStyle(id)
			if raw != "45293" || s == nil || s.NumFmt != 14 {
				return fmt.Errorf("raw %q style %+v", raw, s)
			}
			return nil
		}},
		{"columns are sized to their contents", func() error {
			wID, _ := f.GetColWidth("ครัวเรือน", "A")
			wDate, _ := f.GetColWidth("ครัวเรือน", "C")
			if wID < 15 || wID > 60 || wDate < 10 {
				return fmt.Errorf("widths %v %v", wID, wDate)
			}
			return nil
		}},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if err := c.fn(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCSVWriter writes UTF-8 with a BOM, so Thai Excel reads it, and reads
// back through Open unchanged.
func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	if err := w.NewSheet("ignored", []string{"ชื่อ", "รายได้", "วันที่", "หมายเหตุ"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("สมชาย, ใจดี", 1234567.25, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	if err := w.NewSheet("second", nil); err == nil {
		t.Error("a second table in one CSV was accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBFชื่อ,รายได้,วันที่,หมายเหตุ\r\n\"สมชาย, ใจดี\",1234567.25,2024-01-02,\r\n"
	if got := buf.String(); got != want {
		t.Errorf("wrote %q\n want %q", got, want)
	}
}

// TestCSVWriterRoundTrip reads back what CSVWriter wrote.
func TestCSVWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	w.NewSheet("", []string{"citizen_id", "ชื่อ"})
	w.Write("0012345678901", "นาย ก \"ข\"")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, got := MustReadAll(t, "out.csv", buf.Bytes(), tabular.Options{})
	want := [][]string{{"citizen_id", "ชื่อ"}, {"2", "0012345678901", "นาย ก \"ข\""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestWriteProblemsXLSX writes the report an official works through.
func TestWriteProblemsXLSX(t *testing.T) {
	ps := apperr.Problems{
		{File: "h.xlsx", Sheet: "ข้อมูล", Row: 12, Column: "B (Citizen ID)", Value: "0012345678901", Reason: apperr.T("เลขไม่ถูกต้อง", "invalid check digit")},
		{File: "h.xlsx", Field: "members[2].age", Reason: apperr.T("อายุติดลบ", "negative age")},
	}
	var buf bytes.Buffer
	if err := tabular.WriteProblemsXLSX(&buf, ps); err != nil {
		t.Fatal(err)
	}
	_, got := MustReadAll(t, "problems.xlsx", buf.Bytes(), tabular.Options{})
	want := [][]string{
		{"ไฟล์ (File)", "ชีต (Sheet)", "แถว (Row)", "คอลัมน์ (Column)", "ค่า (Value)", "เหตุผล (ไทย)", "Reason (English)"},
		{"2", "h.xlsx", "ข้อมูล", "12", "B (Citizen ID)", "0012345678901", "เลขไม่ถูกต้อง", "invalid check digit"},
		{"3", "h.xlsx", "", "", "members[2].age", "", "อายุติดลบ", "negative age"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
