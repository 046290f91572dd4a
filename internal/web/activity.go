package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/partner"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// activityRoutes registers partners, activities and meetings, the calendar,
// follow-ups, photos and public news. routes.go calls it once.
func (s *Server) activityRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /activities", page(s.activityCalendar))
	mux.Handle("GET /activities/new", page(s.activityNew))
	mux.Handle("POST /activities/new", page(s.audited("activity.create", s.activityCreate)))
	mux.Handle("GET /activities/{id}", page(s.activityView))
	mux.Handle("GET /activities/{id}/edit", page(s.activityEdit))
	mux.Handle("POST /activities/{id}/edit", page(s.audited("activity.update", s.activityUpdate)))
	mux.Handle("POST /activities/{id}/photos", page(s.audited("activity.photo", s.activityPhotoUpload)))
	mux.Handle("POST /activities/{id}/publish", page(s.activityPublish))
	s.forumRoutes(mux) // village forums: their results and the presentation mode, forum.go
	mux.Handle("POST /followups/{id}/status", page(s.audited("followup.status", s.followUpStatus)))
	mux.Handle("GET /photos/{id}", page(s.photo))
	mux.Handle("GET /partners", page(s.partnerList))
	mux.Handle("GET /partners/new", page(s.partnerNew))
	mux.Handle("POST /partners/new", page(s.audited("partner.create", s.partnerCreate)))
	mux.Handle("GET /partners/{id}", page(s.partnerView))
	mux.Handle("GET /partners/{id}/edit", page(s.partnerEdit))
	mux.Handle("POST /partners/{id}/edit", page(s.audited("partner.update", s.partnerUpdate)))
	mux.Handle("GET /news", page(s.newsList))
	mux.Handle("GET /news/{id}", page(s.newsPost))
	mux.Handle("GET /news.atom", page(s.newsFeed))
}

// activityStore is what these pages need from storage beyond Store.
// *store.Store implements it.
type activityStore interface {
	CreatePartner(ctx context.Context, p partner.Partner, by string) (partner.Partner, error)
	UpdatePartner(ctx context.Context, p partner.Partner) (partner.Partner, error)
	Partner(ctx context.Context, id int64) (partner.Partner, error)
	Partners(ctx context.Context, f partner.Filter) ([]partner.Partner, error)

	CreateActivity(ctx context.Context, a activity.Activity, by string) (activity.Activity, error)
	UpdateActivity(ctx context.Context, a activity.Activity, by string) (activity.Activity, error)
	Activity(ctx context.Context, id int64) (activity.Activity, error)
	Activities(ctx context.Context, f activity.Filter) ([]activity.Activity, error)
	OverdueFollowUps(ctx context.Context, within string, today time.Time, limit int) ([]activity.FollowUp, error)
	SetFollowUpStatus(ctx context.Context, id int64, status activity.FollowUpStatus) (activity.FollowUp, error)
	AddPhoto(ctx context.Context, activityID int64, caption string, p activity.Shrunk, by string) (activity.Photo, error)
	PhotoData(ctx context.Context, id int64, thumb bool) ([]byte, activity.Activity, error)

	PublishNews(ctx context.Context, n activity.News) (activity.News, error)
	NewsPost(ctx context.Context, id int64, today time.Time) (activity.News, error)
	NewsList(ctx context.Context, within string, today time.Time, limit int) ([]activity.News, error)
	AddVisits(ctx context.Context, day time.Time, counts map[int64]int64) error
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
}

func (s *Server) actStore() (activityStore, error) {
	st, ok := s.store.(activityStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับกิจกรรมและภาคี", "this store does not hold activities and partners"))
	}
	return st, nil
}

// mayPlan checks a plans/activities action at an area.
func mayPlan(r *http.Request, a user.Action, code string) (*user.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if !u.CanAt(a, code) {
		return nil, apperr.New(apperr.Forbidden, apperr.T(
			"บัญชีของท่านไม่มีสิทธิ์ดูหรือแก้ไขกิจกรรมและภาคีของพื้นที่นี้",
			"your account may not see or change the activities and partners of this area"))
	}
	return u, nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีหมายเลข %q", "there is no number %q", r.PathValue("id")))
	}
	return id, nil
}

