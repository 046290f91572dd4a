package engine

import (
	"cmp"
	"slices"

	"tambon/internal/mpi"
)

// Statistical disclosure control: what the public may see of a round.
//
// Every published figure of an area is a count (households, people, an
// indicator's surveyed and failed units, the MPI's people, poor people,
// people deprived in each indicator) or a ratio of counts, and every count
// is the sum of the same count in the area's children. A table of such
// counts is a system of linear equations, so hiding a small count where it
// stands is not enough: a tambon minus its shown villages gives back the one
// village that was hidden. Protect therefore decides, once per round and for
// the whole tree, which counts to hide:
//
//   - Primary cells: a count from 1 to Below−1, and every figure of an area
//     with fewer than Below households or people.
//   - Secondary cells: in every parent with its children (one "sub-table"),
//     the hidden non-zero children of a shown parent are at least two and
//     add up to at least Below, and a hidden parent has at least one hidden
//     non-zero child. Where this fails the smallest non-zero shown child is
//     hidden too (hiding little, and preferring villages, which hide nothing
//     below them); when no child is left the parent itself is hidden, which
//     carries the question up one level. This is the simple heuristic of
//     τ-ARGUS and sdcTable for hierarchical tables; AuditBounds (audit.go)
//     is the check that it protects, by linear programming.
//   - Linked counts: an indicator whose surveyed count is hidden has its
//     failed (and so passed) count hidden too; the MPI's sum of poor
//     people's scores (which A and M0 publish) is hidden wherever the number
//     of poor people or any censored count is, so that neither can be
//     solved from it. Ratios are shown only where numerator and denominator
//     both are; a change between rounds only where both rounds' counts are.
//
// The decision is deterministic: the same counts give the same pattern, so a
// village hidden on its tambon's page is hidden on its own page, in the
// Excel file and in the API.

// Withheld records what Protection.Apply hid of one area's figures.
type Withheld struct {
	Below int64 // the threshold: counts from 1 to Below−1 are never shown
	// Area: fewer than Below households or people, so no figure of the area
	// is shown.
	Area bool
	// Households, People and Income (the net income sum, and so income per
	// person) are hidden.
	Households, People, Income bool
	// Surveyed, in set order: the indicator's eligible count is hidden (its
	// passed and failed counts are then hidden too).
	Surveyed []bool
	// Indicators, in set order: the indicator's passed and failed counts are
	// hidden; Eligible holds its eligible count where that is shown (0 where
	// it is hidden).
	Indicators []bool
	Eligible   []int64
	// Poverty is nil when every MPI figure is shown.
	Poverty *PovertyWithheld
}

// PovertyWithheld says which MPI counts of an area are hidden.
type PovertyWithheld struct {
	People, Poor, Score, Vulnerable, Severe bool
	// Per spec indicator: people deprived (uncensored) and poor people
	// deprived (censored).
	Uncensored, Censored []bool
}

// Protection is one round's suppression pattern over the whole area tree.
type Protection struct {
	Below   int64
	index   map[string]int
	codes   []string
	nInd    int
	nPov    int
	measure []measure
	hidden  [][]bool // [measure][node]
	small   []bool   // [node]: the small-area rule
	// HiddenCells counts the cells hidden, primary (the small counts and the
	// small areas' figures) and secondary (hidden to protect them).
	Primary, Secondary int
}

// measure is one published count, as a column over every area.
type measure struct {
	name     string
	scale    int64 // a shown parent's hidden children must add up to Below × scale
	forcedBy []int // measures whose hidden cells hide this one's
	derived  bool  // hidden exactly where forcedBy are; no small-count rule of its own
	roomOf   int   // the measure this one cannot exceed (failed ≤ surveyed), or -1
}

// Measure layout: households, people, income; per indicator surveyed and
// failed; then the MPI: people, poor, score, vulnerable, severe, per spec
// indicator uncensored and censored.
const (
	mHouseholds = iota
	mPeople
	mIncome
	mFirstIndicator
)

