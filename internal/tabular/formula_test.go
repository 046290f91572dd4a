package tabular_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/tabular"
)

// injections are cells a spreadsheet would run as formulas if written as
// they are (OWASP's CSV injection list), and text that merely looks close.
var injections = []string{
	"=cmd|' /C calc'!A0",
	"+1+cmd|' /C calc'!A0",
	"-2+3+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"\t=1+1",
	"'=1+1", // already quoted by hand: must come back as it was
	"''-x",
	"-",
}

// TestCSVWriterFormulaInjection writes each dangerous text cell behind a
// single quote, leaves numbers (negative ones too) and plain decimal text
// as numbers, and reads back exactly what it was given.
func TestCSVWriterFormulaInjection(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	if err := w.NewSheet("", []string{"name", "number", "coordinate", "plain"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range injections {
		if err := w.Write(s, -5, "-13.123456789012345", "สมชาย 'ใจดี'"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write("x", -3.25, "+66", "@"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	raw, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range injections {
		rec := raw[i+1]
		if rec[0] != "'"+s {
			t.Errorf("text %q written as %q, want it behind a single quote", s, rec[0])
		}
		if rec[1] != "-5" || rec[2] != "-13.123456789012345" || rec[3] != "สมชาย 'ใจดี'" {
			t.Errorf("row %d: numbers or plain text changed: %q", i+1, rec[1:])
		}
	}
	if last := raw[len(raw)-1]; !reflect.DeepEqual(last, []string{"x", "-3.25", "+66", "'@"}) {
		t.Errorf("last row written as %q", last)
	}

	_, got := MustReadAll(t, "out.csv", buf.Bytes(), tabular.Options{})
	for i, s := range injections {
		if got[i+1][1] != s {
			t.Errorf("row %d read back as %q, want %q", i+2, got[i+1][1], s)
		}
	}
	if last := got[len(got)-1][1:]; !reflect.DeepEqual(last, []string{"x", "-3.25", "+66", "@"}) {
		t.Errorf("last row read back as %q", last)
	}
}

// TestSafeCSVText covers the characters encoding/csv would not carry
// through a file unchanged (a carriage return) and text left alone.
func TestSafeCSVText(t *testing.T) {
	for in, want := range map[string]string{
		"\r=1+1": "'\r=1+1", "=A1": "'=A1", "-12": "-12", "+3.5": "+3.5", "-1-2": "'-1-2",
		"-.": "'-.", "a=b": "a=b", "": "", "'": "'", "'abc": "'abc", "สมชาย": "สมชาย",
	} {
		if got := tabular.SafeCSVText(in); got != want {
			t.Errorf("SafeCSVText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestXLSXWriterNoFormula confirms an XLSX export needs no quoting: excelize
// writes a text cell as a string, never as a formula, and it reads back as
// written.
func TestXLSXWriterNoFormula(t *testing.T) {
	var buf bytes.Buffer
	w := tabular.NewXLSXWriter(&buf)
	if err := w.NewSheet("ข้อมูล", []string{"name"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range injections {
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
			t.Errorf("%s holds a formula:\n%s", zf.Name, b)
		}
	}
	f := mustOpenXLSX(t, buf.Bytes())
	for i, s := range injections {
		cell := "A" + strconv.Itoa(i+2)
		if fo, _ := f.GetCellFormula("ข้อมูล", cell); fo != "" {
			t.Errorf("%s has the formula %q", cell, fo)
		}
		v, _ := f.GetCellValue("ข้อมูล", cell)
		if v != s {
			t.Errorf("%s = %q, want %q", cell, v, s)
		}
	}
}
