package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// activityFormData is the entry form of an activity. Lists are typed one
// item a line, as minutes are written; attendees and follow-ups separate
// their parts with "|".
type activityFormData struct {
	ID          int64
	Values      activityValues
	Kinds       []activity.Kind
	Measures    []string
	Partners    []partner.Partner
	Problems    []problemLine
	AreaOptions []areaOption
}

type activityValues struct {
	Kind, TitleTH, TitleEN, Date, Time, EndTime, AreaCode, Venue, Organiser, Summary string
	Attendees, Agenda, Resolutions, FollowUps, SafetyNote                            string
	PartnerIDs                                                                       map[int64]bool
	Safety                                                                           map[string]bool
}

type areaOption struct {
	Code, Name string
}

// problemLine is a refused field, located and explained in the page's language.
type problemLine struct {
	Where  string
	Value  string
	Reason string
}

func (s *Server) problemLines(err error, lang string) []problemLine {
	var ps apperr.Problems
	if !errors.As(err, &ps) {
		return []problemLine{{Reason: apperr.MessageOf(err).In(lang)}}
	}
	var out []problemLine
	for _, p := range ps {
		where := s.msgs.text(lang, "act.f."+p.Field)
		if strings.HasPrefix(where, "[") {
			where = p.Field
		}
		if p.Row > 0 {
			where += " " + s.msgs.text(lang, "act.line", "n", p.Row)
		}
		out = append(out, problemLine{Where: where, Value: p.Value, Reason: p.Reason.In(lang)})
	}
	return out
}

func (s *Server) activityForm(w http.ResponseWriter, r *http.Request, status int, u *user.User, d activityFormData) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d.Kinds, d.Measures = activity.Kinds, activity.SafetyMeasures
	d.Partners, _ = s.activityPartners(r, st, u, d.Values.AreaCode, 200)
	// The areas offered: the user's own and its children down to villages
	// of a tambon (a typed code is accepted too).
	if a, ok := s.areas.Get(u.AreaCode); ok {
		d.AreaOptions = append(d.AreaOptions, areaOption{a.Code, s.areaTitle(a.Code, lang)})
		if len(a.Code) == 6 {
			for _, c := range s.areas.Children(a.Code) {
				d.AreaOptions = append(d.AreaOptions, areaOption{c.Code, s.areaTitle(c.Code, lang)})
			}
		}
	}
	title := s.msgs.text(lang, "act.new")
	if d.ID != 0 {
		title = s.msgs.text(lang, "act.edit")
	}
	return s.render(w, r, status, "activity_form", title, d)
}

func (s *Server) activityNew(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if _, err := mayPlan(r, user.EditPlans, u.AreaCode); err != nil {
		return err
	}
	v := activityValues{Kind: string(activity.Meeting), AreaCode: u.AreaCode}
	if a := r.URL.Query().Get("area"); a != "" {
		v.AreaCode = a
	}
	return s.activityForm(w, r, http.StatusOK, u, activityFormData{Values: v})
}

func (s *Server) activityEdit(w http.ResponseWriter, r *http.Request) error {
	a, _, u, err := s.activityOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	return s.activityForm(w, r, http.StatusOK, u, activityFormData{ID: a.ID, Values: valuesOf(a)})
}