func (p *Protection) mSurveyed(i int) int { return mFirstIndicator + 2*i }
func (p *Protection) mFailed(i int) int   { return mFirstIndicator + 2*i + 1 }
func (p *Protection) mPov(k int) int      { return mFirstIndicator + 2*p.nInd + k }

const (
	povPeople = iota
	povPoor
	povVulnerable
	povSevere
	povFirstIndicator
)

func (p *Protection) mUncensored(j int) int { return p.mPov(povFirstIndicator + 2*j) }
func (p *Protection) mCensored(j int) int   { return p.mPov(povFirstIndicator + 2*j + 1) }

// mScore is the poor people's score sum, decided last: it is hidden
// wherever the poor or any censored count is.
func (p *Protection) mScore() int { return p.mPov(povFirstIndicator + 2*p.nPov) }

// parentCode is the area above code in the tree: village → tambon → amphoe →
// province → "TH".
func parentCode(code string) (string, bool) {
	switch {
	case code == "TH":
		return "", false
	case (len(code) == 8 || len(code) == 6 || len(code) == 4) && digits(code):
		return code[:len(code)-2], true
	}
	return "TH", true
}

// Protect works out the suppression pattern of one round from the
// statistics of every area in it (store.AllTotals: every level, village to
// country). below is the small-cell threshold; below ≤ 1 hides nothing.
func Protect(all map[string]*Totals, below int64) *Protection {
	p := &Protection{Below: below, index: map[string]int{}}
	if below <= 1 {
		return p
	}
	// Nodes: every area with statistics and every area above one.
	for code := range all {
		for c, ok := code, true; ok; c, ok = parentCode(c) {
			if _, seen := p.index[c]; seen {
				break
			}
			p.index[c] = -1
			p.codes = append(p.codes, c)
		}
	}
	slices.Sort(p.codes)
	for i, c := range p.codes {
		p.index[c] = i
	}
	nodes := len(p.codes)
	parent := make([]int, nodes)
	children := make([][]int, nodes)
	for i, c := range p.codes {
		parent[i] = -1
		if pc, ok := parentCode(c); ok {
			parent[i] = p.index[pc]
			children[parent[i]] = append(children[parent[i]], i)
		}
	}
	// The shape of the counts, from any area that has them.
	var idx *mpi.Index
	for _, c := range p.codes {
		if t := all[c]; t != nil {
			p.nInd = max(p.nInd, len(t.Indicators))
			if t.Poverty != nil && idx == nil {
				idx = t.Poverty.Index()
			}
		}
	}
	var kScore int64 = 1
	if idx != nil {
		p.nPov = len(idx.Spec().Indicators)
		if r, err := idx.NewStats().Result(idx.K()); err == nil {
			kScore = max(r.KScore, 1)
		}
	}
	p.defineMeasures(kScore)
	vals := make([][]int64, len(p.measure))
	for m := range vals {
		vals[m] = make([]int64, nodes)
	}
	small := make([]bool, nodes) // the area rule
	for n, c := range p.codes {
		t := all[c]
		if t == nil {
			continue
		}
		vals[mHouseholds][n], vals[mPeople][n], vals[mIncome][n] = t.Households, t.People, t.NetIncome
		for i, cn := range t.Indicators {
			vals[p.mSurveyed(i)][n] = cn.Eligible
			vals[p.mFailed(i)][n] = cn.Eligible - cn.Passed
		}
		if idx != nil && t.Poverty != nil && t.Poverty.N > 0 {
			if r, err := t.Poverty.Result(idx.K()); err == nil {
				vals[p.mPov(povPeople)][n] = r.N
				vals[p.mPov(povPoor)][n] = r.Q
				vals[p.mScore()][n] = r.PoorScore
				vals[p.mPov(povVulnerable)][n] = r.Vulnerable
				vals[p.mPov(povSevere)][n] = r.Severe
				for j, ir := range r.Indicators {
					vals[p.mUncensored(j)][n] = ir.Uncensored
					vals[p.mCensored(j)][n] = ir.Censored
				}
			}
		}
		isSmall := func(v int64) bool { return v > 0 && v < below }
		small[n] = isSmall(t.Households) || isSmall(t.People)
	}
	// Deepest sub-tables first: a village's partner is chosen before its
	// tambon is looked at.
	order := make([]int, 0, nodes)
	for n := range nodes {
		if len(children[n]) > 0 {
			order = append(order, n)
		}
	}
	depth := func(n int) int {
		if p.codes[n] == "TH" {
			return 0
		}
		return len(p.codes[n])
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(depth(b), depth(a)) })
	p.small = small
	p.hidden = make([][]bool, len(p.measure))
	run := func(m int) {
		ms := p.measure[m]
		var room []int64
		if ms.roomOf >= 0 {
			room = make([]int64, nodes)
			for n := range nodes {
				room[n] = vals[ms.roomOf][n] - vals[m][n]
			}
		}
		p.Secondary += secondary(p.hidden[m], vals[m], room, parent, children, order, below*ms.scale)
	}
	for m, ms := range p.measure {
		hid := make([]bool, nodes)
		p.hidden[m] = hid
		v := vals[m]
		for n := range nodes {
			primary := small[n] && v[n] != 0 || !ms.derived && v[n] > 0 && v[n] < below
			forced := false
			for _, f := range ms.forcedBy {
				forced = forced || p.hidden[f][n]
			}
			if primary {
				p.Primary++
			}
			hid[n] = primary || forced
		}
		if !ms.derived && m != p.mScore() {
			run(m)
		}
	}
	if p.nPov > 0 {
		p.protectScore(vals, idx.Units(), below, run)
		run(p.mScore())
	}
	return p
}

