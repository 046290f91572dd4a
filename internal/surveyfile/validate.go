package surveyfile

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/survey"
)

// finish validates each household, maps survey.Validate's fields back to rows
// and columns, and splits valid households from invalid ones.
func (rd *reader) finish() *Result {
	res := rd.res
	ref := rd.round.ReferenceDate()
	res.Total = len(rd.order)
	found := rd.validateAll(rd.order, ref)
	for i, hh := range rd.order {
		for _, p := range found[i] {
			rd.problem(hh, rd.locate(hh, p))
		}
		if hh.bad {
			res.Invalid[hh.h.Key()] = true
			continue
		}
		res.Households = append(res.Households, hh.h)
	}
	res.Problems = withMore(res.Problems, res.More)
	return res
}

// withMore ends a capped list of problems with how many more there were.
func withMore(ps apperr.Problems, more int) apperr.Problems {
	if more > 0 {
		ps = append(ps, apperr.Problem{Reason: apperr.Tf(
			"ยังมีปัญหาอีก %d รายการที่ไม่ได้แสดง — แก้ปัญหาข้างต้นแล้วนำเข้าใหม่",
			"%d more problems are not listed; fix the ones above and import again", more)})
	}
	return ps
}

// validateAll runs survey.Validate on every household not already refused,
// on every core: households are independent, and validation is a large part
// of reading a file. found[i] holds the problems of hhs[i], so they are
// reported in file order whatever finished first.
func (rd *reader) validateAll(hhs []*household, ref time.Time) []apperr.Problems {
	found := make([]apperr.Problems, len(hhs))
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(hhs)/chunk)) {
		wg.Go(func() {
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(hhs) {
					return
				}
				for i := start; i < min(start+chunk, len(hhs)); i++ {
					if hh := hhs[i]; !hh.bad {
						found[i] = survey.Validate(hh.h, rd.set, ref)
					}
				}
			}
		})
	}
	wg.Wait()
	return found
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
