package main

import (
	"context"
	"fmt"

	"tambon/internal/engine"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// roundEngine loads a round and the engine that judges its households.
func roundEngine(ctx context.Context, s *store.Store, id string) (survey.Round, *engine.Engine, error) {
	r, err := s.Round(ctx, id)
	if err != nil {
		return r, nil, err
	}
	eng, err := engine.ForRound(r)
	return r, eng, err
}

func cmdRound(ctx context.Context, e *env, args []string) error {
	fs := e.flags("round", "round --id ID --year BE [--set SET] [--db …]   (creates a จปฐ. survey round)")
	dsn := e.dbFlag(fs, "tambon.db")
	id := fs.String("id", "", "round id, e.g. bmn-2564 (default bmn-YEAR)")
	year := fs.Int("year", 0, "survey year in พ.ศ., e.g. 2564")
	setID := fs.String("set", "", "indicator set id (default: the set whose period covers the year)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	sets, err := s.HouseholdSets(ctx)
	if err != nil {
		return err
	}
	r, err := rounds.Household(*id, *year, *setID, sets)
	if err != nil {
		return err
	}
	if err := s.CreateRound(ctx, r); err != nil {
		return err
	}
	if r, err = s.Round(ctx, r.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created round %s: จปฐ. %d (describes %d), indicator set %s version %d\n", r.ID, r.SurveyYear, r.ReferenceYear(), r.SetID, r.SetVersion)
	return s.Audit(ctx, store.AuditEntry{User: e.envOr("USER", "cli"), Action: rounds.AuditHousehold, Object: rounds.AuditHouseholdObject + r.ID,
		Detail: rounds.AuditDetail(r.SurveyYear, r.SetID)})
}

func cmdRounds(ctx context.Context, e *env, args []string) error {
	fs := e.flags("rounds", "rounds [--db …]")
	dsn := e.dbFlag(fs, "tambon.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openReading(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	rs, err := s.Rounds(ctx)
	if err != nil {
		return err
	}
	tw := e.table("ROUND", "YEAR", "SET", "HOUSEHOLDS", "SOURCE")
	for _, r := range rs {
		n, _ := s.CountHouseholds(ctx, r.ID, "TH")
		kind := fmt.Sprint(n)
		if r.AggregateOnly {
			kind = "aggregates only"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", r.ID, r.SurveyYear, r.SetID, kind, r.Source)
	}
	return tw.Flush()
}
