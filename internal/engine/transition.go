package engine

import (
	"cmp"
	"slices"
)

// HouseholdRef is what matching two rounds needs of a household.
type HouseholdRef struct {
	ID         int64
	Key        string   // the household's key (survey.Household.Key): its house code (รหัสประจำบ้าน), else village and house number
	Village    string   // 8-digit village code
	CitizenIDs []string // members' 13-digit IDs
	Poor       bool     // MPI-poor, or failed any chosen indicator: the caller decides
}

// Transition is what became of a household between two rounds.
type Transition string

// The transitions.
const (
	Graduated    Transition = "graduated"  // poor → not poor
	FellBack     Transition = "fell_back"  // not poor → poor
	StillPoor    Transition = "still_poor" // poor in both
	NeverPoor    Transition = "never_poor" // poor in neither
	NewHousehold Transition = "new"        // only in the current round
	Gone         Transition = "gone"       // only in the previous round
)

// Matched-by values of a Pair.
const (
	ByKey       = "key"        // the same key: house code, else village and house number
	ByCitizenID = "citizen_id" // no house code in common, but members in common
)

// Pair is one household followed across two rounds. Prev is nil for a new
// household, Cur nil for one that is gone.
type Pair struct {
	Prev, Cur *HouseholdRef
	By        string // ByKey, ByCitizenID, or "" when unmatched
	Kind      Transition
}

// Match follows households from the previous round to the current one.
// First by key (the house code, else village and house number: a household
// re-surveyed from last round's record keeps it); then, among those left, by members in common (a
// household that moved house, or split): every (current, previous) pair
// sharing citizen IDs is a candidate, and candidates are taken greedily by
// most IDs shared, then current order, then previous order, each household
// used once. So when a household splits, the part that kept most of its
// members continues it and the other part is new; when two merge, the
// current household continues the previous one it shares most members with
// and the other previous household is gone.
//
// Pairs come in current order, then the gone households in previous order.
func Match(prev, cur []HouseholdRef) []Pair {
	prevOf := make([]int, len(cur)) // previous index, or -1
	by := make([]string, len(cur))
	used := make([]bool, len(prev))
	byKey := make(map[string]int, len(prev))
	for i := range prev {
		if k := prev[i].Key; k != "" {
			if _, dup := byKey[k]; !dup {
				byKey[k] = i
			}
		}
	}
	for c := range cur {
		prevOf[c] = -1
		if i, ok := byKey[cur[c].Key]; ok && cur[c].Key != "" && !used[i] {
			prevOf[c], by[c], used[i] = i, ByKey, true
		}
	}
	// Members in common, among the households left on both sides.
	byID := map[string][]int{}
	for i := range prev {
		if used[i] {
			continue
		}
		for _, id := range prev[i].CitizenIDs {
			if id != "" {
				byID[id] = append(byID[id], i)
			}
		}
	}
	type cand struct{ c, p, shared int }
	var cands []cand
	for c := range cur {
		if prevOf[c] >= 0 {
			continue
		}
		shared := map[int]int{}
		for _, id := range cur[c].CitizenIDs {
			if id == "" {
				continue
			}
			for _, p := range byID[id] {
				shared[p]++
			}
		}
		for p, n := range shared {
			cands = append(cands, cand{c, p, n})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.shared, a.shared), cmp.Compare(a.c, b.c), cmp.Compare(a.p, b.p))
	})
	for _, k := range cands {
		if prevOf[k.c] < 0 && !used[k.p] {
			prevOf[k.c], by[k.c], used[k.p] = k.p, ByCitizenID, true
		}
	}
	out := make([]Pair, 0, len(cur)+len(prev))
	for c := range cur {
		pr := Pair{Cur: &cur[c], By: by[c], Kind: NewHousehold}
		if p := prevOf[c]; p >= 0 {
			pr.Prev = &prev[p]
			pr.Kind = classify(prev[p].Poor, cur[c].Poor)
		}
		out = append(out, pr)
	}
	for p := range prev {
		if !used[p] {
			out = append(out, Pair{Prev: &prev[p], Kind: Gone})
		}
	}
	return out
}

func classify(before, now bool) Transition {
	switch {
	case before && now:
		return StillPoor
	case before:
		return Graduated
	case now:
		return FellBack
	}
	return NeverPoor
}

// TransitionCounts counts households by transition in one area.
type TransitionCounts struct {
	Graduated, FellBack, StillPoor, NeverPoor, New, Gone int64
}

// Add counts one household.
func (t *TransitionCounts) Add(k Transition) {
	switch k {
	case Graduated:
		t.Graduated++
	case FellBack:
		t.FellBack++
	case StillPoor:
		t.StillPoor++
	case NeverPoor:
		t.NeverPoor++
	case NewHousehold:
		t.New++
	case Gone:
		t.Gone++
	}
}

// TransitionTable counts pairs by area code at every level (Ancestors of
// the village areaOf gives). A pair counts where the household is now (Cur);
// a gone household where it was (Prev). areaOf nil means ref.Village.
func TransitionTable(pairs []Pair, areaOf func(HouseholdRef) string) map[string]*TransitionCounts {
	if areaOf == nil {
		areaOf = func(r HouseholdRef) string { return r.Village }
	}
	out := map[string]*TransitionCounts{}
	for _, p := range pairs {
		ref := p.Cur
		if ref == nil {
			ref = p.Prev
		}
		for _, code := range Ancestors(areaOf(*ref)) {
			t := out[code]
			if t == nil {
				t = &TransitionCounts{}
				out[code] = t
			}
			t.Add(p.Kind)
		}
	}
	return out
}
