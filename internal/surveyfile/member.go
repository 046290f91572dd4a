package surveyfile

import (
	"tambon/internal/apperr"
	"tambon/internal/survey"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// MaxMembers is the most members a household of a file may have: member
// numbers run from 1 to 999.
const MaxMembers = 999

// member parses the member columns of row and adds the member to hh. A row
// whose member columns are all blank is a household without members.
func (rd *reader) member(row tabular.Row, hh *household) {
	empty := true
	for _, c := range rd.memCols {
		if row.At(c.at) != "" {
			empty = false
			break
		}
	}
	if empty {
		return
	}
	m := survey.Member{Resident: true}
	fail := func(key string, reason *apperr.Text) {
		rd.problem(hh, cellProblem(row, key, *reason))
	}
	for i, c := range rd.memCols {
		s := row.At(c.at)
		if s == "" {
			continue
		}
		if c.kind == kindAnswer {
			v, why := parseAnswer(c.q, s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			if m.Answers == nil {
				m.Answers = make(survey.Answers, answerCells(row, rd.memCols[i:]))
			}
			m.Answers[c.key] = v
			continue
		}
		switch c.kind {
		case kindBool:
			b, why := parseBool(s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			*flagField(&m, c.key) = b
			continue
		case kindEnum:
			v, why := parseEnum(enumOf(c.key), s)
			if why != nil {
				fail(c.key, why)
				continue
			}
			switch c.key {
			case "sex":
				m.Sex = survey.Sex(v)
			case "relation":
				m.Relation = survey.Relation(v)
			case "education":
				m.Education = v
			}
			continue
		}
		switch c.key {
		case "member_no":
			n, why := parseWhole(s)
			if why == nil && (n < 1 || n > 999) {
				why = ptr(apperr.T("ลำดับสมาชิกต้องอยู่ระหว่าง 1 ถึง 999", "the member number must be 1 to 999"))
			}
			if why != nil {
				fail(c.key, why)
				continue
			}
			m.No = int(n)
		case "title":
			m.Title = s
		case "first_name":
			m.FirstName = s
		case "last_name":
			m.LastName = s
		case "citizen_id":
			id, err := thai.NormalizeCitizenID(s)
			if err != nil {
				fail(c.key, ptr(apperr.MessageOf(err)))
				id = s
			} else {
				rd.citizenID(row, hh, id)
			}
			m.CitizenID = id
		case "birth_date":
			d, why := rd.date(row, c, s)
			if why != nil {
				fail(c.key, why)
			}
			m.BirthDate = d.Time
		case "occupation":
			if code, ok := occupations.read[fold(s)]; ok {
				s = code
			}
			m.Occupation = s
		}
	}
	h := hh.h
	if len(h.Members) >= MaxMembers {
		// Member numbers stop at 999: more rows are a broken file, not a
		// household, and are not kept (a file of a million rows of one
		// household would otherwise be held whole).
		if !hh.tooMany {
			hh.tooMany = true
			fail("member_no", ptr(apperr.Tf(
				"ครัวเรือนนี้มีสมาชิกเกิน %[1]d คน (ตั้งแต่แถวนี้ไป ไม่ได้อ่าน) — ตรวจรหัสหมู่บ้านและบ้านเลขที่ของแถวต่าง ๆ",
				"this household has more than %[1]d members (rows from here on were not read); check the village codes and house numbers of the rows",
				MaxMembers)))
		}
		hh.bad = true
		return
	}
	if m.No == 0 {
		m.No = len(h.Members) + 1
	}
	for i := range h.Members {
		if h.Members[i].No == m.No {
			fail("member_no", ptr(apperr.Tf(
				"ลำดับสมาชิก %[1]d ซ้ำกับแถวที่ %[2]d ของครัวเรือนเดียวกัน",
				"member number %[1]d repeats row %[2]d of the same household", m.No, hh.memberRows[i])))
			break
		}
	}
	h.Members = append(h.Members, m)
	hh.memberRows = append(hh.memberRows, row.Num)
}

func flagField(m *survey.Member, key string) *bool {
	switch key {
	case "resident":
		return &m.Resident
	case "disabled":
		return &m.Disabled
	case "chronic_ill":
		return &m.ChronicIll
	case "bedridden":
		return &m.Bedridden
	case "dependent":
		return &m.Dependent
	}
	return &m.WelfareCard
}

// citizenID records where id was seen and reports a citizen ID that another
// household of the file already has, on both rows. Repeats within one
// household are left to survey.Validate.
func (rd *reader) citizenID(row tabular.Row, hh *household, id string) {
	if rd.plan != nil {
		// The first pass found the IDs shared between households.
		for _, reason := range rd.plan.dups[row.Num] {
			rd.problem(hh, cellProblem(row, "citizen_id", reason))
		}
		return
	}
	first, seen := rd.ids[id]
	if !seen {
		rd.ids[id] = idRef{row: row.Num, hh: hh}
		return
	}
	if first.hh == hh {
		return
	}
	p := cellProblem(row, "citizen_id", apperr.Tf(
		"เลขประจำตัวประชาชนซ้ำกับแถวที่ %[1]d (ครัวเรือน %[2]s) — คนหนึ่งคนต้องอยู่ในครัวเรือนเดียวในรอบการสำรวจ",
		"the citizen ID repeats row %[1]d (household %[2]s); a person belongs to one household in a round",
		first.row, first.hh.h.Key()))
	rd.problem(hh, p)
	q := p
	q.Row = first.row
	q.Reason = apperr.Tf(
		"เลขประจำตัวประชาชนซ้ำกับแถวที่ %[1]d (ครัวเรือน %[2]s) — คนหนึ่งคนต้องอยู่ในครัวเรือนเดียวในรอบการสำรวจ",
		"the citizen ID repeats row %[1]d (household %[2]s); a person belongs to one household in a round",
		row.Num, hh.h.Key())
	rd.problem(first.hh, q)
}
