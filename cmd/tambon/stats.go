package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"sort"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// recomputeRound rebuilds a round's statistics from its households in one
// streaming pass and returns them for every level.
func recomputeRound(ctx context.Context, e *env, s *store.Store, eng *engine.Engine, round string) (map[string]*engine.Totals, error) {
	n, err := s.CountHouseholds(ctx, round, "TH")
	if err != nil {
		return nil, err
	}
	bar := newProgress(e.stderr, "reading", n)
	done := 0
	villages, err := eng.Recompute(ctx, func(yield func(*survey.Household) bool) error {
		return s.EachHousehold(ctx, round, "TH", func(sh survey.Record) error {
			done++
			if done%1000 == 0 {
				bar.update(done)
			}
			if !yield(sh.Household) {
				return context.Canceled
			}
			return nil
		})
	}, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	bar.finish()
	return engine.RollUp(villages, eng.NewTotals), nil
}

func cmdRecompute(ctx context.Context, e *env, args []string) error {
	var readers *int
	s, r, eng, err := e.openRound(ctx, openWriting, "recompute", "recompute --round R [--readers N] [--db …]   (rebuild a round's statistics from its households)", args,
		func(fs *flag.FlagSet) {
			readers = fs.Int("readers", 0, "read the households with N readers at once, a province each (0: one; more helps only where the database has cores of its own, e.g. a PostgreSQL host)")
		})
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetRecomputeStreams(*readers)
	if r.AggregateOnly {
		return apperr.New(apperr.Invalid, apperr.Tf("รอบ %s เป็นข้อมูลที่เผยแพร่แล้ว ไม่มีครัวเรือนให้คำนวณใหม่", "round %s holds published figures; there are no households to recompute", r.ID))
	}
	start := time.Now()
	// The round is rebuilt from its households alone, and its villages'
	// columns are kept with the figures, so that the next threshold change
	// reads them instead of decoding the round again.
	var bar *progress
	rc, err := s.RebuildRound(ctx, r.ID, eng, func(done, total int) {
		if bar == nil {
			bar = newProgress(e.stderr, "reading", total)
		}
		bar.update(done)
	})
	if err != nil {
		return err
	}
	if bar != nil {
		bar.finish()
	}
	if err := s.RepinRecomputed(ctx, rc, r.SetVersion, r.SetVersion); err != nil {
		return err
	}
	all := rc.Totals
	th := all["TH"]
	if th == nil {
		th = eng.NewTotals()
	}
	fmt.Fprintf(e.stdout, "round %s recomputed: %d households, %d people, %d areas, in %s\n",
		r.ID, th.Households, th.People, len(all), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdCheck proves the stored statistics equal a recompute from scratch.
func cmdCheck(ctx context.Context, e *env, args []string) error {
	s, r, _, err := e.openRound(ctx, openReading, "check", "check --round R [--db …]   (prove the stored statistics equal a recompute)", args)
	if err != nil {
		return err
	}
	defer s.Close()
	areas, bad, err := checkRoundStats(ctx, e, s, r.ID)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		for i, code := range bad {
			if i == 10 {
				fmt.Fprintf(e.stderr, "… %d more\n", len(bad)-10)
				break
			}
			fmt.Fprintf(e.stderr, "area %s differs\n", code)
		}
		return apperr.New(apperr.Conflict, apperr.Tf(
			"สถิติที่เก็บไว้ต่างจากการคำนวณใหม่ %d พื้นที่: สั่ง tambon recompute --round %s",
			"stored statistics differ from a recompute in %d areas: run tambon recompute --round %s", len(bad), r.ID))
	}
	fmt.Fprintf(e.stdout, "round %s: the statistics of all %d areas equal a recompute from scratch\n", r.ID, areas)
	return nil
}

// diffTotals lists the areas whose stored and fresh statistics differ
// (an area missing on one side counts unless it is all zero).
func diffTotals(a, b map[string]*engine.Totals) []string {
	var bad []string
	for code, t := range a {
		o, ok := b[code]
		if (!ok && !t.IsZero()) || (ok && !t.Equal(o)) {
			bad = append(bad, code)
		}
	}
	for code, t := range b {
		if _, ok := a[code]; !ok && !t.IsZero() {
			bad = append(bad, code)
		}
	}
	sort.Strings(bad)
	return bad
}

// openRound is the start of a command that takes only --db and --round: it
// parses them, opens the store and loads the round with its engine.
func (e *env) openRound(ctx context.Context, mode openMode, name, synopsis string, args []string, more ...func(fs *flag.FlagSet)) (*store.Store, survey.Round, *engine.Engine, error) {
	fs := e.flags(name, synopsis)
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	for _, m := range more {
		m(fs)
	}
	if err := parse(fs, args); err != nil {
		return nil, survey.Round{}, nil, err
	}
	s, _, err := e.open(ctx, *dsn, true, mode)
	if err != nil {
		return nil, survey.Round{}, nil, err
	}
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		s.Close()
		return nil, r, nil, err
	}
	return s, r, eng, nil
}
