package indicator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"tambon/internal/apperr"
)

// WithThreshold returns a set file with one threshold's value for a survey
// year set to value, and the value it had (ok false when it had none). Only
// the threshold's by_year object changes in the file; every other byte stays
// as it was, so the versions differ by exactly that. The result is checked
// as a whole file, like any import.
func WithThreshold(file []byte, name string, year int, value float64) (out []byte, old float64, had bool, err error) {
	set, err := Load(bytes.NewReader(file))
	if err != nil {
		return nil, 0, false, err
	}
	i, ok := set.thIndex[name]
	if !ok {
		var names []string
		for _, t := range set.Thresholds {
			names = append(names, t.Name)
		}
		return nil, 0, false, apperr.New(apperr.Invalid, apperr.Tf("ชุด %s ไม่มีเกณฑ์ %q (มี %v)", "the set %s has no threshold %q (it has %v)", set.ID, name, names))
	}
	if year < set.PeriodFrom || year > set.PeriodTo {
		return nil, 0, false, apperr.New(apperr.Invalid, apperr.Tf("ปี %d อยู่นอกช่วงปีของชุด %s (%d–%d)", "the year %d is outside the period of the set %s (%d–%d)",
			year, set.ID, set.PeriodFrom, set.PeriodTo))
	}
	if math.IsNaN(value) || math.IsInf(value, 0) || value < 0 {
		return nil, 0, false, apperr.New(apperr.Invalid, apperr.Tf("ค่าเกณฑ์ต้องเป็นจำนวนไม่ติดลบ ไม่ใช่ %v", "a threshold must be a number not below zero, not %v", value))
	}
	byYear := set.Thresholds[i].ByYear
	old, had = byYear[year]
	start, end, err := span(file, "thresholds", name, "by_year")
	if err != nil {
		return nil, 0, false, apperr.Wrap(err, apperr.Invalid, apperr.Tf("หาเกณฑ์ %s ในไฟล์ไม่พบ: %v", "cannot find the threshold %s in the file: %v", name, err))
	}
	years := []int{year}
	for y := range byYear {
		if y != year {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	var b bytes.Buffer
	b.WriteByte('{')
	for j, y := range years {
		if j > 0 {
			b.WriteString(", ")
		}
		v := byYear[y]
		if y == year {
			v = value
		}
		fmt.Fprintf(&b, "%q: %s", strconv.Itoa(y), strconv.FormatFloat(v, 'f', -1, 64))
	}
	b.WriteByte('}')
	out = slices.Concat(file[:start], b.Bytes(), file[end:])
	if _, err := Load(bytes.NewReader(out)); err != nil {
		return nil, 0, false, err
	}
	return out, old, had, nil
}

// span returns where in a JSON document the value at a path of object keys
// starts and ends.
func span(doc []byte, path ...string) (int, int, error) {
	base := 0
	for _, key := range path {
		dec := json.NewDecoder(bytes.NewReader(doc[base:]))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return 0, 0, fmt.Errorf("%s is not an object", key)
		}
		found := false
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return 0, 0, err
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return 0, 0, err
			}
			if k, _ := t.(string); k == key {
				end := base + int(dec.InputOffset())
				doc = doc[:end]
				base = end - len(raw)
				found = true
				break
			}
		}
		if !found {
			return 0, 0, fmt.Errorf("no %q", key)
		}
	}
	return base, len(doc), nil
}
