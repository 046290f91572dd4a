package mpi_test

import (
	"errors"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

// FuzzCalculate feeds arbitrary files to the calculator: it must never
// panic, and must either report problems or return figures in range.
func FuzzCalculate(f *testing.F) {
	for _, seed := range []string{
		"a,b,g\n1,0,x\n0,1,y\n",
		"d1,d2,d3,d4\n13.1,14,4,1\n15.2,7,5,0\n",
		"a\n\"1\n",
		"",
		"\ufeffa,b\n1,1\n\n0,0\n",
	} {
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, in string, grouped bool) {
		opts := mpi.CalcOptions{K: mpi.F(1, 1)}
		if grouped {
			opts.Group = "g"
		}
		rep, err := mpi.Calculate(strings.NewReader(in), opts)
		if err != nil {
			var ps apperr.Problems
			if !errors.As(err, &ps) && !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("error %v is neither problems nor invalid", err)
			}
			return
		}
		r := rep.Total
		if r.N <= 0 || r.Q < 0 || r.Q > r.N || r.H < 0 || r.H > 1 || r.M0 < 0 || r.M0 > r.H {
			t.Fatalf("figures out of range: %+v", r)
		}
	})
}
