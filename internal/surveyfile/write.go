package surveyfile

import (
	"fmt"
	"iter"
	"slices"
	"strconv"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/tabular"
)

// DataSheet is the name of the sheet households are written to, and
// HelpSheet the name of the instructions sheet XLSX files get after it. Read
// ignores the instructions sheet.
const (
	DataSheet = "ครัวเรือน"
	HelpSheet = "คำอธิบาย"
)

// Write writes households in the import template: one row per member, the
// household's columns repeated on each of its rows, and one row with blank
// member columns for a household without members. Money and coordinates are
// numbers, codes and IDs text, dates day/month/BE year. An XLSX writer also
// gets the instructions sheet. The caller closes w.
//
// Reading the result with Read gives back the same households exactly.
func Write(w tabular.Writer, set *indicator.Set, households []*survey.Household) error {
	return WriteSeq(w, set, slices.Values(households))
}

// WriteSeq is Write over a sequence, so that an export streams from the
// store without holding every household in memory.
func WriteSeq(w tabular.Writer, set *indicator.Set, households iter.Seq[*survey.Household]) error {
	l := newLayout(set)
	if err := w.NewSheet(DataSheet, Headers(set)); err != nil {
		return fmt.Errorf("write households: %w", err)
	}
	row := make([]any, len(l.cols))
	for h := range households {
		if err := l.writeHousehold(w, h, row); err != nil {
			return fmt.Errorf("write households: household %s: %w", h.Key(), err)
		}
	}
	if err := writeHelp(w, l); err != nil {
		return fmt.Errorf("write households: %w", err)
	}
	return nil
}

// WriteTemplate writes an empty template for set (with one example
// household when withExample is set) and, for XLSX, the instructions sheet.
// The caller closes w.
func WriteTemplate(w tabular.Writer, set *indicator.Set, withExample bool) error {
	var hs []*survey.Household
	if withExample {
		hs = Example(set, "70051304", 1, 1)
	}
	if err := Write(w, set, hs); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

func (l *layout) writeHousehold(w tabular.Writer, h *survey.Household, row []any) error {
	if len(h.Members) == 0 {
		l.fill(row, h, nil)
		return w.Write(row...)
	}
	for i := range h.Members {
		l.fill(row, h, &h.Members[i])
		if err := w.Write(row...); err != nil {
			return err
		}
	}
	return nil
}

func (l *layout) fill(row []any, h *survey.Household, m *survey.Member) {
	for i := range l.cols {
		row[i] = cellValue(&l.cols[i], h, m)
	}
}

// cellValue is what a column holds for household h and member m (nil for a
// household without members). It is also the canonical form Read compares
// when a household's rows disagree.
func cellValue(c *column, h *survey.Household, m *survey.Member) any {
	if c.member && m == nil {
		return nil
	}
	if c.kind == kindAnswer {
		a := h.Answers
		if c.member {
			a = m.Answers
		}
		v, ok := a[c.key]
		if !ok {
			return nil
		}
		return answerValue(v)
	}
	switch c.key {
	case "village_code":
		return h.VillageCode
	case "house_code":
		return h.HouseCode
	case "house_no":
		return h.HouseNo
	case "lat":
		return floatPtr(h.Lat)
	case "lon":
		return floatPtr(h.Lon)
	case "respondent":
		return h.Respondent
	case "collector":
		return h.Collector
	case "phone":
		return h.Phone
	case "survey_date":
		return dateText(h.SurveyDate)
	case "income_main":
		return h.Income.MainOccupation
	case "income_secondary":
		return h.Income.SecondaryOccupation
	case "income_other":
		return h.Income.Other
	case "own_produce":
		return h.Income.OwnProduce
	case "occupation_costs":
		return h.Income.OccupationCosts
	case "savings":
		return h.Savings
	case "debt_in_system":
		return h.Debt.InSystem
	case "debt_out_of_system":
		return h.Debt.OutOfSystem
	case "status":
		return statuses.label(string(h.Status))
	case "member_no":
		return m.No
	case "title":
		return m.Title
	case "first_name":
		return m.FirstName
	case "last_name":
		return m.LastName
	case "citizen_id":
		return m.CitizenID
	case "sex":
		return sexes.label(string(m.Sex))
	case "birth_date":
		return dateText(m.BirthDate)
	case "relation":
		return relations.label(string(m.Relation))
	case "education":
		return educations.label(m.Education)
	case "occupation":
		return occupations.label(m.Occupation)
	case "resident":
		return boolText(m.Resident)
	case "disabled":
		return boolText(m.Disabled)
	case "chronic_ill":
		return boolText(m.ChronicIll)
	case "bedridden":
		return boolText(m.Bedridden)
	case "dependent":
		return boolText(m.Dependent)
	case "welfare_card":
		return boolText(m.WelfareCard)
	}
	return nil
}

func floatPtr(p *float64) any {
	if p == nil {
		return nil
	}
	return number(*p)
}

// number is how a decimal goes into a cell: as a number when 15 significant
// digits hold it, else as text. Excel keeps 15 digits, and excelize reads a
// cell back to 15, so a coordinate such as 13.123456789012345 would come back
// changed; as text it comes back exactly.
func number(f float64) any {
	if g, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64); err == nil && g == f {
		return f
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// writeHelp adds the instructions sheet to an XLSX workbook: every column
// with its meaning, whether it is required, its allowed values and an
// example. A CSV file holds one table and gets none; docs/import.md has the
// same table.
func writeHelp(w tabular.Writer, l *layout) error {
	if _, ok := w.(*tabular.XLSXWriter); !ok {
		return nil
	}
	if err := w.NewSheet(HelpSheet, []string{
		"หัวคอลัมน์ (Header)", "รหัส (Key)", "ความหมาย", "Meaning", "ระดับ (Level)",
		"ต้องมี (Required)", "ค่าที่ใช้ได้ (Allowed values)", "ตัวอย่าง (Example)",
	}); err != nil {
		return err
	}
	for i := range l.cols {
		c := &l.cols[i]
		level, req := "ครัวเรือน / household", ""
		if c.member {
			level = "สมาชิก / member"
		}
		if c.required {
			req = "ต้องมี / required"
		}
		allowed := c.allowed
		if e := enumOf(c.key); e != nil {
			allowed = e.list
		}
		if err := w.Write(c.header(), c.key, c.th, c.en, level, req, allowed, c.example); err != nil {
			return err
		}
	}
	for _, note := range [][2]string{
		{"หนึ่งแถวต่อสมาชิกหนึ่งคน กรอกข้อมูลครัวเรือนซ้ำทุกแถว (หรือเว้นว่างในแถวถัดไปของครัวเรือนเดียวกัน)",
			"One row per member; repeat the household's columns on each row (or leave them blank on the household's next rows)."},
		{"ครัวเรือนระบุด้วยรหัสประจำบ้าน ถ้าไม่มีใช้รหัสหมู่บ้าน + บ้านเลขที่ การนำเข้าซ้ำจะปรับปรุงข้อมูลเดิม ไม่เพิ่มซ้ำ",
			"A household is identified by its house code, or village code + house number; importing again updates, never duplicates."},
		{"วันที่เขียนแบบ วัน/เดือน/ปี ปี ≥ 2400 ถือเป็น พ.ศ. ปีที่น้อยกว่าถือเป็น ค.ศ.",
			"Dates are day/month/year; a year ≥ 2400 is BE, a smaller one CE."},
	} {
		if err := w.Write("", "", note[0], note[1]); err != nil {
			return err
		}
	}
	return nil
}
