package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/gen"
	"tambon/internal/store"
	"tambon/internal/village"
)

// The demo's กชช. 2ค rounds: 2560 and 2562, so the change view has a
// previous round.
var demoVillageRounds = []village.Round{
	{ID: "kcc2k-2560", SurveyYear: 2560, SetID: "kcc2k-2560-2564"},
	{ID: "kcc2k-2562", SurveyYear: 2562, SetID: "kcc2k-2560-2564"},
}

// seedDemoVillage gives every Ratchaburi village a plausible กชช. 2ค record
// in each demo round, generated from the village code (so every run makes
// the same data). A round already there is left as it is.
func seedDemoVillage(ctx context.Context, e *env, s *store.Store, tree *area.Tree) error {
	codes := gen.Villages(tree, "70")
	for i, rd := range demoVillageRounds {
		if _, err := s.VillageRound(ctx, rd.ID); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		start := time.Now()
		if err := s.CreateVillageRound(ctx, rd); err != nil {
			return err
		}
		stored, err := s.VillageRound(ctx, rd.ID)
		if err != nil {
			return err
		}
		set, err := village.ForRound(stored)
		if err != nil {
			return err
		}
		recs := make([]village.Record, 0, len(codes))
		for _, code := range codes {
			n, _ := strconv.ParseUint(code, 10, 64)
			// The village's standing is fixed by its code; each round adds
			// its own noise and, two years on, a little improvement.
			base := rand.New(rand.NewPCG(n, 2560)).Float64()*0.45 + 0.5
			r := rand.New(rand.NewPCG(n, uint64(rd.SurveyYear)))
			q := base + 0.06*float64(i) + r.NormFloat64()*0.04
			recs = append(recs, village.Record{Village: code, Answers: set.Synthetic(r, q)})
		}
		sum, err := s.WriteVillages(ctx, rd.ID, recs, "demo")
		if err != nil {
			return err
		}
		e.log.Info("demo: กชช. 2ค villages generated", "round", rd.ID, "villages", sum.Inserted, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
