package store_test

import (
	"context"
	"fmt"
	"testing"

	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// BenchmarkImport measures `tambon import households` end to end: a file of
// 100,000 generated households (about 3.5 members each) on disk, opened,
// read, validated and written with members, history and live statistics
// into a fresh SQLite store, committed. The store's creation (migrations,
// the area register) is not timed.
func BenchmarkImport(b *testing.B) {
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) { benchmarkImport(b, format, 100_000) })
	}
}

func benchmarkImport(b *testing.B, format string, n int) {
	eng := mustImportEngine(b)
	round := surveyfile.ExampleRound(eng.Set())
	hs := surveyfile.Example(eng.Set(), "70051304", n, 1)
	path := mustWriteFile(b, b.TempDir(), fmt.Sprintf("households.%s", format), eng.Set(), hs)
	hs = nil
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := storetest.MustOpenSQLite(b)
		if err := s.CreateRound(ctx, round); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum := importFile(b, s, eng, round, path)
		if sum.Inserted != n {
			b.Fatalf("inserted %d households, want %d", sum.Inserted, n)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
}
