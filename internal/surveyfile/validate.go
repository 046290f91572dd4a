package surveyfile

import (
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// finish validates each household, maps survey.Validate's fields back to rows
// and columns, and splits valid households from invalid ones.
func (rd *reader) finish() *Result {
	res := rd.res
	ref := rd.round.ReferenceDate()
	res.Total = len(rd.order)
	for _, hh := range rd.order {
		if !hh.bad {
			for _, p := range survey.Validate(hh.h, rd.set, ref) {
				rd.problem(hh, rd.locate(hh, p))
			}
		}
		if hh.bad {
			res.Invalid[hh.h.Key()] = true
			continue
		}
		res.Households = append(res.Households, hh.h)
	}
	if res.More > 0 {
		res.Problems = append(res.Problems, apperr.Problem{Reason: apperr.Tf(
			"ยังมีปัญหาอีก %d รายการที่ไม่ได้แสดง — แก้ปัญหาข้างต้นแล้วนำเข้าใหม่",
			"%d more problems are not listed; fix the ones above and import again", res.More)})
	}
	return res
}

// locate turns a survey.Validate problem about a field (members[2].birth_date,
// answers.q4_1, income.main_occupation) into one about a row and column.
func (rd *reader) locate(hh *household, p apperr.Problem) apperr.Problem {
	row, key := hh.firstRow, ""
	field := p.Field
	if rest, ok := strings.CutPrefix(field, "members["); ok {
		if i, after, ok := strings.Cut(rest, "]."); ok {
			n := 0
			for _, c := range i {
				n = n*10 + int(c-'0')
			}
			if n < len(hh.memberRows) {
				row = hh.memberRows[n]
			}
			field = after
		}
	}
	field = strings.TrimPrefix(field, "answers.")
	switch field {
	case "income.main_occupation":
		key = "income_main"
	case "income.secondary_occupation":
		key = "income_secondary"
	case "income.other":
		key = "income_other"
	case "income.own_produce":
		key = "own_produce"
	case "income.occupation_costs":
		key = "occupation_costs"
	case "debt.in_system":
		key = "debt_in_system"
	case "debt.out_of_system":
		key = "debt_out_of_system"
	case "members":
		key = ""
	default:
		key = field
	}
	out := apperr.Problem{Row: row, Field: p.Field, Value: p.Value, Reason: p.Reason}
	if rd.haveRow {
		loc := rd.labelRow.Problem(key, p.Reason)
		out.File, out.Sheet = loc.File, loc.Sheet
		if key != "" {
			out.Column = rd.labelRow.Column(key)
		}
	}
	return out
}
