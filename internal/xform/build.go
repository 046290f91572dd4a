package xform

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// generator changes when this package changes the form's shape, so that
// devices download it again.
const generator = "2"

// The media files a form refers to; the server sends them per enumerator.
const (
	VillagesCSV   = "villages.csv"
	HouseholdsCSV = "households.csv"
)

// Form is one generated XForm.
type Form struct {
	ID      string // formID, e.g. "tambon-bmn-2564"
	Version string // changes whenever the indicator set or the generator changes
	Title   apperr.Text
	XML     []byte
	MD5     string // hex of XML, for the form list's "md5:" hash
	Round   survey.Round

	// questions are the codes of the set's questions of each level, in
	// the set's order: the answer columns of the re-survey's files.
	questions map[survey.Level][]string
}

// FormID returns the formID of a round's form.
func FormID(roundID string) string { return "tambon-" + roundID }

// RoundOf returns the round ID a formID names, if it is one of ours.
func RoundOf(formID string) (string, bool) { return strings.CutPrefix(formID, "tambon-") }

// Build generates the XForm of a round from its indicator set. The same round
// and set always give the same bytes; another set gives another form.
func Build(r survey.Round, set *indicator.Set) (*Form, error) {
	if r.AggregateOnly {
		return nil, apperr.New(apperr.Invalid, apperr.Tf("รอบ %s เก็บเฉพาะตัวเลขสรุป ไม่มีแบบสอบถามครัวเรือน",
			"round %s holds published figures only: it has no household form", r.ID))
	}
	sum := sha256.Sum256(append(set.File(), generator+r.ID...))
	f := &Form{ID: FormID(r.ID), Version: fmt.Sprintf("%d-%s", r.SurveyYear, hex.EncodeToString(sum[:4])), Round: r,
		Title:     apperr.Tf("แบบสำรวจ จปฐ. ปี %d", "BMN household survey %d", r.SurveyYear),
		questions: map[survey.Level][]string{}}
	b := &builder{f: f, info: questionInfo(set), relevant: relevance(set, r.ReferenceDate().Year())}
	b.define(set)
	b.resurveyFinish()
	f.XML = b.xml()
	m := md5.Sum(f.XML)
	f.MD5 = hex.EncodeToString(m[:])
	return f, nil
}

type choice struct {
	value string
	label apperr.Text
}

// field is one control of the form and its binding.
type field struct {
	path       string // relative to the form root, e.g. "members/citizen_id"
	kind       string // input, select1, select, repeat-start, repeat-end, group-start, group-end, hidden
	typ        string // XForms bind type: string, int, decimal, date, geopoint, select1, select
	label      apperr.Text
	hint       apperr.Text
	choices    []choice
	itemset    string // nodeset of an itemset from a secondary instance
	required   bool
	constraint string
	message    apperr.Text
	relevant   string
	calculate  string
	preload    [2]string  // jr:preload, jr:preloadParams
	setvalues  []setvalue // actions written inside the control (preload.go)
	count      string     // a repeat's jr:count: the node holding its number of instances
}

type builder struct {
	f        *Form
	info     map[string]qinfo
	relevant map[string]string // question → relevant XPath (relevant.go)
	fields   []field
}

type qinfo struct {
	ref     string
	choices []choice
}

// questionInfo reads what the compiled set does not export: each question's
// item number on the paper form and its choices' labels.
func questionInfo(set *indicator.Set) map[string]qinfo {
	var file struct {
		Questions []struct {
			Code    string `json:"code"`
			Ref     string `json:"ref"`
			Choices []struct {
				Code  string      `json:"code"`
				Label apperr.Text `json:"label"`
			} `json:"choices"`
		} `json:"questions"`
	}
	out := map[string]qinfo{}
	if json.Unmarshal(set.File(), &file) != nil {
		return out
	}
	for _, q := range file.Questions {
		qi := qinfo{ref: q.Ref}
		for _, c := range q.Choices {
			qi.choices = append(qi.choices, choice{c.Code, c.Label})
		}
		out[q.Code] = qi
	}
	return out
}

func (b *builder) add(f field) { b.fields = append(b.fields, f) }

var yesNo = []choice{{"1", apperr.T("ใช่", "Yes")}, {"0", apperr.T("ไม่ใช่", "No")}}

// citizenIDConstraint is the mod-11 check digit in XPath 1.0: 13 digits, and
// the last equals (11 − Σ dᵢ·(13−i) mod 11) mod 10 over the first twelve.
func citizenIDConstraint() string {
	var terms []string
	for i := 0; i < 12; i++ {
		terms = append(terms, fmt.Sprintf("number(substr(., %d, %d)) * %d", i, i+1, 13-i))
	}
	return "regex(., '^[0-9]{13}$') and (11 - ((" + strings.Join(terms, " + ") + ") mod 11)) mod 10 = number(substr(., 12, 13))"
}

