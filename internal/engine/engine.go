// Package engine turns households of a survey round into the additive
// statistics tambon publishes: per village, the complete households, people,
// net income, each indicator's eligible and passed units, and the
// Alkire-Foster counts of people by deprivation score (DESIGN §5). It holds
// the hot loop of a full recompute (§8), the live delta of a household write,
// the roll-up to every level, and the reports, transitions and targeting
// built on those figures. It does no I/O.
package engine

import (
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
)

// Engine judges households of one round: an indicator set, the survey year,
// and an MPI index whose Maps resolve to the set's indicators. It is
// immutable and safe for concurrent use; each goroutine takes a Worker.
type Engine struct {
	set     *indicator.Set
	year    int
	poverty *mpi.Index
	// mpiOf[i] is the MPI index's indicators mapped to set indicator i, as
	// mask bits: a person failing i is deprived in all of them.
	mpiOf []uint64
	// mpiByte[b][x] is the MPI mask of failing the set indicators 8b..8b+7
	// whose bits are set in x: a member's mask from Judge's bitset is a few
	// table look-ups.
	mpiByte [][256]uint64
	// household[i] reports whether set indicator i judges the household.
	household []bool
}

// New returns the engine for a round judged by set in surveyYear (BE). poverty
// may be nil (no MPI statistics are kept); otherwise every indicator of its
// spec must map ("set-id:code") to an indicator of set, or New fails with
// apperr.Invalid naming the indicator.
func New(set *indicator.Set, surveyYear int, poverty *mpi.Index) (*Engine, error) {
	if set == nil {
		return nil, apperr.New(apperr.Invalid, apperr.T("ไม่ได้ระบุชุดตัวชี้วัด", "no indicator set given"))
	}
	e := &Engine{set: set, year: surveyYear, poverty: poverty,
		mpiOf: make([]uint64, len(set.Indicators)), household: make([]bool, len(set.Indicators))}
	for i, ind := range set.Indicators {
		e.household[i] = ind.Unit == indicator.UnitHousehold
	}
	if poverty == nil {
		return e, nil
	}
	for j, in := range poverty.Spec().Indicators {
		i, ok := resolve(set, in.Maps)
		if !ok {
			return nil, apperr.New(apperr.Invalid, apperr.Tf(
				"ตัวชี้วัด MPI %s อ้างถึง %q ซึ่งไม่มีในชุดตัวชี้วัด %s",
				"MPI indicator %s maps to %q, which is not an indicator of set %s", in.ID, in.Maps, set.ID))
		}
		e.mpiOf[i] |= 1 << uint(j)
	}
	e.mpiByte = make([][256]uint64, (len(set.Indicators)+7)/8)
	for b := range e.mpiByte {
		for x := range 256 {
			for bit := range 8 {
				if i := 8*b + bit; x>>bit&1 == 1 && i < len(e.mpiOf) {
					e.mpiByte[b][x] |= e.mpiOf[i]
				}
			}
		}
	}
	return e, nil
}

// mpiMask returns the MPI deprivations of a member who fails the set
// indicators whose bits are set in failed.
func (e *Engine) mpiMask(failed uint64) uint64 {
	var m uint64
	for b := range e.mpiByte {
		m |= e.mpiByte[b][byte(failed>>(8*uint(b)))]
	}
	return m
}

// resolve finds "set-id:code" among set's indicators.
func resolve(set *indicator.Set, maps string) (int, bool) {
	id, code, ok := strings.Cut(maps, ":")
	if !ok || id != set.ID {
		return 0, false
	}
	return indexOf(set, code)
}

func indexOf(set *indicator.Set, code string) (int, bool) {
	for i := range set.Indicators {
		if set.Indicators[i].Code == code {
			return i, true
		}
	}
	return 0, false
}

// Set returns the indicator set the engine judges with.
func (e *Engine) Set() *indicator.Set { return e.set }

// SurveyYear returns the survey year (BE) the engine judges for.
func (e *Engine) SurveyYear() int { return e.year }

// Poverty returns the MPI index, or nil when the engine keeps no MPI counts.
func (e *Engine) Poverty() *mpi.Index { return e.poverty }

// NewTotals returns empty Totals shaped for e: one Count per indicator and,
// with an MPI index, empty Stats.
func (e *Engine) NewTotals() *Totals {
	t := &Totals{Indicators: make([]Count, len(e.set.Indicators))}
	if e.poverty != nil {
		t.Poverty = e.poverty.NewStats()
	}
	return t
}
