package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// submissionRoutes registers the review queue of OpenRosa submissions that
// failed validation: the list, one submission with its reasons, fix and
// reject. routes.go calls it once.
func (s *Server) submissionRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /submissions", page(s.submissionList))
	mux.Handle("GET /submissions/{id}", page(s.submissionView))
	mux.Handle("POST /submissions/{id}/fix", page(s.submissionFix))
	mux.Handle("POST /submissions/{id}/reject", page(s.submissionReject))
}

// submissionStore is what the review queue needs from storage beyond Store.
// *store.Store implements it (cmd/tambon adapts the filter type).
type submissionStore interface {
	ReviewQueue(ctx context.Context, status xform.Status, area string, limit int) ([]xform.Submission, error)
	Submission(ctx context.Context, id int64) (xform.Submission, error)
	FixSubmission(ctx context.Context, eng *engine.Engine, id int64, h *survey.Household, by, note string) (survey.WriteSummary, error)
	RejectSubmission(ctx context.Context, id int64, by, reason string) error
}

func (s *Server) sstore() (submissionStore, error) {
	st, ok := s.store.(submissionStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับแบบสอบถามที่ส่งจากแอป", "this store does not hold submissions"))
	}
	return st, nil
}

type submissionRow struct {
	ID                                     int64
	Received, Sender, Village, Key, Reason string
	Problems                               int
}

type submissionListData struct {
	Area   string
	Status string
	Tabs   []string
	Rows   []submissionRow
}