// when writes an instant in Thai time: "18 ม.ค. 2564 15:00 น." or "18 Jan 2021 15:00".
func when(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(thai.Bangkok())
	if lang == "en" {
		return thai.FormatDate(t, thai.DateEnglish) + " " + t.Format("15:04")
	}
	return thai.FormatDate(t, thai.DateTimeShort)
}

// until writes an end: only its time when it is the start's day.
func until(start, end time.Time, lang string) string {
	if end.IsZero() {
		return ""
	}
	if activity.DateOf(start).Equal(activity.DateOf(end)) {
		t := end.In(thai.Bangkok()).Format("15:04")
		if lang != "en" {
			t += " น."
		}
		return t
	}
	return when(end, lang)
}

// day writes a date: "1 ก.พ. 2564" or "1 Feb 2021".
func day(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return thai.FormatDate(t, thai.DateEnglish)
	}
	return thai.FormatDate(t, thai.DateShort)
}

// areaTitle names an area with its parents' names, as people say where
// something took place: "หมู่ 4 บ้านหนองไม้เฝ้า, ต.เขาขลุง".
func (s *Server) areaTitle(code, lang string) string {
	a, ok := s.areas.Get(code)
	if !ok {
		return code
	}
	name := func(a area.Area) string {
		if lang == "en" {
			return a.TitleEN()
		}
		return a.TitleTH()
	}
	out := name(a)
	up := s.areas.Ancestors(code) // the country first
	for i := len(up) - 1; i >= 0; i-- {
		if p := up[i]; p.Level == area.Subdistrict || p.Level == area.District {
			out += ", " + name(p)
		}
	}
	return out
}

// partnerNames returns the partners by id, for naming them on a page.
func (s *Server) partnerNames(ctx context.Context, st activityStore, ids ...int64) map[int64]partner.Partner {
	out := map[int64]partner.Partner{}
	for _, id := range ids {
		if id == 0 || out[id].ID != 0 {
			continue
		}
		if p, err := st.Partner(ctx, id); err == nil {
			out[id] = p
		}
	}
	return out
}

// activityViewData is one activity's page.
type activityViewData struct {
	A          activity.Activity
	Where      string
	When       string
	Until      string
	Organiser  partner.Partner
	Partners   []partner.Partner
	People     map[int64]partner.Partner
	FollowUps  []followUpRow
	CanEdit    bool
	PublishTH  string // the suggested news text
	Saved      string
	Statuses   []activity.FollowUpStatus
	MaxPhotoMB int
	Forum      *forumView // a village forum's results (forum.go)
}

type followUpRow struct {
	activity.FollowUp
	DueText string
	Late    bool
}

func (s *Server) activityOf(r *http.Request, action user.Action) (activity.Activity, activityStore, *user.User, error) {
	st, err := s.actStore()
	if err != nil {
		return activity.Activity{}, nil, nil, err
	}
	u, err := signedIn(r)
	if err != nil {
		return activity.Activity{}, nil, nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return activity.Activity{}, nil, nil, err
	}
	a, err := st.Activity(r.Context(), id)
	if err != nil {
		return a, nil, nil, err
	}
	if _, err := mayPlan(r, action, a.AreaCode); err != nil {
		return a, nil, nil, err
	}
	noteRecord(r.Context(), a.AreaCode, a)
	return a, st, u, nil
}

