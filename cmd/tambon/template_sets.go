package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/village"
)

// defaultDB is the database every command uses when neither --db nor
// TAMBON_DB names one.
const defaultDB = "tambon.db"

// setsDBFlag is --db for the commands that only read indicator sets (the
// templates): the sets come from the database when there is one — --db,
// TAMBON_DB, or tambon.db where it exists — and from the files built into
// tambon otherwise, or when --db "" asks for them.
func (e *env) setsDBFlag(fs *flag.FlagSet) *string {
	return fs.String("db", e.envOr("TAMBON_DB", defaultDB),
		`database whose indicator sets to use (env TAMBON_DB; default tambon.db when it exists, else the sets built into tambon; --db "" for those)`)
}

// setsDSN settles setsDBFlag's value after parsing: the default tambon.db
// only when that file exists.
func (e *env) setsDSN(fs *flag.FlagSet, dsn string) string {
	named := e.getenv("TAMBON_DB") != ""
	fs.Visit(func(f *flag.Flag) { named = named || f.Name == "db" })
	if !named && dsn == defaultDB {
		if _, err := os.Stat(dsn); err != nil {
			return ""
		}
	}
	return dsn
}

// templateSet returns the จปฐ. set whose questions are the household
// template's columns, and says which one it is: the version round is pinned
// to when a round is named, else the newest stored version of the set id,
// else (no database) the file built into tambon.
func (e *env) templateSet(ctx context.Context, dsn, id, round string) (*indicator.Set, string, error) {
	return findTemplateSet(ctx, e, dsn, id, round, setSource[*indicator.Set]{
		builtin: func(id string) (*indicator.Set, string, error) {
			set, err := indicator.Lookup(id)
			if err != nil {
				return nil, "", err
			}
			return set, set.ID, nil
		},
		ofRound: func(ctx context.Context, s *store.Store, round string) (*indicator.Set, string, int, error) {
			r, err := s.Round(ctx, round)
			if err != nil {
				return nil, "", 0, err
			}
			set, err := indicator.ForRound(r)
			return set, r.SetID, r.SetVersion, err
		},
		stored: (*store.Store).HouseholdSet,
	})
}

// templateVillageSet is templateSet for the กชช. 2ค template.
func (e *env) templateVillageSet(ctx context.Context, dsn, id, round string) (*village.Set, string, error) {
	return findTemplateSet(ctx, e, dsn, id, round, setSource[*village.Set]{
		builtin: func(id string) (*village.Set, string, error) {
			set, err := village.Lookup(id)
			if err != nil {
				return nil, "", err
			}
			return set, set.ID, nil
		},
		ofRound: func(ctx context.Context, s *store.Store, round string) (*village.Set, string, int, error) {
			r, err := s.VillageRound(ctx, round)
			if err != nil {
				return nil, "", 0, err
			}
			set, err := village.ForRound(r)
			return set, r.SetID, r.SetVersion, err
		},
		stored: (*store.Store).VillageSet,
	})
}

// setSource is where one kind of set (จปฐ. or กชช. 2ค) is found: built into
// tambon, pinned to a round, or the newest version stored.
type setSource[S any] struct {
	builtin func(id string) (S, string, error)
	ofRound func(ctx context.Context, s *store.Store, round string) (set S, id string, version int, err error)
	stored  func(s *store.Store, ctx context.Context, id string) (S, error)
}

// findTemplateSet is templateSet's rule for either kind of set.
func findTemplateSet[S any](ctx context.Context, e *env, dsn, id, round string, src setSource[S]) (S, string, error) {
	var none S
	if dsn == "" {
		if round != "" {
			return none, "", apperr.New(apperr.Invalid, apperr.T("--round ต้องใช้กับฐานข้อมูล (--db)", "--round needs a database (--db)"))
		}
		set, setID, err := src.builtin(id)
		if err != nil {
			return none, "", err
		}
		return set, fmt.Sprintf("%s as built into tambon (no database given: the file a new database stores as version 1)", setID), nil
	}
	s, _, err := e.openExisting(ctx, dsn)
	if err != nil {
		return none, "", err
	}
	defer s.Close()
	if round != "" {
		set, setID, version, err := src.ofRound(ctx, s, round)
		if err != nil {
			return none, "", err
		}
		return set, fmt.Sprintf("%s version %d, the version round %s is pinned to", setID, version, round), nil
	}
	v, _, err := s.SetVersion(ctx, id, 0)
	if err != nil {
		return none, "", err
	}
	set, err := src.stored(s, ctx, id)
	if err != nil {
		return none, "", err
	}
	return set, newestIn(v), nil
}

func newestIn(v store.SetVersion) string {
	return fmt.Sprintf("%s version %d, the newest in the database", v.ID, v.Version)
}
