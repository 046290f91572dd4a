package mpi

import (
	"fmt"
	"math/big"
	"strings"

	"tambon/internal/apperr"
)

// Published papers print weights and cut-offs as rounded decimals: 1/6 as
// 0.1667, 1/18 as 0.0556, 1/3 as 0.33. Read exactly, such weights do not sum
// to 1 and need a common denominator in the tens of thousands, so New would
// refuse them. Snapping reads each rounded decimal as the simplest fraction
// that prints the same:
//
//   - A decimal with n places stands for any value within half a unit of its
//     last place (the tolerance): 0.1667 for 0.16665 … 0.16675.
//   - Within that interval, the fraction with the smallest denominator is
//     taken (0.1667 → 1/6, 0.0556 → 1/18, 0.33 → 1/3), but only when its
//     denominator is at most a tenth of the decimal's own: a decimal that is
//     already a simple fraction stays as it is (0.05 is 1/20, not 1/19; 0.25
//     is 1/4; 0.01 is 1/100).
//   - Integers and fractions written as a/b are exact and never snapped.
//
// Weights that needed snapping must add up to 1 within the sum of their
// tolerances; otherwise they are refused, since no reading of the printed
// digits makes them a measure.

// Snap is one rounded decimal read as a fraction.
type Snap struct {
	Field     string `json:"field"`     // "weights[2]", "k", "indicators[3].weight"
	Printed   string `json:"printed"`   // as written, e.g. "0.1667"
	Used      Frac   `json:"used"`      // the fraction used, e.g. 1/6
	Tolerance string `json:"tolerance"` // half a unit of the last place, e.g. "0.00005"
}

// String says what was read as what, for a terminal.
func (s Snap) String() string {
	return fmt.Sprintf("%s: %s read as %s (within ±%s)", s.Field, s.Printed, s.Used, s.Tolerance)
}

// SnapText says the same in Thai and English, for people.
func (s Snap) SnapText() apperr.Text {
	return apperr.Tf("%s: อ่าน %s เป็น %s (คลาดเคลื่อนไม่เกิน ±%s จากการปัดเศษ)",
		"%s: read %s as %s (within ±%s of rounding)", s.Field, s.Printed, s.Used, s.Tolerance)
}

// decimalPlaces returns how many decimal places f needs when written out
// (f terminates only when its denominator has no prime factors but 2 and 5),
// and whether it terminates with at least one place.
func decimalPlaces(f Frac) (int, bool) {
	if f.Den <= 1 {
		return 0, false
	}
	d, twos, fives := f.Den, 0, 0
	for d%2 == 0 {
		d /= 2
		twos++
	}
	for d%5 == 0 {
		d /= 5
		fives++
	}
	if d != 1 {
		return 0, false
	}
	return max(twos, fives), true
}

// halfUnit is 5 × 10^-(places+1), half a unit of the last place.
func halfUnit(places int) *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(5), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places+1)), nil))
}

// SnapDecimal reads f, if it is a rounded decimal, as the simplest fraction
// within half a unit of its last place (see Snap). It returns f unchanged and
// false when f is exact already.
func SnapDecimal(f Frac) (Frac, bool) {
	places, ok := decimalPlaces(f)
	if !ok {
		return f, false
	}
	tol := halfUnit(places)
	lo := new(big.Rat).Sub(f.Rat(), tol)
	hi := new(big.Rat).Add(f.Rat(), tol)
	s := simplest(lo, hi)
	if s.Sign() < 0 || !s.Num().IsInt64() || !s.Denom().IsInt64() {
		return f, false
	}
	if s.Denom().Int64()*10 > f.Den || s.Sign() == 0 {
		return f, false
	}
	return Frac{s.Num().Int64(), s.Denom().Int64()}, true
}

