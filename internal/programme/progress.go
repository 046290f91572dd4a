package programme

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// What happens to a participant after enrolment: its values change (each
// change kept as a Change), a nomination moves through its stages (each
// move kept as a StageMove), and sessions see it (Session.Gardens, Photos).

// Change is one value of a participant changed: Field is "status",
// "level", "action_plan" or the key of one of the type's fields.
type Change struct {
	ID            int64
	ParticipantID int64
	Field         string
	Old, New      string
	Note          string
	By            string
	At            time.Time
}

// MaxObservations bounds what a session saw; a change's note, a move's
// reason and a photo's caption are bounded by MaxNote.
const MaxObservations = 4000

// Changes lists what differs between a participant as it was and as it is
// to be, in the order the page shows the values: status, level, the type's
// fields, the action plan. Both must have been validated against t.
func Changes(t Type, was, is Participant) []Change {
	var out []Change
	add := func(field, old, new string) {
		if old != new {
			out = append(out, Change{ParticipantID: was.ID, Field: field, Old: old, New: new})
		}
	}
	add("status", was.Status, is.Status)
	add("level", was.Level, is.Level)
	for _, f := range t.Fields {
		add(f.Key, was.Fields[f.Key], is.Fields[f.Key])
	}
	add("action_plan", was.ActionPlan, is.ActionPlan)
	return out
}

// CheckNote trims a note or reason and checks its length.
func CheckNote(s *string) error {
	*s = strings.TrimSpace(*s)
	if utf8.RuneCountInString(*s) > MaxNote {
		return bad("หมายเหตุยาวเกิน %d ตัวอักษร", "the note is longer than %d characters", MaxNote)
	}
	return nil
}

// StageMove is a participant moved from one stage to another on a day.
// Back marks a move to an earlier stage, which only an administrator makes,
// with a reason.
type StageMove struct {
	ID            int64
	ParticipantID int64
	From, To      string
	Date          time.Time
	Reason        string
	Back          bool
	By            string
	At            time.Time
}

// Final reports whether a stage is one a participant moves on from no more.
func (t Type) Final(stage string) bool {
	return t.Stages != nil && slices.Contains(t.Statuses, stage) && len(t.Stages[stage]) == 0
}

// Next lists the stages a participant at stage may move on to.
func (t Type) Next(stage string) []string { return t.Stages[stage] }

// CheckMove checks a move of a participant at stage from to stage m.To:
// forward only to a stage the type allows next; back (to an earlier stage)
// only when mayReverse (an administrator) and with a reason. It sets m.Back.
func (t Type) CheckMove(m *StageMove, mayReverse bool) error {
	if t.Stages == nil {
		return bad("โครงการประเภทนี้ไม่มีขั้นการพิจารณา", "this kind of programme has no stages to move through")
	}
	if err := CheckNote(&m.Reason); err != nil {
		return err
	}
	from, to := slices.Index(t.Statuses, m.From), slices.Index(t.Statuses, m.To)
	switch {
	case to < 0:
		return bad("ไม่รู้จักขั้น %q", "unknown stage %q", m.To)
	case m.Date.IsZero():
		return bad("ต้องระบุวันที่", "give the date of the move")
	case to == from:
		return bad("ผู้ถูกเสนอชื่ออยู่ในขั้นนี้อยู่แล้ว", "the nominee is at this stage already")
	case to < from:
		if !mayReverse {
			return bad("ย้อนขั้นกลับได้เฉพาะผู้ดูแลระบบ พร้อมระบุเหตุผล", "only an administrator may move a nominee back, with a reason")
		}
		if m.Reason == "" {
			return bad("การย้อนขั้นกลับต้องระบุเหตุผล", "moving a nominee back needs a reason")
		}
		m.Back = true
		return nil
	case t.Final(m.From):
		return bad("ขั้นนี้เป็นผลสุดท้ายแล้ว เปลี่ยนได้เฉพาะผู้ดูแลระบบย้อนกลับพร้อมเหตุผล", "this stage is final: only an administrator may move it back, with a reason")
	case !slices.Contains(t.Next(m.From), m.To):
		return bad("ข้ามขั้นไม่ได้: ขั้นถัดไปต้องเป็นขั้นที่กำหนด", "stages cannot be skipped: move to one of the next stages")
	}
	m.Back = false
	return nil
}

// CheckSession checks what a session saw: observations within their
// length, each garden one of the type's values.
func (t Type) CheckSession(se *Session) error {
	se.Observations = strings.TrimSpace(se.Observations)
	if utf8.RuneCountInString(se.Observations) > MaxObservations {
		return bad("บันทึกสิ่งที่พบยาวเกิน %d ตัวอักษร", "the observations are longer than %d characters", MaxObservations)
	}
	for id, g := range se.Gardens {
		if g == "" {
			delete(se.Gardens, id)
			continue
		}
		if !slices.ContainsFunc(t.Gardens, func(c Choice) bool { return c.Key == g }) {
			return bad("ไม่รู้จักสภาพแปลงผัก %q", "unknown garden state %q", g)
		}
	}
	return nil
}

// GardenName names a garden state, or returns the key when unknown.
func (t Type) GardenName(key string) apperr.Text {
	for _, c := range t.Gardens {
		if c.Key == key {
			return c.Name
		}
	}
	return apperr.Text{TH: key, EN: key}
}
