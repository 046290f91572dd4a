package mpi_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"

	"tambon/internal/mpi"
)

// BenchmarkAddMask is the per-person cost of keeping the statistics: the
// national recompute calls it 36.6 million times. "typical" draws each
// indicator failed with probability 1–8% (จปฐ. fail rates are a few
// percent); "heavy" with 5–55% (about five deprivations a person).
func BenchmarkAddMask(b *testing.B) {
	x := MustIndex(b, mpi.TPMAP())
	for _, c := range []struct {
		name   string
		lo, hi float64
	}{{"typical", 0.01, 0.08}, {"heavy", 0.05, 0.55}} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			p := make([]float64, 17)
			for j := range p {
				p[j] = c.lo + (c.hi-c.lo)*rng.Float64()
			}
			masks := make([]uint64, 4096)
			for i := range masks {
				masks[i] = randomMask(rng, p)
			}
			st := x.NewStats()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				_ = st.AddMask(masks[i&4095])
				i++
			}
		})
	}
}

// BenchmarkResultVillage is one query at one village (about 500 people).
func BenchmarkResultVillage(b *testing.B) {
	x := MustIndex(b, mpi.TPMAP())
	st := x.NewStats()
	for _, m := range population(x, 2, 500) {
		_ = st.AddMask(m)
	}
	k := x.K()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Result(k); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResultNation merges 75,000 villages' statistics (the whole
// country, about 490 people a village) and computes the result, as a
// national query without a stored roll-up would. "typical" villages fail
// each indicator with probability 1–8%, so few score rows are used;
// "heavy" villages (5–55%) use nearly all 61 rows.
func BenchmarkResultNation(b *testing.B) {
	x := MustIndex(b, mpi.TPMAP())
	const villages = 75_000
	for _, c := range []struct {
		name   string
		lo, hi float64
	}{{"typical", 0.01, 0.08}, {"heavy", 0.05, 0.55}} {
		b.Run(c.name, func(b *testing.B) {
			templates := make([]*mpi.Stats, 64) // distinct villages, reused to keep setup short
			for i := range templates {
				templates[i] = x.NewStats()
				for _, m := range populationP(x, uint64(i), 490, c.lo, c.hi) {
					_ = templates[i].AddMask(m)
				}
			}
			all := make([]*mpi.Stats, villages)
			for i := range all {
				all[i] = templates[i%len(templates)].Clone()
			}
			k := x.K()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				nation := x.NewStats()
				for _, v := range all {
					if err := nation.Merge(v); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := nation.Result(k); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCalculate is the analyst's calculator on the AF (2011) file.
func BenchmarkCalculateAF2011(b *testing.B) {
	opts := mpi.CalcOptions{Cutoffs: []float64{13, 12, 3, 1}, K: mpi.F(2, 1)}
	data, err := os.ReadFile("testdata/af2011.csv")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mpi.Calculate(bytes.NewReader(data), opts); err != nil {
			b.Fatal(err)
		}
	}
}
