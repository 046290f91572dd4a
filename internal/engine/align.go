package engine

import "tambon/internal/indicator"

// Align returns t, counted under the indicator set from, laid out in the
// indicator order of the set to: each indicator of to takes the counts of
// the indicator with the same code in from, and none where from lacks it.
// A round is compared with an earlier round of the same set judged by
// another version of it (a province's local indicator added, say), so the
// two line up by indicator code, not by position. t itself is returned
// when both sets are the same file.
func Align(t *Totals, from, to *indicator.Set) *Totals {
	if t == nil || from == to || from.Digest() == to.Digest() {
		return t
	}
	at := make(map[string]int, len(from.Indicators))
	for i := range from.Indicators {
		at[from.Indicators[i].Code] = i
	}
	out := *t
	out.Indicators = make([]Count, len(to.Indicators))
	var w *Withheld
	if t.Withheld != nil {
		c := *t.Withheld
		c.Surveyed, c.Indicators, c.Eligible = make([]bool, len(to.Indicators)), make([]bool, len(to.Indicators)), make([]int64, len(to.Indicators))
		w = &c
	}
	for j := range to.Indicators {
		i, ok := at[to.Indicators[j].Code]
		if !ok {
			continue
		}
		if i < len(t.Indicators) {
			out.Indicators[j] = t.Indicators[i]
		}
		if w != nil {
			if i < len(t.Withheld.Surveyed) {
				w.Surveyed[j] = t.Withheld.Surveyed[i]
			}
			if i < len(t.Withheld.Indicators) {
				w.Indicators[j] = t.Withheld.Indicators[i]
			}
			if i < len(t.Withheld.Eligible) {
				w.Eligible[j] = t.Withheld.Eligible[i]
			}
		}
	}
	out.Withheld = w
	return &out
}
