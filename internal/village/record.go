package village

import (
	"math"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
)

// Round is one กชช. 2ค collection, every two years, e.g. ปี 2562.
type Round struct {
	ID         string `json:"id"`          // e.g. "kcc2k-2562"
	SurveyYear int    `json:"survey_year"` // Buddhist Era
	SetID      string `json:"set_id"`      // e.g. "kcc2k-2560-2564"
	// SetVersion is the stored version of the set the round was opened with;
	// SetDigest identifies its file (the store fills both).
	SetVersion int       `json:"-"`
	SetDigest  string    `json:"-"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
}

// Answers are a village's raw answers, by indicator code: a percentage, a
// number or a choice's value.
type Answers map[string]float64

// Record is one village's survey in one round.
type Record struct {
	Round     string    `json:"round"`
	Village   string    `json:"village"` // 8-digit village code
	Answers   Answers   `json:"answers"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	UpdatedBy string    `json:"updated_by,omitempty"`
}

// Parse reads one raw answer as typed in a form or a file: Thai digits and
// thousands separators are accepted, a trailing % is ignored. A bad value is
// an explained Problem (Field and Value set).
func (ind *Indicator) Parse(text string) (float64, *apperr.Problem) {
	p := &apperr.Problem{Field: ind.Code, Value: text}
	t := strings.TrimSpace(arabic(text))
	t = strings.TrimSuffix(strings.ReplaceAll(t, ",", ""), "%")
	if t == "" {
		p.Reason = apperr.Tf("ไม่ได้ตอบตัวชี้วัด %d %s", "indicator %d %s is not answered", ind.Number, ind.Name.TH)
		return 0, p
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.Reason = apperr.Tf("ตัวชี้วัด %d ต้องเป็นตัวเลข", "indicator %d must be a number", ind.Number)
		return 0, p
	}
	if why, ok := ind.Check(v); !ok {
		p.Reason = why
		return 0, p
	}
	return v, nil
}

// Check tells whether v is a possible answer, and why not.
func (ind *Indicator) Check(v float64) (apperr.Text, bool) {
	if ind.Kind == KindChoice {
		if _, ok := ind.choice(v); ok {
			return apperr.Text{}, true
		}
		vals := make([]string, len(ind.Choices))
		for i, c := range ind.Choices {
			vals[i] = strconv.Itoa(c.Value)
		}
		return apperr.Tf("ตัวชี้วัด %d ต้องเป็นหนึ่งใน %s", "indicator %d must be one of %s", ind.Number, strings.Join(vals, ", ")), false
	}
	if v < ind.Min || v > ind.Max {
		return apperr.Tf("ตัวชี้วัด %d ต้องอยู่ระหว่าง %s ถึง %s %s", "indicator %d must be between %s and %s %s",
			ind.Number, num(ind.Min), num(ind.Max), ind.Unit.TH), false
	}
	return apperr.Text{}, true
}

func (ind *Indicator) choice(v float64) (Choice, bool) {
	for _, c := range ind.Choices {
		if float64(c.Value) == v {
			return c, true
		}
	}
	return Choice{}, false
}

// Format writes a raw answer the way Parse reads it back.
func (ind *Indicator) Format(v float64) string { return num(v) }

// Validate checks that every indicator of the set is answered with a possible
// value and that nothing else is; problems name the indicator.
func (s *Set) Validate(a Answers) apperr.Problems {
	var ps apperr.Problems
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		v, ok := a[ind.Code]
		if !ok {
			ps = append(ps, apperr.Problem{Field: ind.Code, Reason: apperr.Tf(
				"ไม่ได้ตอบตัวชี้วัด %d %s", "indicator %d %s is not answered", ind.Number, ind.Name.TH)})
			continue
		}
		if why, ok := ind.Check(v); !ok {
			ps = append(ps, apperr.Problem{Field: ind.Code, Value: num(v), Reason: why})
		}
	}
	for code := range a {
		if _, ok := s.index[code]; !ok {
			ps = append(ps, apperr.Problem{Field: code, Reason: apperr.Tf(
				"ชุด %s ไม่มีตัวชี้วัด %s", "the set %s has no indicator %s", s.ID, code)})
		}
	}
	return ps
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// arabic turns Thai digits into ASCII ones.
func arabic(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '๐' && r <= '๙' {
			return '0' + r - '๐'
		}
		return r
	}, s)
}
