package village

import (
	"math"
	"math/rand/v2"
)

// Synthetic returns plausible answers for a village, for demos and tests:
// deterministic for a given r, with quality in [0, 1] moving every answer
// from the serious side (0) to the good side (1) with some spread, so a round
// holds villages at all three levels.
func (s *Set) Synthetic(r *rand.Rand, quality float64) Answers {
	a := Answers{}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		q := math.Min(1, math.Max(0, quality+r.NormFloat64()*0.18))
		switch ind.Kind {
		case KindChoice:
			// Pick the choice whose score is nearest the village's quality.
			want := 1 + int(math.Round(q*2))
			best := ind.Choices[0]
			for _, c := range ind.Choices {
				if abs(c.Score-want) < abs(best.Score-want) {
					best = c
				}
			}
			a[ind.Code] = float64(best.Value)
		default:
			// From a little beyond the moderate cut-off on the bad side (q=0)
			// to a little beyond the good one (q=1), whichever way is better.
			sc := ind.Scoring
			bad, good := 2*sc.Moderate-sc.Good, sc.Good+(sc.Good-sc.Moderate)/2
			if sc.Good == sc.Moderate {
				bad, good = sc.Moderate-1, sc.Good+1
				if sc.Better == "lower" {
					bad, good = good, bad
				}
			}
			v := bad + q*(good-bad)
			v = math.Min(ind.Max, math.Max(ind.Min, v))
			if ind.Kind == KindPercent {
				v = math.Round(v*10) / 10
			} else {
				v = math.Round(v)
			}
			a[ind.Code] = v
		}
	}
	return a
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
