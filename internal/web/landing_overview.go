package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// dataOverview is the public home page's answer to "where are there data?":
// the provinces whose figures tambon publishes, each as its own public page
// shows it (the newest round with data, its coverage and certification),
// and the country's map as /areas/TH draws it. It adds nothing the public
// pages do not already show: every figure comes through the same
// suppressed, certified-only reads (profile.go, suppress.go, coverage.go).
type dataOverview struct {
	Provinces []dataProvince
	Others    int             // provinces with nothing published here
	HasData   map[string]bool // province code → published data
	Map       *mapView
}

// dataProvince is one province with published data.
type dataProvince struct {
	Area  area.Area
	Round survey.Round
	Cover coverage
}

// overviewCache keeps the overview per statistics generation, language and
// publishing view: it reads every round's province totals, which the home
// page must not do on every visit.
type overviewCache struct {
	mu      sync.Mutex
	entries map[string]*dataOverview
	gen     int64 // the country's generation the entries were built at
	// work keeps each area's round completeness for the home pages
	// (landing.go), each at its area's generation: a province's costs a
	// scan of its households. Keyed by round and area.
	work map[string]cachedCompleteness
}

type cachedCompleteness struct {
	gen int64
	c   store.Completeness
}

// maxCachedWork bounds the completeness counts kept: one per area whose
// accounts opened their home page.
const maxCachedWork = 2000

// cachedWork returns a round's completeness under an area, read once per
// generation of the area: every household write in it (drafts included)
// bumps it, and writes elsewhere leave it. Submissions waiting for review
// do not, so callers count them afresh.
func (s *Server) cachedWork(ctx context.Context, cs completenessStore, round, code string) (store.Completeness, error) {
	gs, ok := s.store.(generationStore)
	if !ok {
		return cs.RoundCompleteness(ctx, round, code)
	}
	gen, err := gs.AreaGeneration(ctx, code)
	if err != nil {
		return cs.RoundCompleteness(ctx, round, code)
	}
	key := round + "|" + code
	c := &s.landing
	c.mu.Lock()
	if w, ok := c.work[key]; ok && w.gen == gen {
		c.mu.Unlock()
		return w.c, nil
	}
	c.mu.Unlock()
	w, err := cs.RoundCompleteness(ctx, round, code)
	if err != nil {
		return w, err
	}
	c.mu.Lock()
	if c.work == nil || len(c.work) >= maxCachedWork {
		c.work = map[string]cachedCompleteness{}
	}
	c.work[key] = cachedCompleteness{gen: gen, c: w}
	c.mu.Unlock()
	return w, nil
}

func (s *Server) overview(r *http.Request) *dataOverview {
	ctx := r.Context()
	lang := langFrom(ctx)
	key := lang + "|" + strconv.FormatBool(public(ctx)) + "|" + strconv.FormatBool(s.hideUncertified(ctx))
	gs, cacheable := s.store.(generationStore)
	var gen int64
	if cacheable {
		var err error
		if gen, err = gs.StatsGeneration(ctx); err != nil {
			cacheable = false
		}
	}
	c := &s.landing
	if cacheable {
		c.mu.Lock()
		if c.gen == gen && c.entries[key] != nil {
			o := c.entries[key]
			c.mu.Unlock()
			return o
		}
		c.mu.Unlock()
	}
	o, err := s.buildOverview(r)
	if err != nil {
		s.log.Warn("home: where data are", "err", err)
		return nil
	}
	if cacheable {
		c.mu.Lock()
		if c.gen != gen {
			c.entries, c.gen = nil, gen
		}
		if c.entries == nil {
			c.entries = map[string]*dataOverview{}
		}
		c.entries[key] = o
		c.mu.Unlock()
	}
	return o
}

func (s *Server) buildOverview(r *http.Request) (*dataOverview, error) {
	ctx := r.Context()
	country, _ := s.areas.Get(area.CountryCode)
	p, err := s.loadProfile(ctx, country, "", true)
	if err != nil {
		return nil, err
	}
	o := &dataOverview{HasData: map[string]bool{}}
	for _, c := range p.Children {
		if c.HasData {
			o.HasData[c.Area.Code] = true
		}
	}
	if p.HasRound {
		if o.Map, err = s.childMap(r, p, "below"); err != nil {
			return nil, err
		}
	}
	// Provinces with data only in other rounds than the country's newest.
	for _, rd := range p.Rounds {
		if rd.ID == p.Round.ID {
			continue
		}
		if err := s.markProvinces(ctx, rd, o.HasData); err != nil {
			return nil, err
		}
	}
	for _, prov := range s.areas.Children(area.CountryCode) {
		if !o.HasData[prov.Code] {
			o.Others++
			continue
		}
		pp, err := s.loadProfile(ctx, prov, "", false)
		if err != nil {
			return nil, err
		}
		if !pp.HasRound {
			delete(o.HasData, prov.Code)
			o.Others++
			continue
		}
		o.Provinces = append(o.Provinces, dataProvince{Area: prov, Round: pp.Round, Cover: pp.Cover})
	}
	return o, nil
}

// markProvinces marks the provinces with published figures in a round.
func (s *Server) markProvinces(ctx context.Context, rd survey.Round, has map[string]bool) error {
	eng, err := engine.ForRound(rd)
	if err != nil {
		return nil // a round judged by a set this build does not know
	}
	kids, err := s.childTotals(ctx, eng, rd.ID, area.CountryCode, 2)
	if err != nil {
		return err
	}
	for code, t := range kids {
		if hasData(t) {
			has[code] = true
		}
	}
	return nil
}
