package tpmap_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/tpmap"
)

// ratchaburi parses Ratchaburi's five published 2561 files.
func ratchaburi(t *testing.T) []*tpmap.File {
	var fs []*tpmap.File
	for _, name := range []string{"61_70_village_common.csv", "61_70_tambol_common.csv", "61_70_amphur_common.csv",
		"61_70_village_11111.csv", "61_70_tambol_11111.csv"} {
		fs = append(fs, MustParse(t, name))
	}
	return fs
}

// The real files fit together: every tambon and amphoe row is the sum of its
// villages, and every poverty row matches its common row.
func TestPublishedFilesFitTogether(t *testing.T) {
	fs := ratchaburi(t)
	for _, f := range fs {
		if f.Year != 2561 {
			t.Errorf("%s: year %d, want 2561 from the name", f.Name, f.Year)
		}
	}
	if err := tpmap.CheckSums(fs); err != nil {
		t.Errorf("Ratchaburi: %v", err)
	}
	if err := tpmap.CheckSums([]*tpmap.File{MustParse(t, "61_57_village_common.csv"), MustParse(t, "61_57_tambol_common.csv")}); err != nil {
		t.Errorf("Chiang Rai: %v", err)
	}
}

// The target poor of every village add up exactly to TPMAP's published
// tambons, the tambons to the amphoe and the amphoe to the province.
func TestTargetPoorRollsUpEveryLevel(t *testing.T) {
	villagesOnly := tpmap.TargetPoorYear(2561, []*tpmap.File{MustParse(t, "61_70_village_11111.csv"), MustParse(t, "61_70_village_common.csv")})
	got := map[string]tpmap.TargetPoor{}
	for _, tp := range villagesOnly {
		got[tp.Code] = tp
		if tp.Year != 2561 {
			t.Fatalf("%s: year %d", tp.Code, tp.Year)
		}
	}
	if len(got) != 1112+111+10+1 {
		t.Errorf("%d areas, want 1,112 villages, 111 tambons, 10 amphoe and the province", len(got))
	}
	tambons := MustParse(t, "61_70_tambol_11111.csv").Poverty
	amphoe := map[string]tpmap.TargetPoor{}
	for _, p := range tambons {
		s := got[p.Code]
		if s.Poor != p.Poor || s.Registered != p.PoorMOFReg || s.TargetPoor != p.TargetPoor ||
			s.PoorHouseholds != p.PoorHouseholds || s.Dimensions != p.Dimensions || !equalCounts(s.Indicators, p.Indicators[:]) {
			t.Errorf("tambon %s: villages sum to %+v, TPMAP published %+v", p.Code, s, p)
		}
		if g15(s.Rate) != g15(p.Rate) {
			t.Errorf("tambon %s: rate from villages %s, published %s", p.Code, g15(s.Rate), g15(p.Rate))
		}
		if s.Published || s.Level != tpmap.LevelTambon {
			t.Errorf("tambon %s: published %v, level %d; no tambon file was given", p.Code, s.Published, s.Level)
		}
		a := amphoe[p.Code[:4]]
		a.TargetPoor += p.TargetPoor
		a.Poor += p.Poor
		a.Registered += p.PoorMOFReg
		for k := range a.Dimensions {
			a.Dimensions[k] += p.Dimensions[k]
		}
		amphoe[p.Code[:4]] = a
	}
	var province tpmap.TargetPoor
	for code, a := range amphoe {
		s := got[code]
		if s.TargetPoor != a.TargetPoor || s.Poor != a.Poor || s.Registered != a.Registered || s.Dimensions != a.Dimensions {
			t.Errorf("amphoe %s: %+v, the published tambons sum to %+v", code, s, a)
		}
		province.TargetPoor += a.TargetPoor
		province.Poor += a.Poor
	}
	if p := got["70"]; p.TargetPoor != province.TargetPoor || p.Poor != province.Poor || p.TargetPoor == 0 || p.Level != tpmap.LevelProvince {
		t.Errorf("province: %+v, amphoe sum to target poor %d, poor %d", p, province.TargetPoor, province.Poor)
	}
	for _, r := range MustParse(t, "61_70_amphur_common.csv").Rows {
		if s := got[r.Code]; s.People != r.Members || s.Households != r.Households {
			t.Errorf("amphoe %s: %d people in %d households, published %d in %d", r.Code, s.People, s.Households, r.Members, r.Households)
		}
	}

	// With the tambon files the tambons are TPMAP's own rows.
	for _, tp := range tpmap.TargetPoorYear(2561, ratchaburi(t)) {
		want := tp.Level == tpmap.LevelTambon || tp.Level == tpmap.LevelVillage
		if tp.Published != want {
			t.Errorf("%s: published %v, want %v", tp.Code, tp.Published, want)
		}
	}

	// The country is the sum of its provinces.
	other := got["70"]
	other.Code, other.TargetPoor, other.People = "57", 10, 1000
	all := tpmap.WithCountry(append(villagesOnly, other))
	th := all[len(all)-1]
	if th.Code != tpmap.Country || th.TargetPoor != got["70"].TargetPoor+10 || th.People != got["70"].People+1000 {
		t.Errorf("country %+v", th)
	}
}

