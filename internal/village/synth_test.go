package village_test

import (
	"math/rand/v2"
	"testing"
)

func TestSyntheticIsValidAndSpread(t *testing.T) {
	s := mustSet(t)
	r := rand.New(rand.NewPCG(1, 2))
	var levels [4]int
	for i := 0; i < 300; i++ {
		a := s.Synthetic(r, r.Float64())
		res, err := s.Evaluate(a)
		if err != nil {
			t.Fatalf("village %d: %v", i, err)
		}
		levels[res.Level]++
	}
	for l := 1; l <= 3; l++ {
		if levels[l] == 0 {
			t.Errorf("no village at level %d: %v", l, levels)
		}
	}
}

// Good villages score well on every indicator, whichever way it counts.
func TestSyntheticFollowsQuality(t *testing.T) {
	s := mustSet(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, q := range []float64{0.05, 0.95} {
		var n [4]int
		for i := 0; i < 50; i++ {
			res, _ := s.Evaluate(s.Synthetic(r, q))
			for _, sc := range res.Scores {
				n[sc.Score]++
			}
			for _, sc := range res.Scores {
				if q > 0.9 && sc.Score == 1 && sc.Indicator.Scoring.Better == "lower" && sc.Value > sc.Indicator.Scoring.Moderate*3 {
					t.Errorf("a good village has %v on %s", sc.Value, sc.Indicator.Code)
				}
			}
		}
		if q < 0.5 && n[1] < n[3] || q > 0.5 && n[3] < 10*n[1] {
			t.Errorf("quality %v gives scores %v", q, n)
		}
	}
}
