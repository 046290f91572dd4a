package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/indicator"
)

// perHousehold reports the wall time per household of one op over n, and
// the process CPU time per household since start: the machines are shared,
// and wall time rises with other people's load while CPU time does not.
func perHousehold(b *testing.B, n int, start time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/household")
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/float64(n), "cpu-ns/household")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWorkerAdd is the hot path of both a recompute and a live write:
// one three-person household judged (bind from answer maps, 31 indicators,
// and with MPI each member's deprivation mask) and added to a village.
func BenchmarkWorkerAdd(b *testing.B) {
	for _, poverty := range []bool{false, true} {
		b.Run(fmt.Sprintf("mpi=%v", poverty), func(b *testing.B) {
			e := MustEngine(b, poverty)
			w, h, t := e.Worker(), base(), e.NewTotals()
			b.ReportAllocs()
			for b.Loop() {
				w.Add(h, t)
			}
		})
	}
}

const provinceHouseholds, provinceVillages = 100_000, 600

var province = sync.OnceValues(func() (*indicator.Set, []string) {
	s, _ := indicator.Lookup("bmn-2560-2564")
	vs := make([]string, provinceVillages)
	for i := range vs {
		vs[i] = fmt.Sprintf("70%02d%02d%02d", i/100+1, i/10%10+1, i%10+1)
	}
	return s, vs
})

// BenchmarkRecomputeProvince streams a province-sized round (100,000 random
// households, 600 villages) through Recompute with GOMAXPROCS workers.
func BenchmarkRecomputeProvince(b *testing.B) {
	s, vs := province()
	hs := randomHouseholds(21, s, vs, provinceHouseholds)
	e := MustEngine(b, true)
	start := cpuTime()
	for b.Loop() {
		if _, err := e.Recompute(context.Background(), slice(hs), runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
	}
	perHousehold(b, len(hs), start)
}

// BenchmarkRecomputeColumnsProvince is the same round held in Columns.
func BenchmarkRecomputeColumnsProvince(b *testing.B) {
	s, vs := province()
	hs := randomHouseholds(21, s, vs, provinceHouseholds)
	e := MustEngine(b, true)
	cols := engine.NewColumns(s)
	for _, h := range hs {
		cols.Append(h)
	}
	start := cpuTime()
	for b.Loop() {
		e.RecomputeColumns(cols, runtime.GOMAXPROCS(0))
	}
	perHousehold(b, cols.Len(), start)
}

// The national scale of DESIGN §8.
const (
	nationHouseholds = 12_900_000
	nationVillages   = 75_000
)

// nationColumns is a national round (engine.Synthetic: 172 households a
// village, 36.6 M people) in columnar form, built once per process.
var nationColumns = sync.OnceValue(func() *engine.Columns {
	s, _ := indicator.Lookup("bmn-2560-2564")
	cols := engine.NewColumns(s)
	// Collect garbage (outgrown column arrays) early while building, so the
	// peak stays near the columns' own size rather than twice it.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	engine.Synthetic(s, nationHouseholds, nationVillages, cols.AppendRow)
	cols.Trim()
	runtime.GC()
	return cols
})

// BenchmarkNationalRecomputeColumns is the full recompute of DESIGN §8:
// 12.9 M households, 36.6 M people, every indicator and the MPI counts, on
// GOMAXPROCS workers. Roll-up to every level is timed too. Skipped with
// -short; run it with -benchtime=1x (one op takes seconds).
func BenchmarkNationalRecomputeColumns(b *testing.B) {
	if testing.Short() {
		b.Skip("national scale")
	}
	cols := nationColumns()
	e := MustEngine(b, true)
	start := cpuTime()
	for b.Loop() {
		engine.RollUp(e.RecomputeColumns(cols, runtime.GOMAXPROCS(0)), e.NewTotals)
	}
	perHousehold(b, cols.Len(), start)
	b.ReportMetric(float64(cols.People()), "people")
}

// nationOutcomes synthesises the per-household outcomes of a national round
// (31 indicators, clustered by village), deterministically.
var nationOutcomes = sync.OnceValue(func() *engine.Outcomes {
	const nInd = 31
	rng := rand.New(rand.NewPCG(31, 75))
	o := &engine.Outcomes{Village: make([]int32, nationHouseholds)}
	for h := range o.Village {
		o.Village[h] = int32(int64(h) * nationVillages / nationHouseholds)
	}
	for range nInd {
		el, pa := make([]uint8, nationHouseholds), make([]uint8, nationHouseholds)
		for h := range el {
			r := rng.Uint64()
			el[h] = uint8(r % 4)
			if el[h] > 0 && r>>8%20 != 0 {
				pa[h] = el[h]
			}
		}
		o.Eligible, o.Passed = append(o.Eligible, el), append(o.Passed, pa)
	}
	return o
})

// BenchmarkNationalAggregate is the aggregation step alone of DESIGN §8:
// 12.9 M households × 31 indicators' eligible/passed → 75,000 villages, two
// goroutines (target ≤ 0.44 s). Skipped with -short.
func BenchmarkNationalAggregate(b *testing.B) {
	if testing.Short() {
		b.Skip("national scale")
	}
	o := nationOutcomes()
	start := cpuTime()
	var out []engine.Count
	for b.Loop() {
		out = engine.AggregateOutcomes(o, nationVillages, 2)
	}
	perHousehold(b, len(o.Village), start)
	var hh int64
	for v := range nationVillages {
		hh += out[v*31+4].Eligible // a household indicator: 0..3 by construction
	}
	if hh == 0 {
		b.Fatal("nothing aggregated")
	}
}

// BenchmarkRollUpNation rolls 75,000 villages' Totals (31 indicators, TPMAP
// counts with a handful of scores each) up to every level.
func BenchmarkRollUpNation(b *testing.B) {
	e := MustEngine(b, true)
	rng := rand.New(rand.NewPCG(75, 0))
	vs := make(map[string]*engine.Totals, nationVillages)
	for v := range nationVillages {
		t := e.NewTotals()
		t.Households, t.People = 172, 490
		for i := range t.Indicators {
			t.Indicators[i] = engine.Count{Eligible: 172, Passed: 160}
		}
		for range 490 {
			_ = t.Poverty.AddMask(uint64(1) << rng.IntN(17) & -uint64(rng.IntN(4)&1))
		}
		vs[fmt.Sprintf("%02d%02d%02d%02d", 10+v/2000, v/100%20+1, v/10%10+1, v%10+1)] = t
	}
	b.ReportAllocs()
	for b.Loop() {
		engine.RollUp(vs, e.NewTotals)
	}
}

// BenchmarkRecomputeColumnsMillion is the national loop at a twelfth of the
// scale (1 M households of engine.Synthetic over 5,814 villages, every level
// rolled up): quick enough to profile.
func BenchmarkRecomputeColumnsMillion(b *testing.B) {
	s, _ := indicator.Lookup("bmn-2560-2564")
	cols := engine.NewColumns(s)
	engine.Synthetic(s, 1_000_000, 1_000_000/172, cols.AppendRow)
	cols.Trim()
	e := MustEngine(b, true)
	start := cpuTime()
	for b.Loop() {
		engine.RollUp(e.RecomputeColumns(cols, runtime.GOMAXPROCS(0)), e.NewTotals)
	}
	perHousehold(b, cols.Len(), start)
}
