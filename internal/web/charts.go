package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// barsChart is the JSON chart.js draws as horizontal bars. With Min above
// zero it draws dots instead: a bar's length must start at zero to tell the
// truth, and pass rates all between 95 and 100 % would be bars of one length.
type barsChart struct {
	Min   *float64  `json:"min,omitempty"`
	Max   *float64  `json:"max,omitempty"`
	Step  float64   `json:"step,omitempty"` // between grid lines
	Items []barItem `json:"items"`
}

// fitAxis zooms the value axis onto the values and targets when they all lie
// high up (the chart then shows dots on the zoomed axis); otherwise it keeps
// 0–100 and bars.
func (c *barsChart) fitAxis() {
	lo, hi, found := 100.0, 0.0, false
	for _, it := range c.Items {
		for _, v := range []*float64{it.Value, it.Target} {
			if v != nil {
				lo, hi, found = min(lo, *v), max(hi, *v), true
			}
		}
	}
	a, b, step := axisRange(lo, hi, found, 0, 100)
	if a >= 40 { // zooming pays only when the values sit in the top part
		c.Min, c.Max, c.Step = ptr(a), ptr(b), step
	}
}

type barItem struct {
	Label  string   `json:"label"`
	Value  *float64 `json:"value"`
	Target *float64 `json:"target,omitempty"`
	Href   string   `json:"href,omitempty"`
	// Hidden: the value is withheld from the public (a small count, or a
	// figure that would reveal one), not missing.
	Hidden bool `json:"hidden,omitempty"`
}

// linesChart is the JSON chart.js draws as lines across rounds. The x axis
// is time: each round sits at the year its data describes (Years), so that a
// gap of two years looks twice as long as a gap of one, and two sources that
// describe the same year never appear as two points in a row.
type linesChart struct {
	Min    float64      `json:"min"`
	Max    float64      `json:"max"`
	Step   float64      `json:"step,omitempty"` // between grid lines
	Rounds []string     `json:"rounds"`         // the label of each point: the round's name
	Years  []int        `json:"years"`          // the จปฐ. year each point describes (Buddhist Era)
	Series []lineSeries `json:"series"`
}

// dataYear is the จปฐ. survey year whose answers a round holds: its own year
// for a household round, the year before for TPMAP's published figures
// (TPMAP of year Y is computed from จปฐ. of year Y−1).
func dataYear(rd survey.Round) int {
	if rd.AggregateOnly {
		return rd.SurveyYear - 1
	}
	return rd.SurveyYear
}

// timeline orders rounds by the year their data describes and, where two
// rounds describe the same year, keeps the household round (TPMAP's figures
// are computed from it): one point per year on the time axis. keep lists the
// indexes into rounds that stay, in order.
func timeline(rounds []survey.Round) (keep []int) {
	byYear := map[int]int{}
	for i, rd := range rounds {
		y := dataYear(rd)
		j, seen := byYear[y]
		if !seen || (rounds[j].AggregateOnly && !rd.AggregateOnly) {
			byYear[y] = i
		}
	}
	for _, i := range byYear {
		keep = append(keep, i)
	}
	slices.SortFunc(keep, func(a, b int) int { return dataYear(rounds[a]) - dataYear(rounds[b]) })
	return keep
}

// fitAxis sets the value axis of a percentage chart to the data's range,
// widened a little and rounded to steps of 1, 2, 2.5 or 5 × 10ⁿ, within 0–100:
// values between 95 and 100 get the whole height of the chart rather than
// its top twentieth. Lines need no zero baseline: their slope carries the
// message, and the axis is labelled.
func (c *linesChart) fitAxis() {
	lo, hi, found := 100.0, 0.0, false
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != nil {
				lo, hi, found = min(lo, *v), max(hi, *v), true
			}
		}
	}
	c.Min, c.Max, c.Step = axisRange(lo, hi, found, 0, 100)
}

// axisRange returns round limits around [lo, hi] inside [floor, ceil] and
// the step between grid lines: four to six steps of 1, 2, 2.5 or 5 × 10ⁿ.
func axisRange(lo, hi float64, found bool, floor, ceil float64) (a, b, step float64) {
	if !found {
		return floor, ceil, (ceil - floor) / 4
	}
	span := max(hi-lo, (ceil-floor)/50) // a flat line still gets a few steps
	pad := span * 0.05
	for step = niceStep(span / 6); ; step = niceStep(step * 1.01) {
		a = max(floor, math.Floor((lo-pad)/step)*step)
		b = min(ceil, math.Ceil((hi+pad)/step)*step)
		if (b-a)/step <= 6.001 {
			for (b-a)/step < 3.999 && a-step >= floor-1e-9 { // at least four steps
				a -= step
			}
			return round2(a), round2(b), step
		}
	}
}

// niceStep rounds raw up to 1, 2, 2.5 or 5 × 10ⁿ.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw-1e-9 {
			return m * p
		}
	}
	return 10 * p
}

// trendTable is the trend as a table, for screen readers, print and readers
// without JavaScript: a row per round, a column per series.
type trendTable struct {
	Series []string
	Rows   []trendRow
}

type trendRow struct {
	Round string
	Cells []string
}

// Table writes the chart's numbers, "—" where a round has none.
func (c *linesChart) Table() trendTable {
	var t trendTable
	for _, s := range c.Series {
		t.Series = append(t.Series, s.Name)
	}
	for i, name := range c.Rounds {
		row := trendRow{Round: name}
		for _, s := range c.Series {
			cell := "—"
			if i < len(s.Values) && s.Values[i] != nil {
				cell = strconv.FormatFloat(*s.Values[i], 'f', 2, 64)
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
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
		it.Hidden = ir.Withheld
		c.Items = append(c.Items, it)
	}
	c.fitAxis()
	return c
}

// dimensionBars is each MPI dimension's share of M0.
func (s *Server) dimensionBars(lang string, p *profile) barsChart {
	c := barsChart{Max: ptr(100)}
	if !p.HasMPI {
		return c
	}
	for i, d := range p.MPI.Dimensions {
		it := barItem{Label: s.dimensionName(lang, p, d.ID), Hidden: !p.MPIShown.Dimension[i]}
		if !it.Hidden {
			it.Value = ptr(round2(d.Contribution * 100))
		}
		c.Items = append(c.Items, it)
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
		t, err := s.totalsAs(r.Context(), p.Eng, rd, code)
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
	keep := timeline(rounds)
	if len(keep) < 2 {
		return nil, nil
	}
	c := &linesChart{}
	meet := lineSeries{Name: s.msgs.text(lang, "trend.meet")}
	h := lineSeries{Name: s.msgs.text(lang, "trend.h")}
	anyH := false
	for _, i := range keep {
		rd := rounds[i]
		c.Rounds = append(c.Rounds, s.roundName(lang, rd))
		c.Years = append(c.Years, dataYear(rd))
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
		if res, shown, has := poverty(totals[i], p.MPI.K); has && shown.H {
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
	c.fitAxis()
	return c, nil
}
