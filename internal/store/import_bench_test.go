package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
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
	onFreshStores(b, round, n, nil, func(s *store.Store) {
		if sum := importFile(b, s, eng, round, path); sum.Inserted != n {
			b.Fatalf("inserted %d households, want %d", sum.Inserted, n)
		}
	})
}

// onFreshStores times step, once per benchmark iteration, on a fresh SQLite
// store holding the round; setup (if any) runs first, untimed. It reports
// households/s for n households a step and the process's CPU time per
// household, which other people's load on a shared machine does not inflate.
func onFreshStores(b *testing.B, round survey.Round, n int, setup, step func(s *store.Store)) {
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		s := storetest.MustOpenSQLite(b)
		if err := s.CreateRound(ctx, round); err != nil {
			b.Fatal(err)
		}
		if setup != nil {
			setup(s)
		}
		start := cpuTime(b)
		b.StartTimer()
		step(s)
		b.StopTimer()
		cpu += cpuTime(b) - start
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

// BenchmarkRecomputeFromStore is what `tambon recompute` does for one round:
// stream 100,000 stored households out of a SQLite store (decoding each
// stored form) and judge them into village totals. Importing them is not
// timed.
func BenchmarkRecomputeFromStore(b *testing.B) {
	const n = 100_000
	eng := mustImportEngine(b)
	round := surveyfile.ExampleRound(eng.Set())
	path := mustWriteFile(b, b.TempDir(), "households.csv", eng.Set(), surveyfile.Example(eng.Set(), "70051304", n, 1))
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	if err := s.CreateRound(ctx, round); err != nil {
		b.Fatal(err)
	}
	importFile(b, s, eng, round, path)
	start := cpuTime(b)
	for b.Loop() {
		seen := 0
		if _, err := eng.Recompute(ctx, func(yield func(*survey.Household) bool) error {
			return s.EachHousehold(ctx, round.ID, "TH", func(r survey.Record) error {
				seen++
				yield(r.Household)
				return nil
			})
		}, runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
		if seen != n {
			b.Fatalf("read %d households, want %d", seen, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
	b.ReportMetric((cpuTime(b)-start).Seconds()*1e6/float64(n*b.N), "cpu-µs/household")
}

// BenchmarkImportFloor measures the part of an import no code outside
// SQLite can make cheaper: inserting the rows themselves. The same 100,000
// households as BenchmarkImportCSV, already read, validated and encoded in
// the stored form, go into a fresh store with their citizen-ID index in one
// transaction — no file, no checks, no statistics. "json" stores the JSON
// form instead of SQLite's binary form, to show what the form's size costs;
// "bare" writes only the households, in the binary form, into a table with
// no index, key or foreign key: the least any schema could write.
func BenchmarkImportFloor(b *testing.B) {
	eng := mustImportEngine(b)
	round := surveyfile.ExampleRound(eng.Set())
	hs := surveyfile.Example(eng.Set(), "70051304", 100_000, 1)
	ctx := context.Background()
	for _, form := range []string{"binary", "json", "bare"} {
		b.Run(form, func(b *testing.B) {
			stored := make([][]byte, len(hs))
			onFreshStores(b, round, len(hs), func(s *store.Store) {
				for i, h := range hs {
					if form == "json" {
						j, err := json.Marshal(h)
						if err != nil {
							b.Fatal(err)
						}
						stored[i] = j
					} else {
						stored[i] = s.StoredFormForTest(h)
					}
				}
			}, func(s *store.Store) {
				insert := s.InsertOnlyForTest
				if form == "bare" {
					insert = s.InsertBareForTest
				}
				if err := insert(ctx, round.ID, hs, stored); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkImportStores writes the same 20,000 generated households (no
// file: already read and validated) into a fresh store of each kind in one
// import, as `tambon import households` and `tambon gen` do: SQLite,
// PostgreSQL by COPY (what an import uses there), and PostgreSQL row by row
// (multi-row INSERTs, the path before COPY), one after another in one run.
// PostgreSQL runs need TAMBON_TEST_POSTGRES. cpu-µs/household is this
// process's CPU only, not the PostgreSQL server's.
func BenchmarkImportStores(b *testing.B) {
	const n = 20_000
	eng := mustImportEngine(b)
	round := surveyfile.ExampleRound(eng.Set())
	hs := surveyfile.Example(eng.Set(), "70051304", n, 1)
	for _, kind := range []string{"sqlite", "postgres-copy", "postgres-rows"} {
		b.Run(kind, func(b *testing.B) {
			open := func() *store.Store {
				if kind == "sqlite" {
					return storetest.MustOpenSQLite(b)
				}
				s := storetest.MustOpenDSN(b, storetest.PostgresDSN(b))
				s.SetRowImportForTest(kind == "postgres-rows")
				return s
			}
			ctx := context.Background()
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				s := open()
				if err := s.CreateRound(ctx, round); err != nil {
					b.Fatal(err)
				}
				start := cpuTime(b)
				b.StartTimer()
				sum, err := s.ImportHouseholds(ctx, eng, round.ID, "import", nil, func(add func(*survey.Household) error) error {
					for _, h := range hs {
						if err := add(h); err != nil {
							return err
						}
					}
					return nil
				})
				b.StopTimer()
				cpu += cpuTime(b) - start
				if err != nil || sum.Inserted != n {
					b.Fatalf("import: %+v, %v", sum, err)
				}
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "households/s")
			b.ReportMetric(cpu.Seconds()*1e6/float64(n*b.N), "cpu-µs/household")
		})
	}
}
