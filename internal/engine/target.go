package engine

import (
	"math/bits"
	"slices"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// Filter says which households a programme targets. A household is a hit
// when any criterion holds; an empty Filter takes every household that
// failed any indicator.
type Filter struct {
	Indicators []string // indicator codes: failed any of them (any eligible unit failing); unknown codes match nothing
	PoorAt     mpi.Frac // when set: some member is MPI-poor at this cut-off
	Dimensions []string // MPI dimension ids: some member is deprived in an indicator of one of them
}

// Hit is a targeted household: what it failed and who is deprived, with the
// reasons a field worker reads before the visit.
type Hit struct {
	Failed  []string    // codes of every indicator the household failed, in set order
	Matched []string    // the criteria that made it a hit: "indicator:22", "poor", "dimension:income"
	People  []PersonHit // resident members deprived in any MPI indicator (empty without an MPI)
	Score   mpi.Frac    // the household's deprivation score: its most deprived member's
	Reasons []Reason    // why each failed indicator failed, in set order
}

// PersonHit is one deprived member of a targeted household.
type PersonHit struct {
	Member    int      // roster index in Household.Members
	Name      string   // first and last name
	CitizenID string   //
	Score     mpi.Frac // deprivation score, a fraction of the total weight
	Poor      bool     // at Filter.PoorAt (or the index's K when unset)
	Deprived  []string // MPI indicator ids
}

// Reason is one failed indicator explained (indicator.Set.Explain).
type Reason struct {
	Code string
	Text apperr.Text
}

// Target judges h and reports whether the filter takes it. Drafts are never
// targeted. It allocates and is meant for lists, not for recomputes.
func Target(w *Worker, h *survey.Household, f Filter) (Hit, bool) {
	e := w.e
	if h.Status != survey.Complete {
		return Hit{}, false
	}
	var hit Hit
	w.ev.Bind(h, e.year)
	w.out = w.ev.Counts(w.out)
	failed := make([]bool, len(w.out))
	for i, o := range w.out {
		if o.Eligible > o.Passed {
			failed[i] = true
			hit.Failed = append(hit.Failed, e.set.Indicators[i].Code)
		}
	}
	for _, code := range f.Indicators {
		if i, ok := indexOf(e.set, code); ok && failed[i] {
			hit.Matched = append(hit.Matched, "indicator:"+code)
		}
	}
	if len(f.Indicators) == 0 && f.PoorAt.IsZero() && len(f.Dimensions) == 0 && len(hit.Failed) > 0 {
		hit.Matched = append(hit.Matched, "failed")
	}
	if x := e.poverty; x != nil {
		masks := make([]uint64, len(h.Members))
		w.ev.Deprivations(func(m, i int, eligible, deprived bool) {
			if eligible && deprived {
				masks[m] |= e.mpiOf[i]
			}
		})
		spec, k := x.Spec(), f.PoorAt
		if k.IsZero() {
			k = x.K()
		}
		var dims uint64
		for j, in := range spec.Indicators {
			if slices.Contains(f.Dimensions, in.Dimension) {
				dims |= 1 << uint(j)
			}
		}
		var best int64
		var poor, inDims bool
		for m := range h.Members {
			if !h.Members[m].Resident || masks[m] == 0 {
				continue
			}
			s := x.Score(masks[m])
			best = max(best, s)
			p := PersonHit{Member: m, Name: strings.TrimSpace(h.Members[m].FirstName + " " + h.Members[m].LastName),
				CitizenID: h.Members[m].CitizenID, Score: mpi.F(s, x.Denominator()),
				Poor: atLeast(s, x.Denominator(), k)}
			for b := masks[m]; b != 0; b &= b - 1 {
				p.Deprived = append(p.Deprived, spec.Indicators[bits.TrailingZeros64(b)].ID)
			}
			poor = poor || p.Poor
			inDims = inDims || masks[m]&dims != 0
			hit.People = append(hit.People, p)
		}
		hit.Score = mpi.F(best, x.Denominator())
		if poor && !f.PoorAt.IsZero() {
			hit.Matched = append(hit.Matched, "poor")
		}
		if inDims {
			for _, d := range f.Dimensions {
				for j, in := range spec.Indicators {
					if in.Dimension == d && hasBit(hit.People, spec.Indicators[j].ID) {
						hit.Matched = append(hit.Matched, "dimension:"+d)
						break
					}
				}
			}
		}
	}
	if len(hit.Matched) == 0 {
		return Hit{}, false
	}
	if len(hit.Failed) > 0 {
		for i, o := range e.set.Explain(h, e.year) {
			if failed[i] {
				hit.Reasons = append(hit.Reasons, Reason{Code: e.set.Indicators[i].Code, Text: o.Reason})
			}
		}
	}
	return hit, true
}

func hasBit(people []PersonHit, id string) bool {
	for _, p := range people {
		if slices.Contains(p.Deprived, id) {
			return true
		}
	}
	return false
}

// atLeast reports s/d ≥ k exactly (128-bit products: k may have any
// denominator).
func atLeast(s, d int64, k mpi.Frac) bool {
	hi1, lo1 := bits.Mul64(uint64(s), uint64(k.Den))
	hi2, lo2 := bits.Mul64(uint64(k.Num), uint64(d))
	return hi1 > hi2 || hi1 == hi2 && lo1 >= lo2
}
