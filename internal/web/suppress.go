package web

import (
	"context"

	"tambon/internal/engine"
)

// DefaultSmallCell is the public portal's small-cell threshold: counts from
// 1 to 4 are not shown to people who are not signed in.
const DefaultSmallCell = 5

// public reports whether the request comes from someone not signed in: they
// see the public portal, aggregates with small cells suppressed.
func public(ctx context.Context) bool { return userFrom(ctx) == nil }

// smallCell is the threshold in force.
func (s *Server) smallCell() int64 {
	if s.cfg.SmallCell > 0 {
		return int64(s.cfg.SmallCell)
	}
	return DefaultSmallCell
}

// areaTotals reads an area's statistics as the requester may see them.
func (s *Server) areaTotals(ctx context.Context, eng *engine.Engine, round, code string) (*engine.Totals, error) {
	t, err := s.publishedAreaTotals(ctx, eng, round, code)
	if err != nil || !public(ctx) {
		return t, err
	}
	t, _ = engine.Suppress(t, s.smallCell())
	return t, nil
}

// childTotals reads the statistics of an area's children as the requester
// may see them.
func (s *Server) childTotals(ctx context.Context, eng *engine.Engine, round, code string, childLen int) (map[string]*engine.Totals, error) {
	m, err := s.publishedChildTotals(ctx, eng, round, code, childLen)
	if err != nil || !public(ctx) {
		return m, err
	}
	for k, t := range m {
		m[k], _ = engine.Suppress(t, s.smallCell())
	}
	return m, nil
}
