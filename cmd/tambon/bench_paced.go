package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// A closed loop (each writer sends its next write when the last one
// returns) measures how many writes a machine can take, not how long a
// write takes at a given load: with 16 writers on 2 cores every write waits
// for the cores the other 15 hold, whatever the database does. Writes as
// people make them arrive whether or not the last one has finished, so
// --stores also times writes at a fixed offered rate (an open loop): each
// writer has its own arrivals, at random (a Poisson process, as
// independent people's saves are), and a write's time runs from its
// arrival, so the time a write waits behind the one before it counts
// (no coordinated omission). One writer and several writers in as many
// provinces are offered the same rate in all, so what differs between them
// is only that the writes come from different provinces at once.

// pacedFraction is the share of one writer's closed-loop rate that the
// paced writes are offered by default.
const pacedFraction = 0.5

// arrivals returns n arrival times, from the start, of a Poisson process
// of rate per second: independent exponential gaps. seed makes them the
// same in every run.
func arrivals(n int, rate float64, seed uint64) []time.Duration {
	r := rand.New(rand.NewPCG(seed, 0x7a3b))
	out := make([]time.Duration, n)
	var t float64
	for i := range out {
		t += r.ExpFloat64() / rate
		out[i] = time.Duration(t * float64(time.Second))
	}
	return out
}

// paced runs writers goroutines, each doing perWriter writes (do(w, i))
// at its own Poisson arrivals of rate/writers a second, and returns every
// write's time from its arrival to its end, and the time from the start
// to the last end. A writer does one write at a time: a write that
// arrives while the one before is running waits, and its wait counts.
func paced(ctx context.Context, writers, perWriter int, rate float64, do func(w, i int) error) ([]time.Duration, time.Duration, error) {
	lat := make([][]time.Duration, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range writers {
		at := arrivals(perWriter, rate/float64(writers), uint64(w+1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, a := range at {
				arrival := start.Add(a)
				if d := time.Until(arrival); d > 0 {
					select {
					case <-time.After(d):
					case <-ctx.Done():
						errs[w] = ctx.Err()
						return
					}
				}
				if err := do(w, i); err != nil {
					errs[w] = err
					return
				}
				lat[w] = append(lat[w], time.Since(arrival))
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	var all []time.Duration
	for w := range writers {
		if errs[w] != nil {
			return nil, 0, errs[w]
		}
		all = append(all, lat[w]...)
	}
	return all, took, nil
}
