package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/programme"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// programmeRoutes registers the programmes' pages; planRoutes calls it.
func (s *Server) programmeRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /areas/{code}/programmes", page(s.programmeList))
	mux.Handle("POST /areas/{code}/programmes", page(s.audited("programme.create", s.programmeCreate)))
	mux.Handle("GET /programmes/{prog}", page(s.programmeView))
	mux.Handle("POST /programmes/{prog}/participants", page(s.audited("programme.participant", s.programmeJoin)))
	mux.Handle("POST /programmes/{prog}/steps", page(s.audited("programme.step", s.programmeStep)))
	mux.Handle("POST /programmes/{prog}/scores", page(s.audited("programme.score", s.programmeScore)))
	mux.Handle("POST /programmes/{prog}/sessions", page(s.audited("programme.session", s.programmeSession)))
	mux.Handle("POST /programmes/{prog}/rubric", page(s.audited("programme.rubric", s.programmeRubric)))
	s.programmeFileRoutes(mux)
	s.programmeProgressRoutes(mux)
}

// programmeStore is what the programme pages need from storage.
type programmeStore interface {
	CreateProgramme(ctx context.Context, p programme.Programme) (programme.Programme, error)
	Programme(ctx context.Context, id int64) (programme.Programme, error)
	Programmes(ctx context.Context, area string) ([]programme.Programme, error)
	AddParticipant(ctx context.Context, pt programme.Participant) (programme.Participant, error)
	Participants(ctx context.Context, programmeID int64) ([]programme.Participant, error)
	MarkStep(ctx context.Context, programmeID int64, d programme.StepDone) error
	Steps(ctx context.Context, programmeID int64) ([]programme.StepDone, error)
	SetScores(ctx context.Context, programmeID int64, scores []programme.Score) error
	Scores(ctx context.Context, programmeID int64) ([]programme.Score, error)
	AddSession(ctx context.Context, se programme.Session) (programme.Session, error)
	SetRubric(ctx context.Context, id int64, cs []programme.Criterion) error
	Sessions(ctx context.Context, programmeID int64) ([]programme.Session, error)
}

func (s *Server) prstore() (programmeStore, error) {
	ps, ok := s.store.(programmeStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับโครงการ", "this store does not hold programmes"))
	}
	return ps, nil
}

type programmeListData struct {
	Area       area.Area
	Crumbs     []area.Area
	Programmes []programmeRow
	Types      []programme.Type
	CanEdit    bool
	FiscalYear int
	Error      string
}

type programmeRow struct {
	programme.Programme
	TypeName apperr.Text
	AreaName string
}

func (s *Server) programmeList(w http.ResponseWriter, r *http.Request) error {
	return s.showProgrammeList(w, r, http.StatusOK, nil)
}

func (s *Server) showProgrammeList(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	a, u, ps, err := areaAllowed(s, r, user.ViewPlans, s.prstore)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d := &programmeListData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Types: programme.Types(), CanEdit: u.CanAt(user.EditPlans, a.Code),
		FiscalYear: thai.FiscalYear(s.now().In(thai.Bangkok()))}
	list, err := ps.Programmes(r.Context(), a.Code)
	if err != nil {
		return err
	}
	for _, p := range list {
		row := programmeRow{Programme: p}
		if t, err := programme.Lookup(p.Type); err == nil {
			row.TypeName = t.Name
		}
		if pa, ok := s.areas.Get(p.AreaCode); ok {
			row.AreaName = areaTitle(lang, pa)
		}
		d.Programmes = append(d.Programmes, row)
	}
	if formErr != nil {
		d.Error = apperr.MessageOf(formErr).In(lang)
	}
	return s.render(w, r, status, "programme_list", s.msgs.text(lang, "prog.list.title", "area", areaTitle(lang, a)), d)
}

