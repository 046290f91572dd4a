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
