package mpi_test

import (
	"math/big"
	"os"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/mpi"
)

// MustIndex compiles spec or fails the test.
func MustIndex(tb testing.TB, spec mpi.Spec) *mpi.Index {
	tb.Helper()
	x, err := mpi.New(spec)
	if err != nil {
		tb.Fatalf("mpi.New: %v", err)
	}
	return x
}

// MustResult computes st's result at k or fails the test.
func MustResult(tb testing.TB, st *mpi.Stats, k mpi.Frac) mpi.Result {
	tb.Helper()
	r, err := st.Result(k)
	if err != nil {
		tb.Fatalf("Result(%v): %v", k, err)
	}
	return r
}

// MustOpen opens a testdata file or fails the test.
func MustOpen(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// equalSpec builds a spec of n equally weighted indicators "i0".."i{n-1}",
// each its own dimension, with cut-off k.
func equalSpec(n int, k mpi.Frac) mpi.Spec {
	s := mpi.Spec{ID: "test", Name: apperr.T("ทดสอบ", "test"), K: k}
	for j := range n {
		id := "i" + string(rune('a'+j%26)) + string(rune('a'+j/26))
		s.Dimensions = append(s.Dimensions, mpi.Dimension{ID: id, Name: apperr.T(id, id)})
		s.Indicators = append(s.Indicators, mpi.Indicator{ID: id, Name: apperr.T(id, id), Dimension: id, Weight: mpi.F(1, 1)})
	}
	return s
}

func rat(a, b int64) *big.Rat { return big.NewRat(a, b) }

// near reports whether a and b agree to 1e-12.
func near(a, b float64) bool {
	d := a - b
	return d < 1e-12 && d > -1e-12
}
