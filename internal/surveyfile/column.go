package surveyfile

import (
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/tabular"
)

// kind says how a column's cells are read and written.
type kind uint8

const (
	kindText   kind = iota // free text, kept as typed (trimmed)
	kindCode               // an identifier of digits, kept as text
	kindFloat              // a decimal number (coordinates)
	kindMoney              // whole baht
	kindInt                // a whole number (member number)
	kindDate               // a date in BE or CE
	kindBool               // yes/no
	kindEnum               // one of a list, by code or Thai label
	kindAnswer             // an answer to a question of the indicator set
)

// column is one column of the template: its stable key (the header tambon
// matches and writes in brackets), its Thai and English names, and what an
// official may type in it.
type column struct {
	key      string
	th, en   string
	required bool
	member   bool // a member column (else repeated on each of the household's rows)
	kind     kind
	allowed  string // allowed values, for the instructions sheet
	example  string
	q        *survey.QuestionSpec // kindAnswer only
	at       int                  // index of the column in the file's rows (-1: absent); set by Read
}

// header is the text tambon writes: Thai for the official, the key in
// brackets so the file still reads back if someone translates the header.
func (c *column) header() string { return c.th + " (" + c.key + ")" }

// The fixed columns, in template order. Question columns follow each group.
var householdColumns = []column{
	{key: "village_code", th: "รหัสหมู่บ้าน", en: "village code", required: true, kind: kindCode, allowed: "ตัวเลข 8 หลัก / 8 digits", example: "70051304"},
	{key: "house_code", th: "รหัสประจำบ้าน", en: "house code", kind: kindCode, allowed: "ตัวเลข 11 หลัก หรือเว้นว่าง / 11 digits or blank", example: "70050123456"},
	{key: "house_no", th: "บ้านเลขที่", en: "house number", required: true, kind: kindText, example: "31/1"},
	{key: "lat", th: "ละติจูด", en: "latitude", kind: kindFloat, allowed: "-90 ถึง 90", example: "13.539211"},
	{key: "lon", th: "ลองจิจูด", en: "longitude", kind: kindFloat, allowed: "-180 ถึง 180", example: "99.813497"},
	{key: "respondent", th: "ผู้ให้ข้อมูล", en: "respondent", kind: kindText, example: "นางสมศรี ใจดี"},
	{key: "collector", th: "ผู้จัดเก็บข้อมูล", en: "collector", kind: kindText, example: "นายสมชาย รักถิ่น"},
	{key: "phone", th: "โทรศัพท์", en: "phone", kind: kindText, example: "0812345678"},
	{key: "survey_date", th: "วันที่สำรวจ", en: "survey date", required: true, kind: kindDate, allowed: "วัน/เดือน/ปี พ.ศ. หรือ ค.ศ. / day/month/year, BE or CE", example: "18/01/2564"},
	{key: "income_main", th: "รายได้จากอาชีพหลัก (บาท/ปี)", en: "main occupation income (baht/year)", kind: kindMoney, example: "120000"},
	{key: "income_secondary", th: "รายได้จากอาชีพรอง (บาท/ปี)", en: "secondary occupation income (baht/year)", kind: kindMoney, example: "24000"},
	{key: "income_other", th: "รายได้อื่น (บาท/ปี)", en: "other income (baht/year)", kind: kindMoney, example: "7200"},
	{key: "own_produce", th: "มูลค่าผลผลิตที่ผลิตและใช้เอง (บาท/ปี)", en: "own produce consumed (baht/year)", kind: kindMoney, example: "5000"},
	{key: "occupation_costs", th: "ต้นทุนการประกอบอาชีพ (บาท/ปี)", en: "occupation costs (baht/year)", kind: kindMoney, example: "30000"},
	{key: "savings", th: "เงินออม (บาท/ปี)", en: "savings (baht/year)", kind: kindMoney, example: "6000"},
	{key: "debt_in_system", th: "หนี้ในระบบ (บาท)", en: "debt in the system (baht)", kind: kindMoney, example: "50000"},
	{key: "debt_out_of_system", th: "หนี้นอกระบบ (บาท)", en: "debt outside the system (baht)", kind: kindMoney, example: "0"},
	{key: "status", th: "สถานะ", en: "status", kind: kindEnum, example: "สมบูรณ์"},
}

