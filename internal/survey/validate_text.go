package survey

import (
	"fmt"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Longest texts a household record takes, in characters. Every door (web
// entry, imports, OpenRosa, the API) validates through Validate, so these
// hold everywhere. Real values fit several times over: the longest Thai
// names are under 60 characters, house numbers like "123/45 ซอย 6" under 20;
// a free-text answer has room for a page of notes.
const (
	MaxName       = 200  // title, first and last names, respondent, collector
	MaxShortText  = 100  // house number, phone, occupation and relation codes
	MaxTextAnswer = 4000 // a text answer to a question
)

// maxShown bounds how much of a value a problem repeats back: the person
// fixing it needs to recognise it, not to read all of it again.
const maxShown = 100

// tooLong reports whether s has more than n characters; counting only
// when its bytes could.
func tooLong(s string, n int) bool {
	return len(s) > n && utf8.RuneCountInString(s) > n
}

// longText is the problem of a text over its limit.
func longText(n int) apperr.Text {
	return apperr.Tf("ข้อความยาวเกิน %d ตัวอักษร", "the text is longer than %d characters", n)
}

// clip shortens a value repeated in a problem.
func clip(s string) string {
	if len(s) <= maxShown {
		return s
	}
	r := []rune(s[:min(len(s), 4*maxShown)])
	if len(r) <= maxShown {
		return string(r)
	}
	return string(r[:maxShown]) + "…"
}

// texts checks the lengths of the household's and its members' texts.
func (v *validator) texts() {
	h := v.h
	for _, f := range []struct {
		field, value string
		max          int
	}{
		{"house_no", h.HouseNo, MaxShortText},
		{"phone", h.Phone, MaxShortText},
		{"respondent", h.Respondent, MaxName},
		{"collector", h.Collector, MaxName},
	} {
		if tooLong(f.value, f.max) {
			v.add(f.field, f.value, longText(f.max))
		}
	}
	for i := range h.Members {
		m := &h.Members[i]
		for _, f := range []struct {
			field, value string
			max          int
		}{
			{"title", m.Title, MaxName},
			{"first_name", m.FirstName, MaxName},
			{"last_name", m.LastName, MaxName},
			{"occupation", m.Occupation, MaxShortText},
			{"relation", string(m.Relation), MaxShortText},
		} {
			if tooLong(f.value, f.max) {
				v.add(fmt.Sprintf("members[%d].%s", i, f.field), f.value, longText(f.max))
			}
		}
	}
}
