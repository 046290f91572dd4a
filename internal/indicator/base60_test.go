package indicator_test

import "tambon/internal/survey"

// base60 is a typical three-person household that passes every 2560-2564
// indicator that applies to it: a head aged 40 and a spouse aged 38 at the
// reference date, and a child aged 8. Income 150,000 − 6,000 costs over three
// residents is 48,000 baht/person/year.
func base60() *survey.Household {
	adult := func(first, birth string, rel survey.Relation) survey.Member {
		return member(first, birth, rel, "q6", true, "q7", "exercise", "q19", true,
			"q20", "occupation_and_income", "q24", false, "q25", false, "q26", true)
	}
	h := &survey.Household{
		RoundID: "bmn-2564", VillageCode: "70051301", HouseNo: "31/1", SurveyDate: date("2021-03-01"),
		Status: survey.Complete,
		Members: []survey.Member{
			adult("สมชาย", "1980-06-15", survey.RelHead),
			adult("สมหญิง", "1982-02-01", survey.RelSpouse),
			member("ด.ช.ต้น", "2012-05-01", survey.RelChild, "q3", true, "q7", "exertion", "q16", true,
				"q24", false, "q25", false, "q26", true),
		},
		Income:  survey.Income{MainOccupation: 120000, SecondaryOccupation: 20000, Other: 6000, OwnProduce: 4000, OccupationCosts: 6000},
		Answers: answers(),
	}
	for _, c := range []string{"q4_1", "q4_2", "q4_3", "q4_4", "q5_1", "q5_2", "q5_3", "q5_4", "q8_1", "q8_2", "q9", "q10",
		"q11_1", "q11_2", "q11_3", "q11_4", "q11_5_1", "q11_5_2", "q11_5_3", "q11_5_4", "q11_6", "q11_7", "q11_8",
		"q13_1", "q13_2", "q13_3", "q13_4", "q23", "q30", "q31_together", "q31_respect", "q31_consult"} {
		h.Answers[c] = survey.Bool(true)
	}
	for _, c := range []string{"q12_1", "q12_2", "q12_3", "q12_4", "q12_5", "q12_6", "q14_1", "q14_2", "q14_3", "q14_5", "q14_6"} {
		h.Answers[c] = survey.Bool(false)
	}
	return h
}
