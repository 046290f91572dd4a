package gen

import (
	"math"

	"tambon/internal/survey"
)

// Indicator positions (number − 1) in the 2560-2564 set.
const (
	iNewborn = iota
	iBreastfed
	iVaccinated
	iFood
	iMedicine
	iCheckUp
	iExercise
	iHousing
	iDrinkWater
	iWater
	iTidyHome
	iPollution
	iAccidents
	iSafety
	iPreschool
	iCompulsory
	iM4
	iTraining
	iLiteracy
	iWorkAdult
	iWorkElder
	iIncome
	iSaving
	iAlcohol
	iSmoking
	iReligion
	iElderCare
	iDisabledCare
	iChronicCare
	iPublic
	iWarmFamily
)

// Household questions by indicator: for multi-item indicators each item's
// code and its passing answer (12 and 14 pass when nothing happened).
var (
	itemsFood      = []string{"q4_1", "q4_2", "q4_3", "q4_4"}
	itemsMedicine  = []string{"q5_1", "q5_2", "q5_3", "q5_4"}
	itemsHousing   = []string{"q8_1", "q8_2"}
	itemsTidy      = []string{"q11_1", "q11_2", "q11_3", "q11_4", "q11_5_1", "q11_5_2", "q11_5_3", "q11_5_4", "q11_6", "q11_7", "q11_8"}
	itemsPollution = []string{"q12_1", "q12_2", "q12_3", "q12_4", "q12_5", "q12_6"}
	itemsAccidents = []string{"q13_1", "q13_2", "q13_3", "q13_4"}
	itemsSafety    = []string{"q14_1", "q14_2", "q14_3", "q14_5", "q14_6"}
	itemsFamily    = []string{"q31_together", "q31_respect", "q31_consult"}
)

// personQuestion is the question deciding each person indicator, by index.
var personQuestion = [NumIndicators]string{
	iNewborn: "q1_weight_g", iBreastfed: "q2", iVaccinated: "q3", iCheckUp: "q6", iExercise: "q7",
	iPreschool: "q15", iCompulsory: "q16", iM4: "q17", iTraining: "q18", iLiteracy: "q19",
	iWorkAdult: "q20", iWorkElder: "q21", iAlcohol: "q24", iSmoking: "q25", iReligion: "q26",
	iElderCare: "q27", iDisabledCare: "q28", iChronicCare: "q29",
}

// allQuestions lists every question the generator writes; Generate checks
// the set has them all.
var allQuestions = func() []string {
	qs := []string{"q9", "q10", "q23", "q30", "q31_has_relatives", "q31_visits", "q31_happy", "q17_finished_m3"}
	for _, l := range [][]string{itemsFood, itemsMedicine, itemsHousing, itemsTidy, itemsPollution, itemsAccidents, itemsSafety, itemsFamily} {
		qs = append(qs, l...)
	}
	for _, q := range personQuestion {
		if q != "" {
			qs = append(qs, q)
		}
	}
	return qs
}()

// personOrder is the order person indicators are settled in: 20 and 21 fix
// occupations, which decide who is eligible for 18.
var personOrder = [...]int{
	iNewborn, iBreastfed, iVaccinated, iCheckUp, iExercise, iPreschool, iCompulsory, iM4,
	iLiteracy, iWorkAdult, iWorkElder, iTraining, iAlcohol, iSmoking, iReligion,
	iElderCare, iDisabledCare, iChronicCare,
}

// eligible mirrors the set's "eligible" rules for person indicator i.
func (g *generator) eligible(i int, k int) bool {
	m, p := &g.members[k], &g.people[k]
	a := p.age
	switch i {
	case iNewborn:
		return m.BirthDate.Year() == g.refYear
	case iBreastfed:
		return p.months >= 6 && p.months <= 12
	case iVaccinated:
		return a <= 12
	case iCheckUp:
		return a >= 35
	case iExercise, iReligion:
		return a >= 6
	case iPreschool:
		return a >= 3 && a <= 5
	case iCompulsory:
		return a >= 6 && a <= 14
	case iM4:
		return p.m3
	case iTraining:
		return a >= 15 && a <= 59 && m.Education == survey.EduLowerSecondary && m.Occupation == survey.OccNone
	case iLiteracy:
		return a >= 15 && a <= 59
	case iWorkAdult:
		return a >= 15 && a <= 59 && m.Occupation != survey.OccStudent && !(m.Disabled && m.Dependent)
	case iWorkElder:
		return a >= 60 && !(m.Disabled && m.Dependent)
	case iAlcohol, iSmoking:
		return true
	case iElderCare:
		return a >= 60
	case iDisabledCare:
		return m.Disabled
	case iChronicCare:
		return m.ChronicIll
	}
	return false
}

