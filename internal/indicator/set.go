// Package indicator holds the จปฐ. indicator sets as versioned data and judges
// households against them. A set (one plan period's indicators, or a local
// set) is a JSON file: its questions, its indicators with who is eligible and
// the pass rule in a small declarative rule language, thresholds by survey
// year, and where each rule comes from. Files are compiled once, at load, into
// closures over numbered answer slots, so judging a household walks no maps
// and allocates nothing. The built-in sets are embedded; see docs/indicators.md.
package indicator

import (
	"math"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// Unit says what an indicator judges.
type Unit string

// The units.
const (
	UnitHousehold Unit = "household" // the household passes or fails as a whole
	UnitPerson    Unit = "person"    // each eligible member passes or fails
)

// Set is one compiled indicator set. It is immutable after Load and safe for
// concurrent use.
type Set struct {
	ID          string
	Name        apperr.Text
	PeriodFrom  int // first survey year of the plan period (BE)
	PeriodTo    int // last survey year of the plan period (BE)
	Provisional bool
	Source      string
	Note        apperr.Text
	Groups      []Group
	Indicators  []Indicator // in set order; Outcomes use the same order
	Thresholds  []Threshold

	questions []question
	specs     []survey.QuestionSpec
	qIndex    map[string]int
	nHH, nPer int                 // number of household and person slots
	hhBlank   []float64           // all-NaN templates that bind copies
	perBlank  []float64           // (one member's person slots)
	thIndex   map[string]int      // threshold name → index
	thByYear  map[int][]float64   // survey year → thresholds by index
	thNone    []float64           // all NaN: a year with no thresholds
	groupIdx  map[string]struct{} // group codes, for checking indicators
	raw       []byte              // the file it was loaded from
	digest    string              // its SHA-256, when interned
	pool      sync.Pool           // of *Evaluator, for the one-call methods

	passingOnce sync.Once
	passing     map[int]passingAnswer // PassingAnswer's, found once
}

// Group is a หมวด of indicators.
type Group struct {
	Code string
	Name apperr.Text
}

// Provenance says where a rule comes from and how sure we are of it.
// Confidence is "S" (a cited source says so) or "R" (recollection or
// derivation from the form, not confirmed by the handbook).
type Provenance struct {
	Source     string
	Confidence string
	Note       apperr.Text // shown to users beside the figures
}

// Item is one sub-item of a multi-part indicator (e.g. 8.1-8.4).
type Item struct {
	Code  string
	Label apperr.Text
	pass  *node
}

// Indicator is one indicator of a set.
type Indicator struct {
	Code       string
	Number     int
	Name       apperr.Text
	Group      string
	Unit       Unit
	Who        apperr.Text // who is eligible, in words
	FailNote   apperr.Text // what failing means for one unit, e.g. "ไม่ได้ตรวจสุขภาพประจำปี"
	Items      []Item      // sub-items; empty when the indicator has a single pass rule
	MinItems   int         // sub-items needed to pass (all, unless the file says otherwise)
	Provenance Provenance

	elig     gate  // who is eligible
	pass     *node // the single pass rule, when there are no items
	passEval pred  // pass or the item count, flattened for the fast path
	needs    []int // thresholds the rules need; unset for the year → not applicable
	// The commonest pass rules, kept as data so Judge checks them without a
	// call: every household slot in fSlots equals its fXs (kindHHEq), or
	// the member's person slot fSlots[0] equals fXs[0] (kindPerEq).
	kind   passKind
	fSlots []int
	fXs    []float64
}

type passKind uint8

const (
	kindCall passKind = iota // call passEval
	kindHHEq
	kindPerEq
)

// Threshold is a figure that changes by survey year, such as the income line.
type Threshold struct {
	Name       string
	Label      apperr.Text
	ByYear     map[int]float64 // survey year (BE) → value
	Provenance Provenance
}

// Threshold returns the value of the named threshold for a survey year.
func (s *Set) Threshold(name string, surveyYear int) (float64, bool) {
	i, ok := s.thIndex[name]
	if !ok {
		return 0, false
	}
	v := s.thresholdsFor(surveyYear)[i]
	return v, !math.IsNaN(v)
}

func (s *Set) thresholdsFor(surveyYear int) []float64 {
	if v, ok := s.thByYear[surveyYear]; ok {
		return v
	}
	return s.thNone
}

// question is one question of the set, compiled.
type question struct {
	survey.QuestionSpec
	Ref          string        // the form's item number, e.g. "6.4"
	choiceLabels []apperr.Text //
	slot         int           // index in the household or person slots
	asked        *node         // explicit asked_if, or nil
	users        []int         // indicators whose pass rules read it
}

// toSlot converts an answer to its slot form (see ToSlot).
func (q *question) toSlot(v survey.Value) float64 { return ToSlot(&q.QuestionSpec, v) }

// ToSlot converts an answer to its slot form: yes/no as 1/0, a number as
// itself, a choice as its index; anything else (or a wrong type) is NaN,
// which no rule takes as an answer. Columnar stores use the same form.
func ToSlot(q *survey.QuestionSpec, v survey.Value) float64 {
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
			for i, c := range q.Choices {
				if c == t {
					return float64(i)
				}
			}
		}
	}
	return math.NaN()
}
