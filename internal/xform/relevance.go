package xform

import (
	"time"

	"tambon/internal/survey"
)

// DropUnasked removes the answers to questions the indicator set does not
// ask of this household or member (by age, condition, roster size), and
// returns how many it removed.
//
// In XForms a non-relevant question's value is not submitted. The generated
// form does not express the set's eligibility rules as relevance (docs/
// field-capture.md), so an enumerator may answer a question that does not
// apply; the server applies the relevance instead, so such an answer is not
// a validation error — exactly what a relevant="…" would have done on the
// phone. Web entry never needs this: its form shows only the questions asked.
func DropUnasked(h *survey.Household, s survey.Schema, ref time.Time) int {
	asked := s.AskedOf(h, ref)
	dropped := 0
	for q, spec := range s.Questions() {
		switch spec.Level {
		case survey.LevelHousehold:
			if _, ok := h.Answers[spec.Code]; ok && !asked(q, -1) {
				delete(h.Answers, spec.Code)
				dropped++
			}
		case survey.LevelPerson:
			for i := range h.Members {
				if _, ok := h.Members[i].Answers[spec.Code]; ok && !asked(q, i) {
					delete(h.Members[i].Answers, spec.Code)
					dropped++
				}
			}
		}
	}
	return dropped
}
