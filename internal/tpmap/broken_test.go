package tpmap_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"tambon/internal/apperr"
	"tambon/internal/tpmap"
)

// want is one problem a broken file must be reported with.
type want struct {
	row    int
	column string
	value  string
	en     string // a phrase of the English reason
}

// assertProblems checks that err is a bilingual apperr.Problems naming the
// file and containing every wanted problem.
func assertProblems(t *testing.T, name string, f *tpmap.File, err error, wants []want) {
	t.Helper()
	if f != nil {
		t.Errorf("got a File with %d rows; a broken file must give none", len(f.Rows)+len(f.Poverty))
	}
	var ps apperr.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v (%T), want apperr.Problems", err, err)
	}
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("code %s, want invalid", apperr.CodeOf(err))
	}
	for _, p := range ps {
		if p.File != name {
			t.Errorf("problem %q names file %q, want %q", p, p.File, name)
		}
		if !strings.ContainsFunc(p.Reason.TH, isThai) || p.Reason.EN == "" {
			t.Errorf("problem %q is not in Thai and English", p)
		}
		if strings.Contains(p.Reason.TH+p.Reason.EN, "%!") {
			t.Errorf("problem %q has a broken format", p)
		}
	}
	for _, w := range wants {
		found := false
		for _, p := range ps {
			if p.Row == w.row && p.Column == w.column && p.Value == w.value && strings.Contains(p.Reason.EN, w.en) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at row %d, column %q, value %q saying %q; got:\n%s", w.row, w.column, w.value, w.en, list(ps))
		}
	}
}

func isThai(r rune) bool { return unicode.Is(unicode.Thai, r) }

func list(ps apperr.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func TestParseRejectsBrokenFiles(t *testing.T) {
	head, row := MustLines(t, "61_70_village_common.csv")
	phead, prow := MustLines(t, "61_70_village_11111.csv")
	const name = "61_70_village_common.csv"
	// Column indexes of the common layout (0-based).
	const (
		households = 1
		elderly    = 5
		happiness  = 8
		all7       = 9 + 6
		fail7      = 9 + 31 + 6
		province   = 71
	)
	tests := []struct {
		name  string
		file  string // the name given to Parse
		input string
		wants []want
	}{
		{"failed more than measured", name,
			head + "\n" + setCell(row, fail7, "560") + "\n",
			[]want{{2, "indicator7.CNT", "560", "more than the number measured, indicator7.ALL (559)"}}},
		{"negative count", name,
			head + "\n" + setCell(row, elderly, "-3") + "\n",
			[]want{{2, "ELDERLY_CNT", "-3", "cannot be negative"}}},
		{"negative count in R's scientific form", name,
			head + "\n" + setCell(row, elderly, "-1e+05") + "\n",
			[]want{{2, "ELDERLY_CNT", "-1e+05", "cannot be negative"}}},
		{"non-numeric cell", name,
			head + "\n" + setCell(row, elderly, "abc") + "\n",
			[]want{{2, "ELDERLY_CNT", "abc", "not a number"}}},
		{"decimal count", name,
			head + "\n" + setCell(row, households, "227.5") + "\n",
			[]want{{2, "household.CNT", "227.5", "whole number"}}},
		{"missing value", name,
			head + "\n" + setCell(row, all7, "NA") + "\n",
			[]want{{2, "indicator7.ALL", "NA", "missing (NA)"}}},
		{"empty cell", name,
			head + "\n" + setCell(row, all7, "") + "\n",
			[]want{{2, "indicator7.ALL", "", "empty"}}},
		{"happiness out of range", name,
			head + "\n" + setCell(row, happiness, "11") + "\n",
			[]want{{2, "happiness", "11", "between 0 and 10"}}},
		{"happiness not a mean of whole scores", name,
			head + "\n" + setCell(row, happiness, "9.001") + "\n",
			[]want{{2, "happiness", "9.001", "must be a whole number"}}},
		{"unknown column layout", name,
			"id,households,people\n70010202,227,559\n",
			[]want{{1, "A", "id", "unknown column layout"}}},
		{"renamed column", name,
			strings.Replace(head, `"indicator7.ALL"`, `"indicator7.all"`, 1) + "\n" + row + "\n",
			[]want{{1, "indicator7.ALL", "indicator7.all", `column 16 must be named "indicator7.ALL"`}}},
		{"header missing columns", name,
			strings.TrimSuffix(head, `,"province_ID"`) + "\n" + row + "\n",
			[]want{{1, "province_ID", "", "the header has 71 columns"}}},
		{"row with too many columns", name,
			head + "\n" + row + ",0\n",
			[]want{{2, "", "", "this row has 73 columns, but the header has 72"}}},
		{"truncated in a number", name,
			head + "\n" + row + "\n" + row[:40],
			[]want{
				{3, "", "", "this row has 11 columns, but the header has 72"},
				{3, "", "", "cut short (truncated)"},
			}},
		{"truncated in a quoted id", name,
			head + "\n" + row + "\n" + `"70010`,
			[]want{{3, "", "", "cut short (truncated)"}}},
		{"header only", name,
			head + "\n",
			[]want{{1, "", "", "header but no rows"}}},
		{"empty file", name, "", []want{{0, "", "", "the file is empty"}}},
		{"only blank lines", name, "\n\r\n  \n", []want{{0, "", "", "the file is empty"}}},
		{"HTML error page", name,
			"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n",
			[]want{{1, "", "<!DOCTYPE html>", "web page (HTML)"}}},
		{"village id too short", name,
			head + "\n" + setCell(row, 0, `"700102020"`) + "\n",
			[]want{{2, "village_ID", "700102020", "must have 10 digits, not 9"}}},
		{"village id with letters", name,
			head + "\n" + setCell(row, 0, `"70010202O1"`) + "\n",
			[]want{{2, "village_ID", "70010202O1", "digits only"}}},
		{"tambon part 00", name,
			head + "\n" + setCell(row, 0, `"7001000201"`) + "\n",
			[]want{{2, "village_ID", "7001000201", "tambon part (digits 5-6) cannot be 00"}}},
		{"duplicate id", name,
			head + "\n" + row + "\n" + row + "\n",
			[]want{{3, "village_ID", "7001020201", "appears twice; first at row 2"}}},
		{"province column disagrees with the id", name,
			head + "\n" + setCell(row, province, `"57"`) + "\n",
			[]want{{2, "province_ID", "57", "does not match the first 2 digits of area id 7001020201"}}},
		{"row of another province than the file name", "61_57_village_common.csv",
			head + "\n" + row + "\n",
			[]want{{2, "province_ID", "70", "file name is for province 57"}}},
		{"name says tambon, header says village", "61_70_tambol_common.csv",
			head + "\n" + row + "\n",
			[]want{{1, "village_ID", "village_ID", "file name says tambon level, but the header is village level"}}},
		{"name says common, header says poverty", name,
			phead + "\n" + prow + "\n",
			[]want{{1, "poor.household.CNT", "poor.household.CNT", "file name says common counts, but the header holds poverty counts"}}},
		{"target poor more than the poor", "61_70_village_11111.csv",
			phead + "\n" + setCell(setCell(prow, 2, "1"), 4, "2") + "\n",
			[]want{{2, "poor.JPT.MOFval.CNT", "2", "2 is more than poor.JPT.CNT (1)"}}},
		{"dimension more than the target poor", "61_70_village_11111.csv",
			phead + "\n" + setCell(prow, 8, "1") + "\n",
			[]want{{2, "poor.JPT.MOFval.income", "1", "1 is more than poor.JPT.MOFval.CNT (0)"}}},
		{"rate above 100", "61_70_village_11111.csv",
			phead + "\n" + setCell(prow, 10, "101") + "\n",
			[]want{{2, "JPT.MOFval.pov.rate", "101", "between 0 and 100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tpmap.Parse(tt.file, strings.NewReader(tt.input))
			assertProblems(t, tt.file, f, err, tt.wants)
		})
	}
}

// What a spreadsheet program or R may do to a good file is still read.
func TestParseAcceptsHarmlessVariants(t *testing.T) {
	head, row := MustLines(t, "61_70_village_common.csv")
	tests := []struct {
		name       string
		file       string
		input      string
		households int64
	}{
		{"as published", "61_70_village_common.csv", head + "\n" + row + "\n", 227},
		{"byte-order mark and CRLF", "61_70_village_common.csv", "\xef\xbb\xbf" + head + "\r\n" + row + "\r\n", 227},
		{"no final line break", "61_70_village_common.csv", head + "\n" + row, 227},
		{"R's scientific form of a whole number", "61_70_village_common.csv",
			head + "\n" + setCell(setCell(row, 1, "1e+05"), 8, "9") + "\n", 100000},
		{"renamed upload: the header decides", "upload (1).csv", head + "\n" + row + "\n", 227},
		{"Windows path", `C:\Downloads\61_70_village_common.csv`, head + "\n" + row + "\n", 227},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := tpmap.Parse(tt.file, strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Rows) != 1 || f.Rows[0].Households != tt.households || f.Rows[0].Code != "70010202" {
				t.Errorf("rows %+v; want one row of village 70010202 with %d households", f.Rows, tt.households)
			}
		})
	}
}

