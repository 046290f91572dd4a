package engine

// Suppress returns what may be shown of t to the public: counts below min
// (the small-cell threshold, usually 5) would let a neighbour recognise a
// household, so they are hidden together with every figure that would
// reveal them.
//
//   - An area with fewer than min households or people shows nothing.
//   - An indicator whose eligible or failing units number 1 to min−1 is
//     blanked (eligible = passed = 0: "not shown"), so neither the count nor
//     the percentage that implies it appears. Withheld says which, and keeps
//     the eligible count when only the failing one is small, so a page can
//     show "surveyed 40, failed <5" and no percentage.
//   - The poverty counts are dropped when, at the measure's own cut-off, the
//     poor, or the people deprived in any indicator (censored or not),
//     number 1 to min−1.
//
// It reports whether anything was hidden; t itself is not changed.
func Suppress(t *Totals, min int64) (*Totals, bool) {
	if t == nil || min <= 1 {
		return t, false
	}
	small := func(n int64) bool { return n > 0 && n < min }
	out := t.Clone()
	w := &Withheld{Below: min, Indicators: make([]bool, len(t.Indicators)), Eligible: make([]int64, len(t.Indicators))}
	if small(t.Households) || small(t.People) {
		out.Households, out.People, out.NetIncome = 0, 0, 0
		for i := range out.Indicators {
			out.Indicators[i] = Count{}
		}
		out.Poverty = nil
		w.Area, w.Poverty = true, t.Poverty != nil
		out.Withheld = w
		return out, true
	}
	hidden := false
	for i, c := range out.Indicators {
		if small(c.Eligible) || small(c.Eligible-c.Passed) {
			out.Indicators[i] = Count{}
			w.Indicators[i] = true
			if !small(c.Eligible) {
				w.Eligible[i] = c.Eligible
			}
			hidden = true
		}
	}
	if out.Poverty != nil && out.Poverty.N > 0 {
		res, err := Poverty(out, out.Poverty.Index().K())
		drop := err != nil || small(res.Q)
		for _, ir := range res.Indicators {
			drop = drop || small(ir.Censored) || small(ir.Uncensored)
		}
		if drop {
			out.Poverty = nil
			w.Poverty = true
			hidden = true
		}
	}
	if hidden {
		out.Withheld = w
	}
	return out, hidden
}