// protectScore keeps the poor people's score sum (which A and M0 publish)
// from pinning a hidden censored count: within an area the sum is
// Σ weight × censored count, a sub-table of its own. Where the sum is shown
// and a censored count hidden, more censored counts are hidden, enough that
// the others could absorb the hidden one moving by the threshold; the
// censored counts' own hierarchies are then protected again, and so on
// until nothing changes. Hiding the sum instead, the simple rule, would
// hide A, M0 and every contribution wherever one rare deprivation has a few
// poor people: most tambons and everything above them.
func (p *Protection) protectScore(vals [][]int64, units []int64, below int64, run func(m int)) {
	score := p.hidden[p.mScore()]
	for changed := true; changed; {
		changed = false
		for n := range score {
			if score[n] {
				continue
			}
			for {
				var hiddenMass, need int64
				count := 0
				pick := -1
				for j := range p.nPov {
					c := vals[p.mCensored(j)][n]
					if c == 0 {
						continue
					}
					if p.hidden[p.mCensored(j)][n] {
						count++
						hiddenMass += units[j] * c
						need = max(need, units[j]*(below+c))
					} else if pick < 0 || units[j]*c < units[pick]*vals[p.mCensored(pick)][n] {
						pick = j
					}
				}
				if count == 0 || count >= 2 && hiddenMass >= need {
					break
				}
				changed = true
				p.Secondary++
				if pick < 0 {
					score[n] = true // nothing left to hide beside it: hide the sum
					break
				}
				p.hidden[p.mCensored(pick)][n] = true
			}
		}
		if changed {
			for j := range p.nPov {
				run(p.mCensored(j))
			}
		}
	}
}

