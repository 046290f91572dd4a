package engine_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tambon/internal/engine"
)

// The audit's linear programs give the textbook answers.
func TestAuditBounds(t *testing.T) {
	a := engine.NewAudit()
	// A tambon of 10 with three villages, one shown (4): the other two add
	// up to 6, each anywhere from 0 to 6.
	a.Know("T", 10)
	a.Know("v3", 4)
	a.Relate(engine.Term{Cell: "T", Coef: 1}, engine.Term{Cell: "v1", Coef: -1}, engine.Term{Cell: "v2", Coef: -1}, engine.Term{Cell: "v3", Coef: -1})
	// An amphoe of 7 with one tambon hidden, the other shown (5): pinned.
	a.Know("A", 7)
	a.Know("t2", 5)
	a.Relate(engine.Term{Cell: "A", Coef: 1}, engine.Term{Cell: "t1", Coef: -1}, engine.Term{Cell: "t2", Coef: -1})
	// surveyed = passed + failed with surveyed shown: failed ≤ 9.
	a.Know("E", 9)
	a.Relate(engine.Term{Cell: "E", Coef: 1}, engine.Term{Cell: "P", Coef: -1}, engine.Term{Cell: "F", Coef: -1})
	// x − y = 2 (a change) and nothing else: x ≥ 2, no upper bound.
	a.Relate(engine.Term{Cell: "x", Coef: 1}, engine.Term{Cell: "y", Coef: -1}, engine.Term{Cell: "two", Coef: -1})
	a.Know("two", 2)
	b, ok := a.Bounds()
	if !ok {
		t.Fatal("a consistent table is called infeasible")
	}
	want := map[string]engine.Interval{"v1": {0, 6}, "v2": {0, 6}, "t1": {2, 2}, "P": {0, 9}, "F": {0, 9}, "x": {2, math.Inf(1)}, "y": {0, math.Inf(1)}}
	for c, w := range want {
		if b[c] != w {
			t.Errorf("%s in %v, want %v", c, b[c], w)
		}
	}
	a.Know("t1", 3)
	if _, ok := a.Bounds(); ok {
		t.Error("5 + 3 = 7 passes as consistent")
	}
}

// tree is generated round data with many small villages: 2 provinces × 3
// amphoes × 3 tambons × 2 to 7 villages of 3 to 60 households, where most
// indicators fail for a handful of households or nobody.
func tree(t testing.TB, seed uint64) map[string]*engine.Totals {
	eng := MustEngine(t, true)
	rng := rand.New(rand.NewPCG(seed, 7))
	x := eng.Poverty()
	nBits := len(x.Spec().Indicators)
	villages := map[string]*engine.Totals{}
	for p := range 2 {
		for a := range 3 {
			for tb := range 3 {
				for v := range 2 + rng.IntN(6) {
					code := fmt.Sprintf("%02d%02d%02d%02d", 10+p, 1+a, 1+tb, 1+v)
					tt := eng.NewTotals()
					hh := int64(3 + rng.IntN(58))
					tt.Households, tt.People, tt.NetIncome = hh, hh*3, hh*90000
					for i := range tt.Indicators {
						e := hh
						if i%3 == 1 {
							e = hh * 3
						}
						if i%4 == 3 {
							e = int64(rng.IntN(int(hh)/3 + 1)) // a few eligible: children, elders
						}
						f := int64(0)
						if rng.IntN(3) > 0 {
							f = min(e, int64(rng.IntN(7)))
						}
						tt.Indicators[i] = engine.Count{Eligible: e, Passed: e - f}
					}
					for range tt.People {
						var mask uint64
						for j := range nBits {
							if rng.IntN(9) == 0 {
								mask |= 1 << j
							}
						}
						if err := tt.Poverty.AddMask(mask); err != nil {
							t.Fatal(err)
						}
					}
					villages[code] = tt
				}
			}
		}
	}
	return engine.RollUp(villages, eng.NewTotals)
}

// cell names one count of one area in the attacker's tables.
func cell(code, m string) string { return code + "|" + m }

