package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// blankMemberRows is how many empty member rows the form always offers, so
// that members can be added without JavaScript.
const blankMemberRows = 2

// householdFormData is the entry and editing form. Field names follow the
// record's own paths ("income.main_occupation", "answers.q4_1") and members
// are m<row>.<field>, so validation problems land beside their fields.
type householdFormData struct {
	Round      survey.Round
	Village    area.Area
	Crumbs     []area.Area
	ID         int64 // 0 for a new household
	Action     string
	Locked     bool
	LockReason string
	Vals       url.Values
	Household  []questionField
	Members    []memberForm
	NewRow     memberForm // the row household.js copies
	Rows       int
	Errors     map[string][]string
	General    []string
	Relations  []string
	Educations []string
	From       *resurveyFrom // a re-survey: the previous round's household it starts from
}

type memberForm struct {
	Row       string // the row's index as it appears in field names, "__i__" in the copy template
	Blank     bool
	Questions []questionField
}

type questionField struct {
	Name, Code, Label, Type string
	Value                   string
	Asked                   bool
	Min, Max                string
	Choices                 []choiceOpt
}

type choiceOpt struct{ Code, Label string }

// Field returns a household field's submitted value.
func (d *householdFormData) Field(name string) string { return d.Vals.Get(name) }

// M returns member row's field value.
func (d *householdFormData) M(row, name string) string { return d.Vals.Get("m" + row + "." + name) }

// Err returns the messages for a field.
func (d *householdFormData) Err(name string) []string { return d.Errors[name] }

// Occupations is a member's main occupation as the field form offers it
// (survey.Occupations); a free-text occupation stored from an earlier form
// stays offered, as it is, so editing the household keeps it.
func (d *householdFormData) Occupations(row string, v view) []option {
	current := d.M(row, "occupation")
	opts := []option{{}}
	known := current == ""
	for _, o := range survey.Occupations {
		opts = append(opts, option{Value: o.Code, Label: o.Label.In(v.Lang), Selected: o.Code == current})
		known = known || o.Code == current
	}
	if !known {
		opts = append(opts, option{Value: current, Label: current, Selected: true})
	}
	return opts
}

// MErr returns the messages for a member's field.
func (d *householdFormData) MErr(row, name string) []string { return d.Errors["m"+row+"."+name] }

var relations = []string{"head", "spouse", "child", "child_in_law", "grandchild", "parent", "sibling", "relative", "other"}
var educations = []string{"none", "preschool", "primary", "lower_secondary", "upper_secondary", "diploma", "bachelor", "postgraduate"}

