package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"tambon/internal/engine"
)

// BenchmarkProtectNation decides the public suppression pattern of a
// national round: 75,000 villages (38 provinces × 20 amphoes × 10 tambons ×
// 10 villages, rolled up to every level: 84,000 areas), 31 indicators whose
// failing counts are mostly 0 to 6, TPMAP's MPI counts. It is what the
// portal does once per round after every change to the statistics.
func BenchmarkProtectNation(b *testing.B) {
	e := MustEngine(b, true)
	rng := rand.New(rand.NewPCG(75, 1))
	// A few hundred distinct poverty tables, shared: building 36 M people
	// one by one would dominate the set-up.
	var pov []*engine.Totals
	for range 300 {
		t := e.NewTotals()
		for range 20 + rng.IntN(500) {
			var mask uint64
			for j := range 17 {
				if rng.IntN(12) == 0 {
					mask |= 1 << j
				}
			}
			_ = t.Poverty.AddMask(mask)
		}
		pov = append(pov, t)
	}
	vs := make(map[string]*engine.Totals, nationVillages)
	for v := range nationVillages {
		t := pov[rng.IntN(len(pov))].Clone()
		t.Households = 2 + rng.Int64N(300)
		t.People = t.Households * 3
		for i := range t.Indicators {
			f := int64(rng.IntN(7)) * int64(rng.IntN(2))
			t.Indicators[i] = engine.Count{Eligible: t.Households, Passed: t.Households - min(f, t.Households)}
		}
		vs[fmt.Sprintf("%02d%02d%02d%02d", 10+v/2000, v/100%20+1, v/10%10+1, v%10+1)] = t
	}
	all := engine.RollUp(vs, e.NewTotals)
	b.ReportAllocs()
	var p *engine.Protection
	start := cpuTime()
	for b.Loop() {
		p = engine.Protect(all, 5)
	}
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(p.Primary), "primary")
	b.ReportMetric(float64(p.Secondary), "secondary")
}