// valuesOf writes an activity into the form's fields, dates in พ.ศ.
func valuesOf(a activity.Activity) activityValues {
	start := a.Start.In(thai.Bangkok())
	v := activityValues{Kind: string(a.Kind), TitleTH: a.TitleTH, TitleEN: a.TitleEN, Date: thai.FormatDate(start, thai.DateNumeric),
		Time: start.Format("15:04"), AreaCode: a.AreaCode, Venue: a.Venue, Summary: a.Summary, SafetyNote: a.SafetyNote,
		Agenda: strings.Join(a.Agenda, "\n"), Resolutions: strings.Join(a.Resolutions, "\n"),
		PartnerIDs: map[int64]bool{}, Safety: map[string]bool{}}
	if !a.End.IsZero() {
		v.EndTime = a.End.In(thai.Bangkok()).Format("15:04")
	}
	if a.OrganiserID != 0 {
		v.Organiser = strconv.FormatInt(a.OrganiserID, 10)
	}
	for _, id := range a.PartnerIDs {
		v.PartnerIDs[id] = true
	}
	for _, m := range a.Safety {
		v.Safety[m] = true
	}
	var at, fu []string
	for _, x := range a.Attendees {
		at = append(at, strings.TrimSuffix(x.Name+" | "+x.Role, " | "))
	}
	for _, f := range a.FollowUps {
		fu = append(fu, f.Action+" | "+f.Owner+" | "+thai.FormatDate(f.Due, thai.DateNumeric)+" | "+string(f.Status))
	}
	v.Attendees, v.FollowUps = strings.Join(at, "\n"), strings.Join(fu, "\n")
	return v
}

// parseActivity reads the form into values (to show again) and an
// activity, with every problem located.
func (s *Server) parseActivity(r *http.Request, partners []partner.Partner) (activityValues, activity.Activity, apperr.Problems) {
	f := r.PostForm
	v := activityValues{Kind: f.Get("kind"), TitleTH: f.Get("title_th"), TitleEN: f.Get("title_en"), Date: f.Get("date"),
		Time: f.Get("time"), EndTime: f.Get("end_time"), AreaCode: strings.TrimSpace(f.Get("area_code")), Venue: f.Get("venue"),
		Organiser: f.Get("organiser_id"), Summary: f.Get("summary"), Attendees: f.Get("attendees"), Agenda: f.Get("agenda"),
		Resolutions: f.Get("resolutions"), FollowUps: f.Get("followups"), SafetyNote: f.Get("safety_note"),
		PartnerIDs: map[int64]bool{}, Safety: map[string]bool{}}
	a := activity.Activity{Kind: activity.Kind(v.Kind), TitleTH: v.TitleTH, TitleEN: v.TitleEN, AreaCode: v.AreaCode, Venue: v.Venue,
		Summary: v.Summary, SafetyNote: v.SafetyNote, Agenda: lines(v.Agenda), Resolutions: lines(v.Resolutions)}
	var ps apperr.Problems
	bad := func(field string, row int, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Row: row, Value: value, Reason: reason})
	}
	byName := map[string]int64{}
	for _, p := range partners {
		byName[p.NameTH] = p.ID
	}
	if strings.TrimSpace(v.Date) != "" {
		d, err := thai.ParseDate(v.Date)
		if err != nil {
			bad("date", 0, v.Date, apperr.MessageOf(err))
		} else {
			a.Start = clock(d, v.Time, "time", bad)
			if strings.TrimSpace(v.EndTime) != "" {
				a.End = clock(d, v.EndTime, "end_time", bad)
			}
		}
	}
	if v.Organiser != "" {
		id, err := strconv.ParseInt(v.Organiser, 10, 64)
		if err != nil {
			bad("organiser_id", 0, v.Organiser, apperr.T("ไม่ใช่หมายเลขภาคี", "not a partner number"))
		}
		a.OrganiserID = id
	}
	for _, x := range f["partner"] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			bad("partners", 0, x, apperr.T("ไม่ใช่หมายเลขภาคี", "not a partner number"))
			continue
		}
		v.PartnerIDs[id] = true
		a.PartnerIDs = append(a.PartnerIDs, id)
	}
	for _, m := range f["safety"] {
		v.Safety[m] = true
		a.Safety = append(a.Safety, m)
	}
	for _, l := range lines(v.Attendees) {
		name, role, _ := strings.Cut(l, "|")
		name = strings.TrimSpace(name)
		a.Attendees = append(a.Attendees, activity.Attendee{PartnerID: byName[name], Name: name, Role: strings.TrimSpace(role)})
	}
	for i, l := range lines(v.FollowUps) {
		parts := strings.Split(l, "|")
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		fu := activity.FollowUp{Action: strings.TrimSpace(parts[0]), Owner: strings.TrimSpace(parts[1]), Status: activity.FollowUpStatus(strings.TrimSpace(parts[3]))}
		fu.OwnerID = byName[fu.Owner]
		if due := strings.TrimSpace(parts[2]); due == "" {
			bad("followups", i+1, l, apperr.T("ไม่มีวันกำหนดเสร็จ (เขียนแบบ งาน | ผู้รับผิดชอบ | วันที่ | สถานะ)",
				"no due date (write: action | owner | date | status)"))
		} else if d, err := thai.ParseDate(due); err != nil {
			bad("followups", i+1, due, apperr.MessageOf(err))
		} else {
			fu.Due = d
		}
		if fu.Status != "" && !fu.Status.Valid() {
			bad("followups", i+1, string(fu.Status), apperr.T("สถานะใช้ได้: open, in_progress, done, cancelled", "the status is one of: open, in_progress, done, cancelled"))
		}
		a.FollowUps = append(a.FollowUps, fu)
	}
	return v, a, ps
}

