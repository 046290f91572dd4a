package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/tpmap"
)

// tpmapData is where the published files are kept in the repository.
const tpmapData = "../../internal/tpmap/data"

// copyTPMAP copies published files into dir, each under the name given (the
// published name when to is ""), changed by edit when it is not nil.
func copyTPMAP(t *testing.T, dir, name, to string, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(tpmapData, name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if edit != nil {
		s = edit(s)
	}
	if to == "" {
		to = name
	}
	p := filepath.Join(dir, to)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openTest(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// `import tpmap` loads the common and target-poor files of Ratchaburi with
// its flags after the files, and the target poor of every level are TPMAP's
// own rows or their exact sums.
func TestImportTPMAPTargetPoor(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		var files []string
		for _, n := range []string{"61_70_village_common.csv", "61_70_tambol_common.csv", "61_70_amphur_common.csv", "61_70_village_11111.csv", "61_70_tambol_11111.csv"} {
			files = append(files, copyTPMAP(t, dir, n, "", nil))
		}
		out := mustRun(t, nil)(append(append([]string{"import", "tpmap"}, files...), "--db", dsn)...)
		if !strings.Contains(out, "TPMAP 2561 (จปฐ. 2560)") || !strings.Contains(out, "232 checked against the sum of their children and equal") {
			t.Errorf("summary: %s", out)
		}
		ctx := context.Background()
		s := openTest(t, dsn)
		tambons := MustParseTPMAP(t, "61_70_tambol_11111.csv")
		var province tpmap.TargetPoor
		for _, p := range tambons.Poverty {
			got, ok, err := s.TPMAPTargetPoor(ctx, p.Code, 2561)
			if err != nil || !ok {
				t.Fatalf("%s: ok %v, %v", p.Code, ok, err)
			}
			if !got.Published || got.TargetPoor != p.TargetPoor || got.Poor != p.Poor || got.Registered != p.PoorMOFReg ||
				got.Dimensions != p.Dimensions || got.Rate != p.Rate || got.PoorHouseholds != p.PoorHouseholds {
				t.Errorf("tambon %s: stored %+v, published %+v", p.Code, got, p)
			}
			province.TargetPoor += p.TargetPoor
			province.Poor += p.Poor
			province.Registered += p.PoorMOFReg
		}
		for _, code := range []string{"70", tpmap.Country} {
			got, ok, err := s.TPMAPTargetPoor(ctx, code, 2561)
			if err != nil || !ok || got.TargetPoor != province.TargetPoor || got.Poor != province.Poor ||
				got.Registered != province.Registered || got.Published || got.People != 501102 {
				t.Errorf("%s: %+v (ok %v, %v); tambons sum to target poor %d, poor %d", code, got, ok, err, province.TargetPoor, province.Poor)
			}
		}
		if rd, err := s.Round(ctx, "tpmap-2561"); err != nil || rd.SurveyYear != 2561 || !rd.AggregateOnly {
			t.Errorf("round %+v, %v", rd, err)
		}

		// Another province's common file, flags first, leaves Ratchaburi's
		// target poor as they were.
		mustRun(t, nil)("import", "tpmap", "--db", dsn, copyTPMAP(t, dir, "61_57_village_common.csv", "", nil))
		if got, ok, _ := s.TPMAPTargetPoor(ctx, tpmap.Country, 2561); !ok || got.TargetPoor != province.TargetPoor {
			t.Errorf("country after Chiang Rai: %+v", got)
		}
	})
}

// MustParseTPMAP parses a published file kept in the repository.
func MustParseTPMAP(t *testing.T, name string) *tpmap.File {
	t.Helper()
	f, err := os.Open(filepath.Join(tpmapData, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := tpmap.Parse(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return pf
}

// A broken or mismatched file is refused with its file, row and column in
// Thai and English, and nothing of the import is written.
func TestImportTPMAPRefuses(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		mustRun(t, nil)("migrate", "--db", dsn)
		cell := func(id string, col int, v string) func(string) string {
			return func(s string) string {
				lines := strings.Split(s, "\n")
				for i, l := range lines {
					if strings.HasPrefix(l, `"`+id+`"`) {
						cells := strings.Split(l, ",")
						cells[col] = v
						lines[i] = strings.Join(cells, ",")
					}
				}
				return strings.Join(lines, "\n")
			}
		}
		village := func(edit func(string) string) string {
			return copyTPMAP(t, dir, "61_70_village_11111.csv", "", edit)
		}
		tambonLine := 0
		for i, l := range strings.Split(readData(t, "61_70_tambol_11111.csv"), "\n") {
			if strings.HasPrefix(l, `"700513"`) {
				tambonLine = i + 1
			}
		}
		villageLine := 0
		for i, l := range strings.Split(readData(t, "61_70_village_11111.csv"), "\n") {
			if strings.HasPrefix(l, `"7005130401"`) {
				villageLine = i + 1
			}
		}
		tests := []struct {
			name string
			args func() []string
			file string
			row  int
			col  string
			th   string
			en   string
		}{
			{"wrong sum", func() []string {
				return []string{village(cell("7005130401", 2, "999")), copyTPMAP(t, dir, "61_70_tambol_11111.csv", "", nil)}
			}, "61_70_tambol_11111.csv", tambonLine, "poor.JPT.CNT", "ผลรวมของหมู่บ้าน", "the sum of its 18 village rows"},
			{"bad number", func() []string {
				return []string{village(cell("7005130401", 4, "12a"))}
			}, "61_70_village_11111.csv", villageLine, "poor.JPT.MOFval.CNT", "ไม่ใช่ตัวเลข", "is not a number"},
			{"unknown code", func() []string {
				return []string{village(func(s string) string { return strings.Replace(s, `"7005130401"`, `"7098010101"`, 1) })}
			}, "61_70_village_11111.csv", villageLine, "village_ID", "ไม่พบหมู่บ้านรหัส 70980101", "there is no village with code 70980101"},
			{"year in the name against the content", func() []string {
				return []string{copyTPMAP(t, dir, "61_70_village_11111.csv", "67_70_village_11111.csv", nil)}
			}, "67_70_village_11111.csv", 1, "poor.JPT.MOFval.ind1.CNT", "ปีในชื่อไฟล์ไม่ตรงกับข้อมูล", "the year in the name does not match the content"},
			{"year in the name against --year", func() []string {
				return []string{"--year", "2562", village(nil)}
			}, "61_70_village_11111.csv", 0, "", "ชื่อไฟล์บอกว่าเป็นข้อมูล TPMAP ปี 2561", "the file name says TPMAP year 2561, but --year says 2562"},
			{"no year at all", func() []string {
				return []string{copyTPMAP(t, dir, "61_70_village_common.csv", "ratchaburi.csv", nil)}
			}, "ratchaburi.csv", 0, "", "บอกไม่ได้ว่าเป็นข้อมูล TPMAP ปีใด", "cannot tell which TPMAP year"},
		}
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				args := append(append([]string{"import", "tpmap"}, tt.args()...), "--db", dsn)
				_, _, err := run(t, nil, "", args...)
				var ps apperr.Problems
				if !errors.As(err, &ps) {
					t.Fatalf("err %v, want problems", err)
				}
				found := false
				for _, p := range ps {
					if p.File == tt.file && p.Row == tt.row && p.Column == tt.col && strings.Contains(p.Reason.TH, tt.th) && strings.Contains(p.Reason.EN, tt.en) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem in %s row %d column %q saying %q / %q; got %v", tt.file, tt.row, tt.col, tt.th, tt.en, ps)
				}
				s := openTest(t, dsn)
				if got, err := s.TPMAPTargetPoorYear(ctx, 2561); err != nil || len(got) != 0 {
					t.Errorf("%d target-poor rows written (%v)", len(got), err)
				}
				if _, err := s.Round(ctx, "tpmap-2561"); !apperr.Is(err, apperr.NotFound) {
					t.Errorf("round written: %v", err)
				}
			})
		}
		// A renamed common file is taken with --year, given before the file.
		mustRun(t, nil)("import", "tpmap", "--year", "2561", "--db", dsn, copyTPMAP(t, dir, "61_70_village_common.csv", "ratchaburi.csv", nil))
		if _, err := openTest(t, dsn).Round(ctx, "tpmap-2561"); err != nil {
			t.Errorf("after --year: %v", err)
		}
	})
}