// answers writes every answer the set asks, failing each indicator in this
// household or not as the village's calibration decides.
func (g *generator) answers() {
	v, h := &g.v, &g.h
	r := v.rng
	res := int64(len(h.Members))

	items := func(i int, codes []string, pass bool) {
		fail := -1
		if v.decide(i, res) {
			fail = r.IntN(len(codes))
		}
		for k, c := range codes {
			h.Answers[c] = survey.Bool((k != fail) == pass)
		}
	}
	single := func(i int, code string) {
		h.Answers[code] = survey.Bool(!v.decide(i, res))
	}
	items(iFood, itemsFood, true)
	items(iMedicine, itemsMedicine, true)
	items(iHousing, itemsHousing, true)
	single(iDrinkWater, "q9")
	single(iWater, "q10")
	items(iTidyHome, itemsTidy, true)
	items(iPollution, itemsPollution, false)
	items(iAccidents, itemsAccidents, true)
	items(iSafety, itemsSafety, false)
	h.Answers["q23"] = survey.Bool(g.moneyAnswers())
	single(iPublic, "q30")
	if res >= 2 {
		items(iWarmFamily, itemsFamily, true)
	} else {
		fail := v.decide(iWarmFamily, res)
		rel := r.IntN(10) < 9
		h.Answers["q31_has_relatives"] = survey.Bool(rel)
		if rel {
			h.Answers["q31_visits"] = survey.Bool(!fail)
		} else {
			h.Answers["q31_happy"] = survey.Bool(!fail)
		}
	}

	for k := range h.Members {
		if g.people[k].m3 {
			h.Members[k].Answers["q17_finished_m3"] = survey.Bool(true)
		}
	}
	for _, i := range personOrder {
		g.personIndicator(i, res)
		if i == iWorkElder {
			for k := range h.Members {
				g.settleIneligibleOccupation(k)
			}
		}
	}
}

// personIndicator settles person indicator i: if some member is eligible,
// the household fails or not as calibrated, and then one eligible member
// (for drinking and smoking preferably an adult man, and sometimes more
// than one) fails while the others pass.
func (g *generator) personIndicator(i int, res int64) {
	v, h := &g.v, &g.h
	r := v.rng
	n, men := 0, 0
	for k := range h.Members {
		e := g.eligible(i, k)
		g.people[k].eligible[i] = e
		if e {
			n++
			if h.Members[k].Sex == survey.Male && g.people[k].age >= 18 {
				men++
			}
		}
	}
	if n == 0 {
		return
	}
	failer := -1
	if v.decide(i, res) {
		pick, want := r.IntN(n), false
		if (i == iAlcohol || i == iSmoking) && men > 0 {
			pick, want = r.IntN(men), true
		}
		for k := range h.Members {
			if !g.people[k].eligible[i] || want && !(h.Members[k].Sex == survey.Male && g.people[k].age >= 18) {
				continue
			}
			if pick == 0 {
				failer = k
				break
			}
			pick--
		}
	}
	q := personQuestion[i]
	for k := range h.Members {
		if !g.people[k].eligible[i] {
			continue
		}
		fail := k == failer
		if !fail && k != failer && failer >= 0 && (i == iAlcohol || i == iSmoking) &&
			g.people[k].age >= 18 && r.IntN(4) == 0 {
			fail = true // others in a drinking household sometimes drink too
		}
		g.people[k].failAns[i] = fail
		h.Members[k].Answers[q] = g.personAnswer(i, k, fail)
	}
}

