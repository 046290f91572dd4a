package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/area"
	"tambon/internal/tabular"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

// writeVillageFile writes a synthetic กชช. 2ค file for the villages under
// prefix and returns its path and the number of villages.
func writeVillageFile(t *testing.T, dir, prefix string) (string, int) {
	t.Helper()
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	set := village.ForYear(2562)
	r := rand.New(rand.NewPCG(9, 9))
	var recs []village.Record
	for _, a := range tree.All() {
		if a.Level == area.Village && strings.HasPrefix(a.Code, prefix) {
			recs = append(recs, village.Record{Village: a.Code, Answers: set.Synthetic(r, r.Float64())})
		}
	}
	var b bytes.Buffer
	w := tabular.NewCSVWriter(&b)
	if err := villagefile.Write(w, set, villageName(tree), func(yield func(village.Record) bool) {
		for _, rec := range recs {
			if !yield(rec) {
				return
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "villages.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, len(recs)
}

func TestVillagesImportExportReimport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	must := mustRun(t, env)
	must("villages", "round", "--year", "2562")
	file, n := writeVillageFile(t, dir, "7005")
	out := must("import", "villages", file, "--round", "kcc2k-2562")
	if want := "round kcc2k-2562: " + strconv.Itoa(n) + " villages inserted, 0 updated, 0 unchanged"; !strings.Contains(out, want) {
		t.Fatalf("first import: %s, want %s", out, want)
	}
	for _, ext := range []string{"xlsx", "csv"} {
		first := filepath.Join(dir, "export1."+ext)
		must("export", "villages", "--round", "kcc2k-2562", "--area", "7005", "--out", first)
		out = must("import", "villages", first, "--round", "kcc2k-2562")
		if want := "0 villages inserted, 0 updated, " + strconv.Itoa(n) + " unchanged"; !strings.Contains(out, want) {
			t.Errorf("%s re-import of the export changed something: %s", ext, out)
		}
		second := filepath.Join(dir, "export2."+ext)
		must("export", "villages", "--round", "kcc2k-2562", "--area", "7005", "--out", second)
		if ext == "csv" {
			a, _ := os.ReadFile(first)
			b, _ := os.ReadFile(second)
			orig, _ := os.ReadFile(file)
			if !bytes.Equal(a, b) || !bytes.Equal(a, orig) {
				t.Errorf("export → import → export is not identical to the imported file")
			}
		}
	}
	res := must("villages", "results", "--round", "kcc2k-2562", "--area", "7005")
	if !strings.Contains(res, "7005,villages,"+strconv.Itoa(n)+",") {
		t.Errorf("results: %s", res)
	}
}

func TestVillagesImportRefusesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	if _, _, err := run(t, env, "", "villages", "round", "--year", "2562"); err != nil {
		t.Fatal(err)
	}
	good, _ := writeVillageFile(t, dir, "700513")
	b, _ := os.ReadFile(good)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	cell := func(line string, col int, v string) string {
		c := strings.Split(line, ",")
		c[col] = v
		return strings.Join(c, ",")
	}
	header := strings.Split(lines[0], ",")
	k33 := len(header) - 1
	tests := []struct {
		name  string
		edit  func(ls []string) []string
		wants []string
	}{
		{"wrong village code", func(ls []string) []string { ls[2] = cell(ls[2], 0, "70051399"); return ls },
			[]string{"row 3", "village_code", "70051399", "no village"}},
		{"bad score", func(ls []string) []string { ls[4] = cell(ls[4], k33, "7"); return ls },
			[]string{"row 5", "k33", `"7"`, "must be one of 1, 2, 3"}},
		{"percent out of range", func(ls []string) []string { ls[3] = cell(ls[3], 3, "140"); return ls },
			[]string{"row 4", "k02", "between 0 and 100"}},
		{"duplicate village", func(ls []string) []string { ls[5] = cell(ls[5], 0, strings.Split(ls[1], ",")[0]); return ls },
			[]string{"row 6", "repeats row 2"}},
		{"header missing", func(ls []string) []string {
			ls[0] = strings.Replace(ls[0], "k05 ไฟฟ้า", "ไฟ", 1)
			return ls
		},
			[]string{"k05"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ls := tc.edit(append([]string(nil), lines...))
			path := filepath.Join(t.TempDir(), "bad.csv")
			os.WriteFile(path, []byte(strings.Join(ls, "\n")+"\n"), 0o644)
			out, errOut, err := run(t, env, "", "import", "villages", path, "--round", "kcc2k-2562")
			if err == nil {
				t.Fatalf("a broken file was accepted: %s", out)
			}
			all := errOut + err.Error()
			for _, w := range tc.wants {
				if !strings.Contains(all, w) {
					t.Errorf("the refusal does not say %q:\n%s", w, all)
				}
			}
			res, _, err := run(t, env, "", "villages", "results", "--round", "kcc2k-2562")
			if err != nil || !strings.Contains(res, "TH,villages,0,") {
				t.Errorf("something was written: %s %v", res, err)
			}
		})
	}
}
