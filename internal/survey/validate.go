package survey

import (
	"fmt"
	"time"

	"tambon/internal/apperr"
)

// maxAge is the oldest age accepted before a birth date is taken for a typo.
const maxAge = 120

// Validate checks h against the questions of the set s (nil to skip answer
// checks), counting ages at ref, the round's reference date. It returns nil
// when h is fine. Every household is refused malformed values (bad codes and
// IDs, impossible dates and answers, negative money); a Complete household is
// also refused missing ones (no resident, no single head, unanswered questions).
func Validate(h *Household, s Schema, ref time.Time) apperr.Problems {
	v := validator{h: h, s: s, ref: ref, complete: h.Status == Complete}
	v.household()
	v.texts()
	v.members()
	if s != nil {
		v.asked = s.AskedOf(h, ref)
		v.answers()
	}
	if len(v.ps) == 0 {
		return nil
	}
	return v.ps
}

type validator struct {
	h        *Household
	s        Schema
	ref      time.Time
	complete bool
	asked    func(q, member int) bool // from s.AskedOf
	ps       apperr.Problems
	// Members whose birth date is wrong: who is asked what depends on age,
	// so their answers are not checked against eligibility, which would only
	// repeat the birth-date problem in other words.
	badAge map[int]bool
	// noResident: a household nobody lives in has no questions to complete.
	noResident bool
}

func (v *validator) add(field, value string, reason apperr.Text) {
	v.ps = append(v.ps, apperr.Problem{Field: clip(field), Value: clip(value), Reason: reason})
}

func (v *validator) household() {
	h := v.h
	if h.Status != Draft && h.Status != Complete {
		v.add("status", string(h.Status), apperr.T("สถานะต้องเป็น draft หรือ complete", "status must be draft or complete"))
	}
	if !allDigits(h.VillageCode, 8) {
		v.add("village_code", h.VillageCode, apperr.T("รหัสหมู่บ้านต้องเป็นตัวเลข 8 หลัก", "the village code must be 8 digits"))
	}
	if h.HouseCode != "" && !allDigits(h.HouseCode, 11) {
		v.add("house_code", h.HouseCode, apperr.T("รหัสประจำบ้านต้องเป็นตัวเลข 11 หลัก", "the house code must be 11 digits"))
	}
	if (h.Lat == nil) != (h.Lon == nil) {
		v.add("lat", "", apperr.T("ต้องระบุพิกัดทั้งละติจูดและลองจิจูด", "give both latitude and longitude, or neither"))
	}
	if h.Lat != nil && (*h.Lat < -90 || *h.Lat > 90) {
		v.add("lat", fmt.Sprint(*h.Lat), apperr.T("ละติจูดต้องอยู่ระหว่าง -90 ถึง 90", "latitude must be between -90 and 90"))
	}
	if h.Lon != nil && (*h.Lon < -180 || *h.Lon > 180) {
		v.add("lon", fmt.Sprint(*h.Lon), apperr.T("ลองจิจูดต้องอยู่ระหว่าง -180 ถึง 180", "longitude must be between -180 and 180"))
	}
	money := []struct {
		field string
		n     int64
	}{
		{"income.main_occupation", h.Income.MainOccupation},
		{"income.secondary_occupation", h.Income.SecondaryOccupation},
		{"income.other", h.Income.Other},
		{"income.own_produce", h.Income.OwnProduce},
		{"income.occupation_costs", h.Income.OccupationCosts},
		{"savings", h.Savings},
		{"debt.in_system", h.Debt.InSystem},
		{"debt.out_of_system", h.Debt.OutOfSystem},
	}
	for _, m := range money {
		if m.n < 0 {
			v.add(m.field, fmt.Sprint(m.n), apperr.T("จำนวนเงินต้องไม่ติดลบ", "an amount of money cannot be negative"))
		}
	}
	if v.complete && h.SurveyDate.IsZero() {
		v.add("survey_date", "", apperr.T("ต้องระบุวันที่สำรวจ", "the survey date is required"))
	}
}

func (v *validator) members() {
	h := v.h
	seen := make(map[string]int, len(h.Members))
	residents, heads := 0, 0
	for i := range h.Members {
		m := &h.Members[i]
		f := func(name string) string { return fmt.Sprintf("members[%d].%s", i, name) }
		if m.Resident {
			residents++
			if m.Relation == RelHead {
				heads++
			}
		}
		switch {
		case m.CitizenID == "":
			if v.complete {
				v.add(f("citizen_id"), "", apperr.T("ต้องระบุเลขประจำตัวประชาชน", "the citizen ID is required"))
			}
		case !ValidCitizenID(m.CitizenID):
			v.add(f("citizen_id"), m.CitizenID, apperr.T(
				"เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลักและหลักสุดท้ายต้องตรงกับเลขตรวจสอบ",
				"the citizen ID must be 13 digits with a correct check digit"))
		default:
			if j, dup := seen[m.CitizenID]; dup {
				v.add(f("citizen_id"), m.CitizenID, apperr.Tf(
					"เลขประจำตัวประชาชนซ้ำกับสมาชิกลำดับที่ %d", "the citizen ID repeats that of members[%d]", j))
			} else {
				seen[m.CitizenID] = i
			}
		}
		if m.Sex != "" && m.Sex != Male && m.Sex != Female {
			v.add(f("sex"), string(m.Sex), apperr.T("เพศต้องเป็น m หรือ f", "sex must be m or f"))
		} else if m.Sex == "" && v.complete {
			v.add(f("sex"), "", apperr.T("ต้องระบุเพศ", "sex is required"))
		}
		if v.complete && m.FirstName == "" {
			v.add(f("first_name"), "", apperr.T("ต้องระบุชื่อ", "the first name is required"))
		}
		if m.Education != "" {
			if _, ok := EducationRank(m.Education); !ok {
				v.add(f("education"), m.Education, apperr.T("ไม่รู้จักรหัสระดับการศึกษานี้", "unknown education level code"))
			}
		}
		if !v.birthDate(f("birth_date"), m) {
			if v.badAge == nil {
				v.badAge = map[int]bool{}
			}
			v.badAge[i] = true
		}
	}
	v.noResident = residents == 0
	if !v.complete {
		return
	}
	if residents == 0 {
		v.add("members", "", apperr.T("ครัวเรือนต้องมีสมาชิกที่อาศัยอยู่จริงอย่างน้อย 1 คน",
			"a household needs at least one member actually living there"))
	}
	if residents > 0 && heads != 1 {
		v.add("members", fmt.Sprint(heads), apperr.Tf(
			"ต้องมีหัวหน้าครัวเรือน 1 คนพอดี (พบ %d คน)", "there must be exactly one head of household (found %d)", heads))
	}
}

// birthDate checks m's birth date and reports whether it is usable for ages.
func (v *validator) birthDate(field string, m *Member) bool {
	if m.BirthDate.IsZero() {
		if v.complete {
			v.add(field, "", apperr.T("ต้องระบุวันเกิด", "the birth date is required"))
		}
		return false
	}
	at := v.h.SurveyDate
	if at.IsZero() {
		at = v.ref
	}
	if m.BirthDate.After(at) {
		v.add(field, m.BirthDate.Format(time.DateOnly), apperr.T("วันเกิดอยู่หลังวันที่สำรวจ", "the birth date is after the survey date"))
		return false
	}
	if completedYears(m.BirthDate, at) > maxAge {
		v.add(field, m.BirthDate.Format(time.DateOnly), apperr.Tf(
			"อายุเกิน %d ปี", "the age is over %d years", maxAge))
		return false
	}
	return true
}
