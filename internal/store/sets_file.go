package store

import (
	"bytes"
	"encoding/json"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/village"
)

// The kinds of indicator set: a จปฐ. household set judges households, a
// กชช. 2ค village set scores villages. They are the kinds of round too.
const (
	SetKindHousehold = "bmn"
	SetKindVillage   = "kcc2k"
)

// SetFile is what a set file says about itself once it has been checked.
type SetFile struct {
	Kind        string
	ID          string
	Name        apperr.Text
	PeriodFrom  int
	PeriodTo    int
	Provisional bool
	Digest      string
	Body        []byte
}

// ParseSetFile checks a whole set file, either kind, as importing it would:
// every question, rule and threshold of a จปฐ. set, every indicator and level
// rule of a กชช. 2ค set. A file with a "levels" object is a กชช. 2ค set.
// Errors are apperr Invalid and say where in the file (line and column, or a
// path such as indicators[5].pass.all[1]) and why, in Thai and English.
func ParseSetFile(b []byte) (SetFile, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		// Load says where the JSON goes wrong.
		_, err := indicator.Load(bytes.NewReader(b))
		if err == nil {
			err = apperr.New(apperr.Invalid, apperr.T("ไฟล์ชุดตัวชี้วัดต้องเป็นวัตถุ JSON", "a set file must be a JSON object"))
		}
		return SetFile{}, err
	}
	f := SetFile{Body: b}
	if _, ok := probe["levels"]; ok {
		s, err := village.Load(b)
		if err != nil {
			return SetFile{}, err
		}
		f.Kind, f.ID, f.Name, f.PeriodFrom, f.PeriodTo, f.Provisional = SetKindVillage, s.ID, s.Name, s.Period[0], s.Period[1], s.Provisional
		f.Digest = village.Digest(b)
	} else {
		s, err := indicator.Load(bytes.NewReader(b))
		if err != nil {
			return SetFile{}, err
		}
		f.Kind, f.ID, f.Name, f.PeriodFrom, f.PeriodTo, f.Provisional = SetKindHousehold, s.ID, s.Name, s.PeriodFrom, s.PeriodTo, s.Provisional
		f.Digest = indicator.Digest(b)
	}
	if !validSetID(f.ID) {
		return SetFile{}, apperr.New(apperr.Invalid, apperr.Tf(
			"id: รหัสชุด %q ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และ . _ - ไม่เกิน 60 ตัว",
			"id: the set id %q may hold only lowercase letters, digits, dots, hyphens and underscores, up to 60", f.ID))
	}
	if f.PeriodFrom < 2400 || f.PeriodTo > 2800 || f.PeriodFrom > f.PeriodTo {
		return SetFile{}, apperr.New(apperr.Invalid, apperr.Tf(
			"period: ช่วงปี %d–%d ต้องเป็นปี พ.ศ. เรียงจากน้อยไปมาก", "period: %d–%d must be Buddhist Era years, the first not after the last",
			f.PeriodFrom, f.PeriodTo))
	}
	return f, nil
}

func validSetID(id string) bool {
	if id == "" || len(id) > 60 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
