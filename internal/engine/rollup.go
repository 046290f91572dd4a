package engine

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
// (D+1) × indicators counts.
func RollUp(villages map[string]*Totals, newTotals func() *Totals) map[string]*Totals {
	out := make(map[string]*Totals, len(villages)+len(villages)/8+1)
	into := func(code string, t *Totals) {
		a := out[code]
		if a == nil {
			a = newTotals()
			out[code] = a
		}
		a.Add(t)
	}
	var level []string // codes of the level just summed
	for v, t := range villages {
		if len(v) != 8 || !digits(v) {
			out[v] = t.Clone() // it may be a level the loop below adds into
			if v != "TH" {
				into("TH", t)
			}
			continue
		}
		out[v] = t
		level = append(level, v)
	}
	for _, n := range []int{6, 4, 2} {
		seen := map[string]bool{}
		var next []string
		for _, code := range level {
			p := code[:n]
			into(p, out[code])
			if !seen[p] {
				seen[p] = true
				next = append(next, p)
			}
		}
		level = next
	}
	for _, p := range level {
		into("TH", out[p])
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
