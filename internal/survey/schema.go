package survey

import (
	"time"

	"tambon/internal/apperr"
)

// AnswerType is the kind of answer a question takes.
type AnswerType string

// The answer types.
const (
	TypeBool   AnswerType = "bool"
	TypeNumber AnswerType = "number"
	TypeChoice AnswerType = "choice"
)

// Level says whom a question is about.
type Level string

// The levels.
const (
	LevelHousehold Level = "household" // answered once, in Household.Answers
	LevelPerson    Level = "person"    // answered per member, in Member.Answers
)

// QuestionSpec is what validation needs to know about one question.
type QuestionSpec struct {
	Code     string
	Label    apperr.Text
	Type     AnswerType
	Level    Level
	Min      *float64 // number questions: lowest allowed value, if any
	Max      *float64 // number questions: highest allowed value, if any
	Choices  []string // choice questions: the allowed codes
	Optional bool     // information only: may be left blank even when asked
}

// Schema is the question list of an indicator set, as validation sees it.
// Package indicator's *Set implements it; survey cannot import indicator, so
// the dependency points this way.
type Schema interface {
	// Questions lists every question of the set.
	Questions() []QuestionSpec
	// QuestionIndex returns the index of code in Questions, or -1.
	QuestionIndex(code string) int
	// AskedOf prepares h, with ages counted at ref, and returns a function
	// reporting whether question q is asked of the household (member < 0) or
	// of h.Members[member]. Validation asks it hundreds of times per record,
	// so the household is worked out once, not per question.
	AskedOf(h *Household, ref time.Time) func(q, member int) bool
}
