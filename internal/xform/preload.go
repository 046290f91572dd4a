package xform

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// The re-survey: the จปฐ. is a yearly panel, so the form offers the
// enumerator's households of the previous round and fills in the chosen
// one's roster, to confirm or correct rather than type again. Everything
// here is plain ODK XForms that ODK Collect, KoboCollect and ODK Web Forms
// all run: two CSV secondary instances sent with the form
// (jr://file-csv/…), a repeat whose count is a calculation (jr:count), and
// setvalue actions — on xforms-value-changed of the household choice for
// the household's own fields, on odk-new-repeat for each member — that copy
// last round's values into the questions, where the enumerator may change
// them. The chosen household's key and each member's roster number travel
// in the instance, so the server links the visit to last round by key,
// never by a typed ID.

// The media files of the re-survey: last round's households and members
// inside the enumerator's area, names and IDs included (personal data: the
// server sends them only to their own account, and audits each download).
const (
	PrevHouseholdsCSV = "prev_households.csv"
	PrevMembersCSV    = "prev_members.csv"
)

// prevHouseholdBase are the first columns of PrevHouseholdsCSV: name is
// last round's household key, label what the enumerator reads to pick it;
// members is the number of its members and first the row of the first of
// them in PrevMembersCSV (1 for the first row after the header), so the
// form finds a member by position rather than by searching every row (a
// tambon's file has thousands); then the household's own answers of last
// round that the form fills in: its location, money (prefilledMoney) and,
// after these, one column per household question of the indicator set
// (answerColumn).
var prevHouseholdBase = []string{"name", "label", "village", "house_no", "house_code", "respondent", "phone", "members", "first", "location"}

// prefilledMoney are the household's money questions, filled from last
// round as the rest (build.go asks them under these names).
var prefilledMoney = []string{"income_main", "income_secondary", "income_other", "income_own_produce", "income_costs",
	"savings", "debt_in_system", "debt_out_of_system"}

// prefilledMember are the member questions filled from last round: the
// first columns of PrevMembersCSV after hh and no, before one column per
// person question of the indicator set (answerColumn).
var prefilledMember = []string{"title", "first_name", "last_name", "citizen_id", "sex", "birth_date", "relation", "education", "occupation", "resident", "flags"}

// answerColumn is the column of last round's answer to an indicator
// question in PrevHouseholdsCSV or PrevMembersCSV (prefixed, so that no
// question code can take a column of the roster's own).
func answerColumn(code string) string { return "q_" + code }

// PrevHouseholdColumns are the columns of PrevHouseholdsCSV for f.
func (f *Form) PrevHouseholdColumns() []string {
	cols := append(slices.Clone(prevHouseholdBase), prefilledMoney...)
	for _, c := range f.questions[survey.LevelHousehold] {
		cols = append(cols, answerColumn(c))
	}
	return cols
}

// PrevMemberColumns are the columns of PrevMembersCSV for f: hh is the
// household's key in PrevHouseholdsCSV, no the member's place in its
// roster (1, 2, … with no gaps: the repeat instance it fills).
func (f *Form) PrevMemberColumns() []string {
	cols := append([]string{"hh", "no"}, prefilledMember...)
	for _, c := range f.questions[survey.LevelPerson] {
		cols = append(cols, answerColumn(c))
	}
	return cols
}

// PrevHouseholdRow is h's row of PrevHouseholdsCSV (PrevHouseholdColumns):
// key is its key in the previous round, label what the enumerator reads,
// first the row of its first member in PrevMembersCSV. Every value is
// written as the form's question takes it, so a value the enumerator does
// not touch reaches the server as it was.
func (f *Form) PrevHouseholdRow(key, label string, h *survey.Household, first int) []string {
	loc := ""
	if h.Lat != nil && h.Lon != nil {
		loc = strconv.FormatFloat(*h.Lat, 'f', -1, 64) + " " + strconv.FormatFloat(*h.Lon, 'f', -1, 64)
	}
	money := func(n int64) string { return strconv.FormatInt(n, 10) }
	row := []string{key, label, h.VillageCode, h.HouseNo, h.HouseCode, h.Respondent, h.Phone,
		strconv.Itoa(len(h.Members)), strconv.Itoa(first), loc,
		money(h.Income.MainOccupation), money(h.Income.SecondaryOccupation), money(h.Income.Other),
		money(h.Income.OwnProduce), money(h.Income.OccupationCosts), money(h.Savings),
		money(h.Debt.InSystem), money(h.Debt.OutOfSystem)}
	for _, c := range f.questions[survey.LevelHousehold] {
		row = append(row, answerCode(h.Answers, c))
	}
	return row
}

