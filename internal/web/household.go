package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// householdRoutes registers the household pages: lists, the record, entry and
// editing, imports and the round's review. routes.go calls it once.
func (s *Server) householdRoutes(mux *http.ServeMux) {
	page, api := s.page, s.api
	mux.Handle("GET /rounds/{round}/areas/{code}/households", page(s.householdList))
	mux.Handle("GET /households/{id}", page(s.householdView))
	mux.Handle("POST /households/{id}/reveal", page(s.householdReveal))
	mux.Handle("GET /rounds/{round}/households/new", page(s.householdNew))
	mux.Handle("POST /rounds/{round}/households/new", page(s.householdCreate))
	mux.Handle("POST /rounds/{round}/households/asked", api(s.householdAsked))
	mux.Handle("GET /rounds/{round}/households/from/{id}", page(s.householdResurvey))
	mux.Handle("POST /rounds/{round}/households/from/{id}", page(s.householdResurveySave))
	mux.Handle("POST /households/{id}/photos", page(s.audited("household.photo", s.householdPhotoUpload)))
	mux.Handle("GET /households/{id}/photos/{photo}", page(s.householdPhoto))
	mux.Handle("POST /households/{id}/photos/{photo}/delete", page(s.audited("household.photo.delete", s.householdPhotoDelete)))
	mux.Handle("GET /households/{id}/edit", page(s.householdEdit))
	mux.Handle("POST /households/{id}/edit", page(s.householdUpdate))
	mux.Handle("GET /rounds/{round}/import", page(s.importPage))
	// Uploads post to /imports: the body-size limit lets paths under
	// /import carry large files (middleware.go).
	mux.Handle("POST /imports", page(s.importUpload))
	mux.Handle("GET /imports/{id}", api(s.importStatus))
	mux.Handle("GET /imports/{id}/problems.xlsx", page(s.importProblems))
	mux.Handle("GET /templates/households.xlsx", page(s.householdTemplate))
	mux.Handle("GET /rounds/{round}/areas/{tambon}/review", page(s.reviewPage))
	mux.Handle("POST /rounds/{round}/areas/{tambon}/review", page(s.reviewStep))
}

// householdStore is what the household pages need from storage beyond
// Store. *store.Store implements it.
type householdStore interface {
	Household(ctx context.Context, id int64) (survey.Record, error)
	EachHousehold(ctx context.Context, round, area string, fn func(survey.Record) error) error
	RoundStatus(ctx context.Context, round, area string) (survey.Status, error)
	Review(ctx context.Context, round, area string, step survey.Review, by, comment string) (survey.Status, error)
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
	WriteHouseholds(ctx context.Context, eng *engine.Engine, round string, hs []*survey.Household, by string, progress func(done int)) (survey.WriteSummary, error)
	HouseholdHistory(ctx context.Context, round, key string) ([]survey.HistoryEntry, error)
	ReviewHistory(ctx context.Context, round, area string) ([]survey.ReviewEntry, error)
}

func (s *Server) hstore() (householdStore, error) {
	hs, ok := s.store.(householdStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับข้อมูลครัวเรือน", "this store does not hold household records"))
	}
	return hs, nil
}

func (s *Server) writeHouseholds(ctx context.Context, eng *engine.Engine, round string, hs []*survey.Household, by string, progress func(int)) (survey.WriteSummary, error) {
	st, err := s.hstore()
	if err != nil {
		return survey.WriteSummary{}, err
	}
	return st.WriteHouseholds(ctx, eng, round, hs, by, progress)
}

// signedIn returns the account or an error that sends the browser to the
// sign-in page.
func signedIn(r *http.Request) (*user.User, error) {
	u := userFrom(r.Context())
	if u == nil {
		return nil, apperr.New(apperr.Unauthorized, apperr.T("โปรดเข้าสู่ระบบก่อน", "please sign in first"))
	}
	return u, nil
}

// allow checks an action at an area and returns a bilingual 403 otherwise.
func allow(r *http.Request, a user.Action, code string) (*user.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if !u.CanAt(a, code) {
		return nil, apperr.New(apperr.Forbidden, apperr.T(
			"บัญชีของท่านไม่มีสิทธิ์เข้าถึงข้อมูลครัวเรือนของพื้นที่นี้",
			"your account may not see or change the household records of this area"))
	}
	return u, nil
}

