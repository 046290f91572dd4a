package surveyfile_test

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// MustStream reads file bytes with Stream, collecting what it hands on.
func MustStream(tb testing.TB, name string, set *indicator.Set, b []byte, opts surveyfile.ReadOptions) (*surveyfile.Summary, []*survey.Household) {
	tb.Helper()
	if opts.Now == nil {
		opts.Now = now
	}
	var got []*survey.Household
	sum, err := surveyfile.Stream(func(pass int) (*tabular.Reader, error) {
		return tabular.Open(name, bytes.NewReader(b), int64(len(b)), tabular.Options{Expect: surveyfile.Columns(set), Checked: pass == 2})
	}, set, surveyfile.ExampleRound(set), opts,
		func(h *survey.Household, _ int) error {
			got = append(got, h)
			return nil
		})
	if err != nil {
		tb.Fatalf("stream %s: %v", name, err)
	}
	return sum, got
}

// checkStream reads the same bytes with Stream and checks it finds what
// Read found: the same valid households (in the order their last rows
// come, rather than their first), the same counts, and the same problems
// (in another order: Stream validates a household when its last row is
// read, Read when the file ends). Every test that reads through MustRead
// checks the streaming reader this way.
func checkStream(tb testing.TB, name string, set *indicator.Set, b []byte, opts surveyfile.ReadOptions, res *surveyfile.Result) {
	tb.Helper()
	sum, got := MustStream(tb, name, set, b, opts)
	if sum.Total != res.Total || sum.Valid != len(res.Households) || sum.Invalid != len(res.Invalid) || sum.More != res.More {
		tb.Fatalf("Stream found %d households (%d valid, %d invalid, %d more problems), Read %d (%d, %d, %d)",
			sum.Total, sum.Valid, sum.Invalid, sum.More, res.Total, len(res.Households), len(res.Invalid), res.More)
	}
	byKey := func(a, b *survey.Household) int { return cmp.Compare(a.Key(), b.Key()) }
	want := slices.SortedStableFunc(slices.Values(res.Households), byKey)
	got = slices.SortedStableFunc(slices.Values(got), byKey)
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				tb.Fatalf("Stream read a household differently:\nstream %s\nread   %s", dump(got[i]), dump(want[i]))
			}
		}
		tb.Fatalf("Stream handed on %d households, Read %d", len(got), len(want))
	}
	if res.More > 0 {
		return // which problems make the list depends on the order they are found in
	}
	if a, b := problemSet(sum.Problems), problemSet(res.Problems); !slices.Equal(a, b) {
		tb.Fatalf("Stream found other problems:\nstream %q\nread   %q", a, b)
	}
	if !reflect.DeepEqual(sum.Warnings, res.Warnings) {
		tb.Fatalf("Stream warned otherwise:\nstream %v\nread   %v", sum.Warnings, res.Warnings)
	}
}

func problemSet(ps apperr.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%s|%s|%d|%s|%s|%q|%s", p.File, p.Sheet, p.Row, p.Column, p.Field, p.Value, p.Reason.EN)
	}
	slices.Sort(out)
	return out
}

// scatter interleaves the households' rows: the first row of every
// household, then every second row, and so on, so that each household's
// rows are spread over the whole file but keep their order.
func scatter(g *Grid, tb testing.TB) *Grid {
	tb.Helper()
	key := func(r []string) string {
		return r[g.Col(tb, "village_code")] + "/" + r[g.Col(tb, "house_no")]
	}
	var order []string
	rows := map[string][][]string{}
	for _, r := range g.Rows {
		k := key(r)
		if _, ok := rows[k]; !ok {
			order = append(order, k)
		}
		rows[k] = append(rows[k], r)
	}
	out := &Grid{Header: g.Header}
	for depth := 0; len(out.Rows) < len(g.Rows); depth++ {
		for _, k := range order {
			if depth < len(rows[k]) {
				out.Rows = append(out.Rows, rows[k][depth])
			}
		}
	}
	return out
}

