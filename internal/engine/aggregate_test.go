package engine_test

import (
	"math/rand/v2"
	"testing"

	"tambon/internal/engine"
)

func TestAggregateOutcomes(t *testing.T) {
	// Three households in village 1, two in village 0, by hand; indicator 0
	// is a person indicator (members), indicator 1 a household one.
	small := &engine.Outcomes{
		Village:  []int32{1, 1, 1, 0, 0},
		Eligible: [][]uint8{{3, 0, 2, 5, 1}, {1, 1, 1, 1, 0}},
		Passed:   [][]uint8{{2, 0, 2, 5, 0}, {1, 0, 1, 0, 0}},
	}
	want := []engine.Count{{6, 5}, {1, 0}, {5, 4}, {3, 2}}
	for _, workers := range []int{1, 2, 4} {
		got := engine.AggregateOutcomes(small, 2, workers)
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("%d workers: %v, want %v", workers, got, want)
			}
		}
	}
	for _, c := range []struct {
		name      string
		clustered bool
		villages  int
	}{
		{"clustered by village", true, 97},
		{"long runs, over 128 words each", true, 3},
		{"villages interleaved", false, 97},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			const n, nInd = 20000, 5
			villages := c.villages
			o := &engine.Outcomes{Village: make([]int32, n)}
			for h := range o.Village {
				if c.clustered {
					o.Village[h] = int32(h * villages / n)
				} else {
					o.Village[h] = int32(rng.IntN(villages))
				}
			}
			naive := make([]engine.Count, villages*nInd)
			for i := range nInd {
				el, pa := make([]uint8, n), make([]uint8, n)
				for h := range n {
					el[h] = uint8(rng.IntN(256))
					pa[h] = uint8(rng.IntN(int(el[h]) + 1))
					naive[int(o.Village[h])*nInd+i].Eligible += int64(el[h])
					naive[int(o.Village[h])*nInd+i].Passed += int64(pa[h])
				}
				o.Eligible, o.Passed = append(o.Eligible, el), append(o.Passed, pa)
			}
			got := engine.AggregateOutcomes(o, villages, 2)
			for k := range naive {
				if got[k] != naive[k] {
					t.Fatalf("village %d indicator %d: %v, want %v", k/nInd, k%nInd, got[k], naive[k])
				}
			}
		})
	}
}
