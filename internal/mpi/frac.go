package mpi

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"tambon/internal/apperr"
)

// Frac is an exact non-negative fraction Num/Den, used for weights and
// cut-offs. Weights are added up to deprivation scores and compared with k;
// with floating point, 1/3+1/3+1/3 may fall just short of 1 and a person on
// the cut-off would flip between poor and not poor. Fractions never do.
//
// The zero value (0/0) means "not set". In JSON a Frac is a string such as
// "1/5" or "0.25"; a JSON number is accepted too and read exactly as written.
type Frac struct {
	Num int64
	Den int64
}

// F returns num/den in lowest terms. It panics if den is not positive or num
// is negative: it is for constants in code, not for input (use ParseFrac).
func F(num, den int64) Frac {
	if den <= 0 || num < 0 {
		panic(fmt.Sprintf("mpi.F(%d, %d): need num ≥ 0 and den > 0", num, den))
	}
	g := gcd(num, den)
	return Frac{num / g, den / g}
}

// ParseFrac reads "a/b", an integer or a decimal ("0.25", "1e-1"), exactly.
func ParseFrac(s string) (Frac, error) {
	s = strings.TrimSpace(s)
	r, ok := new(big.Rat).SetString(s)
	if !ok || s == "" {
		return Frac{}, apperr.New(apperr.Invalid, apperr.Tf(
			"%q ไม่ใช่ตัวเลขหรือเศษส่วน (เช่น 1/5 หรือ 0.2)",
			"%q is not a number or a fraction (such as 1/5 or 0.2)", s))
	}
	return fracOf(r, s)
}

// fracOf converts a big.Rat to a Frac, refusing negatives and values whose
// numerator or denominator do not fit in an int64.
func fracOf(r *big.Rat, text string) (Frac, error) {
	if r.Sign() < 0 {
		return Frac{}, apperr.New(apperr.Invalid, apperr.Tf(
			"%s ติดลบ ต้องไม่น้อยกว่าศูนย์", "%s is negative; it must be zero or more", text))
	}
	if !r.Num().IsInt64() || !r.Denom().IsInt64() {
		return Frac{}, apperr.New(apperr.Invalid, apperr.Tf(
			"%s มีตัวเศษหรือตัวส่วนใหญ่เกินไป", "%s has too large a numerator or denominator", text))
	}
	return Frac{r.Num().Int64(), r.Denom().Int64()}, nil
}

// IsZero reports whether f is unset (the zero value).
func (f Frac) IsZero() bool { return f.Den == 0 }

// Rat returns f as a big.Rat (0 when unset).
func (f Frac) Rat() *big.Rat {
	if f.Den == 0 {
		return new(big.Rat)
	}
	return big.NewRat(f.Num, f.Den)
}

// Float64 returns f as a float, for display (0 when unset).
func (f Frac) Float64() float64 {
	if f.Den == 0 {
		return 0
	}
	return float64(f.Num) / float64(f.Den)
}

// String returns "num/den", or "num" for whole numbers, or "" when unset.
func (f Frac) String() string {
	switch f.Den {
	case 0:
		return ""
	case 1:
		return strconv.FormatInt(f.Num, 10)
	}
	return strconv.FormatInt(f.Num, 10) + "/" + strconv.FormatInt(f.Den, 10)
}

// MarshalJSON writes f as a string such as "1/5"; an unset Frac is null.
func (f Frac) MarshalJSON() ([]byte, error) {
	if f.Den == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(f.String())
}

// UnmarshalJSON reads a string ("1/5", "0.2") or a number (0.2) exactly.
func (f *Frac) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*f = Frac{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseFrac(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return 1
	}
	return a
}
