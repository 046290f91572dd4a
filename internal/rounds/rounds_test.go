package rounds_test

import (
	"errors"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/rounds"
	"tambon/internal/village"
)

// fields returns the fields an error's problems name.
func fields(t *testing.T, err error) map[string]bool {
	t.Helper()
	var ps apperr.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want apperr.Problems, got %T %v", err, err)
	}
	out := map[string]bool{}
	for _, p := range ps {
		if p.Reason.TH == "" || p.Reason.EN == "" {
			t.Errorf("problem %+v lacks a Thai or English reason", p)
		}
		out[p.Field] = true
	}
	return out
}

func TestHouseholdDefaults(t *testing.T) {
	r, err := rounds.Household("", 2564, "", indicator.Sets())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "bmn-2564" || r.SetID != "bmn-2560-2564" || r.SurveyYear != 2564 || r.ReferenceYear() != 2563 {
		t.Errorf("got %+v (reference year %d)", r, r.ReferenceYear())
	}
	r, err = rounds.Household(" bmn-2566-trial ", 2566, "", indicator.Sets())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "bmn-2566-trial" || r.SetID != "bmn-2566-2570" {
		t.Errorf("got %+v", r)
	}
}

func TestHouseholdRefusals(t *testing.T) {
	for _, tc := range []struct {
		name, id, set string
		year          int
		want          []string
	}{
		{"Common Era year", "", "", 2021, []string{rounds.FieldYear}},
		{"no year", "", "", 0, []string{rounds.FieldYear}},
		{"bad id", "BMN 2564", "", 2564, []string{rounds.FieldID}},
		{"unknown set", "", "bmn-1999", 2564, []string{rounds.FieldSet}},
		{"year without a set", "", "", 2600, []string{rounds.FieldSet}},
		{"everything", "a/b", "nope", 99, []string{rounds.FieldYear, rounds.FieldID, rounds.FieldSet}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rounds.Household(tc.id, tc.year, tc.set, indicator.Sets())
			got := fields(t, err)
			for _, f := range tc.want {
				if !got[f] {
					t.Errorf("no problem names %s: %v", f, err)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("problems name %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVillage(t *testing.T) {
	r, err := rounds.Village("", 2562, "", village.Sets())
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "kcc2k-2562" || r.SetID == "" || r.SurveyYear != 2562 {
		t.Errorf("got %+v", r)
	}
	if got := fields(t, func() error { _, err := rounds.Village("", 1, "x", village.Sets()); return err }()); !got[rounds.FieldYear] || !got[rounds.FieldSet] {
		t.Errorf("want year and set refused, got %v", got)
	}
}
