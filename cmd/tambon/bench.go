package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// cmdBench runs the product-side measurements of DESIGN §8 and prints them
// as a table: a full recompute from columns at a chosen scale, one household
// write (validate, store, update every level's statistics) and an area's
// result queries, as p50/p99. The comparisons with DuckDB and PostgreSQL
// live in the bench/ module (cd bench && go run . …), so that their drivers
// never enter this binary. docs/BENCHMARKS.md records the figures.
func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := e.flags("bench", "bench [--households N | --national] [--province CODE] [--writes N] [--queries N] [--db …] [--threshold CODES] [--postgres URL] [--keep DIR] [--stores PROVINCE [--writers N] [--write-rate N]]")
	households := fs.Int("households", 1_000_000, "households in the recompute (172 a village, 2.84 people each)")
	national := fs.Bool("national", false, "recompute the national round: 12.9 M households, 75,000 villages (about 3 GB of memory)")
	runs := fs.Int("runs", 3, "timed recomputes")
	province := fs.String("province", "70", "province generated into the store for the write and query timings (empty: skip them)")
	writes := fs.Int("writes", 300, "timed one-household writes")
	queries := fs.Int("queries", 300, "timed queries per area level")
	dsn := fs.String("db", "", "database for the write and query timings: a SQLite path or postgres:// URL (default: a new temporary SQLite file)")
	threshold := fs.String("threshold", "70", "areas (codes, comma-separated) generated into a fresh database of each store to time a threshold change made live (empty: skip)")
	pg := fs.String("postgres", "", "PostgreSQL server (postgres://…) on which the threshold change and --stores are timed too, beside SQLite, in a new schema dropped afterwards (default: --db when it is a postgres:// URL)")
	keep := fs.String("keep", "", "keep the threshold change's databases to time it again without generating: the SQLite file DIR/threshold.db and, with --postgres, the schema "+keptSchema+"; areas they already hold are not generated again")
	stores := fs.String("stores", "", "province (code) imported into a fresh database of each store to time the import, writes by one and by --writers writers in as many provinces, and a recompute from the store (empty: skip)")
	writers := fs.Int("writers", 16, "concurrent writers for --stores, each in its own province")
	storeWrites := fs.Int("store-writes", 100, "one-household writes per writer for --stores")
	writeRate := fs.Float64("write-rate", 0, "writes a second offered in all to --stores' paced writes, by one writer and by --writers writers alike (0: half of one writer's closed-loop rate in the same run)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *pg == "" && store.IsPostgres(*dsn) {
		*pg = *dsn
	}
	n, villages := *households, max(1, *households/172)
	if *national {
		n, villages = 12_900_000, 75_000
	}
	eng, err := engine.ForRound(survey.Round{SetID: "bmn-2560-2564", SurveyYear: 2564})
	if err != nil {
		return err
	}
	var rows [][3]string
	add := func(what, figure, target string) {
		rows = append(rows, [3]string{what, figure, target})
		fmt.Fprintf(e.stderr, "%s: %s\n", what, figure)
	}

	fmt.Fprintf(e.stderr, "generating %d households over %d villages in columns…\n", n, villages)
	cols := engine.NewColumns(eng.Set())
	old := debug.SetGCPercent(20)
	engine.Synthetic(eng.Set(), n, villages, cols.AppendRow)
	cols.Trim()
	debug.SetGCPercent(old)
	runtime.GC()
	var times []time.Duration
	for range *runs {
		start := time.Now()
		engine.RollUp(eng.RecomputeColumns(cols, 0), eng.NewTotals)
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	target := "—"
	if *national {
		target = "≤ 5 s"
	}
	add(fmt.Sprintf("full recompute, %d households, %d people, %d CPUs (best of %d; median %s)", cols.Len(), cols.People(),
		runtime.GOMAXPROCS(0), len(times), times[len(times)/2].Round(time.Millisecond)), times[0].Round(time.Millisecond).String(), target)
	cols = nil
	runtime.GC()

	if *province != "" {
		if err := benchStore(ctx, e, *dsn, *province, *writes, *queries, add); err != nil {
			return err
		}
	}
	if *stores != "" {
		if err := benchStores(ctx, e, *stores, *pg, *writers, *storeWrites, *writeRate, add); err != nil {
			return err
		}
	}
	if *threshold != "" {
		if err := benchThreshold(ctx, e, strings.Split(*threshold, ","), *pg, *keep, add); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "| What | Figure | Target |\n|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(e.stdout, "| %s | %s | %s |\n", r[0], r[1], r[2])
	}
	return nil
}