// A reader that fails is an I/O error, not a problem with the file.
func TestParseReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := tpmap.Parse("x.csv", failingReader{boom})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want it to wrap %v", err, boom)
	}
	var ps apperr.Problems
	if errors.As(err, &ps) {
		t.Errorf("an I/O failure reported as input problems: %v", ps)
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestValidate(t *testing.T) {
	f := MustParse(t, "61_70_village_common.csv")
	tests := []struct {
		name    string
		unknown string // a village code the register lacks; "" for none
		wants   []want
	}{
		{"every village known", "", nil},
		{"one village unknown", "70010202",
			[]want{{2, "village_ID", "7001020201", "there is no village with code 70010202 in the national area register"}}},
		{"unknown village of two units", "70090109", []want{
			{0, "village_ID", "7009010901", "no village with code 70090109"},
			{0, "village_ID", "7009010902", "no village with code 70090109"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			err := f.Validate(func(code string) bool {
				asked = append(asked, code)
				return code != tt.unknown
			})
			if len(asked) != len(f.Rows) || len(asked[0]) != 8 {
				t.Errorf("asked about %d codes (first %q), want %d 8-digit codes", len(asked), asked[0], len(f.Rows))
			}
			if tt.wants == nil {
				if err != nil {
					t.Errorf("Validate: %v", err)
				}
				return
			}
			var ps apperr.Problems
			if !errors.As(err, &ps) || len(ps) != len(tt.wants) {
				t.Fatalf("Validate: %v; want %d problems", err, len(tt.wants))
			}
			for i, w := range tt.wants {
				p := ps[i]
				if w.row != 0 && p.Row != w.row || p.Row == 0 || p.Column != w.column || p.Value != w.value ||
					!strings.Contains(p.Reason.EN, w.en) || !strings.ContainsFunc(p.Reason.TH, isThai) || p.File != f.Name {
					t.Errorf("problem %d = %+v, want %+v", i, p, w)
				}
			}
		})
	}
}
