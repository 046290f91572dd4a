package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// activityFormData is the entry form of an activity. Nothing in it asks
// for programmer syntax: follow-ups and attendees are rows of their own
// inputs, dates come from the browser's date picker (typed dates in พ.ศ.
// are read too), statuses are chosen, partners are picked from a list and
// the area is found by its name.
type activityFormData struct {
	ID       int64
	Values   activityValues
	Kinds    []activity.Kind
	Measures []string
	Statuses []activity.FollowUpStatus
	Orgs     []partner.Partner // agencies the account may name
	People   []partner.Partner // people the account may name
	Within   string            // the area picker's bound: the account's area
	formErrors
}

type activityValues struct {
	Kind, TitleTH, TitleEN, Date, DateShown, Time, EndTime, Venue, Organiser, Summary string
	AreaCode, AreaText                                                                string // the hidden code and the name shown
	Agenda, Resolutions, SafetyNote                                                   string
	PartnerIDs                                                                        map[int64]bool      // agencies that took part
	PeopleIDs                                                                         map[int64]bool      // people (partners) who attended
	picked                                                                            []activity.Attendee // the people as recorded, for one no longer offered
	Guests                                                                            []guestInput        // other attendees, one a row
	FollowUps                                                                         []followUpInput
	Safety                                                                            map[string]bool
}

// followUpInput is one follow-up's inputs. N numbers the row in the page
// (its inputs are followups-N-action, …); ID is the stored follow-up's.
type followUpInput struct {
	N                         int
	ID, Action, Owner, Status string
	Due                       string // as the date input takes it (YYYY-MM-DD) or as typed
	DueShown                  string // the date in พ.ศ., beside the picker
}

// guestInput is an attendee who is not a partner: a name and a role.
type guestInput struct {
	N          int
	Name, Role string
}

// Empty rows offered for new follow-ups and attendees: enough to fill
// without a script (the script adds more).
const (
	spareFollowUps = 2
	spareGuests    = 3
)

