// Package programme holds the department's programmes as configurable
// types: what a programme's participants are (areas, people, households),
// the fields recorded for each, the process steps they go through with
// evidence, the criteria a committee scores with their weights, and
// whether it runs sessions (trainings, follow-up visits) with attendance.
// The model information tambon, change leaders, household vegetable
// gardens and award nominations are built in as data (types.go); another
// programme is one more Type. It does no I/O.
package programme

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
)

// Participant kinds.
const (
	Area      = "area"      // a tambon or a village
	Person    = "person"    // a leader, a volunteer
	Household = "household" // a household of the survey
)

// Step is one step of a programme's process.
type Step struct {
	Key  string
	Name apperr.Text
}

// Criterion is one line of a rubric; the weights of a rubric sum to 100.
type Criterion struct {
	Key    string      `json:"key"`
	Name   apperr.Text `json:"name"`
	Weight float64     `json:"weight"`
}

// Field is something recorded for each participant.
type Field struct {
	Key     string
	Name    apperr.Text
	Number  bool     // a number (plot size, baht per day …)
	Choices []string // when set, one of these (locale keys prog.choice.<key>)
}

// Type is a kind of programme.
type Type struct {
	Key         string
	Name, About apperr.Text
	Participant string
	Fields      []Field
	Steps       []Step
	Criteria    []Criterion // the default rubric; each programme keeps its own copy
	Sessions    apperr.Text // what its sessions are called ("trainings"); empty when it has none
	Quota       int         // default participants per programme (0: no quota)
	Statuses    []string
	// SelfAssessment: participants score themselves on the rubric, with
	// a reason, beside the committee's scores (award nominations).
	SelfAssessment bool
	// Stages: the statuses are stages a participant moves through, each
	// move recorded with its day (MoveStage); a status lists the stages it
	// may move on to, and one with none is final. Empty: the status is
	// edited as any other value.
	Stages map[string][]string
	// Gardens: what a visit may see of a household's garden; empty when
	// the programme's visits see no gardens.
	Gardens []Choice
}

// Choice is one value of a list, with its name.
type Choice struct {
	Key  string
	Name apperr.Text
}

// Programme is one run of a type in an area and fiscal year.
type Programme struct {
	ID         int64
	Type       string
	Title      string
	AreaCode   string
	FiscalYear int
	Phase      int
	Quota      int
	Criteria   []Criterion
	CreatedBy  string
	CreatedAt  time.Time
}

// Participant is an area, person or household taking part.
type Participant struct {
	ID          int64
	ProgrammeID int64
	Name        string
	AreaCode    string // the village or tambon
	HouseholdID int64  // for household programmes
	Level       string // how far it was selected: tambon, district, province, region
	Status      string
	Fields      map[string]string
	ActionPlan  string
}

// StepDone records a step done, with its evidence.
type StepDone struct {
	ParticipantID int64
	Step          string
	Date          time.Time
	Evidence      string
	By            string
}

// Score is one committee member's score of a participant on a criterion (0-100).
type Score struct {
	ParticipantID int64
	Criterion     string
	Judge         string
	Score         float64
}

// Session is a training, a kick-off or a follow-up visit, with who attended.
type Session struct {
	ID          int64
	ProgrammeID int64
	Title       string
	Date        time.Time
	Place       string
	Attendees   []int64
	// Observations is what was seen, in the recorder's words.
	Observations string
	// Gardens is each visited household's garden as seen (Type.Gardens),
	// by participant.
	Gardens map[int64]string
	Photos  []Photo
}

// Photo is a picture taken at a session, shrunk for the web; ParticipantID
// is the household or person it shows, 0 for the session as a whole.
type Photo struct {
	ID            int64
	SessionID     int64
	ParticipantID int64
	Caption       string
	Width, Height int
	Image, Thumb  []byte // JPEG; set only when storing
	By            string
	At            time.Time
}

// Levels of selection, from the tambon up.
var Levels = []string{"tambon", "district", "province", "region"}

func bad(th, en string, args ...any) error {
	return apperr.New(apperr.Invalid, apperr.Tf(th, en, args...))
}

// CheckRubric checks criteria: keys unique, names given, weights positive
// and summing to 100.
func CheckRubric(cs []Criterion) error {
	seen := map[string]bool{}
	var sum float64
	for i, c := range cs {
		switch {
		case c.Key == "" || seen[c.Key]:
			return bad("เกณฑ์ข้อที่ %d ต้องมีรหัสที่ไม่ซ้ำ", "criterion %d needs a key of its own", i+1)
		case strings.TrimSpace(c.Name.TH) == "":
			return bad("เกณฑ์ข้อที่ %d ต้องมีชื่อ", "criterion %d needs a name", i+1)
		case c.Weight <= 0:
			return bad("น้ำหนักของเกณฑ์ %s ต้องมากกว่า 0 (ได้ %g)", "the weight of criterion %s must be above 0 (got %g)", c.Name.TH, c.Weight)
		}
		seen[c.Key] = true
		sum += c.Weight
	}
	if len(cs) > 0 && math.Abs(sum-100) > 1e-9 {
		return bad("น้ำหนักของเกณฑ์ต้องรวมได้ 100 (ได้ %g)", "the criteria's weights must sum to 100 (got %g)", sum)
	}
	return nil
}

