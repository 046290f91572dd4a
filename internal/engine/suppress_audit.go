package engine

import (
	"math"
	"slices"
)

// Audit is the attacker's view of a set of published tables: the cells whose
// values were published, and the linear relations every reader knows hold
// between cells (a parent is the sum of its children, surveyed = passed +
// failed, change = now − before). Bounds then works out, for every cell that
// was not published, the smallest and largest value consistent with all of
// it, cells being non-negative: the audit step of τ-ARGUS, by linear
// programming (two-phase simplex with Bland's rule, exact enough for counts
// of this size). A hidden cell whose interval is one number was not hidden.
type Audit struct {
	known map[string]float64
	eqs   [][]Term
	// Only, when set, limits Bounds to the hidden cells it accepts (the
	// ones worth judging); the others are still solved with them.
	Only func(cell string) bool
}

// Term is coef × cell in a relation.
type Term struct {
	Cell string
	Coef float64
}

// Interval is a hidden cell's feasible range; Hi is +Inf when unbounded.
type Interval struct{ Lo, Hi float64 }

// Width is Hi − Lo.
func (iv Interval) Width() float64 { return iv.Hi - iv.Lo }

// NewAudit returns an empty audit.
func NewAudit() *Audit { return &Audit{known: map[string]float64{}} }

// Know records a published value.
func (a *Audit) Know(cell string, v float64) { a.known[cell] = v }

// Known reports whether a cell's value was published.
func (a *Audit) Known(cell string) bool { _, ok := a.known[cell]; return ok }

// Relate records Σ coef × cell = 0.
func (a *Audit) Relate(terms ...Term) { a.eqs = append(a.eqs, terms) }