func readData(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(tpmapData, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Flags after the positional arguments are flags for every command that
// takes positional arguments, not arguments.
func TestFlagsAfterArguments(t *testing.T) {
	dsn := tempDB(t)
	mustRun(t, nil)("migrate", "--db", dsn)
	mustRun(t, nil)("targets", "1=95", "--db", dsn)
	if out := mustRun(t, nil)("targets", "--db", dsn); !strings.Contains(out, "95") {
		t.Errorf("targets after setting 1=95 with --db last:\n%s", out)
	}
	if _, _, err := run(t, nil, "", "import", "tpmap", "--db", dsn); err == nil {
		t.Error("import tpmap without files was taken")
	}

	// A string flag before the file takes its value, not the file: the data
	// file is the one read (and its problems reported), and it is left alone.
	mustRun(t, nil)("round", "--year", "2566", "--db", dsn)
	dir := t.TempDir()
	data, report := filepath.Join(dir, "households.csv"), filepath.Join(dir, "problems.xlsx")
	const bad = "not,a,household\n1,2,3\n"
	if err := os.WriteFile(data, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, nil, "", "import", "households", "--report", report, data, "--round", "bmn-2566", "--db", dsn)
	var ps apperr.Problems
	if !errors.As(err, &ps) || ps[0].File != "households.csv" || ps[0].Row != 1 {
		t.Errorf("the broken households file was not the one read: %v", err)
	}
	if b, _ := os.ReadFile(data); string(b) != bad {
		t.Errorf("the data file was overwritten: %q", b)
	}
	if _, _, err := run(t, nil, "", "import", "households", data, report, "--round", "bmn-2566", "--db", dsn); err == nil {
		t.Error("two files were taken by import households")
	}
}
