package gen_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"tambon/internal/gen"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// tpmapView counts generated households the way TPMAP publishes them: for
// each indicator, the people living in households where it applies (All)
// and in households that fail it (Fail: some eligible unit fails). Eligible
// counts the eligible units themselves (people for person indicators).
type tpmapView struct {
	hh, mem  int64
	all      [gen.NumIndicators]int64
	fail     [gen.NumIndicators]int64
	eligible [gen.NumIndicators]int64
}

func (v *tpmapView) add(set *indicator.Set, h *survey.Household, out []indicator.Outcome) []indicator.Outcome {
	out = set.EvaluateCounts(h, 2561, out)
	res := int64(h.ResidentCount())
	v.hh++
	v.mem += res
	for i, o := range out {
		if !o.Applicable {
			continue
		}
		v.all[i] += res
		v.eligible[i] += int64(o.Eligible)
		if o.Passed < o.Eligible {
			v.fail[i] += res
		}
	}
	return out
}

// tolerance is how far a generated failing count may be from TPMAP's. The
// generator chooses failing households by sampling without replacement
// against the remaining target, so with the same applicable people it lands
// within about one household of the target; what moves it is that the
// people its households put under an indicator (its All) differ from
// TPMAP's. Counting in households of mean size s̄, a binomial spread of
// 3·sqrt(n·(1−r)) households plus 2 households for the last draws gives,
// in people, 3·sqrt(F·s̄·(1−r)) + 2·s̄; on top, the failing people scale
// with the applicable people, so a relative gap g in All is allowed as
// g·F.
func tolerance(target, all, genAll int64, size float64) float64 {
	if all == 0 {
		return 2 * size
	}
	r := float64(target) / float64(all)
	gap := math.Abs(float64(genAll-all)) / float64(all)
	return 3*math.Sqrt(float64(target)*size*(1-r)) + 2*size + gap*float64(target)
}

func TestCalibration(t *testing.T) {
	targets := MustTargets(t)
	set := MustSet(t)
	tests := []struct {
		name   string
		prefix string
	}{
		{"village 70051304", "70051304"},
		{"tambon 700513", "700513"},
		{"amphoe 7005", "7005"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			villages := sortedKeys(targets, tt.prefix)
			var want gen.Target
			for _, c := range villages {
				tg := targets[c]
				want.Households += tg.Households
				want.Members += tg.Members
				for i := range want.Fail {
					want.Fail[i].All += tg.Fail[i].All
					want.Fail[i].Fail += tg.Fail[i].Fail
				}
			}
			var got tpmapView
			var out []indicator.Outcome
			MustGenerate(t, Options(t, 11, targets), villages, func(h *survey.Household) bool {
				out = got.add(set, h, out)
				return true
			})
			if got.hh != want.Households || got.mem != want.Members {
				t.Fatalf("got %d households, %d members; want %d, %d", got.hh, got.mem, want.Households, want.Members)
			}
			size := float64(want.Members) / float64(want.Households)
			report := fmt.Sprintf("%s: %d households, %d members\n  # TPMAP all/fail  generated all/fail (eligible units)  tolerance\n", tt.name, got.hh, got.mem)
			for i := range want.Fail {
				w := want.Fail[i]
				tol := tolerance(w.Fail, w.All, got.all[i], size)
				d := math.Abs(float64(got.fail[i] - w.Fail))
				mark := ""
				if d > tol {
					mark = "  OUT"
					t.Errorf("indicator %d: failing people %d, TPMAP %d (all %d vs %d), tolerance %.0f", i+1, got.fail[i], w.Fail, got.all[i], w.All, tol)
				}
				report += fmt.Sprintf("  %2d %6d/%-6d %6d/%-6d (%6d)  %5.0f%s\n", i+1, w.All, w.Fail, got.all[i], got.fail[i], got.eligible[i], tol, mark)
			}
			if os.Getenv("GEN_REPORT") != "" {
				t.Log(report)
			}
		})
	}
}
