package programme_test

import (
	"math"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/programme"
)

func TestBuiltInTypesAreConsistent(t *testing.T) {
	for _, ty := range programme.Types() {
		if err := programme.CheckRubric(ty.Criteria); err != nil {
			t.Errorf("%s: %v", ty.Key, err)
		}
		if len(ty.Statuses) == 0 || ty.Name.TH == "" || ty.Name.EN == "" {
			t.Errorf("%s lacks statuses or a name", ty.Key)
		}
	}
	if _, err := programme.Lookup("change_leaders"); err != nil {
		t.Error(err)
	}
}

func TestWeightedMeansJudgesPerCriterion(t *testing.T) {
	cs := []programme.Criterion{{Key: "a", Name: apperr.T("ก", "a"), Weight: 25}, {Key: "b", Name: apperr.T("ข", "b"), Weight: 75}}
	scores := []programme.Score{{Criterion: "a", Judge: "1", Score: 100}, {Criterion: "a", Judge: "2", Score: 60}, {Criterion: "b", Judge: "1", Score: 40}}
	total, judges := programme.Weighted(cs, scores)
	if want := 80*0.25 + 40*0.75; math.Abs(total-want) > 1e-9 || judges != 2 {
		t.Errorf("%g by %d, want %g by 2", total, judges, want)
	}
}

func TestParticipantFieldsFollowTheType(t *testing.T) {
	ty, _ := programme.Lookup("vegetable_gardens")
	for name, pt := range map[string]programme.Participant{
		"no household":     {Name: "x"},
		"negative plot":    {Name: "x", HouseholdID: 1, Fields: map[string]string{"plot_m2": "-1"}},
		"unknown planting": {Name: "x", HouseholdID: 1, Fields: map[string]string{"planting": "dancing"}},
		"unknown field":    {Name: "x", HouseholdID: 1, Fields: map[string]string{"colour": "red"}},
	} {
		if err := pt.Validate(ty); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	ok := programme.Participant{Name: "บ้าน 5", HouseholdID: 1, Fields: map[string]string{"plot_m2": "6", "planting": "harvesting"}}
	if err := ok.Validate(ty); err != nil || ok.Status != "enrolled" {
		t.Errorf("a good participant: %v, status %q", err, ok.Status)
	}
}
