package survey

import (
	"time"

	"tambon/internal/apperr"
)

// Sex as recorded on the roster.
type Sex string

// The sexes.
const (
	Male   Sex = "m"
	Female Sex = "f"
)

// Relation is a member's relationship to the head of household. The 2560-2564
// transcription leaves the official code list out, so these codes are
// tambon's own; importers map the handbook's codes onto them.
type Relation string

// The relations.
const (
	RelHead       Relation = "head"
	RelSpouse     Relation = "spouse"
	RelChild      Relation = "child"
	RelChildInLaw Relation = "child_in_law"
	RelGrandchild Relation = "grandchild"
	RelParent     Relation = "parent"
	RelSibling    Relation = "sibling"
	RelRelative   Relation = "relative"
	RelOther      Relation = "other"
)

// Education levels (highest completed), lowest first. Indicator rules compare
// them by rank: "lower_secondary" is ม.3, the end of compulsory schooling.
const (
	EduNone           = "none"
	EduPreschool      = "preschool"
	EduPrimary        = "primary"         // ป.6
	EduLowerSecondary = "lower_secondary" // ม.3
	EduUpperSecondary = "upper_secondary" // ม.6 / ปวช.
	EduDiploma        = "diploma"         // ปวส. / อนุปริญญา
	EduBachelor       = "bachelor"
	EduPostgraduate   = "postgraduate"
)

// EducationRank returns the rank of an education code (0 for "none") and
// whether the code is known.
func EducationRank(code string) (int, bool) {
	switch code {
	case EduNone:
		return 0, true
	case EduPreschool:
		return 1, true
	case EduPrimary:
		return 2, true
	case EduLowerSecondary:
		return 3, true
	case EduUpperSecondary:
		return 4, true
	case EduDiploma:
		return 5, true
	case EduBachelor:
		return 6, true
	case EduPostgraduate:
		return 7, true
	}
	return -1, false
}

// Occupation codes the indicators rely on. Any other non-empty code means the
// member works at something; the form's own list is not in the transcription.
const (
	OccNone    = "none"    // ไม่มีอาชีพ / ว่างงาน
	OccStudent = "student" // กำลังศึกษา (studies and does not work)
)

// An Occupation is one choice of a member's main occupation.
type Occupation struct {
	Code  string
	Label apperr.Text
}

// Occupations is the list every form offers for a member's main occupation
// (the web form and the field form alike). The indicators read only OccNone
// and OccStudent (questions 18 and 20 hang on them); every other code means
// the member works. The official list is not in the transcription, so the
// other codes are tambon's own; households stored from the free-text field
// of earlier forms keep their text, which is read as it is.
var Occupations = []Occupation{
	{OccNone, apperr.T("ไม่มีอาชีพ / ว่างงาน", "No occupation / unemployed")},
	{OccStudent, apperr.T("กำลังศึกษา (ไม่ได้ทำงาน)", "Studying (not working)")},
	{"farming", apperr.T("เกษตรกรรม (ทำนา ทำไร่ ทำสวน ประมง เลี้ยงสัตว์)", "Farming, fishing or livestock")},
	{"labour", apperr.T("รับจ้างทั่วไป", "Casual labour")},
	{"trade", apperr.T("ค้าขาย / ธุรกิจส่วนตัว", "Trade or own business")},
	{"government", apperr.T("รับราชการ / พนักงานรัฐวิสาหกิจ", "Civil service or state enterprise")},
	{"employee", apperr.T("พนักงานบริษัท / ลูกจ้างเอกชน", "Private-sector employee")},
	{"other", apperr.T("อาชีพอื่น ๆ", "Another occupation")},
}

// Member is one row of the roster. The form lists only people actually
// living in the household now; Resident records that explicitly so a roster
// copied from the house registration can still be stored and corrected.
type Member struct {
	No          int       `json:"no"` // 1.., the roster row
	Title       string    `json:"title,omitempty"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	CitizenID   string    `json:"citizen_id"` // 13 digits
	Sex         Sex       `json:"sex"`
	BirthDate   time.Time `json:"birth_date"`
	Relation    Relation  `json:"relation"`
	Education   string    `json:"education,omitempty"`  // Edu* code
	Occupation  string    `json:"occupation,omitempty"` // Occ* code or another code
	Resident    bool      `json:"resident"`             // actually lives here
	Disabled    bool      `json:"disabled,omitempty"`
	ChronicIll  bool      `json:"chronic_ill,omitempty"`
	Bedridden   bool      `json:"bedridden,omitempty"`
	Dependent   bool      `json:"dependent,omitempty"` // cannot look after themselves (ช่วยเหลือตัวเองไม่ได้)
	WelfareCard bool      `json:"welfare_card,omitempty"`
	Answers     Answers   `json:"answers,omitempty"` // person-level answers
	// On a roster started from last round's (resurvey.go): Left marks a
	// member of that roster who is no longer here, and why; Joined marks a
	// member added since. Neither is stored with the record: TakeLeavers
	// moves the leavers out of the roster, and WriteHouseholds writes both
	// into the household's history.
	Left   Leaving `json:"-"`
	Joined bool    `json:"-"`
	// Prev, on such a roster, is the same person's roster number (No) in
	// the record it was started from, when the door knows it (the phone's
	// update form does); not stored either.
	Prev int `json:"-"`
}

// AgeAt returns the member's age in completed years at t (0 when born after t).
func (m *Member) AgeAt(t time.Time) int { return completedYears(m.BirthDate, t) }

// AgeMonthsAt returns the member's age in completed months at t.
func (m *Member) AgeMonthsAt(t time.Time) int { return completedMonths(m.BirthDate, t) }

// completedYears counts birthdays passed by t; a birthday on t counts. A
// 29 February birthday is passed on 1 March in common years.
func completedYears(birth, t time.Time) int {
	by, bm, bd := birth.Date()
	ty, tm, td := t.Date()
	n := ty - by
	if tm < bm || (tm == bm && td < bd) {
		n--
	}
	if n < 0 {
		return 0
	}
	return n
}

// completedMonths counts month-days passed by t, the same way.
func completedMonths(birth, t time.Time) int {
	by, bm, bd := birth.Date()
	ty, tm, td := t.Date()
	n := (ty-by)*12 + int(tm-bm)
	if td < bd {
		n--
	}
	if n < 0 {
		return 0
	}
	return n
}
