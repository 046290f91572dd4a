// Package villagefile is the กชช. 2ค import template: one row per village, a
// village_code column and one column per indicator of the set holding the
// raw answer (a percentage, a number, or a choice's value). A village_name
// column may be present for people and is ignored on reading. Reading
// checks every cell and reports every problem located by file, row and
// column; docs/village-survey.md describes the template.
package villagefile

import (
	"fmt"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/tabular"
	"tambon/internal/village"
)

// Key columns.
const (
	ColVillage = "village_code"
	ColName    = "village_name"
)

// Columns are the template's columns for a set, for tabular.Options.Expect:
// every one is required except the name.
func Columns(set *village.Set) []tabular.Column {
	cols := []tabular.Column{
		{Key: ColVillage, Aliases: []string{"รหัสหมู่บ้าน", "village code"}, Required: true},
		{Key: ColName, Aliases: []string{"ชื่อหมู่บ้าน", "village name"}},
	}
	for _, ind := range set.Indicators {
		cols = append(cols, tabular.Column{Key: ind.Code, Aliases: []string{header(&ind)}, Required: true})
	}
	return cols
}

// header is the column title written for an indicator: its code and Thai
// name, so that a file tambon wrote is read back by the alias.
func header(ind *village.Indicator) string {
	return ind.Code + " " + ind.Name.TH
}

// Check says whether a village code may be imported, and why not.
type Check func(code string) (why apperr.Text, ok bool)

// Known is the Check of a real village: known says whether an 8-digit code
// names one.
func Known(known func(code string) bool) Check {
	return func(code string) (apperr.Text, bool) {
		if known(code) {
			return apperr.Text{}, true
		}
		return apperr.Tf("ไม่มีหมู่บ้านรหัส %q (ต้องเป็นรหัสหมู่บ้าน 8 หลักของกรมการปกครอง)",
			"there is no village with the code %q (an 8-digit DOPA village code)", code), false
	}
}

// Read reads every row of rd; check refuses village codes (unknown, or
// outside the importing account's area). Records come back only when there
// is no problem at all: the import is all or nothing.
func Read(rd *tabular.Reader, set *village.Set, check Check) ([]village.Record, apperr.Problems, error) {
	var recs []village.Record
	var ps apperr.Problems
	first := map[string]int{} // village → first row
	atVillage, _ := rd.Index(ColVillage)
	at := make([]int, len(set.Indicators))
	for i, ind := range set.Indicators {
		at[i], _ = rd.Index(ind.Code)
	}
	for rd.Next() {
		row := rd.Row()
		code := row.At(atVillage)
		why, ok := check(code)
		switch {
		case !ok:
			ps = append(ps, row.Problem(ColVillage, why))
		case first[code] > 0:
			ps = append(ps, row.Problem(ColVillage, apperr.Tf(
				"หมู่บ้าน %s ซ้ำกับแถว %d", "village %s repeats row %d", code, first[code])))
		default:
			first[code] = row.Num
		}
		rec := village.Record{Village: code, Answers: village.Answers{}}
		for i := range set.Indicators {
			ind := &set.Indicators[i]
			v, p := ind.Parse(row.At(at[i]))
			if p != nil {
				q := row.Problem(ind.Code, p.Reason)
				ps = append(ps, q)
				continue
			}
			rec.Answers[ind.Code] = v
		}
		recs = append(recs, rec)
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	if len(ps) > 0 {
		return nil, ps, nil
	}
	if len(recs) == 0 {
		return nil, apperr.Problems{{File: "", Reason: apperr.T("ไฟล์ไม่มีข้อมูลหมู่บ้าน", "the file holds no villages")}}, nil
	}
	return recs, nil, nil
}

// Write writes records in the template; name gives a village's name for the
// village_name column.
func Write(w tabular.Writer, set *village.Set, name func(code string) string, recs func(yield func(village.Record) bool)) error {
	head := []string{ColVillage, ColName}
	for i := range set.Indicators {
		head = append(head, header(&set.Indicators[i]))
	}
	if err := w.NewSheet("กชช. 2ค", head); err != nil {
		return err
	}
	row := make([]any, len(head))
	var werr error
	recs(func(r village.Record) bool {
		row[0], row[1] = r.Village, name(r.Village)
		for i, ind := range set.Indicators {
			v, ok := r.Answers[ind.Code]
			if !ok {
				row[2+i] = nil
				continue
			}
			row[2+i] = cell(v)
		}
		werr = w.Write(row...)
		return werr == nil
	})
	if werr != nil {
		return fmt.Errorf("write villages: %w", werr)
	}
	return nil
}

// cell keeps whole numbers as integers so the sheet shows 95, not 95.0.
func cell(v float64) any {
	if v == float64(int64(v)) {
		return int64(v)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// WriteTemplate writes the empty template, or with one example village,
// then (XLSX only) a sheet explaining every column.
func WriteTemplate(w tabular.Writer, set *village.Set, example bool, name func(string) string) error {
	err := Write(w, set, name, func(yield func(village.Record) bool) {
		if example {
			a := village.Answers{}
			for _, ind := range set.Indicators {
				if ind.Kind == village.KindChoice {
					a[ind.Code] = float64(ind.Choices[len(ind.Choices)-1].Value)
				} else {
					a[ind.Code] = ind.Scoring.Good
				}
			}
			yield(village.Record{Village: "70051304", Answers: a})
		}
	})
	if err != nil {
		return err
	}
	if _, ok := w.(*tabular.XLSXWriter); !ok {
		return nil
	}
	if err := w.NewSheet("คำอธิบาย", []string{"คอลัมน์ / column", "ตัวชี้วัด", "indicator", "คำตอบ / answer", "ยังไม่ยืนยัน / uncertain"}); err != nil {
		return err
	}
	for _, ind := range set.Indicators {
		ans := fmt.Sprintf("%s–%s %s", strconv.FormatFloat(ind.Min, 'f', -1, 64), strconv.FormatFloat(ind.Max, 'f', -1, 64), ind.Unit.TH)
		if ind.Kind == village.KindChoice {
			ans = ""
			for i, c := range ind.Choices {
				if i > 0 {
					ans += "; "
				}
				ans += fmt.Sprintf("%d = %s", c.Value, c.Label.TH)
			}
		}
		unc := ""
		if ind.Provenance.Uncertain() {
			unc = "R"
		}
		if err := w.Write(header(&ind), ind.Question.TH, ind.Question.EN, ans, unc); err != nil {
			return err
		}
	}
	return nil
}
