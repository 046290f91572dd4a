package tpmap_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/tpmap"
)

// MustParse parses data/<name>, one of the published files kept beside the
// package, and fails the test on any problem.
func MustParse(tb testing.TB, name string) *tpmap.File {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		tb.Fatal(err)
	}
	f, err := tpmap.Parse(name, bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

// MustLines returns the header and first data line of data/<name>, the
// material broken-input tests are cut from.
func MustLines(tb testing.TB, name string) (header, row string) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	return lines[0], lines[1]
}

// setCell replaces cell i (0-based) of a published CSV line. Published lines
// have no commas inside quotes, so a plain split is exact.
func setCell(line string, i int, v string) string {
	cells := strings.Split(line, ",")
	cells[i] = v
	return strings.Join(cells, ",")
}

// byCode indexes published rows by code.
func byCode(rows []tpmap.Row) map[string]tpmap.Row {
	m := make(map[string]tpmap.Row, len(rows))
	for _, r := range rows {
		m[r.Code] = r
	}
	return m
}
