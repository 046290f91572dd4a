package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/store/storetest"
)

// tambon bench times a threshold change on SQLite and, given --postgres, on
// PostgreSQL in the same run: the households are stored as an import, which
// keeps their villages' columns, so every change, the first too, reads the
// columns and decodes no stored household.
func TestBenchThresholdCase(t *testing.T) {
	pg := strings.TrimSpace(os.Getenv(storetest.EnvPostgres))
	args := []string{"bench", "--households", "200", "--runs", "1", "--province", "", "--threshold", "70051304"}
	if pg != "" {
		args = append(args, "--postgres", pg)
	}
	out, stderr, err := run(t, nil, "", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	stores := []string{"sqlite"}
	if pg != "" {
		stores = append(stores, "postgres")
	}
	for _, st := range stores {
		for _, want := range []string{"| first threshold change after the import, " + st,
			"| threshold change, " + st, "| threshold change again, " + st} {
			line := ""
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, want) {
					line = l
				}
			}
			if line == "" {
				t.Errorf("no row %q in\n%s", want, out)
				continue
			}
			if !strings.Contains(line, "; 0 decoded") {
				t.Errorf("%s: stored households were decoded: %s", st, line)
			}
		}
	}
}

// With --keep the databases outlive the run, and a second run with the same
// directory times the change on the households already stored, generating
// none.
func TestBenchThresholdKeep(t *testing.T) {
	dir := t.TempDir()
	args := []string{"bench", "--households", "200", "--runs", "1", "--province", "", "--threshold", "70051304", "--keep", dir}
	for i, wantGen := range []bool{true, false} {
		out, stderr, err := run(t, nil, "", args...)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, stderr)
		}
		if got := strings.Contains(out, "| generate and store sqlite"); got != wantGen {
			t.Errorf("run %d: households generated %v, want %v:\n%s", i+1, got, wantGen, out)
		}
		if !strings.Contains(out, "| threshold change again, sqlite, 172 households of 70051304") {
			t.Errorf("run %d: no threshold change on the 172 households of the village:\n%s", i+1, out)
		}
		if i == 1 && !strings.Contains(out, "peak RSS of tambon") {
			t.Errorf("run %d: the recompute's memory is not reported:\n%s", i+1, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "threshold.db")); err != nil {
		t.Errorf("the database is not kept: %v", err)
	}
}
