package surveyfile

import (
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/survey"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// householdCells parses the household columns of row into h and returns
// the cells it refused, by key. Blank cells leave h's zero values. known
// holds the cells already refused on the household's first row: the same
// wrong value repeated on its other rows is reported once.
//
// For a household already started, only the cells that differ from the text
// of the household's previous row are parsed: the common file repeats the
// same text on every row, and parsing it again would be most of the work.
func (rd *reader) householdCells(row tabular.Row, h *survey.Household, known map[string]string, same func(i int, s string) bool) (failed map[string]string) {
	fail := func(key string, reason *apperr.Text) {
		if failed == nil {
			failed = map[string]string{}
		}
		failed[key] = row.Get(key)
		if v, ok := known[key]; ok && v == row.Get(key) {
			return
		}
		rd.problem(nil, cellProblem(row, key, *reason))
	}
	for i, c := range rd.hhCols {
		s := row.At(c.at)
		if s == "" || same != nil && same(i, s) {
			continue
		}
		if c.kind == kindAnswer {
			v, why := parseAnswer(c.q, s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			if h.Answers == nil {
				h.Answers = make(survey.Answers, answerCells(row, rd.hhCols[i:]))
			}
			h.Answers[c.key] = v
			continue
		}
		switch c.key {
		case "village_code":
			v, why := parseCode(s)
			if why != nil {
				fail(c.key, why)
			}
			h.VillageCode = v
		case "house_code":
			v, err := thai.NormalizeHouseCode(s)
			if err != nil {
				fail(c.key, ptr(apperr.MessageOf(err)))
				v = s
			}
			h.HouseCode = v
		case "house_no":
			h.HouseNo = strings.Join(strings.Fields(s), " ")
		case "lat", "lon":
			f, why := parseFloat(s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			if c.key == "lat" {
				h.Lat = &f
			} else {
				h.Lon = &f
			}
		case "respondent":
			h.Respondent = s
		case "collector":
			h.Collector = s
		case "phone":
			h.Phone = s
		case "survey_date":
			t, why := rd.date(row, c, s)
			if why != nil {
				fail(c.key, why)
			}
			h.SurveyDate = t.Time
		case "status":
			v, why := parseEnum(statuses, s)
			if why != nil {
				fail(c.key, why)
			}
			h.Status = survey.HouseholdStatus(v)
		default: // money
			n, why := parseWhole(s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			*moneyField(h, c.key) = n
		}
	}
	return failed
}

// answerCells counts the non-blank answer cells of row among cols: the size
// of the answers map, made once instead of grown (growing it was the largest
// allocation of reading a file).
func answerCells(row tabular.Row, cols []*column) int {
	n := 0
	for _, c := range cols {
		if c.kind == kindAnswer && row.At(c.at) != "" {
			n++
		}
	}
	return n
}

func moneyField(h *survey.Household, key string) *int64 {
	switch key {
	case "income_main":
		return &h.Income.MainOccupation
	case "income_secondary":
		return &h.Income.SecondaryOccupation
	case "income_other":
		return &h.Income.Other
	case "own_produce":
		return &h.Income.OwnProduce
	case "occupation_costs":
		return &h.Income.OccupationCosts
	case "savings":
		return &h.Savings
	case "debt_in_system":
		return &h.Debt.InSystem
	}
	return &h.Debt.OutOfSystem
}

func ptr[T any](v T) *T { return &v }

// date reads a date cell and warns, once per column and era, which era an
// undeclared year was read in: 2564 is BE, 2021 is CE.
func (rd *reader) date(row tabular.Row, c *column, s string) (thai.ParsedDate, *apperr.Text) {
	d, err := thai.ParseDateEra(s)
	if err != nil {
		return d, ptr(apperr.MessageOf(err))
	}
	if d.Inferred && !rd.eraWarned[c.key+string(d.Era)] {
		rd.eraWarned[c.key+string(d.Era)] = true
		w := cellProblem(row, c.key, apperr.Tf(
			"อ่านปี %[1]d ในคอลัมน์ %[2]s เป็น %[3]s (ปี ≥ 2400 ถือเป็น พ.ศ. ปีที่น้อยกว่าถือเป็น ค.ศ.) จึงเป็นวันที่ %[4]s — ใช้หลักนี้กับทุกแถวของคอลัมน์นี้ โปรดตรวจว่าถูกต้อง",
			"the year %[1]d in column %[2]s was read as %[5]s (years ≥ 2400 are BE, smaller ones CE), giving %[6]s; every row of this column is read the same way, so check that this is right",
			yearOf(d), c.th, eraTH(d.Era), thai.FormatDate(d.Time, thai.DateShort), eraEN(d.Era), thai.FormatDate(d.Time, thai.DateEnglish)))
		rd.res.Warnings = append(rd.res.Warnings, w)
	}
	return d, nil
}

func yearOf(d thai.ParsedDate) int {
	if d.Era == thai.EraBE {
		return thai.BE(d.Time.Year())
	}
	return d.Time.Year()
}

func eraTH(e thai.Era) string {
	if e == thai.EraBE {
		return "พ.ศ."
	}
	return "ค.ศ."
}

func eraEN(e thai.Era) string {
	if e == thai.EraBE {
		return "BE (Buddhist Era)"
	}
	return "CE (Common Era)"
}
