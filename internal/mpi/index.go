package mpi

import (
	"math/big"
	"math/bits"

	"tambon/internal/apperr"
)

// MaxDenominator bounds the common denominator D of the normalised weights.
// Stats hold (D+1) × indicators counts, so a D in the thousands (weights
// such as 1/7, 1/11, 1/13 together) would make every village's statistics
// large; such weights are refused with a request to simplify them.
const MaxDenominator = 10_000

// Index is a validated Spec compiled for counting: every normalised weight is
// an integer number of units of 1/D, so a deprivation score is an integer
// 0..D and comparisons with the cut-offs are exact. For TPMAP() D = 60.
//
// An Index is immutable and safe for concurrent use.
type Index struct {
	spec   Spec    // with weights normalised to sum to 1 and default cut-offs filled in
	denom  int64   // D
	units  []int64 // per indicator: normalised weight × D
	dimOf  []int   // per indicator: index into spec.Dimensions
	byID   map[string]int
	kScore int64  // least score that is poor: ceil(K × D)
	mask   uint64 // one bit per indicator
	// byteScore[i][b] is the score of the indicators 8i..8i+7 deprived as
	// the bits of b: a score is ⌈J/8⌉ table look-ups, with no branches.
	// Entries fit in uint16 because D ≤ MaxDenominator.
	byteScore [][256]uint16
}

// New validates spec and compiles it. Errors are apperr.Problems (code
// invalid) naming the offending fields.
func New(spec Spec) (*Index, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if spec.Vulnerable.IsZero() {
		spec.Vulnerable = DefaultVulnerable
	}
	if spec.Severe.IsZero() {
		spec.Severe = DefaultSevere
	}
	// Normalise: w_j = r_j / Σr, then D = lcm of the denominators.
	total := new(big.Rat)
	for _, in := range spec.Indicators {
		total.Add(total, in.Weight.Rat())
	}
	norm := make([]*big.Rat, len(spec.Indicators))
	lcm := big.NewInt(1)
	limit := big.NewInt(MaxDenominator)
	for j, in := range spec.Indicators {
		norm[j] = new(big.Rat).Quo(in.Weight.Rat(), total)
		d := norm[j].Denom()
		g := new(big.Int).GCD(nil, nil, lcm, d)
		lcm.Mul(lcm, new(big.Int).Quo(d, g))
		if lcm.Cmp(limit) > 0 {
			return nil, apperr.Problems{{Field: "indicators", Reason: apperr.Tf(
				"น้ำหนักเมื่อทำให้รวมเป็น 1 แล้วมีตัวส่วนร่วมเกิน %d โปรดใช้น้ำหนักที่ง่ายกว่านี้ (เช่น 1/6, 1/9, 1/18)",
				"Once normalised to sum to 1, the weights need a common denominator above %d; please use simpler weights (such as 1/6, 1/9, 1/18).",
				MaxDenominator)}}
		}
	}
	x := &Index{
		denom: lcm.Int64(),
		units: make([]int64, len(spec.Indicators)),
		dimOf: make([]int, len(spec.Indicators)),
		byID:  make(map[string]int, len(spec.Indicators)),
	}
	dimIdx := make(map[string]int, len(spec.Dimensions))
	for i, d := range spec.Dimensions {
		dimIdx[d.ID] = i
	}
	spec.Dimensions = append([]Dimension(nil), spec.Dimensions...)
	spec.Indicators = append([]Indicator(nil), spec.Indicators...)
	for j := range spec.Indicators {
		u := new(big.Rat).Mul(norm[j], new(big.Rat).SetInt(lcm))
		x.units[j] = u.Num().Int64() // an integer by construction of lcm
		w, _ := fracOf(norm[j], "")
		spec.Indicators[j].Weight = w
		x.dimOf[j] = dimIdx[spec.Indicators[j].Dimension]
		x.byID[spec.Indicators[j].ID] = j
	}
	x.spec = spec
	x.kScore = x.scoreAtLeast(spec.K)
	x.mask = ^uint64(0) >> (64 - uint(len(x.units)))
	x.byteScore = make([][256]uint16, (len(x.units)+7)/8)
	for i := range x.byteScore {
		for b := range 256 {
			var sc int64
			for bit := range 8 {
				if j := 8*i + bit; b>>bit&1 == 1 && j < len(x.units) {
					sc += x.units[j]
				}
			}
			x.byteScore[i][b] = uint16(sc)
		}
	}
	return x, nil
}

// scoreAtLeast returns the least integer score s with s/D ≥ c, i.e. ceil(c×D).
func (x *Index) scoreAtLeast(c Frac) int64 {
	hi, lo := bits.Mul64(uint64(c.Num), uint64(x.denom))
	if hi != 0 { // c.Num × D overflows; c ≤ 1 so this only happens with huge Den
		r := new(big.Rat).Mul(c.Rat(), new(big.Rat).SetInt64(x.denom))
		q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
		if m.Sign() > 0 {
			q.Add(q, big.NewInt(1))
		}
		return q.Int64()
	}
	n, d := lo, uint64(c.Den)
	return int64((n + d - 1) / d)
}

// Spec returns the compiled spec: weights normalised to sum to exactly 1 and
// unset cut-offs filled with their defaults.
func (x *Index) Spec() Spec {
	s := x.spec
	s.Dimensions = append([]Dimension(nil), s.Dimensions...)
	s.Indicators = append([]Indicator(nil), s.Indicators...)
	return s
}

// Denominator returns D: scores are integers 0..D in units of 1/D.
func (x *Index) Denominator() int64 { return x.denom }

// Units returns each indicator's weight in units of 1/D (they sum to D).
func (x *Index) Units() []int64 { return append([]int64(nil), x.units...) }

// K returns the spec's poverty cut-off (a fraction of the total weight).
func (x *Index) K() Frac { return x.spec.K }

// Bit returns the mask bit of the indicator with the given id.
func (x *Index) Bit(id string) (uint64, bool) {
	j, ok := x.byID[id]
	if !ok {
		return 0, false
	}
	return 1 << uint(j), true
}

// Mask turns a deprivation vector (one bool per indicator, in spec order)
// into the bitset AddMask takes.
func (x *Index) Mask(deprived []bool) (uint64, error) {
	if len(deprived) != len(x.units) {
		return 0, apperr.New(apperr.Invalid, apperr.Tf(
			"เวกเตอร์การขาดแคลนมี %d ค่า แต่ตัวชี้วัดมี %d ตัว",
			"The deprivation vector has %d values but there are %d indicators.", len(deprived), len(x.units)))
	}
	var m uint64
	for j, d := range deprived {
		if d {
			m |= 1 << uint(j)
		}
	}
	return m, nil
}

// Score returns the deprivation score of mask in units of 1/D. Bits beyond
// the last indicator are ignored.
func (x *Index) Score(mask uint64) int64 {
	var s uint
	for i := range x.byteScore {
		s += uint(x.byteScore[i][byte(mask>>(8*uint(i)))])
	}
	return int64(s)
}

// compatible reports whether y counts in the same units as x, so Stats built
// under x and y (for example loaded by two processes) can be added.
func (x *Index) compatible(y *Index) bool {
	if x == y {
		return true
	}
	if x.denom != y.denom || len(x.units) != len(y.units) {
		return false
	}
	for j := range x.units {
		if x.units[j] != y.units[j] {
			return false
		}
	}
	return true
}