// completedYears is the XPath of survey.completedYears: whole years from the
// date at path birth to the date at path at, one fewer while at's month-day
// (MMDD as a number) is before birth's, so a 29 February birthday falls on
// 1 March in other years, as on the server. ODK's substr is 0-based with an
// exclusive end; a date's string is YYYY-MM-DD.
func completedYears(birth, at string) string {
	year := func(p string) string { return "number(substr(string(" + p + "), 0, 4))" }
	monthDay := func(p string) string { return "number(translate(substr(string(" + p + "), 5, 10), '-', ''))" }
	return "(" + year(at) + " - " + year(birth) + " - if(" + monthDay(at) + " < " + monthDay(birth) + ", 1, 0))"
}

// maxAge is the server's oldest age (survey.maxAge).
const maxAge = 120

// birthDateConstraint: not after the survey date, and at most maxAge
// completed years old on it — the server's rule to the day. Dates are
// compared as decimal days: XPath 1.0 compares strings as numbers, and ODK
// Web Forms' decimal-date-time takes a string, not a node.
var birthDateConstraint = "decimal-date-time(string(.)) <= decimal-date-time(string(../../survey_date)) and " +
	completedYears(".", "../../survey_date") + " <= " + strconv.Itoa(maxAge)

// occupations is the form's list of main occupations: survey.Occupations.
var occupations = func() []choice {
	var cs []choice
	for _, o := range survey.Occupations {
		cs = append(cs, choice{o.Code, o.Label})
	}
	return cs
}()

