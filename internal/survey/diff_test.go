package survey_test

import (
	"testing"
	"time"

	"tambon/internal/survey"
)

func TestDiff(t *testing.T) {
	old := &survey.Household{VillageCode: "70051304", HouseNo: "12", SurveyDate: time.Date(2021, 1, 18, 0, 0, 0, 0, time.UTC),
		Members: []survey.Member{{No: 1, FirstName: "สมชาย", CitizenID: "1101700203451"}}}
	cur := *old
	cur.HouseNo = "12/1"
	cur.Members = []survey.Member{{No: 1, FirstName: "สมชาย", CitizenID: "1101700203451"}, {No: 2, FirstName: "สมหญิง"}}
	ch, err := survey.Diff(old, &cur)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]survey.Change{}
	for _, c := range ch {
		got[c.Field] = c
	}
	if c, ok := got["house_no"]; !ok || c.Old != "12" || c.New != "12/1" {
		t.Errorf("house_no change = %+v", c)
	}
	if c, ok := got["members[1].first_name"]; !ok || c.Old != nil || c.New != "สมหญิง" {
		t.Errorf("new member change = %+v", c)
	}
	if _, ok := got["members[0].first_name"]; ok {
		t.Error("an unchanged field was listed")
	}
	none, _ := survey.Diff(old, old)
	if len(none) != 0 {
		t.Errorf("no edit gave %d changes", len(none))
	}
	all, _ := survey.Diff(nil, old)
	if len(all) < 4 {
		t.Errorf("a new household lists only %d fields", len(all))
	}
}
