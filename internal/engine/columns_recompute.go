package engine

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// RecomputeColumns judges every household held in cols and returns village
// code → Totals, exactly as Recompute does from the same households.
// Villages are handed to the workers one batch at a time, so each village is
// summed by one worker and nothing is merged afterwards. workers < 1 means
// GOMAXPROCS. cols must hold households of e's set, or of a set with the
// same questions (a subset of its indicators, say), and the set may have at
// most 64 indicators (Judge's bitsets); otherwise it panics.
//
// Each household is bound straight from the int8 answer rows and the packed
// roster (indicator.Evaluator.BindRoster) and judged once for both the
// counts and every member's deprivations (Judge): no maps, strings or
// time.Time on the way. Putting each row back into a survey.Household and
// binding it from maps took the national recompute 56.5 s; this takes about
// 4.7 s on the shared 2-core machine (docs/BENCHMARKS.md).
func (e *Engine) RecomputeColumns(cols *Columns, workers int) map[string]*Totals {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	if cols.set != e.set && !slices.EqualFunc(cols.qs, e.set.Questions(), sameQuestion) {
		panic("engine: RecomputeColumns of columns laid out for another set's questions")
	}
	out := make([]*Totals, len(cols.batches))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := e.columnJudge(cols)
			for {
				bi := int(next.Add(1)) - 1
				if bi >= len(cols.batches) {
					return
				}
				t := e.NewTotals()
				j.batch(cols.batches[bi], t)
				out[bi] = t
			}
		}()
	}
	wg.Wait()
	m := make(map[string]*Totals, len(out))
	for bi, t := range out {
		m[cols.batches[bi].village] = t
	}
	return m
}

func sameQuestion(a, b survey.QuestionSpec) bool {
	return a.Code == b.Code && a.Level == b.Level && a.Type == b.Type && slices.Equal(a.Choices, b.Choices)
}

// slotValue turns a stored int8 answer into its slot form: −1 (stored as
// 255) and every other negative value is unanswered.
var slotValue = func() (t [256]float64) {
	for i := range t {
		if int8(i) < 0 {
			t[i] = math.NaN()
		} else {
			t[i] = float64(i)
		}
	}
	return t
}()

// columnJudge is one worker's buffers for judging batches.
type columnJudge struct {
	e      *Engine
	c      *Columns
	ev     *indicator.Evaluator
	hh     []float64
	per    []float64
	el, pa []int64 // the batch's eligible and passed units per indicator
	failed []uint64
}

func (e *Engine) columnJudge(c *Columns) *columnJudge {
	n := len(e.set.Indicators)
	return &columnJudge{e: e, c: c, ev: e.set.NewEvaluator(), hh: make([]float64, len(c.hhQ)),
		el: make([]int64, n), pa: make([]int64, n)}
}

// batch adds every household of b to t.
func (j *columnJudge) batch(b *Batch, t *Totals) {
	e, c := j.e, j.c
	nh, np := len(c.hhQ), len(c.perQ)
	clear(j.el)
	clear(j.pa)
	for i := range b.n {
		hh := j.hh[:nh]
		for s, v := range b.hh[i*nh : i*nh+nh] {
			hh[s] = slotValue[uint8(v)]
		}
		for k, s := range c.hhNum {
			hh[s] = b.hhNum[k][i]
		}
		lo, hi := int(b.start[i]), int(b.start[i+1])
		if need := (hi - lo) * np; cap(j.per) < need {
			j.per = make([]float64, need, need+4*np)
		}
		per := j.per[:(hi-lo)*np]
		for k, v := range b.per[lo*np : hi*np] {
			per[k] = slotValue[uint8(v)]
		}
		for k, s := range c.perNum {
			col := b.perNum[k]
			for m := lo; m < hi; m++ {
				per[(m-lo)*np+s] = col[m]
			}
		}
		in := incomeOf(b, i)
		j.ev.BindRoster(e.year, hh, b.roster[lo:hi], per, in, b.money[mSavings][i],
			debtOf(b, i))
		j.failed = j.ev.JudgeAdd(j.el, j.pa, j.failed)
		t.Households++
		t.People += int64(len(j.failed))
		t.NetIncome += in.Net()
		if t.Poverty != nil {
			for _, f := range j.failed {
				_ = t.Poverty.AddMask(e.mpiMask(f)) // cannot fail: the bits come from the index
			}
		}
	}
	for k := range j.el {
		t.Indicators[k].Eligible += j.el[k]
		t.Indicators[k].Passed += j.pa[k]
	}
}
