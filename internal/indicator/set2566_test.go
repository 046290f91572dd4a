package indicator_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// The 2566-2570 cases judge survey year 2567: the reference date is
// 2023-12-31. Born 2017-12-31 → 6 on the date; born 2018-01-01 → 5.
const year66 = 2567

// base66 is the three-person household of base60 moved to 2567, answering
// the 2566-2570 questions so that everything that applies passes. Its income
// is 48,000 baht/person/year, under the 100,000 welfare cap, so W02 applies.
func base66() *survey.Household {
	adult := func(first, birth string, rel survey.Relation) survey.Member {
		return member(first, birth, rel, "h09", true, "h11_covered", true, "h11_knows", true, "h12", true,
			"ed04_thai", true, "ed04_english", true, "ed04_math", true, "ed05", true, "ec01", "occupation_and_income")
	}
	h := &survey.Household{
		RoundID: "bmn-2567", VillageCode: "70051301", HouseNo: "31/1", SurveyDate: date("2024-03-01"),
		Status: survey.Complete,
		Members: []survey.Member{
			adult("สมชาย", "1983-06-15", survey.RelHead),
			adult("สมหญิง", "1985-02-01", survey.RelSpouse),
			member("ด.ช.ต้น", "2015-05-01", survey.RelChild, "h04", true, "h09", true, "h11_covered", true,
				"h11_knows", true, "ed02", true, "ed05", true),
		},
		Income:  survey.Income{MainOccupation: 150000, OccupationCosts: 6000},
		Answers: answers("he03", false, "he05", false),
	}
	for _, c := range []string{"h06_1", "h06_2", "h06_3", "h06_4", "h07", "h08_1", "h08_2", "h08_3", "h08_4",
		"he01_1", "he01_2", "he02_1", "he02_2", "he04_1", "he04_2", "he06_1", "he06_2", "he07", "he08_1", "he08_2", "he09",
		"ec04", "w02", "w03", "fc01_together", "fc01_respect", "fc01_consult", "fc02"} {
		h.Answers[c] = survey.Bool(true)
	}
	return h
}

func female(first, birth string, kv ...any) survey.Member {
	m := member(first, birth, survey.RelSpouse, kv...)
	m.Sex = survey.Female
	return m
}

func withFlags(m survey.Member, f func(*survey.Member)) survey.Member { f(&m); return m }

