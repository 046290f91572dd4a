package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/programme"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// A participant's own page: its values and the form that changes them,
// the history of every change, a nomination's stages as a timeline with
// the form that moves it, and the sessions that saw it with their photos.

// programmeProgressRoutes registers the participant page and the forms
// that change what follows enrolment; programmeRoutes calls it.
func (s *Server) programmeProgressRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /programmes/{prog}/participants/{pt}", page(s.participantView))
	mux.Handle("POST /programmes/{prog}/changes", page(s.audited("programme.participant.edit", s.participantEdit)))
	mux.Handle("POST /programmes/{prog}/stages", page(s.audited("programme.stage", s.participantStage)))
	mux.Handle("POST /programmes/{prog}/sessions/{se}/photos", page(s.audited("programme.photo", s.sessionPhotoUpload)))
	mux.Handle("GET /programmes/{prog}/photos/{ph}", page(s.sessionPhotoServe))
}

// progressStore is what those pages need from storage.
type progressStore interface {
	UpdateParticipant(ctx context.Context, programmeID int64, pt programme.Participant, by, note string) ([]programme.Change, error)
	ParticipantChanges(ctx context.Context, programmeID int64) ([]programme.Change, error)
	MoveStage(ctx context.Context, programmeID int64, m programme.StageMove, mayReverse bool) (programme.StageMove, error)
	StageMoves(ctx context.Context, programmeID int64) ([]programme.StageMove, error)
	AddSessionPhoto(ctx context.Context, programmeID int64, ph programme.Photo) (programme.Photo, error)
	SessionPhoto(ctx context.Context, programmeID, id int64, thumb bool) (programme.Photo, []byte, error)
}

func (s *Server) progstore() (progressStore, error) {
	ps, ok := s.store.(progressStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับการติดตามโครงการ", "this store does not follow programmes after enrolment"))
	}
	return ps, nil
}

type participantPageData struct {
	P       programme.Programme
	T       programme.Type
	Area    area.Area
	Pt      participantRow
	Fields  []fieldValue
	CanEdit bool
	Levels  []string
	History []changeRow
	Stages  []stageRow // the timeline, oldest first; empty without stages
	Next    []string   // stages it may move on to
	Back    []string   // earlier stages an administrator may move it back to
	IsAdmin bool
	Visits  []visitRow
	Today   string // ISO, the date pickers' latest day
	Error   string
}

// fieldValue is one of the type's fields with the participant's value.
type fieldValue struct {
	programme.Field
	Value, Shown string
}

type changeRow struct {
	When, Who, What, Old, New, Note string
}

type stageRow struct {
	Stage, Date, Who, Reason string
	Back, Current            bool
}

// visitRow is a session as seen from one participant.
type visitRow struct {
	sessionRow
	Attended bool
	Garden   apperr.Text
	Mine     []programme.Photo // photos of this participant
}

func (s *Server) participantView(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("pt"), 10, 64)
	if err != nil {
		return errNoParticipant
	}
	return s.showParticipant(w, r, id, http.StatusOK, nil)
}

var errNoParticipant = apperr.New(apperr.NotFound, apperr.T("ไม่พบผู้เข้าร่วมนี้ในโครงการ", "no such participant in this programme"))

