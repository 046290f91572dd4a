package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// benchStores measures, on a fresh database of each store in one run (a
// temporary SQLite file; a new schema of the PostgreSQL server at pgURL,
// dropped afterwards), what a national deployment leans on:
//
//   - importing a province's generated households in one import
//     (households/s; the households are generated once, before any timing);
//   - one-household writes, p50/p99, by one writer and by writers at once
//     in as many different provinces (each province holds one tambon's
//     generated households, imported untimed): first in a closed loop
//     (each writer writes again as soon as it can), then at a fixed rate
//     offered to both alike (bench_paced.go), rate a second in all, or by
//     default pacedFraction of the one writer's closed-loop rate;
//   - a recompute of the whole round from its stored households (every
//     household decoded), with one reader and with the store's default
//     readers, and what a national round of 12.9 M households would take at
//     the rate measured.
func benchStores(ctx context.Context, e *env, province, pgURL string, writers, writes int, rate float64, add func(what, figure, target string)) error {
	tree, err := area.Embedded()
	if err != nil {
		return err
	}
	if _, ok := tree.Get(province); !ok {
		return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบพื้นที่รหัส %s", "no area has the code %s", province))
	}
	r := survey.Round{ID: "bench-2564", SurveyYear: 2564, SetID: "bmn-2560-2564"}
	eng, err := engine.ForRound(r)
	if err != nil {
		return err
	}
	targets, err := ratchaburiTargets()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "generating province %s in memory…\n", province)
	var imported []*survey.Household
	opts := gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: 1, Targets: targets}
	if err := gen.Generate(opts, gen.Villages(tree, province), func(h *survey.Household) bool {
		imported = append(imported, gen.Clone(h))
		return true
	}); err != nil {
		return err
	}
	// The writers' provinces: the first ones of the register other than the
	// imported one, one tambon's households each.
	var provinces []string
	var others []*survey.Household
	byProvince := map[string][]*survey.Household{}
	for _, p := range tree.Children(area.CountryCode) {
		if len(provinces) == writers {
			break
		}
		if p.Code == province[:2] {
			continue
		}
		tambon := firstTambon(tree, p.Code)
		if tambon == "" {
			continue
		}
		provinces = append(provinces, p.Code)
		opts := gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: uint64(len(provinces) + 1)}
		if err := gen.Generate(opts, gen.Villages(tree, tambon), func(h *survey.Household) bool {
			c := gen.Clone(h)
			others = append(others, c)
			byProvince[p.Code] = append(byProvince[p.Code], c)
			return true
		}); err != nil {
			return err
		}
	}
	if len(provinces) < writers {
		return fmt.Errorf("bench: only %d provinces for %d writers", len(provinces), writers)
	}

	dir, err := os.MkdirTemp("", "tambon-bench-stores-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsns := []string{filepath.Join(dir, "stores.db")}
	if pgURL != "" {
		dsn, drop, err := benchSchema(ctx, pgURL, false)
		if err != nil {
			return err
		}
		defer drop()
		dsns = append(dsns, dsn)
	}
	for _, dsn := range dsns {
		if err := benchStoresOn(ctx, e, dsn, r, eng, province, imported, provinces, byProvince, others, writes, rate, add); err != nil {
			return err
		}
	}
	return nil
}

// firstTambon is the first tambon of a province that has villages.
func firstTambon(tree *area.Tree, province string) string {
	for _, a := range tree.Children(province) {
		for _, t := range tree.Children(a.Code) {
			if len(tree.Children(t.Code)) > 0 {
				return t.Code
			}
		}
	}
	return ""
}

