package web

import (
	"context"

	"tambon/internal/indicator"
	"tambon/internal/village"
)

// setSource is where the indicator sets come from: the database, which keeps
// every version (*store.Store implements it). A store without it (a test's
// fake) falls back to the sets built into the binary, which are version 1 of
// every stored set.
type setSource interface {
	HouseholdSets(ctx context.Context) ([]*indicator.Set, error)
	VillageSets(ctx context.Context) ([]*village.Set, error)
	HouseholdSet(ctx context.Context, id string) (*indicator.Set, error)
}

// householdSets returns the newest version of every จปฐ. set.
func (s *Server) householdSets(ctx context.Context) ([]*indicator.Set, error) {
	if ss, ok := s.store.(setSource); ok {
		return ss.HouseholdSets(ctx)
	}
	return indicator.Sets(), nil
}

// villageSets returns the newest version of every กชช. 2ค set.
func (s *Server) villageSets(ctx context.Context) ([]*village.Set, error) {
	if ss, ok := s.store.(setSource); ok {
		return ss.VillageSets(ctx)
	}
	return village.Sets(), nil
}

// householdSet returns the newest version of a จปฐ. set.
func (s *Server) householdSet(ctx context.Context, id string) (*indicator.Set, error) {
	if ss, ok := s.store.(setSource); ok {
		return ss.HouseholdSet(ctx, id)
	}
	return indicator.Lookup(id)
}
