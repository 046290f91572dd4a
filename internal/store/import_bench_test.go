package store_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// BenchmarkImportCSV measures `tambon import households` end to end: a file of
// 100,000 generated households (about 3.5 members each, one row per member)
// on disk, opened, read, validated and written with its members index and
// live statistics into a fresh SQLite store, committed. Making the file and
// the store (migrations, the area register) is not timed.
//
// Besides households/s it reports the process CPU time per household
// (cpu-µs/household), which other people's load on a shared machine does
// not inflate.
func BenchmarkImportCSV(b *testing.B) { benchmarkImport(b, "csv", 100_000) }

// BenchmarkImportXLSX is BenchmarkImportCSV with the same households in a
// workbook.
func BenchmarkImportXLSX(b *testing.B) { benchmarkImport(b, "xlsx", 100_000) }

func benchmarkImport(b *testing.B, format string, n int) {
	eng := mustImportEngine(b)
	round := surveyfile.ExampleRound(eng.Set())
	path := mustWriteFile(b, b.TempDir(), fmt.Sprintf("households.%s", format), eng.Set(),
		surveyfile.Example(eng.Set(), "70051304", n, 1))
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.MustOpenSQLite(b)
		if err := s.CreateRound(ctx, round); err != nil {
			b.Fatal(err)
		}
		start := cpuTime(b)
		b.StartTimer()
		sum := importFile(b, s, eng, round, path)
		b.StopTimer()
		cpu += cpuTime(b) - start
		if sum.Inserted != n {
			b.Fatalf("inserted %d households, want %d", sum.Inserted, n)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
	b.ReportMetric(cpu.Seconds()*1e6/float64(n*b.N), "cpu-µs/household")
}

// cpuTime is the CPU time the process has used, every thread together.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
