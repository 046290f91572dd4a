package survey_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// valid returns a complete 2564 household that every check accepts: a head
// of 40, a spouse of 38 and a child of 8 at the reference date 2020-12-31,
// each question of the 2560-2564 set that is asked of them answered.
func valid() *survey.Household {
	yes, no := survey.Bool(true), survey.Bool(false)
	adult := func(first, id, birth string, rel survey.Relation, sex survey.Sex) survey.Member {
		return survey.Member{No: 1, FirstName: first, LastName: "ใจดี", CitizenID: id, Sex: sex, BirthDate: day(birth),
			Relation: rel, Resident: true, Education: survey.EduPrimary, Occupation: "farming",
			Answers: survey.Answers{"q6": yes, "q7": survey.Text("exercise"), "q19": yes,
				"q20": survey.Text("occupation_and_income"), "q24": no, "q25": no, "q26": yes}}
	}
	h := &survey.Household{RoundID: "bmn-2564", VillageCode: "70051301", HouseCode: "70050123456", HouseNo: "31/1",
		SurveyDate: day("2021-03-01"), Status: survey.Complete,
		Members: []survey.Member{
			adult("สมชาย", "1101700123456", "1980-06-15", survey.RelHead, survey.Male),
			adult("สมหญิง", "3700100456781", "1982-02-01", survey.RelSpouse, survey.Female),
			{No: 3, FirstName: "ต้น", CitizenID: "3101500987658", Sex: survey.Male, BirthDate: day("2012-05-01"),
				Relation: survey.RelChild, Resident: true, Occupation: survey.OccStudent,
				Answers: survey.Answers{"q3": yes, "q7": survey.Text("exertion"), "q16": yes, "q24": no, "q25": no, "q26": yes}},
		},
		Income:  survey.Income{MainOccupation: 150000},
		Answers: survey.Answers{},
	}
	for _, c := range []string{"q4_1", "q4_2", "q4_3", "q4_4", "q5_1", "q5_2", "q5_3", "q5_4", "q8_1", "q8_2", "q9", "q10",
		"q11_1", "q11_2", "q11_3", "q11_4", "q11_5_1", "q11_5_2", "q11_5_3", "q11_5_4", "q11_6", "q11_7", "q11_8",
		"q13_1", "q13_2", "q13_3", "q13_4", "q23", "q30", "q31_together", "q31_respect", "q31_consult"} {
		h.Answers[c] = yes
	}
	for _, c := range []string{"q12_1", "q12_2", "q12_3", "q12_4", "q12_5", "q12_6", "q14_1", "q14_2", "q14_3", "q14_5", "q14_6"} {
		h.Answers[c] = no
	}
	return h
}

