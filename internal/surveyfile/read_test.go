package surveyfile_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// firstRows returns the spreadsheet row of each household's first member in
// a file Write made (row 1 is the header).
func firstRows(hs []*survey.Household) []int {
	out := make([]int, len(hs))
	row := 2
	for i, h := range hs {
		out[i] = row
		row += max(len(h.Members), 1)
	}
	return out
}

// multi returns the index of the first complete household with at least n
// resident members.
func multi(tb testing.TB, hs []*survey.Household, n int) int {
	tb.Helper()
	for i, h := range hs {
		if len(h.Members) >= n && h.ResidentCount() == len(h.Members) && h.Status == survey.Complete {
			return i
		}
	}
	tb.Fatalf("no household with %d members", n)
	return -1
}

// A broken cell is refused with a problem naming its row, its column (by
// letter and header), its value and the reason, and only its household is
// refused: the caller can import all or nothing, or skip it.
func TestReadProblems(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 12, 2)
	rows := firstRows(hs)
	a := multi(t, hs, 3)   // a household with three members or more
	b := (a + 1) % len(hs) // another household
	for b == a || hs[b].Status != survey.Complete {
		b = (b + 1) % len(hs)
	}
	ra, rb := rows[a], rows[b]

	for _, tc := range []struct {
		name  string
		edit  func(g *Grid)
		known func(string) bool
		// want lists the problems expected as row, column key and a piece
		// of the English reason.
		want []wantProblem
		bad  []int // households refused
	}{
		{
			name: "bad citizen ID check digit",
			edit: func(g *Grid) { g.Set(t, ra+1, "citizen_id", flipLast(g.Get(t, ra+1, "citizen_id"))) },
			want: []wantProblem{{ra + 1, "citizen_id", "check digit"}},
			bad:  []int{a},
		},
		{
			name: "citizen ID of 12 digits",
			edit: func(g *Grid) { g.Set(t, ra, "citizen_id", g.Get(t, ra, "citizen_id")[:12]) },
			want: []wantProblem{{ra, "citizen_id", "13 digits, got 12"}},
			bad:  []int{a},
		},
		{
			name: "citizen ID in two households",
			edit: func(g *Grid) { g.Set(t, rb, "citizen_id", g.Get(t, ra+1, "citizen_id")) },
			want: []wantProblem{{max(ra+1, rb), "citizen_id", "repeats row " + itoa(min(ra+1, rb))}, {min(ra+1, rb), "citizen_id", "repeats row " + itoa(max(ra+1, rb))}},
			bad:  []int{a, b},
		},
		{
			name: "unknown village",
			edit: func(g *Grid) {
				for r := ra; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "village_code", "70051399")
				}
			},
			known: func(code string) bool { return code != "70051399" },
			want:  []wantProblem{{ra, "village_code", "no village has the code 70051399"}},
			bad:   []int{a},
		},
		{
			name: "household columns disagree across member rows",
			edit: func(g *Grid) { g.Set(t, ra+2, "income_main", "999") },
			want: []wantProblem{{ra + 2, "income_main", "disagrees with row " + itoa(ra)}},
			bad:  []int{a},
		},
		{
			name: "blank household cells on later rows take the first row's",
			edit: func(g *Grid) {
				for _, k := range []string{"village_code", "house_code", "house_no", "income_main", "survey_date", "status"} {
					g.Set(t, ra+1, k, "")
					g.Set(t, ra+2, k, "")
				}
			},
		},
		{
			name: "survey date in BE 2600 is in the future",
			edit: func(g *Grid) {
				for r := ra; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "survey_date", "18/01/2600")
				}
			},
			want: []wantProblem{{ra, "survey_date", "in the future"}},
			bad:  []int{a},
		},
		{
			name: "survey date typed in the wrong era is outside the round",
			edit: func(g *Grid) {
				for r := ra; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "survey_date", "18/01/2521") // 1978: a typo for 2564
				}
			},
			want: []wantProblem{{ra, "survey_date", "outside the round"}},
			bad:  []int{a},
		},
		{
			name: "impossible date",
			edit: func(g *Grid) { g.Set(t, ra+1, "birth_date", "31/02/2530") },
			want: []wantProblem{{ra + 1, "birth_date", "does not exist"}},
			bad:  []int{a},
		},
		{
			name: "birth date after the survey date",
			edit: func(g *Grid) { g.Set(t, ra+1, "birth_date", "01/06/2564") },
			want: []wantProblem{{ra + 1, "birth_date", "after the survey date"}},
			bad:  []int{a},
		},
		{
			name: "a continuation row that disagrees",
			edit: func(g *Grid) {
				for _, k := range []string{"village_code", "house_code", "house_no"} {
					g.Set(t, ra+1, k, "")
				}
				g.Set(t, ra+1, "debt_in_system", "123")
			},
			want: []wantProblem{{ra + 1, "debt_in_system", "disagrees with row " + itoa(ra)}},
			bad:  []int{a},
		},
		{
			name: "house code on the first row only",
			edit: func(g *Grid) { g.Set(t, ra+1, "house_code", "") },
		},
		{
			name: "house code on a later row only",
			edit: func(g *Grid) {
				g.Set(t, ra, "house_code", "")
				g.Set(t, ra+1, "house_code", "")
			},
			want: []wantProblem{{ra + 2, "house_code", "disagrees with row " + itoa(ra)}},
			bad:  []int{a},
		},
		{
			name: "the same member twice",
			edit: func(g *Grid) { g.Set(t, ra+1, "member_no", g.Get(t, ra, "member_no")) },
			want: []wantProblem{{ra + 1, "member_no", "member number 1 repeats row " + itoa(ra)}},
			bad:  []int{a},
		},
		{
			name: "unknown relation",
			edit: func(g *Grid) { g.Set(t, ra+1, "relation", "เพื่อนบ้าน") },
			want: []wantProblem{{ra + 1, "relation", "unknown value"}},
			bad:  []int{a},
		},
		{
			name: "yes/no column with a number",
			edit: func(g *Grid) { g.Set(t, ra, "q4_1", "5") },
			want: []wantProblem{{ra, "q4_1", "must be yes or no"}},
			bad:  []int{a},
		},
		{
			name: "unanswered question of a complete household",
			edit: func(g *Grid) {
				for r := ra; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "q9", "")
				}
			},
			want: []wantProblem{{ra, "q9", "not answered"}},
			bad:  []int{a},
		},
		{
			name: "two heads",
			edit: func(g *Grid) { g.Set(t, ra+1, "relation", "หัวหน้าครัวเรือน") },
			want: []wantProblem{{ra, "", "exactly one head"}},
			bad:  []int{a},
		},
		{
			name: "money with a fraction of a baht",
			edit: func(g *Grid) {
				for r := ra; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "savings", "100.50")
				}
			},
			want: []wantProblem{{ra, "savings", "whole number"}}, // once, not once per member
			bad:  []int{a},
		},
		{
			name: "Thai spellings are accepted",
			edit: func(g *Grid) {
				g.Set(t, ra, "q4_1", "มี")
				g.Set(t, ra+1, "resident", "✓")
				g.Set(t, ra+1, "income_main", "")
				g.Set(t, ra, "income_main", "๑๒,๐๐๐")
				for r := ra + 1; r < ra+len(hs[a].Members); r++ {
					g.Set(t, r, "income_main", "12000")
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := MustGrid(t, set, hs)
			tc.edit(g)
			res := MustRead(t, "hh.csv", set, g.CSV(), surveyfile.ReadOptions{KnownVillage: tc.known})
			checkProblems(t, res.Problems, tc.want)
			refused := map[int]bool{}
			for key := range res.Invalid {
				refused[res.Rows[key]] = true
			}
			for _, i := range tc.bad {
				if !refused[rows[i]] {
					t.Errorf("household at row %d not refused", rows[i])
				}
			}
			if len(refused) != len(tc.bad) {
				t.Errorf("%d households refused, want %d", len(refused), len(tc.bad))
			}
			if got, want := len(res.Households)+len(res.Invalid), len(hs); got != want {
				t.Errorf("%d valid + %d invalid households, want %d in all", len(res.Households), len(res.Invalid), want)
			}
			for _, h := range res.Households {
				if res.Invalid[h.Key()] {
					t.Errorf("invalid household %s among the valid ones", h.Key())
				}
			}
		})
	}
}

