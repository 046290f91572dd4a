package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// setFor picks the built-in indicator set whose plan period covers a survey
// year (BE).
func setFor(year int) (*indicator.Set, error) {
	for _, s := range indicator.Sets() {
		if year >= s.PeriodFrom && year <= s.PeriodTo {
			return s, nil
		}
	}
	return nil, apperr.New(apperr.Invalid, apperr.Tf(
		"ไม่มีชุดตัวชี้วัดสำหรับปี %d: ระบุ --set", "no indicator set covers the year %d: give --set", year))
}

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
	if *year < 2500 || *year > 2700 {
		return apperr.New(apperr.Invalid, apperr.Tf("--year ต้องเป็นปี พ.ศ. เช่น 2564 (ได้ %d)", "--year must be a Buddhist Era year such as 2564 (got %d)", *year))
	}
	var set *indicator.Set
	var err error
	if *setID != "" {
		set, err = indicator.Lookup(*setID)
	} else {
		set, err = setFor(*year)
	}
	if err != nil {
		return err
	}
	if *id == "" {
		*id = fmt.Sprintf("bmn-%d", *year)
	}
	s, _, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	r := survey.Round{ID: *id, Kind: survey.KindBMN, SurveyYear: *year, SetID: set.ID}
	if err := s.CreateRound(ctx, r); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created round %s: จปฐ. %d (describes %d), indicator set %s\n", r.ID, r.SurveyYear, r.ReferenceYear(), set.ID)
	return nil
}

func cmdRounds(ctx context.Context, e *env, args []string) error {
	fs := e.flags("rounds", "rounds [--db …]")
	dsn := e.dbFlag(fs, "tambon.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	rs, err := s.Rounds(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROUND\tYEAR\tSET\tHOUSEHOLDS\tSOURCE")
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

// mustSet returns a built-in indicator set that is known to exist.
func mustSet(id string) *indicator.Set {
	s, err := indicator.Lookup(id)
	if err != nil {
		panic(err)
	}
	return s
}
