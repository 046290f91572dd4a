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

// Validate checks a record before it is stored.
func (a *Assistance) Validate() error {
	a.What, a.Helper, a.Note, a.Programme = strings.TrimSpace(a.What), strings.TrimSpace(a.Helper), strings.TrimSpace(a.Note), strings.TrimSpace(a.Programme)
	switch {
	case a.HouseholdID <= 0 || a.RoundID == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุครัวเรือนที่ได้รับความช่วยเหลือ", "name the household helped"))
	case a.ItemID == 0 && a.Programme == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุโครงการในแผนหรือชื่อโครงการ/กิจกรรมที่ช่วยเหลือ", "name the plan item or the programme the help came from"))
	case a.What == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุว่าช่วยเหลืออะไร", "say what the help was"))
	case a.Helper == "":
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุผู้ให้ความช่วยเหลือ", "say who helped"))
	case utf8.RuneCountInString(a.What) > MaxText || utf8.RuneCountInString(a.Helper) > MaxText || utf8.RuneCountInString(a.Note) > 4*MaxText:
		return apperr.New(apperr.Invalid, apperr.Tf("ข้อความยาวเกินไป (ไม่เกิน %d ตัวอักษร)", "the text is too long (at most %d characters)", MaxText))
	case a.Date.IsZero():
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุวันที่ช่วยเหลือ", "give the date of the help"))
	case !slices.Contains(Statuses, a.Status):
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักสถานะ %q", "unknown status %q", a.Status))
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
