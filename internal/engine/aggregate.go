package engine

import (
	"encoding/binary"
	"sync"
)

// Outcomes are per-household indicator outcomes in columnar form: the input
// of the aggregation step of a recompute once every household has been
// judged, and the shape an analytical engine (DuckDB, PostgreSQL) is
// compared with in DESIGN §8.
type Outcomes struct {
	Village  []int32   // per household: the village's index, 0..villages-1
	Eligible [][]uint8 // [indicator][household]: eligible units (0/1 for a household indicator, members for a person one)
	Passed   [][]uint8 // [indicator][household]: passing units
}

// AggregateOutcomes sums o into villages and returns the counts row-major:
// village v's indicator i is at v*len(o.Eligible)+i. The households are
// split between workers (2 if workers < 1) at village boundaries. When the
// households are clustered by village (each village one run, as Columns
// keeps them) every village is summed by one worker straight into the
// result; otherwise each worker sums into its own array and they are added
// at the end.
func AggregateOutcomes(o *Outcomes, villages, workers int) []Count {
	if workers < 1 {
		workers = 2
	}
	nInd, n := len(o.Eligible), len(o.Village)
	out := make([]Count, villages*nInd)
	// Runs of equal village index; clustered iff no village has two runs.
	var runs []int // start of each run, then n
	clustered, seen := true, make([]bool, villages)
	for h := 0; h < n; h++ {
		if h == 0 || o.Village[h] != o.Village[h-1] {
			runs = append(runs, h)
			v := o.Village[h]
			clustered = clustered && !seen[v]
			seen[v] = true
		}
	}
	runs = append(runs, n)
	nRuns := len(runs) - 1
	// Split the runs into workers parts of about n/workers households each.
	cuts := []int{0}
	for r, w := 0, 1; w < workers; w++ {
		for r < nRuns && runs[r] < n*w/workers {
			r++
		}
		cuts = append(cuts, r)
	}
	cuts = append(cuts, nRuns)
	var wg sync.WaitGroup
	parts := make([][]Count, workers)
	for w := range workers {
		dst := out
		if !clustered && w > 0 {
			dst = make([]Count, len(out))
			parts[w] = dst
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := cuts[w]; r < cuts[w+1]; r++ {
				lo, hi := runs[r], runs[r+1]
				row := dst[int(o.Village[lo])*nInd : int(o.Village[lo]+1)*nInd]
				for i := range nInd {
					row[i].Eligible += sumBytes(o.Eligible[i][lo:hi])
					row[i].Passed += sumBytes(o.Passed[i][lo:hi])
				}
			}
		}()
	}
	wg.Wait()
	for _, p := range parts[1:] {
		for k := range p {
			out[k].Eligible += p[k].Eligible
			out[k].Passed += p[k].Passed
		}
	}
	return out
}

// sumBytes adds bytes eight at a time: each 64-bit word is split into four
// 16-bit lanes (even and odd bytes) that can take 128 words before they
// could overflow; the lanes are then added pairwise.
func sumBytes(b []uint8) int64 {
	const lanes = 0x00FF00FF00FF00FF
	var total int64
	for len(b) >= 8 {
		var acc uint64
		k := min(len(b)/8, 128)
		for range k {
			x := binary.LittleEndian.Uint64(b)
			acc += x&lanes + (x>>8)&lanes
			b = b[8:]
		}
		acc = acc&0x0000FFFF0000FFFF + (acc>>16)&0x0000FFFF0000FFFF // two 32-bit lanes
		total += int64(acc&0xFFFFFFFF + acc>>32)
	}
	for _, x := range b {
		total += int64(x)
	}
	return total
}