type wantProblem struct {
	row    int
	column string // key; "" when the problem has no column
	reason string // part of the English reason
}

func checkProblems(t *testing.T, got apperr.Problems, want []wantProblem) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(got), len(want), lines(got))
	}
	for i, w := range want {
		p := got[i]
		if p.Row != w.row || !strings.Contains(p.Reason.EN, w.reason) || p.Reason.TH == "" ||
			(w.column == "") != (p.Column == "") || w.column != "" && !strings.Contains(p.Column, "("+w.column+")") || p.File != "hh.csv" {
			t.Errorf("problem %d = %v\nwant row %d, column %s, reason containing %q", i, p, w.row, w.column, w.reason)
		}
	}
}

func lines(ps apperr.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

func flipLast(id string) string {
	return id[:12] + string('0'+(id[12]-'0'+1)%10)
}

func itoa(n int) string { return strconv.Itoa(n) }

// Reading a big file reports its progress.
func TestReadReportsProgress(t *testing.T) {
	set := mustSetForProgress(t)
	hs := surveyfile.Example(set, "70051304", 1200, 5)
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	if err := surveyfile.Write(w, set, hs); err != nil {
		t.Fatal(err)
	}
	w.Close()
	rd, err := tabular.Open("big.csv", bytes.NewReader(buf.Bytes()), int64(buf.Len()), tabular.Options{Expect: surveyfile.Columns(set)})
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	_, err = surveyfile.Read(rd, set, surveyfile.ExampleRound(set), surveyfile.ReadOptions{Progress: func(n int) { seen = append(seen, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 3 || seen[0] != 1000 || seen[1] != 2000 {
		t.Errorf("progress reports %v, want every thousand rows", seen)
	}
}

func mustSetForProgress(t *testing.T) *indicator.Set {
	t.Helper()
	s, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
