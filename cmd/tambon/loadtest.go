package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// nationalRound holds synthetic statistics for every village of the country:
// what the area pages read, at national scale, without 12.9 million stored
// households.
const nationalRound = "load-national"

// cmdLoadtest measures the area pages and their API under concurrent
// clients on national-scale statistics. It talks only to a server it starts
// itself on the loopback address, for a bounded number of requests.
func cmdLoadtest(ctx context.Context, e *env, args []string) error {
	fs := e.flags("loadtest", "loadtest [--db FILE] [--clients 100] [--requests 20000]   (area pages and API on national-scale statistics)")
	dsn := fs.String("db", e.envOr("TAMBON_LOAD_DB", "tambon-load.db"), "a database of its own (the national statistics are written into it once)")
	clients := fs.Int("clients", 100, "concurrent clients")
	requests := fs.Int("requests", 20000, "requests in all (bounded: the test stops by itself)")
	warm := fs.Bool("warm", false, "view every sampled page once before measuring (a dashboard in use: pages already rendered at this statistics generation)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *clients < 1 || *clients > 1000 || *requests < *clients || *requests > 1_000_000 {
		return apperr.New(apperr.Invalid, apperr.T("--clients 1-1000 และ --requests ไม่น้อยกว่า --clients (ไม่เกิน 1,000,000)",
			"--clients must be 1-1000 and --requests at least --clients (at most 1,000,000)"))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Round(ctx, nationalRound); apperr.Is(err, apperr.NotFound) {
		start := time.Now()
		n, err := fillNational(ctx, s, tree)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote synthetic statistics for %d villages and every level above in %s\n", n, time.Since(start).Round(time.Second))
	} else if err != nil {
		return err
	}
	// Sample areas of every level: 2,000 drawn from the whole register.
	var codes []string
	rng := rand.New(rand.NewPCG(7, 7))
	all := tree.All()
	for len(codes) < 2000 {
		a := all[rng.IntN(len(all))]
		codes = append(codes, a.Code)
	}
	codes = append(codes, "TH", "70", "7005", "700513", "70051304")

	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	urlc := make(chan string, 1)
	go func() {
		e2 := *e
		e2.stdout, e2.log = io.Discard, e.log.With("loadtest", true)
		e2.serve(lctx, s, tree, serveOptions{addr: "127.0.0.1:0"}, func(u string) { urlc <- u })
	}()
	base := <-urlc
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients}, Timeout: 30 * time.Second}
	for _, kind := range []struct {
		name string
		path func(code string) string
	}{
		{"area page (HTML)", func(c string) string { return "/areas/" + c + "?round=" + nationalRound }},
		{"results API (JSON)", func(c string) string { return "/api/v1/areas/" + c + "/results?round=" + nationalRound }},
	} {
		if *warm {
			for _, c := range codes {
				if resp, err := client.Get(base + kind.path(c)); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}
		lat := make([]time.Duration, *requests)
		var next, failures int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for c := 0; c < *clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					i := next
					next++
					mu.Unlock()
					if i >= int64(*requests) {
						return
					}
					t0 := time.Now()
					resp, err := client.Get(base + kind.path(codes[int(i)%len(codes)]))
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
					lat[i] = time.Since(t0)
					if err != nil || resp.StatusCode != 200 {
						mu.Lock()
						failures++
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(10 * time.Microsecond) }
		fmt.Fprintf(e.stdout, "%-20s %d areas, %d requests, %d clients: %.0f req/s, p50 %s, p95 %s, p99 %s, max %s, failures %d\n",
			kind.name, len(codes), *requests, *clients, float64(*requests)/took.Seconds(), q(0.50), q(0.95), q(0.99), lat[len(lat)-1].Round(time.Millisecond), failures)
	}
	return nil
}

// fillNational writes a round of synthetic statistics — indicator counts and
// MPI counts by score — for every village of the area register, rolled up to
// every level.
func fillNational(ctx context.Context, s interface {
	CreateRound(context.Context, survey.Round) error
	Round(context.Context, string) (survey.Round, error)
	ReplaceTotals(context.Context, string, map[string]*engine.Totals) error
}, tree *area.Tree) (int, error) {
	r := survey.Round{ID: nationalRound, Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564", Source: "synthetic national statistics for load tests"}
	if err := s.CreateRound(ctx, r); err != nil {
		return 0, err
	}
	// The statistics are laid out as the stored set version the round is
	// pinned to, which may hold more indicators than the built-in file.
	r, err := s.Round(ctx, r.ID)
	if err != nil {
		return 0, err
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(12_900_000, 36_600_000))
	nInd := len(eng.Poverty().Spec().Indicators)
	villages := map[string]*engine.Totals{}
	for _, a := range tree.All() {
		if a.Level != area.Village {
			continue
		}
		t := eng.NewTotals()
		t.Households = 120 + rng.Int64N(110)
		t.People = t.Households * (25 + rng.Int64N(10)) / 10
		t.NetIncome = t.People * (40000 + rng.Int64N(80000))
		for i := range t.Indicators {
			el := t.Households
			if i%3 == 0 {
				el = t.People / (2 + int64(i%4))
			}
			t.Indicators[i] = engine.Count{Eligible: el, Passed: el - rng.Int64N(el/10+1)}
		}
		for p := int64(0); p < t.People; p++ {
			var mask uint64
			for j := 0; j < nInd; j++ {
				if rng.IntN(40) == 0 {
					mask |= 1 << j
				}
			}
			t.Poverty.AddMask(mask)
		}
		villages[a.Code] = t
	}
	return len(villages), s.ReplaceTotals(ctx, r.ID, engine.RollUp(villages, eng.NewTotals))
}
