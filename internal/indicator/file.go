package indicator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// The shape of a set file. docs/indicators.md describes every field.
type (
	fileSet struct {
		ID          string                   `json:"id"`
		Name        apperr.Text              `json:"name"`
		Period      [2]int                   `json:"period"`
		Provisional bool                     `json:"provisional"`
		Source      string                   `json:"source"`
		Note        apperr.Text              `json:"note"`
		Groups      []fileGroup              `json:"groups"`
		Thresholds  map[string]fileThreshold `json:"thresholds"`
		Questions   []fileQuestion           `json:"questions"`
		Indicators  []fileIndicator          `json:"indicators"`
	}
	fileGroup struct {
		Code string      `json:"code"`
		Name apperr.Text `json:"name"`
	}
	fileThreshold struct {
		Label      apperr.Text        `json:"label"`
		ByYear     map[string]float64 `json:"by_year"`
		Provenance fileProvenance     `json:"provenance"`
	}
	fileProvenance struct {
		Source     string      `json:"source"`
		Confidence string      `json:"confidence"`
		Note       apperr.Text `json:"note"`
	}
	fileChoice struct {
		Code  string      `json:"code"`
		Label apperr.Text `json:"label"`
	}
	fileQuestion struct {
		Code     string       `json:"code"`
		Ref      string       `json:"ref"`
		Label    apperr.Text  `json:"label"`
		Type     string       `json:"type"`
		Level    string       `json:"level"`
		Min      *float64     `json:"min"`
		Max      *float64     `json:"max"`
		Choices  []fileChoice `json:"choices"`
		AskedIf  *rule        `json:"asked_if"`
		Optional bool         `json:"optional"`
	}
	fileEligible struct {
		MinAge       *int     `json:"min_age"`
		MaxAge       *int     `json:"max_age"`
		MinAgeMonths *int     `json:"min_age_months"`
		MaxAgeMonths *int     `json:"max_age_months"`
		Flags        []string `json:"flags"`
		NotFlags     []string `json:"not_flags"`
		EducationIn  []string `json:"education_in"`
		When         *rule    `json:"when"`
	}
	fileItem struct {
		Code  string      `json:"code"`
		Label apperr.Text `json:"label"`
		Pass  rule        `json:"pass"`
	}
	fileIndicator struct {
		Code       string         `json:"code"`
		Number     int            `json:"number"`
		Name       apperr.Text    `json:"name"`
		Group      string         `json:"group"`
		Unit       string         `json:"unit"`
		Who        apperr.Text    `json:"who"`
		FailNote   apperr.Text    `json:"fail_note"`
		Eligible   *fileEligible  `json:"eligible"`
		Pass       *rule          `json:"pass"`
		Items      []fileItem     `json:"items"`
		MinItems   int            `json:"min_items"`
		Provenance fileProvenance `json:"provenance"`
	}
)

// Load reads and compiles a set file. Errors are apperr Invalid and say where
// in the file the problem is (line and column for JSON mistakes, a path such
// as indicators[5].pass.all[1] for wrong rules) and why.
func Load(r io.Reader) (*Set, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านไฟล์ชุดตัวชี้วัดไม่ได้", "cannot read the indicator set file"))
	}
	s, err := load(b)
	if err != nil {
		var fe *fileError
		if errors.As(err, &fe) {
			return nil, apperr.Wrap(err, apperr.Invalid, apperr.T("ไฟล์ชุดตัวชี้วัดไม่ถูกต้อง: "+fe.th, "the indicator set file is wrong: "+fe.en))
		}
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"ไฟล์ชุดตัวชี้วัดไม่ถูกต้อง: %s", "the indicator set file is wrong: %s", err.Error()))
	}
	return s, nil
}

func load(b []byte) (*Set, error) {
	var f fileSet
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, jsonError(b, dec, err)
	}
	if dec.More() {
		return nil, bi("มีข้อมูลเกินหลังวัตถุของชุด", "extra data after the set object")
	}
	s, err := compileSet(&f)
	if err != nil {
		return nil, err
	}
	s.raw = b
	return s, nil
}

