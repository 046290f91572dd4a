package surveyfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"tambon/internal/apperr"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// Files that cannot be imported at all are refused before any row is read,
// with a message that names the file and says what to do; tabular does the
// refusing, these tests prove the import path gets it.
func TestBrokenFiles(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 3, 4)
	good := MustGrid(t, set, hs)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(good.CSV())
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(strings.Repeat("village_code,house_no,名前\n70051304,1,山田太郎\n", 20)))
	if err != nil {
		t.Fatal(err)
	}

	renamed := MustGrid(t, set, hs)
	renamed.Header[renamed.Col(t, "citizen_id")] = "เลขบัตรประชาชน"
	missing := MustGrid(t, set, hs)
	i := missing.Col(t, "birth_date")
	missing.Header = append(missing.Header[:i:i], missing.Header[i+1:]...)
	for r := range missing.Rows {
		missing.Rows[r] = append(missing.Rows[r][:i:i], missing.Rows[r][i+1:]...)
	}
	merged := xlsxOf(t, good, func(f *excelize.File) {
		if err := f.MergeCell("Sheet1", "A2", "A4"); err != nil {
			t.Fatal(err)
		}
	})

	for _, tc := range []struct {
		name string
		file string
		data []byte
		want string // part of the English message
	}{
		{"empty file", "hh.csv", nil, "is empty"},
		{"only a byte-order mark", "hh.csv", []byte("\xef\xbb\xbf\r\n"), "is empty"},
		{"HTML page saved as .xls", "hh.xls", []byte("<html><body><table><tr><td>1</td></tr></table></body></html>"), "web page (HTML)"},
		{"legacy .xls", "hh.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "legacy Excel"},
		{"UTF-16 without a byte-order mark", "hh.csv", utf16, "binary data"},
		{"Shift-JIS", "hh.csv", sjis, "binary data"},
		{"renamed column", "hh.csv", renamed.CSV(), `เลขประจำตัวประชาชน (citizen_id) (closest header: column BQ "เลขบัตรประชาชน" — was it renamed?)`},
		{"missing column", "hh.csv", missing.CSV(), "required columns missing: วันเกิด (birth_date)"},
		{"merged cells", "hh.xlsx", merged, "cells A2:A4 are merged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := Open(tc.file, set, tc.data)
			if err == nil {
				rd.Close()
				t.Fatal("opened; want a refusal")
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("code %s, want invalid: %v", apperr.CodeOf(err), err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) {
				t.Fatalf("message %q\nwant it to contain %q", msg, tc.want)
			}
		})
	}
}

// A 2 GB upload is refused from its size alone: nothing is read, nothing
// allocated.
func TestTooLarge(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	_, err := tabular.Open("hh.csv", panicReader{}, 2<<30, tabular.Options{Expect: surveyfile.Columns(set)})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "2.0 GB, over the limit") {
		t.Fatalf("got %v", err)
	}
}

type panicReader struct{}

func (panicReader) ReadAt([]byte, int64) (int, error) { panic("a 2 GB file was read") }

// Thai Excel saves CSV in Windows-874: the Thai text reads back correctly
// and a warning says which encoding was assumed.
func TestWindows874(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 5, 6)
	data, err := charmap.Windows874.NewEncoder().Bytes(MustGrid(t, set, hs).CSV())
	if err != nil {
		t.Fatal(err)
	}
	res := MustRead(t, "hh.csv", set, data, surveyfile.ReadOptions{})
	if len(res.Problems) > 0 || len(res.Households) != len(hs) {
		t.Fatalf("%d households, problems %v", len(res.Households), res.Problems)
	}
	if got, want := res.Households[0].Members[0].FirstName, hs[0].Members[0].FirstName; got != want {
		t.Errorf("first name %q, want %q", got, want)
	}
	if !hasWarning(res.Warnings, "Windows-874") {
		t.Errorf("no encoding warning in %v", res.Warnings)
	}
}

// Dates without an era are read by the year's size, and the first of each
// era in each column is reported: 1964 is CE, 2564 BE.
func TestEraWarnings(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 3, 4)
	g := MustGrid(t, set, hs)
	birth := hs[0].Members[0].BirthDate
	g.Set(t, 2, "birth_date", birth.Format("02/01/2006")) // the same date in CE
	res := MustRead(t, "hh.csv", set, g.CSV(), surveyfile.ReadOptions{})
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	if got := res.Households[0].Members[0].BirthDate; !got.Equal(birth) {
		t.Errorf("birth date %s, want %s", got, birth)
	}
	for _, want := range []string{fmt.Sprint(birth.Year(), " in column วันเกิด was read as CE"), "2564 in column วันที่สำรวจ was read as BE"} {
		n := 0
		for _, w := range res.Warnings {
			if strings.Contains(w.Reason.EN, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d warnings containing %q, want 1: %v", n, want, res.Warnings)
		}
	}
}

