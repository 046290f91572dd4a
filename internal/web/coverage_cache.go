package web

import (
	"context"
	"sort"
	"strings"
	"sync"

	"tambon/internal/area"
	"tambon/internal/store"
)

// coverCache keeps, per round, every tambon's share of the round (villages
// with data, households, review status) as read at one statistics
// generation. Reading them for the country scans every village row of the
// round (about 0.1–0.3 s on two busy cores, BenchmarkRoundCoverage), so it
// is done once per round and generation and every area, at any level, is
// then a slice of the sorted list.
type coverCache struct {
	mu      sync.Mutex
	byRound map[string]*coverEntry
}

type coverEntry struct {
	once   sync.Once
	gen    int64
	covers []store.TambonCover // in code order
	err    error
}

// tambonCovers lists the tambons holding data in a round under an area.
func (s *Server) tambonCovers(ctx context.Context, cs coverageStore, round, code string) ([]store.TambonCover, error) {
	gs, ok := s.store.(generationStore)
	if !ok || len(code) > 6 { // a village: one row, and its own count
		return cs.RoundCoverage(ctx, round, code)
	}
	gen, err := gs.StatsGeneration(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.covers
	c.mu.Lock()
	e := c.byRound[round]
	if (e == nil || e.gen != gen) && code != area.CountryCode {
		// Something changed since the country's list was read: the area's
		// own tambons cost a scan of its villages only, where the country's
		// would cost every village's. The country's list is read again
		// when the country is asked for.
		c.mu.Unlock()
		return cs.RoundCoverage(ctx, round, code)
	}
	if e == nil || e.gen != gen {
		e = &coverEntry{gen: gen}
		if c.byRound == nil {
			c.byRound = map[string]*coverEntry{}
		}
		c.byRound[round] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.covers, e.err = cs.RoundCoverage(context.WithoutCancel(ctx), round, area.CountryCode) })
	if e.err != nil {
		return nil, e.err
	}
	return coversUnder(e.covers, code), nil
}

// coversUnder slices the tambons in an area out of a sorted list.
func coversUnder(all []store.TambonCover, code string) []store.TambonCover {
	if code == area.CountryCode {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].Code >= code })
	hi := lo
	for hi < len(all) && strings.HasPrefix(all[hi].Code, code) {
		hi++
	}
	return all[lo:hi]
}
