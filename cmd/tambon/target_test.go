package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/tabular"
)

// The targeting list masks personal data unless asked, and asking is
// written to the audit log; transitions follow the same houses across rounds.
func TestTargetAndTransitions(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db"), "USER": "tester"}
	for _, args := range [][]string{
		{"round", "--year", "2561"}, {"round", "--year", "2562"},
		{"gen", "--area", "70051304", "--round", "bmn-2561", "--seed", "1"},
		{"gen", "--area", "70051304", "--round", "bmn-2562", "--seed", "2"},
	} {
		if out, _, err := run(t, env, "", args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	list := filepath.Join(dir, "target.xlsx")
	out, _, err := run(t, env, "", "target", "--round", "bmn-2561", "--area", "70051304", "--poor", "--out", list)
	if err != nil || !strings.Contains(out, "households written") {
		t.Fatalf("target: %v %s", err, out)
	}
	rd, err := tabular.OpenFile(list, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for rd.Next() {
		rows++
		for _, cell := range rd.Row().Cells {
			if strings.Contains(cell, "xxxxxx") {
				continue
			}
			if len(cell) == 11 && strings.Trim(cell, "0123456789") == "" {
				t.Errorf("row %d shows an unmasked house code %s", rd.Row().Num, cell)
			}
		}
	}
	rd.Close()
	if rows == 0 {
		t.Fatal("nobody is MPI-poor in a generated village: the list is empty")
	}
	if _, _, err := run(t, env, "", "target", "--round", "bmn-2561", "--area", "70051304", "--poor", "--reveal"); err != nil {
		t.Fatal(err)
	}
	audit, _, _ := run(t, env, "", "audit", "--action", "export.personal")
	if !strings.Contains(audit, "tester") {
		t.Errorf("the unmasked list is not in the audit log:\n%s", audit)
	}
	out, _, err = run(t, env, "", "transitions", "--from", "bmn-2561", "--to", "bmn-2562", "--area", "70051304")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	f := strings.Split(lines[1], "\t")
	if len(f) != 8 || f[6] != "0" || f[7] != "0" {
		t.Errorf("the same houses surveyed twice should give no new or gone households: %q", lines[1])
	}
	// Each household's own history: one line each, matched by house code,
	// and the counts agree with the table.
	out, _, err = run(t, env, "", "transitions", "--from", "bmn-2561", "--to", "bmn-2562", "--area", "70051304", "--households")
	if err != nil {
		t.Fatal(err)
	}
	hh := strings.Split(strings.TrimSpace(out), "\n")[1:]
	graduated := 0
	for _, l := range hh {
		c := strings.Split(l, "\t")
		if c[3] != "key" {
			t.Errorf("not matched by house code: %q", l)
		}
		if c[6] == "graduated" {
			graduated++
		}
	}
	if len(hh) != 172 || fmt.Sprint(graduated) != f[2] {
		t.Errorf("%d household lines, %d graduated; the table says %s graduated", len(hh), graduated, f[2])
	}
}
