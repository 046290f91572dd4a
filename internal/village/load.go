package village

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"tambon/internal/apperr"
)

// Load reads a set file and checks the whole of it. A refusal is an apperr
// Invalid that says where in the file — line and column for broken JSON, a
// path such as indicators[33] (loc01).scoring.good otherwise — and why, in
// Thai and English.
func Load(b []byte) (*Set, error) {
	var s Set
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(b, dec, err)
	}
	if dec.More() {
		return nil, apperr.New(apperr.Invalid, apperr.T("ไฟล์ชุดตัวชี้วัด กชช. 2ค มีข้อมูลเกินหลังวัตถุของชุด", "the กชช. 2ค set file has extra data after the set object"))
	}
	if fe := s.check(); fe != nil {
		return nil, apperr.New(apperr.Invalid, apperr.T(
			fmt.Sprintf("ชุดตัวชี้วัด กชช. 2ค %s ไม่ถูกต้อง: %s: %s", s.ID, fe.at, fe.th),
			fmt.Sprintf("the กชช. 2ค set %s is wrong: %s: %s", s.ID, fe.at, fe.en)))
	}
	s.raw = bytes.Clone(b)
	return &s, nil
}

// decodeError locates a JSON error as line and column, with the field's path
// where the decoder knows it.
func decodeError(b []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	field := ""
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off, field = te.Offset, te.Field
	}
	line, col := 1, 1
	for _, c := range b[:min(int(off), len(b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	where := fmt.Sprintf("line %d, column %d", line, col)
	whereTH := fmt.Sprintf("บรรทัด %d คอลัมน์ %d (line %d, column %d)", line, col, line, col)
	if field != "" {
		where += " (" + field + ")"
		whereTH += " (" + field + ")"
	}
	return apperr.Wrap(err, apperr.Invalid, apperr.T(
		fmt.Sprintf("ไฟล์ชุดตัวชี้วัด กชช. 2ค อ่านไม่ได้ที่ %s: %v", whereTH, err),
		fmt.Sprintf("the กชช. 2ค set file cannot be read at %s: %v", where, err)))
}

// fileError is one thing wrong in a set file: where, and why in both
// languages.
type fileError struct{ at, th, en string }

func wrong(at, th, en string, args ...any) *fileError {
	return &fileError{at: at, th: fmt.Sprintf(th, args...), en: fmt.Sprintf(en, args...)}
}

func (s *Set) check() *fileError {
	switch {
	case s.ID == "":
		return wrong("id", "ต้องระบุรหัสชุด", "the set id is required")
	case s.Name.TH == "" || s.Name.EN == "":
		return wrong("name", "ต้องมีชื่อชุดทั้งภาษาไทยและภาษาอังกฤษ", "the set needs a name in Thai and in English")
	case len(s.Groups) == 0:
		return wrong("groups", "ต้องมีด้านอย่างน้อยหนึ่งด้าน", "at least one group is required")
	case len(s.Indicators) == 0:
		return wrong("indicators", "ต้องมีตัวชี้วัดอย่างน้อยหนึ่งตัว", "at least one indicator is required")
	case len(s.Levels.Rules) == 0:
		return wrong("levels.rules", "ต้องมีเกณฑ์จัดระดับหมู่บ้าน", "the village level rules are required")
	}
	groups := map[string]bool{}
	for i, g := range s.Groups {
		at := fmt.Sprintf("groups[%d]", i)
		if g.Code == "" || groups[g.Code] {
			return wrong(at+".code", "รหัสด้าน %q ว่างหรือซ้ำ", "the group code %q is empty or repeated", g.Code)
		}
		if g.Name.TH == "" || g.Name.EN == "" {
			return wrong(at+".name", "ต้องมีชื่อด้านทั้งภาษาไทยและภาษาอังกฤษ", "the group needs a name in Thai and in English")
		}
		groups[g.Code] = true
	}
	s.index = map[string]int{}
	numbers := map[int]bool{}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		at := fmt.Sprintf("indicators[%d] (%s)", i, ind.Code)
		if _, dup := s.index[ind.Code]; dup || ind.Code == "" || ind.Code == "village_code" {
			return wrong(at+".code", "รหัสตัวชี้วัดว่าง ซ้ำ หรือเป็นชื่อที่สงวนไว้ (village_code)", "the indicator code is missing, repeated or reserved (village_code)")
		}
		s.index[ind.Code] = i
		if ind.Number < 1 || numbers[ind.Number] {
			return wrong(at+".number", "ลำดับ %d ต้องเป็นจำนวนเต็มบวกที่ไม่ซ้ำ", "the number %d must be a positive whole number used once", ind.Number)
		}
		numbers[ind.Number] = true
		if !groups[ind.Group] {
			return wrong(at+".group", "ไม่มีด้าน %q ใน groups", "there is no group %q in groups", ind.Group)
		}
		if ind.Name.TH == "" || ind.Name.EN == "" || ind.Question.TH == "" || ind.Question.EN == "" {
			return wrong(at+".name", "ต้องมีชื่อและคำถามทั้งภาษาไทยและภาษาอังกฤษ", "the indicator needs a name and a question in Thai and in English")
		}
		if c := ind.Provenance.Confidence; c != "S" && c != "R" {
			return wrong(at+".provenance.confidence", "ต้องเป็น S (มีแหล่งอ้างอิง) หรือ R (เรียบเรียงเอง) ไม่ใช่ %q", "must be S (sourced) or R (reconstructed), not %q", c)
		}
		if fe := ind.checkScoring(at); fe != nil {
			return fe
		}
	}
	for i, r := range s.Levels.Rules {
		at := fmt.Sprintf("levels.rules[%d]", i)
		if r.Level < 1 || r.Level > 3 {
			return wrong(at+".level", "ระดับต้องเป็น 1, 2 หรือ 3 ไม่ใช่ %d", "the level must be 1, 2 or 3, not %d", r.Level)
		}
		for _, b := range []struct {
			name     string
			lo, hi   *int
			min, max string
		}{{"serious", r.MinSerious, r.MaxSerious, "min_serious", "max_serious"}, {"moderate", r.MinModerate, r.MaxModerate, "min_moderate", "max_moderate"}} {
			if b.lo != nil && *b.lo < 0 || b.hi != nil && *b.hi < 0 {
				return wrong(at, "จำนวนตัวชี้วัดใน %s/%s ต้องไม่ติดลบ", "the counts in %s/%s must not be negative", b.min, b.max)
			}
			if b.lo != nil && b.hi != nil && *b.lo > *b.hi {
				return wrong(at, "%s (%d) มากกว่า %s (%d): ไม่มีหมู่บ้านใดเข้าเกณฑ์นี้ได้", "%s (%d) exceeds %s (%d): no village could match", b.min, *b.lo, b.max, *b.hi)
			}
		}
	}
	last := s.Levels.Rules[len(s.Levels.Rules)-1]
	if last.MinSerious != nil || last.MaxSerious != nil || last.MinModerate != nil || last.MaxModerate != nil {
		return wrong(fmt.Sprintf("levels.rules[%d]", len(s.Levels.Rules)-1), "เกณฑ์สุดท้ายต้องไม่มีขอบเขต เพื่อให้ทุกหมู่บ้านได้ระดับ",
			"the last rule must have no bounds, so that every village gets a level")
	}
	return nil
}

// checkScoring checks how an indicator turns its answer into a score.
func (ind *Indicator) checkScoring(at string) *fileError {
	switch ind.Kind {
	case KindPercent, KindNumber:
		if ind.Max <= ind.Min {
			return wrong(at+".max", "ค่าสูงสุด (%v) ต้องมากกว่าค่าต่ำสุด (%v)", "max (%v) must exceed min (%v)", ind.Max, ind.Min)
		}
		if ind.Kind == KindPercent && (ind.Min < 0 || ind.Max > 100) {
			return wrong(at+".max", "ตัวชี้วัดร้อยละต้องอยู่ในช่วง 0 ถึง 100", "a percent indicator must lie within 0 to 100")
		}
		sc := ind.Scoring
		if sc.Better != "higher" && sc.Better != "lower" {
			return wrong(at+".scoring.better", "ต้องเป็น higher (มากดี) หรือ lower (น้อยดี) ไม่ใช่ %q", "must be higher or lower, not %q", sc.Better)
		}
		for _, c := range []struct {
			name string
			v    float64
		}{{"good", sc.Good}, {"moderate", sc.Moderate}} {
			if c.v < ind.Min || c.v > ind.Max {
				return wrong(at+".scoring."+c.name, "เกณฑ์ %v อยู่นอกช่วงคำตอบ %v ถึง %v", "the cut-off %v lies outside the answers' range %v to %v", c.v, ind.Min, ind.Max)
			}
		}
		if sc.Better == "higher" && sc.Good < sc.Moderate || sc.Better == "lower" && sc.Good > sc.Moderate {
			return wrong(at+".scoring.good", "เกณฑ์ไม่มีปัญหา (%v) ต้องดีกว่าเกณฑ์ปัญหาปานกลาง (%v)", "the good cut-off (%v) must be beyond the moderate one (%v)", sc.Good, sc.Moderate)
		}
	case KindChoice:
		if len(ind.Choices) < 2 {
			return wrong(at+".choices", "ตัวชี้วัดแบบเลือกตอบต้องมีตัวเลือกอย่างน้อย 2 ข้อ", "a choice indicator needs at least two choices")
		}
		seen := map[int]bool{}
		for j, c := range ind.Choices {
			cat := fmt.Sprintf("%s.choices[%d]", at, j)
			if seen[c.Value] {
				return wrong(cat+".value", "ค่าตัวเลือก %d ซ้ำ", "the choice value %d is repeated", c.Value)
			}
			if c.Score < 1 || c.Score > 3 {
				return wrong(cat+".score", "คะแนนต้องเป็น 1, 2 หรือ 3 ไม่ใช่ %d", "the score must be 1, 2 or 3, not %d", c.Score)
			}
			if c.Label.TH == "" || c.Label.EN == "" {
				return wrong(cat+".label", "ต้องมีคำตอบทั้งภาษาไทยและภาษาอังกฤษ", "the choice needs a label in Thai and in English")
			}
			seen[c.Value] = true
		}
	default:
		return wrong(at+".kind", "ต้องเป็น percent, number หรือ choice ไม่ใช่ %q", "must be percent, number or choice, not %q", ind.Kind)
	}
	return nil
}
