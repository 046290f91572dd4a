package tabular_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

// MustXLSX builds a workbook with excelize, the way a real file is made, and
// returns its bytes.
func MustXLSX(tb testing.TB, build func(f *excelize.File)) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatalf("write xlsx: %v", err)
	}
	return buf.Bytes()
}

// MustSet sets cells from a grid starting at A1 of sheet.
func MustSet(tb testing.TB, f *excelize.File, sheet string, firstRow int, rows [][]any) {
	tb.Helper()
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, firstRow+r)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			tb.Fatalf("set row: %v", err)
		}
	}
}

// RewriteZip copies a zip archive, letting edit change or drop entries
// (return nil to drop), to make workbooks excelize would never write.
func RewriteZip(tb testing.TB, data []byte, edit func(name string, b []byte) []byte) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatalf("read zip: %v", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if b = edit(f.Name, b); b == nil {
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// MustZip builds a zip archive from names and contents.
func MustZip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

func openBytes(name string, data []byte, opts tabular.Options) (*tabular.Reader, error) {
	return tabular.Open(name, bytes.NewReader(data), int64(len(data)), opts)
}

// MustReadAll opens data and returns the header followed by every data row,
// each row prefixed by its row number.
func MustReadAll(tb testing.TB, name string, data []byte, opts tabular.Options) (*tabular.Reader, [][]string) {
	tb.Helper()
	rd, err := openBytes(name, data, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	tb.Cleanup(func() { rd.Close() })
	out := [][]string{append([]string(nil), rd.Header()...)}
	for rd.Next() {
		row := rd.Row()
		out = append(out, append([]string{strconv.Itoa(row.Num)}, row.Cells...))
	}
	if err := rd.Err(); err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return rd, out
}

// problemsOf returns the Problems in err, failing if err holds none.
func problemsOf(tb testing.TB, err error) apperr.Problems {
	tb.Helper()
	var ps apperr.Problems
	if !errors.As(err, &ps) {
		tb.Fatalf("error %v (%T) holds no Problems", err, err)
	}
	return ps
}

// wantInvalid checks that err is an Invalid error whose message contains
// every fragment, in either language.
func wantInvalid(tb testing.TB, err error, fragments ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want one mentioning %q", fragments)
	}
	if apperr.CodeOf(err) != apperr.Invalid {
		tb.Fatalf("code %s, want invalid: %v", apperr.CodeOf(err), err)
	}
	text := err.Error()
	var e *apperr.Error
	if errors.As(err, &e) {
		text = e.Msg.TH + "\n" + e.Msg.EN
	}
	var ps apperr.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			text += "\n" + p.String()
		}
	}
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			tb.Errorf("message lacks %q:\n%s", f, text)
		}
	}
}

var tabularReason = apperr.T("ต้องมี 13 หลัก", "must have 13 digits")