func (p *Protection) defineMeasures(kScore int64) {
	p.measure = []measure{
		mHouseholds: {name: "households", scale: 1, roomOf: -1},
		mPeople:     {name: "people", scale: 1, roomOf: -1},
		mIncome:     {name: "income", forcedBy: []int{mHouseholds, mPeople}, derived: true, roomOf: -1},
	}
	for i := range p.nInd {
		p.measure = append(p.measure,
			measure{name: "surveyed", scale: 1, roomOf: -1},
			measure{name: "failed", scale: 1, forcedBy: []int{p.mSurveyed(i)}, roomOf: p.mSurveyed(i)})
	}
	if p.nPov == 0 {
		return
	}
	p.measure = append(p.measure,
		measure{name: "mpi people", scale: 1, roomOf: -1},
		measure{name: "mpi poor", scale: 1, roomOf: -1},
		measure{name: "mpi vulnerable", scale: 1, roomOf: -1},
		measure{name: "mpi severe", scale: 1, roomOf: -1})
	for range p.nPov {
		p.measure = append(p.measure, measure{name: "mpi uncensored", scale: 1, roomOf: -1}, measure{name: "mpi censored", scale: 1, roomOf: -1})
	}
	p.measure = append(p.measure, measure{name: "mpi score", scale: kScore, forcedBy: []int{p.mPov(povPoor)}, roomOf: -1})
}

