package indicator

import (
	"time"

	"tambon/internal/survey"
)

// Questions lists the set's questions for validation (survey.Schema).
func (s *Set) Questions() []survey.QuestionSpec { return s.specs }

// QuestionIndex returns the index of a question code, or -1 (survey.Schema).
func (s *Set) QuestionIndex(code string) int {
	if i, ok := s.qIndex[code]; ok {
		return i
	}
	return -1
}

// AskedOf binds h, with ages counted at ref (the round's reference date),
// and returns a function reporting whether question q is asked of the
// household (member < 0) or of h.Members[member] (survey.Schema). A question
// with an asked_if rule is asked when the rule holds; otherwise it is asked
// when an indicator whose pass rule reads it applies (a person question: to
// that member), and always when no indicator reads it. Non-resident members
// are asked nothing.
func (s *Set) AskedOf(h *survey.Household, ref time.Time) func(q, member int) bool {
	e := s.NewEvaluator()
	e.Bind(h, ref.Year()+544)
	c := &e.c
	return func(q, member int) bool {
		qq := &s.questions[q]
		m := -1
		if qq.Level == survey.LevelPerson {
			if m = residentIndex(c, member); m < 0 {
				return false
			}
		}
		if qq.asked != nil {
			return qq.asked.eval(c, m)
		}
		if len(qq.users) == 0 {
			return true
		}
		for _, i := range qq.users {
			if s.Indicators[i].appliesTo(c, m) {
				return true
			}
		}
		return false
	}
}

// appliesTo reports whether ind applies to resident member m, or to the
// household (m < 0): for a person indicator, to any of its members.
func (ind *Indicator) appliesTo(c *ctx, m int) bool {
	switch {
	case ind.Unit == UnitHousehold:
		return ind.elig.ok(c, -1)
	case m >= 0:
		return ind.elig.ok(c, m)
	}
	for k := range c.mem {
		if ind.elig.ok(c, k) {
			return true
		}
	}
	return false
}

func residentIndex(c *ctx, member int) int {
	for k, r := range c.row {
		if r == member {
			return k
		}
	}
	return -1
}