func (s *Server) programmeCreate(w http.ResponseWriter, r *http.Request) error {
	a, u, ps, err := areaAllowed(s, r, user.EditPlans, s.prstore)
	if err != nil {
		return err
	}
	fy, _ := strconv.Atoi(thai.FromThaiDigits(strings.TrimSpace(r.PostFormValue("fiscal_year"))))
	phase, _ := strconv.Atoi(r.PostFormValue("phase"))
	quota, _ := strconv.Atoi(thai.FromThaiDigits(strings.TrimSpace(r.PostFormValue("quota"))))
	p, err := ps.CreateProgramme(r.Context(), programme.Programme{Type: r.PostFormValue("type"), Title: r.PostFormValue("title"), AreaCode: a.Code,
		FiscalYear: fy, Phase: phase, Quota: quota, CreatedBy: u.Username})
	if apperr.Is(err, apperr.Invalid) {
		return s.showProgrammeList(w, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d", p.ID), http.StatusSeeOther)
	return nil
}

type programmeViewData struct {
	P            programme.Programme
	T            programme.Type
	Area         area.Area
	Participants []participantRow
	Sessions     []sessionRow
	CanEdit      bool
	CanSeeHH     bool
	Households   []householdOption
	Villages     []area.Area
	Levels       []string
	Judge        string
	Summary      *gardenSummary
	Files        []fileRow
	Self         []selfRow
	MaxPhotoMB   int
	Error        string
}

// fileRow is an evidence document as listed.
type fileRow struct {
	programme.File
	Who      string
	StepName apperr.Text
	KB       string
	Date     string
}

// selfRow is a participant's self-assessment beside the committee's mean
// score, criterion by criterion.
type selfRow struct {
	ID    int64
	Name  string
	Lines []selfLine
}

type selfLine struct {
	Key             string
	Name            apperr.Text
	Weight          float64
	Self, Committee string
	Note            string
}

type participantRow struct {
	programme.Participant
	Place    string
	Values   []string // the type's fields, in order, as shown
	Steps    map[string]*stepView
	StepsN   int
	Score    string
	Judges   int
	Attended int
	Files    map[string][]programme.File // by step
	// InScope says the account may see the participant's own documents:
	// the participant's area is in the account's scope, or the whole
	// programme's is (see participantInScope).
	InScope bool
}

type stepView struct{ Date, Evidence string }

type sessionRow struct {
	programme.Session
	Date    string
	Names   []string
	Seen    []gardenSeen      // each household's garden as seen, in the participants' order
	Visible []programme.Photo // the photos the account may see (sessionPhotoVisible)
}

// gardenSeen is a household's garden as a visit saw it.
type gardenSeen struct {
	Name   string
	Garden apperr.Text
	Key    string
}

type householdOption struct {
	ID    int64
	Label string
}

// gardenSummary is a household programme's village progress.
type gardenSummary struct {
	Households, Planting int
	Kinds, Saving        float64
	Visits               int
}

func (s *Server) programmeOf(r *http.Request, a user.Action) (programme.Programme, *user.User, programmeStore, error) {
	var p programme.Programme
	u, err := signedIn(r)
	if err != nil {
		return p, nil, nil, err
	}
	if !u.Can(a) {
		return p, nil, nil, deniedPlan()
	}
	ps, err := s.prstore()
	if err != nil {
		return p, nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("prog"), 10, 64)
	if err != nil {
		return p, nil, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบโครงการนี้", "no such programme"))
	}
	if p, err = ps.Programme(r.Context(), id); err != nil {
		return p, nil, nil, err
	}
	if !u.CanAt(a, p.AreaCode) && (a != user.ViewPlans || !s.takesPart(r.Context(), ps, p.ID, u)) {
		return p, nil, nil, deniedPlan()
	}
	noteRecord(r.Context(), p.AreaCode, p)
	return p, u, ps, nil
}

// takesPart reports whether an area the user may see takes part in a
// programme run above it: a tambon team sees the province's model-tambon
// selection it was chosen in, without the right to change it.
func (s *Server) takesPart(ctx context.Context, ps programmeStore, id int64, u *user.User) bool {
	pts, err := ps.Participants(ctx, id)
	if err != nil {
		return false
	}
	for _, pt := range pts {
		if pt.AreaCode != "" && u.CanAt(user.ViewPlans, pt.AreaCode) {
			return true
		}
	}
	return false
}

// InScope lists the participants whose documents and dossier the account
// may open (participantInScope), for the page's dossier links.
func (d *programmeViewData) InScope() []participantRow {
	var out []participantRow
	for _, pt := range d.Participants {
		if pt.InScope {
			out = append(out, pt)
		}
	}
	return out
}

// participantInScope reports whether an account may open a participant's
// evidence documents, self-assessment and dossier: those follow the
// participant's area, not the programme's. Who may see the programme's own
// area sees every participant's; a tambon team that sees a programme run
// above it (takesPart) sees only the documents of participants in its scope.
func participantInScope(u *user.User, p programme.Programme, pt programme.Participant) bool {
	return u.CanAt(user.ViewPlans, p.AreaCode) || (pt.AreaCode != "" && u.CanAt(user.ViewPlans, pt.AreaCode))
}

func (s *Server) programmeView(w http.ResponseWriter, r *http.Request) error {
	return s.showProgramme(w, r, http.StatusOK, nil)
}

func (s *Server) showProgramme(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	d, err := s.programmeData(r)
	if err != nil {
		return err
	}
	// The page's forms: households to enrol, villages to choose from.
	if d.CanEdit {
		if d.T.Participant == programme.Household && d.CanSeeHH {
			if d.Households, err = s.householdOptions(r.Context(), d.P.AreaCode); err != nil {
				return err
			}
		}
		d.Villages = append(d.Villages, d.Area)
		d.Villages = append(d.Villages, s.areas.Children(d.P.AreaCode)...)
	}
	if formErr != nil {
		d.Error = apperr.MessageOf(formErr).In(langFrom(r.Context()))
	}
	return s.render(w, r, status, "programme_view", d.P.Title, d)
}

// programmeData gathers a programme's page: participants, steps, scores,
// sessions, evidence and self-assessment, as the signed-in user may see them.
func (s *Server) programmeData(r *http.Request) (*programmeViewData, error) {
	p, u, ps, err := s.programmeOf(r, user.ViewPlans)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	t, err := programme.Lookup(p.Type)
	if err != nil {
		return nil, err
	}
	d := &programmeViewData{P: p, T: t, CanEdit: u.CanAt(user.EditPlans, p.AreaCode), CanSeeHH: u.CanAt(user.ViewHouseholds, p.AreaCode),
		Levels: programme.Levels, Judge: u.DisplayName, MaxPhotoMB: activity.MaxPhotoBytes >> 20}
	d.Area, _ = s.areas.Get(p.AreaCode)
	pts, err := ps.Participants(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	steps, err := ps.Steps(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	scores, err := ps.Scores(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	sessions, err := ps.Sessions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	if t.Participant == programme.Household {
		d.Summary = &gardenSummary{Visits: len(sessions)}
	}
	for _, pt := range pts {
		row := participantRow{Participant: pt, Steps: map[string]*stepView{}, Files: map[string][]programme.File{},
			InScope: participantInScope(u, p, pt)}
		if a, ok := s.areas.Get(pt.AreaCode); ok {
			row.Place = areaTitle(lang, a)
		}
		if t.Participant == programme.Household && !d.CanSeeHH {
			row.Name = maskName(pt.Name)
		}
		names[pt.ID] = row.Name
		for _, f := range t.Fields {
			v := pt.Fields[f.Key]
			if f.Choices != nil && v != "" {
				v = s.msgs.text(lang, "prog.choice."+v)
			}
			row.Values = append(row.Values, v)
		}
		for _, st := range steps {
			if st.ParticipantID == pt.ID {
				row.Steps[st.Step] = &stepView{Date: formatDate(lang, st.Date), Evidence: st.Evidence}
				if !row.InScope {
					row.Steps[st.Step].Evidence = "" // what was shown as evidence follows the participant's area too
				}
				row.StepsN++
			}
		}
		var mine []programme.Score
		for _, sc := range scores {
			if sc.ParticipantID == pt.ID {
				mine = append(mine, sc)
			}
		}
		if len(mine) > 0 {
			total, judges := programme.Weighted(p.Criteria, mine)
			row.Score, row.Judges = thai.FormatFloat(total, 2), judges
		}
		for _, se := range sessions {
			if slices.Contains(se.Attendees, pt.ID) {
				row.Attended++
			}
		}
		if d.Summary != nil {
			d.Summary.Households++
			if v := pt.Fields["planting"]; v == "planting" || v == "harvesting" {
				d.Summary.Planting++
			}
			d.Summary.Kinds += pt.Number("kinds_count")
			d.Summary.Saving += pt.Number("saving_per_day")
		}
		d.Participants = append(d.Participants, row)
	}
	if err := s.evidenceView(ctx, lang, d, scores); err != nil {
		return nil, err
	}
	if d.Summary != nil && d.Summary.Households > 0 {
		d.Summary.Kinds /= float64(d.Summary.Households)
	}
	for _, se := range sessions {
		row := sessionRow{Session: se, Date: formatDate(lang, se.Date)}
		for _, id := range se.Attendees {
			row.Names = append(row.Names, names[id])
		}
		for _, pt := range d.Participants {
			if g := se.Gardens[pt.ID]; g != "" {
				row.Seen = append(row.Seen, gardenSeen{Name: pt.Name, Garden: t.GardenName(g), Key: g})
			}
		}
		for _, ph := range se.Photos {
			if s.sessionPhotoVisible(u, d, ph) {
				row.Visible = append(row.Visible, ph)
			}
		}
		d.Sessions = append(d.Sessions, row)
	}
	return d, nil
}

// householdOptions lists the households of the newest household round in an
// area, masked, for household programmes.
func (s *Server) householdOptions(ctx context.Context, code string) ([]householdOption, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var rd survey.Round
	for _, x := range rounds {
		if !x.AggregateOnly && x.SurveyYear >= rd.SurveyYear {
			rd = x
		}
	}
	if rd.ID == "" {
		return nil, nil
	}
	var out []householdOption
	err = s.store.EachHousehold(ctx, rd.ID, code, func(rec survey.Record) error {
		label := rec.Household.HouseNo
		if v, ok := s.areas.Get(rec.Household.VillageCode); ok {
			label = fmt.Sprintf("%d · %s", v.Moo, label)
		}
		if hd := headOf(rec.Household); hd != nil {
			label += " · " + maskName(hd.FirstName)
		}
		out = append(out, householdOption{ID: rec.ID, Label: label})
		return nil
	})
	return out, err
}

func (s *Server) programmeJoin(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	t, _ := programme.Lookup(p.Type)
	pt := programme.Participant{ProgrammeID: p.ID, Name: r.PostFormValue("name"), AreaCode: r.PostFormValue("area"), Level: r.PostFormValue("level"),
		Status: r.PostFormValue("status"), ActionPlan: r.PostFormValue("action_plan"), Fields: map[string]string{}}
	for _, f := range t.Fields {
		if v := r.PostFormValue("f_" + f.Key); v != "" {
			pt.Fields[f.Key] = thai.FromThaiDigits(v)
		}
	}
	if t.Participant == programme.Household {
		if !u.CanAt(user.ViewHouseholds, p.AreaCode) {
			return deniedPlan()
		}
		pt.HouseholdID, _ = strconv.ParseInt(r.PostFormValue("household"), 10, 64)
	}
	if _, err := ps.AddParticipant(r.Context(), pt); apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#participants", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) programmeStep(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(r.PostFormValue("participant"), 10, 64)
	day, err := thai.ParseDate(strings.TrimSpace(r.PostFormValue("date")))
	if err != nil {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	}
	err = ps.MarkStep(r.Context(), p.ID, programme.StepDone{ParticipantID: pid, Step: r.PostFormValue("step"), Date: day, Evidence: r.PostFormValue("evidence"), By: u.Username})
	if apperr.Is(err, apperr.Invalid) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#steps", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) programmeScore(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(r.PostFormValue("participant"), 10, 64)
	judge := strings.TrimSpace(r.PostFormValue("judge"))
	var scores []programme.Score
	for _, c := range p.Criteria {
		v := strings.TrimSpace(thai.FromThaiDigits(r.PostFormValue("c_" + c.Key)))
		if v == "" {
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s.showProgramme(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.Text{
				TH: fmt.Sprintf("คะแนนเกณฑ์ %s: %q ไม่ใช่ตัวเลข", c.Name.TH, v), EN: fmt.Sprintf("score for %s: %q is not a number", c.Name.EN, v)}))
		}
		scores = append(scores, programme.Score{ParticipantID: pid, Criterion: c.Key, Judge: judge, Score: n})
	}
	if err := ps.SetScores(r.Context(), p.ID, scores); apperr.Is(err, apperr.Invalid) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#participants", p.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) programmeSession(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	day, err := thai.ParseDate(strings.TrimSpace(r.PostFormValue("date")))
	if err != nil {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	}
	se := programme.Session{ProgrammeID: p.ID, Title: r.PostFormValue("title"), Date: day, Place: r.PostFormValue("place"),
		Observations: r.PostFormValue("observations"), Gardens: map[int64]string{}}
	for _, v := range r.PostForm["attendee"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		se.Attendees = append(se.Attendees, id)
	}
	// Each household's garden comes as garden_<participant>; the store
	// checks the participant is the programme's.
	for k, v := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "garden_"); ok && len(v) > 0 && v[0] != "" {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return s.showProgramme(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.T("แบบฟอร์มสภาพแปลงผักไม่ถูกต้อง", "the garden form is not valid")))
			}
			se.Gardens[n] = v[0]
		}
	}
	if _, err := ps.AddSession(r.Context(), se); apperr.Is(err, apperr.Invalid) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#sessions", p.ID), http.StatusSeeOther)
	return nil
}

