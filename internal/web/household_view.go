package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// householdViewData is one household's record as a page shows it: personal
// data masked unless the user asked to reveal it (and may).
type householdViewData struct {
	ID         int64
	Village    area.Area
	Crumbs     []area.Area
	Round      survey.Round
	Rec        survey.Record
	H          *survey.Household
	Revealed   bool
	CanReveal  bool
	CanEdit    bool
	Status     survey.Status
	HouseCode  string
	Phone      string
	Respondent string
	Collector  string
	GPS        string
	SurveyDate string
	Members    []memberView
	Answers    []answerView // household questions
	Outcomes   []outcomeView
	History    []historyView
	UpdatedAt  string
	Saved      string         // after a save: draft or complete
	Help       *householdHelp // the assistance log: plan_household.go
	Photos     []photoView    // household_photos.go
	MaxPhotoMB int
	MorePhotos bool // fewer than survey.MaxPhotos: another may be added
}

type memberView struct {
	No                       int
	Name, CitizenID, Birth   string
	Age                      int
	Sex, Relation, Education string
	Occupation               string
	Resident                 bool
	Flags                    []string // locale keys of the yes/no facts that hold
	Answers                  []answerView
}

type answerView struct{ Code, Label, Value string }

type outcomeView struct {
	Code, Name, Reason string
	State              string // pass, fail, na
}

type historyView struct {
	Version int
	At, By  string
	Changes []changeView
}

type changeView struct{ Field, Old, New string }

// The audit details of a reveal of a household's personal data: on the
// view page (POST reveal), by opening the edit form, which shows every
// field unmasked so that it can be changed, and by opening a submission
// waiting for review.
const (
	revealedOnViewPage = `{"shown":"names, citizen IDs, house code, phone, GPS"}`
	revealedInEditForm = `{"shown":"names, citizen IDs, house code, phone, GPS","form":"edit"}`
	// A submission's page shows its raw XML and the fix form, unmasked.
	revealedInSubmission = `{"shown":"names, citizen IDs, house code, phone, GPS","form":"submission"}`
)

func (s *Server) householdView(w http.ResponseWriter, r *http.Request) error {
	return s.showHousehold(w, r, false)
}

// householdReveal shows the same page with personal data unmasked, for the
// roles allowed to see it; the reveal is written to the audit log. It is a
// POST so that a link or a reload never reveals by accident.
func (s *Server) householdReveal(w http.ResponseWriter, r *http.Request) error {
	return s.showHousehold(w, r, true)
}