var cases2566 = []indicatorCase{
	{"H01 nobody gave birth", "H01", nil, na},
	{"H01 mother with quality antenatal care", "H01", add(female("ก", "1993-01-01", "h01_gave_birth", true, "h01", true)), counts{1, 1}},
	{"H01 mother without", "H01", add(female("ก", "1993-01-01", "h01_gave_birth", true, "h01", false)), counts{1, 0}},
	{"H01 a man's answer does not make him eligible", "H01", add(member("ก", "1993-01-01", survey.RelSibling, "h01_gave_birth", true)), na},
	{"H02 born 2023-03-10 at exactly 2,500 g", "H02", add(member("ก", "2023-03-10", survey.RelChild, "h02_weight_g", 2500)), counts{1, 1}},
	{"H02 born 2023-03-10 at 2,499 g", "H02", add(member("ก", "2023-03-10", survey.RelChild, "h02_weight_g", 2499)), counts{1, 0}},
	{"H02 born 2022-12-31, before the reference year", "H02", add(member("ก", "2022-12-31", survey.RelChild)), na},
	{"H03 exactly 6 months (born 2023-06-30)", "H03", add(member("ก", "2023-06-30", survey.RelChild, "h03", true)), counts{1, 1}},
	{"H03 exactly 12 months (born 2022-12-31), not breastfed", "H03", add(member("ก", "2022-12-31", survey.RelChild, "h03", false)), counts{1, 0}},
	{"H03 5 months (born 2023-07-01)", "H03", add(member("ก", "2023-07-01", survey.RelChild)), na},
	{"H04 child of 8 vaccinated", "H04", nil, counts{1, 1}},
	{"H04 not vaccinated", "H04", setP(2, "h04", false), counts{1, 0}},
	{"H05 no child under 6", "H05", nil, na},
	{"H05 exactly 5 (born 2018-12-31) developing well", "H05", add(member("ก", "2018-12-31", survey.RelChild, "h05", true)), counts{1, 1}},
	{"H05 3-year-old delayed", "H05", add(member("ก", "2020-05-05", survey.RelChild, "h05", false)), counts{1, 0}},
	{"H05 exactly 6 (born 2017-12-31) is past it", "H05", add(member("ก", "2017-12-31", survey.RelChild)), na},
	{"H06 safe food", "H06", nil, counts{1, 1}},
	{"H06 no serving spoons", "H06", set("h06_4", false), counts{1, 0}},
	{"H07 guards against risks", "H07", nil, counts{1, 1}},
	{"H07 does not", "H07", set("h07", false), counts{1, 0}},
	{"H08 all of 8.1-8.4", "H08", nil, counts{1, 1}},
	{"H08 cannot take blood pressure (8.2)", "H08", set("h08_2", false), counts{1, 0}},
	{"H09 three aged 6+", "H09", nil, counts{3, 3}},
	{"H09 exactly 6 (born 2017-12-31) not exercising", "H09", add(member("ก", "2017-12-31", survey.RelChild, "h09", false)), counts{4, 3}},
	{"H09 turns 6 the day after (born 2018-01-01)", "H09", add(member("ก", "2018-01-01", survey.RelChild)), counts{3, 3}},
	{"H10 nobody bedridden", "H10", nil, na},
	{"H10 bedridden, cared for", "H10", add(withFlags(member("ก", "1940-01-01", survey.RelParent, "h10", true), func(m *survey.Member) { m.Bedridden = true })), counts{1, 1}},
	{"H10 bedridden, not cared for", "H10", add(withFlags(member("ก", "1940-01-01", survey.RelParent, "h10", false), func(m *survey.Member) { m.Bedridden = true })), counts{1, 0}},
	{"H11 everybody covered and knows where", "H11", nil, counts{3, 3}},
	{"H11 child does not know where", "H11", setP(2, "h11_knows", false), counts{3, 2}},
	{"H12 two adults checked", "H12", nil, counts{2, 2}},
	{"H12 exactly 35 (born 1988-12-31) not checked", "H12", add(member("ก", "1988-12-31", survey.RelSibling, "h12", false)), counts{3, 2}},
	{"H12 turns 35 the day after (born 1989-01-01)", "H12", add(member("ก", "1989-01-01", survey.RelSibling)), counts{2, 2}},
	{"HE01 secure and durable", "HE01", nil, counts{1, 1}},
	{"HE01 insecure tenure", "HE01", set("he01_1", false), counts{1, 0}},
	{"HE02 hygienic home and waste", "HE02", nil, counts{1, 1}},
	{"HE02 no waste collection", "HE02", set("he02_2", false), counts{1, 0}},
	{"HE03 no pollution", "HE03", nil, counts{1, 1}},
	{"HE03 polluted", "HE03", set("he03", true), counts{1, 0}},
	{"HE04 prevention and preparedness", "HE04", nil, counts{1, 1}},
	{"HE04 unprepared", "HE04", set("he04_2", false), counts{1, 0}},
	{"HE05 safe", "HE05", nil, counts{1, 1}},
	{"HE05 crime", "HE05", set("he05", true), counts{1, 0}},
	{"HE06 enough water", "HE06", nil, counts{1, 1}},
	{"HE06 not enough for use", "HE06", set("he06_2", false), counts{1, 0}},
	{"HE07 electricity", "HE07", nil, counts{1, 1}},
	{"HE07 none", "HE07", set("he07", false), counts{1, 0}},
	{"HE08 phone and internet", "HE08", nil, counts{1, 1}},
	{"HE08 no internet", "HE08", set("he08_2", false), counts{1, 0}},
	{"HE09 public transport", "HE09", nil, counts{1, 1}},
	{"HE09 none", "HE09", set("he09", false), counts{1, 0}},
	{"ED01 no child under 6", "ED01", nil, na},
	{"ED01 exactly 5 (born 2018-12-31) on track", "ED01", add(member("ก", "2018-12-31", survey.RelChild, "ed01", true)), counts{1, 1}},
	{"ED01 4-year-old behind", "ED01", add(member("ก", "2019-06-01", survey.RelChild, "ed01", false)), counts{1, 0}},
	{"ED02 child of 8 enrolled", "ED02", nil, counts{1, 1}},
	{"ED02 child of 8 not enrolled", "ED02", setP(2, "ed02", false), counts{1, 0}},
	{"ED02 exactly 15 (born 2008-12-31), out of school, finished M.3", "ED02",
		add(withFlags(member("ก", "2008-12-31", survey.RelChild, "ed02", false), func(m *survey.Member) { m.Education = survey.EduLowerSecondary })), counts{2, 2}},
	{"ED02 exactly 15, out of school, only primary", "ED02", add(member("ก", "2008-12-31", survey.RelChild, "ed02", false)), counts{2, 1}},
	{"ED02 16 (born 2007-12-31) is past it", "ED02", add(member("ก", "2007-12-31", survey.RelChild)), counts{1, 1}},
	{"ED03 nobody finished M.3", "ED03", nil, na},
	{"ED03 finished M.3, went on", "ED03", add(member("ก", "2008-05-05", survey.RelChild, "ed03_finished_m3", true, "ed03", true)), counts{1, 1}},
	{"ED03 finished M.3, stopped", "ED03", add(member("ก", "2008-05-05", survey.RelChild, "ed03_finished_m3", true, "ed03", false)), counts{1, 0}},
	{"ED04 two adults, all three skills", "ED04", nil, counts{2, 2}},
	{"ED04 spouse has no English", "ED04", setP(1, "ed04_english", false), counts{2, 1}},
	{"ED04 exactly 15 (born 2008-12-31) counts", "ED04", add(member("ก", "2008-12-31", survey.RelChild, "ed04_thai", true, "ed04_english", true, "ed04_math", false)), counts{3, 2}},
	{"ED04 exactly 60 (born 1963-12-31) does not", "ED04", add(member("ก", "1963-12-31", survey.RelParent)), counts{2, 2}},
	{"ED05 three aged 6-59", "ED05", nil, counts{3, 3}},
	{"ED05 child lacks skills", "ED05", setP(2, "ed05", false), counts{3, 2}},
	{"EC01 two adults working", "EC01", nil, counts{2, 2}},
	{"EC01 head has income but no occupation", "EC01", setP(0, "ec01", "income_only"), counts{2, 1}},
	{"EC01 a student is left out", "EC01", add(withFlags(member("ก", "2005-01-01", survey.RelChild), func(m *survey.Member) { m.Occupation = survey.OccStudent })), counts{2, 2}},
	{"EC02 nobody aged 60+", "EC02", nil, na},
	{"EC02 exactly 60 (born 1963-12-31) working", "EC02", add(member("ก", "1963-12-31", survey.RelParent, "ec02", "occupation_and_income")), counts{1, 1}},
	{"EC02 allowance only", "EC02", add(member("ก", "1950-01-01", survey.RelParent, "ec02", "income_only")), counts{1, 0}},
	{"EC03 48,000 per person", "EC03", nil, counts{1, 1}},
	{"EC03 exactly 38,000 per person", "EC03", income(114000, 0), counts{1, 1}},
	{"EC03 37,999 per person (1 baht below)", "EC03", income(113997, 0), counts{1, 0}},
	{"EC04 saves", "EC04", nil, counts{1, 1}},
	{"EC04 does not", "EC04", set("ec04", false), counts{1, 0}},
	{"W01 no young child", "W01", nil, na},
	{"W01 4-year-old receives the grant", "W01", add(member("ก", "2019-06-01", survey.RelChild, "w01", true)), counts{1, 1}},
	{"W01 exactly 6 (born 2017-12-31) without it", "W01", add(member("ก", "2017-12-31", survey.RelChild, "w01", false)), counts{1, 0}},
	{"W01 7 (born 2016-12-31) is past it", "W01", add(member("ก", "2016-12-31", survey.RelChild)), na},
	{"W01 exactly at the cap: 400,000 / 4 = 100,000", "W01", also(add(member("ก", "2019-06-01", survey.RelChild, "w01", true)), income(400000, 0)), counts{1, 1}},
	{"W01 1 baht over the cap: 400,004 / 4 = 100,001", "W01", also(add(member("ก", "2019-06-01", survey.RelChild)), income(400004, 0)), na},
	{"W02 receives state welfare", "W02", nil, counts{1, 1}},
	{"W02 neither welfare nor a card", "W02", set("w02", false), counts{1, 0}},
	{"W02 no payment recorded but the spouse holds a welfare card", "W02", also(set("w02", false), func(h *survey.Household) { h.Members[1].WelfareCard = true }), counts{1, 1}},
	{"W02 over the cap: 300,003 / 3 = 100,001", "W02", income(300003, 0), na},
	{"W03 protected", "W03", nil, counts{1, 1}},
	{"W03 not", "W03", set("w03", false), counts{1, 0}},
	{"W04 nobody aged 60+", "W04", nil, na},
	{"W04 older person cared for", "W04", add(member("ก", "1950-01-01", survey.RelParent, "w04", true)), counts{1, 1}},
	{"W04 not cared for", "W04", add(member("ก", "1950-01-01", survey.RelParent, "w04", false)), counts{1, 0}},
	{"W05 nobody disabled", "W05", nil, na},
	{"W05 disabled, cared for", "W05", add(flagged("disabled", "w05", true)), counts{1, 1}},
	{"W05 disabled, not cared for", "W05", add(flagged("disabled", "w05", false)), counts{1, 0}},
	{"FC01 three members, all yes", "FC01", nil, counts{1, 1}},
	{"FC01 three members, no joint time", "FC01", set("fc01_together", false), counts{1, 0}},
	{"FC01 alone, visits relatives", "FC01", alone("fc01_has_relatives", true, "fc01_visits", true), counts{1, 1}},
	{"FC01 alone without relatives, unhappy", "FC01", alone("fc01_has_relatives", false, "fc01_happy", false), counts{1, 0}},
	{"FC02 takes part", "FC02", nil, counts{1, 1}},
	{"FC02 does not", "FC02", set("fc02", false), counts{1, 0}},
}

// withIncomeLine returns the built-in 2566-2570 set with an income line of
// 38,000 for survey year 2567 added to its data, as an office would add the
// handbook's figure: no Go code changes.
func withIncomeLine(t *testing.T) *indicator.Set {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(mustSet(t, "bmn-2566-2570").File(), &f); err != nil {
		t.Fatal(err)
	}
	th := f["thresholds"].(map[string]any)["income_threshold"].(map[string]any)
	th["by_year"] = map[string]any{"2567": 38000}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	s, err := indicator.Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSet2566Indicators(t *testing.T) {
	runCases(t, withIncomeLine(t), year66, base66, cases2566)
}

// With no income line for the year, EC03 is not applicable, and says why.
func TestSet2566IncomeLineUnknown(t *testing.T) {
	s := mustSet(t, "bmn-2566-2570")
	i := index(t, s, "EC03")
	got := s.Explain(base66(), year66)[i]
	if got.Applicable || got.Eligible != 0 {
		t.Fatalf("EC03 without a threshold: got %+v, want not applicable", got)
	}
	if want := "no income threshold (baht/person/year) is set for survey year 2567"; got.Reason.EN != want {
		t.Errorf("reason %q, want %q", got.Reason.EN, want)
	}
}
