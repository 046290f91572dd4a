package plan

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Assistance statuses.
const (
	Planned    = "planned"
	InProgress = "in_progress"
	Delivered  = "delivered"
	Cancelled  = "cancelled"
)

// Statuses lists the assistance statuses in the order work moves.
var Statuses = []string{Planned, InProgress, Delivered, Cancelled}

// Assistance is one record of the household assistance log: who helped
// which household, with what, when, and how far it got. The household is
// named by its round and key, so the next round's record of the same
// household can be found and the help judged.
type Assistance struct {
	ID          int64
	RoundID     string // the round of the household record helped
	HouseholdID int64
	Key         string
	VillageCode string
	HouseNo     string
	ItemID      int64  // the plan item it delivers, or 0
	ItemTitle   string // filled on reads
	PlanID      int64  // filled on reads
	Programme   string // a programme's name when it is not a plan item
	What        string // what was given or done
	Helper      string // who helped: a partner, an office, a person
	Date        time.Time
	Status      string
	Note        string
	CreatedBy   string
	CreatedAt   time.Time
}

// Validate checks a record before it is stored. Every problem is returned
// at once, each naming its field, so a form can show them beside its inputs.
func (a *Assistance) Validate() error {
	a.What, a.Helper, a.Note, a.Programme = strings.TrimSpace(a.What), strings.TrimSpace(a.Helper), strings.TrimSpace(a.Note), strings.TrimSpace(a.Programme)
	var ps apperr.Problems
	add := func(field string, why apperr.Text) { ps = append(ps, apperr.Problem{Field: field, Reason: why}) }
	tooLong := func(field, v string, max int) {
		if utf8.RuneCountInString(v) > max {
			add(field, apperr.Tf("ข้อความยาวเกินไป (ไม่เกิน %d ตัวอักษร)", "the text is too long (at most %d characters)", max))
		}
	}
	if a.HouseholdID <= 0 || a.RoundID == "" {
		add("household", apperr.T("ต้องระบุครัวเรือนที่ได้รับความช่วยเหลือ", "name the household helped"))
	}
	if a.ItemID == 0 && a.Programme == "" {
		add("programme", apperr.T("ต้องระบุโครงการในแผนหรือชื่อโครงการ/กิจกรรมที่ช่วยเหลือ", "name the plan item or the programme the help came from"))
	}
	if a.What == "" {
		add("what", apperr.T("ต้องระบุว่าช่วยเหลืออะไร", "say what the help was"))
	}
	tooLong("what", a.What, MaxText)
	if a.Helper == "" {
		add("helper", apperr.T("ต้องระบุผู้ให้ความช่วยเหลือ", "say who helped"))
	}
	tooLong("helper", a.Helper, MaxText)
	if a.Date.IsZero() {
		add("date", apperr.T("ต้องระบุวันที่ช่วยเหลือ", "give the date of the help"))
	}
	if !slices.Contains(Statuses, a.Status) {
		add("status", apperr.Tf("ไม่รู้จักสถานะ %q", "unknown status %q", a.Status))
	}
	tooLong("note", a.Note, 4*MaxText)
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// AssistanceFilter picks records of the log; empty fields match all.
type AssistanceFilter struct {
	Round, Key string // one household's records
	ItemID     int64
	PlanID     int64
	Area       string // records of households inside this area
}