func (b *builder) define(set *indicator.Set) {
	b.add(field{path: "village", kind: "select1", typ: "string", required: true, itemset: "instance('villages')/root/item",
		label: apperr.T("หมู่บ้าน", "Village"), hint: apperr.T("เฉพาะหมู่บ้านที่ได้รับมอบหมาย", "only the villages assigned to you")})
	b.resurveyHead(set)
	b.add(field{path: "known_house", kind: "select1", typ: "string",
		itemset: "instance('households')/root/item[village = current()/../village]",
		label:   apperr.T("ครัวเรือนที่มีในระบบแล้ว (ถ้ามี)", "Household already on record (if any)"),
		hint:    apperr.T("เลือกเพื่อแก้ไขครัวเรือนเดิม เว้นว่างถ้าเป็นครัวเรือนใหม่", "choose one to update it; leave empty for a new household")})
	b.add(field{path: "house_no", kind: "input", typ: "string", relevant: "../known_house = ''", required: true,
		label: apperr.T("บ้านเลขที่", "House number"), constraint: "string-length(normalize-space(.)) >= 1 and string-length(.) <= 20",
		message: apperr.T("บ้านเลขที่ยาวไม่เกิน 20 ตัวอักษร", "a house number has at most 20 characters")})
	b.add(field{path: "house_code", kind: "input", typ: "string", relevant: "../known_house = ''",
		label:      apperr.T("รหัสประจำบ้าน 11 หลัก (ถ้ามี)", "House code, 11 digits (if registered)"),
		constraint: "regex(., '^[0-9]{11}$')", message: apperr.T("รหัสประจำบ้านต้องเป็นตัวเลข 11 หลัก", "the house code must be 11 digits")})
	b.add(field{path: "location", kind: "input", typ: "geopoint", label: apperr.T("พิกัดบ้าน (GPS)", "House location (GPS)")})
	b.add(field{path: "survey_date", kind: "input", typ: "date", required: true, preload: [2]string{"date", "today"},
		label: apperr.T("วันที่สำรวจ", "Survey date"), constraint: "decimal-date-time(string(.)) <= decimal-date-time(string(today()))",
		message: apperr.T("วันที่สำรวจต้องไม่อยู่ในอนาคต", "the survey date cannot be in the future")})
	b.add(field{path: "respondent", kind: "input", typ: "string", label: apperr.T("ชื่อผู้ให้ข้อมูล", "Respondent")})
	b.add(field{path: "phone", kind: "input", typ: "string", label: apperr.T("โทรศัพท์", "Phone"),
		constraint: "regex(., '^[0-9+ -]{6,20}$')", message: apperr.T("หมายเลขโทรศัพท์ไม่ถูกต้อง", "not a phone number")})

	b.resurveyCount()
	b.add(field{path: "members", kind: "repeat-start", label: apperr.T("สมาชิกในครัวเรือน", "Household members")})
	b.resurveyMember()
	m := func(f field) { f.path = "members/" + f.path; b.add(f) }
	m(field{path: "title", kind: "input", typ: "string", label: apperr.T("คำนำหน้า", "Title")})
	m(field{path: "first_name", kind: "input", typ: "string", required: true, label: apperr.T("ชื่อ", "First name")})
	m(field{path: "last_name", kind: "input", typ: "string", label: apperr.T("นามสกุล", "Last name")})
	m(field{path: "citizen_id", kind: "input", typ: "string", required: true, label: apperr.T("เลขประจำตัวประชาชน 13 หลัก", "Citizen ID, 13 digits"),
		constraint: citizenIDConstraint(), message: apperr.T("เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลักและเลขตรวจสอบต้องถูกต้อง",
			"the citizen ID must be 13 digits with a correct check digit")})
	m(field{path: "sex", kind: "select1", typ: "string", required: true, label: apperr.T("เพศ", "Sex"),
		choices: []choice{{"m", apperr.T("ชาย", "Male")}, {"f", apperr.T("หญิง", "Female")}}})
	m(field{path: "birth_date", kind: "input", typ: "date", required: true, label: apperr.T("วันเกิด", "Birth date"),
		constraint: birthDateConstraint,
		message:    apperr.T("วันเกิดต้องไม่อยู่หลังวันที่สำรวจ และอายุไม่เกิน 120 ปี", "the birth date cannot be after the survey date, nor the age over 120")})
	m(field{path: "age", kind: "hidden", typ: "int",
		calculate: "if(../birth_date = '', '', " + completedYears("../birth_date", "../../survey_date") + ")"})
	m(field{path: "relation", kind: "select1", typ: "string", required: true, label: apperr.T("ความเกี่ยวข้องกับหัวหน้าครัวเรือน", "Relation to the head"), choices: []choice{
		{string(survey.RelHead), apperr.T("หัวหน้าครัวเรือน", "Head")}, {string(survey.RelSpouse), apperr.T("คู่สมรส", "Spouse")},
		{string(survey.RelChild), apperr.T("บุตร", "Child")}, {string(survey.RelChildInLaw), apperr.T("บุตรเขย/สะใภ้", "Child-in-law")},
		{string(survey.RelGrandchild), apperr.T("หลาน", "Grandchild")}, {string(survey.RelParent), apperr.T("บิดา/มารดา", "Parent")},
		{string(survey.RelSibling), apperr.T("พี่น้อง", "Sibling")}, {string(survey.RelRelative), apperr.T("ญาติ", "Relative")},
		{string(survey.RelOther), apperr.T("อื่น ๆ", "Other")}}})
	m(field{path: "education", kind: "select1", typ: "string", label: apperr.T("การศึกษาสูงสุด", "Highest education"), choices: []choice{
		{survey.EduNone, apperr.T("ไม่ได้เรียน", "None")}, {survey.EduPreschool, apperr.T("ก่อนประถม", "Pre-school")},
		{survey.EduPrimary, apperr.T("ประถมศึกษา", "Primary")}, {survey.EduLowerSecondary, apperr.T("มัธยมต้น (ม.3)", "Lower secondary")},
		{survey.EduUpperSecondary, apperr.T("มัธยมปลาย/ปวช.", "Upper secondary")}, {survey.EduDiploma, apperr.T("ปวส./อนุปริญญา", "Diploma")},
		{survey.EduBachelor, apperr.T("ปริญญาตรี", "Bachelor")}, {survey.EduPostgraduate, apperr.T("สูงกว่าปริญญาตรี", "Postgraduate")}}})
	m(field{path: "occupation", kind: "select1", typ: "string", label: apperr.T("อาชีพหลัก", "Main occupation"), choices: occupations})
	m(field{path: "resident", kind: "select1", typ: "string", required: true, choices: yesNo,
		label: apperr.T("อาศัยอยู่ในครัวเรือนจริง", "Actually lives here")})
	m(field{path: "flags", kind: "select", typ: "string", label: apperr.T("สถานะ (เลือกได้หลายข้อ)", "Conditions (choose any)"), choices: []choice{
		{"disabled", apperr.T("พิการ", "Disabled")}, {"chronic_ill", apperr.T("ป่วยเรื้อรัง", "Chronically ill")},
		{"bedridden", apperr.T("ติดเตียง", "Bedridden")}, {"dependent", apperr.T("ช่วยเหลือตัวเองไม่ได้", "Dependent")},
		{"welfare_card", apperr.T("มีบัตรสวัสดิการแห่งรัฐ", "Holds a state welfare card")}}})
	for _, q := range set.Questions() {
		if q.Level == survey.LevelPerson {
			b.question("members/", q)
		}
	}
	b.add(field{path: "members", kind: "repeat-end"})

	money := []struct {
		path  string
		label apperr.Text
	}{
		{"income_main", apperr.T("22.1 รายได้จากอาชีพหลัก (บาท/ปี)", "22.1 Income from the main occupation (baht/year)")},
		{"income_secondary", apperr.T("22.1 รายได้จากอาชีพรอง (บาท/ปี)", "22.1 Income from secondary occupations (baht/year)")},
		{"income_other", apperr.T("22.1 รายได้อื่น ๆ (บาท/ปี)", "22.1 Other income (baht/year)")},
		{"income_own_produce", apperr.T("22.1 มูลค่าผลผลิตที่ผลิตเองและบริโภคเอง (บาท/ปี)", "22.1 Value of own produce consumed (baht/year)")},
		{"income_costs", apperr.T("22.2 ต้นทุนการประกอบอาชีพ (บาท/ปี)", "22.2 Occupational costs (baht/year)")},
		{"savings", apperr.T("23.2 เงินออมในปีที่ผ่านมา (บาท)", "23.2 Savings over the year (baht)")},
		{"debt_in_system", apperr.T("22.4 หนี้ในระบบ (บาท)", "22.4 Debt in the formal system (baht)")},
		{"debt_out_of_system", apperr.T("22.4 หนี้นอกระบบ (บาท)", "22.4 Informal debt (baht)")},
	}
	for _, x := range money {
		b.add(field{path: x.path, kind: "input", typ: "int", label: x.label, constraint: ". >= 0",
			message: apperr.T("จำนวนเงินต้องไม่ติดลบ", "an amount of money cannot be negative")})
	}
	for _, q := range set.Questions() {
		if q.Level == survey.LevelHousehold {
			b.question("", q)
		}
	}
	b.add(field{path: "status", kind: "select1", typ: "string", required: true,
		label: apperr.T("สถานะของแบบสำรวจ", "Record status"),
		hint:  apperr.T("เลือก \"ครบถ้วน\" เมื่อถามครบทุกข้อแล้ว", "choose \"complete\" once every question is asked"),
		choices: []choice{{string(survey.Complete), apperr.T("ครบถ้วน", "Complete")},
			{string(survey.Draft), apperr.T("ยังไม่ครบ (ร่าง)", "Not finished (draft)")}}})
	// Optional photos, last: the server keeps them shrunk and without their
	// metadata on the household's page (docs/field-capture.md).
	b.add(field{path: "photo_house", kind: "upload", typ: "binary", label: apperr.T("รูปบ้าน (ไม่บังคับ)", "Photo of the house (optional)")})
	b.add(field{path: "photo_document", kind: "upload", typ: "binary", label: apperr.T("รูปเอกสารประกอบ (ไม่บังคับ)", "Photo of a supporting document (optional)")})
}

