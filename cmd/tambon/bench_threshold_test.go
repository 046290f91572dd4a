package main

import (
	"os"
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