// secondary hides, in one measure, the cells that keep every hidden
// non-zero cell from being solved (see the package comment) and returns how
// many it hid. need is the mass a shown parent's other hidden children must
// reach, both in value (room for the cell to be smaller) and in room (for
// it to be larger: a failed count cannot pass its surveyed count, so room
// is the passed count; nil when a count has no upper bound).
func secondary(hid []bool, v, room []int64, parent []int, children [][]int, order []int, need int64) int {
	roomOf := func(n int) int64 {
		if room == nil {
			return need
		}
		return room[n]
	}
	added := 0
	queued := make([]bool, len(hid))
	queue := slices.Clone(order)
	for _, n := range queue {
		queued[n] = true
	}
	push := func(n int) {
		if n >= 0 && len(children[n]) > 0 && !queued[n] {
			queued[n] = true
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		queued[p] = false
		for {
			// The hidden children's value and room, and the least of each
			// left to the others when one of them is taken out.
			count := 0
			var sum, sumRoom, maxV, maxRoom int64
			for _, k := range children[p] {
				if hid[k] && (v[k] != 0 || roomOf(k) != 0) {
					count++
					sum += v[k]
					sumRoom += roomOf(k)
					if v[k] != 0 {
						maxV = max(maxV, v[k])
						maxRoom = max(maxRoom, roomOf(k))
					}
				}
			}
			var ok bool
			shortValue, shortRoom := false, false
			if hid[p] {
				ok = v[p] == 0 || count >= 1
			} else {
				shortValue = maxV > 0 && sum-maxV < need
				shortRoom = maxV > 0 && sumRoom-maxRoom < need
				ok = maxV == 0 || count >= 2 && !shortValue && !shortRoom
			}
			if ok {
				break
			}
			// The smallest shown child that adds what is short.
			pick := -1
			for _, k := range children[p] {
				if hid[k] || v[k] <= 0 && (roomOf(k) <= 0 || !shortRoom) {
					continue
				}
				if shortValue && v[k] <= 0 || !shortValue && shortRoom && roomOf(k) <= 0 {
					continue
				}
				if pick < 0 || v[k] < v[pick] {
					pick = k
				}
			}
			if pick >= 0 {
				hid[pick] = true
				added++
				push(pick)
				continue
			}
			if hid[p] {
				break // cannot happen: a hidden non-zero parent has a non-zero child
			}
			hid[p] = true
			added++
			push(parent[p])
		}
	}
	return added
}

// Hidden reports whether anything of area code is hidden.
func (p *Protection) Hidden(code string) bool { return p.Withheld(code) != nil }

// Withheld is what is hidden of area code, or nil when nothing is.
func (p *Protection) Withheld(code string) *Withheld {
	if p == nil || p.hidden == nil {
		return nil
	}
	n, ok := p.index[code]
	if !ok {
		return nil
	}
	h := func(m int) bool { return p.hidden[m][n] }
	w := &Withheld{Below: p.Below, Households: h(mHouseholds), People: h(mPeople), Income: h(mIncome),
		Surveyed: make([]bool, p.nInd), Indicators: make([]bool, p.nInd), Eligible: make([]int64, p.nInd)}
	any := w.Households || w.People || w.Income
	for i := range p.nInd {
		w.Surveyed[i], w.Indicators[i] = h(p.mSurveyed(i)), h(p.mFailed(i))
		any = any || w.Indicators[i]
	}
	if p.nPov > 0 {
		pw := &PovertyWithheld{People: h(p.mPov(povPeople)), Poor: h(p.mPov(povPoor)), Score: h(p.mScore()),
			Vulnerable: h(p.mPov(povVulnerable)), Severe: h(p.mPov(povSevere)),
			Uncensored: make([]bool, p.nPov), Censored: make([]bool, p.nPov)}
		pov := pw.People || pw.Poor || pw.Score || pw.Vulnerable || pw.Severe
		for j := range p.nPov {
			pw.Uncensored[j], pw.Censored[j] = h(p.mUncensored(j)), h(p.mCensored(j))
			pov = pov || pw.Uncensored[j] || pw.Censored[j]
		}
		if pov {
			w.Poverty = pw
			any = true
		}
	}
	if p.small[n] { // nothing of a small area is shown, not even its zeros
		w.Area, w.Households, w.People, w.Income = true, true, true, true
		for i := range p.nInd {
			w.Surveyed[i], w.Indicators[i] = true, true
		}
		if p.nPov > 0 {
			if w.Poverty == nil {
				w.Poverty = &PovertyWithheld{Uncensored: make([]bool, p.nPov), Censored: make([]bool, p.nPov)}
			}
			pw := w.Poverty
			pw.People, pw.Poor, pw.Score, pw.Vulnerable, pw.Severe = true, true, true, true, true
			for j := range p.nPov {
				pw.Uncensored[j], pw.Censored[j] = true, true
			}
		}
		return w
	}
	if !any {
		return nil
	}
	return w
}

// Apply returns what the public may see of area code's statistics t: the
// hidden counts set to zero and recorded in Withheld, so that nothing that
// reads them can show them and pages can say "hidden". The MPI counts are
// kept (a ratio needs them): read them through PublicPoverty. t itself is
// not changed.
func (p *Protection) Apply(code string, t *Totals) *Totals {
	if t == nil {
		return nil
	}
	w := p.Withheld(code)
	if w == nil {
		return t
	}
	out := t.Clone()
	out.Withheld = w
	if w.Households {
		out.Households = 0
	}
	if w.People {
		out.People = 0
	}
	if w.Income {
		out.NetIncome = 0
	}
	for i := range out.Indicators {
		if i >= len(w.Indicators) || !w.Indicators[i] {
			continue
		}
		if !w.Surveyed[i] {
			w.Eligible[i] = out.Indicators[i].Eligible
		}
		out.Indicators[i] = Count{}
	}
	if w.Area {
		out.Poverty = nil
	}
	return out
}

// PovertyShown says which MPI figures of an area the public may see. A
// ratio is shown only with its numerator and denominator; A, M0 and the
// contributions only with the poor people's score sum they are made of.
type PovertyShown struct {
	N, Q, H, A, M0, Vulnerable, Severe bool
	// Contributions: every indicator's and dimension's contribution is
	// shown; Contribution and Dimension say which are, per spec indicator
	// and dimension (a dimension's only when all its indicators' are).
	Contributions           bool
	Contribution, Dimension []bool
	// Per spec indicator: the uncensored and censored headcount ratios.
	Uncensored, Censored []bool
}

// All reports whether every figure is shown.
func (s PovertyShown) All() bool {
	ok := s.N && s.Q && s.H && s.A && s.M0 && s.Contributions && s.Vulnerable && s.Severe
	for j := range s.Censored {
		ok = ok && s.Censored[j] && s.Uncensored[j]
	}
	return ok
}

// Any reports whether any figure is shown.
func (s PovertyShown) Any() bool {
	ok := s.N || s.Q || s.H || s.A || s.M0 || s.Contributions || s.Vulnerable || s.Severe
	for j := range s.Censored {
		ok = ok || s.Censored[j] || s.Uncensored[j]
	}
	return ok
}

// PublicPoverty computes the MPI of t at the measure's own cut-off and says
// which of its figures may be shown; the hidden ones are set to zero in the
// result. Without Withheld (a signed-in officer, or nothing hidden)
// everything is shown. ok is false when t has no poverty counts.
func PublicPoverty(t *Totals) (res mpi.Result, shown PovertyShown, ok bool) {
	if t == nil || t.Poverty == nil || t.Poverty.N == 0 || t.Poverty.Index() == nil {
		return mpi.Result{}, PovertyShown{}, false
	}
	res, err := t.Poverty.Result(t.Poverty.Index().K())
	if err != nil {
		return mpi.Result{}, PovertyShown{}, false
	}
	nInd := len(res.Indicators)
	shown = PovertyShown{N: true, Q: true, H: true, A: true, M0: true, Contributions: true, Vulnerable: true, Severe: true,
		Uncensored: make([]bool, nInd), Censored: make([]bool, nInd), Contribution: make([]bool, nInd), Dimension: make([]bool, len(res.Dimensions))}
	for j := range nInd {
		shown.Uncensored[j], shown.Censored[j], shown.Contribution[j] = true, true, true
	}
	for d := range shown.Dimension {
		shown.Dimension[d] = true
	}
	var pw *PovertyWithheld
	if t.Withheld != nil {
		pw = t.Withheld.Poverty
	}
	if pw == nil {
		return res, shown, true
	}
	shown.N, shown.Q = !pw.People, !pw.Poor
	shown.H = shown.N && shown.Q
	shown.A = shown.Q && !pw.Score
	shown.M0 = shown.N && !pw.Score
	for j := range nInd {
		shown.Contribution[j] = !pw.Score && j < len(pw.Censored) && !pw.Censored[j]
		shown.Contributions = shown.Contributions && shown.Contribution[j]
	}
	for d, dim := range res.Dimensions {
		for j, ir := range res.Indicators {
			if ir.Dimension == dim.ID && !shown.Contribution[j] {
				shown.Dimension[d] = false
			}
		}
	}
	shown.Vulnerable = shown.N && !pw.Vulnerable
	shown.Severe = shown.N && !pw.Severe
	for j := range nInd {
		shown.Uncensored[j] = shown.N && j < len(pw.Uncensored) && !pw.Uncensored[j]
		shown.Censored[j] = shown.N && j < len(pw.Censored) && !pw.Censored[j]
	}
	blank := func(ok bool, f *float64) {
		if !ok {
			*f = 0
		}
	}
	if !shown.N {
		res.N = 0
	}
	if !shown.Q {
		res.Q = 0
	}
	if !shown.A {
		res.PoorScore = 0
	}
	blank(shown.H, &res.H)
	blank(shown.A, &res.A)
	blank(shown.M0, &res.M0)
	if !shown.Vulnerable {
		res.Vulnerable, res.VulnerableShare = 0, 0
	}
	if !shown.Severe {
		res.Severe, res.SevereShare = 0, 0
	}
	for j := range res.Indicators {
		ir := &res.Indicators[j]
		if !shown.Uncensored[j] {
			ir.Uncensored, ir.UncensoredRatio = 0, 0
		}
		if !shown.Censored[j] {
			ir.Censored, ir.CensoredRatio = 0, 0
		}
		blank(shown.Contribution[j], &ir.Contribution)
	}
	for d := range res.Dimensions {
		blank(shown.Dimension[d], &res.Dimensions[d].Contribution)
	}
	return res, shown, true
}