func (s *Server) submissionList(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("area")
	if code == "" {
		code = u.AreaCode
	}
	if _, err := allow(r, user.ViewHouseholds, code); err != nil {
		return err
	}
	status := xform.Status(r.URL.Query().Get("status"))
	switch status {
	case xform.Review, xform.Rejected, xform.Accepted, xform.Replaced:
	default:
		status = xform.Review
	}
	st, err := s.sstore()
	if err != nil {
		return err
	}
	subs, err := st.ReviewQueue(r.Context(), status, code, 500)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d := submissionListData{Area: code, Status: string(status), Tabs: []string{"review", "rejected", "accepted", "replaced"}}
	for _, sub := range subs {
		row := submissionRow{ID: sub.ID, Received: formatStamp(lang, sub.ReceivedAt), Sender: sub.Username, Key: sub.HouseholdKey,
			Village: sub.VillageCode, Problems: len(sub.Problems)}
		if v, ok := s.areas.Get(sub.VillageCode); ok {
			row.Village = areaTitle(lang, v)
		}
		if len(sub.Problems) > 0 {
			row.Reason = problemText(lang, sub.Problems[0])
		}
		d.Rows = append(d.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "submission_list", s.msgs.text(lang, "sub.title"), d)
}

// problemText says where and why, in the page's language. Values are not
// repeated: a citizen ID belongs only in the audited fix form.
func problemText(lang string, p apperr.Problem) string {
	if where := p.Where(); where != "" {
		return where + ": " + p.Reason.In(lang)
	}
	return p.Reason.In(lang)
}

// mayOpen reports whether u may see a submission: its village must be in
// the account's area; one with no readable village only at country level.
func mayOpen(u *user.User, sub xform.Submission, a user.Action) bool {
	if sub.VillageCode == "" {
		return u.CanAt(a, "TH")
	}
	return u.CanAt(a, sub.VillageCode)
}

type memberFix struct {
	Index, No                                 int
	FirstName, LastName, CitizenID, BirthDate string
}

type submissionViewData struct {
	Sub      xform.Submission
	Received string
	Problems []string
	Village  string
	// VillageCode and VillageLabel are the fix form's village, chosen by
	// name within Within (the account's area); the code travels hidden.
	VillageCode, VillageLabel, Within string
	CanFix                            bool
	Parsed                            bool
	HouseNo                           string
	House                             string
	Status                            string
	Members                           []memberFix
	XML                               string
	Error                             string
	// UnreadPhotos names the photos sent that are not readable pictures.
	UnreadPhotos []string
}

func (s *Server) submissionView(w http.ResponseWriter, r *http.Request) error {
	return s.showSubmission(w, r, http.StatusOK, nil, "")
}

// loadSubmission reads a submission the account may see, and its household
// as the instance says (nil when the XML cannot be read as the round's form),
// with the photos the phone sent (xform.PhotosOf, as on arrival), so that a
// fix accepted puts them on the household's page in the household's write.
func (s *Server) loadSubmission(r *http.Request, action user.Action) (*user.User, xform.Submission, *survey.Household, *engine.Engine, survey.Round, error) {
	var sub xform.Submission
	var rd survey.Round
	u, err := signedIn(r)
	if err != nil {
		return nil, sub, nil, nil, rd, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, sub, nil, nil, rd, apperr.New(apperr.NotFound, apperr.T("ไม่พบแบบสอบถามนี้", "no such submission"))
	}
	st, err := s.sstore()
	if err != nil {
		return nil, sub, nil, nil, rd, err
	}
	if sub, err = st.Submission(r.Context(), id); err != nil {
		return nil, sub, nil, nil, rd, err
	}
	if !mayOpen(u, sub, action) {
		return nil, sub, nil, nil, rd, apperr.New(apperr.Forbidden, apperr.T(
			"บัญชีของท่านไม่มีสิทธิ์เข้าถึงแบบสอบถามของพื้นที่นี้", "your account may not see the submissions of this area"))
	}
	if sub.RoundID == "" {
		return u, sub, nil, nil, rd, nil
	}
	rd, eng, err := s.roundOf(r.Context(), sub.RoundID)
	if err != nil {
		return u, sub, nil, nil, rd, nil
	}
	f, err := xform.Build(rd, eng.Set())
	if err != nil {
		return u, sub, nil, nil, rd, nil
	}
	in, _, err := xform.Parse(f, eng.Set(), sub.XML)
	if err != nil {
		return u, sub, nil, eng, rd, nil
	}
	in.Household.Collector = sub.Username
	in.Household.Photos, sub.UnreadPhotos = xform.PhotosOf(in, sub.Media)
	return u, sub, in.Household, eng, rd, nil
}

func (s *Server) showSubmission(w http.ResponseWriter, r *http.Request, status int, h *survey.Household, msg string) error {
	u, sub, parsed, _, _, err := s.loadSubmission(r, user.ViewHouseholds)
	if err != nil {
		return err
	}
	if h == nil {
		h = parsed
	}
	lang := langFrom(r.Context())
	d := submissionViewData{Sub: sub, Received: formatStamp(lang, sub.ReceivedAt), Village: sub.VillageCode, Error: msg}
	for _, p := range sub.Problems {
		d.Problems = append(d.Problems, problemText(lang, p))
	}
	for _, k := range sub.UnreadPhotos {
		d.UnreadPhotos = append(d.UnreadPhotos, k.Label().In(lang))
	}
	if v, ok := s.areas.Get(sub.VillageCode); ok {
		d.Village = areaTitle(lang, v) + " (" + v.Code + ")"
	}
	personal := mayOpen(u, sub, user.RevealPersonal)
	d.CanFix = sub.Status == xform.Review && personal && mayOpen(u, sub, user.EditHouseholds)
	if personal {
		// The raw XML and the fix form show names and citizen IDs: opening
		// them is written to the audit log, like opening a household.
		d.XML = string(sub.XML)
		object := fmt.Sprintf("submission:%d", sub.ID)
		if err := s.audit(r.Context(), u, "submission.view", sub.VillageCode, object, ""); err != nil {
			return err
		}
		// They are shown unmasked: a reveal, logged as the household page's is.
		if err := s.audit(r.Context(), u, "personal.reveal", sub.VillageCode, object, revealedInSubmission); err != nil {
			return err
		}
	}
	if h != nil && d.CanFix {
		d.Parsed, d.HouseNo, d.House, d.Status = true, h.HouseNo, h.HouseCode, string(h.Status)
		d.VillageCode, d.VillageLabel, d.Within = h.VillageCode, s.areaLabel(h.VillageCode, lang), u.AreaCode
		for i, m := range h.Members {
			mf := memberFix{Index: i, No: i + 1, FirstName: m.FirstName, LastName: m.LastName, CitizenID: m.CitizenID}
			if !m.BirthDate.IsZero() {
				mf.BirthDate = m.BirthDate.Format(time.DateOnly)
			}
			d.Members = append(d.Members, mf)
		}
	}
	return s.render(w, r, status, "submission_view", s.msgs.text(lang, "sub.view.title", "id", strconv.FormatInt(sub.ID, 10)), d)
}

// submissionFix applies the reviewer's corrections to the household the
// submission holds and writes it through the one household write.
func (s *Server) submissionFix(w http.ResponseWriter, r *http.Request) error {
	u, sub, h, eng, rd, err := s.loadSubmission(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	if h == nil || eng == nil {
		return apperr.New(apperr.Invalid, apperr.T("อ่านข้อมูลนี้เป็นครัวเรือนไม่ได้: ปฏิเสธพร้อมเหตุผลได้เท่านั้น",
			"this submission cannot be read as a household: it can only be rejected, with a reason"))
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form cannot be read"))
	}
	f := r.PostForm
	var ps apperr.Problems
	// The village is chosen by name; without the page's script the name
	// typed is read (a code typed is taken as it is).
	village, bad := s.pickArea("village", f.Get("village_name"), f.Get("village"), u.AreaCode)
	if bad != nil {
		ps = append(ps, *bad)
	}
	h.VillageCode = village
	h.HouseNo = strings.TrimSpace(f.Get("house_no"))
	h.HouseCode = strings.TrimSpace(f.Get("house_code"))
	h.Status = survey.HouseholdStatus(f.Get("status"))
	for i := range h.Members {
		m := &h.Members[i]
		key := func(name string) string { return fmt.Sprintf("m%d.%s", i, name) }
		m.FirstName = strings.TrimSpace(f.Get(key("first_name")))
		m.LastName = strings.TrimSpace(f.Get(key("last_name")))
		m.CitizenID = strings.ReplaceAll(strings.TrimSpace(f.Get(key("citizen_id"))), "-", "")
		if b := strings.TrimSpace(f.Get(key("birth_date"))); b == "" {
			m.BirthDate = time.Time{}
		} else if t, err := time.Parse(time.DateOnly, b); err == nil {
			m.BirthDate = t
		} else {
			ps = append(ps, apperr.Problem{Field: fmt.Sprintf("members[%d].birth_date", i), Value: b,
				Reason: apperr.T("วันเกิดต้องอยู่ในรูป ปปปป-ดด-วว (ค.ศ.)", "a birth date must be YYYY-MM-DD")})
		}
	}
	if bad == nil && !u.CanAt(user.EditHouseholds, h.VillageCode) {
		ps = append(ps, apperr.Problem{Field: "village", Value: h.VillageCode, Reason: apperr.T(
			"หมู่บ้านนี้อยู่นอกพื้นที่ของท่าน", "this village is outside your area")})
	}
	if h.HouseNo == "" && h.HouseCode == "" {
		ps = append(ps, apperr.Problem{Field: "house_no", Reason: apperr.T("ต้องระบุบ้านเลขที่", "the house number is required")})
	}
	xform.DropUnasked(h, eng.Set(), rd.ReferenceDate()) // as the OpenRosa server does on arrival
	ps = append(ps, survey.Validate(h, eng.Set(), rd.ReferenceDate())...)
	st, err := s.sstore()
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		_, err := st.FixSubmission(r.Context(), eng, sub.ID, h, u.Username, strings.TrimSpace(f.Get("note")))
		switch {
		case err == nil:
			http.Redirect(w, r, "/submissions?area="+u.AreaCode+"&fixed="+strconv.FormatInt(sub.ID, 10), http.StatusSeeOther)
			return nil
		case asProblems(err, &ps):
		case apperr.Is(err, apperr.Invalid), apperr.Is(err, apperr.Conflict):
			ps = apperr.Problems{{Reason: apperr.MessageOf(err)}}
		default:
			return err
		}
	}
	lang := langFrom(r.Context())
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, problemText(lang, p))
	}
	return s.showSubmission(w, r, http.StatusUnprocessableEntity, h, s.msgs.text(lang, "sub.fix.failed")+" "+strings.Join(msgs, "; "))
}

func (s *Server) submissionReject(w http.ResponseWriter, r *http.Request) error {
	u, sub, _, _, _, err := s.loadSubmission(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	st, err := s.sstore()
	if err != nil {
		return err
	}
	err = st.RejectSubmission(r.Context(), sub.ID, u.Username, strings.TrimSpace(r.PostFormValue("reason")))
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showSubmission(w, r, http.StatusUnprocessableEntity, nil, apperr.MessageOf(err).In(langFrom(r.Context())))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/submissions?area="+u.AreaCode+"&status=rejected", http.StatusSeeOther)
	return nil
}