// benchStore fills a database with a province of generated households and
// times one-household writes and area queries.
func benchStore(ctx context.Context, e *env, dsn, province string, writes, queries int, add func(what, figure, target string)) error {
	if dsn == "" {
		dir, err := os.MkdirTemp("", "tambon-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "bench.db")
	}
	s, tree, err := e.openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, ok := tree.Get(province); !ok {
		return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบพื้นที่รหัส %s", "no area has the code %s", province))
	}
	round := "bench-2564"
	r, err := ensureRound(ctx, s, round, 2564)
	if err != nil {
		return err
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		return err
	}
	have, err := s.CountHouseholds(ctx, round, province)
	if err != nil {
		return err
	}
	if have == 0 {
		targets, err := ratchaburiTargets()
		if err != nil {
			return err
		}
		opts := gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: 1, Targets: targets}
		fmt.Fprintf(e.stderr, "generating province %s into %s…\n", province, s.Dialect())
		start := time.Now()
		n, err := generateInto(ctx, e, s, eng, round, opts, gen.Villages(tree, province))
		if err != nil {
			return err
		}
		took := time.Since(start)
		add(fmt.Sprintf("generate and store province %s (%s): %d households", province, s.Dialect(), n),
			fmt.Sprintf("%s (%.0f households/s)", took.Round(time.Millisecond), float64(n)/took.Seconds()), "import ≥ 100,000/s")
		have = n
	}

	// Writes: edit stored households one at a time, as a form submission does.
	var hs []*survey.Household
	stop := errors.New("enough")
	err = s.EachHousehold(ctx, round, province, func(rec survey.Record) error {
		if len(hs) == writes {
			return stop
		}
		hs = append(hs, rec.Household)
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return err
	}
	ref := r.ReferenceDate()
	var lat []time.Duration
	for i, h := range hs {
		// Toggle one household answer so every write changes the figures.
		v, _ := h.Answers["q30"].Bool()
		h.Answers["q30"] = survey.Bool(!v)
		start := time.Now()
		if ps := survey.Validate(h, eng.Set(), ref); len(ps) > 0 {
			return fmt.Errorf("household %d: %w", i, ps)
		}
		if _, err := s.WriteHouseholds(ctx, eng, round, []*survey.Household{h}, "tambon bench", nil); err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
	}
	p50, p99 := percentiles(lat)
	add(fmt.Sprintf("one household write (validate, store, update every level), %s holding %d households; p50 / p99 of %d",
		s.Dialect(), have, len(lat)), fmt.Sprintf("%s / %s", p50, p99), "p99 ≤ 10 ms (embedded)")

	// Queries: an area's figures as its page needs them.
	village := hs[0].VillageCode
	for _, a := range []struct{ level, code string }{{"tambon", village[:6]}, {"province", province}, {"country", "TH"}} {
		lat = lat[:0]
		for range queries {
			start := time.Now()
			t, err := s.AreaTotals(ctx, eng, round, a.code)
			if err != nil {
				return err
			}
			engine.Results(eng.Set(), t, nil, nil)
			if _, err := engine.Poverty(t, eng.Poverty().K()); err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
		}
		p50, p99 := percentiles(lat)
		add(fmt.Sprintf("area results (AreaTotals + Results + Poverty), %s %s; p50 / p99 of %d", a.level, a.code, len(lat)),
			fmt.Sprintf("%s / %s", p50, p99), "")
	}
	return nil
}

// percentiles returns the 50th and 99th percentiles (nearest rank).
func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(p int) time.Duration {
		return s[min(len(s)-1, (len(s)*p+99)/100-1)].Round(10 * time.Microsecond)
	}
	return at(50), at(99)
}
