package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// Administration → DHIS2 (/admin/dhis2): an administrator uploads a DHIS2
// data value set (JSON, XML) or ADX message into an aggregate-only round,
// as `tambon dhis2 import` does (docs/api.md, "DHIS2"): checked whole,
// every problem listed with where it is, written all or nothing.

// dhis2ImportStore is what the import needs from storage. *store.Store
// implements it.
type dhis2ImportStore interface {
	Round(ctx context.Context, id string) (survey.Round, error)
	HouseholdSets(ctx context.Context) ([]*indicator.Set, error)
	AllTotals(ctx context.Context, eng *engine.Engine, round string) (map[string]*engine.Totals, error)
	LoadTPMAP(ctx context.Context, l store.TPMAPLoad) error
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
}

// dhis2MaxUpload bounds an uploaded file: a province's villages as ADX
// with the deprivation counts are a few megabytes.
const dhis2MaxUpload = 64 << 20

type dhis2AdminData struct {
	Round    string
	File     string
	Done     bool
	New      bool
	Values   int
	Areas    int
	Notes    []apperr.Text
	Refused  string
	Problems apperr.Problems
	More     int
}

func (s *Server) dhis2AdminRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/dhis2", s.page(s.dhis2AdminPage))
	mux.Handle("POST /admin/dhis2", s.page(s.dhis2AdminImport))
}

func (s *Server) renderDHIS2Admin(w http.ResponseWriter, r *http.Request, status int, d *dhis2AdminData) error {
	return s.render(w, r, status, "admin_dhis2", s.msgs.text(langFrom(r.Context()), "dhis2.title"), d)
}

func (s *Server) dhis2AdminPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := mayOpenRounds(r); err != nil {
		return err
	}
	return s.renderDHIS2Admin(w, r, http.StatusOK, &dhis2AdminData{Round: r.URL.Query().Get("round")})
}

func (s *Server) dhis2AdminImport(w http.ResponseWriter, r *http.Request) error {
	u, err := mayOpenRounds(r)
	if err != nil {
		return err
	}
	st, ok := s.store.(dhis2ImportStore)
	if !ok {
		return apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้นำเข้าตัวเลขจาก DHIS2 ไม่ได้", "this store cannot import figures from DHIS2"))
	}
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, dhis2MaxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่พบไฟล์ที่ส่งมา หรือไฟล์ใหญ่เกิน 64 MB", "no file was uploaded, or it is larger than 64 MB"))
	}
	d := &dhis2AdminData{Round: strings.TrimSpace(r.FormValue("round"))}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.dhis2Refused(w, r, d, apperr.New(apperr.Invalid, apperr.T("เลือกไฟล์ที่จะนำเข้า", "choose the file to import")))
	}
	defer file.Close()
	d.File = hdr.Filename
	b, err := io.ReadAll(file)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอน โปรดลองใหม่", "the upload was cut off: try again"))
	}
	if d.Round == "" {
		return s.dhis2Refused(w, r, d, apperr.New(apperr.Invalid, apperr.T("ต้องระบุรอบที่จะนำเข้า", "give the round to import into")))
	}
	format, err := dhis2.Sniff(b[:min(len(b), 4096)])
	if err != nil {
		return s.dhis2Refused(w, r, d, err)
	}
	vals, err := dhis2.Read(bytes.NewReader(b), format, d.File)
	if err != nil {
		return s.dhis2Refused(w, r, d, err)
	}
	rd, create, err := dhis2ImportRound(ctx, st, d.Round, d.File, vals)
	if err != nil {
		return s.dhis2Refused(w, r, d, err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		return err
	}
	m := dhis2.Default(eng.Set(), eng.Poverty())
	imp, err := m.Resolve(vals, s.areas, eng, d.File)
	if err != nil {
		return s.dhis2Refused(w, r, d, err)
	}
	if want := m.Period(rd); imp.Period != want {
		return s.dhis2Refused(w, r, d, apperr.New(apperr.Invalid, apperr.Tf("ไฟล์เป็นช่วงเวลา %s แต่รอบ %s คือ %s",
			"the file is of period %s but round %s is %s", imp.Period, rd.ID, want)))
	}
	var old map[string]*engine.Totals
	if !create {
		if old, err = st.AllTotals(ctx, eng, rd.ID); err != nil {
			return err
		}
	}
	if err := st.LoadTPMAP(ctx, store.TPMAPLoad{Year: rd.SurveyYear, Round: &rd, NewRound: create,
		Totals: imp.RoundTotals(s.areas, eng, old)}); err != nil {
		return err
	}
	if err := st.AuditEvent(ctx, u.Username, "dhis2.import", "TH", rounds.AuditHouseholdObject+rd.ID,
		fmt.Sprintf(`{"file":%q,"format":%q,"values":%d,"areas":%d,"new_round":%t}`, d.File, format, len(vals), len(imp.Areas), create)); err != nil {
		return err
	}
	d.Done, d.New, d.Values, d.Areas, d.Notes = true, create, len(vals), len(imp.Areas), imp.Notes
	return s.renderDHIS2Admin(w, r, http.StatusOK, d)
}

// dhis2Refused shows why a file was refused: its problems, or the one
// reason; an error that is not the file's is the server's.
func (s *Server) dhis2Refused(w http.ResponseWriter, r *http.Request, d *dhis2AdminData, err error) error {
	ps, ok := fileProblems(err, d.File, apperr.Invalid, apperr.NotFound)
	if !ok {
		return err
	}
	d.Problems, d.More = listed(ps)
	d.Refused = s.msgs.text(langFrom(r.Context()), "dhis2.refused", "n", len(ps))
	return s.renderDHIS2Admin(w, r, http.StatusUnprocessableEntity, d)
}

// dhis2ImportRound is the aggregate round a file goes into: the one named,
// or a new one of the file's survey year whose source names DHIS2 and the
// file (as `tambon dhis2 import` makes it).
func dhis2ImportRound(ctx context.Context, st dhis2ImportStore, id, file string, vals []dhis2.RawValue) (survey.Round, bool, error) {
	rd, err := st.Round(ctx, id)
	if err == nil {
		if !rd.AggregateOnly {
			return rd, false, apperr.New(apperr.Invalid, apperr.Tf(
				"รอบ %s เป็นรอบที่มีข้อมูลครัวเรือน: ตัวเลขจาก DHIS2 นำเข้าได้เฉพาะรอบข้อมูลสรุป",
				"round %s holds households: DHIS2 figures go only into an aggregate round", id))
		}
		return rd, false, nil
	}
	if !apperr.Is(err, apperr.NotFound) {
		return rd, false, err
	}
	year, err := strconv.Atoi(vals[0].Period)
	if err != nil || len(vals[0].Period) != 4 {
		return rd, false, apperr.New(apperr.Invalid, apperr.Tf(
			"ช่วงเวลา %q ไม่ใช่ปีของ DHIS2 (เช่น 2021)", "period %q is not a DHIS2 yearly period (e.g. 2021)", vals[0].Period))
	}
	sets, err := st.HouseholdSets(ctx)
	if err != nil {
		return rd, false, err
	}
	if rd, err = rounds.Household(id, year+543, "", sets); err != nil {
		return rd, false, err
	}
	rd.AggregateOnly, rd.Source = true, "DHIS2 ("+file+")"
	return rd, true, nil
}
