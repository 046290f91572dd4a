package mpi_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"tambon/internal/mpi"
)

// randomMask draws a deprivation mask in which indicator j is deprived with
// probability p[j], so scores spread over the whole range.
func randomMask(rng *rand.Rand, p []float64) uint64 {
	var m uint64
	for j, pj := range p {
		if rng.Float64() < pj {
			m |= 1 << j
		}
	}
	return m
}

// population draws n people for x with a fixed seed, each indicator failed
// with its own probability between 5% and 55%, so scores spread widely.
func population(x *mpi.Index, seed uint64, n int) []uint64 {
	return populationP(x, seed, n, 0.05, 0.55)
}

// populationP is population with failure probabilities between lo and hi.
func populationP(x *mpi.Index, seed uint64, n int, lo, hi float64) []uint64 {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := make([]float64, len(x.Units()))
	for j := range p {
		p[j] = lo + (hi-lo)*rng.Float64()
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = randomMask(rng, p)
	}
	return out
}

func specs(t *testing.T) map[string]*mpi.Index {
	weighted := equalSpec(10, mpi.F(1, 3))
	for j := range weighted.Indicators {
		weighted.Indicators[j].Weight = mpi.F(int64(j%3+1), 6) // 1/6, 2/6, 3/6, …
	}
	return map[string]*mpi.Index{
		"TPMAP":                  MustIndex(t, mpi.TPMAP()),
		"ten unequal indicators": MustIndex(t, weighted),
		"64 indicators":          MustIndex(t, equalSpec(64, mpi.F(1, 3))),
	}
}

// TestPropertyHeadcountFallsWithK: raising k never makes more people poor,
// and at every k, M0 = H × A exactly and contributions sum to 1.
func TestPropertyHeadcountFallsWithK(t *testing.T) {
	for name, x := range specs(t) {
		t.Run(name, func(t *testing.T) {
			st := x.NewStats()
			for _, m := range population(x, 1, 2000) {
				_ = st.AddMask(m)
			}
			d := x.Denominator()
			prevQ := st.N + 1
			for s := int64(1); s <= d; s++ {
				r := MustResult(t, st, mpi.F(s, d))
				if r.Q > prevQ {
					t.Fatalf("k = %d/%d: q = %d rose from %d", s, d, r.Q, prevQ)
				}
				prevQ = r.Q
				if prod := new(big.Rat).Mul(r.HRat(), r.ARat()); r.Q > 0 && prod.Cmp(r.M0Rat()) != 0 {
					t.Fatalf("k = %d/%d: H×A = %s, M0 = %s", s, d, prod.RatString(), r.M0Rat().RatString())
				}
				if !near(r.H*r.A, r.M0) {
					t.Fatalf("k = %d/%d: float H×A = %v, M0 = %v", s, d, r.H*r.A, r.M0)
				}
				if r.Q > 0 {
					sum, dsum := 0.0, 0.0
					for _, in := range r.Indicators {
						sum += in.Contribution
					}
					for _, dm := range r.Dimensions {
						dsum += dm.Contribution
					}
					if !near(sum, 1) || !near(dsum, 1) {
						t.Fatalf("k = %d/%d: contributions sum to %v (indicators), %v (dimensions)", s, d, sum, dsum)
					}
				}
			}
		})
	}
}

// TestPropertyMergeAndDecompose: splitting people at random into villages,
// merging the villages gives exactly the statistics of everyone, and the
// population-weighted village M0s sum exactly (as rationals) to the total.
func TestPropertyMergeAndDecompose(t *testing.T) {
	for name, x := range specs(t) {
		for seed := uint64(1); seed <= 5; seed++ {
			t.Run(fmt.Sprintf("%s seed %d", name, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 7))
				people := population(x, seed, 3000)
				whole := x.NewStats()
				parts := make([]*mpi.Stats, 1+rng.IntN(20))
				for i := range parts {
					parts[i] = x.NewStats()
				}
				for _, m := range people {
					_ = whole.AddMask(m)
					_ = parts[rng.IntN(len(parts))].AddMask(m)
				}
				merged := x.NewStats()
				groups := make([]mpi.Group, len(parts))
				for i, p := range parts {
					if err := merged.Merge(p); err != nil {
						t.Fatal(err)
					}
					groups[i] = mpi.Group{Name: string(rune('A' + i)), Stats: p}
				}
				if !merged.Equal(whole) {
					t.Fatalf("merged villages %v ≠ whole %v", merged, whole)
				}
				k := mpi.F(1+rng.Int64N(x.Denominator()), x.Denominator())
				dec, err := mpi.Decompose(k, groups)
				if err != nil {
					t.Fatal(err)
				}
				sum := new(big.Rat)
				fsum, csum := 0.0, 0.0
				for _, g := range dec.Groups {
					share := big.NewRat(g.Result.N, dec.Total.N)
					sum.Add(sum, share.Mul(share, g.Result.M0Rat()))
					fsum += g.PopulationShare * g.Result.M0
					csum += g.Contribution
				}
				if sum.Cmp(dec.Total.M0Rat()) != 0 {
					t.Errorf("k = %v: Σ (n_g/n) M0_g = %s, M0 = %s", k, sum.RatString(), dec.Total.M0Rat().RatString())
				}
				if !near(fsum, dec.Total.M0) {
					t.Errorf("k = %v: float Σ = %v, M0 = %v", k, fsum, dec.Total.M0)
				}
				if dec.Total.Q > 0 && !near(csum, 1) {
					t.Errorf("group contributions sum to %v", csum)
				}
				wholeR := MustResult(t, whole, k)
				if wholeR.M0Rat().Cmp(dec.Total.M0Rat()) != 0 || wholeR.Q != dec.Total.Q {
					t.Errorf("decomposition total %v ≠ whole %v", dec.Total.M0Rat(), wholeR.M0Rat())
				}
			})
		}
	}
}

// TestPropertySubUndoesAdd: editing households (remove old members, add new)
// in any order leaves the statistics of the final data; removing everything
// leaves zero.
func TestPropertySubUndoesAdd(t *testing.T) {
	for name, x := range specs(t) {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, 42))
			people := population(x, 3, 1000)
			village := x.NewStats()
			for _, m := range people {
				_ = village.AddMask(m)
			}
			// Edit 300 people one at a time, as live updates do.
			for range 300 {
				i := rng.IntN(len(people))
				newMask := population(x, rng.Uint64(), 1)[0]
				if err := village.SubMask(people[i]); err != nil {
					t.Fatalf("SubMask of a counted person: %v", err)
				}
				_ = village.AddMask(newMask)
				people[i] = newMask
			}
			fresh := x.NewStats()
			for _, m := range people {
				_ = fresh.AddMask(m)
			}
			if !village.Equal(fresh) {
				t.Fatalf("after edits %v, recount %v", village, fresh)
			}
			// A household's Stats removed with Sub, then added back with Merge.
			hh := x.NewStats()
			for _, m := range people[:7] {
				_ = hh.AddMask(m)
			}
			before := village.Clone()
			if err := village.Sub(hh); err != nil {
				t.Fatal(err)
			}
			if err := village.Merge(hh); err != nil {
				t.Fatal(err)
			}
			if !village.Equal(before) {
				t.Fatal("Sub then Merge changed the statistics")
			}
			for _, m := range people {
				if err := village.SubMask(m); err != nil {
					t.Fatal(err)
				}
			}
			if !village.Equal(x.NewStats()) {
				t.Errorf("removing everyone left %v", village)
			}
		})
	}
}