// PrevMemberRow is m's row of PrevMembersCSV (PrevMemberColumns): key is
// its household's key in the previous round, place its place on that
// household's roster (1, 2, …).
func (f *Form) PrevMemberRow(key string, place int, m *survey.Member) []string {
	birth := ""
	if !m.BirthDate.IsZero() {
		birth = m.BirthDate.Format(time.DateOnly)
	}
	row := []string{key, strconv.Itoa(place), m.Title, m.FirstName, m.LastName, m.CitizenID, string(m.Sex), birth,
		string(m.Relation), m.Education, m.Occupation, boolCode(m.Resident), memberFlags(m)}
	for _, c := range f.questions[survey.LevelPerson] {
		row = append(row, answerCode(m.Answers, c))
	}
	return row
}

// answerCode is an answer as the form's question holds it (as Encode
// writes it): 1 or 0, a number, a choice's code; "" when unanswered.
func answerCode(a survey.Answers, code string) string {
	v, ok := a[code]
	if !ok {
		return ""
	}
	switch v.Kind() {
	case survey.ValueBool:
		x, _ := v.Bool()
		return boolCode(x)
	case survey.ValueNumber:
		x, _ := v.Number()
		return strconv.FormatFloat(x, 'f', -1, 64)
	case survey.ValueText:
		s, _ := v.Text()
		return s
	}
	return ""
}

// memberFlags is the form's "flags" answer: the codes of the member's
// conditions, space-separated.
func memberFlags(m *survey.Member) string {
	var out []string
	for _, f := range []struct {
		on   bool
		code string
	}{{m.Disabled, "disabled"}, {m.ChronicIll, "chronic_ill"}, {m.Bedridden, "bedridden"}, {m.Dependent, "dependent"}, {m.WelfareCard, "welfare_card"}} {
		if f.on {
			out = append(out, f.code)
		}
	}
	return strings.Join(out, " ")
}

// The visit outcomes of a household of last round's list.
const (
	VisitInterviewed = "interviewed"
	VisitRefused     = "refused"
	VisitMovedAway   = "moved" // the codes of package assign's outcomes
	VisitNotFound    = "not_found"
)

// A member of last round's roster is still here, died, or moved out.
const (
	PresenceHere     = "here"
	PresenceDied     = "died"
	PresenceMovedOut = "moved_out"
)

// interviewed is true unless the enumerator says a household of last
// round's list was not interviewed; a new household is always interviewed.
const interviewed = "(/data/prev_household = '' or /data/visit = '" + VisitInterviewed + "')"

// stays is true for a member who is part of this year's roster: new, or
// still here (a departed member's other questions are skipped).
const stays = "(../presence != '" + PresenceDied + "' and ../presence != '" + PresenceMovedOut + "')"

// residentMembers counts this year's resident members: the XPath of the
// "members" measure of the indicator set (relevant.go).
const residentMembers = "count(/data/members[resident = '1' and presence != '" + PresenceDied + "' and presence != '" + PresenceMovedOut + "'])"

// prevHousehold is last round's row of the chosen household.
const prevHousehold = "instance('prev_households')/root/item[name = /data/prev_household]"

// prevMember is last round's row of the member this repeat instance holds
// (evaluated with the new instance's question as the context): found by
// position from the household's first row, and checked to be of that
// household (files of another moment would fill nothing rather than
// another person).
const prevMember = "instance('prev_members')/root/item[/data/prev_first + position(current()/..) - 1][hh = /data/prev_household]"

// setvalue is an ODK action: on event, ref takes the value of the XPath.
type setvalue struct {
	event, ref, value string
}

