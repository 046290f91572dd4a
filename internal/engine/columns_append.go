package engine

import (
	"math"
	"time"

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
			r.HH[c.slotOf[q]] = toSlot(&c.qs[q], v)
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
				m.Per[c.slotOf[q]] = toSlot(&c.qs[q], v)
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

// toSlot is indicator's slot form of an answer: a wrong type is unanswered.
func toSlot(q *survey.QuestionSpec, v survey.Value) float64 {
	switch q.Type {
	case survey.TypeBool:
		if b, ok := v.Bool(); ok {
			if b {
				return 1
			}
			return 0
		}
	case survey.TypeNumber:
		if x, ok := v.Number(); ok {
			return x
		}
	case survey.TypeChoice:
		if t, ok := v.Text(); ok {
			for i, ch := range q.Choices {
				if ch == t {
					return float64(i)
				}
			}
		}
	}
	return math.NaN()
}

// AppendRow adds one complete household given in slot form.
func (c *Columns) AppendRow(r *Row) {
	bi, ok := c.byVillage[r.Village]
	if !ok {
		bi = len(c.batches)
		c.byVillage[r.Village] = bi
		c.batches = append(c.batches, c.newBatch(r.Village))
	}
	b := c.batches[bi]
	b.n++
	for k, v := range [nMoney]int64{r.Income.MainOccupation, r.Income.SecondaryOccupation, r.Income.Other,
		r.Income.OwnProduce, r.Income.OccupationCosts, r.Savings, r.Debt.InSystem, r.Debt.OutOfSystem} {
		b.money[k] = append(b.money[k], v)
	}
	for s := range c.hhQ {
		appendAnswer(&b.hh[s], &b.hhNum[s], r.HH[s])
	}
	for i := range r.Members {
		m := &r.Members[i]
		y, mo, d := m.BirthDate.Date()
		b.birth = append(b.birth, int32(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix()/86400))
		b.flags = append(b.flags, memberFlags(&m.Member))
		rank, known := survey.EducationRank(m.Education)
		if !known {
			rank = -1
		}
		b.edu = append(b.edu, int8(rank))
		b.occ = append(b.occ, occCode(m.Occupation))
		for s := range c.perQ {
			appendAnswer(&b.per[s], &b.perNum[s], m.Per[s])
		}
	}
	c.people += len(r.Members)
	b.start = append(b.start, int32(len(b.birth)))
}

func (c *Columns) newBatch(village string) *Batch {
	b := &Batch{village: village, start: []int32{0},
		hh: make([][]int8, len(c.hhQ)), hhNum: make([][]float64, len(c.hhQ)),
		per: make([][]int8, len(c.perQ)), perNum: make([][]float64, len(c.perQ))}
	for s, q := range c.hhQ {
		if c.qs[q].Type == survey.TypeNumber {
			b.hhNum[s] = []float64{}
		} else {
			b.hh[s] = []int8{}
		}
	}
	for s, q := range c.perQ {
		if c.qs[q].Type == survey.TypeNumber {
			b.perNum[s] = []float64{}
		} else {
			b.per[s] = []int8{}
		}
	}
	return b
}

// appendAnswer appends x to whichever of the two columns the question uses.
func appendAnswer(small *[]int8, num *[]float64, x float64) {
	if *num != nil {
		*num = append(*num, x)
		return
	}
	v := int8(-1)
	if x == x && x >= 0 && x <= 127 {
		v = int8(x)
	}
	*small = append(*small, v)
}

func memberFlags(m *survey.Member) uint16 {
	var f uint16
	set := func(b bool, bit uint16) {
		if b {
			f |= bit
		}
	}
	set(m.Resident, fResident)
	set(m.Disabled, fDisabled)
	set(m.ChronicIll, fChronicIll)
	set(m.Bedridden, fBedridden)
	set(m.Dependent, fDependent)
	set(m.WelfareCard, fWelfareCard)
	set(m.Relation == survey.RelHead, fHead)
	set(m.Sex == survey.Male, fMale)
	set(m.Sex == survey.Female, fFemale)
	return f
}

func occCode(o string) int8 {
	switch o {
	case "":
		return occBlank
	case survey.OccNone:
		return occNone
	case survey.OccStudent:
		return occStudent
	}
	return occWork
}

// Trim gives every column back its spare capacity (appending grows columns
// by up to half again their length). Call it once the round is loaded:
// national columns take about a third less memory afterwards.
func (c *Columns) Trim() {
	for _, b := range c.batches {
		for k := range b.money {
			b.money[k] = shrink(b.money[k])
		}
		for s := range b.hh {
			b.hh[s], b.hhNum[s] = shrink(b.hh[s]), shrink(b.hhNum[s])
		}
		for s := range b.per {
			b.per[s], b.perNum[s] = shrink(b.per[s]), shrink(b.perNum[s])
		}
		b.start, b.birth, b.flags = shrink(b.start), shrink(b.birth), shrink(b.flags)
		b.edu, b.occ = shrink(b.edu), shrink(b.occ)
	}
}

// shrink returns s in an array of exactly its length (nil stays nil).
func shrink[T any](s []T) []T {
	if s == nil || cap(s) == len(s) {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