// Bounds returns the feasible interval of every unpublished cell that
// appears in a relation (and that Only accepts). ok is false when the published values contradict
// the relations (no feasible table).
func (a *Audit) Bounds() (map[string]Interval, bool) {
	vars := map[string]int{}
	var names []string
	type row struct {
		coef map[int]float64
		rhs  float64
	}
	var rows []row
	for _, eq := range a.eqs {
		r := row{coef: map[int]float64{}}
		for _, t := range eq {
			if v, ok := a.known[t.Cell]; ok {
				r.rhs -= t.Coef * v
				continue
			}
			id, ok := vars[t.Cell]
			if !ok {
				id = len(names)
				vars[t.Cell] = id
				names = append(names, t.Cell)
			}
			r.coef[id] += t.Coef
		}
		for id, c := range r.coef {
			if c == 0 {
				delete(r.coef, id)
			}
		}
		if len(r.coef) == 0 {
			if math.Abs(r.rhs) > 1e-6 {
				return nil, false
			}
			continue
		}
		rows = append(rows, r)
	}
	// Components: cells linked through relations are solved together.
	up := make([]int, len(names))
	for i := range up {
		up[i] = i
	}
	find := func(i int) int {
		for up[i] != i {
			up[i] = up[up[i]]
			i = up[i]
		}
		return i
	}
	for _, r := range rows {
		first := -1
		for id := range r.coef {
			if first < 0 {
				first = id
			} else {
				up[find(id)] = find(first)
			}
		}
	}
	comp := map[int][]int{}
	for id := range names {
		comp[find(id)] = append(comp[find(id)], id)
	}
	rowsOf := map[int][]int{}
	for i, r := range rows {
		for id := range r.coef {
			rowsOf[find(id)] = append(rowsOf[find(id)], i)
			break
		}
	}
	out := map[string]Interval{}
	roots := make([]int, 0, len(comp))
	for r := range comp {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	for _, root := range roots {
		ids := comp[root]
		local := map[int]int{}
		for k, id := range ids {
			local[id] = k
		}
		var A [][]float64
		var b []float64
		for _, ri := range rowsOf[root] {
			line := make([]float64, len(ids))
			for id, c := range rows[ri].coef {
				line[local[id]] = c
			}
			A, b = append(A, line), append(b, rows[ri].rhs)
		}
		tb, ok := feasible(A, b, len(ids))
		if !ok {
			return nil, false
		}
		cost := make([]float64, len(ids))
		for k, id := range ids {
			if a.Only != nil && !a.Only(names[id]) {
				continue
			}
			// Each program starts from the last one's optimum: any basic
			// feasible solution will do, and a near one saves pivots.
			cost[k] = 1
			lo, _ := tb.run(cost, tb.n)
			cost[k] = -1
			negHi, bounded := tb.run(cost, tb.n)
			cost[k] = 0
			hi := math.Inf(1)
			if bounded {
				hi = -negHi
			}
			// Counts are integers: round the relaxation's bounds inwards.
			out[names[id]] = Interval{Lo: math.Ceil(lo - 1e-7), Hi: math.Floor(hi + 1e-7)}
		}
	}
	return out, true
}

const lpEps = 1e-9

// tableau is a basic feasible solution of A x = b, x ≥ 0: rows of
// coefficients with the right-hand side last, and the basic column of each
// row.
type tableau struct {
	t     [][]float64
	basis []int
	n     int
	nz    []int // scratch: the pivot row's non-zero columns
}

// feasible finds a first basic feasible solution (phase one), or reports
// that there is none.
func feasible(A [][]float64, b []float64, n int) (*tableau, bool) {
	m := len(A)
	cols := n + m
	tb := &tableau{t: make([][]float64, m), basis: make([]int, m), n: cols}
	for i := range A {
		row := make([]float64, cols+1)
		sign := 1.0
		if b[i] < 0 {
			sign = -1
		}
		for j, c := range A[i] {
			row[j] = sign * c
		}
		row[n+i] = 1
		row[cols] = sign * b[i]
		tb.t[i] = row
		tb.basis[i] = n + i
	}
	cost := make([]float64, cols)
	for j := n; j < cols; j++ {
		cost[j] = 1
	}
	v, _ := tb.run(cost, cols)
	if v > 1e-6 {
		return nil, false
	}
	// Drive the artificial variables out of the basis; a row where none of
	// the real columns can enter is redundant.
	var keep [][]float64
	var basis []int
	for i := range tb.t {
		if tb.basis[i] >= n {
			piv := -1
			for j := range n {
				if math.Abs(tb.t[i][j]) > 1e-7 {
					piv = j
					break
				}
			}
			if piv < 0 {
				continue
			}
			tb.pivot(i, piv)
		}
	}
	for i := range tb.t {
		if tb.basis[i] >= n {
			continue
		}
		row := append(slices.Clone(tb.t[i][:n]), tb.t[i][cols])
		keep, basis = append(keep, row), append(basis, tb.basis[i])
	}
	return &tableau{t: keep, basis: basis, n: n}, true
}

// run is the simplex method over the first cols columns, from the current
// basis, which it leaves at the optimum (or where it found the objective
// unbounded: still feasible). It enters the column of the most negative
// reduced cost, and after many pivots without an answer falls back to
// Bland's rule (the lowest-numbered entering and leaving columns), which
// cannot cycle.
func (tb *tableau) run(cost []float64, cols int) (float64, bool) {
	rhs := 0
	if len(tb.t) > 0 {
		rhs = len(tb.t[0]) - 1
	}
	inBasis := make([]bool, tb.n+len(tb.t)+1)
	bland := 50 * (cols + len(tb.t))
	var costly []int // rows whose basic variable costs anything
	for iter := 0; ; iter++ {
		for i := range inBasis {
			inBasis[i] = false
		}
		for _, bj := range tb.basis {
			inBasis[bj] = true
		}
		costly = costly[:0]
		for i := range tb.t {
			if cost[tb.basis[i]] != 0 {
				costly = append(costly, i)
			}
		}
		enter, most := -1, -lpEps
		for j := range cols {
			if inBasis[j] {
				continue
			}
			r := cost[j]
			for _, i := range costly {
				r -= cost[tb.basis[i]] * tb.t[i][j]
			}
			if r < most {
				enter, most = j, r
				if iter > bland {
					break
				}
			}
		}
		if enter < 0 {
			v := 0.0
			for i, row := range tb.t {
				v += cost[tb.basis[i]] * row[rhs]
			}
			return v, true
		}
		leave := -1
		best := math.Inf(1)
		for i, row := range tb.t {
			if row[enter] <= lpEps {
				continue
			}
			ratio := row[rhs] / row[enter]
			if ratio < best-lpEps || ratio < best+lpEps && leave >= 0 && tb.basis[i] < tb.basis[leave] {
				best, leave = ratio, i
			}
		}
		if leave < 0 {
			return math.Inf(-1), false
		}
		tb.pivot(leave, enter)
	}
}

func (tb *tableau) pivot(r, c int) {
	pr := tb.t[r]
	d := pr[c]
	// The tables are sparse: update only the pivot row's non-zero columns,
	// and keep the zeros exact.
	tb.nz = tb.nz[:0]
	for j := range pr {
		if pr[j] != 0 {
			pr[j] /= d
			tb.nz = append(tb.nz, j)
		}
	}
	for i, row := range tb.t {
		if i == r || row[c] == 0 {
			continue
		}
		f := row[c]
		for _, j := range tb.nz {
			v := row[j] - f*pr[j]
			if math.Abs(v) < 1e-11 {
				v = 0
			}
			row[j] = v
		}
		row[c] = 0
	}
	tb.basis[r] = c
}
