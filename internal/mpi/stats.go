package mpi

import (
	"fmt"
	"math/bits"

	"tambon/internal/apperr"
)

// Stats is what is stored per village (or per any group of people) so that
// the MPI at any cut-off k is answered exactly at query time and every level
// is the sum of its villages:
//
//   - N is the number of people;
//   - ByScore[s] is the number of people with deprivation score s (in units of
//     1/D, s = 0..D);
//   - Deprived[s][j] is the number of people with score s who are deprived in
//     indicator j. It is uncensored: the censored headcount at cut-off k is
//     the sum over s ≥ ceil(k×D), the uncensored one the sum over all s.
//
// Rows with ByScore[s] = 0 are all zero, so a store may keep only the scores
// that occur. Build Stats with Index.NewStats or Index.LoadStats so they
// know their weights.
type Stats struct {
	N        int64     `json:"n"`
	ByScore  []int64   `json:"by_score"`
	Deprived [][]int64 `json:"deprived"`

	idx *Index
}

// NewStats returns empty statistics for x.
func (x *Index) NewStats() *Stats {
	rows := int(x.denom) + 1
	j := len(x.units)
	flat := make([]int64, rows*j) // one block: rows are adjacent in memory
	st := &Stats{ByScore: make([]int64, rows), Deprived: make([][]int64, rows), idx: x}
	for s := range st.Deprived {
		st.Deprived[s] = flat[s*j : (s+1)*j : (s+1)*j]
	}
	return st
}

// LoadStats rebuilds Stats from stored counts (as kept by a database),
// checking their shape and consistency: N = Σ ByScore, no negative count,
// and row s deprived counts consistent with score s
// (Σ_j units_j × Deprived[s][j] = s × ByScore[s]).
func (x *Index) LoadStats(n int64, byScore []int64, deprived [][]int64) (*Stats, error) {
	st := x.NewStats()
	bad := func(en, th string, args ...any) error {
		return apperr.New(apperr.Invalid, apperr.Tf(th, en, args...))
	}
	if len(byScore) != len(st.ByScore) || len(deprived) != len(st.Deprived) {
		return nil, bad("the stored statistics have %d/%d score rows but the weights need %d",
			"สถิติที่เก็บไว้มี %d/%d แถวคะแนน แต่น้ำหนักต้องการ %d แถว", len(byScore), len(deprived), len(st.ByScore))
	}
	var sum int64
	for s := range byScore {
		if len(deprived[s]) != len(x.units) {
			return nil, bad("score row %d has %d indicator counts, not %d",
				"แถวคะแนน %d มีจำนวนตัวชี้วัด %d ค่า ไม่ใช่ %d", s, len(deprived[s]), len(x.units))
		}
		if byScore[s] < 0 {
			return nil, bad("score row %d has a negative count", "แถวคะแนน %d มีจำนวนติดลบ", s)
		}
		var weighted int64
		for j, c := range deprived[s] {
			if c < 0 || c > byScore[s] {
				return nil, bad("score row %d, indicator %d: count %d is outside 0..%d",
					"แถวคะแนน %d ตัวชี้วัด %d: จำนวน %d อยู่นอกช่วง 0..%d", s, j, c, byScore[s])
			}
			weighted += c * x.units[j]
		}
		if weighted != int64(s)*byScore[s] {
			return nil, bad("score row %d: the indicator counts do not add up to the score",
				"แถวคะแนน %d: จำนวนรายตัวชี้วัดรวมแล้วไม่เท่ากับคะแนน", s)
		}
		sum += byScore[s]
		st.ByScore[s] = byScore[s]
		copy(st.Deprived[s], deprived[s])
	}
	if sum != n {
		return nil, bad("N is %d but the score rows add up to %d", "N เท่ากับ %d แต่แถวคะแนนรวมกันได้ %d", n, sum)
	}
	st.N = n
	return st, nil
}

// Index returns the weights st counts under.
func (st *Stats) Index() *Index { return st.idx }

// AddMask counts one person whose deprivations are the set bits of mask
// (bit j = indicator j). It does not allocate. Bits beyond the last
// indicator are an error, so a mask built for another spec is not silently
// miscounted.
func (st *Stats) AddMask(mask uint64) error {
	x := st.idx
	if x == nil {
		return errNoIndex
	}
	if mask&^x.mask != 0 {
		return errMaskBits
	}
	s := x.Score(mask)
	st.N++
	st.ByScore[s]++
	row := st.Deprived[s]
	for m := mask; m != 0; m &= m - 1 {
		row[bits.TrailingZeros64(m)]++
	}
	return nil
}

