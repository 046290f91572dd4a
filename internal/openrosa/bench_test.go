package openrosa_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tambon/internal/store/storetest"
	"tambon/internal/xform"
)

// BenchmarkSubmissions measures sustained OpenRosa submissions per second
// over real HTTP on the embedded SQLite store (and PostgreSQL when
// TAMBON_TEST_POSTGRES is set): 16 clients at once, each
// POSTing ODK Collect's multipart shape with a new household (2–6 members,
// every answer), each one authenticated by device token, parsed, validated,
// kept raw and written through the household write with its statistics.
//
//	go test ./internal/openrosa -run XXX -bench Submissions -benchtime 3000x
func BenchmarkSubmissions(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSubmissions(b, newFixture(b, 0)) })
	b.Run("postgres", func(b *testing.B) {
		benchSubmissions(b, newFixtureOn(b, storetest.MustOpenDSN(b, storetest.PostgresDSN(b)), 0))
	})
}

func benchSubmissions(b *testing.B, f *fixture) {
	bodies := make([][]byte, b.N)
	types := make([]string, b.N)
	for i := range bodies {
		body, ct := collectBody(xform.Encode(f.form, f.eng.Set(), f.household(10000+i), fmt.Sprintf("uuid:bench-%d", i), ""), nil)
		bodies[i], types[i] = body.Bytes(), ct
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next, failed atomic.Int64
	b.SetParallelism(8) // × GOMAXPROCS clients
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			req := collectRequest("POST", f.keyURL()+"/submission", bytesReader(bodies[i]))
			req.Header.Set("Content-Type", types[i])
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				failed.Add(1)
			}
		}
	})
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d submissions were not accepted", n, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "submissions/s")
	// CPU time of the whole process (server and the benchmark's clients)
	// per submission: other people's load on a shared machine does not
	// inflate it; 2 quiet cores give at most 2 s of it per second.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/submission")
	if n := count(b, f.store, village); n < b.N {
		b.Fatalf("only %d households stored after %d submissions", n, b.N)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
