package indicator_test

import (
	"testing"

	"tambon/internal/survey"
)

// mod changes a copy of a base household for one case.
type mod func(h *survey.Household)

func set(code string, v any) mod {
	return func(h *survey.Household) { h.Answers[code] = answers(code, v)[code] }
}
func drop(code string) mod    { return func(h *survey.Household) { delete(h.Answers, code) } }
func add(m survey.Member) mod { return func(h *survey.Household) { h.Members = append(h.Members, m) } }

// setP sets a person answer of member i.
func setP(i int, code string, v any) mod {
	return func(h *survey.Household) { h.Members[i].Answers[code] = answers(code, v)[code] }
}

// also applies several mods in order.
func also(ms ...mod) mod {
	return func(h *survey.Household) {
		for _, m := range ms {
			m(h)
		}
	}
}

type indicatorCase struct {
	name string
	code string
	mod  mod // nil: the base household
	want counts
}

// ages at 2020-12-31, the reference date of survey year 2564:
// born 2014-12-31 → 6 (birthday on the date); born 2015-01-01 → 5 (birthday the day after).
var cases2560 = []indicatorCase{
	{"1 nobody born in the reference year", "1", nil, na},
	{"1 born 2020-03-10 weighing exactly 2,500 g passes", "1", add(member("ก", "2020-03-10", survey.RelChild, "q1_weight_g", 2500)), counts{1, 1}},
	{"1 born 2020-03-10 weighing 2,499 g fails", "1", add(member("ก", "2020-03-10", survey.RelChild, "q1_weight_g", 2499)), counts{1, 0}},
	{"1 born on the reference date counts", "1", add(member("ก", "2020-12-31", survey.RelChild, "q1_weight_g", 3000)), counts{1, 1}},
	{"1 born the day before the reference year does not", "1", add(member("ก", "2019-12-31", survey.RelChild, "q1_weight_g", 3000)), na},
	{"1 unanswered weight fails", "1", add(member("ก", "2020-03-10", survey.RelChild)), counts{1, 0}},

	{"2 nobody aged 6-12 months", "2", nil, na},
	{"2 exactly 6 months (born 2020-06-30) breastfed", "2", add(member("ก", "2020-06-30", survey.RelChild, "q2", true)), counts{1, 1}},
	{"2 one day short of 6 months (born 2020-07-01)", "2", add(member("ก", "2020-07-01", survey.RelChild, "q2", true)), na},
	{"2 exactly 12 months (born 2019-12-31) not breastfed", "2", add(member("ก", "2019-12-31", survey.RelChild, "q2", false)), counts{1, 0}},
	{"2 13 months (born 2019-11-30)", "2", add(member("ก", "2019-11-30", survey.RelChild, "q2", false)), na},

	{"3 child of 8 vaccinated", "3", nil, counts{1, 1}},
	{"3 child of 8 not vaccinated", "3", setP(2, "q3", false), counts{1, 0}},
	{"3 exactly 12 (born 2008-12-31) counts", "3", add(member("ก", "2008-12-31", survey.RelChild, "q3", false)), counts{2, 1}},
	{"3 13 on 2020-12-31 (born 2007-12-31) does not", "3", add(member("ก", "2007-12-31", survey.RelChild)), counts{1, 1}},

	{"4 all four yes", "4", nil, counts{1, 1}},
	{"4 meat not cooked", "4", set("q4_2", false), counts{1, 0}},
	{"4 an item unanswered fails", "4", drop("q4_3"), counts{1, 0}},
	{"5 all four yes", "5", nil, counts{1, 1}},
	{"5 takes grocery drug mixes", "5", set("q5_2", false), counts{1, 0}},

	{"6 two adults checked", "6", nil, counts{2, 2}},
	{"6 head not checked", "6", setP(0, "q6", false), counts{2, 1}},
	{"6 exactly 35 (born 1985-12-31) counts", "6", add(member("ก", "1985-12-31", survey.RelRelative, "q6", false)), counts{3, 2}},
	{"6 turns 35 the day after (born 1986-01-01)", "6", add(member("ก", "1986-01-01", survey.RelRelative)), counts{2, 2}},
	{"6 only children", "6", func(h *survey.Household) { h.Members = h.Members[2:] }, na},

	{"7 three members aged 6+", "7", nil, counts{3, 3}},
	{"7 neither exercises nor exerts", "7", setP(1, "q7", "neither"), counts{3, 2}},
	{"7 exactly 6 (born 2014-12-31) counts", "7", add(member("ก", "2014-12-31", survey.RelChild, "q7", "neither")), counts{4, 3}},
	{"7 turns 6 the day after (born 2015-01-01)", "7", add(member("ก", "2015-01-01", survey.RelChild)), counts{3, 3}},
	{"7 turned 6 the day before (born 2014-12-30)", "7", add(member("ก", "2014-12-30", survey.RelChild, "q7", "exercise")), counts{4, 4}},

	{"8 secure and durable", "8", nil, counts{1, 1}},
	{"8 not durable", "8", set("q8_2", false), counts{1, 0}},
	{"9 enough drinking water", "9", nil, counts{1, 1}},
	{"9 not enough", "9", set("q9", false), counts{1, 0}},
	{"10 enough water for use", "10", nil, counts{1, 1}},
	{"10 not enough", "10", set("q10", false), counts{1, 0}},
	{"11 all eleven", "11", nil, counts{1, 1}},
	{"11 wet waste mishandled (11.5.4)", "11", set("q11_5_4", false), counts{1, 0}},
	{"12 undisturbed", "12", nil, counts{1, 1}},
	{"12 dust", "12", set("q12_3", true), counts{1, 0}},
	{"13 all precautions", "13", nil, counts{1, 1}},
	{"13 no disaster preparedness", "13", set("q13_4", false), counts{1, 0}},
	{"14 no crime", "14", nil, counts{1, 1}},
	{"14 property crime", "14", set("q14_3", true), counts{1, 0}},

	{"15 no child aged 3-5", "15", nil, na},
	{"15 exactly 5 (born 2015-12-31) without pre-school", "15", add(member("ก", "2015-12-31", survey.RelChild, "q15", false)), counts{1, 0}},
	{"15 exactly 3 (born 2017-12-31) with pre-school", "15", add(member("ก", "2017-12-31", survey.RelChild, "q15", true)), counts{1, 1}},
	{"15 exactly 6 (born 2014-12-31) is past it", "15", add(member("ก", "2014-12-31", survey.RelChild)), na},

	{"16 child of 8 enrolled", "16", nil, counts{1, 1}},
	{"16 child of 8 not enrolled", "16", setP(2, "q16", false), counts{1, 0}},
	{"16 exactly 15 (born 2005-12-31) is past it", "16", add(member("ก", "2005-12-31", survey.RelChild)), counts{1, 1}},
	{"16 exactly 14 (born 2006-12-31) counts", "16", add(member("ก", "2006-12-31", survey.RelChild, "q16", false)), counts{2, 1}},

	{"17 nobody finished M.3", "17", nil, na},
	{"17 finished M.3 and went on", "17", add(member("ก", "2005-05-05", survey.RelChild, "q17_finished_m3", true, "q17", true)), counts{1, 1}},
	{"17 finished M.3 and stopped", "17", add(member("ก", "2005-05-05", survey.RelChild, "q17_finished_m3", true, "q17", false)), counts{1, 0}},
	{"17 said no to finishing M.3", "17", add(member("ก", "2005-05-05", survey.RelChild, "q17_finished_m3", false)), na},

	{"18 nobody out of school and work after M.3", "18", nil, na},
	{"18 M.3 leaver without work, trained", "18", add(leaver("q18", true)), counts{1, 1}},
	{"18 M.3 leaver without work, untrained", "18", add(leaver("q18", false)), counts{1, 0}},
	{"18 M.3 leaver now studying", "18", add(func() survey.Member { m := leaver(); m.Occupation = survey.OccStudent; return m }()), na},

	{"19 two adults literate", "19", nil, counts{2, 2}},
	{"19 spouse cannot read", "19", setP(1, "q19", false), counts{2, 1}},
	{"19 exactly 15 (born 2005-12-31) counts", "19", add(member("ก", "2005-12-31", survey.RelChild, "q19", true)), counts{3, 3}},
	{"19 exactly 59 (born 1961-12-31) counts", "19", add(member("ก", "1961-12-31", survey.RelParent, "q19", false)), counts{3, 2}},
	{"19 exactly 60 (born 1960-12-31) does not", "19", add(member("ก", "1960-12-31", survey.RelParent)), counts{2, 2}},
	{"19 turns 15 the day after (born 2006-01-01) does not", "19", add(member("ก", "2006-01-01", survey.RelChild)), counts{2, 2}},

	{"20 two adults with occupation and income", "20", nil, counts{2, 2}},
	{"20 income without occupation fails", "20", setP(0, "q20", "income_only"), counts{2, 1}},
	{"20 student only is left out", "20", add(func() survey.Member {
		m := member("ก", "2004-01-01", survey.RelChild)
		m.Occupation = survey.OccStudent
		return m
	}()), counts{2, 2}},
	{"20 disabled and dependent is left out", "20", add(func() survey.Member {
		m := member("ก", "1990-01-01", survey.RelSibling)
		m.Disabled, m.Dependent = true, true
		return m
	}()), counts{2, 2}},
	{"20 disabled but self-reliant counts", "20", add(func() survey.Member {
		m := member("ก", "1990-01-01", survey.RelSibling, "q20", "neither")
		m.Disabled = true
		return m
	}()), counts{3, 2}},
	{"20 exactly 59 (born 1961-12-31) counts", "20", add(member("ก", "1961-12-31", survey.RelParent, "q20", "neither")), counts{3, 2}},

	{"21 nobody aged 60+", "21", nil, na},
	{"21 exactly 60 (born 1960-12-31) with occupation", "21", add(member("ก", "1960-12-31", survey.RelParent, "q21", "occupation_and_income")), counts{1, 1}},
	{"21 turns 60 the day after (born 1961-01-01)", "21", add(member("ก", "1961-01-01", survey.RelParent)), na},
	{"21 turned 60 the day before (born 1960-12-30), no occupation", "21", add(member("ก", "1960-12-30", survey.RelParent, "q21", "neither")), counts{1, 0}},
	{"21 pension only fails", "21", add(member("ก", "1950-01-01", survey.RelParent, "q21", "income_only")), counts{1, 0}},
	{"21 disabled and dependent is left out", "21", add(func() survey.Member {
		m := member("ก", "1950-01-01", survey.RelParent)
		m.Disabled, m.Dependent = true, true
		return m
	}()), na},

	{"22 48,000 per person passes", "22", nil, counts{1, 1}},
	{"22 exactly 38,000 per person passes", "22", income(114000, 0), counts{1, 1}},
	{"22 37,999 per person (1 baht below) fails", "22", income(113997, 0), counts{1, 0}},
	{"22 costs are subtracted: 120,000 - 6,003 = 113,997", "22", income(120000, 6003), counts{1, 0}},
	{"22 a non-resident does not divide the income", "22", also(income(114000, 0), add(func() survey.Member {
		m := member("ก", "1990-01-01", survey.RelChild)
		m.Resident = false
		return m
	}())), counts{1, 1}},

	{"23 saves", "23", nil, counts{1, 1}},
	{"23 no saving", "23", set("q23", false), counts{1, 0}},
	{"23 no form ticked but 500 baht saved", "23", also(set("q23", false), func(h *survey.Household) { h.Savings = 500 }), counts{1, 1}},

	{"24 nobody drinks", "24", nil, counts{3, 3}},
	{"24 head drinks", "24", setP(0, "q24", true), counts{3, 2}},
	{"25 nobody smokes", "25", nil, counts{3, 3}},
	{"25 head smokes", "25", setP(0, "q25", true), counts{3, 2}},
	{"26 all practise", "26", nil, counts{3, 3}},
	{"26 child does not", "26", setP(2, "q26", false), counts{3, 2}},
	{"26 a 5-year-old is not asked", "26", add(member("ก", "2015-01-01", survey.RelChild)), counts{3, 3}},

	{"27 nobody aged 60+", "27", nil, na},
	{"27 exactly 60 cared for", "27", add(member("ก", "1960-12-31", survey.RelParent, "q27", true)), counts{1, 1}},
	{"27 older person not cared for", "27", add(member("ก", "1940-12-31", survey.RelParent, "q27", false)), counts{1, 0}},
	{"28 nobody disabled", "28", nil, na},
	{"28 disabled not cared for", "28", add(flagged("disabled", "q28", false)), counts{1, 0}},
	{"28 disabled cared for", "28", add(flagged("disabled", "q28", true)), counts{1, 1}},
	{"29 nobody chronically ill", "29", nil, na},
	{"29 chronically ill cared for", "29", add(flagged("chronic", "q29", true)), counts{1, 1}},
	{"29 chronically ill not cared for", "29", add(flagged("chronic", "q29", false)), counts{1, 0}},

	{"30 takes part", "30", nil, counts{1, 1}},
	{"30 does not", "30", set("q30", false), counts{1, 0}},

	{"31 three members, all three yes", "31", nil, counts{1, 1}},
	{"31 three members, serious quarrels", "31", set("q31_respect", false), counts{1, 0}},
	{"31 alone, visits relatives", "31", alone("q31_has_relatives", true, "q31_visits", true), counts{1, 1}},
	{"31 alone, never visits relatives", "31", alone("q31_has_relatives", true, "q31_visits", false), counts{1, 0}},
	{"31 alone without relatives, happy (stated on the form)", "31", alone("q31_has_relatives", false, "q31_happy", true), counts{1, 1}},
	{"31 alone without relatives, unhappy", "31", alone("q31_has_relatives", false, "q31_happy", false), counts{1, 0}},
}

// leaver is a 17-year-old whose highest level is M.3 and who has no occupation.
func leaver(kv ...any) survey.Member {
	m := member("ก", "2003-06-01", survey.RelChild, kv...)
	m.Education, m.Occupation = survey.EduLowerSecondary, survey.OccNone
	return m
}

// flagged is an adult of 50 who is disabled or chronically ill.
func flagged(flag string, kv ...any) survey.Member {
	m := member("ก", "1970-01-01", survey.RelRelative, kv...)
	m.Disabled, m.ChronicIll = flag == "disabled", flag == "chronic"
	return m
}

// income sets gross cash income and occupational costs, nothing else.
func income(gross, costs int64) mod {
	return func(h *survey.Household) { h.Income = survey.Income{MainOccupation: gross, OccupationCosts: costs} }
}

// alone keeps only the head and sets the lone-household answers of item 31.
func alone(kv ...any) mod {
	return func(h *survey.Household) {
		h.Members = h.Members[:1]
		for k, v := range answers(kv...) {
			h.Answers[k] = v
		}
	}
}

func TestSet2560Indicators(t *testing.T) {
	runCases(t, mustSet(t, "bmn-2560-2564"), year, base60, cases2560)
}
