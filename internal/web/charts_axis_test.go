package web

import (
	"slices"
	"testing"

	"tambon/internal/survey"
)

// The trend's time axis is the year the data describes: TPMAP of year Y
// comes from จปฐ. of Y−1, so TPMAP 2561 sits at 2560, before จปฐ. 2561; where
// TPMAP and a household round describe the same year, one point (the
// household round's) stands for it.
func TestTimelineByTheYearTheDataDescribes(t *testing.T) {
	rounds := []survey.Round{
		{ID: "tpmap-2562", SurveyYear: 2562, AggregateOnly: true},
		{ID: "tpmap-2561", SurveyYear: 2561, AggregateOnly: true},
		{ID: "bmn-2561", SurveyYear: 2561},
		{ID: "bmn-2562", SurveyYear: 2562},
	}
	var got []string
	var years []int
	for _, i := range timeline(rounds) {
		got = append(got, rounds[i].ID)
		years = append(years, dataYear(rounds[i]))
	}
	if !slices.Equal(got, []string{"tpmap-2561", "bmn-2561", "bmn-2562"}) || !slices.Equal(years, []int{2560, 2561, 2562}) {
		t.Errorf("timeline %v at %v", got, years)
	}
}

// Values between 95 and 100 % get the chart's height, not its top
// twentieth; the axis stays within 0–100 and steps are round.
func TestAxisRangeFitsTheValues(t *testing.T) {
	for _, c := range []struct {
		lo, hi      float64
		a, b, step  float64
		description string
	}{
		{97.33, 98.64, 97, 99, 0.5, "a trend between 97 and 99"},
		{79.4, 100, 75, 100, 5, "pass rates from 79 to 100"},
		{100, 100, 98, 100, 0.5, "all at 100"},
		{3, 61, 0, 80, 20, "a wide spread reaches down to 0"},
	} {
		a, b, step := axisRange(c.lo, c.hi, true, 0, 100)
		if a != c.a || b != c.b || step != c.step {
			t.Errorf("%s: axis %v–%v by %v, want %v–%v by %v", c.description, a, b, step, c.a, c.b, c.step)
		}
		if a > c.lo || b < c.hi || (b-a)/step > 6.001 {
			t.Errorf("%s: axis %v–%v by %v does not hold %v–%v in at most 6 steps", c.description, a, b, step, c.lo, c.hi)
		}
	}
}

// Pass rates all near 100 % are drawn as dots on a zoomed axis; spread-out
// rates keep bars from zero.
func TestBarsZoomOnlyHighRates(t *testing.T) {
	high := barsChart{Items: []barItem{{Value: ptr(95.2), Target: ptr(100)}, {Value: ptr(99.4)}, {Value: nil}}}
	high.fitAxis()
	if high.Min == nil || *high.Min > 95.2 || *high.Min < 90 || *high.Max != 100 {
		t.Errorf("rates 95–100: axis %v–%v", high.Min, high.Max)
	}
	spread := barsChart{Items: []barItem{{Value: ptr(12), Target: ptr(80)}, {Value: ptr(99)}}}
	spread.fitAxis()
	if spread.Min != nil {
		t.Errorf("rates 12–99 zoomed to %v", *spread.Min)
	}
}
