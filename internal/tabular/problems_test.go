package tabular_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

// TestTableProblems refuses workbooks whose table is wrong, with one Problem
// per fault located where the official must fix it.
func TestTableProblems(t *testing.T) {
	tests := []struct {
		name    string
		build   func(f *excelize.File)
		opts    tabular.Options
		want    []apperr.Problem // Reason is checked by fragment
		reasons []string
	}{
		{
			name: "missing column",
			build: func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"Name", "Income"}, {"ก", 1}})
			},
			opts:    tabular.Options{Expect: householdColumns},
			want:    []apperr.Problem{{File: "f.xlsx", Sheet: "Sheet1", Row: 1}},
			reasons: []string{"required columns missing: เลขประจำตัวประชาชน (citizen_id)", `headers found: "Name", "Income"`},
		},
		{
			name: "renamed column is suggested",
			build: func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"ชื่อ-สกุล", "เลขประจำตัวประชาขน", "ที่อยู่"}, {"ก", "1"}})
			},
			opts:    tabular.Options{Expect: householdColumns},
			want:    []apperr.Problem{{File: "f.xlsx", Sheet: "Sheet1", Row: 1, Column: "B", Value: "เลขประจำตัวประชาขน"}},
			reasons: []string{`closest header: column B "เลขประจำตัวประชาขน" — was it renamed?`, "ใกล้เคียงกับคอลัมน์ B"},
		},
		{
			name: "duplicate header",
			build: func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"Name", "Citizen ID", "name "}, {"ก", "1", "ข"}})
			},
			want:    []apperr.Problem{{File: "f.xlsx", Sheet: "Sheet1", Row: 1, Column: "C", Value: "name"}},
			reasons: []string{`the header "name" repeats column A`},
		},
		{
			name: "two aliases of one column",
			build: func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"Name", "Citizen ID", "ชื่อ-สกุล"}, {"ก", "1", "ข"}})
			},
			opts:    tabular.Options{Expect: householdColumns},
			want:    []apperr.Problem{{File: "f.xlsx", Sheet: "Sheet1", Row: 1, Column: "C", Value: "ชื่อ-สกุล"}},
			reasons: []string{"columns A and C both mean ชื่อ-สกุล (name)"},
		},
		{
			name: "merged cells in the data",
			build: func(f *excelize.File) {
				MustSet(t, f, "Sheet1", 1, [][]any{{"รายงาน"}, {"Name", "Citizen ID"}, {"ก", "1"}, {"", "2"}, {"", "3"}, {"ข", "4"}})
				f.MergeCell("Sheet1", "A1", "B1") // title: fine
				f.MergeCell("Sheet1", "A3", "A5")
				f.MergeCell("Sheet1", "B6", "C6")
			},
			opts: tabular.Options{Expect: householdColumns},
			want: []apperr.Problem{
				{File: "f.xlsx", Sheet: "Sheet1", Row: 3, Column: "A", Value: "A3:A5"},
				{File: "f.xlsx", Sheet: "Sheet1", Row: 6, Column: "B", Value: "B6:C6"},
			},
			reasons: []string{"cells A3:A5 are merged", "Unmerge", "ยกเลิกการผสานเซลล์"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openBytes("f.xlsx", MustXLSX(t, tt.build), tt.opts)
			wantInvalid(t, err, tt.reasons...)
			ps := problemsOf(t, err)
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d: %v", len(ps), len(tt.want), ps)
			}
			for i, p := range ps {
				p.Reason = apperr.Text{}
				if p != tt.want[i] {
					t.Errorf("problem %d at %+v, want %+v", i, p, tt.want[i])
				}
				if ps[i].Reason.TH == "" || ps[i].Reason.EN == "" {
					t.Errorf("problem %d lacks a language: %+v", i, ps[i].Reason)
				}
			}
		})
	}
}

// TestSheets picks the sheet by name, warns about other sheets holding data
// and refuses a sheet that is not there, listing those that are.
func TestSheets(t *testing.T) {
	data := MustXLSX(t, func(f *excelize.File) {
		f.SetSheetName("Sheet1", "สรุป")
		f.NewSheet("ครัวเรือน")
		f.NewSheet("ว่าง")
		f.NewSheet("ซ่อน")
		f.SetSheetVisible("ซ่อน", false)
		MustSet(t, f, "สรุป", 1, [][]any{{"รวม"}, {12}})
		MustSet(t, f, "ครัวเรือน", 1, [][]any{{"Name"}, {"ก"}})
		MustSet(t, f, "ซ่อน", 1, [][]any{{"x"}})
		f.SetRowHeight("ว่าง", 10, 30) // a formatted but empty row
	})
	tests := []struct {
		name      string
		sheet     string
		wantSheet string
		wantWarn  []string
		wantErr   []string
	}{
		{name: "first sheet by default", wantSheet: "สรุป", wantWarn: []string{`sheet "ครัวเรือน" holds data`, `sheet "ซ่อน" holds data`}},
		{name: "by name, ignoring case and spaces", sheet: " ครัวเรือน ", wantSheet: "ครัวเรือน", wantWarn: []string{`sheet "สรุป" holds data`, `sheet "ซ่อน" holds data`}},
		{name: "missing sheet", sheet: "Households", wantErr: []string{`f.xlsx has no sheet called "Households"; its sheets are "สรุป", "ครัวเรือน", "ว่าง", "ซ่อน"`, `ไม่พบชีต "Households"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := openBytes("f.xlsx", data, tabular.Options{Sheet: tt.sheet})
			if tt.wantErr != nil {
				wantInvalid(t, err, tt.wantErr...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer rd.Close()
			if rd.Sheet() != tt.wantSheet {
				t.Errorf("sheet %q, want %q", rd.Sheet(), tt.wantSheet)
			}
			var got []string
			for _, w := range rd.Warnings() {
				got = append(got, w.Reason.EN)
			}
			if len(got) != len(tt.wantWarn) {
				t.Fatalf("warnings %q, want %q", got, tt.wantWarn)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.wantWarn[i]) {
					t.Errorf("warning %q, want %q", got[i], tt.wantWarn[i])
				}
			}
		})
	}
}

// TestEmptySheet refuses a workbook whose chosen sheet has no rows, naming
// the sheet, since the official may have picked the wrong one.
func TestEmptySheet(t *testing.T) {
	data := MustXLSX(t, func(f *excelize.File) {
		f.NewSheet("ข้อมูล")
		MustSet(t, f, "ข้อมูล", 1, [][]any{{"Name"}})
	})
	_, err := openBytes("f.xlsx", data, tabular.Options{})
	wantInvalid(t, err, `sheet "Sheet1" of f.xlsx has no rows`, `ชีต "Sheet1" ในไฟล์ f.xlsx ไม่มีข้อมูล`)
}
