package survey_test

import (
	"encoding/json"
	"testing"
	"time"

	"tambon/internal/survey"
)

func TestRoundReferenceDate(t *testing.T) {
	tests := []struct {
		name      string
		survey    int
		refYear   int
		reference string
	}{
		{"2564 asks about 2563, i.e. 2020", 2564, 2563, "2020-12-31"},
		{"2561 asks about 2560, i.e. 2017", 2561, 2560, "2017-12-31"},
		{"2567 asks about 2566, i.e. 2023", 2567, 2566, "2023-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := survey.Round{ID: "bmn", Kind: survey.KindBMN, SurveyYear: tc.survey}
			if r.ReferenceYear() != tc.refYear {
				t.Errorf("reference year %d, want %d", r.ReferenceYear(), tc.refYear)
			}
			if got := r.ReferenceDate().Format(time.DateOnly); got != tc.reference {
				t.Errorf("reference date %s, want %s", got, tc.reference)
			}
		})
	}
}

func TestMemberAges(t *testing.T) {
	ref := time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		birth  string
		years  int
		months int
	}{
		{"birthday on the reference date", "2014-12-31", 6, 72},
		{"birthday the day after", "2015-01-01", 5, 71},
		{"exactly 60", "1960-12-31", 60, 720},
		{"59 and a day short of 60", "1961-01-01", 59, 719},
		{"exactly 6 months", "2020-06-30", 0, 6},
		{"a day short of 6 months", "2020-07-01", 0, 5},
		{"born on the date", "2020-12-31", 0, 0},
		{"29 February, in a common year passed on 1 March", "2016-02-29", 4, 58},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := time.Parse(time.DateOnly, tc.birth)
			m := survey.Member{BirthDate: b}
			if m.AgeAt(ref) != tc.years || m.AgeMonthsAt(ref) != tc.months {
				t.Errorf("age %d years %d months, want %d and %d", m.AgeAt(ref), m.AgeMonthsAt(ref), tc.years, tc.months)
			}
		})
	}
	// 29 Feb 2016 → 28 Feb 2021 is still 4, 1 Mar 2021 is 5.
	b := survey.Member{BirthDate: time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC)}
	if a := b.AgeAt(time.Date(2021, 2, 28, 0, 0, 0, 0, time.UTC)); a != 4 {
		t.Errorf("leap-day child on 28 Feb 2021: %d, want 4", a)
	}
	if a := b.AgeAt(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)); a != 5 {
		t.Errorf("leap-day child on 1 Mar 2021: %d, want 5", a)
	}
}

func TestValueJSON(t *testing.T) {
	tests := []struct {
		name string
		in   survey.Answers
		want string
	}{
		{"yes/no, number, choice", survey.Answers{"q6": survey.Bool(true), "q1_weight_g": survey.Number(2500), "q7": survey.Text("exercise")},
			`{"q1_weight_g":2500,"q6":true,"q7":"exercise"}`},
		{"no and a fraction", survey.Answers{"q24": survey.Bool(false), "x": survey.Number(0.5)}, `{"q24":false,"x":0.5}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			if err != nil || string(b) != tc.want {
				t.Fatalf("marshal: %s, %v; want %s", b, err, tc.want)
			}
			var back survey.Answers
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.in {
				if back[k] != v {
					t.Errorf("%s: %v after a round trip, want %v", k, back[k], v)
				}
			}
		})
	}
	var a survey.Answers
	if err := json.Unmarshal([]byte(`{"q":[1]}`), &a); err == nil {
		t.Error("an array was accepted as an answer")
	}
}
