package tabular_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/tabular"
)

// TestCaps gives files past each cap, as CSV and as XLSX, and checks each is
// refused with a message naming the file and the limit, and that a file at
// the cap is read.
func TestCaps(t *testing.T) {
	csvRows := func(n int) []byte {
		var b strings.Builder
		b.WriteString("id,name\r\n")
		for i := range n {
			fmt.Fprintf(&b, "%d,ก\r\n", i)
		}
		return []byte(b.String())
	}
	xlsxRows := func(n int) []byte {
		return MustXLSX(t, func(f *excelize.File) {
			rows := [][]any{{"id", "name"}}
			for i := range n {
				rows = append(rows, []any{i, "ก"})
			}
			MustSet(t, f, "Sheet1", 1, rows)
		})
	}
	wide := func(n int) [][]any {
		row := make([]any, n)
		for i := range row {
			row[i] = "x"
		}
		return [][]any{{"id"}, row}
	}
	tests := []struct {
		name string
		file string
		data []byte
		opts tabular.Options
		want []string // empty: read to the end without error
	}{
		{"CSV at the row cap", "hh.csv", csvRows(9), tabular.Options{MaxRows: 10}, nil},
		{"CSV past the row cap", "hh.csv", csvRows(10), tabular.Options{MaxRows: 10},
			[]string{"hh.csv has more than 10 rows, the limit", "มีเกิน 10 แถว"}},
		{"XLSX past the row cap", "hh.xlsx", xlsxRows(10), tabular.Options{MaxRows: 10},
			[]string{`hh.xlsx sheet "Sheet1" has more than 10 rows`}},
		{"XLSX row numbered past the cap", "hh.xlsx", MustXLSX(t, func(f *excelize.File) {
			MustSet(t, f, "Sheet1", 1, [][]any{{"id"}, {1}})
			f.SetCellValue("Sheet1", "A5000", 2)
		}), tabular.Options{MaxRows: 4000}, []string{"more than 4,000 rows"}},
		{"CSV past the column cap", "hh.csv", []byte("id\r\n" + strings.Repeat("x,", 30) + "x\r\n"), tabular.Options{MaxColumns: 30},
			[]string{"hh.csv row 2 has 31 columns, over the limit of 30", "31 คอลัมน์"}},
		{"XLSX past the column cap", "hh.xlsx", MustXLSX(t, func(f *excelize.File) { MustSet(t, f, "Sheet1", 1, wide(31)) }),
			tabular.Options{MaxColumns: 30}, []string{`hh.xlsx sheet "Sheet1" row 2 has 31 columns, over the limit of 30`}},
		{"XLSX at the column cap", "hh.xlsx", MustXLSX(t, func(f *excelize.File) { MustSet(t, f, "Sheet1", 1, wide(30)) }),
			tabular.Options{MaxColumns: 30}, nil},
		{"CSV cell past the cap", "hh.csv", []byte("id,name\r\n1," + strings.Repeat("ก", 101) + "\r\n"), tabular.Options{MaxCellChars: 100},
			[]string{"hh.csv cell B2 is longer than 100 characters"}},
		{"Thai cell at the cap (300 bytes, 100 characters)", "hh.csv", []byte("id,name\r\n1," + strings.Repeat("ก", 100) + "\r\n"), tabular.Options{MaxCellChars: 100}, nil},
		{"XLSX header cell past the cap", "hh.xlsx", MustXLSX(t, func(f *excelize.File) {
			MustSet(t, f, "Sheet1", 1, [][]any{{"id", strings.Repeat("y", 200)}})
		}), tabular.Options{MaxCellChars: 100}, []string{`sheet "Sheet1" cell B1 is longer than 100 characters`}},
		{"CSV without line breaks", "flat.csv", bytes.Repeat([]byte("1234567,"), 17<<20/8), tabular.Options{},
			[]string{"flat.csv row 1 is longer than 16.0 MB, the limit for one row"}},
		{"sheet unpacking past the cap", "big.xlsx", xlsxRows(2000), tabular.Options{MaxSheetBytes: 10 << 10},
			[]string{`big.xlsx: its part "Sheet1" unpacks to`, "over the limit of 10.0 KB"}},
		{"shared strings past the cap", "big.xlsx", MustXLSX(t, func(f *excelize.File) {
			rows := [][]any{{"id", "name"}}
			for i := range 2000 {
				rows = append(rows, []any{i, fmt.Sprintf("ชื่อ %d", i)})
			}
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					f.SetCellValue("Sheet1", cell, v) // SetCellValue keeps strings shared
				}
			}
		}), tabular.Options{MaxSharedStringsBytes: 10 << 10},
			[]string{"big.xlsx: its part sharedStrings unpacks to", "over the limit of 10.0 KB"}},
		{"compression bomb inside the size limit", "bomb.xlsx", RewriteZip(t, xlsxRows(1), func(name string, b []byte) []byte {
			if name == "xl/worksheets/sheet1.xml" {
				return bytes.Replace(b, []byte("<sheetData>"), append([]byte("<sheetData>"), bytes.Repeat([]byte(" "), 50<<20)...), 1)
			}
			return b
		}), tabular.Options{}, []string{`bomb.xlsx: its part "Sheet1" is compressed`, "over the limit of 200 to one", "zip bomb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := openBytes(tt.file, tt.data, tt.opts)
			if err == nil {
				for rd.Next() {
				}
				err = rd.Err()
				rd.Close()
			}
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("refused a file at the cap: %v", err)
				}
				return
			}
			wantInvalid(t, err, tt.want...)
		})
	}
}

// TestSpool: an upload is spooled to a file only its owner can read, and a
// stream over the limit leaves no file behind.
func TestSpool(t *testing.T) {
	dir := t.TempDir()
	path, err := tabular.Spool("ok.csv", strings.NewReader("a,b\r\n1,2\r\n"), tabular.Options{TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != 10 {
		t.Errorf("spool %s: %v, mode %v, want 0600 and 10 bytes", path, err, st.Mode())
	}
	rd, err := tabular.OpenNamed(path, "ok.csv", tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rd.Next() || rd.Row().Get("b") != "2" {
		t.Errorf("row %+v", rd.Row())
	}
	rd.Close()
	os.Remove(path)
	_, err = tabular.Spool("big.csv", strings.NewReader(strings.Repeat("x", 2000)), tabular.Options{TempDir: dir, MaxBytes: 1000})
	wantInvalid(t, err, "big.csv is 1001 bytes, over the limit of 1000 bytes")
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("files left behind: %v", left)
	}
}
