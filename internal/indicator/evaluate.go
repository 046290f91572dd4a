package indicator

import (
	"math"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Outcome is one indicator judged for one household. For a household
// indicator Eligible and Passed are 0 or 1; for a person indicator they count
// members. Applicable is false when nobody is eligible (or the year has no
// threshold): such an outcome enters neither numerator nor denominator.
type Outcome struct {
	Applicable bool
	Eligible   int32
	Passed     int32
	Reason     apperr.Text // only from Explain
}

// Evaluator judges households one after another, reusing its buffers, so that
// after the first few households it allocates nothing. It is not safe for
// concurrent use: give each goroutine its own.
type Evaluator struct {
	c ctx
	j *judgeTables // for Judge, made on first use
	// elig[i], pass[i]: indicator i's counts of the household last judged.
	elig, pass [64]int32
}

// NewEvaluator returns an Evaluator for s.
func (s *Set) NewEvaluator() *Evaluator { return &Evaluator{c: ctx{s: s}} }

// Bind loads h, judged for the survey year (BE), into e. The household must
// not change until the next Bind.
func (e *Evaluator) Bind(h *survey.Household, surveyYear int) { e.c.bind(h, surveyYear) }

// Counts returns out holding one Outcome per indicator of the set, in set
// order, for the bound household, reusing out's storage when it is large
// enough. It writes no reasons.
func (e *Evaluator) Counts(out []Outcome) []Outcome {
	c := &e.c
	n := len(c.s.Indicators)
	if cap(out) < n {
		out = make([]Outcome, n)
	}
	out = out[:n]
	for i := range c.s.Indicators {
		ind, o := &c.s.Indicators[i], &out[i]
		var eligible, passed int32
		if len(c.mem) > 0 && c.thresholdsSet(ind) {
			eligible, passed = ind.count(c)
		}
		// Set the fields one by one: writing the whole struct would copy
		// Reason's string pointers, with a write barrier, every time.
		o.Applicable, o.Eligible, o.Passed = eligible > 0, eligible, passed
		if o.Reason.TH != "" || o.Reason.EN != "" {
			o.Reason = apperr.Text{}
		}
	}
	return out
}

func (c *ctx) thresholdsSet(ind *Indicator) bool {
	for _, t := range ind.needs {
		if math.IsNaN(c.th[t]) {
			return false
		}
	}
	return true
}

// count returns the eligible and passing units of the bound household.
func (ind *Indicator) count(c *ctx) (eligible, passed int32) {
	if ind.Unit == UnitHousehold {
		if !ind.elig.ok(c, -1) {
			return 0, 0
		}
		if ind.passEval(c, -1) {
			return 1, 1
		}
		return 1, 0
	}
	for m := range c.mem {
		if !ind.elig.ok(c, m) {
			continue
		}
		eligible++
		if ind.passEval(c, m) {
			passed++
		}
	}
	return eligible, passed
}

func (s *Set) evaluator() *Evaluator {
	if e, ok := s.pool.Get().(*Evaluator); ok {
		return e
	}
	return s.NewEvaluator()
}

func (s *Set) release(e *Evaluator) {
	e.c.h = nil
	s.pool.Put(e)
}

// EvaluateCounts judges h for the survey year (BE) and returns one Outcome
// per indicator, in set order, reusing out's storage; no reasons. It is the fast path for
// recomputing figures; loops over many households may instead keep one
// Evaluator per goroutine and call Bind and Counts.
func (s *Set) EvaluateCounts(h *survey.Household, surveyYear int, out []Outcome) []Outcome {
	e := s.evaluator()
	e.Bind(h, surveyYear)
	out = e.Counts(out)
	s.release(e)
	return out
}

// Evaluate is EvaluateCounts: the name the engine calls.
func (s *Set) Evaluate(h *survey.Household, surveyYear int, out []Outcome) []Outcome {
	return s.EvaluateCounts(h, surveyYear, out)
}

// PersonDeprivations calls fn for every resident member of h (by roster index)
// and every indicator (by set index): whether the member is eligible and, if
// so, deprived (fails). A household indicator applies to every member of the
// household. This is what the MPI needs per person.
func (s *Set) PersonDeprivations(h *survey.Household, surveyYear int, fn func(member, indicator int, eligible, deprived bool)) {
	e := s.evaluator()
	e.Bind(h, surveyYear)
	e.Deprivations(fn)
	s.release(e)
}

// Deprivations is PersonDeprivations for the bound household.
func (e *Evaluator) Deprivations(fn func(member, indicator int, eligible, deprived bool)) {
	c := &e.c
	for i := range c.s.Indicators {
		ind := &c.s.Indicators[i]
		if !c.thresholdsSet(ind) {
			for m := range c.mem {
				fn(c.row[m], i, false, false)
			}
			continue
		}
		if ind.Unit == UnitHousehold {
			elig := ind.elig.ok(c, -1)
			dep := elig && !ind.passEval(c, -1)
			for m := range c.mem {
				fn(c.row[m], i, elig, dep)
			}
			continue
		}
		for m := range c.mem {
			elig := ind.elig.ok(c, m)
			fn(c.row[m], i, elig, elig && !ind.passEval(c, m))
		}
	}
}
