package engine

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"tambon/internal/survey"
)

// RecomputeColumns judges every household held in cols and returns village
// code → Totals, as Recompute does from households. Villages are handed to
// the workers one batch at a time, so each village is summed by one worker
// and nothing is merged afterwards. workers < 1 means GOMAXPROCS.
//
// Package indicator binds households only from their answers maps today,
// so each row is put back into one reused Household (maps cleared and
// refilled) before it is judged, which costs more than the columns save. An
// Evaluator method binding answers straight from slot arrays (BindSlots)
// would remove that step; measured on a prototype it makes this loop about
// three times faster.
func (e *Engine) RecomputeColumns(cols *Columns, workers int) map[string]*Totals {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]*Totals, len(cols.batches))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, r := e.Worker(), newRowHousehold(cols)
			for {
				bi := int(next.Add(1)) - 1
				if bi >= len(cols.batches) {
					return
				}
				b, t := cols.batches[bi], e.NewTotals()
				for i := range b.n {
					w.Add(r.load(b, i), t)
				}
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

// rowHousehold is one reused Household that rows of a Batch are loaded into.
type rowHousehold struct {
	c      *Columns
	h      survey.Household
	values [][]survey.Value // per question: its answer values (bool 0/1, choices by index)
}

var eduCodes = []string{survey.EduNone, survey.EduPreschool, survey.EduPrimary, survey.EduLowerSecondary,
	survey.EduUpperSecondary, survey.EduDiploma, survey.EduBachelor, survey.EduPostgraduate}

var occCodes = [...]string{occBlank: "", occNone: survey.OccNone, occStudent: survey.OccStudent, occWork: "work"}

func newRowHousehold(c *Columns) *rowHousehold {
	r := &rowHousehold{c: c, h: survey.Household{Status: survey.Complete, Answers: survey.Answers{}},
		values: make([][]survey.Value, len(c.qs))}
	for i, q := range c.qs {
		switch q.Type {
		case survey.TypeBool:
			r.values[i] = []survey.Value{survey.Bool(false), survey.Bool(true)}
		case survey.TypeChoice:
			for _, ch := range q.Choices {
				r.values[i] = append(r.values[i], survey.Text(ch))
			}
		}
	}
	return r
}

// load fills the reused Household with row i of b and returns it.
func (r *rowHousehold) load(b *Batch, i int) *survey.Household {
	c, h := r.c, &r.h
	h.VillageCode = b.village
	h.Income = survey.Income{MainOccupation: b.money[mMain][i], SecondaryOccupation: b.money[mSecondary][i],
		Other: b.money[mOther][i], OwnProduce: b.money[mOwnProduce][i], OccupationCosts: b.money[mCosts][i]}
	h.Savings = b.money[mSavings][i]
	h.Debt = survey.Debt{InSystem: b.money[mDebtIn][i], OutOfSystem: b.money[mDebtOut][i]}
	clear(h.Answers)
	for s, q := range c.hhQ {
		if v, ok := r.value(q, b.hh[s], b.hhNum[s], i); ok {
			h.Answers[c.qs[q].Code] = v
		}
	}
	lo, hi := int(b.start[i]), int(b.start[i+1])
	n := hi - lo
	if cap(h.Members) < n {
		ms := make([]survey.Member, n)
		copy(ms, h.Members)
		h.Members = ms
	}
	h.Members = h.Members[:n]
	for k := range n {
		j, m := lo+k, &h.Members[k]
		f := b.flags[j]
		m.BirthDate = time.Unix(int64(b.birth[j])*86400, 0).UTC()
		m.Resident, m.Disabled, m.ChronicIll = f&fResident != 0, f&fDisabled != 0, f&fChronicIll != 0
		m.Bedridden, m.Dependent, m.WelfareCard = f&fBedridden != 0, f&fDependent != 0, f&fWelfareCard != 0
		m.Relation, m.Sex = survey.RelOther, ""
		if f&fHead != 0 {
			m.Relation = survey.RelHead
		}
		if f&fMale != 0 {
			m.Sex = survey.Male
		} else if f&fFemale != 0 {
			m.Sex = survey.Female
		}
		m.Education = ""
		if e := b.edu[j]; e >= 0 {
			m.Education = eduCodes[e]
		}
		m.Occupation = occCodes[b.occ[j]]
		if m.Answers == nil {
			m.Answers = survey.Answers{}
		}
		clear(m.Answers)
		if f&fResident == 0 {
			continue // nobody reads a non-resident member's answers
		}
		for s, q := range c.perQ {
			if v, ok := r.value(q, b.per[s], b.perNum[s], j); ok {
				m.Answers[c.qs[q].Code] = v
			}
		}
	}
	return h
}

func (r *rowHousehold) value(q int, small []int8, num []float64, i int) (survey.Value, bool) {
	if num != nil {
		x := num[i]
		return survey.Number(x), !math.IsNaN(x)
	}
	x := small[i]
	if x < 0 {
		return survey.Value{}, false
	}
	return r.values[q][x], true
}
