package plan_test

import (
	"testing"

	"tambon/internal/engine"
	"tambon/internal/plan"
)

func TestGraduationCountsOnlyHelpedHouseholds(t *testing.T) {
	helped := []engine.HouseholdRef{
		{ID: 1, Key: "A", Village: "70051304", Poor: true},                            // passes next round
		{ID: 2, Key: "B", Village: "70051304", Poor: true},                            // still fails
		{ID: 3, Key: "C", Village: "70051304", Poor: true, CitizenIDs: []string{"x"}}, // moved house: found by member
		{ID: 4, Key: "D", Village: "70051304", Poor: true},                            // not surveyed again
	}
	next := []engine.HouseholdRef{
		{ID: 11, Key: "A", Village: "70051304"},
		{ID: 12, Key: "B", Village: "70051304", Poor: true},
		{ID: 13, Key: "Z", Village: "70051304", CitizenIDs: []string{"x"}},
		{ID: 14, Key: "N", Village: "70051304", Poor: true}, // never helped: not counted
	}
	got, pairs := plan.Graduation(helped, next)
	want := engine.TransitionCounts{Graduated: 2, StillPoor: 1, Gone: 1}
	if got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if len(pairs) != 4 {
		t.Errorf("%d pairs, want one per helped household", len(pairs))
	}
	for _, p := range pairs {
		if p.Prev.ID == 3 && (p.Cur == nil || p.Cur.ID != 13) {
			t.Errorf("the household that moved was not followed: %+v", p)
		}
	}
}

func TestPlanAndItemValidation(t *testing.T) {
	for _, p := range []plan.Plan{
		{AreaCode: "7005", FiscalYear: 2564, RoundID: "r", Title: "t"},
		{AreaCode: "700513", FiscalYear: 2021, RoundID: "r", Title: "t"},
		{AreaCode: "700513", FiscalYear: 2564, Title: "t"},
		{AreaCode: "70051a", FiscalYear: 2564, RoundID: "r", Title: "t"},
	} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v passed", p)
		}
	}
	a := plan.Assistance{HouseholdID: 1, RoundID: "r", Programme: "p", What: " ", Helper: "h", Status: plan.Delivered}
	if err := a.Validate(); err == nil {
		t.Error("help without what or when passed")
	}
}
