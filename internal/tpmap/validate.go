package tpmap

import (
	"fmt"

	"tambon/internal/apperr"
)

// Validate checks every row's area against the national area tree, which
// this package does not hold: known is asked about each row's Code (the
// 8-digit village code for village files, the 6-digit tambon or 4-digit
// amphoe code otherwise) and returns whether that area exists. Parse checks
// only the form of a code; a well-formed code for a village that does not
// exist would otherwise be summed into a real tambon. It returns
// apperr.Problems naming each unknown area's row, or nil.
func (f *File) Validate(known func(code string) bool) error {
	col := ""
	for _, id := range idColumns {
		if id.level == f.Level {
			col = id.name
		}
	}
	var ps apperr.Problems
	check := func(code, id string, line int) {
		if known(code) {
			return
		}
		th, en := levelWord(levelOf(code))
		ps = append(ps, apperr.Problem{File: f.Name, Row: line, Column: col, Value: id,
			Reason: apperr.Text{
				TH: fmt.Sprintf("ไม่พบ%sรหัส %s ในทะเบียนพื้นที่ของประเทศ", th, code),
				EN: fmt.Sprintf("there is no %s with code %s in the national area register", en, code),
			}})
	}
	for _, r := range f.Rows {
		check(r.Code, r.ID, r.Line)
	}
	for _, r := range f.Poverty {
		check(r.Code, r.ID, r.Line)
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}
