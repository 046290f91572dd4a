package survey_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// TestValidateCapsTexts: a name or answer of absurd length is refused at
// validation, whichever door it came through, and the problem does not
// repeat all of it; a long real Thai text at the limit is taken (the limit
// counts characters, not bytes).
func TestValidateCapsTexts(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	ref := survey.ReferenceDate(2564)
	long := func(n int) string { return strings.Repeat("ก", n) }
	tests := []struct {
		name  string
		edit  func(h *survey.Household, n int)
		max   int
		field string
	}{
		{"first name", func(h *survey.Household, n int) { h.Members[0].FirstName = long(n) }, survey.MaxName, "members[0].first_name"},
		{"last name", func(h *survey.Household, n int) { h.Members[1].LastName = long(n) }, survey.MaxName, "members[1].last_name"},
		{"title", func(h *survey.Household, n int) { h.Members[0].Title = long(n) }, survey.MaxName, "members[0].title"},
		{"respondent", func(h *survey.Household, n int) { h.Respondent = long(n) }, survey.MaxName, "respondent"},
		{"collector", func(h *survey.Household, n int) { h.Collector = long(n) }, survey.MaxName, "collector"},
		{"house number", func(h *survey.Household, n int) { h.HouseNo = long(n) }, survey.MaxShortText, "house_no"},
		{"phone", func(h *survey.Household, n int) { h.Phone = long(n) }, survey.MaxShortText, "phone"},
		{"occupation", func(h *survey.Household, n int) { h.Members[0].Occupation = long(n) }, survey.MaxShortText, "members[0].occupation"},
		{"relation", func(h *survey.Household, n int) { h.Members[2].Relation = survey.Relation(long(n)) }, survey.MaxShortText, "members[2].relation"},
		{"text answer", func(h *survey.Household, n int) { h.Members[0].Answers["q7"] = survey.Text(long(n)) }, survey.MaxTextAnswer, "members[0].answers.q7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := valid()
			tt.edit(h, tt.max)
			for _, p := range survey.Validate(h, set, ref) {
				if p.Field == tt.field && strings.Contains(p.Reason.EN, "longer") {
					t.Errorf("%d characters refused: %v", tt.max, p)
				}
			}
			h = valid()
			tt.edit(h, 5_000_000)
			found := false
			for _, p := range survey.Validate(h, set, ref) {
				if p.Field == tt.field {
					found = true
					if p.Reason.TH == "" || !strings.Contains(p.Reason.EN, "longer than") {
						t.Errorf("reason %+v", p.Reason)
					}
					if utf8.RuneCountInString(p.Value) > 101 {
						t.Errorf("the problem repeats %d characters of the value", utf8.RuneCountInString(p.Value))
					}
				}
			}
			if !found {
				t.Errorf("5,000,000 characters in %s accepted", tt.field)
			}
		})
	}
}