// simplest returns the fraction with the smallest denominator in [lo, hi]
// (lo ≤ hi), by the continued-fraction walk of the Stern–Brocot tree.
func simplest(lo, hi *big.Rat) *big.Rat {
	if lo.Sign() <= 0 && hi.Sign() >= 0 {
		return new(big.Rat)
	}
	// floor(lo); if an integer lies in [lo, hi], the least one is simplest.
	fl := new(big.Int).Div(lo.Num(), lo.Denom()) // Euclidean: floor for positive denominators
	flr := new(big.Rat).SetInt(fl)
	if flr.Cmp(lo) == 0 {
		return flr
	}
	ceil := new(big.Rat).SetInt(new(big.Int).Add(fl, big.NewInt(1)))
	if ceil.Cmp(hi) <= 0 {
		return ceil
	}
	// lo and hi share the integer part fl: recurse on the reciprocals of
	// their fractional parts (which swaps their order).
	one := big.NewRat(1, 1)
	fLo := new(big.Rat).Sub(lo, flr)
	fHi := new(big.Rat).Sub(hi, flr)
	inner := simplest(new(big.Rat).Quo(one, fHi), new(big.Rat).Quo(one, fLo))
	return new(big.Rat).Add(flr, new(big.Rat).Quo(one, inner))
}

// snapWeights snaps the rounded decimals among weights (fields name them:
// field(j)) and, when any was snapped, checks that the printed weights add up
// to 1 within the sum of their tolerances.
func snapWeights(weights []Frac, field func(int) string) ([]Frac, []Snap, error) {
	out := make([]Frac, len(weights))
	var snaps []Snap
	printed, slack := new(big.Rat), new(big.Rat)
	for j, w := range weights {
		out[j] = w
		printed.Add(printed, w.Rat())
		if places, ok := decimalPlaces(w); ok {
			slack.Add(slack, halfUnit(places))
		}
		if v, sn, ok := snapField(field(j), w); ok {
			out[j] = v
			snaps = append(snaps, sn)
		}
	}
	if len(snaps) == 0 {
		return out, nil, nil
	}
	off := new(big.Rat).Sub(printed, big.NewRat(1, 1))
	if off.Abs(off).Cmp(slack) > 0 {
		places := 0
		for _, w := range weights {
			if p, ok := decimalPlaces(w); ok {
				places = max(places, p)
			}
		}
		sum := printed.FloatString(places)
		return nil, nil, apperr.Problems{{Field: "weights", Value: sum, Reason: apperr.Tf(
			"น้ำหนักที่พิมพ์เป็นทศนิยมรวมกันได้ %s ไม่ใช่ 1 แม้คิดการปัดเศษแล้ว (คลาดได้ไม่เกิน ±%s) ตรวจดูว่าน้ำหนักครบและพิมพ์ถูกต้อง",
			"The weights, printed as decimals, add up to %s, not 1, even allowing for their rounding (±%s): check that every weight is there and correctly typed.",
			sum, slack.FloatString(places+1))}}
	}
	return out, snaps, nil
}

// snapField snaps f (see SnapDecimal) and describes what it did.
func snapField(field string, f Frac) (Frac, Snap, bool) {
	v, ok := SnapDecimal(f)
	if !ok {
		return f, Snap{}, false
	}
	places, _ := decimalPlaces(f)
	return v, Snap{Field: field, Printed: decimalText(f, places), Used: v,
		Tolerance: decimalText(fracFromRat(halfUnit(places)), places+1)}, true
}

// decimalText writes f with the given number of decimal places.
func decimalText(f Frac, places int) string {
	s := f.Rat().FloatString(places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func fracFromRat(r *big.Rat) Frac { return Frac{r.Num().Int64(), r.Denom().Int64()} }

// SnapPrinted snaps the spec's rounded decimal weights and cut-offs (see
// Snap) so that a measure copied from a paper compiles, and says what it
// read as what. Weights that truly do not sum to 1 are refused.
func (s *Spec) SnapPrinted() ([]Snap, error) {
	ws := make([]Frac, len(s.Indicators))
	for j, in := range s.Indicators {
		ws[j] = in.Weight
	}
	ws, snaps, err := snapWeights(ws, func(j int) string { return fmt.Sprintf("indicators[%d].weight", j) })
	if err != nil {
		return nil, err
	}
	for j := range s.Indicators {
		s.Indicators[j].Weight = ws[j]
	}
	for _, c := range []struct {
		field string
		f     *Frac
	}{{"k", &s.K}, {"vulnerable", &s.Vulnerable}, {"severe", &s.Severe}} {
		if v, sn, ok := snapField(c.field, *c.f); ok {
			snaps = append(snaps, sn)
			*c.f = v
		}
	}
	return snaps, nil
}