// attack rebuilds what the public reads of every area (the public Totals
// through Results and PublicPoverty, which the pages, the API and the
// exports use), writes down the relations every reader knows, and returns
// the feasible interval of every hidden cell.
func attack(t *testing.T, all map[string]*engine.Totals, public func(code string, t *engine.Totals) *engine.Totals) map[string]engine.Interval {
	t.Helper()
	eng := MustEngine(t, true)
	set := eng.Set()
	units := eng.Poverty().Units()
	a := engine.NewAudit()
	know := func(code, m string, v int64) { a.Know(cell(code, m), float64(v)) }
	measures := []string{"hh", "pp", "N", "Q", "W", "V", "S"}
	for i := range set.Indicators {
		measures = append(measures, fmt.Sprint("E", i), fmt.Sprint("P", i), fmt.Sprint("F", i))
	}
	for j := range units {
		measures = append(measures, fmt.Sprint("U", j), fmt.Sprint("C", j))
	}
	kids := map[string][]string{}
	for code, tt := range all {
		if code != "TH" {
			parent := "TH"
			if len(code) > 2 {
				parent = code[:len(code)-2]
			}
			kids[parent] = append(kids[parent], code)
		}
		pub := public(code, tt)
		rep := engine.Results(set, pub, nil, nil)
		if !rep.HouseholdsWithheld {
			know(code, "hh", rep.Households)
		}
		if !rep.PeopleWithheld {
			know(code, "pp", rep.People)
		}
		for i, ir := range rep.Indicators {
			e, p, f := fmt.Sprint("E", i), fmt.Sprint("P", i), fmt.Sprint("F", i)
			a.Relate(engine.Term{Cell: cell(code, e), Coef: 1}, engine.Term{Cell: cell(code, p), Coef: -1}, engine.Term{Cell: cell(code, f), Coef: -1})
			switch {
			case !ir.Withheld:
				know(code, e, ir.Surveyed)
				know(code, p, ir.Passed)
				know(code, f, ir.Failed)
			case ir.WithheldSurveyed > 0:
				know(code, e, ir.WithheldSurveyed)
			}
		}
		// W, the poor's score sum in 1/D units, is Σ units × censored counts.
		terms := []engine.Term{{Cell: cell(code, "W"), Coef: -1}}
		for j, u := range units {
			terms = append(terms, engine.Term{Cell: cell(code, fmt.Sprint("C", j)), Coef: float64(u)})
		}
		a.Relate(terms...)
		res, shown, ok := engine.PublicPoverty(pub)
		if !ok {
			if pub.Withheld == nil || !pub.Withheld.Area {
				for _, m := range []string{"N", "Q", "W", "V", "S"} {
					know(code, m, 0)
				}
				for j := range units {
					know(code, fmt.Sprint("U", j), 0)
					know(code, fmt.Sprint("C", j), 0)
				}
			}
			continue
		}
		if shown.N {
			know(code, "N", res.N)
		}
		if shown.Q || shown.H {
			know(code, "Q", res.Q)
		}
		if shown.A || shown.M0 {
			know(code, "W", res.PoorScore)
		}
		if shown.Vulnerable {
			know(code, "V", res.Vulnerable)
		}
		if shown.Severe {
			know(code, "S", res.Severe)
		}
		for j, ir := range res.Indicators {
			if shown.Uncensored[j] {
				know(code, fmt.Sprint("U", j), ir.Uncensored)
			}
			if shown.Censored[j] {
				know(code, fmt.Sprint("C", j), ir.Censored)
			}
		}
	}
	for parent, ks := range kids {
		for _, m := range measures {
			terms := []engine.Term{{Cell: cell(parent, m), Coef: 1}}
			for _, k := range ks {
				terms = append(terms, engine.Term{Cell: cell(k, m), Coef: -1})
			}
			a.Relate(terms...)
		}
	}
	b, ok := a.Bounds()
	if !ok {
		t.Fatal("the published figures contradict each other")
	}
	return b
}

// truth is the true value of an attacker's cell.
func truth(all map[string]*engine.Totals, c string) int64 {
	code, m, _ := strings.Cut(c, "|")
	tt := all[code]
	var i int
	switch {
	case m == "hh":
		return tt.Households
	case m == "pp":
		return tt.People
	case strings.HasPrefix(m, "E"):
		fmt.Sscan(m[1:], &i)
		return tt.Indicators[i].Eligible
	case strings.HasPrefix(m, "P"):
		fmt.Sscan(m[1:], &i)
		return tt.Indicators[i].Passed
	case strings.HasPrefix(m, "F"):
		fmt.Sscan(m[1:], &i)
		return tt.Indicators[i].Eligible - tt.Indicators[i].Passed
	}
	res, err := engine.Poverty(tt, tt.Poverty.Index().K())
	if err != nil {
		return 0
	}
	switch {
	case m == "N":
		return res.N
	case m == "Q":
		return res.Q
	case m == "W":
		return res.PoorScore
	case m == "V":
		return res.Vulnerable
	case m == "S":
		return res.Severe
	case strings.HasPrefix(m, "U"):
		fmt.Sscan(m[1:], &i)
		return res.Indicators[i].Uncensored
	case strings.HasPrefix(m, "C"):
		fmt.Sscan(m[1:], &i)
		return res.Indicators[i].Censored
	}
	panic(c)
}

