package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

// A problem near the end of a large file, found after the import has
// written several batches of households in its transaction, still leaves
// nothing written; with --skip-invalid every other household is written.
func TestImportRefusesALateBadRowWhole(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	if _, _, err := run(t, env, "", "round", "--year", "2561"); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.csv")
	if _, _, err := run(t, env, "", "gen", "--area", "700513", "--round", "bmn-2561", "--out", good); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	header := strings.Split(strings.TrimPrefix(lines[0], "\ufeff"), ",")
	col := map[string]int{}
	for i, h := range header {
		if k, ok := strings.CutSuffix(h[strings.LastIndex(h, "(")+1:], ")"); ok {
			col[k] = i
		}
	}
	households := map[string]bool{}
	for _, l := range lines[1:] {
		c := strings.Split(l, ",")
		households[c[col["village_code"]]+"/"+c[col["house_no"]]] = true
	}
	if len(households) < 1200 {
		t.Fatalf("the tambon has %d households; the test needs more than two batches of 500", len(households))
	}
	last := len(lines) - 2 // a row of one of the last households
	cells := strings.Split(lines[last], ",")
	cells[col["sex"]] = "แมว"
	lines[last] = strings.Join(cells, ",")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o644)

	_, _, err := run(t, env, "", "import", "households", bad, "--round", "bmn-2561")
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(describe(err), "nothing was written") {
		t.Fatalf("bad file: %v", err)
	}
	if out, _, _ := run(t, env, "", "rounds"); !strings.Contains(out, "bmn-2561  2561  bmn-2560-2564  0") {
		t.Errorf("households were written by a refused import:\n%s", out)
	}
	out, _, err := run(t, env, "", "import", "households", bad, "--round", "bmn-2561", "--skip-invalid")
	if want := len(households) - 1; !apperr.Is(err, apperr.Invalid) || !strings.Contains(out, strconv.Itoa(want)+" households inserted") {
		t.Errorf("--skip-invalid: %v\n%s, want %d inserted", err, out, want)
	}
}
