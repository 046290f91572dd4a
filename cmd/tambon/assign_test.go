package main

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store"
	"tambon/internal/survey"
)

// `tambon assign` gives villages to enumerators under the web page's rule
// (refused, in Thai and English, outside the assigner's area or to an
// account whose area does not cover the village), lists, records an
// outcome, and prints progress that adds up.
func TestAssignCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	env := map[string]string{"TAMBON_DB": db, "USER": "officer"}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	must("round", "--year", "2562")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")
	for _, u := range [][]string{{"team", "tambon", "700513"}, {"moo4", "enumerator", "70051304"}, {"moo1", "enumerator", "70051301"}, {"elsewhere", "tambon", "700501"}} {
		must("user", "create", "--username", u[0], "--role", u[1], "--area", u[2], "--password", "long-enough-password-1")
	}

	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"an enumerator of another village", []string{"--to", "moo1", "--by", "team"}, []string{"does not cover", "ไม่ครอบคลุม"}},
		{"another tambon's officer", []string{"--to", "moo4", "--by", "elsewhere"}, []string{"may not assign", "ไม่มีสิทธิ์มอบงาน"}},
		{"no assigner", []string{"--to", "moo4", "--by", ""}, []string{"--by"}},
	} {
		_, _, err := run(t, env, "", append([]string{"assign", "add", "--round", "bmn-2562", "--village", "70051304"}, c.args...)...)
		for _, w := range c.want {
			if err == nil || !strings.Contains(describe(err), w) {
				t.Errorf("%s: %v, want %q", c.name, err, w)
			}
		}
	}
	if out := must("assign", "list", "--round", "bmn-2562", "--area", "700513"); strings.Contains(out, "70051304") {
		t.Errorf("a refused assignment is listed:\n%s", out)
	}
	must("assign", "add", "--round", "bmn-2562", "--village", "70051304", "--to", "moo4", "--by", "team")
	if out := must("assign", "list", "--round", "bmn-2562", "--area", "700513"); !strings.Contains(out, "moo4") || !strings.Contains(out, "whole village") {
		t.Errorf("list:\n%s", out)
	}

	// One household of the last round refused.
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if err := s.EachHousehold(context.Background(), "bmn-2561", "70051304", func(r survey.Record) error {
		keys = append(keys, r.Key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(keys) < 3 {
		t.Fatalf("the generated village has %d households", len(keys))
	}
	must("assign", "outcome", "--round", "bmn-2562", "--household", keys[1], "--outcome", "refused", "--note", "ไม่ว่าง", "--by", "moo4")
	if _, _, err := run(t, env, "", "assign", "outcome", "--round", "bmn-2562", "--household", keys[2], "--outcome", "refused", "--by", "moo1"); err == nil {
		t.Error("an enumerator of another village recorded an outcome")
	}

	out := must("assign", "progress", "--round", "bmn-2562", "--area", "700513", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := len(keys)
	want := map[string][]string{
		"enumerator/moo4":  {itoa(n), "0", itoa(n - 1), "1", "0", "0", "0"},
		"village/70051304": {itoa(n), "0", itoa(n - 1), "1", "0", "0", "0"},
	}
	for _, r := range rows[1:] {
		if w, ok := want[r[0]+"/"+r[1]]; ok {
			if strings.Join(r[2:], ",") != strings.Join(w, ",") {
				t.Errorf("%s %s: %v, want %v", r[0], r[1], r[2:], w)
			}
			delete(want, r[0]+"/"+r[1])
		}
	}
	if len(want) > 0 {
		t.Errorf("progress lacks %v:\n%s", want, out)
	}
	if log := must("audit", "--action", "assign.outcome"); !strings.Contains(log, "moo4") {
		t.Errorf("the outcome is not in the audit log:\n%s", log)
	}
	if log := must("audit", "--action", "assign.add"); !strings.Contains(log, "team") {
		t.Errorf("the assignment is not in the audit log:\n%s", log)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