func benchStoresOn(ctx context.Context, e *env, dsn string, r survey.Round, eng *engine.Engine, province string, imported []*survey.Household,
	provinces []string, byProvince map[string][]*survey.Household, others []*survey.Household, writes int, rate float64, add func(what, figure, target string)) error {
	s, _, err := e.openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err = ensureRound(ctx, s, r.ID, r.SurveyYear)
	if err != nil {
		return err
	}
	importAll := func(hs []*survey.Household) (store.WriteSummary, error) {
		return s.ImportHouseholds(ctx, eng, r.ID, "tambon bench", nil, func(add func(*survey.Household) error) error {
			for _, h := range hs {
				if err := add(h); err != nil {
					return err
				}
			}
			return nil
		})
	}

	fmt.Fprintf(e.stderr, "importing province %s into %s…\n", province, s.Dialect())
	start, cpu := time.Now(), cpuTime()
	sum, err := importAll(imported)
	if err != nil {
		return err
	}
	took, used := time.Since(start), cpuTime()-cpu
	add(fmt.Sprintf("import area %s (%s), %s households in one import (stored, members indexed, statistics of every level, columns kept)",
		province, s.Dialect(), thai.FormatInt(int64(sum.Inserted))),
		fmt.Sprintf("%s (**%s households/s**; %.0f CPU-µs a household in tambon)", took.Round(10*time.Millisecond),
			thai.FormatInt(int64(float64(sum.Inserted)/took.Seconds())), float64(used.Microseconds())/float64(sum.Inserted)),
		"PostgreSQL no slower than SQLite")
	if _, err := importAll(others); err != nil {
		return err
	}

	// Writes, as the household form makes them: validate, then store one
	// household and update every level's statistics.
	ref := r.ReferenceDate()
	write := func(h *survey.Household) (time.Duration, error) {
		v, _ := h.Answers["q30"].Bool()
		h.Answers["q30"] = survey.Bool(!v)
		start := time.Now()
		if ps := survey.Validate(h, eng.Set(), ref); len(ps) > 0 {
			return 0, ps
		}
		_, err := s.WriteHouseholds(ctx, eng, r.ID, []*survey.Household{h}, "tambon bench", nil)
		return time.Since(start), err
	}
	var closedRate float64 // one writer's, in the closed loop
	for _, n := range []int{1, len(provinces)} {
		lat := make([][]time.Duration, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := time.Now()
		for w := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hs := byProvince[provinces[w]]
				for i := range writes {
					d, err := write(hs[i%len(hs)])
					if err != nil {
						errs[w] = err
						return
					}
					lat[w] = append(lat[w], d)
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		var all []time.Duration
		for w := range n {
			if errs[w] != nil {
				return errs[w]
			}
			all = append(all, lat[w]...)
		}
		p50, p99 := percentiles(all)
		what := "one writer"
		target := ""
		if n > 1 {
			what = fmt.Sprintf("%d writers at once, each in its own province", n)
			target = "p99 within 2× of one writer's"
		}
		if n == 1 {
			closedRate = float64(len(all)) / took.Seconds()
		}
		add(fmt.Sprintf("one-household write, %s, %s; p50 / p99 of %d", s.Dialect(), what, len(all)),
			fmt.Sprintf("%s / %s (%.0f writes/s)", p50, p99, float64(len(all))/took.Seconds()), target)
	}

	// The same writes at a fixed rate offered in all, from one writer and
	// from the writers in their provinces: as many writes each time.
	offered, why := rate, "given"
	if offered <= 0 {
		offered, why = pacedFraction*closedRate, fmt.Sprintf("%.0f %% of one writer's closed-loop rate", 100*pacedFraction)
	}
	total := writes * len(provinces)
	for _, n := range []int{1, len(provinces)} {
		all, took, err := paced(ctx, n, total/n, offered, func(w, i int) error {
			hs := byProvince[provinces[w]]
			_, err := write(hs[i%len(hs)])
			return err
		})
		if err != nil {
			return err
		}
		p50, p99 := percentiles(all)
		what := "one writer"
		target := ""
		if n > 1 {
			what = fmt.Sprintf("%d writers at once, each in its own province (%.1f writes/s each)", n, offered/float64(n))
			target = "p99 within 2× of one writer's at the same rate"
		}
		add(fmt.Sprintf("one-household write at %.0f writes/s offered in all (%s; Poisson arrivals, timed from arrival), %s, %s; p50 / p99 of %d",
			offered, why, s.Dialect(), what, len(all)),
			fmt.Sprintf("%s / %s (the last done %s after the start)", p50, p99, took.Round(10*time.Millisecond)), target)
	}

	// A recompute of the round from its stored households, every one decoded.
	streams := []int{1, 4}
	for _, n := range streams {
		s.SetRecomputeStreams(n)
		runtime.GC()
		start, cpu := time.Now(), cpuTime()
		rc, err := s.RebuildRound(ctx, r.ID, eng, nil)
		if err != nil {
			return err
		}
		took, used := time.Since(start), cpuTime()-cpu
		perHH := took.Seconds() / float64(rc.Decoded)
		add(fmt.Sprintf("recompute from the store, %s, %s households decoded, %d reader(s)", s.Dialect(), thai.FormatInt(int64(rc.Decoded)), n),
			fmt.Sprintf("%s (%.1f µs a household wall, %.1f CPU-µs in tambon; national 12.9 M at this rate ≈ %.0f s)", took.Round(10*time.Millisecond),
				perHH*1e6, float64(used.Microseconds())/float64(rc.Decoded), perHH*nationalHouseholds), "")
	}
	s.SetRecomputeStreams(0)
	return nil
}
