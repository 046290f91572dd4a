// Package activity holds what the team does with its partners: meetings,
// field visits, trainings, kick-offs and campaigns, with who came and in what
// role, the agenda, the resolutions, the follow-up actions (owner, due date,
// status), the safety measures observed, and the news post an activity may
// become. It does no I/O.
package activity

import (
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/thai"
)

// Kind is the sort of activity.
type Kind string

// The kinds.
const (
	Meeting    Kind = "meeting"     // ประชุม
	FieldVisit Kind = "field_visit" // ลงพื้นที่
	Training   Kind = "training"    // อบรม
	KickOff    Kind = "kick_off"    // เปิดตัวโครงการ (kick off)
	Campaign   Kind = "campaign"    // รณรงค์
	Forum      Kind = "forum"       // ประชาคม: the village meeting that ranks its problems (forum.go)
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{Meeting, Forum, FieldVisit, Training, KickOff, Campaign}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Safety measures an activity may record, e.g. the COVID-19 measures of 2564.
// They are codes so that reports can count them; pages name them from the
// locale files.
var SafetyMeasures = []string{"masks", "distancing", "temperature", "handwash", "checkin", "limit_size", "outdoor", "vaccinated"}

// FollowUpStatus is where a follow-up action stands.
type FollowUpStatus string

// The statuses.
const (
	Open       FollowUpStatus = "open"
	InProgress FollowUpStatus = "in_progress"
	Done       FollowUpStatus = "done"
	Cancelled  FollowUpStatus = "cancelled"
)

// Statuses lists every follow-up status.
var Statuses = []FollowUpStatus{Open, InProgress, Done, Cancelled}

// Closed reports whether nothing more is expected of the action.
func (s FollowUpStatus) Closed() bool { return s == Done || s == Cancelled }

// Attendee is someone who took part, in a role (chair, presenter, participant …).
type Attendee struct {
	PartnerID int64  // the partner record, when the person is one (0 otherwise)
	Name      string // as written in the minutes
	Role      string // e.g. "ประธานการประชุม"
}

// FollowUp is an action agreed at an activity.
type FollowUp struct {
	ID       int64
	Seq      int
	Action   string
	OwnerID  int64  // the responsible partner, if recorded as one
	Owner    string // the responsible person or agency as written
	Due      time.Time
	Status   FollowUpStatus
	DoneAt   time.Time
	AreaCode string // the activity's area

	// Set when listed on their own (the dashboard).
	ActivityID    int64
	ActivityTitle string
}

// Overdue reports whether the action is late on the date today (any time
// of that day, Bangkok time): not closed and due before today.
func (f FollowUp) Overdue(today time.Time) bool {
	return !f.Status.Closed() && !f.Due.IsZero() && DateOf(f.Due).Before(DateOf(today))
}

// DateOf returns midnight UTC of t's date in Bangkok, the unit due dates are kept in.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(bangkok).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var bangkok = thai.Bangkok()

// Bangkok is Thai time (UTC+7, no daylight saving).
func Bangkok() *time.Location { return bangkok }

// Activity is a meeting, visit, training, kick-off or campaign.
type Activity struct {
	ID          int64
	Kind        Kind
	TitleTH     string
	TitleEN     string
	Start       time.Time // an instant; shown in Bangkok time
	End         time.Time // zero when not recorded
	AreaCode    string    // where it took place: a village, tambon …
	Venue       string    // e.g. "ศาลาประชาคมบ้านหนองไม้เฝ้า หมู่ 4"
	OrganiserID int64     // the organising partner (0 when not recorded)
	Summary     string
	PartnerIDs  []int64 // agencies that took part
	Attendees   []Attendee
	Agenda      []string
	Resolutions []string
	FollowUps   []FollowUp
	Safety      []string // codes from SafetyMeasures
	SafetyNote  string

	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy string
	UpdatedBy string

	// Filled when read back.
	Photos []Photo
	NewsID int64 // the news post made of it, 0 when not published
}

// Title returns the title in lang, Thai when there is no English one.
func (a Activity) Title(lang string) string {
	if lang == "en" && a.TitleEN != "" {
		return a.TitleEN
	}
	return a.TitleTH
}

// Photo is one picture of an activity, already shrunk for slow connections.
type Photo struct {
	ID         int64
	ActivityID int64
	Caption    string
	Width      int
	Height     int
}

// ThumbHeight is the thumbnail's height, for the page to reserve its space.
func (p Photo) ThumbHeight() int {
	if p.Width <= ThumbSize && p.Height <= ThumbSize {
		return p.Height
	}
	if p.Height > p.Width {
		return ThumbSize
	}
	return max(p.Height*ThumbSize/p.Width, 1)
}

// ThumbWidth is the thumbnail's width.
func (p Photo) ThumbWidth() int {
	if p.Width <= ThumbSize && p.Height <= ThumbSize {
		return p.Width
	}
	if p.Height > p.Width {
		return max(p.Width*ThumbSize/p.Height, 1)
	}
	return ThumbSize
}

// Filter selects activities. The zero value selects all.
type Filter struct {
	Within string    // the area subtree ("" or "TH" for all)
	From   time.Time // starts at or after (zero: no bound)
	To     time.Time // starts before (zero: no bound)
	Kind   Kind
	Limit  int  // 0 means 500
	Latest bool // newest first (default: in start order)
}

// Field limits, in characters.
const (
	MaxTitle = 300
	MaxText  = 4000
	MaxItems = 200
)

// Normalize trims texts and drops empty list items.
func (a *Activity) Normalize() {
	for _, s := range []*string{&a.TitleTH, &a.TitleEN, &a.AreaCode, &a.Venue, &a.Summary, &a.SafetyNote} {
		*s = strings.TrimSpace(*s)
	}
	a.Agenda = compact(a.Agenda)
	a.Resolutions = compact(a.Resolutions)
	var at []Attendee
	for _, x := range a.Attendees {
		x.Name, x.Role = strings.TrimSpace(x.Name), strings.TrimSpace(x.Role)
		if x.Name != "" || x.PartnerID != 0 {
			at = append(at, x)
		}
	}
	a.Attendees = at
	var fs []FollowUp
	for _, f := range a.FollowUps {
		f.Action, f.Owner = strings.TrimSpace(f.Action), strings.TrimSpace(f.Owner)
		if f.Status == "" {
			f.Status = Open
		}
		if f.Action != "" {
			fs = append(fs, f)
		}
	}
	a.FollowUps = fs
	seen := map[string]bool{}
	var safety []string
	for _, m := range a.Safety {
		if m = strings.TrimSpace(m); m != "" && !seen[m] {
			seen[m] = true
			safety = append(safety, m)
		}
	}
	a.Safety = safety
}

func compact(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Validate checks a normalized activity and names every field that is wrong.
// Whether areas and partners exist is the store's question.
func (a Activity) Validate() error {
	var ps apperr.Problems
	add := func(field, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Value: value, Reason: reason})
	}
	if !a.Kind.Valid() {
		add("kind", string(a.Kind), apperr.Tf("ไม่รู้จักประเภทกิจกรรม %q (ใช้ได้: %s)", "unknown activity kind %q (one of: %s)", a.Kind, kindList()))
	}
	if a.TitleTH == "" {
		add("title_th", "", apperr.T("ต้องระบุชื่อกิจกรรมภาษาไทย", "the Thai title is required"))
	}
	for _, l := range []struct {
		field, v string
		max      int
	}{{"title_th", a.TitleTH, MaxTitle}, {"title_en", a.TitleEN, MaxTitle}, {"venue", a.Venue, MaxTitle},
		{"summary", a.Summary, MaxText}, {"safety_note", a.SafetyNote, MaxText}} {
		if utf8.RuneCountInString(l.v) > l.max {
			add(l.field, "", apperr.Tf("ยาวเกิน %d ตัวอักษร", "longer than %d characters", l.max))
		}
	}
	if a.Start.IsZero() {
		add("date", "", apperr.T("ต้องระบุวันที่จัดกิจกรรม", "the date of the activity is required"))
	}
	if !a.End.IsZero() && !a.Start.IsZero() && a.End.Before(a.Start) {
		add("end", "", apperr.T("เวลาสิ้นสุดต้องไม่ก่อนเวลาเริ่ม", "the end must not be before the start"))
	}
	if a.AreaCode == "" {
		add("area_code", "", apperr.T("ต้องระบุพื้นที่ที่จัดกิจกรรม", "the area where it took place is required"))
	} else if strings.Trim(a.AreaCode, "0123456789") != "" {
		add("area_code", a.AreaCode, apperr.T("รหัสพื้นที่ต้องเป็นตัวเลข เช่น 70051304", "the area code must be digits, e.g. 70051304"))
	}
	for name, n := range map[string]int{"attendees": len(a.Attendees), "agenda": len(a.Agenda), "resolutions": len(a.Resolutions), "followups": len(a.FollowUps)} {
		if n > MaxItems {
			add(name, "", apperr.Tf("มากเกิน %d รายการ", "more than %d items", MaxItems))
		}
	}
	for i, x := range a.Attendees {
		if x.Name == "" {
			add("attendees", "", apperr.Tf("ผู้เข้าร่วมลำดับที่ %d ไม่มีชื่อ", "attendee %d has no name", i+1))
		}
	}
	for i, f := range a.FollowUps {
		if f.Due.IsZero() {
			add("followups", f.Action, apperr.Tf("งานติดตามลำดับที่ %d ต้องมีวันกำหนดเสร็จ", "follow-up %d needs a due date", i+1))
		}
		if !validStatus(f.Status) {
			add("followups", string(f.Status), apperr.Tf("งานติดตามลำดับที่ %d: ไม่รู้จักสถานะ %q (ใช้ได้: open, in_progress, done, cancelled)",
				"follow-up %d: unknown status %q (one of: open, in_progress, done, cancelled)", i+1, f.Status))
		}
	}
	for _, m := range a.Safety {
		if !validSafety(m) {
			add("safety", m, apperr.Tf("ไม่รู้จักมาตรการ %q", "unknown safety measure %q", m))
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func kindList() string {
	var b strings.Builder
	for i, k := range Kinds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}

// Valid reports whether s is a known status.
func (s FollowUpStatus) Valid() bool { return validStatus(s) }

func validStatus(s FollowUpStatus) bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

func validSafety(m string) bool {
	for _, x := range SafetyMeasures {
		if x == m {
			return true
		}
	}
	return false
}
