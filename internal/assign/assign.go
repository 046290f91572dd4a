// Package assign holds the rules of field assignments: which enumerator
// visits which of last round's households this round, and what became of
// each visit. The จปฐ. survey is a yearly panel, so the households to visit
// in a round are the previous round's households of an area, plus the new
// ones found on the way.
//
// A tambon team gives a whole village, or chosen households of it, to an
// account that may collect households. The web page and `tambon assign` both
// ask Check, so they accept and refuse the same requests; the store keeps
// the assignments and counts progress (store.Assign, store.AssignProgress).
// It does no I/O.
package assign

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// Household is one of the previous round's households as a round's field
// work sees it: who is to visit it and what became of the visit.
type Household struct {
	ID         int64  // the previous round's household record
	Key        string // the previous round's household key (house code, else village/house number)
	Village    string
	HouseCode  string
	HouseNo    string
	HeadName   string // the head's (or the first member's) name, when asked for
	Assignee   string // the account to visit it; "" when nobody is assigned
	Outcome    Outcome
	Note       string // the recorded outcome's note
	RecordedBy string
	RecordedAt time.Time
	Current    string // the key of this round's household linked to it, when visited
}

// The fields a Problem names, as the forms call their inputs.
const (
	FieldUser    = "username"
	FieldVillage = "village"
	FieldOutcome = "outcome"
	FieldNote    = "note"
)

// MaxNote is the longest note an outcome may carry, in characters.
const MaxNote = 500

// Outcome is what became of a visit to one of last round's households.
// Visited is never recorded: a household is visited when this round holds a
// household with its key (house code, else village and house number).
type Outcome string

// The outcomes.
const (
	Pending  Outcome = ""          // not visited yet, nothing recorded
	Visited  Outcome = "visited"   // surveyed this round (derived from the households)
	Refused  Outcome = "refused"   // the household declined the interview
	Moved    Outcome = "moved"     // moved away, or the household dissolved
	NotFound Outcome = "not_found" // nobody could be found at the address
)

// Recordable lists the outcomes a person records, in the order forms offer them.
var Recordable = []Outcome{Refused, Moved, NotFound}

// Name returns the outcome's name in Thai and English.
func (o Outcome) Name() apperr.Text {
	switch o {
	case Pending:
		return apperr.T("ยังไม่ได้เยี่ยม", "Not visited yet")
	case Visited:
		return apperr.T("สำรวจแล้ว", "Surveyed")
	case Refused:
		return apperr.T("ปฏิเสธการให้ข้อมูล", "Refused")
	case Moved:
		return apperr.T("ย้ายออก/ครัวเรือนยุบ", "Moved away or dissolved")
	case NotFound:
		return apperr.T("ไม่พบครัวเรือน", "Not found")
	}
	return apperr.T(string(o), string(o))
}

// ParseOutcome checks an outcome a person records: refused, moved or
// not_found.
func ParseOutcome(s string) (Outcome, error) {
	s = strings.TrimSpace(s)
	for _, o := range Recordable {
		if string(o) == s {
			return o, nil
		}
	}
	return "", apperr.Problems{{Field: FieldOutcome, Value: s, Reason: apperr.T(
		"ผลการเยี่ยมต้องเป็น refused (ปฏิเสธ), moved (ย้ายออก/ยุบ) หรือ not_found (ไม่พบ)",
		"the visit outcome must be refused, moved (moved away or dissolved) or not_found")}}
}

// CheckNote checks an outcome's note: at most MaxNote characters.
func CheckNote(note string) error {
	if utf8.RuneCountInString(note) > MaxNote {
		return apperr.Problems{{Field: FieldNote, Value: "", Reason: apperr.Tf(
			"บันทึกยาวได้ไม่เกิน %d ตัวอักษร", "a note is at most %d characters", MaxNote)}}
	}
	return nil
}

// Check is the one rule for making an assignment: by may assign work in the
// village (user.AssignWork there), and to is an enabled account that may
// collect households (user.EditHouseholds) and whose area covers the
// village. Every refusal names its field in Thai and English.
func Check(by, to user.User, village string) error {
	if !by.CanAt(user.AssignWork, village) {
		return apperr.New(apperr.Forbidden, apperr.Tf(
			"บัญชี %s ไม่มีสิทธิ์มอบงานสำรวจในหมู่บ้าน %s", "the account %s may not assign survey work in the village %s", by.Username, village))
	}
	if to.Disabled {
		return apperr.Problems{{Field: FieldUser, Value: to.Username, Reason: apperr.Tf(
			"บัญชี %s ถูกระงับ", "the account %s is disabled", to.Username)}}
	}
	if !to.Can(user.EditHouseholds) {
		name := to.Role.Name()
		return apperr.Problems{{Field: FieldUser, Value: to.Username, Reason: apperr.Text{
			TH: fmt.Sprintf("บัญชี %s (%s) เก็บข้อมูลครัวเรือนไม่ได้", to.Username, name.TH),
			EN: fmt.Sprintf("the account %s (%s) may not collect households", to.Username, name.EN)}}}
	}
	if !to.Covers(village) {
		return apperr.Problems{{Field: FieldUser, Value: to.Username, Reason: apperr.Tf(
			"พื้นที่ของบัญชี %s ไม่ครอบคลุมหมู่บ้าน %s", "the area of the account %s does not cover the village %s", to.Username, village)}}
	}
	return nil
}

// MayRecord says whether u may record a visit outcome in a village: the
// tambon team (user.AssignWork) or an account that collects households
// there (user.EditHouseholds), the enumerator's phone included.
func MayRecord(u user.User, village string) error {
	if u.CanAt(user.AssignWork, village) || u.CanAt(user.EditHouseholds, village) {
		return nil
	}
	return apperr.New(apperr.Forbidden, apperr.Tf(
		"บัญชี %s ไม่มีสิทธิ์บันทึกผลการเยี่ยมในหมู่บ้าน %s", "the account %s may not record visit outcomes in the village %s", u.Username, village))
}
