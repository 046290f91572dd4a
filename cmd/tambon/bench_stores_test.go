package main

import (
	"os"
	"strings"
	"testing"

	"tambon/internal/store/storetest"
)

// tambon bench --stores times an import, writes by one and by several
// writers in as many provinces, and a recompute from the store, on SQLite
// and, given a postgres:// --db, on PostgreSQL in the same run: one row of
// each per store.
func TestBenchStoresCase(t *testing.T) {
	pg := strings.TrimSpace(os.Getenv(storetest.EnvPostgres))
	args := []string{"bench", "--households", "200", "--runs", "1", "--province", "", "--threshold", "",
		"--stores", "70051304", "--writers", "3", "--store-writes", "4"}
	stores := []string{"sqlite"}
	if pg != "" {
		args = append(args, "--db", pg)
		stores = append(stores, "postgres")
	}
	out, stderr, err := run(t, nil, "", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, st := range stores {
		for _, want := range []string{"| import area 70051304 (" + st + "), ", "| one-household write, " + st + ", one writer; p50 / p99 of 4 |",
			"| one-household write, " + st + ", 3 writers at once, each in its own province; p50 / p99 of 12 |",
			"| recompute from the store, " + st + ", ", "4 reader(s)"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
		}
	}
}