func (s *Server) activityView(w http.ResponseWriter, r *http.Request) error {
	a, st, u, err := s.activityOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	ids := append([]int64{a.OrganiserID}, a.PartnerIDs...)
	for _, x := range a.Attendees {
		ids = append(ids, x.PartnerID)
	}
	for _, f := range a.FollowUps {
		ids = append(ids, f.OwnerID)
	}
	people := s.partnerNames(r.Context(), st, ids...)
	d := activityViewData{A: a, Where: s.areaTitle(a.AreaCode, lang), When: when(a.Start, lang), Until: until(a.Start, a.End, lang),
		Organiser: people[a.OrganiserID], People: people, CanEdit: u.CanAt(user.EditPlans, a.AreaCode),
		Saved: r.URL.Query().Get("saved"), Statuses: activity.Statuses, MaxPhotoMB: activity.MaxPhotoBytes >> 20}
	for _, id := range a.PartnerIDs {
		d.Partners = append(d.Partners, people[id])
	}
	today := s.now()
	for _, f := range a.FollowUps {
		d.FollowUps = append(d.FollowUps, followUpRow{FollowUp: f, DueText: day(f.Due, lang), Late: f.Overdue(today)})
	}
	if d.Forum, err = s.forumSection(r.Context(), a, u, lang); err != nil {
		return err
	}
	d.PublishTH = a.Summary
	if d.PublishTH == "" && len(a.Resolutions) > 0 {
		d.PublishTH = a.Resolutions[0]
	}
	return s.render(w, r, http.StatusOK, "activity_view", a.Title(lang), d)
}

// calendarData is a month of activities in an area.
type calendarData struct {
	Area     area.Area
	Month    string // heading, e.g. "มกราคม 2564"
	Prev     string // ?month= values
	Next     string
	Weeks    [][]calendarDay
	List     []calendarItem
	Recent   []calendarItem // the latest before an empty month
	CanAdd   bool
	AreaCode string
	Dows     []int // 0 (Sunday) … 6, for the heading
}

type calendarDay struct {
	Day   int // 0 for cells outside the month
	Today bool
	Items []calendarItem
}

type calendarItem struct {
	ID    int64
	Title string
	Time  string
	When  string
	Kind  activity.Kind
	Where string
	Month string // ?month= of its calendar page
}