// jsonError locates a decoding error as line:column.
func jsonError(b []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	line, col := 1, 1
	for _, c := range b[:min(int(off), len(b))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &fileError{th: fmt.Sprintf("บรรทัด %d คอลัมน์ %d (line %d, column %d): %v", line, col, line, col, err),
		en: fmt.Sprintf("line %d, column %d: %v", line, col, err)}
}

func compileSet(f *fileSet) (*Set, error) {
	if f.ID == "" || f.Name.TH == "" || f.Name.EN == "" {
		return nil, bi("ชุดต้องมีรหัสและชื่อทั้งภาษาไทยและภาษาอังกฤษ", "a set needs an id and a name in Thai and English")
	}
	s := &Set{ID: f.ID, Name: f.Name, PeriodFrom: f.Period[0], PeriodTo: f.Period[1], Provisional: f.Provisional,
		Source: f.Source, Note: f.Note, qIndex: map[string]int{}, thIndex: map[string]int{},
		thByYear: map[int][]float64{}, groupIdx: map[string]struct{}{}}
	for i, g := range f.Groups {
		if _, dup := s.groupIdx[g.Code]; dup || g.Code == "" {
			return nil, bi("groups[%d]: รหัสหมวด %q ว่างหรือใช้ซ้ำ", "groups[%d]: the code %q is empty or used twice", i, g.Code)
		}
		s.groupIdx[g.Code] = struct{}{}
		s.Groups = append(s.Groups, Group(g))
	}
	if err := s.thresholds(f.Thresholds); err != nil {
		return nil, err
	}
	if err := s.declareQuestions(f.Questions); err != nil {
		return nil, err
	}
	for i := range f.Indicators {
		if err := s.indicator(&f.Indicators[i], i); err != nil {
			return nil, err
		}
	}
	for i := range f.Questions {
		if a := f.Questions[i].AskedIf; a != nil {
			cp := &compiler{s: s, person: s.questions[i].Level == survey.LevelPerson}
			n, err := cp.compile(a, fmt.Sprintf("questions[%d] (%s).asked_if", i, s.questions[i].Code))
			if err != nil {
				return nil, err
			}
			s.questions[i].asked = n
		}
	}
	return s, nil
}

func (s *Set) thresholds(ts map[string]fileThreshold) error {
	names := make([]string, 0, len(ts))
	for n := range ts {
		names = append(names, n)
	}
	sort.Strings(names)
	s.thNone = nanSlice(len(names))
	for i, n := range names {
		t := ts[n]
		s.thIndex[n] = i
		th := Threshold{Name: n, Label: t.Label, ByYear: map[int]float64{}, Provenance: Provenance(t.Provenance)}
		for y, v := range t.ByYear {
			year, err := strconv.Atoi(y)
			if err != nil || year < 2400 || year > 2800 {
				return bi("thresholds.%s.by_year: %q ไม่ใช่ปีสำรวจ พ.ศ.", "thresholds.%s.by_year: %q is not a Buddhist Era survey year", n, y)
			}
			th.ByYear[year] = v
			if s.thByYear[year] == nil {
				s.thByYear[year] = slices.Clone(s.thNone)
			}
			s.thByYear[year][i] = v
		}
		s.Thresholds = append(s.Thresholds, th)
	}
	return nil
}

func (s *Set) declareQuestions(qs []fileQuestion) error {
	for i, fq := range qs {
		path := fmt.Sprintf("questions[%d] (%s)", i, fq.Code)
		if fq.Code == "" {
			return bi("questions[%d]: คำถามต้องมีรหัส", "questions[%d]: a question needs a code", i)
		}
		if _, dup := s.qIndex[fq.Code]; dup {
			return bi("%s: รหัสนี้ใช้ซ้ำ", "%s: the code is used twice", path)
		}
		q := question{QuestionSpec: survey.QuestionSpec{Code: fq.Code, Label: fq.Label, Type: survey.AnswerType(fq.Type),
			Level: survey.Level(fq.Level), Min: fq.Min, Max: fq.Max, Optional: fq.Optional}, Ref: fq.Ref}
		switch q.Type {
		case survey.TypeBool, survey.TypeNumber:
			if len(fq.Choices) > 0 {
				return bi("%s: มีตัวเลือกได้เฉพาะคำถามแบบเลือกตอบ (choice)", "%s: only choice questions have choices", path)
			}
		case survey.TypeChoice:
			if len(fq.Choices) == 0 {
				return bi("%s: คำถามแบบเลือกตอบต้องมีตัวเลือก", "%s: a choice question needs choices", path)
			}
			for _, c := range fq.Choices {
				if c.Code == "" || slices.Contains(q.Choices, c.Code) {
					return bi("%s: รหัสตัวเลือก %q ว่างหรือใช้ซ้ำ", "%s: choice code %q is empty or used twice", path, c.Code)
				}
				q.Choices = append(q.Choices, c.Code)
				q.choiceLabels = append(q.choiceLabels, c.Label)
			}
		default:
			return bi("%s: ชนิดคำถามต้องเป็น bool, number หรือ choice ไม่ใช่ %q", "%s: type must be bool, number or choice, not %q", path, fq.Type)
		}
		switch q.Level {
		case survey.LevelHousehold:
			q.slot = s.nHH
			s.nHH++
		case survey.LevelPerson:
			q.slot = s.nPer
			s.nPer++
		default:
			return bi("%s: ระดับต้องเป็น household หรือ person ไม่ใช่ %q", "%s: level must be household or person, not %q", path, fq.Level)
		}
		s.qIndex[fq.Code] = len(s.questions)
		s.questions = append(s.questions, q)
		s.specs = append(s.specs, q.QuestionSpec)
	}
	s.hhBlank = nanSlice(s.nHH)
	s.perBlank = nanSlice(s.nPer)
	return nil
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}