func TestValidate(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	ref := survey.ReferenceDate(2564)
	infant := survey.Member{FirstName: "น้อง", CitizenID: "1000000000009", Sex: survey.Female, BirthDate: day("2020-05-01"),
		Relation: survey.RelChild, Resident: true, Answers: survey.Answers{"q1_weight_g": survey.Number(3100), "q2": survey.Bool(true),
			"q3": survey.Bool(true), "q24": survey.Bool(false), "q25": survey.Bool(false)}}
	tests := []struct {
		name string
		mod  func(h *survey.Household)
		want []string // the fields of the problems, in order
	}{
		{"a valid household", func(h *survey.Household) {}, nil},
		{"an infant with a plausible birth weight", func(h *survey.Household) { h.Members = append(h.Members, infant) }, nil},
		{"village code of 7 digits", func(h *survey.Household) { h.VillageCode = "7005130" }, []string{"village_code"}},
		{"house code of 10 digits", func(h *survey.Household) { h.HouseCode = "7005012345" }, []string{"house_code"}},
		{"no house code is fine", func(h *survey.Household) { h.HouseCode = "" }, nil},
		{"wrong check digit", func(h *survey.Household) { h.Members[1].CitizenID = "3700100456782" }, []string{"members[1].citizen_id"}},
		{"12-digit ID", func(h *survey.Household) { h.Members[1].CitizenID = "370010045678" }, []string{"members[1].citizen_id"}},
		{"the same ID twice", func(h *survey.Household) { h.Members[2].CitizenID = h.Members[0].CitizenID }, []string{"members[2].citizen_id"}},
		{"born after the survey date", func(h *survey.Household) { h.Members[2].BirthDate = day("2021-03-02") }, []string{"members[2].birth_date"}},
		{"older than 120", func(h *survey.Household) { h.Members[0].BirthDate = day("1900-01-01") }, []string{"members[0].birth_date"}},
		{"birth weight 200 g", func(h *survey.Household) {
			h.Members = append(h.Members, infant)
			h.Members[3].Answers["q1_weight_g"] = survey.Number(200)
		}, []string{"members[3].answers.q1_weight_g"}},
		{"a check-up answer for a child of 8", func(h *survey.Household) { h.Members[2].Answers["q6"] = survey.Bool(true) }, []string{"members[2].answers.q6"}},
		{"a birth weight for an adult", func(h *survey.Household) { h.Members[0].Answers["q1_weight_g"] = survey.Number(3000) }, []string{"members[0].answers.q1_weight_g"}},
		{"a screening answer after a check-up (6.5 is asked only after no at 6.4)", func(h *survey.Household) {
			h.Members[0].Answers["q6_screened"] = survey.Bool(true)
		}, []string{"members[0].answers.q6_screened"}},
		{"screening after no check-up is fine", func(h *survey.Household) {
			h.Members[0].Answers["q6"], h.Members[0].Answers["q6_screened"] = survey.Bool(false), survey.Bool(true)
		}, nil},
		{"negative income", func(h *survey.Household) { h.Income.MainOccupation = -1 }, []string{"income.main_occupation"}},
		{"negative informal debt", func(h *survey.Household) { h.Debt.OutOfSystem = -500 }, []string{"debt.out_of_system"}},
		{"nobody resident", func(h *survey.Household) {
			for i := range h.Members {
				h.Members[i].Resident = false
				h.Members[i].Answers = nil
			}
		}, []string{"members"}},
		{"two heads", func(h *survey.Household) { h.Members[1].Relation = survey.RelHead }, []string{"members"}},
		{"no head", func(h *survey.Household) { h.Members[0].Relation = survey.RelOther }, []string{"members"}},
		{"an unanswered household question", func(h *survey.Household) { delete(h.Answers, "q4_1") }, []string{"answers.q4_1"}},
		{"an unanswered person question", func(h *survey.Household) { delete(h.Members[0].Answers, "q6") }, []string{"members[0].answers.q6"}},
		{"an unknown question", func(h *survey.Household) { h.Answers["q99"] = survey.Bool(true) }, []string{"answers.q99"}},
		{"text for a yes/no", func(h *survey.Household) { h.Members[0].Answers["q6"] = survey.Text("yes") }, []string{"members[0].answers.q6"}},
		{"a choice not on the list", func(h *survey.Household) { h.Members[0].Answers["q7"] = survey.Text("running") }, []string{"members[0].answers.q7"}},
		{"a household question in a person's answers", func(h *survey.Household) { h.Members[0].Answers["q4_1"] = survey.Bool(true) }, []string{"members[0].answers.q4_1"}},
		{"lone-household questions are not asked of three members", func(h *survey.Household) { h.Answers["q31_happy"] = survey.Bool(true) }, nil},
		{"a lone member must answer 31.2", func(h *survey.Household) { h.Members = h.Members[:1] }, []string{"answers.q31_has_relatives"}},
		{"a draft may be incomplete", func(h *survey.Household) {
			h.Status = survey.Draft
			delete(h.Answers, "q4_1")
			h.Members[1].Relation = survey.RelHead
			h.Members[1].CitizenID = ""
		}, nil},
		{"a draft is still refused malformed values", func(h *survey.Household) {
			h.Status = survey.Draft
			h.Members[1].CitizenID = "123"
			h.Members[2].Answers["q6"] = survey.Bool(true)
		}, []string{"members[1].citizen_id", "members[2].answers.q6"}},
		{"an unknown status", func(h *survey.Household) { h.Status = "done" }, []string{"status"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := valid()
			h.Answers = maps.Clone(h.Answers)
			tc.mod(h)
			ps := survey.Validate(h, set, ref)
			var got []string
			for _, p := range ps {
				got = append(got, p.Field)
				if p.Reason.TH == "" || p.Reason.EN == "" {
					t.Errorf("%s: reason not in both languages: %+v", p.Field, p.Reason)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems at %v, want %v\n%v", got, tc.want, ps)
			}
		})
	}
}

// Without a set, the roster and money checks still run.
func TestValidateWithoutSet(t *testing.T) {
	h := valid()
	h.Members[0].CitizenID = "1101700123457"
	h.Answers["q99"] = survey.Bool(true)
	ps := survey.Validate(h, nil, survey.ReferenceDate(2564))
	if len(ps) != 1 || ps[0].Field != "members[0].citizen_id" {
		t.Errorf("got %v, want one problem at members[0].citizen_id", ps)
	}
}

// BenchmarkValidate is the validation of one complete three-person household
// against the 2560-2564 set, as a household write runs it.
func BenchmarkValidate(b *testing.B) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		b.Fatal(err)
	}
	h, ref := valid(), survey.ReferenceDate(2564)
	b.ReportAllocs()
	for b.Loop() {
		if ps := survey.Validate(h, set, ref); ps != nil {
			b.Fatal(ps)
		}
	}
}
