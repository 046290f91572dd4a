package xform

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"tambon/internal/survey"
)

// Encode writes h as an instance of f, as a client would submit it: the
// inverse of Parse. Benchmarks, tests and tools that replay households into
// the OpenRosa endpoint use it.
func Encode(f *Form, schema survey.Schema, h *survey.Household, instanceID, deprecatedID string) []byte {
	return EncodeResurvey(f, schema, h, nil, instanceID, deprecatedID)
}

// EncodeResurvey is Encode for a household of last round's list: rs names
// it, links each member to last round's roster (rs.Links, in h's member
// order) and lists the members who left, as the form sends them.
func EncodeResurvey(f *Form, schema survey.Schema, h *survey.Household, rs *Resurvey, instanceID, deprecatedID string) []byte {
	var b bytes.Buffer
	el := func(name, value string) {
		if value == "" {
			b.WriteString("<" + name + "/>")
			return
		}
		b.WriteString("<" + name + ">")
		xml.EscapeText(&b, []byte(value))
		b.WriteString("</" + name + ">")
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	money := func(n int64) string { return strconv.FormatInt(n, 10) }
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" id="`)
	xml.EscapeText(&b, []byte(f.ID))
	b.WriteString(`" version="`)
	xml.EscapeText(&b, []byte(f.Version))
	b.WriteString(`">`)
	el("village", h.VillageCode)
	prevCount, newMembers := 0, len(h.Members)
	if rs != nil {
		el("prev_household", rs.PrevKey)
		el("visit", rs.Visit)
		prevCount = len(rs.Departed)
		for _, no := range rs.Links {
			if no > 0 {
				prevCount++
				newMembers--
			}
		}
	} else {
		el("prev_household", "")
		el("visit", "")
	}
	el("known_house", "")
	el("house_no", h.HouseNo)
	el("house_code", h.HouseCode)
	loc := ""
	if h.Lat != nil && h.Lon != nil {
		loc = strconv.FormatFloat(*h.Lat, 'f', -1, 64) + " " + strconv.FormatFloat(*h.Lon, 'f', -1, 64) + " 0 0"
	}
	el("location", loc)
	el("survey_date", date(h.SurveyDate))
	el("respondent", h.Respondent)
	el("phone", h.Phone)
	el("prev_count", strconv.Itoa(prevCount))
	el("prev_first", "")
	el("new_members", strconv.Itoa(newMembers))
	el("member_count", strconv.Itoa(prevCount+newMembers))
	for i := range h.Members {
		m := &h.Members[i]
		b.WriteString("<members>")
		if rs != nil && i < len(rs.Links) && rs.Links[i] > 0 {
			el("prev_no", strconv.Itoa(rs.Links[i]))
			el("presence", PresenceHere)
		} else {
			el("prev_no", "")
			el("presence", "")
		}
		el("title", m.Title)
		el("first_name", m.FirstName)
		el("last_name", m.LastName)
		el("citizen_id", m.CitizenID)
		el("sex", string(m.Sex))
		el("birth_date", date(m.BirthDate))
		el("age", "")
		el("relation", string(m.Relation))
		el("education", m.Education)
		el("occupation", m.Occupation)
		el("resident", boolCode(m.Resident))
		var flags []string
		for _, f := range []struct {
			on   bool
			code string
		}{{m.Disabled, "disabled"}, {m.ChronicIll, "chronic_ill"}, {m.Bedridden, "bedridden"}, {m.Dependent, "dependent"}, {m.WelfareCard, "welfare_card"}} {
			if f.on {
				flags = append(flags, f.code)
			}
		}
		el("flags", strings.Join(flags, " "))
		writeAnswers(&b, el, schema, survey.LevelPerson, m.Answers)
		b.WriteString("</members>")
	}
	if rs != nil {
		for _, d := range rs.Departed {
			b.WriteString("<members>")
			el("prev_no", strconv.Itoa(d.PrevNo))
			el("presence", d.Presence)
			b.WriteString("</members>")
		}
	}
	el("income_main", money(h.Income.MainOccupation))
	el("income_secondary", money(h.Income.SecondaryOccupation))
	el("income_other", money(h.Income.Other))
	el("income_own_produce", money(h.Income.OwnProduce))
	el("income_costs", money(h.Income.OccupationCosts))
	el("savings", money(h.Savings))
	el("debt_in_system", money(h.Debt.InSystem))
	el("debt_out_of_system", money(h.Debt.OutOfSystem))
	writeAnswers(&b, el, schema, survey.LevelHousehold, h.Answers)
	el("status", string(h.Status))
	b.WriteString("<meta>")
	el("instanceID", instanceID)
	el("instanceName", h.VillageCode+" "+h.HouseNo)
	el("deprecatedID", deprecatedID)
	b.WriteString("</meta></data>\n")
	return b.Bytes()
}

func boolCode(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

func writeAnswers(b *bytes.Buffer, el func(name, value string), schema survey.Schema, level survey.Level, a survey.Answers) {
	for _, q := range schema.Questions() {
		if q.Level != level {
			continue
		}
		v, ok := a[q.Code]
		s := ""
		if ok {
			switch v.Kind() {
			case survey.ValueBool:
				x, _ := v.Bool()
				s = boolCode(x)
			case survey.ValueNumber:
				x, _ := v.Number()
				s = strconv.FormatFloat(x, 'f', -1, 64)
			case survey.ValueText:
				s, _ = v.Text()
			}
		}
		el(q.Code, s)
	}
}
