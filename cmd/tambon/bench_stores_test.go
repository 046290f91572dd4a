package main

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/store/storetest"
)

// tambon bench --stores times an import, writes by one and by several
// writers in as many provinces (in a closed loop, then at a fixed rate
// offered to both), and a recompute from the store, on SQLite and, given a
// postgres:// --db, on PostgreSQL in the same run: one row of each per
// store.
func TestBenchStoresCase(t *testing.T) {
	pg := strings.TrimSpace(os.Getenv(storetest.EnvPostgres))
	args := []string{"bench", "--households", "200", "--runs", "1", "--province", "", "--threshold", "",
		"--stores", "70051304", "--writers", "3", "--store-writes", "4"}
	stores := []string{"sqlite"}
	if pg != "" {
		args = append(args, "--db", pg)
		stores = append(stores, "postgres")
	}
	out, stderr, err := run(t, nil, "", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, st := range stores {
		for _, want := range []string{"| import area 70051304 (" + st + "), ", "| one-household write, " + st + ", one writer; p50 / p99 of 4 |",
			"| one-household write, " + st + ", 3 writers at once, each in its own province; p50 / p99 of 12 |",
			"| recompute from the store, " + st + ", ", "4 reader(s)",
			"(50 % of one writer's closed-loop rate; Poisson arrivals, timed from arrival), " + st + ", one writer; p50 / p99 of 12 |",
			"(50 % of one writer's closed-loop rate; Poisson arrivals, timed from arrival), " + st + ", 3 writers at once, each in its own province ("} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
		}
	}
}

// A paced write's time runs from its arrival: a write that arrives while
// the one before it still runs waits, and its wait counts. Writes that
// take at least d each, offered faster than one every d, so take at least
// as long from their arrival as the queue in front of them makes certain.
func TestPacedWritesCountTheirWait(t *testing.T) {
	const n, d, rate = 30, 2 * time.Millisecond, 2000.0
	var ran atomic.Int64
	lat, took, err := paced(context.Background(), 1, n, rate, func(w, i int) error {
		ran.Add(1)
		time.Sleep(d)
		return nil
	})
	if err != nil || len(lat) != n || ran.Load() != n {
		t.Fatalf("%d times of %d writes (%d ran): %v", len(lat), n, ran.Load(), err)
	}
	at := arrivals(n, rate, 1)
	for i, l := range lat {
		// The (i+1)th write ends no sooner than i+1 writes after the start.
		if least := time.Duration(i+1)*d - at[i]; l < least {
			t.Errorf("write %d: %s from its arrival at %s, less than the %s the writes before it and itself took", i, l, at[i], least)
		}
	}
	if took < n*d {
		t.Errorf("%d writes of %s took %s in all", n, d, took)
	}
	// Writers share the rate: each has its own arrivals, rate/writers a
	// second, and all of them write.
	ran.Store(0)
	lat, _, err = paced(context.Background(), 4, 5, rate, func(w, i int) error {
		ran.Add(1)
		return nil
	})
	if err != nil || len(lat) != 20 || ran.Load() != 20 {
		t.Fatalf("4 writers × 5: %d times, %d ran, %v", len(lat), ran.Load(), err)
	}
}

// Arrivals are a Poisson process of the rate asked: increasing, and as
// many in a long run as the rate says, give or take chance.
func TestArrivalsKeepTheRate(t *testing.T) {
	at := arrivals(20000, 100, 3)
	for i := 1; i < len(at); i++ {
		if at[i] < at[i-1] {
			t.Fatalf("arrival %d at %s before arrival %d at %s", i, at[i], i-1, at[i-1])
		}
	}
	if got := float64(len(at)) / at[len(at)-1].Seconds(); got < 97 || got > 103 {
		t.Errorf("%.1f arrivals a second, want 100", got)
	}
}