// question adds one question of the indicator set.
func (b *builder) question(prefix string, q survey.QuestionSpec) {
	qi := b.info[q.Code]
	label := q.Label
	if qi.ref != "" {
		label = apperr.T(qi.ref+" "+q.Label.TH, qi.ref+" "+q.Label.EN)
	}
	f := field{path: prefix + q.Code, label: label}
	f.relevant = b.relevant[q.Code]
	switch q.Type {
	case survey.TypeBool:
		f.kind, f.typ, f.choices = "select1", "string", yesNo
	case survey.TypeChoice:
		f.kind, f.typ, f.choices = "select1", "string", qi.choices
		if len(f.choices) == 0 {
			for _, c := range q.Choices {
				f.choices = append(f.choices, choice{c, apperr.T(c, c)})
			}
		}
	default:
		f.kind, f.typ = "input", "decimal"
		var cs []string
		if q.Min != nil {
			cs = append(cs, fmt.Sprintf(". >= %g", *q.Min))
		}
		if q.Max != nil {
			cs = append(cs, fmt.Sprintf(". <= %g", *q.Max))
		}
		if len(cs) > 0 {
			f.constraint = strings.Join(cs, " and ")
			lo, hi := "", ""
			if q.Min != nil {
				lo = fmt.Sprintf("%g", *q.Min)
			}
			if q.Max != nil {
				hi = fmt.Sprintf("%g", *q.Max)
			}
			f.message = apperr.Tf("ค่าต้องอยู่ในช่วง %s ถึง %s", "the value must be between %s and %s", lo, hi)
		}
	}
	b.add(f)
}