func (s *Server) householdNew(w http.ResponseWriter, r *http.Request) error {
	village := r.URL.Query().Get("village")
	if _, err := allow(r, user.EditHouseholds, village); err != nil {
		return err
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	v, err := s.areaOr404(village)
	if err != nil || v.Level != area.Village {
		return apperr.New(apperr.NotFound, apperr.T("โปรดเลือกหมู่บ้านก่อนเพิ่มครัวเรือน", "choose a village before adding a household"))
	}
	h := &survey.Household{RoundID: rd.ID, VillageCode: v.Code, SurveyDate: s.now().UTC().Truncate(24 * time.Hour), Status: survey.Draft}
	return s.renderForm(w, r, http.StatusOK, rd, eng, v, 0, h, nil)
}

func (s *Server) householdEdit(w http.ResponseWriter, r *http.Request) error {
	rec, u, err := s.householdOf(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	rd, eng, err := s.roundOf(r.Context(), rec.Household.RoundID)
	if err != nil {
		return err
	}
	v, _ := s.areas.Get(rec.Household.VillageCode)
	// The form holds every field as stored — names, citizen IDs, house
	// code, phone, GPS — so opening it is a reveal, logged as the view
	// page's reveal is, and only for those who may reveal.
	if !u.CanAt(user.RevealPersonal, v.Code) {
		return denied()
	}
	object := fmt.Sprintf("household:%d", rec.ID)
	if err := s.audit(r.Context(), u, "household.view", v.Code, object, `{"form":"edit"}`); err != nil {
		return err
	}
	if err := s.audit(r.Context(), u, "personal.reveal", v.Code, object, revealedInEditForm); err != nil {
		return err
	}
	return s.renderForm(w, r, http.StatusOK, rd, eng, v, rec.ID, rec.Household, nil)
}

func (s *Server) householdCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	village := r.PostForm.Get("village_code")
	u, err := allow(r, user.EditHouseholds, village)
	if err != nil {
		return err
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	v, err := s.areaOr404(village)
	if err != nil || v.Level != area.Village {
		return apperr.New(apperr.Invalid, apperr.T("รหัสหมู่บ้านไม่ถูกต้อง", "the village code is wrong"))
	}
	return s.saveHouseholdAs(w, r, u, rd, eng, v, nil, nil)
}

func (s *Server) householdUpdate(w http.ResponseWriter, r *http.Request) error {
	rec, u, err := s.householdOf(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	rd, eng, err := s.roundOf(r.Context(), rec.Household.RoundID)
	if err != nil {
		return err
	}
	v, _ := s.areas.Get(rec.Household.VillageCode)
	return s.saveHouseholdAs(w, r, u, rd, eng, v, &rec, nil)
}

// saveHouseholdAs validates the posted form and stores it: "save" only when
// the record is complete and valid, "save draft" when it is well-formed.
// rec is the household edited (nil for a new one); from, the previous
// round's household a re-survey starts from (household_resurvey.go).
func (s *Server) saveHouseholdAs(w http.ResponseWriter, r *http.Request, u *user.User, rd survey.Round, eng *engine.Engine, v area.Area, rec *survey.Record, from *resurveyFrom) error {
	h, rows, ps := s.parseHouseholdForm(r.PostForm, rd, eng)
	h.RoundID, h.VillageCode = rd.ID, v.Code
	var id int64
	if rec != nil { // the key cannot change: it would make another household
		id = rec.ID
		h.HouseCode, h.HouseNo = rec.Household.HouseCode, rec.Household.HouseNo
	}
	shown := rows // the member rows the form shows again if refused
	if from != nil {
		// The parse's problems name members by their place among all the
		// rows; name their form fields instead, since the leavers go.
		for i, p := range ps {
			if m := memberPath.FindStringSubmatch(p.Field); m != nil && m[2] != "" {
				if k, _ := strconv.Atoi(m[1]); k < len(shown) {
					ps[i].Field = "m" + shown[k] + "." + m[2]
				}
			}
		}
		var more apperr.Problems
		rows, more = markResurvey(h, r.PostForm, rows, from)
		ps = append(ps, more...)
	}
	if r.PostForm.Get("save") == "draft" {
		h.Status = survey.Draft
	} else {
		h.Status = survey.Complete
	}
	set := eng.Set()
	if strings.TrimSpace(h.HouseNo) == "" {
		ps = append(ps, apperr.Problem{Field: "house_no", Reason: apperr.T("ต้องระบุบ้านเลขที่", "the house number is required")})
	}
	ps = append(ps, survey.Validate(h, set, rd.ReferenceDate())...)
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	if len(ps) == 0 && rec == nil { // a new household must not overwrite one with the same key
		key := h.Key()
		err := hs.EachHousehold(r.Context(), rd.ID, v.Code, func(o survey.Record) error {
			if o.Key == key {
				ps = append(ps, apperr.Problem{Field: "house_no", Value: h.HouseNo, Reason: apperr.T(
					"มีครัวเรือนนี้ในรอบนี้แล้ว โปรดแก้ไขครัวเรือนเดิม", "this household is already in the round: edit it instead")})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(ps) == 0 {
		_, err := s.writeHouseholds(r.Context(), eng, rd.ID, []*survey.Household{h}, u.Username, nil)
		var stored apperr.Problems
		switch {
		case err == nil:
		case asProblems(err, &stored):
			ps = stored
		default:
			return err
		}
	}
	if len(ps) > 0 {
		st := &formState{vals: r.PostForm, rows: rows, shown: shown, problems: ps}
		if from != nil {
			return s.renderFormFrom(w, r, http.StatusUnprocessableEntity, rd, eng, v, h, st, from)
		}
		return s.renderForm(w, r, http.StatusUnprocessableEntity, rd, eng, v, id, h, st)
	}
	if id == 0 {
		key := h.Key()
		if err := hs.EachHousehold(r.Context(), rd.ID, v.Code, func(o survey.Record) error {
			if o.Key == key {
				id = o.ID
			}
			return nil
		}); err != nil {
			return err
		}
	}
	detail := `{"status":"` + string(h.Status) + `"}`
	if from != nil {
		detail = `{"status":"` + string(h.Status) + `","from":"` + from.Round.ID + `"}`
	}
	if err := s.audit(r.Context(), u, "household.write", v.Code, fmt.Sprintf("household:%d", id), detail); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/households/%d?saved=%s", id, h.Status), http.StatusSeeOther)
	return nil
}

// formState carries a refused submission back into the form.
type formState struct {
	vals     url.Values
	rows     []string // form row of each member kept, in order
	shown    []string // the member rows to show, when not rows (a re-survey shows those who left too)
	problems apperr.Problems
}

var memberPath = regexp.MustCompile(`^members\[(\d+)\](?:\.(.+))?$`)

func (s *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, rd survey.Round, eng *engine.Engine, v area.Area, id int64, h *survey.Household, st *formState) error {
	return s.renderFormAs(w, r, status, rd, eng, v, id, h, st, nil)
}

// renderFormFrom is the form of a re-survey started from last round's
// household.
func (s *Server) renderFormFrom(w http.ResponseWriter, r *http.Request, status int, rd survey.Round, eng *engine.Engine, v area.Area, h *survey.Household, st *formState, from *resurveyFrom) error {
	return s.renderFormAs(w, r, status, rd, eng, v, 0, h, st, from)
}

func (s *Server) renderFormAs(w http.ResponseWriter, r *http.Request, status int, rd survey.Round, eng *engine.Engine, v area.Area, id int64, h *survey.Household, st *formState, from *resurveyFrom) error {
	lang := langFrom(r.Context())
	d := &householdFormData{Round: rd, Village: v, Crumbs: s.areas.Ancestors(v.Code), ID: id, Errors: map[string][]string{},
		Relations: relations, Educations: educations, From: from}
	d.Action = "/rounds/" + url.PathEscape(rd.ID) + "/households/new"
	if id != 0 {
		d.Action = fmt.Sprintf("/households/%d/edit", id)
	}
	if from != nil {
		d.Action = fmt.Sprintf("/rounds/%s/households/from/%d", url.PathEscape(rd.ID), from.Rec.ID)
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	tst, err := hs.RoundStatus(r.Context(), rd.ID, v.Code[:6])
	if err != nil {
		return err
	}
	if tst.Locked() {
		d.Locked = true
		d.LockReason = s.msgs.text(lang, "hh.locked", "status", s.msgs.text(lang, "rev.status."+string(tst)))
		return s.render(w, r, http.StatusConflict, "household_form", s.msgs.text(lang, "hh.form.title"), d)
	}
	var rows, probRows []string
	if st != nil {
		d.Vals, rows, probRows = st.vals, st.rows, st.rows
		if st.shown != nil {
			rows = st.shown
		}
	} else {
		d.Vals = householdValues(h)
		for i := range h.Members {
			rows = append(rows, strconv.Itoa(i))
		}
	}
	set := eng.Set()
	info := questionInfoOf(set)
	asked := set.AskedOf(h, rd.ReferenceDate())
	field := func(qi int, q survey.QuestionSpec, name string, shown bool) questionField {
		f := questionField{Name: name, Code: q.Code, Label: q.Label.In(lang), Type: string(q.Type), Value: d.Vals.Get(name), Asked: shown}
		if ref := info.ref[q.Code]; ref != "" {
			f.Label = ref + " " + f.Label
		}
		if q.Min != nil {
			f.Min = strconv.FormatFloat(*q.Min, 'f', -1, 64)
		}
		if q.Max != nil {
			f.Max = strconv.FormatFloat(*q.Max, 'f', -1, 64)
		}
		for _, c := range info.order[q.Code] {
			f.Choices = append(f.Choices, choiceOpt{c, info.choices[q.Code][c].In(lang)})
		}
		return f
	}
	qs := set.Questions()
	for qi, q := range qs {
		if q.Level == survey.LevelHousehold {
			d.Household = append(d.Household, field(qi, q, "answers."+q.Code, asked(qi, -1) || d.Vals.Get("answers."+q.Code) != ""))
		}
	}
	memberRow := func(row string, i int, blank bool) memberForm {
		mf := memberForm{Row: row, Blank: blank}
		for qi, q := range qs {
			if q.Level == survey.LevelPerson {
				name := "m" + row + ".answers." + q.Code
				shown := i >= 0 && i < len(h.Members) && asked(qi, i) || d.Vals.Get(name) != ""
				mf.Questions = append(mf.Questions, field(qi, q, name, shown))
			}
		}
		return mf
	}
	next := 0
	for i, row := range rows {
		d.Members = append(d.Members, memberRow(row, i, false))
		if n, _ := strconv.Atoi(row); n >= next {
			next = n + 1
		}
	}
	for k := 0; k < blankMemberRows; k++ {
		row := strconv.Itoa(next + k)
		if d.Vals.Get("m"+row+".resident") == "" && st == nil {
			d.Vals.Set("m"+row+".resident", "1")
		}
		d.Members = append(d.Members, memberRow(row, -1, true))
	}
	d.Rows = next + blankMemberRows
	d.NewRow = memberRow("__i__", -1, true)
	if st != nil {
		for _, p := range st.problems {
			name := p.Field
			if m := memberPath.FindStringSubmatch(p.Field); m != nil {
				i, _ := strconv.Atoi(m[1])
				if i < len(probRows) && m[2] != "" {
					name = "m" + probRows[i] + "." + m[2]
				} else {
					name = ""
				}
			}
			msg := p.Reason.In(lang)
			if name == "" || name == "members" {
				d.General = append(d.General, msg)
				continue
			}
			d.Errors[name] = append(d.Errors[name], msg)
		}
	}
	title := s.msgs.text(lang, "hh.form.title")
	return s.render(w, r, status, "household_form", title, d)
}

// householdValues writes a household into form values.
func householdValues(h *survey.Household) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	money := func(k string, n int64) { v.Set(k, strconv.FormatInt(n, 10)) }
	set("house_no", h.HouseNo)
	set("house_code", h.HouseCode)
	set("respondent", h.Respondent)
	set("collector", h.Collector)
	set("phone", h.Phone)
	if h.Lat != nil && h.Lon != nil {
		v.Set("lat", strconv.FormatFloat(*h.Lat, 'f', -1, 64))
		v.Set("lon", strconv.FormatFloat(*h.Lon, 'f', -1, 64))
	}
	if !h.SurveyDate.IsZero() {
		v.Set("survey_date", thai.FormatDate(h.SurveyDate, thai.DateNumeric))
	}
	money("income.main_occupation", h.Income.MainOccupation)
	money("income.secondary_occupation", h.Income.SecondaryOccupation)
	money("income.other", h.Income.Other)
	money("income.own_produce", h.Income.OwnProduce)
	money("income.occupation_costs", h.Income.OccupationCosts)
	money("savings", h.Savings)
	money("debt.in_system", h.Debt.InSystem)
	money("debt.out_of_system", h.Debt.OutOfSystem)
	for code, a := range h.Answers {
		v.Set("answers."+code, answerValue(a))
	}
	for i := range h.Members {
		m := &h.Members[i]
		p := "m" + strconv.Itoa(i) + "."
		set(p+"title", m.Title)
		set(p+"first_name", m.FirstName)
		set(p+"last_name", m.LastName)
		set(p+"citizen_id", m.CitizenID)
		set(p+"sex", string(m.Sex))
		if !m.BirthDate.IsZero() {
			v.Set(p+"birth_date", thai.FormatDate(m.BirthDate, thai.DateNumeric))
		}
		set(p+"relation", string(m.Relation))
		set(p+"education", m.Education)
		set(p+"occupation", m.Occupation)
		for _, f := range []struct {
			k  string
			on bool
		}{{"resident", m.Resident}, {"disabled", m.Disabled}, {"chronic_ill", m.ChronicIll}, {"bedridden", m.Bedridden}, {"dependent", m.Dependent}, {"welfare_card", m.WelfareCard}} {
			if f.on {
				v.Set(p+f.k, "1")
			}
		}
		for code, a := range m.Answers {
			v.Set(p+"answers."+code, answerValue(a))
		}
	}
	return v
}

func answerValue(a survey.Value) string {
	if b, ok := a.Bool(); ok {
		if b {
			return "1"
		}
		return "0"
	}
	if n, ok := a.Number(); ok {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	t, _ := a.Text()
	return t
}

// parseHouseholdForm reads the posted form into a household. Problems name
// the form's own fields; rows says which form row each member came from.
// Member rows left blank, and rows marked for removal, are skipped; answers
// to questions that do not apply to a member (by age or situation) are
// dropped, since the form hides them.
func (s *Server) parseHouseholdForm(f url.Values, rd survey.Round, eng *engine.Engine) (*survey.Household, []string, apperr.Problems) {
	var ps apperr.Problems
	bad := func(field, value string, why apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Value: value, Reason: why})
	}
	text := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	money := func(k string) int64 {
		s := strings.ReplaceAll(thai.FromThaiDigits(text(k)), ",", "")
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			bad(k, s, apperr.T("ต้องเป็นจำนวนเต็ม (บาท)", "must be a whole number of baht"))
		}
		return n
	}
	date := func(k string) time.Time {
		s := text(k)
		if s == "" {
			return time.Time{}
		}
		t, err := thai.ParseDate(s)
		if err != nil {
			bad(k, s, apperr.MessageOf(err))
		}
		return t
	}
	h := &survey.Household{HouseNo: text("house_no"), Respondent: text("respondent"), Collector: text("collector"), Phone: text("phone")}
	if hc := text("house_code"); hc != "" {
		if n, err := thai.NormalizeHouseCode(hc); err == nil {
			h.HouseCode = n
		} else {
			bad("house_code", hc, apperr.MessageOf(err))
		}
	}
	if la, lo := text("lat"), text("lon"); la != "" || lo != "" {
		x, err1 := strconv.ParseFloat(la, 64)
		y, err2 := strconv.ParseFloat(lo, 64)
		if err1 != nil || err2 != nil {
			bad("lat", la+","+lo, apperr.T("พิกัดต้องเป็นตัวเลขทั้งละติจูดและลองจิจูด", "give both latitude and longitude as numbers"))
		} else {
			h.Lat, h.Lon = &x, &y
		}
	}
	h.SurveyDate = date("survey_date")
	h.Income = survey.Income{MainOccupation: money("income.main_occupation"), SecondaryOccupation: money("income.secondary_occupation"),
		Other: money("income.other"), OwnProduce: money("income.own_produce"), OccupationCosts: money("income.occupation_costs")}
	h.Savings = money("savings")
	h.Debt = survey.Debt{InSystem: money("debt.in_system"), OutOfSystem: money("debt.out_of_system")}
	set := eng.Set()
	qs := set.Questions()
	answer := func(name string, q survey.QuestionSpec) (survey.Value, bool) {
		s := text(name)
		if s == "" {
			return survey.Value{}, false
		}
		switch q.Type {
		case survey.TypeBool:
			return survey.Bool(s == "1"), true
		case survey.TypeNumber:
			n, err := strconv.ParseFloat(strings.ReplaceAll(thai.FromThaiDigits(s), ",", ""), 64)
			if err != nil {
				bad(name, s, apperr.T("ต้องเป็นตัวเลข", "must be a number"))
				return survey.Value{}, false
			}
			return survey.Number(n), true
		}
		return survey.Text(s), true
	}
	for _, q := range qs {
		if q.Level == survey.LevelHousehold {
			if a, ok := answer("answers."+q.Code, q); ok {
				if h.Answers == nil {
					h.Answers = survey.Answers{}
				}
				h.Answers[q.Code] = a
			}
		}
	}
	n, _ := strconv.Atoi(f.Get("rows"))
	n = min(n, 200)
	var rows []string
	for i := 0; i < n; i++ {
		row := strconv.Itoa(i)
		p := "m" + row + "."
		if f.Get(p+"remove") != "" {
			continue
		}
		m := survey.Member{Title: text(p + "title"), FirstName: text(p + "first_name"), LastName: text(p + "last_name"),
			Sex: survey.Sex(text(p + "sex")), Relation: survey.Relation(text(p + "relation")), Education: text(p + "education"),
			Occupation: text(p + "occupation"), Resident: f.Get(p+"resident") != "", Disabled: f.Get(p+"disabled") != "",
			ChronicIll: f.Get(p+"chronic_ill") != "", Bedridden: f.Get(p+"bedridden") != "", Dependent: f.Get(p+"dependent") != "",
			WelfareCard: f.Get(p+"welfare_card") != ""}
		if cid := text(p + "citizen_id"); cid != "" {
			if c, err := thai.NormalizeCitizenID(cid); err == nil {
				m.CitizenID = c
			} else {
				m.CitizenID = strings.Map(func(r rune) rune {
					if r == '-' || r == ' ' {
						return -1
					}
					return r
				}, thai.FromThaiDigits(cid))
			}
		}
		before := len(ps)
		m.BirthDate = date(p + "birth_date")
		for _, q := range qs {
			if q.Level == survey.LevelPerson {
				if a, ok := answer(p+"answers."+q.Code, q); ok {
					if m.Answers == nil {
						m.Answers = survey.Answers{}
					}
					m.Answers[q.Code] = a
				}
			}
		}
		if m.FirstName == "" && m.LastName == "" && m.CitizenID == "" && m.BirthDate.IsZero() && m.Sex == "" && m.Relation == "" && len(ps) == before {
			continue // a blank row
		}
		m.No = len(h.Members) + 1
		h.Members = append(h.Members, m)
		rows = append(rows, row)
	}
	// Problems so far name form fields; members[i] paths come from Validate.
	for i := range ps {
		ps[i].Field = formToPath(ps[i].Field, rows)
	}
	asked := set.AskedOf(h, rd.ReferenceDate())
	for qi, q := range qs {
		if q.Level == survey.LevelHousehold {
			if _, ok := h.Answers[q.Code]; ok && !asked(qi, -1) {
				delete(h.Answers, q.Code)
			}
			continue
		}
		for i := range h.Members {
			m := &h.Members[i]
			if _, ok := m.Answers[q.Code]; ok && !m.BirthDate.IsZero() && !asked(qi, i) {
				delete(m.Answers, q.Code)
			}
		}
	}
	return h, rows, ps
}

// formToPath turns "m3.birth_date" into "members[1].birth_date" when form
// row 3 is the second member kept, so that every problem has one form.
func formToPath(field string, rows []string) string {
	if !strings.HasPrefix(field, "m") {
		return field
	}
	row, rest, ok := strings.Cut(field[1:], ".")
	if !ok {
		return field
	}
	for i, r := range rows {
		if r == row {
			return fmt.Sprintf("members[%d].%s", i, rest)
		}
	}
	return field
}

func asProblems(err error, out *apperr.Problems) bool {
	ps, ok := err.(apperr.Problems)
	if ok {
		*out = ps
	}
	return ok
}

// formInput is one labelled input of the form, for the "hh-input" template.
type formInput struct {
	ID, Name, Label, Kind, Value, Hint string
	Errors                             []string
	ReadOnly                           bool
	V                                  view
}

// In describes a household field; kind is text, money, date, tel, number,
// cid or readonly.
func (d *householdFormData) In(name, key, kind string, v view) formInput {
	f := formInput{ID: "f-" + name, Name: name, Label: v.T(key), Kind: kind, Value: d.Vals.Get(name), Errors: d.Errors[name], V: v}
	if kind == "readonly" {
		f.Kind, f.ReadOnly = "text", true
	}
	if kind == "date" {
		f.Hint = v.T("hh.date.hint")
	}
	return f
}

// MIn describes a member's field in form row row.
func (d *householdFormData) MIn(row, name, key, kind string, v view) formInput {
	f := d.In("m"+row+"."+name, key, kind, v)
	f.ID = "m" + row + "-" + name
	return f
}

// formQuestion is one question of the form, for the "hh-q" template.
type formQuestion struct {
	F      questionField
	Errors []string
	V      view
}

// Q describes a question field.
func (d *householdFormData) Q(f questionField, v view) formQuestion {
	return formQuestion{F: f, Errors: d.Errors[f.Name], V: v}
}

// Checked reports whether a checkbox is ticked.
func (d *householdFormData) Checked(name string) bool { return d.Vals.Get(name) != "" }

// memberRow is one member's block of the form, for "hh-member-row".
type memberRow struct {
	M memberForm
	D *householdFormData
	V view
}

// Row describes a member block.
func (d *householdFormData) Row(m memberForm, v view) memberRow { return memberRow{M: m, D: d, V: v} }

// Flags are a member's yes/no facts, in the order of the form.
func (d *householdFormData) FlagsList() []string {
	return []string{"resident", "disabled", "chronic_ill", "bedridden", "dependent", "welfare_card"}
}

// HasErrors reports whether a member row has a problem, to open its
// questions.
func (d *householdFormData) HasErrors(row string) bool {
	p := "m" + row + ".answers."
	for k := range d.Errors {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// householdAsked answers household.js: which question fields apply to the
// form as it is filled in now (ages, relations, flags), so the page shows
// only those without a round trip of the whole form.
func (s *Server) householdAsked(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	if _, err := allow(r, user.EditHouseholds, r.PostForm.Get("village_code")); err != nil {
		return err
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	h, rows, _ := s.parseHouseholdForm(r.PostForm, rd, eng)
	set := eng.Set()
	asked := set.AskedOf(h, rd.ReferenceDate())
	out := struct {
		Asked []string `json:"asked"`
		Rows  []string `json:"rows"` // member rows whose ages are known
	}{Asked: []string{}, Rows: []string{}}
	for qi, q := range set.Questions() {
		if q.Level == survey.LevelHousehold {
			if asked(qi, -1) {
				out.Asked = append(out.Asked, "answers."+q.Code)
			}
			continue
		}
		for i, row := range rows {
			if !h.Members[i].BirthDate.IsZero() && asked(qi, i) {
				out.Asked = append(out.Asked, "m"+row+".answers."+q.Code)
			}
		}
	}
	for i, row := range rows {
		if !h.Members[i].BirthDate.IsZero() {
			out.Rows = append(out.Rows, row)
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// JSMessages are the texts household.js shows while the form is typed in,
// in the page's language.
func (d *householdFormData) JSMessages(v view) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"cid", "cidlen", "money", "date", "future", "age", "old", "number", "range", "housecode", "coord", "member"} {
		out[k] = v.T("hh.js." + k)
	}
	return out
}
