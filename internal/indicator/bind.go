package indicator

import (
	"math"

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
	ref  refDate   // the reference date of the last survey year bound
	// usableBy[i]: indicator i's thresholds are set in survey year usableFor.
	usableBy   []bool
	usableBits uint64 // usableBy as bits (the first 64 indicators)
	usableFor  int
}

// bind loads h into c for the survey year. It reuses c's buffers: after the
// first households it allocates nothing. Members' facts go through the same
// packed Roster as BindRoster, so both paths judge alike by construction.
func (c *ctx) bind(h *survey.Household, surveyYear int) {
	s := c.s
	c.h = h
	c.ref.set(surveyYear)
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
		c.mem = append(c.mem, c.ref.person(RosterOf(m)))
		c.row = append(c.row, i)
		base := len(c.per)
		c.per = append(c.per, s.perBlank...)
		for code, v := range m.Answers {
			if q, ok := s.qIndex[code]; ok && s.questions[q].Level == survey.LevelPerson {
				c.per[base+s.questions[q].slot] = s.questions[q].toSlot(v)
			}
		}
	}
	c.measures(&h.Income, h.Savings, &h.Debt)
}

func (c *ctx) measures(in *survey.Income, savings int64, debt *survey.Debt) {
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
	c.meas[mSavings] = float64(savings)
	c.meas[mDebtInSystem] = float64(debt.InSystem)
	c.meas[mDebtOutOfSystem] = float64(debt.OutOfSystem)
	if n == 0 {
		c.meas[mIncomePerPerson], c.meas[mGrossIncomePerPerson] = math.NaN(), math.NaN()
	} else {
		c.meas[mIncomePerPerson] = c.meas[mNetIncome] / n
		c.meas[mGrossIncomePerPerson] = c.meas[mGrossIncome] / n
	}
}
