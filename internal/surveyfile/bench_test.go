package surveyfile_test

import (
	"fmt"
	"io"
	"testing"

	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// BenchmarkRead measures an import of a CSV or XLSX file of n households
// (about three and a half members each, one row per member), from open to
// validated households.
func BenchmarkRead(b *testing.B) {
	set := MustSet(b, "bmn-2560-2564")
	for _, c := range []struct {
		format string
		n      int
	}{{"csv", 10_000}, {"csv", 100_000}, {"xlsx", 10_000}} {
		format, n := c.format, c.n
		b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
			hs := surveyfile.Example(set, "70051304", n, 1)
			data := MustWrite(b, format, set, hs)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				res := MustRead(b, "bench."+format, set, data, surveyfile.ReadOptions{})
				if len(res.Households) != n {
					b.Fatalf("read %d households, want %d: %v", len(res.Households), n, res.Problems)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
		})
	}
}

// BenchmarkWrite measures an export of 10,000 households.
func BenchmarkWrite(b *testing.B) {
	set := MustSet(b, "bmn-2560-2564")
	const n = 10_000
	hs := surveyfile.Example(set, "70051304", n, 1)
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				var w tabular.Writer = tabular.NewCSVWriter(io.Discard)
				if format == "xlsx" {
					w = tabular.NewXLSXWriter(io.Discard)
				}
				if err := surveyfile.Write(w, set, hs); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
		})
	}
}

// BenchmarkExample measures the generator the large import tests use.
func BenchmarkExample(b *testing.B) {
	set := MustSet(b, "bmn-2560-2564")
	for b.Loop() {
		surveyfile.Example(set, "70051304", 1000, 1)
	}
}
