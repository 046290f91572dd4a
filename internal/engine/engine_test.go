package engine_test

import (
	"errors"
	"slices"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

func TestNewResolvesMaps(t *testing.T) {
	s := mustSet(t)
	for _, c := range []struct {
		name string
		maps string
		ok   bool
	}{
		{"known indicator", "bmn-2560-2564:22", true},
		{"unknown code", "bmn-2560-2564:99", false},
		{"another set", "bmn-2566-2570:22", false},
		{"no set id", "22", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec := mpi.TPMAP()
			spec.Indicators[0].Maps = c.maps
			x, err := mpi.New(spec)
			if err != nil {
				t.Fatal(err)
			}
			_, err = engine.New(s, year, x)
			if c.ok != (err == nil) {
				t.Fatalf("New: err = %v, want ok = %v", err, c.ok)
			}
			var ae *apperr.Error
			if err != nil && (!errors.As(err, &ae) || ae.Code != apperr.Invalid) {
				t.Fatalf("err = %#v, want apperr invalid", err)
			}
		})
	}
}

func TestWorkerAdd(t *testing.T) {
	e := MustEngine(t, true)
	s := e.Set()
	type person = []string // the MPI indicators a person is deprived in
	for _, c := range []struct {
		name    string
		edit    func(h *survey.Household)
		hh      int64
		people  int64
		income  int64
		changes map[string]engine.Count
		poor    []person
	}{
		{name: "passes everything", hh: 1, people: 3, income: 144000,
			poor: []person{{}, {}, {}}},
		{name: "draft counts nothing",
			edit: func(h *survey.Household) { h.Status = survey.Draft },
			poor: nil},
		{name: "income under the line deprives every member",
			// net 144,000 − 60,000 = 84,000 / 3 = 28,000 < 38,000
			edit: func(h *survey.Household) { h.Income.MainOccupation = 60000 },
			hh:   1, people: 3, income: 84000,
			changes: map[string]engine.Count{"22": {1, 0}},
			poor:    []person{{"income"}, {"income"}, {"income"}}},
		{name: "child out of school is deprived alone",
			edit: func(h *survey.Household) { h.Members[2].Answers["q16"] = survey.Bool(false) },
			hh:   1, people: 3, income: 144000,
			changes: map[string]engine.Count{"16": {1, 0}},
			poor:    []person{{}, {}, {"compulsory_education"}}},
		{name: "a non-resident member is not counted",
			// the spouse moves out: 2 residents, 72,000 each; 6: 1/1, 7: 2/2, 19, 20: 1/1
			edit: func(h *survey.Household) { h.Members[1].Resident = false },
			hh:   1, people: 2, income: 144000,
			changes: map[string]engine.Count{"6": {1, 1}, "7": {2, 2}, "19": {1, 1}, "20": {1, 1},
				"24": {2, 2}, "25": {2, 2}, "26": {2, 2}},
			poor: []person{{}, {}}},
		{name: "no resident member: only the household and its income count",
			edit: func(h *survey.Household) {
				for i := range h.Members {
					h.Members[i].Resident = false
				}
			},
			hh: 1, income: 144000,
			changes: map[string]engine.Count{"3": {}, "4": {}, "5": {}, "6": {}, "7": {}, "8": {}, "9": {}, "10": {},
				"11": {}, "12": {}, "13": {}, "14": {}, "16": {}, "19": {}, "20": {}, "22": {}, "23": {},
				"24": {}, "25": {}, "26": {}, "30": {}, "31": {}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := base()
			if c.edit != nil {
				c.edit(h)
			}
			want := e.NewTotals()
			if c.hh > 0 || c.poor != nil {
				want.Households, want.People, want.NetIncome = c.hh, c.people, c.income
				want.Indicators = counts(t, s, c.changes)
				want.Poverty = stats(t, e, c.poor...)
			}
			got := e.Worker().Contribution(h)
			if !got.Equal(want) {
				t.Errorf("got  %+v %v\nwant %+v %v", *got, got.Poverty, *want, want.Poverty)
			}
			// Without an MPI the counts are the same (they take another path).
			plain := MustEngine(t, false).Worker().Contribution(h)
			if plain.Poverty != nil || !slices.Equal(plain.Indicators, want.Indicators) || plain.People != want.People {
				t.Errorf("without MPI: %+v, want indicators %v", *plain, want.Indicators)
			}
		})
	}
}

func TestWorkerAddDoesNotAllocate(t *testing.T) {
	e := MustEngine(t, true)
	w, h, into := e.Worker(), base(), e.NewTotals()
	w.Add(h, into)
	if n := testing.AllocsPerRun(100, func() { w.Add(h, into) }); n != 0 {
		t.Fatalf("Add allocates %v times per household, want 0", n)
	}
}

