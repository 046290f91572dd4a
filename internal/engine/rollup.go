package engine

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// RollUp adds tambon (6 digits), amphoe (4), province (2) and country ("TH")
// Totals to a map of village Totals (8 digits), returning a new map that
// holds every level. The input map is not changed; the output's village
// entries are the input's own Totals (not copies: a national round's
// villages hold about 650 MB of MPI counts), the levels above are new. A
// code that is not 8 digits counts only in itself and "TH".
//
// Each level is summed from the one below (villages into tambons, tambons
// into amphoes, …), not every village into all four: a national roll-up adds
// about 85,000 Totals rather than 300,000, and each carries the MPI's
// (D+1) × indicators counts. Provinces are independent, so they are summed
// on GOMAXPROCS goroutines.
func RollUp(villages map[string]*Totals, newTotals func() *Totals) map[string]*Totals {
	out := make(map[string]*Totals, len(villages)+len(villages)/8+1)
	th := newTotals()
	var others []string // codes that are not villages: added after the provinces
	byProvince := map[string][]string{}
	for v, t := range villages {
		if len(v) != 8 || !digits(v) {
			others = append(others, v)
			continue
		}
		out[v] = t
		byProvince[v[:2]] = append(byProvince[v[:2]], v)
	}
	provinces := make([]string, 0, len(byProvince))
	for p := range byProvince {
		provinces = append(provinces, p)
	}
	slices.Sort(provinces)
	parts := make([]map[string]*Totals, len(provinces))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(provinces)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(provinces) {
					return
				}
				parts[i] = rollProvince(villages, byProvince[provinces[i]], newTotals)
			}
		}()
	}
	wg.Wait()
	for i, part := range parts {
		th.Add(part[provinces[i]])
		for code, t := range part {
			out[code] = t
		}
	}
	for _, v := range others {
		t := villages[v]
		if v != "TH" {
			th.Add(t)
		}
		if a := out[v]; a != nil {
			a.Add(t) // a level the villages also sum into
		} else {
			out[v] = t.Clone()
		}
	}
	if a := out["TH"]; a != nil {
		a.Add(th)
	} else {
		out["TH"] = th
	}
	return out
}

// rollProvince sums one province's villages into its tambons, amphoes and
// the province itself.
func rollProvince(villages map[string]*Totals, codes []string, newTotals func() *Totals) map[string]*Totals {
	out := map[string]*Totals{}
	level, from := codes, villages
	for _, n := range []int{6, 4, 2} {
		var next []string
		for _, code := range level {
			p := code[:n]
			a := out[p]
			if a == nil {
				a = newTotals()
				out[p] = a
				next = append(next, p)
			}
			a.Add(from[code])
		}
		level, from = next, out
	}
	return out
}

// Ancestors returns the codes a village's figures also count in: itself, its
// tambon, amphoe and province, and "TH" — the rows a household write updates.
// A code that is not an 8-digit village gives itself and "TH".
func Ancestors(village string) []string {
	if len(village) != 8 || !digits(village) {
		if village == "TH" {
			return []string{"TH"}
		}
		return []string{village, "TH"}
	}
	return []string{village, village[:6], village[:4], village[:2], "TH"}
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
