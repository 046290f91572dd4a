package engine

import (
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Worker evaluates households for an Engine, one after another, reusing its
// buffers: after the first households it allocates nothing. It is not safe
// for concurrent use; take one per goroutine.
type Worker struct {
	e     *Engine
	ev    *indicator.Evaluator
	out   []indicator.Outcome
	masks []uint64 // MPI deprivations by roster row of the bound household
	first int      // roster row of the first resident member
	into  *Totals  // where the deprivation callback counts
	depFn func(member, ind int, eligible, deprived bool)
}

// Worker returns a new Worker for e.
func (e *Engine) Worker() *Worker {
	w := &Worker{e: e, ev: e.set.NewEvaluator()}
	w.depFn = w.deprivation // one method value, made once, so Add does not allocate
	return w
}

// Add adds one household's contribution to into: the household, its
// resident members and net income, its indicator counts and its members'
// deprivation scores. Drafts (Status other than Complete) contribute nothing:
// figures count finished records only.
func (w *Worker) Add(h *survey.Household, into *Totals) {
	if h.Status != survey.Complete {
		return
	}
	w.ev.Bind(h, w.e.year)
	w.addBound(h, into)
}

// addBound is Add for a complete household already bound to w.ev.
func (w *Worker) addBound(h *survey.Household, into *Totals) {
	into.Households++
	into.NetIncome += h.NetIncome()
	if w.e.poverty == nil || into.Poverty == nil {
		into.People += int64(h.ResidentCount())
		w.out = w.ev.Counts(w.out)
		for i, o := range w.out {
			into.Indicators[i].Eligible += int64(o.Eligible)
			into.Indicators[i].Passed += int64(o.Passed)
		}
		return
	}
	// With an MPI, one pass over (member, indicator) gives both the counts
	// and each member's deprivation mask: rules are judged once, not twice.
	if cap(w.masks) < len(h.Members) {
		w.masks = make([]uint64, len(h.Members))
	}
	w.masks = w.masks[:len(h.Members)]
	clear(w.masks)
	w.first = -1
	for i := range h.Members {
		if h.Members[i].Resident {
			if w.first < 0 {
				w.first = i
			}
			into.People++
		}
	}
	if w.first < 0 {
		return // nobody lives there: nothing applies, nobody to count
	}
	w.into = into
	w.ev.Deprivations(w.depFn)
	w.into = nil
	for i := range h.Members {
		if h.Members[i].Resident {
			_ = into.Poverty.AddMask(w.masks[i]) // cannot fail: the bits come from the index
		}
	}
}

// deprivation counts one (member, indicator) judgement: a person indicator
// per member, a household indicator once (at the first resident member).
func (w *Worker) deprivation(member, ind int, eligible, deprived bool) {
	if deprived {
		w.masks[member] |= w.e.mpiOf[ind]
	}
	if !eligible || (w.e.household[ind] && member != w.first) {
		return
	}
	c := &w.into.Indicators[ind]
	c.Eligible++
	if !deprived {
		c.Passed++
	}
}

// Contribution returns fresh Totals holding just h's contribution: the store
// updates an edited household's areas by Contribution(new) − Contribution(old).
func (w *Worker) Contribution(h *survey.Household) *Totals {
	t := w.e.NewTotals()
	w.Add(h, t)
	return t
}
