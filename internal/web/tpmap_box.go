package web

import (
	"context"
	"fmt"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/tpmap"
)

// tpmapStore is what the TPMAP target-poor section needs from storage.
// *store.Store implements it.
type tpmapStore interface {
	TPMAPTargetPoor(ctx context.Context, areaCode string, year int) (tpmap.TargetPoor, bool, error)
	TPMAPYears(ctx context.Context, areaCode string) ([]int, error)
	TPMAPTargetPoorYear(ctx context.Context, year int) ([]tpmap.TargetPoor, error)
}

// tpFigure is one of TPMAP's published counts as the requester may see it:
// Hidden when the disclosure rule withholds it from the public (then N is 0).
type tpFigure struct {
	N      int64
	Hidden bool
}

// tpDim is one of TPMAP's five dimensions: the target poor deprived in it.
type tpDim struct {
	Key string // health, living, education, income, accessibility
	N   tpFigure
	Pct float64 // of the target poor, when both are shown
	Has bool    // Pct is shown
}

// tpInd is one จปฐ. indicator: the target poor failing it.
type tpInd struct {
	Number int
	Name   apperr.Text
	N      tpFigure
}

// tpmapView is TPMAP's published target poor of one area and TPMAP year, as
// the area page, report, Excel file and API show it.
type tpmapView struct {
	Year       int   // TPMAP year (BE)
	SurveyYear int   // the จปฐ. year it is built on: Year − 1
	Years      []int // every TPMAP year kept for the area, newest first
	Level      int   // tpmap.LevelCountry … LevelVillage
	Published  bool  // TPMAP published a row for the area (else: the sum of its rows below)
	Public     bool  // the figures are the public, suppressed ones
	AreaHidden bool  // the area is too small: nothing of it is shown

	Households, People                           tpFigure
	PoorHouseholds, Poor, Registered, TargetPoor tpFigure
	Rate                                         float64 // target poor per 100 people surveyed
	HasRate                                      bool
	Dimensions                                   []tpDim
	Indicators                                   []tpInd
}

// The figures of a TargetPoor in the order the disclosure rule sees them:
// each is a count of people (households for the first) out of the people
// (households) surveyed, like an indicator's failed count.
const (
	tpPoorHouseholds = iota
	tpPoor
	tpRegistered
	tpTargetPoor
	tpFirstDim
	tpFirstInd = tpFirstDim + 5
)

// tpTotals turns TPMAP's figures into statistics the disclosure rule
// (engine.Protect) reads: households, people, and one "failed" count per
// figure out of its base. Without a common file the people surveyed are not
// known; the poor by จปฐ. are then the base, which every count but the
// households is part of.
func tpTotals(t tpmap.TargetPoor) *engine.Totals {
	base := max(t.People, t.Poor)
	hh := max(t.Households, t.PoorHouseholds)
	out := &engine.Totals{Households: t.Households, People: t.People}
	add := func(b, n int64) { out.Indicators = append(out.Indicators, engine.Count{Eligible: b, Passed: b - n}) }
	add(hh, t.PoorHouseholds)
	add(base, t.Poor)
	add(base, t.Registered)
	add(base, t.TargetPoor)
	for _, n := range t.Dimensions {
		add(base, n)
	}
	for _, n := range t.Indicators {
		add(base, n)
	}
	return out
}

// tpmapProtections keeps each TPMAP year's suppression pattern for one
// statistics generation, as protections does for rounds.
type tpmapProtections struct {
	mu     sync.Mutex
	gen    int64
	byYear map[int]*engine.Protection
}

// tpmapProtection returns the suppression pattern of a TPMAP year, worked
// out over every area of the year at once, so that a village hidden as its
// tambon's child is hidden on its own page too.
func (s *Server) tpmapProtection(ctx context.Context, ts tpmapStore, year int) (*engine.Protection, error) {
	gen := int64(-1)
	gs, cacheable := s.store.(generationStore)
	if cacheable {
		g, err := gs.StatsGeneration(ctx)
		if err != nil {
			return nil, err
		}
		gen = g
	}
	pc := &s.tpmapProt
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if cacheable && pc.gen == gen && pc.byYear[year] != nil {
		return pc.byYear[year], nil
	}
	rows, err := ts.TPMAPTargetPoorYear(ctx, year)
	if err != nil {
		return nil, err
	}
	all := make(map[string]*engine.Totals, len(rows))
	for _, r := range rows {
		all[r.Code] = tpTotals(r)
	}
	p := engine.Protect(all, s.smallCell())
	if cacheable {
		if pc.gen != gen || pc.byYear == nil {
			pc.gen, pc.byYear = gen, map[int]*engine.Protection{}
		}
		pc.byYear[year] = p
	}
	return p, nil
}