func TestTotalsArithmetic(t *testing.T) {
	e := MustEngine(t, true)
	w := e.Worker()
	a := w.Contribution(base())
	poorer := base()
	poorer.Income.MainOccupation = 60000
	b := w.Contribution(poorer)
	for _, c := range []struct {
		name string
		got  func() *engine.Totals
		want func() *engine.Totals
	}{
		{"a + b − b = a", func() *engine.Totals { x := a.Clone(); x.Add(b); x.Sub(b); return x }, a.Clone},
		{"zero − a + a = zero", func() *engine.Totals { x := e.NewTotals(); x.Sub(a); x.Add(a); return x }, e.NewTotals},
		{"delta b − a added to a gives b", func() *engine.Totals {
			d := e.NewTotals()
			d.Sub(a)
			d.Add(b)
			x := a.Clone()
			x.Add(d)
			return x
		}, b.Clone},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, want := c.got(), c.want(); !got.Equal(want) {
				t.Fatalf("got %+v, want %+v", *got, *want)
			}
		})
	}
	t.Run("a delta that moves people between indicators at the same score is not zero", func(t *testing.T) {
		x := e.Worker().Contribution(base())
		y := base()
		y.Members[2].Answers["q16"] = survey.Bool(false) // child: compulsory education (3/60)
		z := base()
		z.Members[2].Answers["q7"] = survey.Text("neither") // child: exercise (3/60)
		d := e.Worker().Contribution(y)
		d.Sub(e.Worker().Contribution(z))
		if d.IsZero() {
			t.Fatal("delta is zero, want ±1 in two indicators of score row 3")
		}
		comp, ex := bitIndex(t, e, "compulsory_education"), bitIndex(t, e, "exercise")
		if d.Poverty.ByScore[3] != 0 || d.Poverty.Deprived[3][comp] != 1 || d.Poverty.Deprived[3][ex] != -1 {
			t.Fatalf("delta row 3 = %d %v, want 0 people, +1 compulsory education, −1 exercise", d.Poverty.ByScore[3], d.Poverty.Deprived[3])
		}
		x.Add(d)
		if got := x.Clone(); got.Poverty.Deprived[3][comp] != 1 || got.Poverty.Deprived[3][ex] != -1 {
			t.Fatal("Add or Clone dropped a row whose people count is zero")
		}
	})
	t.Run("clone is independent", func(t *testing.T) {
		x := a.Clone()
		x.Indicators[0].Eligible++
		x.Poverty.ByScore[0]++
		if a.Indicators[0].Eligible != 0 || a.Poverty.ByScore[0] != 3 {
			t.Fatal("Clone shares storage with the original")
		}
	})
	t.Run("nil poverty equals empty poverty", func(t *testing.T) {
		x, y := e.NewTotals(), e.NewTotals()
		y.Poverty = nil
		if !x.Equal(y) || !y.Equal(x) || !y.IsZero() {
			t.Fatal("nil and empty Stats differ")
		}
	})
}

func TestAncestors(t *testing.T) {
	for _, c := range []struct {
		name, code string
		want       []string
	}{
		{"village", "70051301", []string{"70051301", "700513", "7005", "70", "TH"}},
		{"not a village", "700513", []string{"700513", "TH"}},
		{"country", "TH", []string{"TH"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := engine.Ancestors(c.code); !slices.Equal(got, c.want) {
				t.Fatalf("Ancestors(%q) = %v, want %v", c.code, got, c.want)
			}
		})
	}
}

func TestRollUp(t *testing.T) {
	e := MustEngine(t, true)
	one := e.Worker().Contribution(base())
	v := map[string]*engine.Totals{"70051301": one, "70051302": one.Clone(), "70060101": one.Clone(), "10010101": one.Clone()}
	all := engine.RollUp(v, e.NewTotals)
	for _, c := range []struct {
		code string
		hh   int64
	}{{"70051301", 1}, {"700513", 2}, {"7005", 2}, {"7006", 1}, {"70", 3}, {"10", 1}, {"TH", 4}} {
		t.Run(c.code, func(t *testing.T) {
			got := all[c.code]
			if got == nil || got.Households != c.hh || got.People != 3*c.hh || got.Poverty.N != 3*c.hh ||
				got.Indicators[6] != (engine.Count{Eligible: 3 * c.hh, Passed: 3 * c.hh}) {
				t.Fatalf("%s: %+v, want %d households", c.code, got, c.hh)
			}
		})
	}
	if len(all) != 4+3+3+2+1 {
		t.Errorf("RollUp gave %d areas, want 13", len(all))
	}
	all["700513"].Households = 99
	if one.Households != 1 || all["70051302"].Households != 1 {
		t.Error("a level above the villages shares Totals with a village")
	}
}

func bitIndex(tb testing.TB, e *engine.Engine, id string) int {
	tb.Helper()
	for j, in := range e.Poverty().Spec().Indicators {
		if in.ID == id {
			return j
		}
	}
	tb.Fatalf("no MPI indicator %s", id)
	return -1
}