// SubMask removes one person counted with AddMask(mask): when a household is
// edited, its members' old masks are removed and the new ones added in the
// same transaction. It refuses (and changes nothing) when no such person is
// counted.
func (st *Stats) SubMask(mask uint64) error {
	x := st.idx
	if x == nil {
		return errNoIndex
	}
	if mask&^x.mask != 0 {
		return errMaskBits
	}
	s := x.Score(mask)
	row := st.Deprived[s]
	if st.ByScore[s] == 0 {
		return errNotCounted
	}
	for m := mask; m != 0; m &= m - 1 {
		if row[bits.TrailingZeros64(m)] == 0 {
			return errNotCounted
		}
	}
	st.N--
	st.ByScore[s]--
	for m := mask; m != 0; m &= m - 1 {
		row[bits.TrailingZeros64(m)]--
	}
	return nil
}

// Add counts one person from a deprivation vector (one bool per indicator,
// in spec order).
func (st *Stats) Add(deprived []bool) error {
	if st.idx == nil {
		return errNoIndex
	}
	m, err := st.idx.Mask(deprived)
	if err != nil {
		return err
	}
	return st.AddMask(m)
}

// Merge adds other's counts to st (a tambon is the merge of its villages).
func (st *Stats) Merge(other *Stats) error {
	if err := st.check(other); err != nil {
		return err
	}
	st.N += other.N
	for s, c := range other.ByScore {
		src := other.Deprived[s]
		if c == 0 && zero(src) {
			continue // most rows of a village are empty: read, don't write
		}
		st.ByScore[s] += c
		dst := st.Deprived[s][:len(src)] // one bounds check for the row
		for j, d := range src {
			dst[j] += d
		}
	}
	return nil
}

// zero reports whether a row holds no counts. A row of counted people with
// ByScore[s] = 0 is always zero, but a difference of two Stats (a household
// edited so that a person moves between indicators at the same score) can
// have ByScore[s] = 0 and a row of +1s and −1s, so Merge and Clone look at
// the row itself.
func zero(row []int64) bool {
	for _, d := range row {
		if d != 0 {
			return false
		}
	}
	return true
}

// Sub removes other's counts from st, for example a household's old
// statistics before its new ones are merged. Nothing changes when other is
// not contained in st (a count would go negative).
func (st *Stats) Sub(other *Stats) error {
	if err := st.check(other); err != nil {
		return err
	}
	if other.N > st.N {
		return errNotCounted
	}
	for s, c := range other.ByScore {
		if c > st.ByScore[s] {
			return errNotCounted
		}
		for j, d := range other.Deprived[s] {
			if d > st.Deprived[s][j] {
				return errNotCounted
			}
		}
	}
	st.N -= other.N
	for s, c := range other.ByScore {
		if c == 0 {
			continue
		}
		st.ByScore[s] -= c
		row := st.Deprived[s]
		for j, d := range other.Deprived[s] {
			row[j] -= d
		}
	}
	return nil
}

// Clone returns an independent copy of st (which must have been made by
// NewStats or LoadStats).
func (st *Stats) Clone() *Stats {
	c := st.idx.NewStats()
	_ = c.Merge(st)
	return c
}

// Equal reports whether st and other hold the same counts.
func (st *Stats) Equal(other *Stats) bool {
	if st.N != other.N || len(st.ByScore) != len(other.ByScore) {
		return false
	}
	for s := range st.ByScore {
		if st.ByScore[s] != other.ByScore[s] || len(st.Deprived[s]) != len(other.Deprived[s]) {
			return false
		}
		for j := range st.Deprived[s] {
			if st.Deprived[s][j] != other.Deprived[s][j] {
				return false
			}
		}
	}
	return true
}

func (st *Stats) check(other *Stats) error {
	if st.idx == nil || other.idx == nil {
		return errNoIndex
	}
	if !st.idx.compatible(other.idx) {
		return apperr.New(apperr.Invalid, apperr.T(
			"สถิติทั้งสองชุดใช้น้ำหนักต่างกัน จึงรวมกันไม่ได้",
			"The two sets of statistics use different weights and cannot be combined."))
	}
	return nil
}

// The hot path's errors are built once, so returning them does not allocate.
var (
	errMaskBits = apperr.New(apperr.Invalid, apperr.T(
		"มีบิตการขาดแคลนเกินจำนวนตัวชี้วัด", "The deprivation mask has bits beyond the last indicator."))
	errNoIndex = apperr.New(apperr.Internal, apperr.T(
		"สถิตินี้ไม่ได้สร้างด้วย Index.NewStats หรือ Index.LoadStats จึงไม่รู้น้ำหนัก",
		"These statistics were not made by Index.NewStats or Index.LoadStats, so they have no weights."))
	errNotCounted = apperr.New(apperr.Conflict, apperr.T(
		"ไม่มีบุคคลที่จะลบออกจากสถิติ (ข้อมูลไม่ตรงกับที่นับไว้)",
		"There is no such person to remove from the statistics (they do not match what was counted)."))
)

// String summarises st for logs and test failures.
func (st *Stats) String() string {
	return fmt.Sprintf("Stats{N: %d, ByScore: %v}", st.N, st.ByScore)
}
