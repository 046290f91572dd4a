package indicator

import (
	"math"
	"math/bits"

	"tambon/internal/apperr"
)

// Judge is Counts and Deprivations in one pass, without callbacks: out gets
// one Outcome per indicator, in set order, exactly as Counts gives them
// (reusing out's storage); failed gets one bitset per resident member, in
// roster order, with bit i set when the member is eligible for indicator i
// and fails it (a failed household indicator sets it for every resident).
// It panics for sets of more than 64 indicators (none is near that).
//
// Person indicators are judged member by member: a table indexed by the
// member's age (and one by age in months) gives the indicators whose age
// bands include it, so a member is tested only against the indicators it
// may be eligible for; flags, education and "when" are checked for those
// that have them. The rules are pure, so the order cannot change a result.
func (e *Evaluator) Judge(out []Outcome, failed []uint64) ([]Outcome, []uint64) {
	failed = e.judge(failed)
	n := len(e.c.s.Indicators)
	if cap(out) < n {
		out = make([]Outcome, n)
	}
	out = out[:n]
	for i := range out {
		o := &out[i]
		o.Applicable, o.Eligible, o.Passed = e.elig[i] > 0, e.elig[i], e.pass[i]
		if o.Reason.TH != "" || o.Reason.EN != "" {
			o.Reason = apperr.Text{}
		}
	}
	return out, failed
}

// JudgeAdd is Judge adding the counts to eligible[i] and passed[i] (one
// entry per indicator) instead of returning Outcomes: a recompute sums them
// per village anyway, and skips building 31 Outcomes per household.
func (e *Evaluator) JudgeAdd(eligible, passed []int64, failed []uint64) []uint64 {
	failed = e.judge(failed)
	n := len(e.c.s.Indicators)
	eligible, passed = eligible[:n], passed[:n]
	for i := range n {
		eligible[i] += int64(e.elig[i])
		passed[i] += int64(e.pass[i])
	}
	return failed
}

// judge judges the bound household into e.elig, e.pass and failed.
func (e *Evaluator) judge(failed []uint64) []uint64 {
	c := &e.c
	inds := c.s.Indicators
	if len(inds) > 64 {
		panic("indicator: Judge needs a set of at most 64 indicators")
	}
	if e.j == nil {
		e.j = newJudgeTables(c.s)
	}
	j := e.j
	nm := len(c.mem)
	if cap(failed) < nm {
		failed = make([]uint64, nm, nm+4)
	}
	failed = failed[:nm]
	usable := c.usable()
	elig, pass := &e.elig, &e.pass
	clear(elig[:])
	clear(pass[:])
	if nm > 0 {
		var hhFailed uint64
		for _, i := range j.household {
			if !usable[i] {
				continue
			}
			ind := &inds[i]
			if g := &ind.elig; g.when == nil || g.when(c, -1) {
				elig[i] = 1
				if ind.passHousehold(c) {
					pass[i] = 1
				} else {
					hhFailed |= 1 << uint(i)
				}
			}
		}
		usableMask := j.person & c.usableBits
		nPer := c.s.nPer
		for m := range c.mem {
			p := &c.mem[m]
			cand := j.byAge[min(int(p.age), len(j.byAge)-1)] & j.byMonths[min(int(p.months), len(j.byMonths)-1)] & usableMask
			for sp := cand & j.special; sp != 0; sp &= sp - 1 {
				i := bits.TrailingZeros64(sp)
				g := &inds[i].elig
				if p.flags&g.all != g.all || p.flags&g.none != 0 ||
					g.edu != 0 && (p.edu < 0 || g.edu&(1<<p.edu) == 0) ||
					g.when != nil && !g.when(c, m) {
					cand &^= 1 << uint(i)
				}
			}
			f := hhFailed
			for x := cand; x != 0; x &= x - 1 {
				i := bits.TrailingZeros64(x)
				ind := &inds[i]
				elig[i]++
				if ind.kind == kindPerEq && c.per[m*nPer+ind.fSlots[0]] == ind.fXs[0] ||
					ind.kind != kindPerEq && ind.passEval(c, m) {
					pass[i]++
				} else {
					f |= 1 << uint(i)
				}
			}
			failed[m] = f
		}
	}
	return failed
}

// judgeTables are a set's indicators arranged for Judge.
type judgeTables struct {
	household []int  // indices of household indicators
	person    uint64 // bits of person indicators
	special   uint64 // person indicators that test flags, education or "when"
	// byAge[a]: person indicators whose age band (years) holds a; the last
	// entry stands for every older age (no band has a bound beyond it).
	// byMonths likewise for bands in months.
	byAge, byMonths []uint64
}

func newJudgeTables(s *Set) *judgeTables {
	j := &judgeTables{}
	maxAge, maxMonths := int32(0), int32(0)
	for i := range s.Indicators {
		g := &s.Indicators[i].elig
		for _, b := range []int32{g.ageLo, g.ageHi} {
			if b != math.MaxInt32 {
				maxAge = max(maxAge, b)
			}
		}
		for _, b := range []int32{g.monLo, g.monHi} {
			if b != math.MaxInt32 {
				maxMonths = max(maxMonths, b)
			}
		}
	}
	j.byAge, j.byMonths = make([]uint64, maxAge+2), make([]uint64, maxMonths+2)
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		if ind.Unit == UnitHousehold {
			j.household = append(j.household, i)
			continue
		}
		bit, g := uint64(1)<<uint(i), &ind.elig
		j.person |= bit
		if g.all != 0 || g.none != 0 || g.edu != 0 || g.when != nil {
			j.special |= bit
		}
		for a := range j.byAge {
			if int32(a) >= g.ageLo && int32(a) <= g.ageHi {
				j.byAge[a] |= bit
			}
		}
		for a := range j.byMonths {
			if int32(a) >= g.monLo && int32(a) <= g.monHi {
				j.byMonths[a] |= bit
			}
		}
	}
	return j
}

// usable returns, per indicator, whether every threshold it needs is set for
// the bound survey year, worked out once per year.
func (c *ctx) usable() []bool {
	if c.usableFor != c.ref.year || len(c.usableBy) != len(c.s.Indicators) {
		c.usableBy = c.usableBy[:0]
		for i := range c.s.Indicators {
			c.usableBy = append(c.usableBy, c.thresholdsSet(&c.s.Indicators[i]))
		}
		c.usableFor = c.ref.year
		c.usableBits = 0
		for i, ok := range c.usableBy {
			if ok && i < 64 {
				c.usableBits |= 1 << uint(i)
			}
		}
	}
	return c.usableBy
}

// passHousehold is passEval(c, -1), inline for the commonest rules.
func (ind *Indicator) passHousehold(c *ctx) bool {
	if ind.kind != kindHHEq {
		return ind.passEval(c, -1)
	}
	for k, s := range ind.fSlots {
		if c.hh[s] != ind.fXs[k] {
			return false
		}
	}
	return true
}
