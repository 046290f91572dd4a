package gen_test

import (
	"testing"

	"tambon/internal/gen"
	"tambon/internal/survey"
)

// BenchmarkGenerate measures households generated per second, single
// goroutine, over Ratchaburi's calibrated villages (one op = one household).
func BenchmarkGenerate(b *testing.B) {
	targets := MustTargets(b)
	villages := sortedKeys(targets, "")
	opts := Options(b, 1, targets)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for n < b.N {
		err := gen.Generate(opts, villages, func(*survey.Household) bool {
			n++
			return n < b.N
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "households/s")
}
