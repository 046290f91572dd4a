package survey

import (
	"fmt"
	"slices"

	"tambon/internal/apperr"
)

// answers checks every stored answer against its question (known code, right
// level and type, allowed value, asked of this person) and, for complete
// households, that every question asked has an answer.
func (v *validator) answers() {
	h, qs := v.h, v.s.Questions()
	// Nearly every answer is fine: look at them in map order first, and
	// only when one is not, go through them again in code order, building
	// the field names, so that problems are listed the same way every time.
	if !v.answersFine(h.Answers, LevelHousehold, -1) {
		for _, code := range sortedKeys(h.Answers) {
			v.answer("answers."+code, code, h.Answers[code], LevelHousehold, -1)
		}
	}
	for i := range h.Members {
		m := &h.Members[i]
		if v.answersFine(m.Answers, LevelPerson, i) {
			continue
		}
		for _, code := range sortedKeys(m.Answers) {
			v.answer(fmt.Sprintf("members[%d].answers.%s", i, code), code, m.Answers[code], LevelPerson, i)
		}
	}
	if !v.complete || v.noResident {
		return
	}
	for qi := range qs {
		q := &qs[qi]
		if q.Optional {
			continue
		}
		if q.Level == LevelHousehold {
			if _, ok := h.Answers[q.Code]; !ok && v.asked(qi, -1) {
				v.add("answers."+q.Code, "", unanswered(q))
			}
			continue
		}
		for i := range h.Members {
			if v.badAge[i] {
				continue
			}
			if _, ok := h.Members[i].Answers[q.Code]; !ok && v.asked(qi, i) {
				v.add(fmt.Sprintf("members[%d].answers.%s", i, q.Code), "", unanswered(q))
			}
		}
	}
}

func unanswered(q *QuestionSpec) apperr.Text {
	return apperr.Tf("ยังไม่ได้ตอบข้อ %s (%s)", "question %s (%s) is not answered", q.Code, q.Label.TH)
}

// answersFine reports whether answer would find nothing wrong with any of a.
func (v *validator) answersFine(a Answers, level Level, member int) bool {
	for code, val := range a {
		qi := v.s.QuestionIndex(code)
		if qi < 0 {
			return false
		}
		q := &v.s.Questions()[qi]
		if q.Level != level {
			return false
		}
		if val.Kind() == ValueNone {
			continue
		}
		if !goodValue(q, val) {
			return false
		}
		if member >= 0 && !v.badAge[member] && !v.asked(qi, member) {
			return false
		}
	}
	return true
}

// goodValue is badValue's verdict without its message.
func goodValue(q *QuestionSpec, a Value) bool {
	if s, ok := a.Text(); ok && tooLong(s, MaxTextAnswer) {
		return false
	}
	switch q.Type {
	case TypeBool:
		return a.Kind() == ValueBool
	case TypeNumber:
		n, ok := a.Number()
		return ok && !(q.Min != nil && n < *q.Min || q.Max != nil && n > *q.Max)
	case TypeChoice:
		s, ok := a.Text()
		return ok && slices.Contains(q.Choices, s)
	}
	return true
}

func (v *validator) answer(field, code string, a Value, level Level, member int) {
	qi := v.s.QuestionIndex(code)
	if qi < 0 {
		v.add(field, a.String(), apperr.Tf("ไม่มีคำถามรหัส %s ในชุดตัวชี้วัดนี้",
			"the indicator set has no question %s", code))
		return
	}
	q := &v.s.Questions()[qi]
	if q.Level != level {
		if level == LevelPerson {
			v.add(field, a.String(), apperr.Tf("ข้อ %s เป็นคำถามระดับครัวเรือน ไม่ใช่รายบุคคล",
				"question %s is asked of the household, not of a person", code))
		} else {
			v.add(field, a.String(), apperr.Tf("ข้อ %s เป็นคำถามรายบุคคล ไม่ใช่ระดับครัวเรือน",
				"question %s is asked of each person, not of the household", code))
		}
		return
	}
	if a.Kind() == ValueNone {
		return // null: the same as not answered
	}
	if r, bad := badValue(q, a); bad {
		v.add(field, a.String(), r)
		return
	}
	if member >= 0 && !v.badAge[member] && !v.asked(qi, member) {
		v.add(field, a.String(), apperr.Tf("ข้อ %s ไม่ได้ถามสมาชิกคนนี้ (ไม่อยู่ในกลุ่มเป้าหมายของตัวชี้วัด)",
			"question %s is not asked of this member (not in the indicator's target group)", code))
	}
}

// badValue says what is wrong with answer a to q, if anything.
func badValue(q *QuestionSpec, a Value) (apperr.Text, bool) {
	if s, ok := a.Text(); ok && tooLong(s, MaxTextAnswer) {
		return longText(MaxTextAnswer), true
	}
	switch q.Type {
	case TypeBool:
		if _, ok := a.Bool(); !ok {
			return apperr.T("ต้องตอบ ใช่ หรือ ไม่ใช่ (true/false)", "the answer must be yes or no (true/false)"), true
		}
	case TypeNumber:
		n, ok := a.Number()
		if !ok {
			return apperr.T("ต้องตอบเป็นตัวเลข", "the answer must be a number"), true
		}
		if q.Min != nil && n < *q.Min || q.Max != nil && n > *q.Max {
			return apperr.Tf("ค่าต้องอยู่ระหว่าง %s ถึง %s", "the value must be between %s and %s",
				bound(q.Min, "-∞"), bound(q.Max, "∞")), true
		}
	case TypeChoice:
		s, ok := a.Text()
		if !ok || !slices.Contains(q.Choices, s) {
			return apperr.Tf("ต้องเลือกจาก %v", "the answer must be one of %v", q.Choices), true
		}
	}
	return apperr.Text{}, false
}

func bound(p *float64, none string) string {
	if p == nil {
		return none
	}
	return fmt.Sprint(*p)
}

func sortedKeys(a Answers) []string {
	ks := make([]string, 0, len(a))
	for k := range a {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