// tpmapFor reads TPMAP's target poor of an area for a TPMAP year (0: the
// newest kept for it), as the requester may see it. It returns nil when the
// store keeps no TPMAP figures for the area.
func (s *Server) tpmapFor(ctx context.Context, code string, year int) (*tpmapView, error) {
	ts, ok := s.store.(tpmapStore)
	if !ok {
		return nil, nil
	}
	years, err := ts.TPMAPYears(ctx, code)
	if err != nil || len(years) == 0 {
		return nil, err
	}
	if year == 0 {
		year = years[0]
	}
	t, ok, err := ts.TPMAPTargetPoor(ctx, code, year)
	if err != nil || !ok {
		return nil, err
	}
	var w *engine.Withheld
	pub := public(ctx) && s.smallCell() > 1
	if pub {
		p, err := s.tpmapProtection(ctx, ts, year)
		if err != nil {
			return nil, err
		}
		w = p.Withheld(code)
	}
	return tpmapViewOf(t, years, w, pub), nil
}

// tpmapViewOf applies what the disclosure rule withholds (w, nil when
// nothing) to an area's figures.
func tpmapViewOf(t tpmap.TargetPoor, years []int, w *engine.Withheld, pub bool) *tpmapView {
	v := &tpmapView{Year: t.Year, SurveyYear: tpmap.SurveyYear(t.Year), Years: years, Level: t.Level,
		Published: t.Published, Public: pub}
	fig := func(i int, n int64) tpFigure {
		if w != nil && (w.Area || i < len(w.Indicators) && w.Indicators[i]) {
			return tpFigure{Hidden: true}
		}
		return tpFigure{N: n}
	}
	if w != nil {
		v.AreaHidden = w.Area
		v.Households = tpFigure{N: t.Households, Hidden: w.Households}
		v.People = tpFigure{N: t.People, Hidden: w.People}
		if w.Households {
			v.Households.N = 0
		}
		if w.People {
			v.People.N = 0
		}
	} else {
		v.Households, v.People = tpFigure{N: t.Households}, tpFigure{N: t.People}
	}
	v.PoorHouseholds = fig(tpPoorHouseholds, t.PoorHouseholds)
	v.Poor = fig(tpPoor, t.Poor)
	v.Registered = fig(tpRegistered, t.Registered)
	v.TargetPoor = fig(tpTargetPoor, t.TargetPoor)
	v.HasRate = !v.TargetPoor.Hidden && !v.People.Hidden && t.People > 0
	if v.HasRate {
		v.Rate = t.Rate
	}
	for k, n := range t.Dimensions {
		d := tpDim{Key: tpmap.Dimensions[k], N: fig(tpFirstDim+k, n)}
		if !d.N.Hidden && !v.TargetPoor.Hidden && t.TargetPoor > 0 {
			d.Pct, d.Has = float64(n)/float64(t.TargetPoor)*100, true
		}
		v.Dimensions = append(v.Dimensions, d)
	}
	set := tpmapSetOf(t.Year)
	for i, n := range t.Indicators {
		ind := tpInd{Number: i + 1, N: fig(tpFirstInd+i, n)}
		if set != nil && i < len(set.Indicators) {
			ind.Number, ind.Name = set.Indicators[i].Number, set.Indicators[i].Name
		}
		v.Indicators = append(v.Indicators, ind)
	}
	return v
}

// tpmapSetOf is the built-in จปฐ. set TPMAP year y is built on (the survey
// of y−1), for the indicators' names; nil when tambon has none.
func tpmapSetOf(y int) *indicator.Set {
	for _, set := range indicator.Sets() {
		if sy := tpmap.SurveyYear(y); set.PeriodFrom <= sy && sy <= set.PeriodTo {
			return set
		}
	}
	return nil
}

// OtherYears are the TPMAP years kept for the area besides the one shown.
func (v *tpmapView) OtherYears() []int {
	var out []int
	for _, y := range v.Years {
		if y != v.Year {
			out = append(out, y)
		}
	}
	return out
}

// TopIndicators are the five indicators most target poor fail, shown ones
// only, most first.
func (v *tpmapView) TopIndicators() []tpInd {
	var out []tpInd
	for _, ind := range v.Indicators {
		if ind.N.Hidden || ind.N.N == 0 {
			continue
		}
		i := len(out)
		for i > 0 && out[i-1].N.N < ind.N.N {
			i--
		}
		out = append(out[:i], append([]tpInd{ind}, out[i:]...)...)
		if len(out) > 5 {
			out = out[:5]
		}
	}
	return out
}

// dimKey is the locale key of a dimension's name.
func dimKey(key string) string { return fmt.Sprintf("tpmap.dim.%s", key) }

func init() { funcs["dimKey"] = dimKey }