// clock sets a time of day (HH:MM, Thai time) on a date.
func clock(d time.Time, hhmm, field string, bad func(string, int, string, apperr.Text)) time.Time {
	hhmm = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(hhmm), "น."))
	hhmm = strings.ReplaceAll(hhmm, ".", ":")
	h, m := 0, 0
	if hhmm != "" {
		t, err := time.Parse("15:04", hhmm)
		if err != nil {
			bad(field, 0, hhmm, apperr.T("เวลาต้องเขียนแบบ ชั่วโมง:นาที เช่น 15:00", "the time must be written hours:minutes, e.g. 15:00"))
		}
		h, m = t.Hour(), t.Minute()
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, thai.Bangkok())
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// saveActivity is the POST of the new and the edit form.
func (s *Server) saveActivity(w http.ResponseWriter, r *http.Request, u *user.User, id int64) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	lang := langFrom(r.Context())
	partners, err := s.activityPartners(r, st, u, strings.TrimSpace(r.PostForm.Get("area_code")), 500)
	if err != nil {
		return err
	}
	v, a, ps := s.parseActivity(r, partners)
	a.ID = id
	if a.AreaCode != "" && strings.Trim(a.AreaCode, "0123456789") == "" && !u.CanAt(user.EditPlans, a.AreaCode) {
		ps = append(ps, apperr.Problem{Field: "area_code", Value: a.AreaCode, Reason: apperr.T(
			"พื้นที่นี้อยู่นอกพื้นที่ที่บัญชีของท่านดูแล", "this area lies outside the area your account looks after")})
	}
	// Partner numbers in the form name partners of the account's area only.
	foreign, err := s.foreignPartners(r.Context(), u, "organiser_id", a.OrganiserID)
	if err != nil {
		return err
	}
	more, err := s.foreignPartners(r.Context(), u, "partners", a.PartnerIDs...)
	if err != nil {
		return err
	}
	ps = append(append(ps, foreign...), more...)
	if len(ps) == 0 {
		var saved activity.Activity
		if id == 0 {
			saved, err = st.CreateActivity(r.Context(), a, u.Username)
		} else {
			saved, err = st.UpdateActivity(r.Context(), a, u.Username)
		}
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/activities/%d?saved=1", saved.ID), http.StatusSeeOther)
			return nil
		}
		if !errors.As(err, &ps) && apperr.CodeOf(err) != apperr.Invalid {
			return err
		}
		d := activityFormData{ID: id, Values: v, Problems: s.problemLines(err, lang)}
		return s.activityForm(w, r, http.StatusBadRequest, u, d)
	}
	return s.activityForm(w, r, http.StatusBadRequest, u, activityFormData{ID: id, Values: v, Problems: s.problemLines(ps, lang)})
}

