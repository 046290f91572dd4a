package web

import (
	"context"
	"strings"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// Publish says whose figures signed-out visitors and the public API see.
type Publish string

// The publishing settings (serve --publish, TAMBON_PUBLISH).
const (
	// PublishAll shows every tambon's figures, those not yet certified by
	// the province marked provisional ("ยังไม่รับรอง").
	PublishAll Publish = "all"
	// PublishCertified shows the public only tambons the province has
	// certified; the others are left out of every public figure and the
	// coverage says so. Signed-in staff still see everything.
	PublishCertified Publish = "certified"
)

// The status of an area's figures in the API and on pages.
const (
	statusCertified   = "certified"   // every tambon under the area certified
	statusProvisional = "provisional" // some tambon not (yet) certified
	statusPublished   = "published"   // published aggregates (TPMAP): no review here
)

// coverageStore is what coverage and certification need from storage.
// *store.Store implements it; without it figures carry no coverage.
type coverageStore interface {
	RoundCoverage(ctx context.Context, round, code string) ([]store.TambonCover, error)
	SumTotals(ctx context.Context, eng *engine.Engine, round string, codes []string) (*engine.Totals, error)
}

// coverage is how much of an area a round's figures stand on, and how far
// they are certified: what every published figure says beside it.
type coverage struct {
	Known              bool  // false when the store cannot tell
	Villages           int   // villages of the area in the register
	VillagesWithData   int   // of them, villages whose households are in the figures
	Households         int64 // households in the figures
	HouseholdsWithheld bool  // the public may not see the area's household count
	HouseholdsExpected int64 // the previous round's households when it covered every village; 0 when not known
	Tambons            int   // tambons in the figures
	Certified          int   // of them, certified by the province
	Hidden             int   // uncertified tambons left out of public figures
	HiddenVillages     int   // their villages with data
	Aggregate          bool  // published aggregates: there is no review to speak of
}

// Partial reports whether some village of the area is missing from the figures.
func (c coverage) Partial() bool { return c.Known && c.VillagesWithData < c.Villages }

// Status is "certified", "provisional" or, for published aggregates, "published".
func (c coverage) Status() string {
	switch {
	case c.Aggregate:
		return statusPublished
	case c.Certified < c.Tambons:
		return statusProvisional
	}
	return statusCertified
}

// Provisional reports whether the figures include a tambon not certified.
func (c coverage) Provisional() bool { return c.Status() == statusProvisional }

// hideUncertified reports whether this request sees only certified tambons.
func (s *Server) hideUncertified(ctx context.Context) bool {
	return s.cfg.Publish == PublishCertified && public(ctx)
}

// aggregateRound reports whether a round holds published aggregates.
func (s *Server) aggregateRound(ctx context.Context, round string) (bool, error) {
	r, err := s.store.Round(ctx, round)
	if err != nil {
		return false, err
	}
	return r.AggregateOnly, nil
}

// uncertified lists, of the tambons holding data under code, those the
// request may not see and those it may. Both are empty when nothing is hidden.
func (s *Server) uncertified(ctx context.Context, round, code string) (hidden, shown []store.TambonCover, err error) {
	cs, ok := s.store.(coverageStore)
	if !ok || !s.hideUncertified(ctx) {
		return nil, nil, nil
	}
	if agg, err := s.aggregateRound(ctx, round); err != nil || agg {
		return nil, nil, err
	}
	covers, err := s.tambonCovers(ctx, cs, round, code)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range covers {
		if c.Status == survey.StatusCertified {
			shown = append(shown, c)
		} else {
			hidden = append(hidden, c)
		}
	}
	if len(hidden) == 0 {
		return nil, nil, nil
	}
	return hidden, shown, nil
}

// publishedAreaTotals is an area's statistics without the tambons the
// request may not see: the whole when none is hidden, else the smaller of
// "the whole less the hidden tambons" and "the sum of the shown ones".
func (s *Server) publishedAreaTotals(ctx context.Context, eng *engine.Engine, round, code string) (*engine.Totals, error) {
	hidden, shown, err := s.uncertified(ctx, round, code)
	if err != nil {
		return nil, err
	}
	if len(hidden) == 0 {
		return s.store.AreaTotals(ctx, eng, round, code)
	}
	return s.withoutHidden(ctx, eng, round, code, hidden, shown)
}

func (s *Server) withoutHidden(ctx context.Context, eng *engine.Engine, round, code string, hidden, shown []store.TambonCover) (*engine.Totals, error) {
	cs := s.store.(coverageStore)
	if len(shown) == 0 {
		return eng.NewTotals(), nil
	}
	if len(shown) <= len(hidden) {
		return cs.SumTotals(ctx, eng, round, codesOf(shown))
	}
	t, err := s.store.AreaTotals(ctx, eng, round, code)
	if err != nil {
		return nil, err
	}
	h, err := cs.SumTotals(ctx, eng, round, codesOf(hidden))
	if err != nil {
		return nil, err
	}
	t.Sub(h)
	return t, nil
}

// publishedChildTotals is ChildTotals without the tambons the request may
// not see: a child holding only hidden tambons has no figures.
func (s *Server) publishedChildTotals(ctx context.Context, eng *engine.Engine, round, code string, childLen int) (map[string]*engine.Totals, error) {
	m, err := s.store.ChildTotals(ctx, eng, round, code, childLen)
	if err != nil {
		return nil, err
	}
	hidden, shown, err := s.uncertified(ctx, round, code)
	if err != nil || len(hidden) == 0 {
		return m, err
	}
	for k := range m {
		var h, sh []store.TambonCover
		for _, c := range hidden {
			if within(c.Code, k) {
				h = append(h, c)
			}
		}
		if len(h) == 0 {
			continue
		}
		for _, c := range shown {
			if within(c.Code, k) {
				sh = append(sh, c)
			}
		}
		if len(sh) == 0 {
			delete(m, k)
			continue
		}
		if m[k], err = s.withoutHidden(ctx, eng, round, k, h, sh); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// within reports whether a tambon and an area overlap: the tambon lies in
// the area, or the area (a village) lies in the tambon.
func within(tambon, code string) bool {
	return strings.HasPrefix(tambon, code) || strings.HasPrefix(code, tambon)
}

func codesOf(cs []store.TambonCover) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

// coverageOf measures the figures a profile shows: villages and households
// in them out of the register's, tambons certified out of those counted,
// and the uncertified tambons left out for this request.
func (s *Server) coverageOf(ctx context.Context, p *profile) (coverage, error) {
	cs, ok := s.store.(coverageStore)
	if !ok || !p.HasRound {
		return coverage{}, nil
	}
	c, err := s.coverageIn(ctx, cs, p.Round, p.Area.Code)
	if err != nil {
		return c, err
	}
	if p.HasPrev {
		prev, err := s.coverageIn(ctx, cs, p.Prev, p.Area.Code)
		if err != nil {
			return c, err
		}
		if prev.VillagesWithData >= prev.Villages && prev.Villages > 0 {
			c.HouseholdsExpected = prev.Households
		}
	}
	// Counts the public may not see are not repeated here.
	if public(ctx) {
		if p.Report.HouseholdsWithheld { // a small count, or one that would reveal one (suppress.go)
			c.Households, c.HouseholdsWithheld = 0, true
		}
		if c.HouseholdsExpected < s.smallCell() {
			c.HouseholdsExpected = 0
		}
		if c.HouseholdsExpected > 0 { // the previous round's count, as public as that round's page makes it
			prev, err := s.totalsAs(ctx, p.Eng, p.Prev, p.Area.Code)
			if err != nil {
				return c, err
			}
			if prev.Withheld != nil && prev.Withheld.Households {
				c.HouseholdsExpected = 0
			}
		}
	}
	return c, nil
}

func (s *Server) coverageIn(ctx context.Context, cs coverageStore, r survey.Round, code string) (coverage, error) {
	covers, err := s.tambonCovers(ctx, cs, r.ID, code)
	if err != nil {
		return coverage{}, err
	}
	c := coverage{Known: true, Villages: s.areas.Villages(code), Aggregate: r.AggregateOnly}
	hide := !r.AggregateOnly && s.hideUncertified(ctx)
	for _, t := range covers {
		certified := t.Status == survey.StatusCertified
		if hide && !certified {
			c.Hidden++
			c.HiddenVillages += t.Villages
			continue
		}
		c.Tambons++
		c.VillagesWithData += t.Villages
		c.Households += t.Households
		if certified || r.AggregateOnly {
			c.Certified++
		}
	}
	// Villages a source added to the register after the tree was built
	// still count as villages of the area.
	c.Villages = max(c.Villages, c.VillagesWithData+c.HiddenVillages)
	return c, nil
}

// unpublished counts, in the newest round holding any, the tambons under an
// area whose data the request may not see because they are not certified:
// what a page with nothing to show says instead of "no data".
func (s *Server) unpublished(ctx context.Context, rounds []survey.Round, code string) (int, error) {
	if !s.hideUncertified(ctx) {
		return 0, nil
	}
	for _, r := range rounds {
		if r.AggregateOnly {
			continue
		}
		hidden, _, err := s.uncertified(ctx, r.ID, code)
		if err != nil {
			return 0, err
		}
		if len(hidden) > 0 {
			return len(hidden), nil
		}
	}
	return 0, nil
}
