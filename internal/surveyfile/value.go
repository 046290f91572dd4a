package surveyfile

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// enum maps the codes tambon stores to the Thai label it writes, and every
// spelling officials type to the code.
type enum struct {
	labels map[string]string // code → written label
	read   map[string]string // folded spelling → code
	list   string            // the written labels, for messages
}

func newEnum(pairs [][2]string, synonyms map[string]string) *enum {
	e := &enum{labels: map[string]string{}, read: map[string]string{}}
	var list []string
	for _, p := range pairs {
		e.labels[p[0]] = p[1]
		e.read[fold(p[0])] = p[0]
		e.read[fold(p[1])] = p[0]
		list = append(list, p[1])
	}
	for s, code := range synonyms {
		e.read[fold(s)] = code
	}
	e.list = strings.Join(list, ", ")
	return e
}

// label is what Write puts in the cell: the Thai label, or the code itself
// when it has none (so an unknown code is still shown, not lost).
func (e *enum) label(code string) string {
	if l, ok := e.labels[code]; ok {
		return l
	}
	return code
}

// fold lowercases and removes spaces, so "ป.6", "ป. 6" and "P.6" meet.
func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

var (
	sexes = newEnum([][2]string{{"m", "ชาย"}, {"f", "หญิง"}},
		map[string]string{"male": "m", "female": "f", "ช": "m", "ญ": "f", "1": "m", "2": "f"})
	relations = newEnum([][2]string{
		{string(survey.RelHead), "หัวหน้าครัวเรือน"}, {string(survey.RelSpouse), "คู่สมรส"},
		{string(survey.RelChild), "บุตร"}, {string(survey.RelChildInLaw), "บุตรเขย/บุตรสะใภ้"},
		{string(survey.RelGrandchild), "หลาน"}, {string(survey.RelParent), "บิดา/มารดา"},
		{string(survey.RelSibling), "พี่น้อง"}, {string(survey.RelRelative), "ญาติ"},
		{string(survey.RelOther), "ผู้อาศัย"},
	}, map[string]string{
		"หัวหน้า": "head", "สามี": "spouse", "ภรรยา": "spouse", "ภริยา": "spouse", "ลูก": "child",
		"บุตรเขย": "child_in_law", "บุตรสะใภ้": "child_in_law", "ลูกเขย": "child_in_law", "ลูกสะใภ้": "child_in_law",
		"บิดา": "parent", "มารดา": "parent", "พ่อ": "parent", "แม่": "parent", "พี่": "sibling", "น้อง": "sibling",
		"อื่นๆ": "other", "อื่น": "other", "ผู้อาศัยอื่น": "other",
	})
	educations = newEnum([][2]string{
		{survey.EduNone, "ไม่ได้เรียน"}, {survey.EduPreschool, "ก่อนประถมศึกษา"},
		{survey.EduPrimary, "ประถมศึกษา"}, {survey.EduLowerSecondary, "มัธยมศึกษาตอนต้น"},
		{survey.EduUpperSecondary, "มัธยมศึกษาตอนปลาย/ปวช."}, {survey.EduDiploma, "ปวส./อนุปริญญา"},
		{survey.EduBachelor, "ปริญญาตรี"}, {survey.EduPostgraduate, "สูงกว่าปริญญาตรี"},
	}, map[string]string{
		"ไม่ได้ศึกษา": "none", "อนุบาล": "preschool", "ป.6": "primary", "ประถม": "primary",
		"ม.3": "lower_secondary", "ม.ต้น": "lower_secondary", "ม.6": "upper_secondary", "ม.ปลาย": "upper_secondary",
		"ปวช.": "upper_secondary", "ปวช": "upper_secondary", "ปวส.": "diploma", "ปวส": "diploma", "อนุปริญญา": "diploma",
		"ป.ตรี": "bachelor", "ปริญญาโท": "postgraduate", "ปริญญาเอก": "postgraduate",
	})
	statuses = newEnum([][2]string{{string(survey.Complete), "สมบูรณ์"}, {string(survey.Draft), "ร่าง"}},
		map[string]string{"ฉบับร่าง": "draft", "ยังไม่สมบูรณ์": "draft"})
	// occupations maps only the codes the indicators rely on; any other
	// occupation is stored as typed.
	occupations = newEnum([][2]string{{survey.OccNone, "ไม่มีอาชีพ"}, {survey.OccStudent, "นักเรียน/นักศึกษา"}},
		map[string]string{"ว่างงาน": "none", "นักเรียน": "student", "นักศึกษา": "student", "กำลังศึกษา": "student"})
)

func enumOf(key string) *enum {
	switch key {
	case "sex":
		return sexes
	case "relation":
		return relations
	case "education":
		return educations
	case "status":
		return statuses
	}
	return nil
}

// parseEnum reads an enumerated cell.
func parseEnum(e *enum, s string) (string, *apperr.Text) {
	if code, ok := e.read[s]; ok { // as tambon writes it: no folding needed
		return code, nil
	}
	if code, ok := e.read[fold(s)]; ok {
		return code, nil
	}
	t := apperr.Tf("ไม่รู้จักค่า %q: ใช้ได้เฉพาะ %s", "unknown value %q: use one of %s", s, e.list)
	return "", &t
}

// The spellings of yes and no officials use. ✓ is how a ticked box comes out
// of a form, TRUE/FALSE how Excel shows a boolean cell.
var (
	yes = map[string]bool{"ใช่": true, "มี": true, "1": true, "y": true, "yes": true, "true": true, "✓": true, "✔": true, "จริง": true, "/": true}
	no  = map[string]bool{"ไม่ใช่": true, "ไม่มี": true, "ไม่": true, "0": true, "n": true, "no": true, "false": true, "✗": true, "✘": true, "-": true, "เท็จ": true}
)