// Other sheets with data are named in a warning; tambon's own instructions
// sheet is not.
func TestExtraSheets(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	g := MustGrid(t, set, surveyfile.Example(set, "70051304", 2, 4))
	data := xlsxOf(t, g, func(f *excelize.File) {
		f.NewSheet("Sheet2")
		f.SetCellValue("Sheet2", "B3", "ครัวเรือนที่ตกหล่น")
		f.NewSheet(surveyfile.HelpSheet)
		f.SetCellValue(surveyfile.HelpSheet, "A1", "คำอธิบาย")
	})
	res := MustRead(t, "hh.xlsx", set, data, surveyfile.ReadOptions{})
	if len(res.Problems) > 0 || len(res.Households) != 2 {
		t.Fatalf("%d households, problems %v", len(res.Households), res.Problems)
	}
	if !hasWarning(res.Warnings, `sheet "Sheet2" holds data but was not imported`) {
		t.Errorf("no warning about Sheet2: %v", res.Warnings)
	}
	if hasWarning(res.Warnings, surveyfile.HelpSheet) {
		t.Errorf("warned about the instructions sheet: %v", res.Warnings)
	}
}

// A household's rows may be scattered and a row with blank key columns
// continues the household above; either way one household comes out.
func TestGrouping(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 6, 8)
	a := multi(t, hs, 2)
	for _, tc := range []struct {
		name string
		edit func(g *Grid)
	}{
		{"scattered rows", func(g *Grid) {
			first := firstRows(hs)[a] - 2
			row := g.Rows[first+1]
			g.Rows = append(g.Rows[:first+1], g.Rows[first+2:]...)
			g.Rows = append(g.Rows, row)
		}},
		{"continuation rows", func(g *Grid) {
			r := firstRows(hs)[a] + 1
			for _, k := range []string{"village_code", "house_code", "house_no"} {
				g.Set(t, r, k, "")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := MustGrid(t, set, hs)
			tc.edit(g)
			res := MustRead(t, "hh.csv", set, g.CSV(), surveyfile.ReadOptions{})
			if len(res.Problems) > 0 || len(res.Households) != len(hs) {
				t.Fatalf("%d households, problems %v", len(res.Households), res.Problems)
			}
			var got int
			for _, h := range res.Households {
				if h.Key() == hs[a].Key() {
					got = len(h.Members)
				}
			}
			if got != len(hs[a].Members) {
				t.Errorf("household %s has %d members, want %d", hs[a].Key(), got, len(hs[a].Members))
			}
		})
	}
}

// Past MaxProblems, problems are counted, not listed, and every household
// is still judged.
func TestMaxProblems(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 20, 4)
	g := MustGrid(t, set, hs)
	for r := range g.Rows {
		g.Rows[r][g.Col(t, "sex")] = "?"
	}
	res := MustRead(t, "hh.csv", set, g.CSV(), surveyfile.ReadOptions{MaxProblems: 5})
	if len(res.Problems) != 6 || res.More != len(g.Rows)-5 {
		t.Fatalf("%d problems listed, %d more; want 5 + a summary, %d more", len(res.Problems), res.More, len(g.Rows)-5)
	}
	if !strings.Contains(res.Problems[5].Reason.EN, "more problems are not listed") {
		t.Errorf("last problem %v", res.Problems[5])
	}
	if len(res.Households) != 0 || len(res.Invalid) != len(hs) {
		t.Errorf("%d valid, %d invalid; want all %d invalid", len(res.Households), len(res.Invalid), len(hs))
	}
}

// A broken CSV quote stops the read with a located problem.
func TestBrokenQuote(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	g := MustGrid(t, set, surveyfile.Example(set, "70051304", 2, 4))
	g.Set(t, 3, "first_name", "สม\"ศรี")
	data := bytes.Replace(g.CSV(), []byte(`"สม""ศรี"`), []byte(`"สม"ศรี`), 1)
	rd, err := Open("hh.csv", set, data)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	_, err = surveyfile.Read(rd, set, surveyfile.ExampleRound(set), surveyfile.ReadOptions{Now: now})
	var ps apperr.Problems
	if !errors.As(err, &ps) || ps[0].Row != 3 {
		t.Fatalf("got %v, want a problem at row 3", err)
	}
}

func hasWarning(ws []apperr.Problem, s string) bool {
	for _, w := range ws {
		if strings.Contains(w.Reason.EN, s) || strings.Contains(w.Sheet, s) {
			return true
		}
	}
	return false
}

// xlsxOf writes a grid as a plain workbook (as an official's Excel would,
// everything as text) and lets edit change it.
func xlsxOf(tb testing.TB, g *Grid, edit func(f *excelize.File)) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := append([][]string{g.Header}, g.Rows...)
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			tb.Fatal(err)
		}
	}
	edit(f)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