func (s *Server) activityForm(w http.ResponseWriter, r *http.Request, status int, u *user.User, d activityFormData) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d.Kinds, d.Measures, d.Statuses, d.Within = activity.Kinds, activity.SafetyMeasures, activity.Statuses, u.AreaCode
	partners, _ := s.activityPartners(r, st, u, d.Values.AreaCode, 200)
	for _, p := range partners {
		if p.Kind.IsPerson() {
			d.People = append(d.People, p)
		} else {
			d.Orgs = append(d.Orgs, p)
		}
	}
	v := &d.Values
	// A person recorded before who is no longer offered (moved away from
	// the account's area) stays, as an attendee written by name.
	offered := map[int64]bool{}
	for _, p := range d.People {
		offered[p.ID] = true
	}
	for _, x := range v.picked {
		if !offered[x.PartnerID] && v.PeopleIDs[x.PartnerID] {
			delete(v.PeopleIDs, x.PartnerID)
			v.Guests = append(v.Guests, guestInput{Name: x.Name})
		}
	}
	if v.AreaText == "" {
		v.AreaText = s.areaLabel(v.AreaCode, lang)
	}
	v.Date, v.DateShown = dateInput(v.Date, lang)
	for i := range v.FollowUps {
		v.FollowUps[i].N = i + 1
		v.FollowUps[i].Due, v.FollowUps[i].DueShown = dateInput(v.FollowUps[i].Due, lang)
	}
	for range spareFollowUps {
		v.FollowUps = append(v.FollowUps, followUpInput{N: len(v.FollowUps) + 1, Status: string(activity.Open)})
	}
	for i := range v.Guests {
		v.Guests[i].N = i + 1
	}
	for range spareGuests {
		v.Guests = append(v.Guests, guestInput{N: len(v.Guests) + 1})
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

// isoDate is a date as the browser's date input takes it.
const isoDate = "2006-01-02"

// dateInput is what a date input shows again: a date the server can read
// as YYYY-MM-DD (what the picker needs) with its พ.ศ. text, else the text
// as typed.
func dateInput(typed, lang string) (value, shown string) {
	d, err := thai.ParseDate(typed)
	if err != nil {
		return strings.TrimSpace(typed), ""
	}
	return d.Format(isoDate), shownDate(d, lang)
}

func shownDate(d time.Time, lang string) string {
	if lang == "en" {
		return thai.FormatDate(d, thai.DateEnglish)
	}
	return thai.FormatDate(d, thai.DateShort)
}

// valuesOf writes an activity into the form's fields.
func valuesOf(a activity.Activity) activityValues {
	start := a.Start.In(thai.Bangkok())
	v := activityValues{Kind: string(a.Kind), TitleTH: a.TitleTH, TitleEN: a.TitleEN, Date: start.Format(isoDate),
		Time: start.Format("15:04"), AreaCode: a.AreaCode, Venue: a.Venue, Summary: a.Summary, SafetyNote: a.SafetyNote,
		Agenda: strings.Join(a.Agenda, "\n"), Resolutions: strings.Join(a.Resolutions, "\n"),
		PartnerIDs: map[int64]bool{}, PeopleIDs: map[int64]bool{}, Safety: map[string]bool{}}
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
	for _, x := range a.Attendees {
		if x.PartnerID != 0 && x.Role == "" {
			v.PeopleIDs[x.PartnerID] = true
			v.picked = append(v.picked, x)
			continue
		}
		v.Guests = append(v.Guests, guestInput{Name: x.Name, Role: x.Role})
	}
	for _, f := range a.FollowUps {
		v.FollowUps = append(v.FollowUps, followUpInput{ID: strconv.FormatInt(f.ID, 10), Action: f.Action, Owner: f.Owner,
			Due: f.Due.Format(isoDate), Status: string(f.Status)})
	}
	return v
}

// rowNumbers are the row numbers N of the inputs prefix-N-… posted, in order.
func rowNumbers(f url.Values, prefix string) []int {
	seen := map[int]bool{}
	var out []int
	for k := range f {
		rest, ok := strings.CutPrefix(k, prefix+"-")
		if !ok {
			continue
		}
		num, _, ok := strings.Cut(rest, "-")
		n, err := strconv.Atoi(num)
		if !ok || err != nil || n < 1 || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// followUpStatusOf reads a status as the form or a person may write it: the
// code, or its Thai or English label ("ยังไม่เริ่ม", "Not started").
func (s *Server) followUpStatusOf(text string) (activity.FollowUpStatus, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return activity.Open, true
	}
	for _, st := range activity.Statuses {
		key := "act.status." + string(st)
		if strings.EqualFold(text, string(st)) || text == s.msgs.text("th", key) || strings.EqualFold(text, s.msgs.text("en", key)) {
			return st, true
		}
	}
	return "", false
}

// parseActivity reads the form into values (to show again) and an
// activity, with every problem located. Rows are numbered again from 1 as
// they are shown back, and problems name those numbers.
func (s *Server) parseActivity(r *http.Request, u *user.User, partners []partner.Partner) (activityValues, activity.Activity, apperr.Problems) {
	f := r.PostForm
	lang := langFrom(r.Context())
	v := activityValues{Kind: f.Get("kind"), TitleTH: f.Get("title_th"), TitleEN: f.Get("title_en"), Date: f.Get("date"),
		Time: f.Get("time"), EndTime: f.Get("end_time"), AreaCode: strings.TrimSpace(f.Get("area_code")), AreaText: f.Get("area"),
		Venue: f.Get("venue"), Organiser: f.Get("organiser_id"), Summary: f.Get("summary"), Agenda: f.Get("agenda"),
		Resolutions: f.Get("resolutions"), SafetyNote: f.Get("safety_note"),
		PartnerIDs: map[int64]bool{}, PeopleIDs: map[int64]bool{}, Safety: map[string]bool{}}
	a := activity.Activity{Kind: activity.Kind(v.Kind), TitleTH: v.TitleTH, TitleEN: v.TitleEN, Venue: v.Venue,
		Summary: v.Summary, SafetyNote: v.SafetyNote, Agenda: lines(v.Agenda), Resolutions: lines(v.Resolutions)}
	var ps apperr.Problems
	bad := func(field string, row int, value string, reason apperr.Text) {
		p := apperr.Problem{Field: field, Value: value, Reason: reason}
		if row > 0 {
			p.Field, p.Column, _ = strings.Cut(field, ".")
			p.Row = row
		}
		ps = append(ps, p)
	}
	code, p := s.pickArea("area", v.AreaText, v.AreaCode, u.AreaCode)
	if p != nil {
		ps = append(ps, *p)
	} else {
		v.AreaCode = code
		if code != "" && strings.TrimSpace(v.AreaText) != "" {
			v.AreaText = s.areaLabel(code, lang)
		}
	}
	a.AreaCode = v.AreaCode
	byName := map[string]int64{}
	names := map[int64]string{}
	for _, p := range partners {
		byName[p.NameTH] = p.ID
		names[p.ID] = p.NameTH
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
	// People picked from the partners, then the other attendees' rows.
	for _, x := range f["attendee_id"] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			bad("attendees", 0, x, apperr.T("ไม่ใช่หมายเลขภาคี", "not a partner number"))
			continue
		}
		v.PeopleIDs[id] = true
		a.Attendees = append(a.Attendees, activity.Attendee{PartnerID: id, Name: names[id]})
	}
	for _, n := range rowNumbers(f, "guests") {
		g := guestInput{Name: strings.TrimSpace(f.Get(fmt.Sprintf("guests-%d-name", n))), Role: strings.TrimSpace(f.Get(fmt.Sprintf("guests-%d-role", n)))}
		if g.Name == "" && g.Role == "" {
			continue
		}
		v.Guests = append(v.Guests, g)
		if g.Name == "" {
			bad("guests.name", len(v.Guests), "", apperr.T("ต้องระบุชื่อผู้เข้าร่วม", "the attendee's name is required"))
		}
		a.Attendees = append(a.Attendees, activity.Attendee{PartnerID: byName[g.Name], Name: g.Name, Role: g.Role})
	}
	for _, n := range rowNumbers(f, "followups") {
		get := func(col string) string { return strings.TrimSpace(f.Get(fmt.Sprintf("followups-%d-%s", n, col))) }
		row := followUpInput{ID: get("id"), Action: get("action"), Owner: get("owner"), Status: get("status")}
		due := get("due")
		row.Due, row.DueShown = dateInput(due, lang)
		if row.Action == "" && row.Owner == "" && due == "" {
			continue // an empty row (its status has a default)
		}
		v.FollowUps = append(v.FollowUps, row)
		k := len(v.FollowUps)
		fu := activity.FollowUp{Action: row.Action, Owner: row.Owner, OwnerID: byName[row.Owner]}
		if row.ID != "" {
			id, err := strconv.ParseInt(row.ID, 10, 64)
			if err != nil {
				bad("followups.action", k, row.ID, apperr.T("ไม่ใช่หมายเลขงานติดตาม", "not a follow-up number"))
			}
			fu.ID = id
		}
		if row.Action == "" {
			bad("followups.action", k, "", apperr.T("ต้องระบุงานที่ต้องทำ", "say what is to be done"))
			fu.Action = "?" // kept in place so the rows after it keep their numbers
		}
		if due == "" {
			bad("followups.due", k, "", apperr.T("ต้องระบุวันกำหนดเสร็จ", "the due date is required"))
		} else if d, err := thai.ParseDate(due); err != nil {
			bad("followups.due", k, due, apperr.MessageOf(err))
		} else {
			fu.Due = d
		}
		st, ok := s.followUpStatusOf(row.Status)
		if !ok {
			bad("followups.status", k, row.Status, apperr.T("สถานะต้องเป็น ยังไม่เริ่ม, กำลังดำเนินการ, เสร็จแล้ว หรือ ยกเลิก",
				"the status is one of: not started, in progress, done, cancelled"))
		}
		if ok {
			fu.Status, row.Status = st, string(st)
		}
		v.FollowUps[k-1] = row
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
	v, a, ps := s.parseActivity(r, u, partners)
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
	var people []int64
	for _, x := range a.Attendees {
		if x.PartnerID != 0 && v.PeopleIDs[x.PartnerID] {
			people = append(people, x.PartnerID)
		}
	}
	if more, err = s.foreignPartners(r.Context(), u, "attendees", people...); err != nil {
		return err
	}
	ps = append(ps, more...)
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
		if errors.As(err, &ps) {
			err = followUpRows(ps)
		}
		d := activityFormData{ID: id, Values: v, formErrors: s.formErrorsOf(err, lang, "act.f.", activityAliases)}
		return s.activityForm(w, r, http.StatusBadRequest, u, d)
	}
	return s.activityForm(w, r, http.StatusBadRequest, u, activityFormData{ID: id, Values: v, formErrors: s.formErrorsOf(ps, lang, "act.f.", activityAliases)})
}

// activityAliases are the form's inputs for the fields the domain and the
// store name: the area is chosen in the visible "area" input, the end is
// the end time, people picked are attendees.
var activityAliases = map[string]string{"area_code": "area", "end": "end_time", "attendees": "attendee-search", "partners": "attendee-search"}

// followUpRows puts the store's problems about a follow-up (a row number,
// no input) on that row's task input.
func followUpRows(ps apperr.Problems) apperr.Problems {
	out := slices.Clone(ps)
	for i, p := range out {
		if p.Field == "followups" && p.Row > 0 && p.Column == "" {
			out[i].Column = "action"
		}
	}
	return out
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
