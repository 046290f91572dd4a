package indicator

import (
	"math"
	"time"

	"tambon/internal/survey"
)

// person is what rules need to know about one resident member, worked out
// once per household so the rules never touch time.Time or strings.
type person struct {
	age    int32 // completed years at the reference date
	months int32 // completed months at the reference date
	flags  uint32
	edu    int8 // survey.EducationRank, -1 when unknown
}

// ctx is one household bound to a set: answers in numbered slots (NaN = not
// answered; yes/no as 1/0; a choice as its index), resident members' facts,
// the household measures and the thresholds of the survey year.
type ctx struct {
	s    *Set
	h    *survey.Household
	hh   []float64 // household answers by slot
	per  []float64 // person answers, member-major: per[m*s.nPer+slot]
	mem  []person  // resident members only
	row  []int     // roster index of each resident member
	meas [nMeasures]float64
	th   []float64 // thresholds by index for the survey year (NaN = not set)
}

// bind loads h into c for the survey year. It reuses c's buffers: after the
// first households it allocates nothing.
func (c *ctx) bind(h *survey.Household, surveyYear int) {
	s := c.s
	c.h = h
	ry, rm, rd := survey.ReferenceDate(surveyYear).Date()
	c.th = s.thresholdsFor(surveyYear)
	c.hh = append(c.hh[:0], s.hhBlank...)
	for code, v := range h.Answers {
		if q, ok := s.qIndex[code]; ok && s.questions[q].Level == survey.LevelHousehold {
			c.hh[s.questions[q].slot] = s.questions[q].toSlot(v)
		}
	}
	c.mem, c.row, c.per = c.mem[:0], c.row[:0], c.per[:0]
	for i := range h.Members {
		m := &h.Members[i]
		if !m.Resident {
			continue
		}
		c.mem = append(c.mem, facts(m, ry, rm, rd))
		c.row = append(c.row, i)
		base := len(c.per)
		c.per = append(c.per, s.perBlank...)
		for code, v := range m.Answers {
			if q, ok := s.qIndex[code]; ok && s.questions[q].Level == survey.LevelPerson {
				c.per[base+s.questions[q].slot] = s.questions[q].toSlot(v)
			}
		}
	}
	c.measures()
}

// facts works out a member's ages at the reference date ry-rm-rd (completed
// years and months; a birthday on the date counts) and flags.
func facts(m *survey.Member, ry int, rm time.Month, rd int) person {
	by, bm, bd := m.BirthDate.Date()
	months := (ry-by)*12 + int(rm-bm)
	if rd < bd {
		months--
	}
	months = max(months, 0)
	p := person{age: int32(months / 12), months: int32(months), edu: -1}
	if r, ok := survey.EducationRank(m.Education); ok {
		p.edu = int8(r)
	}
	set := func(b bool, f uint32) {
		if b {
			p.flags |= f
		}
	}
	set(m.Disabled, flagDisabled)
	set(m.ChronicIll, flagChronic)
	set(m.Bedridden, flagBedridden)
	set(m.Dependent, flagDependent)
	set(m.WelfareCard, flagWelfareCard)
	set(m.Relation == survey.RelHead, flagHead)
	set(m.Sex == survey.Male, flagMale)
	set(m.Sex == survey.Female, flagFemale)
	switch m.Occupation {
	case survey.OccStudent:
		p.flags |= flagStudying
	case survey.OccNone:
		p.flags |= flagNoOccupation
	case "":
	default:
		p.flags |= flagWorking
	}
	set(!m.BirthDate.IsZero() && by == ry && (bm < rm || bm == rm && bd <= rd), flagBornRefYear)
	return p
}

func (c *ctx) measures() {
	in, h := &c.h.Income, c.h
	n := float64(len(c.mem))
	c.meas[mMembers] = n
	c.meas[mNetIncome] = float64(in.Net())
	c.meas[mGrossIncome] = float64(in.Gross())
	c.meas[mCashIncome] = float64(in.Cash())
	c.meas[mIncomeMain] = float64(in.MainOccupation)
	c.meas[mIncomeSecondary] = float64(in.SecondaryOccupation)
	c.meas[mIncomeOther] = float64(in.Other)
	c.meas[mOwnProduce] = float64(in.OwnProduce)
	c.meas[mOccupationCosts] = float64(in.OccupationCosts)
	c.meas[mSavings] = float64(h.Savings)
	c.meas[mDebtInSystem] = float64(h.Debt.InSystem)
	c.meas[mDebtOutOfSystem] = float64(h.Debt.OutOfSystem)
	if n == 0 {
		c.meas[mIncomePerPerson], c.meas[mGrossIncomePerPerson] = math.NaN(), math.NaN()
	} else {
		c.meas[mIncomePerPerson] = c.meas[mNetIncome] / n
		c.meas[mGrossIncomePerPerson] = c.meas[mGrossIncome] / n
	}
}
