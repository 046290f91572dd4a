package tabular_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

// readFuzz opens data and reads it to the end. Whatever the bytes, Open must
// not panic, must answer with an Invalid error (a message for the official)
// rather than an internal one, must number rows upwards and must keep to the
// caps (small ones, so that the fuzzer meets them).
func readFuzz(t *testing.T, data []byte) {
	opts := tabular.Options{MaxBytes: 1 << 20, Expect: []tabular.Column{{Key: "id", Aliases: []string{"เลขประจำตัวประชาชน"}}},
		MaxRows: 5000, MaxColumns: 40, MaxCellChars: 500, MaxSheetBytes: 512 << 10, MaxSharedStringsBytes: 64 << 10}
	rd, err := tabular.Open("fuzz", bytes.NewReader(data), int64(len(data)), opts)
	if err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("not an input error: %v", err)
		}
		return
	}
	defer rd.Close()
	last := rd.HeaderRow()
	for n := 0; rd.Next() && n < 10000; n++ {
		row := rd.Row()
		if row.Num <= last {
			t.Fatalf("row %d after row %d", row.Num, last)
		}
		last = row.Num
		if row.Num > opts.MaxRows || len(row.Cells) > opts.MaxColumns {
			t.Fatalf("row %d of %d cells read past the caps", row.Num, len(row.Cells))
		}
		for _, c := range row.Cells {
			if len([]rune(c)) > opts.MaxCellChars {
				t.Fatalf("a cell of %d characters read past the cap", len([]rune(c)))
			}
		}
		_ = row.Get("id")
	}
	if err := rd.Err(); err != nil && apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("not an input error: %v", err)
	}
}

func FuzzOpenCSV(f *testing.F) {
	for _, s := range []string{
		thaiCSV,
		"\xEF\xBB\xBF" + thaiCSV,
		"sep=;\r\na;b\r\n1;2\r\n",
		"ที่อยู่,หมู่\r\n\"12 ถ.สุขุมวิท\r\nแขวงคลองเตย\",3\r\n\r\nx,4\r\n",
		"ชื่อ,บ้านเลขที่\r\nก,\"12\r\nข,5\r\n",
		"a\tb\n1\t2",
		"\xFF\xFEa\x00,\x00b\x00",
		"<html><table>",
		"id" + strings.Repeat(",x", 50) + "\n1\n",
		"id\n" + strings.Repeat("ก", 600) + "\n",
	} {
		f.Add([]byte(s))
	}
	b874, _ := charmapEncode(thaiCSV)
	f.Add(b874)
	f.Fuzz(func(t *testing.T, data []byte) { readFuzz(t, data) })
}

func FuzzOpenXLSX(f *testing.F) {
	f.Add(MustXLSX(f, func(x *excelize.File) {
		MustSet(f, x, "Sheet1", 1, [][]any{{"หัวเรื่อง"}, {"เลขประจำตัวประชาชน", "ชื่อ"}, {"1101700203451", "ก"}, {1101700203451, 45000}})
		x.MergeCell("Sheet1", "A1", "B1")
	}))
	f.Add(MustXLSX(f, func(x *excelize.File) {
		x.NewSheet("อื่น")
		MustSet(f, x, "อื่น", 1, [][]any{{"x"}})
		MustSet(f, x, "Sheet1", 3, [][]any{{"id"}, {0.125}})
		id, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
		x.SetCellStyle("Sheet1", "A4", "A4", id)
	}))
	f.Add(MustZip(f, map[string]string{"xl/workbook.xml": "<workbook/>"}))
	f.Add(MustXLSX(f, func(x *excelize.File) {
		MustSet(f, x, "Sheet1", 1, [][]any{{"id"}, {1}})
		x.SetCellValue("Sheet1", "AZ2", strings.Repeat("ข", 600))
		x.SetCellValue("Sheet1", "A6000", 2)
	}))
	f.Fuzz(func(t *testing.T, data []byte) { readFuzz(t, data) })
}