var memberColumns = []column{
	{key: "member_no", th: "ลำดับสมาชิก", en: "member number", member: true, kind: kindInt, allowed: "1, 2, 3 … (เว้นว่างได้ / may be blank)", example: "1"},
	{key: "title", th: "คำนำหน้า", en: "title", member: true, kind: kindText, example: "นาง"},
	{key: "first_name", th: "ชื่อ", en: "first name", required: true, member: true, kind: kindText, example: "สมศรี"},
	{key: "last_name", th: "นามสกุล", en: "last name", required: true, member: true, kind: kindText, example: "ใจดี"},
	{key: "citizen_id", th: "เลขประจำตัวประชาชน", en: "citizen ID", required: true, member: true, kind: kindCode, allowed: "13 หลัก / 13 digits", example: "1101700203450"},
	{key: "sex", th: "เพศ", en: "sex", required: true, member: true, kind: kindEnum, example: "หญิง"},
	{key: "birth_date", th: "วันเกิด", en: "birth date", required: true, member: true, kind: kindDate, allowed: "วัน/เดือน/ปี พ.ศ. หรือ ค.ศ. / day/month/year, BE or CE", example: "05/03/2510"},
	{key: "relation", th: "ความสัมพันธ์กับหัวหน้าครัวเรือน", en: "relation to the head", required: true, member: true, kind: kindEnum, example: "หัวหน้าครัวเรือน"},
	{key: "education", th: "การศึกษาสูงสุด", en: "highest education", member: true, kind: kindEnum, example: "ประถมศึกษา"},
	{key: "occupation", th: "อาชีพ", en: "occupation", member: true, kind: kindText, allowed: "ข้อความ; ไม่มีอาชีพ / นักเรียน-นักศึกษา มีความหมายพิเศษ", example: "ทำนา"},
	{key: "resident", th: "อาศัยอยู่จริง", en: "lives here", member: true, kind: kindBool, allowed: boolAllowed + " (เว้นว่าง = ใช่ / blank = yes)", example: "ใช่"},
	{key: "disabled", th: "คนพิการ", en: "disabled", member: true, kind: kindBool, allowed: boolAllowed, example: "ไม่ใช่"},
	{key: "chronic_ill", th: "ป่วยเรื้อรัง", en: "chronically ill", member: true, kind: kindBool, allowed: boolAllowed, example: "ไม่ใช่"},
	{key: "bedridden", th: "ติดเตียง", en: "bedridden", member: true, kind: kindBool, allowed: boolAllowed, example: "ไม่ใช่"},
	{key: "dependent", th: "ช่วยเหลือตัวเองไม่ได้", en: "cannot look after themselves", member: true, kind: kindBool, allowed: boolAllowed, example: "ไม่ใช่"},
	{key: "welfare_card", th: "บัตรสวัสดิการแห่งรัฐ", en: "state welfare card", member: true, kind: kindBool, allowed: boolAllowed, example: "ใช่"},
}

const boolAllowed = "ใช่/ไม่ใช่, มี/ไม่มี, 1/0, y/n, true/false, ✓"

// layout is the ordered column list for one indicator set.
type layout struct {
	cols []column
	set  *indicator.Set
}

// newLayout builds the template for set: household columns, household
// questions, member columns, person questions.
func newLayout(set *indicator.Set) *layout {
	qs := set.Questions()
	l := &layout{set: set, cols: make([]column, 0, len(householdColumns)+len(memberColumns)+len(qs))}
	l.cols = append(l.cols, householdColumns...)
	l.cols = append(l.cols, questionColumns(qs, survey.LevelHousehold)...)
	l.cols = append(l.cols, memberColumns...)
	l.cols = append(l.cols, questionColumns(qs, survey.LevelPerson)...)
	return l
}

func questionColumns(qs []survey.QuestionSpec, level survey.Level) []column {
	var out []column
	for i := range qs {
		q := &qs[i]
		if q.Level != level {
			continue
		}
		out = append(out, column{
			key: q.Code, th: q.Label.TH, en: q.Label.EN,
			required: !q.Optional, member: level == survey.LevelPerson,
			kind: kindAnswer, allowed: answerAllowed(q), q: q,
		})
	}
	return out
}

// Columns lists the template's columns for set, as tabular.Open expects them
// in Options.Expect. Each column matches its key (citizen_id), its Thai name
// (เลขประจำตัวประชาชน), its English name, and the header tambon writes
// ("เลขประจำตัวประชาชน (citizen_id)"). A name two columns share (two
// questions may have the same Thai label) matches neither; their key and
// written header still do.
func Columns(set *indicator.Set) []tabular.Column {
	l := newLayout(set)
	uses := map[string]int{}
	for i := range l.cols {
		uses[fold(l.cols[i].th)]++
		uses[fold(l.cols[i].en)]++
	}
	out := make([]tabular.Column, len(l.cols))
	for i := range l.cols {
		c := &l.cols[i]
		var aliases []string
		if uses[fold(c.th)] == 1 {
			aliases = append(aliases, c.th)
		}
		aliases = append(aliases, c.header())
		if uses[fold(c.en)] == 1 {
			aliases = append(aliases, c.en)
		}
		out[i] = tabular.Column{Key: c.key, Aliases: aliases, Required: c.required}
	}
	return out
}

// Headers returns the header row tambon writes for set.
func Headers(set *indicator.Set) []string {
	l := newLayout(set)
	out := make([]string, len(l.cols))
	for i := range l.cols {
		out[i] = l.cols[i].header()
	}
	return out
}
