package web

import (
	"context"
	"net/url"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// profile is one area's จปฐ. figures in one round: what the area page, the
// printable report, the Excel exports and the JSON API all show. It is built
// from two or three statistics reads (the area, its previous round, its
// children in one query), never one query per child.
type profile struct {
	Area      area.Area
	Ancestors []area.Area
	Rounds    []survey.Round // every round, newest first
	HasRound  bool           // false when no round holds data for the area
	// RoundAsked is set when the request named the round; otherwise the
	// page shows the newest round with data for the area.
	RoundAsked bool
	Round      survey.Round
	HasPrev    bool
	Prev       survey.Round
	Eng        *engine.Engine
	Totals     *engine.Totals
	Targets    map[string]float64 // % passing aimed at, by indicator code; 100 when absent
	Report     engine.Report
	Problems   []engine.IndicatorResult
	HasMPI     bool
	MPI        mpi.Result
	// MPIShown says which MPI figures may be shown (all of them to roles
	// that see exact counts); MPIWithheld is set when the round keeps MPI
	// counts but the area is too small to show any.
	MPIShown    engine.PovertyShown
	MPIWithheld bool
	// Public: the figures are the public, suppressed ones (suppress.go).
	Public   bool
	Children []childStat
	// ChildHasMPI is set when any child has poverty figures.
	ChildHasMPI bool
	// Cover is how many villages and certified tambons the figures stand on.
	Cover coverage
	// Unpublished counts the uncertified tambons kept from the public when
	// nothing of the area may be shown (coverage.go).
	Unpublished int
}

// childStat is one child area's line in the comparison table and its value
// on the map.
type childStat struct {
	Area      area.Area
	Children  int // its own sub-areas
	HasData   bool
	Totals    *engine.Totals
	Report    engine.Report
	Assessed  int     // indicators with anybody surveyed
	Below     int     // indicators below target
	HasMPI    bool    // H may be shown
	HiddenMPI bool    // the child has MPI counts but its H is withheld from the public
	H, M0     float64 // MPI at the index's own k, as fractions (M0 0 when withheld)
	M0Shown   bool
	HasPrev   bool
	PrevTotal *engine.Totals
}

// hasData reports whether a round holds any figure for an area.
func hasData(t *engine.Totals) bool {
	if t == nil {
		return false
	}
	if t.Households > 0 || t.People > 0 || t.Withheld != nil && t.Withheld.Area {
		return true
	}
	for _, c := range t.Indicators {
		if c.Eligible > 0 {
			return true
		}
	}
	return false
}

// childLen is the code length of an area's children (0 for a village).
func childLen(a area.Area) int {
	switch a.Level {
	case area.Country:
		return 2
	case area.Province:
		return 4
	case area.District:
		return 6
	case area.Subdistrict:
		return 8
	}
	return 0
}

// pickRound settles the round a page shows: the one asked for, else the
// newest round with data for the area. It returns false when no round has
// any (a fresh install, or an area nobody surveyed).
func (s *Server) pickRound(ctx context.Context, rounds []survey.Round, code, want string) (survey.Round, *engine.Engine, *engine.Totals, bool, error) {
	if want != "" {
		for _, r := range rounds {
			if r.ID == want {
				eng, err := engine.ForRound(r)
				if err != nil {
					return r, nil, nil, false, err
				}
				t, err := s.areaTotals(ctx, eng, r.ID, code)
				return r, eng, t, err == nil, err
			}
		}
		return survey.Round{}, nil, nil, false, apperr.New(apperr.NotFound, apperr.Tf(
			"ไม่มีรอบสำรวจ %s", "there is no survey round %s", want))
	}
	for _, r := range rounds {
		eng, err := engine.ForRound(r)
		if err != nil {
			continue // a round judged by a set this build does not know
		}
		t, err := s.areaTotals(ctx, eng, r.ID, code)
		if err != nil {
			return r, nil, nil, false, err
		}
		if hasData(t) {
			return r, eng, t, true, nil
		}
	}
	return survey.Round{}, nil, nil, false, nil
}

// previous finds the round to compare with: the newest earlier survey year
// judged by the same indicator set (so indicators line up) that has data for
// the area, preferring a round of the same kind (households or published
// aggregates) when two share a year.
func (s *Server) previous(ctx context.Context, rounds []survey.Round, cur survey.Round, eng *engine.Engine, code string) (survey.Round, *engine.Totals, bool, error) {
	var best []survey.Round
	for _, r := range rounds {
		if r.SurveyYear < cur.SurveyYear && r.SetID == cur.SetID {
			best = append(best, r)
		}
	}
	// rounds are newest first; within a year put the same kind first.
	for i := 1; i < len(best); i++ {
		for j := i; j > 0 && best[j].SurveyYear == best[j-1].SurveyYear &&
			best[j].AggregateOnly == cur.AggregateOnly && best[j-1].AggregateOnly != cur.AggregateOnly; j-- {
			best[j], best[j-1] = best[j-1], best[j]
		}
	}
	for _, r := range best {
		t, err := s.totalsAs(ctx, eng, r, code)
		if err != nil {
			return r, nil, false, err
		}
		if hasData(t) {
			return r, t, true, nil
		}
	}
	return survey.Round{}, nil, false, nil
}

// loadProfile reads an area's figures for a round ("" for the default).
func (s *Server) loadProfile(ctx context.Context, a area.Area, roundID string, withChildren bool) (*profile, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	p := &profile{Area: a, Ancestors: s.areas.Ancestors(a.Code), Rounds: rounds, Public: public(ctx) && s.smallCell() > 1}
	r, eng, cur, ok, err := s.pickRound(ctx, rounds, a.Code, roundID)
	if err != nil {
		return nil, err
	}
	if !ok {
		if p.Unpublished, err = s.unpublished(ctx, rounds, a.Code); err != nil {
			return nil, err
		}
		if withChildren {
			for _, k := range s.areas.Children(a.Code) {
				p.Children = append(p.Children, childStat{Area: k, Children: len(s.areas.Children(k.Code))})
			}
		}
		return p, nil
	}
	p.HasRound, p.Round, p.Eng, p.Totals = true, r, eng, cur
	p.RoundAsked = roundID != ""
	prevRound, prevT, hasPrev, err := s.previous(ctx, rounds, r, eng, a.Code)
	if err != nil {
		return nil, err
	}
	if hasPrev {
		p.HasPrev, p.Prev = true, prevRound
	}
	if p.Targets, err = s.store.Targets(ctx, eng.Set().ID); err != nil {
		return nil, err
	}
	p.Report = engine.Results(eng.Set(), cur, prevT, p.Targets)
	p.Problems = p.Report.Problems()
	if p.Cover, err = s.coverageOf(ctx, p); err != nil {
		return nil, err
	}
	if res, shown, ok := poverty(cur, mpi.Frac{}); ok {
		p.HasMPI, p.MPI, p.MPIShown = true, res, shown
	} else if eng.Poverty() != nil && p.Report.AreaWithheld {
		p.MPIWithheld = true
	}
	if withChildren {
		if err := s.loadChildren(ctx, p, prevT != nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// loadChildren reads every child's figures with one query per round.
func (s *Server) loadChildren(ctx context.Context, p *profile, withPrev bool) error {
	kids := s.areas.Children(p.Area.Code)
	n := childLen(p.Area)
	if n == 0 || len(kids) == 0 {
		return nil
	}
	cur, err := s.childTotals(ctx, p.Eng, p.Round.ID, p.Area.Code, n)
	if err != nil {
		return err
	}
	var prev map[string]*engine.Totals
	if withPrev && p.HasPrev {
		if prev, err = s.childTotalsAs(ctx, p.Eng, p.Prev, p.Area.Code, n); err != nil {
			return err
		}
	}
	set := p.Eng.Set()
	for _, k := range kids {
		c := childStat{Area: k, Children: len(s.areas.Children(k.Code))}
		if t := cur[k.Code]; hasData(t) {
			c.HasData, c.Totals = true, t
			pt := prev[k.Code]
			if !hasData(pt) {
				pt = nil
			}
			c.HasPrev, c.PrevTotal = pt != nil, pt
			c.Report = engine.Results(set, t, pt, p.Targets)
			for _, g := range c.Report.Groups {
				c.Assessed += g.Assessed
				c.Below += g.BelowTarget
			}
			if res, shown, ok := poverty(t, mpi.Frac{}); ok {
				c.HasMPI, c.HiddenMPI, c.H, c.M0, c.M0Shown = shown.H, !shown.H, res.H, res.M0, shown.M0
				p.ChildHasMPI = true
			} else if p.Eng.Poverty() != nil && c.Report.AreaWithheld {
				c.HiddenMPI = true
			}
		}
		p.Children = append(p.Children, c)
	}
	return nil
}

// indicatorByCode finds an indicator's result in a report.
func indicatorByCode(rep engine.Report, code string) (engine.IndicatorResult, bool) {
	for _, ir := range rep.Indicators {
		if ir.Code == code {
			return ir, true
		}
	}
	return engine.IndicatorResult{}, false
}

// withQuery returns path?query with key set to value (removed when empty),
// keeping the request's other parameters: links that change one choice
// (round, map, sort) keep the others.
func withQuery(u *url.URL, pairs ...string) string {
	q := u.Query()
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			q.Del(pairs[i])
		} else {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	q.Del("lang")
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// roundQuery is "?round=id" for links that carry the shown round.
func roundQuery(p *profile) string {
	if !p.HasRound {
		return ""
	}
	return "?round=" + url.QueryEscape(p.Round.ID)
}

// asciiName keeps letters, digits and dashes, for download file names.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

// indexOfCode is an indicator's position in its set, or -1.
func indexOfCode(inds []indicator.Indicator, code string) int {
	for i := range inds {
		if inds[i].Code == code {
			return i
		}
	}
	return -1
}
