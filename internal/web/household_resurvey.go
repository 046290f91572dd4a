package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// "Start from last round" (เริ่มจากข้อมูลรอบที่แล้ว): an official opens a
// household of the previous round that this round does not have yet (the
// "not re-surveyed" list), and the entry form opens filled with last
// round's record: every answer and the whole roster. Each member of that
// roster is still here, moved out or died; new members are added below.
// Saving writes this round's household under last round's key (house code,
// else village and house number, which the form does not let change), so
// the two rounds are linked by the key and never by a retyped ID; who left
// and who joined go into the household's history (survey.Resurvey).

// resurveyFrom is the record a re-survey starts from.
type resurveyFrom struct {
	Round survey.Round  // the previous round
	Rec   survey.Record // the household in it
}

// resurveyOf loads the round of the URL and the previous round's household
// {id}, and checks that the account may enter households in its village
// and see the personal data the form shows.
func (s *Server) resurveyOf(r *http.Request) (survey.Round, *engine.Engine, *resurveyFrom, area.Area, *user.User, error) {
	var v area.Area
	rec, u, err := s.householdOf(r, user.EditHouseholds)
	if err != nil {
		return survey.Round{}, nil, nil, v, nil, err
	}
	// The form shows last round's names and IDs unmasked, as the edit form
	// does: only for those who may reveal them.
	if !u.CanAt(user.RevealPersonal, rec.Household.VillageCode) {
		return survey.Round{}, nil, nil, v, nil, denied()
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return rd, nil, nil, v, nil, err
	}
	ls, err := s.lstore()
	if err != nil {
		return rd, nil, nil, v, nil, err
	}
	prev, err := ls.PreviousHouseholdRound(r.Context(), rd)
	if err != nil || rec.Household.RoundID != prev.ID {
		return rd, nil, nil, v, nil, apperr.New(apperr.NotFound, apperr.Tf(
			"ครัวเรือนนี้ไม่อยู่ในรอบก่อนหน้ารอบ %s", "this household is not in the round before %s", rd.ID))
	}
	v, ok := s.areas.Get(rec.Household.VillageCode)
	if !ok {
		return rd, nil, nil, v, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบหมู่บ้านของครัวเรือนนี้", "the household's village is not in the area register"))
	}
	return rd, eng, &resurveyFrom{Round: prev, Rec: rec}, v, u, nil
}

// enteredAlready returns the id of this round's household with the key of
// last round's, or 0.
func (s *Server) enteredAlready(r *http.Request, round string, from *resurveyFrom) (int64, error) {
	hs, err := s.hstore()
	if err != nil {
		return 0, err
	}
	key := from.Rec.Household.Key()
	var id int64
	err = hs.EachHousehold(r.Context(), round, from.Rec.Household.VillageCode, func(o survey.Record) error {
		if o.Key == key {
			id = o.ID
		}
		return nil
	})
	return id, err
}

func (s *Server) householdResurvey(w http.ResponseWriter, r *http.Request) error {
	rd, eng, from, v, u, err := s.resurveyOf(r)
	if err != nil {
		return err
	}
	if id, err := s.enteredAlready(r, rd.ID, from); err != nil {
		return err
	} else if id != 0 { // entered meanwhile: open it
		http.Redirect(w, r, fmt.Sprintf("/households/%d", id), http.StatusSeeOther)
		return nil
	}
	object := fmt.Sprintf("household:%d", from.Rec.ID)
	if err := s.audit(r.Context(), u, "household.view", v.Code, object, `{"form":"resurvey"}`); err != nil {
		return err
	}
	if err := s.audit(r.Context(), u, "personal.reveal", v.Code, object, revealedInResurveyForm); err != nil {
		return err
	}
	h := *from.Rec.Household
	h.RoundID, h.Status = rd.ID, survey.Draft
	h.Collector = "" // this round's collector types their own name
	h.SurveyDate = s.now().UTC().Truncate(24 * 60 * 60 * 1e9)
	vals := householdValues(&h)
	for i := range h.Members {
		vals.Set("m"+strconv.Itoa(i)+".carried", "1")
	}
	rows := make([]string, len(h.Members))
	for i := range rows {
		rows[i] = strconv.Itoa(i)
	}
	return s.renderFormFrom(w, r, http.StatusOK, rd, eng, v, &h, &formState{vals: vals, rows: rows}, from)
}

// revealedInResurveyForm is the audit detail of opening the form that
// starts from last round's record, which shows it unmasked.
const revealedInResurveyForm = `{"shown":"names, citizen IDs, house code, phone, GPS","form":"resurvey"}`

func (s *Server) householdResurveySave(w http.ResponseWriter, r *http.Request) error {
	rd, eng, from, v, u, err := s.resurveyOf(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	return s.saveHouseholdAs(w, r, u, rd, eng, v, nil, from)
}

// markResurvey applies the re-survey's rows to a parsed household: the key
// stays last round's, members carried from last round's roster may have
// left (m<row>.left), the others joined. It takes the leavers out of the
// roster (survey.Household.TakeLeavers) and returns the form rows of the
// members kept, in order, for the problems.
func markResurvey(h *survey.Household, f url.Values, rows []string, from *resurveyFrom) ([]string, apperr.Problems) {
	h.HouseCode, h.HouseNo = from.Rec.Household.HouseCode, from.Rec.Household.HouseNo
	var kept []string
	var ps apperr.Problems
	for i, row := range rows {
		m := &h.Members[i]
		if f.Get("m"+row+".carried") == "" {
			m.Joined = true
		} else {
			// Carried rows are numbered as last round's roster: the same
			// person there, whose changes the history lists.
			if k, err := strconv.Atoi(row); err == nil && k < len(from.Rec.Household.Members) {
				m.Prev = from.Rec.Household.Members[k].No
			}
			switch l := survey.Leaving(f.Get("m" + row + ".left")); l {
			case "", survey.MovedOut, survey.Died:
				m.Left = l
			default:
				ps = append(ps, apperr.Problem{Field: "m" + row + ".left", Value: string(l), Reason: apperr.T(
					"เลือก ยังอยู่ ย้ายออก หรือ เสียชีวิต", "choose still here, moved out or died")})
			}
		}
		if m.Left == "" {
			kept = append(kept, row)
		}
	}
	h.TakeLeavers() // every reason is known by now
	if h.Resurvey == nil {
		h.Resurvey = &survey.Resurvey{}
	}
	h.Resurvey.From, h.Resurvey.Before = from.Round.ID, from.Rec.Household
	return kept, ps
}
