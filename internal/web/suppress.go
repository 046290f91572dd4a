package web

import (
	"context"
	"strings"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/user"
)

// DefaultSmallCell is the public portal's small-cell threshold: counts from
// 1 to 4 are not shown to people who may not open household records.
const DefaultSmallCell = 5

// public reports whether the request must see the public, suppressed
// figures: everybody but the roles that may open household records
// (user.ViewHouseholds), who see exact counts. A viewer or a partner
// organisation's account sees what a signed-out visitor sees.
func public(ctx context.Context) bool {
	u := userFrom(ctx)
	return u == nil || !u.Can(user.ViewHouseholds)
}

// smallCell is the threshold in force.
func (s *Server) smallCell() int64 {
	if s.cfg.SmallCell > 0 {
		return int64(s.cfg.SmallCell)
	}
	return DefaultSmallCell
}

// allTotalsStore reads every area's statistics of a round at once: the
// suppression pattern is decided over the whole tree.
type allTotalsStore interface {
	AllTotals(ctx context.Context, eng *engine.Engine, round string) (map[string]*engine.Totals, error)
}

// protections keeps each round's suppression pattern for one statistics
// generation: it is worked out once, on the first public read after a
// change, and every page, export and API answer of that generation applies
// the same one.
type protections struct {
	mu      sync.Mutex // held while a pattern is worked out: one at a time
	gen     int64
	byRound map[string]*engine.Protection
}

// errNoAllTotals: a store that cannot read a whole round cannot be
// published from safely.
var errNoAllTotals = apperr.New(apperr.Internal, apperr.T(
	"ที่เก็บข้อมูลนี้อ่านสถิติทั้งรอบไม่ได้ จึงเผยแพร่ตัวเลขอย่างปลอดภัยไม่ได้",
	"this store cannot read a whole round's statistics, so figures cannot be published safely"))

// protection returns the suppression pattern of a round.
func (s *Server) protection(ctx context.Context, eng *engine.Engine, round string) (*engine.Protection, error) {
	gen := int64(-1)
	gs, cacheable := s.store.(generationStore)
	if cacheable {
		g, err := gs.StatsGeneration(ctx)
		if err != nil {
			return nil, err
		}
		gen = g
	}
	s.prot.mu.Lock()
	defer s.prot.mu.Unlock()
	if cacheable && s.prot.gen == gen && s.prot.byRound[round] != nil {
		return s.prot.byRound[round], nil
	}
	as, ok := s.store.(allTotalsStore)
	if !ok {
		return nil, errNoAllTotals
	}
	all, err := as.AllTotals(ctx, eng, round)
	if err != nil {
		return nil, err
	}
	if all, err = s.publishedTree(ctx, eng, round, all); err != nil {
		return nil, err
	}
	p := engine.Protect(all, s.smallCell())
	if cacheable {
		if s.prot.gen != gen || s.prot.byRound == nil {
			s.prot.gen, s.prot.byRound = gen, map[string]*engine.Protection{}
		}
		s.prot.byRound[round] = p
	}
	return p, nil
}

// publishedTree is a round's statistics as the public reads them: when
// only certified tambons are published (Config.Publish), every level is the
// sum of the certified tambons' villages, and the pattern must protect the
// sums the public sees, not the whole round's.
func (s *Server) publishedTree(ctx context.Context, eng *engine.Engine, round string, all map[string]*engine.Totals) (map[string]*engine.Totals, error) {
	if s.cfg.Publish != PublishCertified {
		return all, nil
	}
	hidden, _, err := s.uncertified(ctx, round, "TH")
	if err != nil || len(hidden) == 0 {
		return all, err
	}
	out := map[string]*engine.Totals{}
	for code, t := range all {
		if len(code) != 8 {
			continue
		}
		left := false
		for _, h := range hidden {
			left = left || strings.HasPrefix(code, h.Code)
		}
		if !left {
			out[code] = t
		}
	}
	return engine.RollUp(out, eng.NewTotals), nil
}

// areaTotals reads an area's statistics as the requester may see them.
func (s *Server) areaTotals(ctx context.Context, eng *engine.Engine, round, code string) (*engine.Totals, error) {
	t, err := s.publishedAreaTotals(ctx, eng, round, code)
	if err != nil || !public(ctx) || s.smallCell() <= 1 {
		return t, err
	}
	p, err := s.protection(ctx, eng, round)
	if err != nil {
		return nil, err
	}
	return p.Apply(code, t), nil
}

// childTotals reads the statistics of an area's children as the requester
// may see them.
func (s *Server) childTotals(ctx context.Context, eng *engine.Engine, round, code string, childLen int) (map[string]*engine.Totals, error) {
	m, err := s.publishedChildTotals(ctx, eng, round, code, childLen)
	if err != nil || !public(ctx) || s.smallCell() <= 1 {
		return m, err
	}
	p, err := s.protection(ctx, eng, round)
	if err != nil {
		return nil, err
	}
	for k, t := range m {
		m[k] = p.Apply(k, t)
	}
	return m, nil
}

// poverty computes the MPI of an area at cut-off k (the measure's own when
// zero) and says which figures may be shown: on public totals only the
// measure's own cut-off is computed, with what would reveal a small count
// withheld (engine.PublicPoverty).
func poverty(t *engine.Totals, k mpi.Frac) (mpi.Result, engine.PovertyShown, bool) {
	if t == nil || t.Poverty == nil || t.Poverty.N == 0 {
		return mpi.Result{}, engine.PovertyShown{}, false
	}
	if t.Withheld != nil || k.IsZero() || k == t.Poverty.Index().K() {
		return engine.PublicPoverty(t)
	}
	res, err := engine.Poverty(t, k)
	if err != nil {
		return mpi.Result{}, engine.PovertyShown{}, false
	}
	_, shown, _ := engine.PublicPoverty(t)
	return res, shown, true
}

// Below is the small-cell threshold, for pages that explain what they hide.
func (v view) Below() int64 { return v.srv.smallCell() }