func (s *Server) activityCalendar(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	u, a, first, err := s.calendarMonth(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	now := s.now().In(thai.Bangkok())
	next := first.AddDate(0, 1, 0)
	as, err := st.Activities(r.Context(), activity.Filter{Within: a.Code, From: first, To: next})
	if err != nil {
		return err
	}
	d := calendarData{Area: a, Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: next.Format("2006-01"),
		CanAdd: u.CanAt(user.EditPlans, a.Code), AreaCode: a.Code, Dows: []int{0, 1, 2, 3, 4, 5, 6}}
	if lang == "en" {
		d.Month = first.Format("January 2006")
	} else {
		d.Month = thai.MonthName(first.Month()) + " " + strconv.Itoa(thai.BE(first.Year()))
	}
	byDay := map[int][]calendarItem{}
	for _, x := range as {
		start := x.Start.In(thai.Bangkok())
		it := calendarItem{ID: x.ID, Title: x.Title(lang), Time: start.Format("15:04"), When: when(x.Start, lang), Kind: x.Kind,
			Where: s.areaTitle(x.AreaCode, lang)}
		byDay[start.Day()] = append(byDay[start.Day()], it)
		d.List = append(d.List, it)
	}
	// An empty month offers the latest activities before it, so a team
	// opening the calendar always has somewhere to go.
	if len(d.List) == 0 {
		recent, err := st.Activities(r.Context(), activity.Filter{Within: a.Code, To: first, Limit: 5, Latest: true})
		if err != nil {
			return err
		}
		for _, x := range recent {
			d.Recent = append(d.Recent, calendarItem{ID: x.ID, Title: x.Title(lang), When: when(x.Start, lang), Kind: x.Kind,
				Where: s.areaTitle(x.AreaCode, lang), Month: x.Start.In(thai.Bangkok()).Format("2006-01")})
		}
	}
	// Weeks start on Sunday, as Thai wall calendars do.
	week := make([]calendarDay, int(first.Weekday()))
	for dd := first; dd.Before(next); dd = dd.AddDate(0, 0, 1) {
		week = append(week, calendarDay{Day: dd.Day(), Today: dd.Year() == now.Year() && dd.YearDay() == now.YearDay(), Items: byDay[dd.Day()]})
		if len(week) == 7 {
			d.Weeks = append(d.Weeks, week)
			week = nil
		}
	}
	if len(week) > 0 {
		week = append(week, make([]calendarDay, 7-len(week))...)
		d.Weeks = append(d.Weeks, week)
	}
	return s.render(w, r, http.StatusOK, "activity_calendar", s.msgs.text(lang, "act.calendar"), d)
}

// homeActivity is what the home page shows of activities: the signed-in
// user's overdue follow-ups and, for everyone, the latest news.
type homeActivity struct {
	Overdue *overdueBox
	News    []newsItem
}

// homeActivity gathers the home page's activity boxes. Errors only hide
// them: the home page must always open.
func (s *Server) homeActivity(r *http.Request) *homeActivity {
	st, err := s.actStore()
	if err != nil {
		return nil
	}
	h := &homeActivity{Overdue: s.overdueFor(r)}
	lang := langFrom(r.Context())
	ns, err := st.NewsList(r.Context(), "", s.now(), 3)
	if err != nil {
		s.log.Warn("home news", "err", err)
	}
	for _, n := range ns {
		h.News = append(h.News, s.newsItem(n, lang))
	}
	return h
}

// overdueBox is the home page's list of late follow-up actions in the
// signed-in user's area; nil when there is nobody or nothing to show.
type overdueBox struct {
	Area  string
	Items []followUpRow
}

// overdueFor lists the overdue follow-ups a signed-in user should see.
// Errors only hide the box: the home page must always open.
func (s *Server) overdueFor(r *http.Request) *overdueBox {
	u := userFrom(r.Context())
	if u == nil || !u.Can(user.ViewPlans) {
		return nil
	}
	st, err := s.actStore()
	if err != nil {
		return nil
	}
	fs, err := st.OverdueFollowUps(r.Context(), u.AreaCode, s.now(), 20)
	if err != nil {
		s.log.Warn("overdue follow-ups", "err", err)
		return nil
	}
	lang := langFrom(r.Context())
	box := &overdueBox{Area: s.areaTitle(u.AreaCode, lang)}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Due.Before(fs[j].Due) })
	for _, f := range fs {
		box.Items = append(box.Items, followUpRow{FollowUp: f, DueText: day(f.Due, lang), Late: true})
	}
	return box
}

// calendarMonth reads the calendar's area (the account's own by default)
// and month (this month by default; ?month=2021-03 or 2564-03), checked
// against the account's scope: the calendar and its Excel file share it.
func (s *Server) calendarMonth(r *http.Request) (*user.User, area.Area, time.Time, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, area.Area{}, time.Time{}, err
	}
	code := r.URL.Query().Get("area")
	if code == "" {
		code = u.AreaCode
	}
	if _, err := mayPlan(r, user.ViewPlans, code); err != nil {
		return nil, area.Area{}, time.Time{}, err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return nil, area.Area{}, time.Time{}, err
	}
	now := s.now().In(thai.Bangkok())
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, thai.Bangkok())
	if m := r.URL.Query().Get("month"); m != "" {
		t, err := time.ParseInLocation("2006-01", m, thai.Bangkok())
		if err != nil {
			return nil, area.Area{}, time.Time{}, apperr.New(apperr.Invalid, apperr.Tf("เดือน %q ต้องเขียนแบบ ปี-เดือน เช่น 2564-01 หรือ 2021-01", "the month %q must be written year-month, e.g. 2021-01 (or 2564-01 in the Buddhist Era)", m))
		}
		if t.Year() > 2400 { // a Buddhist Era year, as Thai users write it: 2564-03
			t = t.AddDate(-543, 0, 0)
		}
		first = t
	}
	return u, a, first, nil
}
