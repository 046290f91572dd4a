package engine_test

import (
	"math"
	"slices"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// at returns t with the given indicator counts set by code.
func at(tb testing.TB, e *engine.Engine, c map[string]engine.Count) *engine.Totals {
	tb.Helper()
	t := e.NewTotals()
	for i, ind := range e.Set().Indicators {
		t.Indicators[i] = c[ind.Code]
	}
	return t
}

func TestResults(t *testing.T) {
	e := MustEngine(t, false)
	cur := at(t, e, map[string]engine.Count{
		"3": {3, 2}, "4": {4, 4}, "6": {5, 0}, "7": {10, 7}, "9": {10, 7}, "22": {4, 1}})
	cur.Households, cur.People, cur.NetIncome = 10, 30, 1_140_000
	prev := at(t, e, map[string]engine.Count{"7": {8, 4}, "6": {5, 1}})
	r := engine.Results(e.Set(), cur, prev, map[string]float64{"3": 50})

	if r.Households != 10 || r.People != 30 || r.IncomePerPerson != 38000 || !r.HasPrev {
		t.Errorf("area: %d households, %d people, %v baht/person, prev %v; want 10, 30, 38000, true",
			r.Households, r.People, r.IncomePerPerson, r.HasPrev)
	}
	byCode := map[string]engine.IndicatorResult{}
	for _, ir := range r.Indicators {
		byCode[ir.Code] = ir
	}
	for _, c := range []struct {
		name, code        string
		surveyed, failed  int64
		passedPct, target float64
		meets, hasPrev    bool
		changePct         float64
		changeFailed      int64
	}{
		{"7 of 10 passing, was 4 of 8", "7", 10, 3, 70, 100, false, true, 20, -1},
		{"2 of 3 meets its own 50% target", "3", 3, 1, 200.0 / 3, 50, true, false, 0, 0},
		{"all passing meets 100%", "4", 4, 0, 100, 100, true, false, 0, 0},
		{"none of 5 passing, was 1 of 5", "6", 5, 5, 0, 100, false, true, -20, 1},
		{"no previous figures for 22", "22", 4, 3, 25, 100, false, false, 0, 0},
		{"nobody surveyed", "1", 0, 0, 0, 100, false, false, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ir := byCode[c.code]
			if ir.Surveyed != c.surveyed || ir.Failed != c.failed || math.Abs(ir.PassedPct-c.passedPct) > 1e-9 ||
				ir.Target != c.target || ir.MeetsTarget != c.meets || ir.HasPrev != c.hasPrev ||
				math.Abs(ir.ChangePassedPct-c.changePct) > 1e-9 || ir.ChangeFailed != c.changeFailed {
				t.Fatalf("%+v", ir)
			}
			if c.surveyed > 0 && math.Abs(ir.FailedPct+ir.PassedPct-100) > 1e-9 {
				t.Fatalf("failed %% %v + passed %% %v ≠ 100", ir.FailedPct, ir.PassedPct)
			}
		})
	}
	t.Run("problems by failed count, then lower % passing, then set order", func(t *testing.T) {
		var got []string
		for _, ir := range r.Problems() {
			got = append(got, ir.Code)
		}
		if want := []string{"6", "22", "7", "9", "3"}; !slices.Equal(got, want) {
			t.Fatalf("Problems = %v, want %v", got, want)
		}
	})
	t.Run("health group", func(t *testing.T) {
		g := r.Groups[0]
		// 1-7 are health; 3, 4, 6 and 7 assessed; 3 and 4 meet their targets.
		if g.Code != "health" || g.Indicators != 7 || g.Assessed != 4 || g.MeetTarget != 2 || g.BelowTarget != 2 || g.Failed != 9 {
			t.Fatalf("%+v", g)
		}
	})
}

func TestPoverty(t *testing.T) {
	e := MustEngine(t, true)
	h := base()
	h.Income.MainOccupation = 60000                  // everybody: income, 4/60
	h.Members[2].Answers["q16"] = survey.Bool(false) // the child also: compulsory education, 3/60
	tot := e.Worker().Contribution(h)
	for _, c := range []struct {
		name string
		k    mpi.Frac
		q    int64
	}{
		{"union-like k = 1/20: all three", mpi.F(1, 20), 3},
		{"k = 1/10: the child (7/60) only", mpi.F(1, 10), 1},
		{"k unset: the index's 1/5, nobody", mpi.Frac{}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := engine.Poverty(tot, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if res.N != 3 || res.Q != c.q {
				t.Fatalf("N = %d, Q = %d; want 3, %d", res.N, res.Q, c.q)
			}
		})
	}
	t.Run("no MPI statistics", func(t *testing.T) {
		if _, err := engine.Poverty(MustEngine(t, false).NewTotals(), mpi.F(1, 5)); err == nil {
			t.Fatal("want an error")
		}
	})
}