func equalCounts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// edited parses data/<name> after edit has changed its lines (line 0 is the
// header).
func edited(t *testing.T, name string, edit func(lines []string) []string) *tpmap.File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"))
	f, err := tpmap.Parse(name, bytes.NewReader([]byte(strings.Join(lines, "\n")+"\n")))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// lineOf returns the line (1 = header) of the row whose first cell is id.
func lineOf(t *testing.T, name, id string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, `"`+id+`"`) {
			return i + 1
		}
	}
	t.Fatalf("%s has no row %s", name, id)
	return 0
}

// Files that do not fit together are refused with the row, the column and
// the published value.
func TestMismatchedFilesAreRefused(t *testing.T) {
	bump := func(id string, col int) func([]string) []string {
		return func(lines []string) []string {
			for i, l := range lines {
				if strings.HasPrefix(l, `"`+id+`"`) {
					cells := strings.Split(l, ",")
					n, _ := strconv.Atoi(cells[col])
					cells[col] = strconv.Itoa(n + 1)
					lines[i] = strings.Join(cells, ",")
				}
			}
			return lines
		}
	}
	drop := func(id string) func([]string) []string {
		return func(lines []string) []string {
			var out []string
			for _, l := range lines {
				if !strings.HasPrefix(l, `"`+id+`"`) {
					out = append(out, l)
				}
			}
			return out
		}
	}
	keep := func(lines []string) []string { return lines }
	// Village 70051304 (หมู่ 4 ตำบลเขาขลุง) has target poor; its tambon
	// row is where a changed village shows.
	tambonLine := lineOf(t, "61_70_tambol_11111.csv", "700513")
	tests := []struct {
		name  string
		files []*tpmap.File
		want  want
		file  string
	}{
		{"a village's poor count one higher",
			[]*tpmap.File{edited(t, "61_70_village_11111.csv", bump("7005130401", 2)), MustParse(t, "61_70_tambol_11111.csv")},
			want{tambonLine, "poor.JPT.CNT", "", "sum of its 18 village rows in 61_70_village_11111.csv is"}, "61_70_tambol_11111.csv"},
		{"a tambon's welfare-card registrations one higher",
			[]*tpmap.File{MustParse(t, "61_70_village_common.csv"), edited(t, "61_70_tambol_common.csv", bump("700513", 3))},
			want{lineOf(t, "61_70_tambol_common.csv", "700513"), "MOF_REG_CNT", "", "the sum of its 18 village rows"}, "61_70_tambol_common.csv"},
		{"a tambon missing",
			[]*tpmap.File{MustParse(t, "61_70_village_11111.csv"), edited(t, "61_70_tambol_11111.csv", drop("700513"))},
			want{0, "tumbol_ID", "700513", "there is no row for tambon 700513"}, "61_70_tambol_11111.csv"},
		{"a village's target poor without its common row",
			[]*tpmap.File{edited(t, "61_70_village_common.csv", drop("7005130401")), MustParse(t, "61_70_village_11111.csv")},
			want{lineOf(t, "61_70_village_11111.csv", "7005130401"), "village_ID", "7005130401", "has no row for this area"}, "61_70_village_11111.csv"},
		{"a village's target poor one higher than its rate says",
			[]*tpmap.File{MustParse(t, "61_70_village_common.csv"), edited(t, "61_70_village_11111.csv", bump("7005130401", 4))},
			want{lineOf(t, "61_70_village_11111.csv", "7005130401"), "JPT.MOFval.pov.rate", "", "the target-poor rate must be"}, "61_70_village_11111.csv"},
		{"the same file twice",
			[]*tpmap.File{MustParse(t, "61_70_village_11111.csv"), edited(t, "61_70_village_11111.csv", keep)},
			want{0, "", "", "give only one of them"}, "61_70_village_11111.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tpmap.CheckSums(tt.files)
			var ps apperr.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("CheckSums = %v, want problems", err)
			}
			for _, p := range ps {
				if p.File != tt.file || !strings.ContainsFunc(p.Reason.TH, isThai) || p.Reason.EN == "" {
					t.Errorf("problem %q: want file %s, in Thai and English", p, tt.file)
				}
			}
			w := tt.want
			for _, p := range ps {
				if p.Row == w.row && p.Column == w.column && (w.value == "" || p.Value == w.value) && strings.Contains(p.Reason.EN, w.en) {
					return
				}
			}
			t.Errorf("no problem at row %d, column %q, value %q saying %q; got:\n%s", w.row, w.column, w.value, w.en, list(ps))
		})
	}
}
