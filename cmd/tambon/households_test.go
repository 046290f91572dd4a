package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
)

// A generated file imports, exports and re-imports identically, and the
// statistics stay equal to a recompute.
func TestImportExportReimport(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	gen := filepath.Join(dir, "gen.csv")
	out := must("gen", "--area", "700513", "--round", "bmn-2561", "--out", gen)
	if !strings.Contains(out, "wrote 2949 households") {
		t.Fatalf("gen: %s", out)
	}
	out = must("import", "households", gen, "--round", "bmn-2561")
	if !strings.Contains(out, "2949 households inserted, 0 updated, 0 unchanged") {
		t.Fatalf("first import: %s", out)
	}
	exported := filepath.Join(dir, "export.xlsx")
	must("export", "households", "--round", "bmn-2561", "--area", "700513", "--out", exported)
	out = must("import", "households", exported, "--round", "bmn-2561")
	if !strings.Contains(out, "0 households inserted, 0 updated, 2949 unchanged") {
		t.Errorf("re-import of the export changed something: %s", out)
	}
	out = must("check", "--round", "bmn-2561")
	if !strings.Contains(out, "equal a recompute") {
		t.Errorf("check: %s", out)
	}
	out = must("results", "--round", "bmn-2561", "--area", "7005", "--children")
	if n := strings.Count(out, "\n"); n != 1+15*31 {
		t.Errorf("results for Ban Pong's 15 tambons: %d lines, want %d", n, 1+15*31)
	}
}

// One bad row: nothing is written, the report names the row, and
// --skip-invalid writes the rest.
func TestImportRefusesABadRowWhole(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	if _, _, err := run(t, env, "", "round", "--year", "2561"); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.csv")
	if _, _, err := run(t, env, "", "gen", "--area", "70051304", "--round", "bmn-2561", "--out", good); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	lines := strings.Split(string(b), "\n")
	// Break the citizen ID on the third data line: change its check digit.
	header := strings.Split(strings.TrimPrefix(lines[0], "\ufeff"), ",")
	col := -1
	for i, h := range header {
		if strings.Contains(h, "citizen_id") {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no citizen_id column in %q", lines[0])
	}
	cells := strings.Split(lines[3], ",")
	id := []byte(cells[col])
	id[len(id)-1] = '0' + (id[len(id)-1]-'0'+1)%10
	cells[col] = string(id)
	lines[3] = strings.Join(cells, ",")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)

	_, errOut, err := run(t, env, "", "import", "households", bad, "--round", "bmn-2561")
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(describe(err), "nothing was written") {
		t.Fatalf("bad file: %v", err)
	}
	if !strings.Contains(errOut, "row 4") {
		t.Errorf("the problem does not name row 4:\n%s", errOut)
	}
	out, _, _ := run(t, env, "", "rounds")
	if !strings.Contains(out, "bmn-2561  2561  bmn-2560-2564  0") {
		t.Errorf("households were written by a refused import:\n%s", out)
	}
	report := filepath.Join(dir, "bad.problems.xlsx")
	rd, err := tabular.OpenFile(report, tabular.Options{})
	if err != nil {
		t.Fatalf("problem report: %v", err)
	}
	rows := 0
	for rd.Next() {
		rows++
	}
	rd.Close()
	if rows == 0 {
		t.Error("the problem report is empty")
	}
	out, _, err = run(t, env, "", "import", "households", bad, "--round", "bmn-2561", "--skip-invalid")
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(out, "171 households inserted") {
		t.Errorf("--skip-invalid: %v\n%s", err, out)
	}
}

// TPMAP's published village figures roll up to exactly the published tambon
// and amphoe rows.
func TestImportTPMAPRollsUpExactly(t *testing.T) {
	env := map[string]string{"TAMBON_DB": tempDB(t)}
	data := "../../internal/tpmap/data/"
	out, _, err := run(t, env, "", "import", "tpmap", data+"61_70_village_common.csv", data+"61_70_tambol_common.csv", data+"61_70_amphur_common.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "168196 households, 501102 people; 290 areas added to the area register; 1239 published rows read, 121 checked against the sum of their children and equal") {
		t.Errorf("summary: %s", out)
	}
	out, _, err = run(t, env, "", "results", "--round", "tpmap-2561", "--area", "700513", "--format", "json")
	if err != nil || !strings.Contains(out, `"households": 2949`) || !strings.Contains(out, `"people": 7873`) {
		t.Errorf("Khao Khlung: %v\n%.300s", err, out)
	}
	// TPMAP publishes no income: unknown, not 0 baht.
	if !strings.Contains(out, `"income_per_person": null`) {
		t.Errorf("Khao Khlung's income from TPMAP's figures is not unknown:\n%.400s", out)
	}
	if out, _, err := run(t, env, "", "check", "--round", "tpmap-2561"); err != nil || !strings.Contains(out, "equal") {
		t.Errorf("check: %v %s", err, out)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "round", "--year", "2561"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "", "gen", "--area", "70051304", "--round", "bmn-2561"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	out, _, err := run(t, env, "", "backup", "--to", backup)
	if err != nil || !strings.Contains(out, "verified") || !strings.Contains(out, "172 households") {
		t.Fatalf("backup: %v %s", err, out)
	}
	restored := filepath.Join(dir, "r.db")
	out, _, err = run(t, nil, "", "restore", backup, "--db", restored)
	if err != nil || !strings.Contains(out, "172 households") {
		t.Fatalf("restore: %v %s", err, out)
	}
	out, _, err = run(t, map[string]string{"TAMBON_DB": restored}, "", "check", "--round", "bmn-2561")
	if err != nil || !strings.Contains(out, "equal") {
		t.Errorf("check after restore: %v %s", err, out)
	}
}

// tambon gen fills a round of the 2566-2570 set: its households import
// through the file the generator writes (so they validate against the set),
// the statistics equal a recompute, and the set's indicators are judged.
func TestGen2566Round(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	must := mustRun(t, env)
	file := filepath.Join(dir, "gen.csv")
	out := must("gen", "--area", "70051304", "--round", "bmn-2567", "--year", "2567", "--out", file)
	if !strings.Contains(out, "indicator set bmn-2566-2570") {
		t.Fatalf("gen: %s", out)
	}
	if out = must("import", "households", file, "--round", "bmn-2567"); !strings.Contains(out, " households inserted, 0 updated") {
		t.Fatalf("import: %s", out)
	}
	if out = must("check", "--round", "bmn-2567"); !strings.Contains(out, "equal a recompute") {
		t.Errorf("check: %s", out)
	}
	out = must("results", "--round", "bmn-2567", "--area", "70051304")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][7] != "surveyed" {
		t.Fatalf("results: %v\n%s", err, out)
	}
	judged := 0
	for _, f := range rows[1:] {
		if f[7] != "0" {
			judged++
		}
	}
	if judged < 25 {
		t.Errorf("%d indicators of bmn-2566-2570 judged for anyone:\n%s", judged, out)
	}
}
