package engine

import (
	"math"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Append adds a household. Drafts are skipped: the figures count complete
// households only, so columns built for a recompute hold nothing else.
func (c *Columns) Append(h *survey.Household) {
	if h.Status != survey.Complete {
		return
	}
	r := &c.row
	nh, np := c.Slots()
	r.Village, r.Income, r.Savings, r.Debt = h.VillageCode, h.Income, h.Savings, h.Debt
	r.HH = fill(r.HH, nh)
	for code, v := range h.Answers {
		if q := c.set.QuestionIndex(code); q >= 0 && c.qs[q].Level == survey.LevelHousehold {
			r.HH[c.slotOf[q]] = indicator.ToSlot(&c.qs[q], v)
		}
	}
	if cap(r.Members) < len(h.Members) {
		r.Members = make([]RowMember, len(h.Members))
	}
	r.Members = r.Members[:len(h.Members)]
	for i := range h.Members {
		m := &r.Members[i]
		m.Member = h.Members[i]
		m.Per = fill(m.Per, np)
		for code, v := range h.Members[i].Answers {
			if q := c.set.QuestionIndex(code); q >= 0 && c.qs[q].Level == survey.LevelPerson {
				m.Per[c.slotOf[q]] = indicator.ToSlot(&c.qs[q], v)
			}
		}
	}
	c.AppendRow(r)
}

func fill(s []float64, n int) []float64 {
	s = s[:0]
	for range n {
		s = append(s, math.NaN())
	}
	return s
}

// AppendRow adds one complete household given in slot form.
func (c *Columns) AppendRow(r *Row) {
	bi, ok := c.byVillage[r.Village]
	if !ok {
		bi = len(c.batches)
		c.byVillage[r.Village] = bi
		c.batches = append(c.batches, &Batch{village: r.Village, start: []int32{0},
			hhNum: make([][]float64, len(c.hhNum)), perNum: make([][]float64, len(c.perNum))})
	}
	b := c.batches[bi]
	b.n++
	for k, v := range [nMoney]int64{r.Income.MainOccupation, r.Income.SecondaryOccupation, r.Income.Other,
		r.Income.OwnProduce, r.Income.OccupationCosts, r.Savings, r.Debt.InSystem, r.Debt.OutOfSystem} {
		b.money[k] = append(b.money[k], v)
	}
	for s := range c.hhQ {
		b.hh = append(b.hh, small(r.HH[s]))
	}
	for k, s := range c.hhNum {
		b.hhNum[k] = append(b.hhNum[k], r.HH[s])
	}
	for i := range r.Members {
		m := &r.Members[i]
		b.roster = append(b.roster, indicator.RosterOf(&m.Member))
		for s := range c.perQ {
			b.per = append(b.per, small(m.Per[s]))
		}
		for k, s := range c.perNum {
			b.perNum[k] = append(b.perNum[k], m.Per[s])
		}
	}
	c.people += len(r.Members)
	b.start = append(b.start, int32(len(b.roster)))
}

// small is a yes/no or choice slot value as int8: −1 for unanswered (and
// for anything a choice index cannot be).
func small(x float64) int8 {
	if x == x && x >= 0 && x <= 127 && x == math.Trunc(x) {
		return int8(x)
	}
	return -1
}

// Trim gives every column back its spare capacity (appending grows columns
// by up to half again their length). Call it once the round is loaded:
// national columns take about a third less memory afterwards.
func (c *Columns) Trim() {
	for _, b := range c.batches {
		for k := range b.money {
			b.money[k] = shrink(b.money[k])
		}
		for k := range b.hhNum {
			b.hhNum[k] = shrink(b.hhNum[k])
		}
		for k := range b.perNum {
			b.perNum[k] = shrink(b.perNum[k])
		}
		b.hh, b.per = shrink(b.hh), shrink(b.per)
		b.start, b.roster = shrink(b.start), shrink(b.roster)
	}
}

// shrink returns s in an array of exactly its length (nil stays nil).
func shrink[T any](s []T) []T {
	if s == nil || cap(s) == len(s) {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
