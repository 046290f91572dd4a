package survey_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"tambon/internal/survey"
)

// A re-surveyed roster: the leavers go out of the roster into the
// history, the others are numbered again, and nothing of the marks is
// stored with the record.
func TestTakeLeaversAndHistory(t *testing.T) {
	h := &survey.Household{VillageCode: "70051304", HouseNo: "12", Resurvey: &survey.Resurvey{From: "bmn-2562"},
		Members: []survey.Member{
			{No: 1, FirstName: "สมชาย", LastName: "ใจดี", Resident: true},
			{No: 2, Title: "นาง", FirstName: "สมศรี", LastName: "ใจดี", Left: survey.MovedOut},
			{No: 3, FirstName: "ทองดี", LastName: "ใจดี", Left: survey.Died},
			{No: 4, FirstName: "สมหมาย", LastName: "ใจงาม", Joined: true, Resident: true},
		}}
	if ps := h.TakeLeavers(); ps != nil {
		t.Fatal(ps)
	}
	if len(h.Members) != 2 || h.Members[1].FirstName != "สมหมาย" || h.Members[1].No != 2 {
		t.Fatalf("roster after TakeLeavers = %+v", h.Members)
	}
	if len(h.Resurvey.Left) != 2 || h.Resurvey.Left[0].Left != survey.MovedOut || h.Resurvey.Left[1].FirstName != "ทองดี" {
		t.Fatalf("leavers = %+v", h.Resurvey.Left)
	}
	if ps := h.TakeLeavers(); ps != nil || len(h.Resurvey.Left) != 2 || len(h.Members) != 2 {
		t.Fatal("a second TakeLeavers changed something")
	}
	got := map[string]survey.Change{}
	for _, c := range survey.ResurveyChanges(h) {
		got[c.Field+"="+strings.TrimSpace(toString(c.Old)+toString(c.New))] = c
	}
	for _, want := range []string{"resurvey.from=bmn-2562", "roster.moved_out=สมศรี ใจดี", "roster.died=ทองดี ใจดี", "roster.joined=สมหมาย ใจงาม"} {
		if _, ok := got[want]; !ok {
			t.Errorf("history lacks %s: %v", want, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("history has %d changes, want 4: %v", len(got), got)
	}
	b, _ := json.Marshal(h)
	if strings.Contains(string(b), "moved_out") || strings.Contains(string(b), "bmn-2562") || strings.Contains(string(b), "สมศรี") {
		t.Errorf("the re-survey marks are stored with the record: %s", b)
	}
	plain := &survey.Household{Members: []survey.Member{{No: 1, FirstName: "ก"}}}
	if plain.TakeLeavers() != nil || plain.Resurvey != nil || survey.ResurveyChanges(plain) != nil {
		t.Error("a household typed afresh got a re-survey history")
	}
	bad := &survey.Household{Members: []survey.Member{{No: 1, FirstName: "ก", Left: "eloped"}}}
	if ps := bad.TakeLeavers(); len(ps) != 1 || ps[0].Field != "members[0].left" || len(bad.Members) != 1 {
		t.Errorf("an unknown reason: %v, members %d", ps, len(bad.Members))
	}
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// A re-survey's history also says which of the household's own answers
// changed since the earlier round — and only those: this round's
// collector, date and status are not changes.
func TestResurveyHistoryHasTheHouseholdsChanges(t *testing.T) {
	before := &survey.Household{RoundID: "bmn-2562", VillageCode: "70051304", HouseNo: "12", Collector: "moo4", Status: survey.Complete,
		Income: survey.Income{MainOccupation: 120000, Other: 8000}, Savings: 15000, Phone: "0812345678",
		Answers: survey.Answers{"q10": survey.Bool(true), "q9": survey.Bool(false)},
		Members: []survey.Member{{No: 1, FirstName: "สมชาย", Resident: true}}}
	h := *before
	h.RoundID, h.Collector, h.Status, h.SurveyDate = "bmn-2563", "moo5", survey.Draft, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	h.Income.Other = 9500
	h.Answers = survey.Answers{"q10": survey.Bool(false), "q9": survey.Bool(false)}
	h.Members = []survey.Member{{No: 1, Prev: 1, FirstName: "สมชาย", Resident: true}}
	h.Resurvey = &survey.Resurvey{From: "bmn-2562", Before: before}
	got := map[string]string{}
	for _, c := range survey.ResurveyChanges(&h) {
		got[c.Field] = fmt.Sprint(c.Old) + " → " + fmt.Sprint(c.New)
	}
	want := map[string]string{"resurvey.from": "<nil> → bmn-2562", "income.other": "8000 → 9500", "answers.q10": "true → false"}
	if !maps.Equal(got, want) {
		t.Errorf("history %v, want exactly %v", got, want)
	}
}
