package engine

import (
	"slices"

	"tambon/internal/mpi"
)

// Count is an indicator's eligible and passed units (people or households
// per the indicator's unit).
type Count struct{ Eligible, Passed int64 }

// Totals are the additive statistics of one area in one round: a village's,
// or any sum of villages'. Every published figure of an area is computed from
// them, and every level is the sum of its villages, so a household write
// changes them by a delta (new − old) instead of a rebuild.
//
// A delta may hold negative counts: Add and Sub never refuse, unlike
// mpi.Stats.Sub, because the store builds "new − old" from zero.
type Totals struct {
	Households int64      // complete households counted
	People     int64      // resident members
	NetIncome  int64      // sum of household net income (baht): average income per person = NetIncome/People
	Indicators []Count    // in set order
	Poverty    *mpi.Stats // people by deprivation score (nil when the engine has no MPI spec)

	// Withheld is set only on what Protection.Apply returns for the public:
	// what it blanked (suppress.go), so pages can say "hidden" rather than
	// seem to have no data. Add, Sub, Clone and Equal ignore it.
	Withheld *Withheld
}

// Add adds o to t (t += o). Both must come from the same engine.
func (t *Totals) Add(o *Totals) { t.combine(o, 1) }

// Sub subtracts o from t (t -= o). Counts may go negative (a delta).
func (t *Totals) Sub(o *Totals) { t.combine(o, -1) }

func (t *Totals) combine(o *Totals, sign int64) {
	t.Households += sign * o.Households
	t.People += sign * o.People
	t.NetIncome += sign * o.NetIncome
	if len(t.Indicators) < len(o.Indicators) {
		t.Indicators = append(t.Indicators, make([]Count, len(o.Indicators)-len(t.Indicators))...)
	}
	dst := t.Indicators[:len(o.Indicators)]
	for i, c := range o.Indicators {
		dst[i].Eligible += sign * c.Eligible
		dst[i].Passed += sign * c.Passed
	}
	if o.Poverty == nil {
		return
	}
	if t.Poverty == nil {
		t.Poverty = o.Poverty.Index().NewStats()
	}
	addStats(t.Poverty, o.Poverty, sign)
}

// addStats adds sign × src to dst row by row. mpi.Stats.Merge adds only
// (and Sub refuses to go below zero), while a delta is "new − old" built from
// zero, so the engine keeps its own signed sum.
func addStats(dst, src *mpi.Stats, sign int64) {
	dst.N += sign * src.N
	for s, c := range src.ByScore {
		in := src.Deprived[s]
		if c == 0 && allZero(in) {
			continue // most score rows of a village are empty: read, don't write
		}
		dst.ByScore[s] += sign * c
		row := dst.Deprived[s][:len(in)]
		for j, d := range in {
			row[j] += sign * d
		}
	}
}

// Clone returns an independent copy of t.
func (t *Totals) Clone() *Totals {
	c := &Totals{Households: t.Households, People: t.People, NetIncome: t.NetIncome,
		Indicators: slices.Clone(t.Indicators)}
	if t.Poverty != nil {
		c.Poverty = t.Poverty.Index().NewStats()
		addStats(c.Poverty, t.Poverty, 1)
	}
	return c
}

// Equal reports whether t and o hold the same counts. A nil Poverty equals
// an all-zero one, so Totals read back from a store without MPI rows compare
// equal to fresh empty ones.
func (t *Totals) Equal(o *Totals) bool {
	if t.Households != o.Households || t.People != o.People || t.NetIncome != o.NetIncome ||
		!slices.Equal(t.Indicators, o.Indicators) {
		return false
	}
	switch {
	case t.Poverty == nil && o.Poverty == nil:
		return true
	case t.Poverty == nil:
		return statsZero(o.Poverty)
	case o.Poverty == nil:
		return statsZero(t.Poverty)
	}
	return t.Poverty.Equal(o.Poverty)
}

// IsZero reports whether every count of t is zero.
func (t *Totals) IsZero() bool {
	if t.Households != 0 || t.People != 0 || t.NetIncome != 0 {
		return false
	}
	for _, c := range t.Indicators {
		if c != (Count{}) {
			return false
		}
	}
	return t.Poverty == nil || statsZero(t.Poverty)
}

func statsZero(st *mpi.Stats) bool {
	if st.N != 0 {
		return false
	}
	for s, c := range st.ByScore {
		if c != 0 {
			return false
		}
		for _, d := range st.Deprived[s] {
			if d != 0 {
				return false
			}
		}
	}
	return true
}

func allZero(xs []int64) bool {
	for _, x := range xs {
		if x != 0 {
			return false
		}
	}
	return true
}
