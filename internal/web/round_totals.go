package web

import (
	"context"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// The figures of a round are compared with those of an earlier round of the
// same set, which may be pinned to another version of it (a province's
// local indicator added since): the earlier round's statistics are read
// with its own version and lined up with the current one by indicator code.

// engineFor returns the engine that reads round r's stored figures: eng when
// r is judged by the same set file, else r's own.
func engineFor(eng *engine.Engine, r survey.Round) (*engine.Engine, error) {
	if r.SetDigest == "" || r.SetDigest == eng.Set().Digest() {
		return eng, nil
	}
	return engine.ForRound(r)
}

// totalsAs reads round r's figures for an area, as the requester may see
// them, laid out in the indicator order of eng's set.
func (s *Server) totalsAs(ctx context.Context, eng *engine.Engine, r survey.Round, code string) (*engine.Totals, error) {
	own, err := engineFor(eng, r)
	if err != nil {
		return nil, err
	}
	t, err := s.areaTotals(ctx, own, r.ID, code)
	if err != nil {
		return nil, err
	}
	return engine.Align(t, own.Set(), eng.Set()), nil
}

// childTotalsAs is totalsAs for every child area of code.
func (s *Server) childTotalsAs(ctx context.Context, eng *engine.Engine, r survey.Round, code string, childLen int) (map[string]*engine.Totals, error) {
	own, err := engineFor(eng, r)
	if err != nil {
		return nil, err
	}
	m, err := s.childTotals(ctx, own, r.ID, code, childLen)
	if err != nil {
		return nil, err
	}
	for k, t := range m {
		m[k] = engine.Align(t, own.Set(), eng.Set())
	}
	return m, nil
}