// parseBool reads a yes/no cell.
func parseBool(s string) (bool, *apperr.Text) {
	// The spellings tambon writes (ใช่/ไม่ใช่) and most typed ones are
	// already folded; fold only the rest.
	if yes[s] {
		return true, nil
	}
	if no[s] {
		return false, nil
	}
	f := fold(s)
	switch {
	case yes[f]:
		return true, nil
	case no[f]:
		return false, nil
	}
	t := apperr.Tf("ต้องเป็น ใช่ หรือ ไม่ใช่ (หรือ มี/ไม่มี, 1/0) แต่กรอกมา %q", "must be yes or no (ใช่/ไม่ใช่, มี/ไม่มี, 1/0), got %q", s)
	return false, &t
}

// boolText is what Write puts in a yes/no cell.
func boolText(b bool) string {
	if b {
		return "ใช่"
	}
	return "ไม่ใช่"
}

// cleanNumber removes what officials type around a number: Thai digits,
// thousands separators, spaces and a trailing "บาท".
func cleanNumber(s string) string {
	s = thai.FromThaiDigits(s)
	s = strings.TrimSuffix(strings.TrimSpace(s), "บาท")
	return strings.Map(func(r rune) rune {
		if r == ',' || r == ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// plainNumber reports whether s holds only ASCII digits, signs, points and
// exponents: what most number cells hold, and nothing cleanNumber changes.
func plainNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return true
}

// parseFloat reads a decimal number; NaN and infinities are not numbers.
func parseFloat(s string) (float64, *apperr.Text) {
	if plainNumber(s) {
		// Nothing for cleanNumber to remove; ParseFloat decides.
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) {
			return f, nil
		}
	}
	c := cleanNumber(s)
	f, err := strconv.ParseFloat(c, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(c, "xXpP_") || strings.EqualFold(c, "inf") {
		t := apperr.Tf("ต้องเป็นตัวเลข แต่กรอกมา %q", "must be a number, got %q", s)
		return 0, &t
	}
	return f, nil
}

// parseWhole reads a whole number, such as baht or a member number. "1200.00"
// is accepted (Excel writes that), "1200.50" is not.
func parseWhole(s string) (int64, *apperr.Text) {
	if plainNumber(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
	}
	c := cleanNumber(s)
	if n, err := strconv.ParseInt(c, 10, 64); err == nil {
		return n, nil
	}
	f, bad := parseFloat(s)
	if bad != nil {
		return 0, bad
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		t := apperr.Tf("ต้องเป็นจำนวนเต็ม แต่กรอกมา %q", "must be a whole number, got %q", s)
		return 0, &t
	}
	return int64(f), nil
}

// parseCode reads an identifier of digits: Thai digits, dashes and spaces
// are dropped. Excel sometimes turns a long code into 1.10170020345E+12; that
// has lost digits and is refused with advice.
func parseCode(s string) (string, *apperr.Text) {
	if strings.ContainsAny(s, "Ee") && strings.Contains(s, "+") {
		t := apperr.Tf("Excel แปลงรหัส %q เป็นตัวเลขแบบวิทยาศาสตร์และตัดหลักทิ้ง — โปรดจัดรูปแบบคอลัมน์เป็นข้อความ (Text) แล้วพิมพ์รหัสใหม่",
			"Excel turned the code %q into scientific notation and dropped digits; format the column as Text and type the code again", s)
		return "", &t
	}
	s = thai.FromThaiDigits(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u00a0':
		default:
			t := apperr.Tf("ต้องเป็นตัวเลขเท่านั้น แต่มีอักขระ %q", "must hold digits only, but has %q", r)
			return "", &t
		}
	}
	return b.String(), nil
}

// dateText is how Write puts a date: day/month/BE year, the way Thai
// officials write dates. It reads back as the same date (a year ≥ 2400 is BE).
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%d", t.Day(), int(t.Month()), thai.BE(t.Year()))
}

// answerText turns an answer into its cell: ใช่/ไม่ใช่, a number, a code.
func answerValue(v survey.Value) any {
	switch v.Kind() {
	case survey.ValueBool:
		b, _ := v.Bool()
		return boolText(b)
	case survey.ValueNumber:
		n, _ := v.Number()
		return number(n)
	case survey.ValueText:
		s, _ := v.Text()
		return s
	}
	return nil
}

// parseAnswer reads a cell as the answer to q.
func parseAnswer(q *survey.QuestionSpec, s string) (survey.Value, *apperr.Text) {
	switch q.Type {
	case survey.TypeBool:
		b, bad := parseBool(s)
		return survey.Bool(b), bad
	case survey.TypeNumber:
		f, bad := parseFloat(s)
		return survey.Number(f), bad
	case survey.TypeChoice:
		for _, c := range q.Choices {
			if strings.EqualFold(c, s) {
				return survey.Text(c), nil
			}
		}
		t := apperr.Tf("ต้องเลือกจาก %s แต่กรอกมา %q", "must be one of %s, got %q", strings.Join(q.Choices, ", "), s)
		return survey.Value{}, &t
	}
	return survey.Text(s), nil
}

// answerAllowed describes the allowed answers of q for the instructions.
func answerAllowed(q *survey.QuestionSpec) string {
	switch q.Type {
	case survey.TypeBool:
		return boolAllowed
	case survey.TypeNumber:
		var parts []string
		if q.Min != nil {
			parts = append(parts, fmt.Sprintf("≥ %v", *q.Min))
		}
		if q.Max != nil {
			parts = append(parts, fmt.Sprintf("≤ %v", *q.Max))
		}
		return strings.TrimSpace("ตัวเลข / number " + strings.Join(parts, ", "))
	case survey.TypeChoice:
		return strings.Join(q.Choices, ", ")
	}
	return ""
}
