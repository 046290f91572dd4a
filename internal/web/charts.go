package web

import (
	"net/http"
	"slices"
	"strconv"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// barsChart is the JSON chart.js draws as horizontal bars.
type barsChart struct {
	Max   *float64  `json:"max,omitempty"`
	Items []barItem `json:"items"`
}

type barItem struct {
	Label  string   `json:"label"`
	Value  *float64 `json:"value"`
	Target *float64 `json:"target,omitempty"`
	Href   string   `json:"href,omitempty"`
}

// linesChart is the JSON chart.js draws as lines across rounds.
type linesChart struct {
	Min    float64      `json:"min"`
	Max    float64      `json:"max"`
	Rounds []string     `json:"rounds"`
	Series []lineSeries `json:"series"`
}

type lineSeries struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

func ptr(x float64) *float64 { return &x }

// indicatorBars is every indicator's pass rate against its target.
func (s *Server) indicatorBars(lang string, p *profile) barsChart {
	c := barsChart{Max: ptr(100)}
	for _, ir := range p.Report.Indicators {
		it := barItem{Label: strconv.Itoa(ir.Number) + ". " + ir.Name.In(lang), Target: ptr(ir.Target),
			Href: "/areas/" + p.Area.Code + "/indicators/" + ir.Code + roundQuery(p)}
		if ir.Surveyed > 0 {
			it.Value = ptr(round2(ir.PassedPct))
		}
		c.Items = append(c.Items, it)
	}
	return c
}

// dimensionBars is each MPI dimension's share of M0.
func (s *Server) dimensionBars(lang string, p *profile) barsChart {
	c := barsChart{Max: ptr(100)}
	if !p.HasMPI {
		return c
	}
	for _, d := range p.MPI.Dimensions {
		c.Items = append(c.Items, barItem{Label: s.dimensionName(lang, p, d.ID), Value: ptr(round2(d.Contribution * 100))})
	}
	return c
}

// dimensionName finds a dimension's name in the round's MPI spec.
func (s *Server) dimensionName(lang string, p *profile, id string) string {
	if p.Eng != nil && p.Eng.Poverty() != nil {
		for _, d := range p.Eng.Poverty().Spec().Dimensions {
			if d.ID == id {
				return d.Name.In(lang)
			}
		}
	}
	return id
}

// trendRounds are the rounds judged by the same set as the shown one, oldest
// first, with the area's totals in each (nil without data); aggregate and
// household rounds of one year both appear.
func (s *Server) trendRounds(r *http.Request, p *profile, code string) ([]survey.Round, []*engine.Totals, error) {
	var rounds []survey.Round
	var totals []*engine.Totals
	for _, rd := range slices.Backward(p.Rounds) {
		if rd.SetID != p.Round.SetID {
			continue
		}
		t, err := s.areaTotals(r.Context(), p.Eng, rd.ID, code)
		if err != nil {
			return nil, nil, err
		}
		if !hasData(t) {
			continue
		}
		rounds = append(rounds, rd)
		totals = append(totals, t)
	}
	return rounds, totals, nil
}

// areaTrend follows the area across rounds: the mean pass rate of the
// assessed indicators (each indicator weighs the same, whatever its unit)
// and, where kept, the MPI headcount.
func (s *Server) areaTrend(r *http.Request, p *profile) (*linesChart, error) {
	lang := langFrom(r.Context())
	rounds, totals, err := s.trendRounds(r, p, p.Area.Code)
	if err != nil || len(rounds) < 2 {
		return nil, err
	}
	c := &linesChart{Min: 0, Max: 100}
	meet := lineSeries{Name: s.msgs.text(lang, "trend.meet")}
	h := lineSeries{Name: s.msgs.text(lang, "trend.h")}
	anyH := false
	for i, rd := range rounds {
		c.Rounds = append(c.Rounds, s.roundName(lang, rd))
		rep := engine.Results(p.Eng.Set(), totals[i], nil, p.Targets)
		var sum float64
		var assessed int
		for _, ir := range rep.Indicators {
			if ir.Surveyed > 0 {
				sum += ir.PassedPct
				assessed++
			}
		}
		var v *float64
		if assessed > 0 {
			v = ptr(round2(sum / float64(assessed)))
		}
		meet.Values = append(meet.Values, v)
		if res, has := poverty(totals[i], p.MPI.K); has {
			h.Values = append(h.Values, ptr(round2(res.H*100)))
			anyH = true
		} else {
			h.Values = append(h.Values, nil)
		}
	}
	c.Series = append(c.Series, meet)
	if anyH {
		c.Series = append(c.Series, h)
	}
	return c, nil
}
