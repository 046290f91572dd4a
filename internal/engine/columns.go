package engine

import (
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// Columns holds the complete households of a round in columnar form, for
// full recomputes at national scale: one Batch per village (so households are
// clustered by village by construction), answers as fixed-width int8 rows in
// the set's slot order, members' roster facts packed (indicator.Roster) in
// flat arrays. Binding a household from maps of answers costs about 1.25 µs;
// from these arrays it is a few table look-ups and copies, with no hashing,
// strings or calendar arithmetic, and the whole country (12.9 M households,
// 36.6 M people) takes about 2.8 GB once trimmed (114 bytes a household,
// 37 a member).
//
// Columns is built once (Append, AppendRow) and then only read; reads are
// safe for concurrent use.
type Columns struct {
	set           *indicator.Set
	qs            []survey.QuestionSpec
	slotOf        []int // question index → slot within its level
	hhQ, perQ     []int // slot → question index, per level
	hhNum, perNum []int // slots of number questions, per level
	batches       []*Batch
	byVillage     map[string]int
	people        int
	row           Row // reused by Append
}

// Batch is the households of one village in columnar form. Yes/no and
// choice answers are int8 (1/0, or the choice's index; −1 unanswered), one
// row of every slot per household (or member); number answers are float64
// columns (NaN unanswered), one per number question.
type Batch struct {
	village string
	n       int
	money   [nMoney][]int64 // income parts, savings and debts per household
	hh      []int8          // household answers, n rows of len(Columns.hhQ)
	hhNum   [][]float64     // per number question of the household level: n values
	start   []int32         // household i's members are start[i]:start[i+1]
	roster  []indicator.Roster
	per     []int8      // person answers, one row of len(Columns.perQ) per member
	perNum  [][]float64 // per number question of the person level: one value per member
}

const (
	mMain = iota
	mSecondary
	mOther
	mOwnProduce
	mCosts
	mSavings
	mDebtIn
	mDebtOut
	nMoney
)

// Row is one household in slot form, the input of AppendRow: answers as
// float64 by slot (NaN unanswered; yes/no 1/0; a choice's index; a number
// itself). A generator or importer fills one Row and reuses it; Member
// answers maps are ignored.
type Row struct {
	Village string
	Income  survey.Income
	Savings int64
	Debt    survey.Debt
	HH      []float64 // by household slot
	Members []RowMember
}

// RowMember is one roster row of a Row.
type RowMember struct {
	survey.Member           // roster facts; Answers is not read
	Per           []float64 // by person slot
}

// NewColumns returns empty Columns for households judged by set.
func NewColumns(set *indicator.Set) *Columns {
	c := &Columns{set: set, qs: set.Questions(), byVillage: map[string]int{}}
	c.slotOf = make([]int, len(c.qs))
	for i, q := range c.qs {
		num := q.Type == survey.TypeNumber
		if q.Level == survey.LevelHousehold {
			c.slotOf[i] = len(c.hhQ)
			if num {
				c.hhNum = append(c.hhNum, len(c.hhQ))
			}
			c.hhQ = append(c.hhQ, i)
		} else {
			c.slotOf[i] = len(c.perQ)
			if num {
				c.perNum = append(c.perNum, len(c.perQ))
			}
			c.perQ = append(c.perQ, i)
		}
	}
	return c
}

// Slots returns how many household and person answer slots a Row has.
func (c *Columns) Slots() (household, person int) { return len(c.hhQ), len(c.perQ) }

// Slot returns the slot of a question code and whether it is a person
// question; ok is false for a code the set does not have.
func (c *Columns) Slot(code string) (slot int, person, ok bool) {
	q := c.set.QuestionIndex(code)
	if q < 0 {
		return 0, false, false
	}
	return c.slotOf[q], c.qs[q].Level == survey.LevelPerson, true
}

// Len returns the number of households held.
func (c *Columns) Len() int {
	n := 0
	for _, b := range c.batches {
		n += b.n
	}
	return n
}

// People returns the number of roster rows held (resident or not).
func (c *Columns) People() int { return c.people }

// Batches returns the villages' batches, in order of first appearance.
func (c *Columns) Batches() []*Batch { return c.batches }

// Village returns the batch's village code.
func (b *Batch) Village() string { return b.village }

// Len returns the number of households in the batch.
func (b *Batch) Len() int { return b.n }

func incomeOf(b *Batch, i int) survey.Income {
	return survey.Income{MainOccupation: b.money[mMain][i], SecondaryOccupation: b.money[mSecondary][i],
		Other: b.money[mOther][i], OwnProduce: b.money[mOwnProduce][i], OccupationCosts: b.money[mCosts][i]}
}

func debtOf(b *Batch, i int) survey.Debt {
	return survey.Debt{InSystem: b.money[mDebtIn][i], OutOfSystem: b.money[mDebtOut][i]}
}