// roundOf loads a household round and its engine.
func (s *Server) roundOf(ctx context.Context, id string) (survey.Round, *engine.Engine, error) {
	rd, err := s.store.Round(ctx, id)
	if err != nil {
		return rd, nil, err
	}
	if rd.AggregateOnly {
		return rd, nil, apperr.New(apperr.NotFound, apperr.Tf(
			"รอบ %s มีเฉพาะตัวเลขสรุป ไม่มีข้อมูลครัวเรือน", "round %s holds published figures only, no households", id))
	}
	eng, err := engine.ForRound(rd)
	return rd, eng, err
}

// householdOf loads a household by the {id} in the URL and checks that the
// user may do a at its village.
func (s *Server) householdOf(r *http.Request, a user.Action) (survey.Record, *user.User, error) {
	var rec survey.Record
	u, err := signedIn(r)
	if err != nil {
		return rec, nil, err
	}
	if !u.Can(a) {
		return rec, nil, denied()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return rec, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบครัวเรือนนี้", "no such household"))
	}
	hs, err := s.hstore()
	if err != nil {
		return rec, nil, err
	}
	if rec, err = hs.Household(r.Context(), id); err != nil {
		return rec, nil, err
	}
	if !u.CanAt(a, rec.Household.VillageCode) {
		return rec, nil, denied()
	}
	return rec, u, nil
}

func denied() error {
	return apperr.New(apperr.Forbidden, apperr.T(
		"บัญชีของท่านไม่มีสิทธิ์เข้าถึงข้อมูลครัวเรือนของพื้นที่นี้",
		"your account may not see or change the household records of this area"))
}

// audit writes to the audit log; a failure to audit refuses the request,
// since a view that is not logged must not happen.
func (s *Server) audit(ctx context.Context, u *user.User, action, area, object, detail string) error {
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	return hs.AuditEvent(ctx, u.Username, action, area, object, detail)
}

// maskName keeps a name's first letter: สมชาย → ส***. Thai vowels written
// before a consonant (เ แ โ ใ ไ) stay with it so the initial reads.
func maskName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	out := string(r)
	if strings.ContainsRune("เแโใไ", r) && n < len(s) {
		r2, _ := utf8.DecodeRuneInString(s[n:])
		out += string(r2)
	}
	return out + "***"
}

// maskPhone keeps the last two digits: 08x-xxx-xx12.
func maskPhone(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, thai.FromThaiDigits(s))
	if len(d) < 4 {
		return "xxx"
	}
	return "xxx-xxx-xx" + d[len(d)-2:]
}

// personalField says how a history field is masked: "" when it is not
// personal.
func personalField(field string) string {
	if strings.HasPrefix(field, "roster.") { // a re-survey's leaver or newcomer, by full name
		return "fullname"
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	switch last {
	case "first_name", "last_name", "respondent", "collector":
		return "name"
	case "citizen_id":
		return "cid"
	case "house_code":
		return "house"
	case "phone":
		return "phone"
	case "lat", "lon":
		return "gps"
	case "birth_date":
		return "birth"
	}
	return ""
}

func maskValue(kind string, v any) string {
	if v == nil {
		return ""
	}
	s := fmt.Sprint(v)
	switch kind {
	case "name":
		return maskName(s)
	case "fullname":
		var parts []string
		for _, w := range strings.Fields(s) {
			parts = append(parts, maskName(w))
		}
		return strings.Join(parts, " ")
	case "cid":
		return thai.MaskCitizenID(s)
	case "house":
		return thai.MaskHouseCode(s)
	case "phone":
		return maskPhone(s)
	case "gps", "birth":
		return "•••"
	}
	return s
}

// formatDate shows a date in the page's language.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return thai.FormatDate(t, thai.DateEnglish)
	}
	return thai.FormatDate(t, thai.DateShort)
}

func formatStamp(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(thai.Bangkok())
	if lang == "en" {
		return thai.FormatDate(t, thai.DateEnglish) + " " + t.Format("15:04")
	}
	return thai.FormatDate(t, thai.DateTimeShort)
}

// headOf returns the resident head of household, or the first member.
func headOf(h *survey.Household) *survey.Member {
	for i := range h.Members {
		if h.Members[i].Relation == survey.RelHead && h.Members[i].Resident {
			return &h.Members[i]
		}
	}
	if len(h.Members) > 0 {
		return &h.Members[0]
	}
	return nil
}