// showParticipant renders a participant's page, with formErr when a form
// was refused. A participant that is not the programme's, or whose area
// the account may not see, is not found; a refused form naming one shows
// the programme's page with the refusal instead.
func (s *Server) showParticipant(w http.ResponseWriter, r *http.Request, id int64, status int, formErr error) error {
	d, err := s.programmeData(r)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(d.Participants, func(p participantRow) bool { return p.ID == id })
	if i < 0 || !d.Participants[i].InScope {
		if formErr != nil {
			return s.showProgramme(w, r, status, formErr)
		}
		return errNoParticipant
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	u, _ := signedIn(r)
	pg := &participantPageData{P: d.P, T: d.T, Area: d.Area, Pt: d.Participants[i], CanEdit: d.CanEdit, Levels: programme.Levels,
		IsAdmin: u.Role == user.Admin, Today: s.now().In(thai.Bangkok()).Format("2006-01-02")}
	pt := pg.Pt
	for _, f := range d.T.Fields {
		v := pt.Fields[f.Key]
		pg.Fields = append(pg.Fields, fieldValue{Field: f, Value: v, Shown: s.shownValue(lang, d.T, f.Key, v)})
	}
	st, err := s.progstore()
	if err != nil {
		return err
	}
	changes, err := st.ParticipantChanges(ctx, d.P.ID)
	if err != nil {
		return err
	}
	// Newest edit first; the values of one edit in the page's order.
	mine := slices.DeleteFunc(changes, func(c programme.Change) bool { return c.ParticipantID != id })
	slices.SortStableFunc(mine, func(a, b programme.Change) int { return b.At.Compare(a.At) })
	who := map[string]string{} // username → the account's name, looked up once
	name := func(username string) string {
		if _, ok := who[username]; !ok {
			who[username] = s.displayName(ctx, username)
		}
		return who[username]
	}
	for _, c := range mine {
		pg.History = append(pg.History, changeRow{When: formatStamp(lang, c.At), Who: name(c.By), What: s.fieldName(lang, d.T, c.Field),
			Old: s.shownValue(lang, d.T, c.Field, c.Old), New: s.shownValue(lang, d.T, c.Field, c.New), Note: c.Note})
	}
	if d.T.Stages != nil {
		moves, err := st.StageMoves(ctx, d.P.ID)
		if err != nil {
			return err
		}
		pg.Stages = append(pg.Stages, stageRow{Stage: d.T.Statuses[0]})
		for _, m := range moves {
			if m.ParticipantID == id {
				pg.Stages = append(pg.Stages, stageRow{Stage: m.To, Date: formatDate(lang, m.Date), Who: name(m.By), Reason: m.Reason, Back: m.Back})
			}
		}
		if last := pg.Stages[len(pg.Stages)-1].Stage; last != pt.Status {
			// Enrolled at a later stage than the first: the timeline starts there.
			pg.Stages[0].Stage = pt.Status
		}
		pg.Stages[len(pg.Stages)-1].Current = true
		pg.Next = d.T.Next(pt.Status)
		for _, stage := range d.T.Statuses {
			if stage == pt.Status {
				break
			}
			pg.Back = append(pg.Back, stage)
		}
	}
	for _, se := range d.Sessions {
		v := visitRow{sessionRow: se, Attended: slices.Contains(se.Attendees, id)}
		if g := se.Gardens[id]; g != "" {
			v.Garden = d.T.GardenName(g)
		}
		for _, ph := range se.Visible { // a household's photos only for those who may see households
			if ph.ParticipantID == id {
				v.Mine = append(v.Mine, ph)
			}
		}
		if v.Attended || v.Garden.TH != "" || len(v.Mine) > 0 {
			pg.Visits = append(pg.Visits, v)
		}
	}
	if formErr != nil {
		pg.Error = apperr.MessageOf(formErr).In(lang)
	}
	return s.render(w, r, status, "programme_participant", pt.Name+" · "+d.P.Title, pg)
}

// fieldName names a participant's value as the history shows it.
func (s *Server) fieldName(lang string, t programme.Type, field string) string {
	switch field {
	case "status":
		return s.msgs.text(lang, "plan.assist.status")
	case "level":
		return s.msgs.text(lang, "prog.level")
	case "action_plan":
		return s.msgs.text(lang, "prog.action_plan")
	}
	for _, f := range t.Fields {
		if f.Key == field {
			return f.Name.In(lang)
		}
	}
	return field
}

// shownValue is a value as the page shows it: a status, level or choice by
// its name.
func (s *Server) shownValue(lang string, t programme.Type, field, v string) string {
	if v == "" {
		return ""
	}
	switch field {
	case "status":
		return s.msgs.text(lang, "prog.status."+v)
	case "level":
		return s.msgs.text(lang, "prog.level."+v)
	}
	for _, f := range t.Fields {
		if f.Key == field && f.Choices != nil {
			return s.msgs.text(lang, "prog.choice."+v)
		}
	}
	return v
}

// participantForm reads the participant named by the form's "participant".
func participantForm(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PostFormValue("participant"), 10, 64)
	return id
}

// participantEdit changes a participant's values; each change is kept
// with the note (store.UpdateParticipant) and the post is audited.
func (s *Server) participantEdit(w http.ResponseWriter, r *http.Request) error {
	p, u, _, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	st, err := s.progstore()
	if err != nil {
		return err
	}
	t, err := programme.Lookup(p.Type)
	if err != nil {
		return err
	}
	id := participantForm(r)
	pt := programme.Participant{ID: id, Status: r.PostFormValue("status"), Level: r.PostFormValue("level"), ActionPlan: r.PostFormValue("action_plan"),
		Fields: map[string]string{}}
	for _, f := range t.Fields {
		if _, ok := r.PostForm["f_"+f.Key]; ok {
			pt.Fields[f.Key] = thai.FromThaiDigits(r.PostFormValue("f_" + f.Key))
		}
	}
	if _, err := st.UpdateParticipant(r.Context(), p.ID, pt, u.Username, r.PostFormValue("note")); apperr.Is(err, apperr.Invalid) {
		return s.showParticipant(w, r, id, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d/participants/%d#history", p.ID, id), http.StatusSeeOther)
	return nil
}

// participantStage moves a nominee to another stage: forward for those who
// may edit the programme, back only for an administrator with a reason.
func (s *Server) participantStage(w http.ResponseWriter, r *http.Request) error {
	p, u, _, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	st, err := s.progstore()
	if err != nil {
		return err
	}
	id := participantForm(r)
	day, err := thai.ParseDate(strings.TrimSpace(r.PostFormValue("date")))
	if err != nil {
		return s.showParticipant(w, r, id, http.StatusUnprocessableEntity, err)
	}
	m := programme.StageMove{ParticipantID: id, To: r.PostFormValue("stage"), Date: day, Reason: r.PostFormValue("reason"), By: u.Username}
	if _, err := st.MoveStage(r.Context(), p.ID, m, u.Role == user.Admin); apperr.Is(err, apperr.Invalid) {
		return s.showParticipant(w, r, id, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d/participants/%d#stages", p.ID, id), http.StatusSeeOther)
	return nil
}