// settleIneligibleOccupation gives members outside indicators 20/21 who
// have no occupation yet (the disabled who cannot look after themselves)
// "none".
func (g *generator) settleIneligibleOccupation(k int) {
	m := &g.h.Members[k]
	if m.Occupation == "" && g.people[k].age >= 15 {
		m.Occupation = survey.OccNone
	}
}

// personAnswer is member k's answer to indicator i's question, failing or
// passing; for 20 and 21 it also sets the member's occupation to match.
func (g *generator) personAnswer(i, k int, fail bool) survey.Value {
	r := g.v.rng
	m := &g.h.Members[k]
	switch i {
	case iNewborn:
		if fail {
			return survey.Number(float64(1500 + r.IntN(1000)))
		}
		return survey.Number(float64(2500 + r.IntN(1500)))
	case iExercise:
		switch {
		case fail:
			return survey.Text("neither")
		case r.IntN(10) < 6:
			return survey.Text("exertion")
		}
		return survey.Text("exercise")
	case iWorkAdult, iWorkElder:
		if fail {
			m.Occupation = survey.OccNone
			if i == iWorkElder || r.IntN(10) < 4 {
				return survey.Text("income_only") // allowance, pension, remittances
			}
			return survey.Text("neither")
		}
		if i == iWorkElder {
			m.Occupation = elderWork[r.IntN(len(elderWork))]
		} else {
			x := r.IntN(100)
			for _, w := range workingAge {
				if x < w.weight {
					m.Occupation = w.code
					break
				}
				x -= w.weight
			}
		}
		return survey.Text("occupation_and_income")
	case iAlcohol, iSmoking:
		return survey.Bool(fail)
	}
	return survey.Bool(!fail)
}

// moneyAnswers draws the household's income, debts and savings, calibrated
// by indicators 22 and 23, and reports whether it saves.
func (g *generator) moneyAnswers() bool {
	v, h := &g.v, &g.h
	res := int64(len(h.Members))
	g.income(v.decide(iIncome, res))
	if v.decide(iSaving, res) {
		h.Savings = 0
		return false
	}
	h.Savings = int64(math.Round(math.Exp(9+0.9*v.rng.NormFloat64())/100) * 100)
	return true
}

// income writes the household's income (net per resident below the 38,000
// baht line when it fails indicator 22, above it otherwise), drawn from a
// lognormal around the village's mean, and its debts.
func (g *generator) income(fail bool) {
	const sigma, line = 0.65, 38000.0
	v, h := &g.v, &g.h
	r := v.rng
	res := int64(len(h.Members))
	f := 0.5 * math.Erfc(-(math.Log(line)-v.incomeMu)/(sigma*math.Sqrt2)) // P(X < line)
	u := r.Float64()
	if fail {
		u *= f
	} else {
		u = f + (1-f)*u
	}
	u = min(max(u, 1e-9), 1-1e-9)
	pp := math.Exp(v.incomeMu + sigma*math.Sqrt2*math.Erfinv(2*u-1))
	net := int64(math.Round(pp)) * res
	if fail {
		net = min(max(net, 6000*res), int64(line)*res-1)
	} else {
		net = max(net, int64(line)*res)
	}
	c := 0.05 + 0.25*r.Float64() // occupational costs, share of gross
	gross := net + int64(math.Round(float64(net)*c/(1-c)))
	main := int64(float64(gross) * (0.6 + 0.2*r.Float64()))
	second := int64(float64(gross) * 0.1 * r.Float64())
	other := int64(float64(gross-main-second) * 0.6)
	h.Income = survey.Income{
		MainOccupation:      main,
		SecondaryOccupation: second,
		Other:               other,
		OwnProduce:          gross - main - second - other,
		OccupationCosts:     gross - net,
	}
	if r.IntN(10) < 6 {
		h.Debt.InSystem = int64(math.Round(math.Exp(11.3+0.8*r.NormFloat64())/1000) * 1000)
	}
	if r.IntN(10) == 0 {
		h.Debt.OutOfSystem = int64(math.Round(math.Exp(10+0.7*r.NormFloat64())/1000) * 1000)
	}
}
