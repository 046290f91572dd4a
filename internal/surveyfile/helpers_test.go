package surveyfile_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// now is the clock every test reads with: 30 June 2027 (พ.ศ. 2570), noon in
// Bangkok, after the last example round of every built-in set.
var now = func() time.Time { return time.Date(2027, time.June, 30, 5, 0, 0, 0, time.UTC) }

// MustSet returns a built-in indicator set.
func MustSet(tb testing.TB, id string) *indicator.Set {
	tb.Helper()
	s, err := indicator.Lookup(id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustWrite writes households in the template as "csv" or "xlsx" and returns
// the file's bytes.
func MustWrite(tb testing.TB, format string, set *indicator.Set, hs []*survey.Household) []byte {
	tb.Helper()
	var buf bytes.Buffer
	var w tabular.Writer
	if format == "csv" {
		w = tabular.NewCSVWriter(&buf)
	} else {
		w = tabular.NewXLSXWriter(&buf)
	}
	if err := surveyfile.Write(w, set, hs); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// Open opens file bytes the way the import command does.
func Open(name string, set *indicator.Set, b []byte) (*tabular.Reader, error) {
	return tabular.Open(name, bytes.NewReader(b), int64(len(b)), tabular.Options{Expect: surveyfile.Columns(set)})
}

// MustRead opens and reads file bytes for set's example round.
func MustRead(tb testing.TB, name string, set *indicator.Set, b []byte, opts surveyfile.ReadOptions) *surveyfile.Result {
	tb.Helper()
	rd, err := Open(name, set, b)
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	defer rd.Close()
	if opts.Now == nil {
		opts.Now = now
	}
	res, err := surveyfile.Read(rd, set, surveyfile.ExampleRound(set), opts)
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	checkStream(tb, name, set, b, opts, res)
	return res
}

// Grid is a template as text cells, to break on purpose.
type Grid struct {
	Header []string
	Rows   [][]string
}

// MustGrid renders households as the CSV template's cells.
func MustGrid(tb testing.TB, set *indicator.Set, hs []*survey.Household) *Grid {
	tb.Helper()
	b := MustWrite(tb, "csv", set, hs)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return &Grid{Header: recs[0], Rows: recs[1:]}
}

// Col returns the index of the column with key.
func (g *Grid) Col(tb testing.TB, key string) int {
	tb.Helper()
	for i, h := range g.Header {
		if strings.HasSuffix(h, "("+key+")") {
			return i
		}
	}
	tb.Fatalf("no column %s", key)
	return -1
}

// Set changes the cell of spreadsheet row (2 is the first data row).
func (g *Grid) Set(tb testing.TB, row int, key, value string) {
	tb.Helper()
	g.Rows[row-2][g.Col(tb, key)] = value
}

// Get returns the cell of spreadsheet row.
func (g *Grid) Get(tb testing.TB, row int, key string) string {
	tb.Helper()
	return g.Rows[row-2][g.Col(tb, key)]
}

// CSV encodes the grid as UTF-8 CSV.
func (g *Grid) CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(g.Header)
	w.WriteAll(g.Rows)
	return buf.Bytes()
}