// programmeRubric replaces the programme's criteria and weights: one row
// per criterion (key_i, th_i, en_i, weight_i); a row with an empty name is
// dropped, a new row gets a key from its position.
func (s *Server) programmeRubric(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	var cs []programme.Criterion
	for i := 0; i < len(p.Criteria)+1; i++ {
		n := strconv.Itoa(i)
		th := strings.TrimSpace(r.PostFormValue("th_" + n))
		if th == "" {
			continue
		}
		v := strings.TrimSpace(thai.FromThaiDigits(r.PostFormValue("weight_" + n)))
		wt, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s.showProgramme(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.Text{
				TH: fmt.Sprintf("น้ำหนักของเกณฑ์ %s: %q ไม่ใช่ตัวเลข", th, v), EN: fmt.Sprintf("the weight of %s: %q is not a number", th, v)}))
		}
		key := r.PostFormValue("key_" + n)
		if key == "" {
			key = "c" + n
		}
		en := strings.TrimSpace(r.PostFormValue("en_" + n))
		if en == "" {
			en = th
		}
		cs = append(cs, programme.Criterion{Key: key, Name: apperr.Text{TH: th, EN: en}, Weight: wt})
	}
	if err := ps.SetRubric(r.Context(), p.ID, cs); apperr.Is(err, apperr.Invalid) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#rubric", p.ID), http.StatusSeeOther)
	return nil
}
