package main

import (
	"context"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tpmap"
)

// genChunk is how many generated households go into one transaction.
const genChunk = 20000

func cmdGen(ctx context.Context, e *env, args []string) error {
	fs := e.flags("gen", "gen --area CODE --round ROUND [--seed S] [--out FILE.csv|xlsx] [--db …]   (realistic synthetic households)")
	dsn := e.dbFlag(fs, "tambon.db")
	areaCode := fs.String("area", "", "area to fill (any level; TH for the whole country)")
	roundID := fs.String("round", "", "the round the households belong to (created when missing, with --year)")
	year := fs.Int("year", 2561, "survey year (พ.ศ.) when the round has to be created")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same households")
	out := fs.String("out", "", "write the households to this CSV/XLSX file (the import template) instead of the database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *areaCode == "" || *roundID == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --area และ --round", "--area and --round are required"))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := areaOf(tree, *areaCode); err != nil {
		return err
	}
	r, err := ensureRound(ctx, s, *roundID, *year)
	if err != nil {
		return err
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		return err
	}
	targets, err := ratchaburiTargets()
	if err != nil {
		return err
	}
	opts := gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: *seed, Targets: targets}
	villages := gen.Villages(tree, *areaCode)
	start := time.Now()
	if *out != "" {
		w, c, err := outputWriter(e, *out, "")
		if err != nil {
			return err
		}
		defer c.Close()
		var hs []*survey.Household
		if err := gen.Generate(opts, villages, func(h *survey.Household) bool {
			hs = append(hs, gen.Clone(h))
			return true
		}); err != nil {
			return err
		}
		if err := surveyfile.Write(w, eng.Set(), hs); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %d households of %d villages (indicator set %s version %d) to %s in %s\n",
			len(hs), len(villages), r.SetID, r.SetVersion, *out, time.Since(start).Round(time.Millisecond))
		return nil
	}
	n, err := generateInto(ctx, e, s, eng, r.ID, opts, villages)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s (indicator set %s version %d): generated %d households in %d villages of %s in %s\n",
		r.ID, r.SetID, r.SetVersion, n, len(villages), *areaCode, time.Since(start).Round(time.Millisecond))
	return nil
}

// ensureRound returns the round, creating a household round when missing.
func ensureRound(ctx context.Context, s *store.Store, id string, year int) (survey.Round, error) {
	r, err := s.Round(ctx, id)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return r, err
	}
	sets, err := s.HouseholdSets(ctx)
	if err != nil {
		return r, err
	}
	set, err := rounds.SetFor(year, sets)
	if err != nil {
		return r, err
	}
	r = survey.Round{ID: id, Kind: survey.KindBMN, SurveyYear: year, SetID: set.ID}
	if err := s.CreateRound(ctx, r); err != nil {
		return r, err
	}
	return s.Round(ctx, id) // pinned to the newest stored version of its set
}

// generateInto streams generated households into the store in chunks of
// whole villages (the generator writes village after village), each an
// import, which keeps the villages' columns for the next threshold change.
// The households are generated on one goroutine while the previous chunk is
// written on another, so a national round uses both cores: generating a
// chunk costs about as much CPU as storing it. At most two chunks are held.
func generateInto(ctx context.Context, e *env, s *store.Store, eng *engine.Engine, round string, opts gen.Options, villages []string) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []*survey.Household, 1)
	var genErr error
	go func() {
		defer close(chunks)
		var buf []*survey.Household
		send := func() bool {
			select {
			case chunks <- buf:
				buf = make([]*survey.Household, 0, genChunk+1000)
				return true
			case <-ctx.Done():
				return false
			}
		}
		genErr = gen.Generate(opts, villages, func(h *survey.Household) bool {
			if len(buf) >= genChunk && buf[len(buf)-1].VillageCode != h.VillageCode && !send() {
				return false
			}
			buf = append(buf, gen.Clone(h))
			return true
		})
		if genErr == nil && len(buf) > 0 {
			send()
		}
	}()
	total := 0
	for buf := range chunks {
		if _, err := s.ImportHouseholds(ctx, eng, round, "tambon gen", nil, func(add func(*survey.Household) error) error {
			for _, h := range buf {
				if err := add(h); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			cancel()
			for range chunks { // let the generator stop
			}
			return total, err
		}
		total += len(buf)
		e.log.Debug("generated", "households", total)
	}
	if genErr != nil {
		return total, genErr
	}
	return total, ctx.Err()
}

// ratchaburiTargets are the published 2561 village figures the generator
// calibrates to.
func ratchaburiTargets() (map[string]gen.Target, error) {
	common, _, err := tpmap.Ratchaburi2561()
	if err != nil {
		return nil, err
	}
	return gen.TargetsFromTPMAP(common.Rows), nil
}