// exposed lists the small counts (1 to below−1, and any count of a small
// area) whose feasible interval is narrower than below: what the attacker
// learns.
func exposed(all map[string]*engine.Totals, bounds map[string]engine.Interval, below int64) []string {
	var out []string
	for c, iv := range bounds {
		code, m, _ := strings.Cut(c, "|")
		if m == "W" || m[0] == 'P' {
			// W is a sum of weights, not a count of anybody; the passed
			// count is not the sensitive one (docs/disclosure.md).
			continue
		}
		v := truth(all, c)
		tt := all[code]
		smallArea := tt.Households > 0 && tt.Households < below || tt.People > 0 && tt.People < below
		if (v > 0 && v < below || smallArea && v > 0) && iv.Width() < float64(below) {
			out = append(out, fmt.Sprintf("%s = %d, known to lie in [%g, %g]", c, v, iv.Lo, iv.Hi))
		}
	}
	slices.Sort(out)
	return out
}

// The attacker: every small count hidden by Protect stays uncertain by at
// least the threshold, on generated rounds full of small villages.
func TestProtectionSurvivesTheAttacker(t *testing.T) {
	const below = 5
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			all := tree(t, seed)
			prot := engine.Protect(all, below)
			if prot.Primary == 0 || prot.Secondary == 0 {
				t.Fatalf("generated data hid %d small and %d other cells: the test would prove nothing", prot.Primary, prot.Secondary)
			}
			bounds := attack(t, all, prot.Apply)
			if len(bounds) == 0 {
				t.Fatal("nothing hidden")
			}
			if bad := exposed(all, bounds, below); len(bad) > 0 {
				t.Errorf("%d small counts are exposed, e.g. %s", len(bad), strings.Join(bad[:min(5, len(bad))], "; "))
			}
		})
	}
}

// Hiding the small counts alone, where they stand (what the portal did
// before), loses to the same attacker: the test can fail.
func TestPerCellSuppressionLosesToTheAttacker(t *testing.T) {
	const below = 5
	all := tree(t, 1)
	perCell := func(code string, tt *engine.Totals) *engine.Totals {
		out := tt.Clone()
		w := &engine.Withheld{Below: below, Surveyed: make([]bool, len(tt.Indicators)), Indicators: make([]bool, len(tt.Indicators)), Eligible: make([]int64, len(tt.Indicators))}
		for i, c := range tt.Indicators {
			if f := c.Eligible - c.Passed; c.Eligible > 0 && c.Eligible < below || f > 0 && f < below {
				w.Indicators[i] = true
				if c.Eligible >= below {
					w.Eligible[i] = c.Eligible
				} else {
					w.Surveyed[i] = true
				}
				out.Indicators[i] = engine.Count{}
			}
		}
		out.Poverty = nil // the old rule dropped the MPI at the first small count
		out.Withheld = w
		return out
	}
	bad := exposed(all, attack(t, all, perCell), below)
	if len(bad) == 0 {
		t.Fatal("per-cell suppression passes the audit: the attacker is too weak")
	}
	t.Logf("per-cell suppression exposes %d small counts, e.g. %s", len(bad), bad[0])
}

// One decision for the whole tree: the same counts give the same pattern,
// and a hidden cell is hidden whichever area's page shows it.
func TestProtectionIsDeterministic(t *testing.T) {
	all := tree(t, 2)
	a, b := engine.Protect(all, 5), engine.Protect(all, 5)
	for code := range all {
		wa, wb := a.Withheld(code), b.Withheld(code)
		if !reflect.DeepEqual(wa, wb) {
			t.Fatalf("%s: %v then %v", code, wa, wb)
		}
	}
	if p := engine.Protect(all, 1); p.Hidden("10010101") || p.Apply("10", all["10"]) != all["10"] {
		t.Error("a threshold of 1 hides something")
	}
}

// A small area shows nothing at all; a shown area keeps its zeros.
func TestProtectionHidesSmallAreas(t *testing.T) {
	all := tree(t, 0)
	prot := engine.Protect(all, 5)
	seen := false
	for code, tt := range all {
		if tt.Households >= 5 {
			continue
		}
		seen = true
		pub := prot.Apply(code, tt)
		if pub.Households != 0 || pub.People != 0 || pub.NetIncome != 0 || pub.Poverty != nil || pub.Withheld == nil || !pub.Withheld.Area {
			t.Errorf("small village %s shows %+v", code, pub)
		}
		for i, c := range pub.Indicators {
			if c != (engine.Count{}) || !pub.Withheld.Indicators[i] {
				t.Errorf("small village %s shows indicator %d: %+v", code, i, c)
			}
		}
		if !tt.Equal(all[code]) {
			t.Error("Apply changed its argument")
		}
	}
	if !seen {
		t.Fatal("no small village generated")
	}
}
