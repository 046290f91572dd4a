package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// The tests judge survey year 2564: ages are counted at 31 December 2563 BE
// (2020-12-31), and every expectation below is worked out by hand at that date.
const year = 2564

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustSet(tb testing.TB) *indicator.Set {
	tb.Helper()
	s, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustEngine returns the 2560-2564 engine with TPMAP's MPI (poverty) or none.
func MustEngine(tb testing.TB, poverty bool) *engine.Engine {
	tb.Helper()
	var x *mpi.Index
	if poverty {
		var err error
		if x, err = mpi.New(mpi.TPMAP()); err != nil {
			tb.Fatal(err)
		}
	}
	e, err := engine.New(mustSet(tb), year, x)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func answers(kv ...any) survey.Answers {
	a := survey.Answers{}
	for i := 0; i < len(kv); i += 2 {
		switch v := kv[i+1].(type) {
		case bool:
			a[kv[i].(string)] = survey.Bool(v)
		case string:
			a[kv[i].(string)] = survey.Text(v)
		}
	}
	return a
}

func member(first, birth string, rel survey.Relation, kv ...any) survey.Member {
	return survey.Member{FirstName: first, BirthDate: date(birth), Relation: rel, Resident: true,
		Sex: survey.Male, Occupation: "farming", Education: survey.EduPrimary, Answers: answers(kv...)}
}

// base is a complete three-person household (ages 40, 38 and 8 at the
// reference date; net income 144,000 baht = 48,000 a person) that passes
// every indicator that applies to it.
func base() *survey.Household {
	adult := func(first, birth string, rel survey.Relation) survey.Member {
		return member(first, birth, rel, "q6", true, "q7", "exercise", "q19", true,
			"q20", "occupation_and_income", "q24", false, "q25", false, "q26", true)
	}
	h := &survey.Household{
		RoundID: "bmn-2564", VillageCode: "70051301", HouseCode: "70050000001", HouseNo: "31/1", Status: survey.Complete,
		Members: []survey.Member{
			adult("สมชาย", "1980-06-15", survey.RelHead),
			adult("สมหญิง", "1982-02-01", survey.RelSpouse),
			member("ต้น", "2012-05-01", survey.RelChild, "q3", true, "q7", "exertion", "q16", true,
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

// baseCounts is base()'s eligible/passed per indicator 1..31, by hand:
// 3 (age ≤ 12): the child; 6 (35+): both adults; 7, 24-26 (6+ or all): three;
// 16 (6-14): the child; 19, 20 (15-59): the adults; 1, 2, 15, 17, 18, 21,
// 27-29: nobody eligible; household indicators 1/1.
var baseCounts = map[string]engine.Count{
	"3": {1, 1}, "4": {1, 1}, "5": {1, 1}, "6": {2, 2}, "7": {3, 3}, "8": {1, 1}, "9": {1, 1}, "10": {1, 1},
	"11": {1, 1}, "12": {1, 1}, "13": {1, 1}, "14": {1, 1}, "16": {1, 1}, "19": {2, 2}, "20": {2, 2},
	"22": {1, 1}, "23": {1, 1}, "24": {3, 3}, "25": {3, 3}, "26": {3, 3}, "30": {1, 1}, "31": {1, 1},
}

// counts returns base's indicator counts with changes applied, in set order.
func counts(tb testing.TB, s *indicator.Set, changes map[string]engine.Count) []engine.Count {
	tb.Helper()
	out := make([]engine.Count, len(s.Indicators))
	for i, ind := range s.Indicators {
		out[i] = baseCounts[ind.Code]
		if c, ok := changes[ind.Code]; ok {
			out[i] = c
		}
	}
	return out
}

// stats returns TPMAP Stats holding one person per score mask given as a
// list of indicator ids.
func stats(tb testing.TB, e *engine.Engine, people ...[]string) *mpi.Stats {
	tb.Helper()
	st := e.Poverty().NewStats()
	for _, ids := range people {
		var m uint64
		for _, id := range ids {
			b, ok := e.Poverty().Bit(id)
			if !ok {
				tb.Fatalf("no MPI indicator %s", id)
			}
			m |= b
		}
		if err := st.AddMask(m); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// randomHousehold draws a household with 0-6 members (some not resident),
// random answers to every question of the set (some left blank), incomes
// around the income line, 1 in 10 a draft, in one of villages.
func randomHousehold(rng *rand.Rand, s *indicator.Set, villages []string, n int) *survey.Household {
	h := &survey.Household{
		RoundID: "bmn-2564", VillageCode: villages[rng.IntN(len(villages))],
		HouseCode: fmt.Sprintf("%011d", n), HouseNo: fmt.Sprint(n), Status: survey.Complete,
		Income:  survey.Income{MainOccupation: rng.Int64N(200000), Other: rng.Int64N(30000), OccupationCosts: rng.Int64N(40000)},
		Savings: rng.Int64N(3) * 1000, Answers: survey.Answers{},
	}
	if rng.IntN(10) == 0 {
		h.Status = survey.Draft
	}
	eduCodes := []string{"", survey.EduNone, survey.EduPrimary, survey.EduLowerSecondary, survey.EduBachelor}
	occ := []string{"", survey.OccNone, survey.OccStudent, "farming"}
	for i := range rng.IntN(7) {
		m := survey.Member{No: i + 1, FirstName: fmt.Sprint("m", i), CitizenID: fmt.Sprintf("%013d", n*10+i),
			BirthDate: date("1935-01-01").AddDate(0, 0, rng.IntN(31000)), Resident: rng.IntN(8) != 0,
			Relation: survey.RelChild, Sex: survey.Female, Education: eduCodes[rng.IntN(len(eduCodes))],
			Occupation: occ[rng.IntN(len(occ))], Disabled: rng.IntN(10) == 0, ChronicIll: rng.IntN(6) == 0,
			Dependent: rng.IntN(4) == 0, Answers: survey.Answers{}}
		if i == 0 {
			m.Relation = survey.RelHead
		}
		h.Members = append(h.Members, m)
	}
	for _, q := range s.Questions() {
		draw := func() (survey.Value, bool) {
			if rng.IntN(12) == 0 {
				return survey.Value{}, false
			}
			switch q.Type {
			case survey.TypeBool:
				return survey.Bool(rng.IntN(5) != 0), true
			case survey.TypeChoice:
				return survey.Text(q.Choices[rng.IntN(len(q.Choices))]), true
			}
			return survey.Number(float64(1500 + rng.IntN(2500))), true
		}
		if q.Level == survey.LevelHousehold {
			if v, ok := draw(); ok {
				h.Answers[q.Code] = v
			}
			continue
		}
		for i := range h.Members {
			if v, ok := draw(); ok {
				h.Members[i].Answers[q.Code] = v
			}
		}
	}
	return h
}

func randomHouseholds(seed uint64, s *indicator.Set, villages []string, n int) []*survey.Household {
	rng := rand.New(rand.NewPCG(seed, 7))
	hs := make([]*survey.Household, n)
	for i := range hs {
		hs[i] = randomHousehold(rng, s, villages, i)
	}
	return hs
}

// slice yields hs, for Recompute.
func slice(hs []*survey.Household) func(func(*survey.Household) bool) error {
	return func(yield func(*survey.Household) bool) error {
		for _, h := range hs {
			if !yield(h) {
				return nil
			}
		}
		return nil
	}
}
