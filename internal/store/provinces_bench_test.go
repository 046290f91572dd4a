package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// BenchmarkHouseholdWriteProvinces times one household write (one new
// household, as the web form and a phone send them) with 1 and 16 writers
// at once, each in its own province, on SQLite and on PostgreSQL (with
// TAMBON_TEST_POSTGRES). It reports each write's time at the median and
// the 99th percentile, and on PostgreSQL the share of the store's busy
// sessions, sampled all along, that were waiting for a lock (lockwait-%).
// It reports the CPU a write costs: tambon's (cpu-ms/write, the test
// process) and, when the PostgreSQL server runs on this machine, the
// server's (server-cpu-ms/write, its sessions of the store read from
// /proc): with every core busy, 16 writers cannot be faster than 16 × their
// sum shared among the cores.
//
//	go test ./internal/store -run '^$' -bench HouseholdWriteProvinces -benchtime 400x
func BenchmarkHouseholdWriteProvinces(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, writers := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/writers=%d", db, writers), func(b *testing.B) {
				var s *store.Store
				var dsn, name string
				if db == "sqlite" {
					s = storetest.MustOpenSQLite(b)
				} else {
					dsn, name = storetest.PostgresDSN(b), fmt.Sprintf("tambon_bench_%d", time.Now().UnixNano())
					s = storetest.MustOpenDSN(b, withAppName(b, dsn, name))
				}
				benchProvinceWrites(b, s, writers, dsn, name)
			})
		}
	}
}

func benchProvinceWrites(b *testing.B, s *store.Store, writers int, dsn, name string) {
	ctx := context.Background()
	areas, villages := provincesForTest(b, 16)
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		b.Fatal(err)
	}
	eng := mustEngine(b)
	const round = "bmn-2564"
	if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
		b.Fatal(err)
	}
	for i, v := range villages {
		if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), v, 3, uint64(900+i)), "t", nil); err != nil {
			b.Fatal(err)
		}
	}
	// Households are made before the clock starts: write i goes to writer
	// i % writers, in that writer's province.
	hs := make([][]*survey.Household, b.N)
	for i := range hs {
		hs[i] = surveyfile.Example(eng.Set(), villages[i%writers], 1, uint64(10000+i))
	}
	times := make([]time.Duration, b.N)
	server := serverCPU(b, dsn, name)
	var wg sync.WaitGroup
	var busy, waiting int64
	stop, done := make(chan struct{}), make(chan struct{})
	if dsn == "" {
		close(done)
	} else {
		mon, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer mon.Close()
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				var a, w int64
				if err := mon.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE state = 'active'),
					count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event <> 'extend')
					FROM pg_stat_activity WHERE application_name = $1`, name).Scan(&a, &w); err != nil {
					b.Error(err)
					return
				}
				busy, waiting = busy+a, waiting+w
				// A pause between samples: a monitor querying without one
				// takes a core's worth of CPU from the writers it watches.
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	b.ResetTimer()
	cpu := cpuTime(b)
	server.start()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				start := time.Now()
				if _, err := s.WriteHouseholds(ctx, eng, round, hs[i], "t", nil); err != nil {
					b.Error(err)
					return
				}
				times[i] = time.Since(start)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/write")
	if used, ok := server.used(); ok {
		b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "server-cpu-ms/write")
	}
	close(stop)
	<-done
	if dsn != "" && busy > 0 {
		b.ReportMetric(100*float64(waiting)/float64(busy), "lockwait-%")
	}
	slices.Sort(times)
	at := func(q float64) float64 {
		return float64(times[int(q*float64(len(times)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCountryTotals reads the country's figures of a round with 77
// provinces, each holding a few households' full statistics (indicators
// and MPI counts), against one province's:
//
//	go test ./internal/store -run '^$' -bench CountryTotals
func BenchmarkCountryTotals(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			var s *store.Store
			if db == "sqlite" {
				s = storetest.MustOpenSQLite(b)
			} else {
				s = storetest.MustOpenDSN(b, storetest.PostgresDSN(b))
			}
			ctx := context.Background()
			eng := mustEngine(b)
			const round = "bmn-2564"
			if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
				b.Fatal(err)
			}
			w := eng.Worker()
			villages := map[string]*engine.Totals{}
			for p := range 77 {
				v := fmt.Sprintf("%02d010101", 10+p)
				t := eng.NewTotals()
				for _, h := range surveyfile.Example(eng.Set(), v, 20, uint64(p)) {
					w.Add(h, t)
				}
				villages[v] = t
			}
			all := engine.RollUp(villages, eng.NewTotals)
			if err := s.ReplaceTotals(ctx, round, all); err != nil {
				b.Fatal(err)
			}
			for _, code := range []string{"TH", "50"} {
				b.Run(code, func(b *testing.B) {
					for range b.N {
						t, err := s.AreaTotals(ctx, eng, round, code)
						if err != nil || !t.Equal(all[code]) {
							b.Fatalf("%s: %v", code, err)
						}
					}
				})
			}
		})
	}
}

// serverCPU follows the CPU time of a store's PostgreSQL sessions (those
// named name) when the server runs on this machine: /proc holds their
// processes. Nothing is reported otherwise.
type sessionsCPU struct {
	tb    testing.TB
	mon   *sql.DB
	name  string
	begin map[int]time.Duration
}

func serverCPU(tb testing.TB, dsn, name string) *sessionsCPU {
	if dsn == "" {
		return &sessionsCPU{}
	}
	mon, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { mon.Close() })
	return &sessionsCPU{tb: tb, mon: mon, name: name}
}

// read returns the CPU time of each session of the store, by process id;
// ok is false when a process is not to be found here.
func (c *sessionsCPU) read() (map[int]time.Duration, bool) {
	rows, err := c.mon.Query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", c.name)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			c.tb.Fatal(err)
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil, false
		}
		// utime and stime are fields 14 and 15, counted after the
		// command's closing parenthesis (the command may hold spaces).
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) < 13 {
			return nil, false
		}
		u, err1 := strconv.ParseInt(f[11], 10, 64)
		s, err2 := strconv.ParseInt(f[12], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		out[pid] = time.Duration(u+s) * time.Second / clockTicks
	}
	return out, rows.Err() == nil
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat's times:
// 100 on Linux.
const clockTicks = 100

func (c *sessionsCPU) start() {
	if c.mon == nil {
		return
	}
	c.begin, _ = c.read()
}

// used is the CPU time the sessions used since start (a session opened
// since counts whole).
func (c *sessionsCPU) used() (time.Duration, bool) {
	if c.mon == nil || c.begin == nil {
		return 0, false
	}
	now, ok := c.read()
	if !ok {
		return 0, false
	}
	var d time.Duration
	for pid, t := range now {
		d += t - c.begin[pid]
	}
	return d, true
}