// Validate checks a programme against its type.
func (p *Programme) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	t, err := Lookup(p.Type)
	if err != nil {
		return err
	}
	switch {
	case p.Title == "" || utf8.RuneCountInString(p.Title) > 300:
		return bad("ชื่อโครงการต้องมี และไม่เกิน %d ตัวอักษร", "the programme needs a title of at most %d characters", 300)
	case p.FiscalYear < 2500 || p.FiscalYear > 2700:
		return bad("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2564 (ได้ %d)", "the fiscal year must be a Buddhist Era year such as 2564 (got %d)", p.FiscalYear)
	case p.AreaCode == "" || p.AreaCode != "TH" && strings.Trim(p.AreaCode, "0123456789") != "":
		return bad("รหัสพื้นที่ %q ไม่ถูกต้อง", "the area code %q is not valid", p.AreaCode)
	case p.Phase < 0 || p.Phase > 9 || p.Quota < 0:
		return bad("ระยะหรือโควตาไม่ถูกต้อง", "the phase or quota is not valid")
	}
	if p.Criteria == nil {
		p.Criteria = slices.Clone(t.Criteria)
	}
	if p.Quota == 0 {
		p.Quota = t.Quota
	}
	return CheckRubric(p.Criteria)
}

// Validate checks a participant against its programme's type.
func (pt *Participant) Validate(t Type) error {
	pt.Name, pt.ActionPlan = strings.TrimSpace(pt.Name), strings.TrimSpace(pt.ActionPlan)
	switch {
	case pt.Name == "" || utf8.RuneCountInString(pt.Name) > 200:
		return bad("ต้องระบุชื่อผู้เข้าร่วม (ไม่เกิน %d ตัวอักษร)", "give the participant's name (at most %d characters)", 200)
	case t.Participant == Household && pt.HouseholdID <= 0:
		return bad("โครงการนี้ต้องระบุครัวเรือน", "this programme's participants are households: choose one")
	case pt.Level != "" && !slices.Contains(Levels, pt.Level):
		return bad("ไม่รู้จักระดับการคัดเลือก %q", "unknown selection level %q", pt.Level)
	case pt.Status != "" && !slices.Contains(t.Statuses, pt.Status):
		return bad("ไม่รู้จักสถานะ %q", "unknown status %q", pt.Status)
	case utf8.RuneCountInString(pt.ActionPlan) > 4000:
		return bad("แผนปฏิบัติการยาวเกิน %d ตัวอักษร", "the action plan is longer than %d characters", 4000)
	}
	if pt.Status == "" && len(t.Statuses) > 0 {
		pt.Status = t.Statuses[0]
	}
	for k, v := range pt.Fields {
		i := slices.IndexFunc(t.Fields, func(f Field) bool { return f.Key == k })
		if i < 0 {
			return bad("โครงการนี้ไม่มีช่อง %q", "this programme has no field %q", k)
		}
		f := t.Fields[i]
		v = strings.TrimSpace(v)
		pt.Fields[k] = v
		if v == "" {
			continue
		}
		if f.Number {
			if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0 {
				return bad("ช่อง %s: %q ต้องเป็นตัวเลขไม่ติดลบ", "field %s: %q must be a number, not negative", f.Name.TH, v)
			}
		}
		if f.Choices != nil && !slices.Contains(f.Choices, v) {
			return bad("ช่อง %s: ไม่มีตัวเลือก %q", "field %s: %q is not one of the choices", f.Name.TH, v)
		}
	}
	return nil
}

// Weighted is a participant's rubric result: each criterion's mean score
// over the judges, weighted.
func Weighted(cs []Criterion, scores []Score) (total float64, judges int) {
	who := map[string]bool{}
	for _, c := range cs {
		var sum float64
		n := 0
		for _, s := range scores {
			if s.Criterion == c.Key {
				sum += s.Score
				n++
				who[s.Judge] = true
			}
		}
		if n > 0 {
			total += sum / float64(n) * c.Weight / 100
		}
	}
	return total, len(who)
}

// Number reads a numeric field, 0 when empty.
func (pt Participant) Number(key string) float64 {
	n, _ := strconv.ParseFloat(pt.Fields[key], 64)
	return n
}

// String names a programme for logs.
func (p Programme) String() string {
	return fmt.Sprintf("%s %q (%s, %d)", p.Type, p.Title, p.AreaCode, p.FiscalYear)
}