// resurveyHead adds, after the village, the choice of a household of last
// round and the visit's outcome, and fills the household's own questions
// from last round when one is chosen: house number and code, respondent,
// phone, location, money and every household question of the set.
func (b *builder) resurveyHead(set *indicator.Set) {
	var fill []setvalue
	for _, p := range append([]string{"house_no", "house_code", "respondent", "phone", "location"}, prefilledMoney...) {
		fill = append(fill, setvalue{"xforms-value-changed", "/data/" + p, "string(" + prevHousehold + "/" + p + ")"})
	}
	for _, q := range set.Questions() {
		if q.Level == survey.LevelHousehold {
			fill = append(fill, setvalue{"xforms-value-changed", "/data/" + q.Code, "string(" + prevHousehold + "/" + answerColumn(q.Code) + ")"})
		}
		if q.Level == survey.LevelHousehold || q.Level == survey.LevelPerson {
			b.f.questions[q.Level] = append(b.f.questions[q.Level], q.Code)
		}
	}
	b.add(field{path: "prev_household", kind: "select1", typ: "string",
		itemset:   "instance('prev_households')/root/item[village = current()/../village]",
		label:     apperr.T("ครัวเรือนจากการสำรวจรอบที่แล้ว", "Household from last round's survey"),
		hint:      apperr.T("เลือกเพื่อสำรวจซ้ำ ข้อมูลเดิมจะถูกกรอกไว้ให้ตรวจและแก้ไข เว้นว่างถ้าเป็นครัวเรือนใหม่", "choose one to re-survey it: last round's answers are filled in to confirm or correct; leave empty for a new household"),
		setvalues: fill})
	b.add(field{path: "visit", kind: "select1", typ: "string", required: true, relevant: "../prev_household != ''",
		label: apperr.T("ผลการเยี่ยมครัวเรือน", "Outcome of the visit"),
		choices: []choice{
			{VisitInterviewed, apperr.T("สัมภาษณ์ได้", "Interviewed")},
			{VisitRefused, apperr.T("ปฏิเสธการให้ข้อมูล", "Refused")},
			{VisitMovedAway, apperr.T("ย้ายออกทั้งครัวเรือน", "The whole household moved away")},
			{VisitNotFound, apperr.T("ไม่พบครัวเรือน", "Household not found")}}})
}

// resurveyCount adds, before the roster, the number of new members and the
// roster's size: last round's members of the chosen household plus the new
// ones (a new household's members are all new). The roster repeats that
// many times (jr:count must name a node, not an expression).
func (b *builder) resurveyCount() {
	b.add(field{path: "prev_count", kind: "hidden", typ: "int",
		calculate: "if(/data/prev_household = '', 0, coalesce(" + prevHousehold + "/members, 0))"})
	b.add(field{path: "prev_first", kind: "hidden", typ: "int",
		calculate: "if(/data/prev_household = '', 0, coalesce(" + prevHousehold + "/first, 0))"})
	b.add(field{path: "new_members", kind: "input", typ: "int", required: true,
		label:      apperr.T("จำนวนสมาชิกใหม่ที่ยังไม่มีในรายชื่อ", "New members not yet on the list"),
		hint:       apperr.T("ครัวเรือนใหม่: จำนวนสมาชิกทั้งหมด", "a new household: all its members"),
		constraint: ". >= 0 and . <= 40", message: apperr.T("จำนวนต้องอยู่ระหว่าง 0 ถึง 40", "the number must be between 0 and 40")})
	b.add(field{path: "member_count", kind: "hidden", typ: "int",
		calculate: "if(" + interviewed + ", /data/prev_count + coalesce(/data/new_members, 0), 0)"})
}

// resurveyMember adds, first in each member, last round's roster number
// (empty for a new member) and whether the member is still here, died or
// moved out; it returns the setvalue actions that fill the member's
// questions from last round when the repeat instance is made.
func (b *builder) resurveyMember() {
	b.add(field{path: "members/prev_no", kind: "hidden", typ: "string"})
	b.add(field{path: "members/presence", kind: "select1", typ: "string", required: true, relevant: "../prev_no != ''",
		label: apperr.T("สมาชิกคนนี้ปีนี้", "This member this year"),
		choices: []choice{
			{PresenceHere, apperr.T("ยังอยู่ในครัวเรือน", "Still here")},
			{PresenceDied, apperr.T("เสียชีวิต", "Died")},
			{PresenceMovedOut, apperr.T("ย้ายออก", "Moved out")}}})
}