// TestStreamScattered: a file whose households' rows are scattered over the
// file imports exactly as the same file sorted, through Read and Stream.
func TestStreamScattered(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 300, 5)
	sorted := MustGrid(t, set, hs)
	scattered := scatter(sorted, t)
	if slices.EqualFunc(sorted.Rows, scattered.Rows, slices.Equal) {
		t.Fatal("scatter left the rows in place")
	}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			data := scattered.CSV()
			if format == "xlsx" {
				data = gridXLSX(t, scattered)
			}
			res := MustRead(t, "scattered."+format, set, data, surveyfile.ReadOptions{}) // checks Stream against Read
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %v", res.Problems)
			}
			sum, got := MustStream(t, "scattered."+format, set, data, surveyfile.ReadOptions{})
			byKey := func(a, b *survey.Household) int { return cmp.Compare(a.Key(), b.Key()) }
			want := slices.SortedFunc(slices.Values(hs), byKey)
			got = slices.SortedFunc(slices.Values(got), byKey)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("the scattered file read %d households, not the %d written", len(got), len(want))
			}
			// Every household was open from the first third of the file
			// to its last: the instrument sees them all.
			if sum.MaxHeld < len(hs)/2 {
				t.Errorf("held at most %d households of a scattered file of %d", sum.MaxHeld, len(hs))
			}
		})
	}
}

// TestStreamHoldsFewHouseholds proves an import's memory does not grow with
// a sorted file: the most households held at once (MaxHeld, counted as
// households are opened and handed on) is bounded by the validation batch,
// the same for a file ten times larger.
func TestStreamHoldsFewHouseholds(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	var held []int
	for _, n := range []int{600, 6000} {
		data := MustWrite(t, "csv", set, surveyfile.Example(set, "70051304", n, 9))
		sum, got := MustStream(t, "sorted.csv", set, data, surveyfile.ReadOptions{})
		if len(got) != n || len(sum.Problems) > 0 {
			t.Fatalf("read %d of %d households: %v", len(got), n, sum.Problems)
		}
		held = append(held, sum.MaxHeld)
		t.Logf("%d households: held at most %d at once", n, sum.MaxHeld)
	}
	const bound = 256 + 1 // a validation batch, and the household being read
	for i, h := range held {
		if h > bound || h < 1 {
			t.Errorf("file %d: held %d households at once, want 1 to %d", i, h, bound)
		}
	}
	if held[1] > held[0] {
		t.Errorf("held %d households of the larger file, %d of the smaller: memory grows with the file", held[1], held[0])
	}
}

// gridXLSX writes a grid as a workbook of text cells.
func gridXLSX(tb testing.TB, g *Grid) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := tabular.NewXLSXWriter(&buf)
	if err := w.NewSheet("Sheet1", g.Header); err != nil {
		tb.Fatal(err)
	}
	for _, r := range g.Rows {
		cells := make([]any, len(r))
		for i, c := range r {
			cells[i] = c
		}
		if err := w.Write(cells...); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestMembersCapped: a household of more than MaxMembers rows (a broken
// file: every row with the same village and house number) is refused once,
// and its further rows are not kept.
func TestMembersCapped(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	g := MustGrid(t, set, surveyfile.Example(set, "70051304", 1, 2))
	last := g.Rows[len(g.Rows)-1]
	for len(g.Rows) < surveyfile.MaxMembers+5 {
		r := slices.Clone(last)
		r[g.Col(t, "member_no")], r[g.Col(t, "citizen_id")] = "", ""
		g.Rows = append(g.Rows, r)
	}
	res := MustRead(t, "many.csv", set, g.CSV(), surveyfile.ReadOptions{}) // and Stream alike
	if len(res.Households) != 0 || len(res.Invalid) != 1 {
		t.Fatalf("%d valid, %d invalid households, want the one refused", len(res.Households), len(res.Invalid))
	}
	var capped []apperr.Problem
	for _, p := range res.Problems {
		if strings.Contains(p.Reason.EN, "more than 999 members") {
			capped = append(capped, p)
		}
	}
	if len(capped) != 1 || capped[0].Row != surveyfile.MaxMembers+2 {
		t.Errorf("problems about the size: %v, want one, at row %d", capped, surveyfile.MaxMembers+2)
	}
}