// activityPartners lists the partners an activity's form offers and matches
// attendees against: those working in the activity's tambon (also for an
// activity in one village) when the account looks after it, otherwise in
// the account's own area — and in any case only partners that work in the
// account's area (partner.WorksIn), the same rule the save applies.
func (s *Server) activityPartners(r *http.Request, st activityStore, u *user.User, areaCode string, limit int) ([]partner.Partner, error) {
	serves := areaCode
	if serves == "" || strings.Trim(serves, "0123456789") != "" || !u.Covers(serves) {
		serves = u.AreaCode
	}
	if len(serves) > 6 {
		serves = serves[:6]
	}
	list, err := st.Partners(r.Context(), partner.Filter{Serves: serves, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, p := range list {
		if p.WorksIn(u.AreaCode) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Server) activityCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditPlans) {
		_, err := mayPlan(r, user.EditPlans, u.AreaCode)
		return err
	}
	return s.saveActivity(w, r, u, 0)
}

func (s *Server) activityUpdate(w http.ResponseWriter, r *http.Request) error {
	a, _, u, err := s.activityOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	return s.saveActivity(w, r, u, a.ID)
}

// activityPhotoUpload takes one photo (multipart "photo", with "caption"),
// shrinks it and stores it.
func (s *Server) activityPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	a, st, u, err := s.activityOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.Invalid, apperr.Tf("รูปใหญ่เกิน %d MB: โปรดย่อรูปก่อนส่ง", "the photo is larger than %d MB: shrink it before sending", activity.MaxPhotoBytes>>20))
		}
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached"))
	}
	file, hdr, err := r.FormFile("photo")
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, activity.MaxPhotoBytes+1))
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านรูปที่ส่งมาไม่ได้", "cannot read the photo sent"))
	}
	if len(data) > activity.MaxPhotoBytes {
		data = data[:activity.MaxPhotoBytes+1] // ShrinkPhoto refuses it by size, naming the file
	}
	sh, err := activity.ShrinkPhoto(hdr.Filename, data)
	if err != nil {
		return err
	}
	if _, err := st.AddPhoto(r.Context(), a.ID, r.FormValue("caption"), sh, u.Username); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/activities/%d?saved=photo#photos", a.ID), http.StatusSeeOther)
	return nil
}

// activityPublish makes the activity a public news post.
func (s *Server) activityPublish(w http.ResponseWriter, r *http.Request) error {
	a, st, u, err := s.activityOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	title := r.FormValue("title_th")
	if strings.TrimSpace(title) == "" {
		title = a.TitleTH
	}
	n, err := st.PublishNews(r.Context(), activity.News{ActivityID: a.ID, TitleTH: title, TitleEN: or(r.FormValue("title_en"), a.TitleEN),
		BodyTH: r.FormValue("body_th"), BodyEN: r.FormValue("body_en"), PublishedBy: u.Username})
	if err != nil {
		return err
	}
	st.AuditEvent(r.Context(), u.Username, "publish_news", a.AreaCode, fmt.Sprintf("news:%d", n.ID), a.TitleTH)
	http.Redirect(w, r, fmt.Sprintf("/news/%d", n.ID), http.StatusSeeOther)
	return nil
}

func or(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// followUpStatus moves one follow-up action, from the activity's page.
func (s *Server) followUpStatus(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.FormValue("activity"), 10, 64)
	if err != nil {
		return apperr.New(apperr.Invalid, apperr.T("ไม่ได้ระบุกิจกรรม", "the activity is missing"))
	}
	a, err := st.Activity(r.Context(), aid)
	if err != nil {
		return err
	}
	if !u.CanAt(user.EditPlans, a.AreaCode) {
		_, err := mayPlan(r, user.EditPlans, a.AreaCode)
		return err
	}
	found := false
	for _, f := range a.FollowUps {
		found = found || f.ID == id
	}
	if !found {
		return apperr.New(apperr.NotFound, apperr.Tf("กิจกรรมนี้ไม่มีงานติดตามหมายเลข %d", "this activity has no follow-up number %d", id))
	}
	if _, err := st.SetFollowUpStatus(r.Context(), id, activity.FollowUpStatus(r.FormValue("status"))); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/activities/%d?saved=followup#followups", a.ID), http.StatusSeeOther)
	return nil
}