// resurveyFinish ties the re-survey into the rest of the form: the roster
// repeats member_count times and its instances are filled on creation;
// member questions are skipped for a member who died or moved out; and
// every question after the visit's outcome is skipped when the household
// was not interviewed. It runs once the form's fields are all added.
func (b *builder) resurveyFinish() {
	afterVisit := false
	for i := range b.fields {
		f := &b.fields[i]
		switch {
		case f.path == "members" && f.kind == "repeat-start":
			f.count = "/data/member_count"
			f.setvalues = append(f.setvalues, setvalue{"odk-new-repeat", "/data/members/prev_no",
				"if(position(..) <= /data/prev_count, string(position(..)), '')"})
			for _, q := range prefilledMember {
				f.setvalues = append(f.setvalues, setvalue{"odk-new-repeat", "/data/members/" + q, "string(" + prevMember + "/" + q + ")"})
			}
			for _, q := range b.f.questions[survey.LevelPerson] {
				f.setvalues = append(f.setvalues, setvalue{"odk-new-repeat", "/data/members/" + q, "string(" + prevMember + "/" + answerColumn(q) + ")"})
			}
		case strings.HasPrefix(f.path, "members/"):
			if f.path != "members/prev_no" && f.path != "members/presence" && f.kind != "hidden" {
				f.relevant = and(f.relevant, stays)
			}
		case f.path == "visit":
			afterVisit = true
		case f.path == "known_house":
			// A household of last round's list is this round's by its key.
			f.relevant = and(f.relevant, "../prev_household = ''")
		case afterVisit && f.path != "survey_date" && f.kind != "hidden" && f.path != "new_members" && f.kind != "repeat-end" && f.path != "members":
			f.relevant = and(f.relevant, interviewed)
		}
	}
	// A question the set asks only of some households (by the roster, by
	// another answer) is also relevant before the village is chosen, when
	// the form opens: ODK Web Forms fills a question from a setvalue only
	// if the question was relevant when the form opened, and the village
	// is the form's first required question, so nothing is sent with it
	// still empty.
	for i := range b.fields {
		f := &b.fields[i]
		if b.relevant[f.path] != "" && slices.Contains(b.f.questions[survey.LevelHousehold], f.path) {
			f.relevant = "/data/village = '' or (" + f.relevant + ")"
		}
	}
}

func and(a, b string) string {
	if a == "" {
		return b
	}
	return "(" + a + ") and " + b
}

// Resurvey is what an instance says of last round: the household it
// re-surveys (by last round's key, carried from the form's list, never
// typed) and what became of last round's members.
type Resurvey struct {
	PrevKey string // the household's key in the previous round
	Visit   string // the visit's outcome (VisitInterviewed, …)
	// Links gives, for each member of the household read (in order), last
	// round's roster number of that member, or 0 for a new member.
	Links    []int
	Departed []Departed // last round's members who died or moved out
}

// Interviewed reports whether the household answered this year.
func (rs *Resurvey) Interviewed() bool { return rs.Visit == VisitInterviewed }

// Departed is a member of last round's roster who is no longer in the
// household.
type Departed struct {
	PrevNo   int    // last round's roster number
	Presence string // PresenceDied or PresenceMovedOut
}

// readResurvey reads the household of last round an instance names; nil
// for a new household (or an instance of a form before the re-survey).
func readResurvey(root *node) *Resurvey {
	k := root.get("prev_household")
	if k == "" {
		return nil
	}
	v := root.get("visit")
	if v == "" {
		v = VisitInterviewed
	}
	return &Resurvey{PrevKey: k, Visit: v}
}

// member reads a roster entry's link to last round and reports whether the
// member left (died or moved out), and so is not one of this year's
// members; i is the number of this year's members read so far.
func (rs *Resurvey) member(r *reader, c *node, i int) (left bool) {
	if rs == nil {
		return false
	}
	no := 0
	if s := c.get("prev_no"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			r.add(fmt.Sprintf("members[%d].prev_no", i), s, apperr.T("ลำดับสมาชิกในรอบก่อนไม่ถูกต้อง", "not a member number of last round"))
		} else {
			no = n
		}
	}
	switch p := c.get("presence"); {
	case no > 0 && (p == PresenceDied || p == PresenceMovedOut):
		rs.Departed = append(rs.Departed, Departed{PrevNo: no, Presence: p})
		return true
	case p != "" && p != PresenceHere && p != PresenceDied && p != PresenceMovedOut:
		r.add(fmt.Sprintf("members[%d].presence", i), p, apperr.T("ไม่รู้จักสถานะนี้ของสมาชิก", "unknown presence of a member"))
	}
	rs.Links = append(rs.Links, no)
	return false
}
