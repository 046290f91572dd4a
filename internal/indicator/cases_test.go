package indicator_test

import (
	"maps"
	"testing"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// clone deep-copies a household so that a case's changes stay in that case.
func clone(h *survey.Household) *survey.Household {
	c := *h
	c.Answers = maps.Clone(h.Answers)
	c.Members = make([]survey.Member, len(h.Members))
	for i, m := range h.Members {
		m.Answers = maps.Clone(m.Answers)
		c.Members[i] = m
	}
	return &c
}

// runCases judges each case's household and compares the one indicator it
// is about; it also fails unless every indicator of the set has at least one
// passing and one failing case.
func runCases(t *testing.T, s *indicator.Set, year int, base func() *survey.Household, cases []indicatorCase) {
	t.Helper()
	passed, failed := map[string]bool{}, map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := clone(base())
			if tc.mod != nil {
				tc.mod(h)
			}
			i := index(t, s, tc.code)
			got := s.EvaluateCounts(h, year, nil)
			if len(got) != len(s.Indicators) {
				t.Fatalf("got %d outcomes, want %d", len(got), len(s.Indicators))
			}
			if got[i] != tc.want.outcome() {
				t.Errorf("%s: got %+v, want %+v; reason: %s", tc.code, got[i], tc.want.outcome(), s.Explain(h, year)[i].Reason)
			}
			if ex := s.Explain(h, year)[i]; ex.Applicable != got[i].Applicable || ex.Eligible != got[i].Eligible || ex.Passed != got[i].Passed {
				t.Errorf("Explain disagrees with EvaluateCounts: %+v vs %+v", ex, got[i])
			}
		})
		if tc.want.passed > 0 {
			passed[tc.code] = true
		}
		if tc.want.passed < tc.want.eligible {
			failed[tc.code] = true
		}
	}
	for _, ind := range s.Indicators {
		if !passed[ind.Code] || !failed[ind.Code] {
			t.Errorf("indicator %s has no passing or no failing case", ind.Code)
		}
	}
}
