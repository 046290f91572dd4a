package tabular_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/tabular"
)

// TestXLSXRoundTrip writes a table with tambon's writer and reads it back:
// what an export produces, an import must accept unchanged.
func TestXLSXRoundTrip(t *testing.T) {
	date := time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	w := tabular.NewXLSXWriter(&buf)
	if err := w.NewSheet("ครัวเรือน", []string{"citizen_id", "ชื่อ", "รายได้", "วันเกิด", "หมายเหตุ", "รหัสบ้าน", "สัดส่วน"}); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"1101700203451", "สมชาย ใจดี", 38000, date, "", "0012", 0.125},
		{"3100600123457", "นางสาวกุหลาบ  มีสุข", 1234567.5, date.AddDate(-40, 0, 0), nil, "0100", 1},
		{"0000000000001", "ผู้ใหญ่บ้าน ๑", int64(1234567890123), date, "ข้อความ, มีจุลภาค \"และคำพูด\"", "9", -3.25},
	}
	for _, r := range rows {
		if err := w.Write(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, got := MustReadAll(t, "export.xlsx", buf.Bytes(), tabular.Options{})
	want := [][]string{
		{"citizen_id", "ชื่อ", "รายได้", "วันเกิด", "หมายเหตุ", "รหัสบ้าน", "สัดส่วน"},
		{"2", "1101700203451", "สมชาย ใจดี", "38000", "2023-03-15", "", "0012", "0.125"},
		{"3", "3100600123457", "นางสาวกุหลาบ  มีสุข", "1234567.5", "1983-03-15", "", "0100", "1"},
		{"4", "0000000000001", "ผู้ใหญ่บ้าน ๑", "1234567890123", "2023-03-15", "ข้อความ, มีจุลภาค \"และคำพูด\"", "9", "-3.25"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n got %q\nwant %q", got, want)
	}
}

// TestXLSXCellValues reads cells the way Excel users format them: thousands
// separators, Thai Buddhist-era dates, 13-digit IDs typed as numbers, text
// with leading zeros, percentages, formulas with cached values.
func TestXLSXCellValues(t *testing.T) {
	style := func(f *excelize.File, cell string, s *excelize.Style) {
		id, err := f.NewStyle(s)
		if err != nil {
			t.Fatal(err)
		}
		f.SetCellStyle("Sheet1", cell, cell, id)
	}
	code := func(s string) *string { return &s }
	serial := 45000.0 // 2023-03-15
	tests := []struct {
		name  string
		value any
		style *excelize.Style
		want  string
	}{
		{"thousands separator", 38000, &excelize.Style{NumFmt: 3}, "38000"},
		{"currency with decimals", 1234.5, &excelize.Style{CustomNumFmt: code(`#,##0.00" บาท"`)}, "1234.5"},
		{"percentage", 0.125, &excelize.Style{NumFmt: 10}, "0.125"},
		{"13-digit number in General", 1101700203451, nil, "1101700203451"},
		{"13-digit number shown as scientific", 1101700203451, &excelize.Style{NumFmt: 11}, "1101700203451"},
		{"text with leading zeros", "0012", &excelize.Style{NumFmt: 49}, "0012"},
		{"text that looks like a number", "1101700203451", nil, "1101700203451"},
		{"built-in short date", serial, &excelize.Style{NumFmt: 14}, "2023-03-15"},
		{"long date", serial, &excelize.Style{NumFmt: 15}, "2023-03-15"},
		{"Thai Buddhist-era format", serial, &excelize.Style{CustomNumFmt: code(`[$-th-TH,107]d/m/bbbb;@`)}, "2023-03-15"},
		{"Thai calendar locale code", serial, &excelize.Style{CustomNumFmt: code(`[$-D07041E]d mmm yy`)}, "2023-03-15"},
		{"day first custom", serial, &excelize.Style{CustomNumFmt: code(`dd/mm/yyyy`)}, "2023-03-15"},
		{"date and time", serial + 0.5, &excelize.Style{NumFmt: 22}, "2023-03-15 12:00:00"},
		{"time only", 0.75, &excelize.Style{NumFmt: 20}, "18:00:00"},
		{"date format on text", "ไม่ทราบ", &excelize.Style{NumFmt: 14}, "ไม่ทราบ"},
		{"negative with red", -5, &excelize.Style{CustomNumFmt: code(`#,##0;[Red]-#,##0`)}, "-5"},
		{"scientific format", 12345, &excelize.Style{CustomNumFmt: code(`0.00E+00`)}, "12345"},
		{"float noise", 0.1 + 0.2, nil, "0.3"},
		{"boolean", true, nil, "TRUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := MustXLSX(t, func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"value"}, {tt.value}})
				if tt.style != nil {
					style(f, "A2", tt.style)
				}
			})
			_, got := MustReadAll(t, "cells.xlsx", data, tabular.Options{})
			if len(got) != 2 || len(got[1]) != 2 || got[1][1] != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestXLSXFormulaCachedValue reads the value Excel last calculated, since
// tambon does not recalculate workbooks.
func TestXLSXFormulaCachedValue(t *testing.T) {
	data := MustXLSX(t, func(f *excelize.File) {
		MustSet(t, f, "Sheet1", 1, [][]any{{"qty", "price", "total", "label"}, {2, 19000}})
		f.SetCellFormula("Sheet1", "C2", "A2*B2")
		f.SetCellFormula("Sheet1", "D2", `"หมู่ "&A2`)
	})
	data = RewriteZip(t, data, func(name string, b []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return b
		}
		s := string(b)
		s = strings.Replace(s, "<f>A2*B2</f>", "<f>A2*B2</f><v>38000</v>", 1)
		s = strings.Replace(s, `<c r="D2"`, `<c r="D2" t="str"`, 1)
		s = strings.Replace(s, "<f>&#34;หมู่ &#34;&amp;A2</f>", "<f>&#34;หมู่ &#34;&amp;A2</f><v>หมู่ 2</v>", 1)
		return []byte(s)
	})
	_, got := MustReadAll(t, "formula.xlsx", data, tabular.Options{})
	want := []string{"2", "2", "19000", "38000", "หมู่ 2"}
	if len(got) != 2 || !reflect.DeepEqual(got[1], want) {
		t.Errorf("got %q, want row %q", got, want)
	}
}

var householdColumns = []tabular.Column{
	{Key: "citizen_id", Aliases: []string{"เลขประจำตัวประชาชน", "Citizen ID"}, Required: true},
	{Key: "name", Aliases: []string{"ชื่อ-สกุล", "ชื่อ สกุล", "Name"}, Required: true},
	{Key: "income", Aliases: []string{"รายได้ต่อปี", "Income"}},
}

// TestXLSXHeaderAndColumns finds the header below title rows and maps
// columns by their Thai or English names.
func TestXLSXHeaderAndColumns(t *testing.T) {
	data := MustXLSX(t, func(f *excelize.File) {
		MustSet(t, f, "Sheet1", 1, [][]any{
			{"แบบสำรวจข้อมูลครัวเรือน ตำบลบ้านใหม่"},
			{"ปี 2567"},
			{},
			{" ชื่อ  สกุล ", "เลขประจำตัวประชาชน*", "INCOME", "หมายเหตุ"},
			{"สมชาย ใจดี ", "1101700203451", 38000, "x"},
			{},
			{"สมหญิง ใจดี", "3100600123457"},
		})
		f.MergeCell("Sheet1", "A1", "D1") // a merged title is fine
	})
	rd, err := openBytes("households.xlsx", data, tabular.Options{Expect: householdColumns})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if rd.HeaderRow() != 4 {
		t.Errorf("header row %d, want 4", rd.HeaderRow())
	}
	type rec struct {
		Num                int
		ID, Name, Income   string
		IDColumn, NoColumn string
	}
	var got []rec
	for rd.Next() {
		r := rd.Row()
		got = append(got, rec{r.Num, r.Get("citizen_id"), r.Get("name"), r.Get("income"), r.Column("citizen_id"), r.Get("missing")})
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	want := []rec{
		{5, "1101700203451", "สมชาย ใจดี", "38000", "B (เลขประจำตัวประชาชน*)", ""},
		{7, "3100600123457", "สมหญิง ใจดี", "", "B (เลขประจำตัวประชาชน*)", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %+v\nwant %+v", got, want)
	}
	var warned []string
	for _, w := range rd.Warnings() {
		warned = append(warned, w.Reason.EN)
	}
	joined := strings.Join(warned, "\n")
	for _, want := range []string{"skipped 2 title rows (rows 1 to 2); the header is row 4", "unknown columns D (หมายเหตุ)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings %q lack %q", warned, want)
		}
	}
}

// TestXLSXRowProblem locates a validation problem the way an official finds
// it in Excel.
func TestXLSXRowProblem(t *testing.T) {
	data := MustXLSX(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "ข้อมูล")
		MustSet(t, f, "ข้อมูล", 1, [][]any{{"Name", "Citizen ID"}, {"ก", "123"}})
	})
	rd, err := openBytes("h.xlsx", data, tabular.Options{Expect: householdColumns})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if !rd.Next() {
		t.Fatal("no row")
	}
	p := rd.Row().Problem("citizen_id", tabularReason)
	if got, want := p.String(), `h.xlsx, sheet ข้อมูล, row 2, column B (Citizen ID) ("123"): ต้องมี 13 หลัก / must have 13 digits`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