func (s *Server) showHousehold(w http.ResponseWriter, r *http.Request, reveal bool) error {
	rec, u, err := s.householdOf(r, user.ViewHouseholds)
	if err != nil {
		return err
	}
	h := rec.Household
	if reveal && !u.CanAt(user.RevealPersonal, h.VillageCode) {
		return denied()
	}
	rd, eng, err := s.roundOf(r.Context(), h.RoundID)
	if err != nil {
		return err
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	object := fmt.Sprintf("household:%d", rec.ID)
	if err := s.audit(r.Context(), u, "household.view", h.VillageCode, object, ""); err != nil {
		return err
	}
	if reveal {
		if err := s.audit(r.Context(), u, "personal.reveal", h.VillageCode, object, revealedOnViewPage); err != nil {
			return err
		}
	}
	lang := langFrom(r.Context())
	d := &householdViewData{ID: rec.ID, Round: rd, Rec: rec, H: h, Revealed: reveal,
		CanReveal: u.CanAt(user.RevealPersonal, h.VillageCode), Crumbs: s.areas.Ancestors(h.VillageCode),
		UpdatedAt: formatStamp(lang, rec.UpdatedAt), SurveyDate: formatDate(lang, h.SurveyDate)}
	d.Village, _ = s.areas.Get(h.VillageCode)
	if d.Photos, err = s.householdPhotos(r.Context(), rec, reveal); err != nil {
		return err
	}
	d.MaxPhotoMB, d.MorePhotos = activity.MaxPhotoBytes>>20, len(d.Photos) < survey.MaxPhotos
	if sv := r.URL.Query().Get("saved"); sv == "draft" || sv == "complete" || sv == "photo" || sv == "photo-deleted" {
		d.Saved = sv
	}
	if d.Status, err = hs.RoundStatus(r.Context(), rd.ID, h.VillageCode[:6]); err != nil {
		return err
	}
	d.CanEdit = u.CanAt(user.EditHouseholds, h.VillageCode) && !d.Status.Locked()
	show := func(kind, v string) string {
		if reveal || v == "" {
			return v
		}
		return maskValue(kind, v)
	}
	d.HouseCode = show("house", h.HouseCode)
	if reveal {
		d.HouseCode = thai.FormatHouseCode(h.HouseCode)
	}
	d.Phone, d.Respondent, d.Collector = show("phone", h.Phone), show("name", h.Respondent), h.Collector
	if h.Lat != nil && h.Lon != nil {
		d.GPS = "•••"
		if reveal {
			d.GPS = fmt.Sprintf("%.6f, %.6f", *h.Lat, *h.Lon)
		}
	}
	set := eng.Set()
	info := questionInfoOf(set)
	ref := rd.ReferenceDate()
	asked := set.AskedOf(h, ref)
	qs := set.Questions()
	for qi, q := range qs {
		if q.Level == survey.LevelHousehold {
			if v, ok := h.Answers[q.Code]; ok || asked(qi, -1) {
				d.Answers = append(d.Answers, answerView{q.Code, q.Label.In(lang), s.answerText(lang, info, q, v, ok)})
			}
		}
	}
	names := map[string]string{}
	for i := range h.Members {
		m := &h.Members[i]
		mv := memberView{No: m.No, Age: m.AgeAt(ref), Resident: m.Resident,
			Birth: formatDate(lang, m.BirthDate), Education: m.Education, Occupation: m.Occupation}
		if reveal {
			mv.Name = strings.TrimSpace(m.Title + m.FirstName + " " + m.LastName)
			mv.CitizenID = thai.FormatCitizenID(m.CitizenID)
		} else {
			mv.Name = strings.TrimSpace(maskName(m.FirstName) + " " + maskName(m.LastName))
			mv.CitizenID = thai.MaskCitizenID(m.CitizenID)
			if m.FirstName != "" {
				names[m.FirstName] = maskName(m.FirstName)
			}
			mv.Birth = "" // a birth date and an ID prefix together identify a person
		}
		mv.Sex = s.msgs.text(lang, "hh.sex."+string(m.Sex))
		if m.Relation != "" {
			mv.Relation = s.msgs.text(lang, "hh.rel."+string(m.Relation))
		}
		if m.Education != "" {
			mv.Education = s.msgs.text(lang, "hh.edu."+m.Education)
		}
		for _, f := range []struct {
			on  bool
			key string
		}{{m.Disabled, "hh.m.disabled"}, {m.ChronicIll, "hh.m.chronic_ill"}, {m.Bedridden, "hh.m.bedridden"},
			{m.Dependent, "hh.m.dependent"}, {m.WelfareCard, "hh.m.welfare_card"}} {
			if f.on {
				mv.Flags = append(mv.Flags, f.key)
			}
		}
		for qi, q := range qs {
			if q.Level == survey.LevelPerson {
				if v, ok := m.Answers[q.Code]; ok || asked(qi, i) {
					mv.Answers = append(mv.Answers, answerView{q.Code, q.Label.In(lang), s.answerText(lang, info, q, v, ok)})
				}
			}
		}
		d.Members = append(d.Members, mv)
	}
	// Reasons name failing members by first name: mask those too.
	var pairs []string
	for full, masked := range names {
		pairs = append(pairs, full, masked)
	}
	hide := strings.NewReplacer(pairs...)
	for i, o := range set.Explain(h, rd.SurveyYear) {
		ind := &set.Indicators[i]
		ov := outcomeView{Code: ind.Code, Name: ind.Name.In(lang), Reason: hide.Replace(o.Reason.In(lang)), State: "pass"}
		if o.Reason.TH == "ผ่าน" {
			ov.Reason = "" // the badge says it
		}
		switch {
		case !o.Applicable:
			ov.State = "na"
		case o.Passed < o.Eligible:
			ov.State = "fail"
		}
		d.Outcomes = append(d.Outcomes, ov)
	}
	st, err := s.hstore()
	if err != nil {
		return err
	}
	hist, err := st.HouseholdHistory(r.Context(), rd.ID, rec.Key)
	if err != nil {
		return err
	}
	for _, e := range hist {
		hv := historyView{Version: e.Version, At: formatStamp(lang, e.ChangedAt), By: e.ChangedBy}
		for _, c := range e.Changes {
			if strings.HasSuffix(c.Field, ".no") && strings.HasPrefix(c.Field, "members[") {
				continue // the roster number follows the row; the row's own change says it
			}
			cv := changeView{Field: s.fieldLabel(lang, set, c.Field), Old: s.changeValue(lang, info, set, c.Field, c.Old), New: s.changeValue(lang, info, set, c.Field, c.New)}
			if kind := personalField(c.Field); kind != "" && !reveal {
				cv.Old, cv.New = orDash(maskValue(kind, c.Old)), orDash(maskValue(kind, c.New))
			}
			hv.Changes = append(hv.Changes, cv)
		}
		d.History = append(d.History, hv)
	}
	if d.Help, err = s.householdHelpFor(r.Context(), rec, rd); err != nil {
		return err
	}
	title := s.msgs.text(lang, "hh.view.title", "no", h.HouseNo)
	return s.render(w, r, http.StatusOK, "household_view", title, d)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// fieldLabel names a changed field as people call it: "สมาชิกคนที่ 3 ·
// ชื่อ", "ข้อ q6 ได้รับการตรวจสุขภาพประจำปี".
func (s *Server) fieldLabel(lang string, set *indicator.Set, field string) string {
	if strings.HasPrefix(field, "roster.") || strings.HasPrefix(field, "resurvey.") { // survey.ResurveyChanges
		if t := s.msgs.text(lang, "rs.hist."+field); !strings.HasPrefix(t, "[") {
			return t
		}
	}
	prefix := ""
	if m := memberPath.FindStringSubmatch(field); m != nil {
		var i int
		fmt.Sscan(m[1], &i)
		prefix = s.msgs.text(lang, "hh.js.member", "n", i+1)
		if m[2] == "" {
			return prefix
		}
		field, prefix = m[2], prefix+" · "
	}
	if code, ok := strings.CutPrefix(field, "answers."); ok {
		if qi := set.QuestionIndex(code); qi >= 0 {
			return prefix + code + " " + set.Questions()[qi].Label.In(lang)
		}
		return prefix + code
	}
	key := "hh." + field
	if !strings.HasPrefix(field, "income.") && !strings.HasPrefix(field, "debt.") && field != "savings" && field != "house_no" &&
		field != "house_code" && field != "survey_date" && field != "respondent" && field != "collector" && field != "phone" && field != "lat" && field != "lon" {
		key = "hh.m." + field
	}
	if t := s.msgs.text(lang, key); !strings.HasPrefix(t, "[") {
		return prefix + t
	}
	return prefix + field
}

// changeValue shows one side of a change in words: yes/no, Thai dates,
// labels of codes.
func (s *Server) changeValue(lang string, info *questionInfo, set *indicator.Set, field string, v any) string {
	if v == nil {
		return "—"
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	switch x := v.(type) {
	case bool:
		if x {
			return s.msgs.text(lang, "hh.yes")
		}
		return s.msgs.text(lang, "hh.no")
	case float64:
		return thai.FormatFloat(x, 0)
	case string:
		switch {
		case last == "birth_date" || last == "survey_date":
			if t, err := time.Parse(time.RFC3339, x); err == nil {
				return formatDate(lang, t)
			}
		case last == "sex" || last == "relation" || last == "education":
			key := map[string]string{"sex": "hh.sex.", "relation": "hh.rel.", "education": "hh.edu."}[last] + x
			if t := s.msgs.text(lang, key); !strings.HasPrefix(t, "[") {
				return t
			}
		case strings.Contains(field, "answers."):
			if l, ok := info.choices[last][x]; ok {
				return l.In(lang)
			}
		}
		return x
	}
	return fmt.Sprint(v)
}

// answerText shows an answer in words.
func (s *Server) answerText(lang string, info *questionInfo, q survey.QuestionSpec, v survey.Value, ok bool) string {
	if !ok || v.Kind() == survey.ValueNone {
		return s.msgs.text(lang, "hh.answer.none")
	}
	if b, isBool := v.Bool(); isBool {
		if b {
			return s.msgs.text(lang, "hh.yes")
		}
		return s.msgs.text(lang, "hh.no")
	}
	if n, isNum := v.Number(); isNum {
		return thai.FormatFloat(n, 0)
	}
	t, _ := v.Text()
	if l, ok := info.choices[q.Code][t]; ok {
		return l.In(lang)
	}
	return t
}

// questionInfo is what the set file says about questions beyond
// survey.QuestionSpec: the labels of choices and the form's item numbers.
type questionInfo struct {
	choices map[string]map[string]apperr.Text
	order   map[string][]string // question code → choice codes in order
	ref     map[string]string
}

var questionInfos sync.Map // set ID → *questionInfo

func questionInfoOf(set *indicator.Set) *questionInfo {
	if v, ok := questionInfos.Load(set.ID); ok {
		return v.(*questionInfo)
	}
	var file struct {
		Questions []struct {
			Code    string `json:"code"`
			Ref     string `json:"ref"`
			Choices []struct {
				Code  string `json:"code"`
				Label struct {
					TH string `json:"th"`
					EN string `json:"en"`
				} `json:"label"`
			} `json:"choices"`
		} `json:"questions"`
	}
	qi := &questionInfo{choices: map[string]map[string]apperr.Text{}, order: map[string][]string{}, ref: map[string]string{}}
	if err := json.Unmarshal(set.File(), &file); err == nil {
		for _, q := range file.Questions {
			qi.ref[q.Code] = q.Ref
			for _, c := range q.Choices {
				if qi.choices[q.Code] == nil {
					qi.choices[q.Code] = map[string]apperr.Text{}
				}
				qi.choices[q.Code][c.Code] = apperr.Text{TH: c.Label.TH, EN: c.Label.EN}
				qi.order[q.Code] = append(qi.order[q.Code], c.Code)
			}
		}
	}
	questionInfos.Store(set.ID, qi)
	return qi
}
