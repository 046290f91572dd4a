package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
	"tambon/internal/user"
)

// An import runs as a job: the upload is spooled to a temporary file while
// the request lasts, then read, checked and written in the background, and
// the page polls /imports/{id} (household.js) until it is done. A 200 MB
// workbook takes minutes; a request held open that long dies on the first
// flaky mobile connection.

type importJob struct {
	mu          sync.Mutex
	ID          string
	Owner       string
	Round       string
	File        string
	DryRun      bool
	SkipInvalid bool
	Started     time.Time
	State       string // reading, writing, done, failed
	Total       int    // households in the file
	Valid       int
	Done        int // households written so far
	Summary     survey.WriteSummary
	New, Known  int // dry run: households that would be added or updated
	Problems    apperr.Problems
	Warnings    []apperr.Problem
	More        int
	Outside     []string // villages outside the user's area
	Message     apperr.Text
}

// importStatusBody is the JSON the page polls.
type importStatusBody struct {
	State     string      `json:"state"`
	Total     int         `json:"total"`
	Done      int         `json:"done"`
	Inserted  int         `json:"inserted"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Problems  int         `json:"problems"`
	Message   apperr.Text `json:"message"`
}

var importJobs = struct {
	sync.Mutex
	m map[string]*importJob
}{m: map[string]*importJob{}}

func findJob(r *http.Request) (*importJob, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	importJobs.Lock()
	j := importJobs.m[r.PathValue("id")]
	if j == nil && r.URL.Query().Get("job") != "" {
		j = importJobs.m[r.URL.Query().Get("job")]
	}
	importJobs.Unlock()
	if j == nil || j.Owner != u.Username {
		return nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบงานนำเข้านี้ (งานจะถูกลบหลัง 1 ชั่วโมง)", "no such import (imports are forgotten after an hour)"))
	}
	return j, nil
}

type importPageData struct {
	Round      survey.Round
	Rounds     []survey.Round
	Job        *importJob
	Running    bool
	ShownProbs apperr.Problems
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditHouseholds) {
		return denied()
	}
	rd, _, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	d := &importPageData{Round: rd}
	if r.URL.Query().Get("job") != "" {
		j, err := findJob(r)
		if err != nil {
			return err
		}
		j.mu.Lock()
		defer j.mu.Unlock()
		d.Job = j
		d.Running = j.State == "reading" || j.State == "writing"
		d.ShownProbs = j.Problems[:min(len(j.Problems), 200)]
	}
	lang := langFrom(r.Context())
	return s.render(w, r, http.StatusOK, "import", s.msgs.text(lang, "imp.title"), d)
}

// importUpload streams the multipart body: the options come before the file
// in the form, and the file goes straight to a temporary file.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditHouseholds) {
		return denied()
	}
	rd, eng, err := s.roundOf(r.Context(), r.URL.Query().Get("round"))
	if err != nil {
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่พบไฟล์ที่ส่งมา", "no file was uploaded"))
	}
	j := &importJob{Owner: u.Username, Round: rd.ID, Started: s.now(), State: "reading"}
	var rdr *tabular.Reader
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอน โปรดลองใหม่", "the upload was cut off: try again"))
		}
		switch part.FormName() {
		case "dry_run":
			j.DryRun = true
		case "skip_invalid":
			j.SkipInvalid = true
		case "file":
			if rdr != nil || part.FileName() == "" {
				continue
			}
			j.File = part.FileName()
			rdr, err = tabular.OpenStream(j.File, part, tabular.Options{Expect: surveyfile.Columns(eng.Set())})
			if err != nil {
				return s.importRefused(w, r, rd, j, err)
			}
		}
		part.Close()
	}
	if rdr == nil {
		return apperr.New(apperr.Invalid, apperr.T("โปรดเลือกไฟล์ CSV หรือ XLSX", "choose a CSV or XLSX file"))
	}
	var raw [9]byte
	rand.Read(raw[:])
	j.ID = hex.EncodeToString(raw[:])
	importJobs.Lock()
	for id, old := range importJobs.m { // forget finished jobs after an hour
		if s.now().Sub(old.Started) > time.Hour {
			delete(importJobs.m, id)
		}
	}
	importJobs.m[j.ID] = j
	importJobs.Unlock()
	go s.runImport(j, u, rd, eng, rdr)
	http.Redirect(w, r, "/rounds/"+url.PathEscape(rd.ID)+"/import?job="+j.ID, http.StatusSeeOther)
	return nil
}

// importRefused shows a file refused before reading (wrong format, missing
// columns) on the import page.
func (s *Server) importRefused(w http.ResponseWriter, r *http.Request, rd survey.Round, j *importJob, err error) error {
	var ps apperr.Problems
	if errors.As(err, &ps) {
		j.Problems = ps
	} else if apperr.CodeOf(err) == apperr.Internal {
		return err
	}
	j.State, j.Message = "failed", problemMessage(err)
	lang := langFrom(r.Context())
	return s.render(w, r, http.StatusUnprocessableEntity, "import", s.msgs.text(lang, "imp.title"),
		&importPageData{Round: rd, Job: j, ShownProbs: j.Problems})
}

func (s *Server) runImport(j *importJob, u *user.User, rd survey.Round, eng *engine.Engine, rdr *tabular.Reader) {
	set := eng.Set()
	defer rdr.Close()
	ctx := context.Background()
	fail := func(msg apperr.Text) {
		j.mu.Lock()
		j.State, j.Message = "failed", msg
		j.mu.Unlock()
	}
	known := func(code string) bool { a, ok := s.areas.Get(code); return ok && a.Level == area.Village }
	res, err := surveyfile.Read(rdr, set, rd, surveyfile.ReadOptions{KnownVillage: known, Now: s.now})
	if err != nil {
		fail(problemMessage(err))
		return
	}
	j.mu.Lock()
	j.Total, j.Valid, j.Problems, j.Warnings, j.More = res.Total, len(res.Households), res.Problems, res.Warnings, res.More
	j.mu.Unlock()
	outside := map[string]bool{}
	for _, h := range res.Households {
		if !u.CanAt(user.EditHouseholds, h.VillageCode) {
			outside[h.VillageCode] = true
		}
	}
	if len(outside) > 0 {
		var list []string
		for v := range outside {
			list = append(list, v)
		}
		slices.Sort(list)
		j.mu.Lock()
		j.Outside = list
		j.mu.Unlock()
		fail(apperr.Tf("ไฟล์มีหมู่บ้านนอกพื้นที่ของท่าน %d แห่ง จึงไม่ได้นำเข้า", "the file has %d villages outside your area, so nothing was imported", len(list)))
		return
	}
	if len(res.Problems) > 0 && !j.SkipInvalid {
		fail(apperr.T("ไฟล์มีข้อผิดพลาด จึงไม่ได้บันทึกข้อมูลใด ๆ (นำเข้าทั้งหมดหรือไม่นำเข้าเลย)", "the file has problems, so nothing was written (all or nothing)"))
		return
	}
	hs, _ := s.hstore()
	if j.DryRun {
		keys := map[string]bool{}
		for _, h := range res.Households {
			keys[h.Key()] = true
		}
		tambons := map[string]bool{}
		for _, h := range res.Households {
			tambons[h.VillageCode[:6]] = true
		}
		stored := 0
		for t := range tambons {
			err := hs.EachHousehold(ctx, rd.ID, t, func(rec survey.Record) error {
				if keys[rec.Key] {
					stored++
				}
				return nil
			})
			if err != nil {
				fail(problemMessage(err))
				return
			}
		}
		j.mu.Lock()
		j.Known, j.New, j.State = stored, len(res.Households)-stored, "done"
		j.Message = apperr.T("ตรวจสอบแล้ว ยังไม่ได้บันทึก (ทดลองนำเข้า)", "checked, nothing written (dry run)")
		j.mu.Unlock()
		return
	}
	j.mu.Lock()
	j.State = "writing"
	j.mu.Unlock()
	sum, err := s.writeHouseholds(ctx, eng, rd.ID, res.Households, u.Username, func(done int) {
		j.mu.Lock()
		j.Done = done
		j.mu.Unlock()
	})
	if err != nil {
		var ps apperr.Problems
		if errors.As(err, &ps) {
			j.mu.Lock()
			j.Problems = append(j.Problems, ps...)
			j.mu.Unlock()
		}
		fail(problemMessage(err))
		return
	}
	detail, _ := json.Marshal(map[string]any{"file": j.File, "inserted": sum.Inserted, "updated": sum.Updated, "unchanged": sum.Unchanged, "skipped": len(res.Invalid)})
	if err := hs.AuditEvent(ctx, u.Username, "household.import", "", "round:"+rd.ID, string(detail)); err != nil {
		s.log.Error("audit import", "err", err)
	}
	j.mu.Lock()
	j.Summary, j.State = sum, "done"
	j.Message = apperr.T("นำเข้าเรียบร้อย", "imported")
	j.mu.Unlock()
}

func (s *Server) importStatus(w http.ResponseWriter, r *http.Request) error {
	j, err := findJob(r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	b := importStatusBody{State: j.State, Total: j.Valid, Done: j.Done, Inserted: j.Summary.Inserted, Updated: j.Summary.Updated,
		Unchanged: j.Summary.Unchanged, Problems: len(j.Problems) + j.More, Message: j.Message}
	j.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, b)
}

func (s *Server) importProblems(w http.ResponseWriter, r *http.Request) error {
	j, err := findJob(r)
	if err != nil {
		return err
	}
	j.mu.Lock()
	ps := slices.Clone(j.Problems)
	j.mu.Unlock()
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="import-problems.xlsx"`)
	return tabular.WriteProblemsXLSX(w, ps)
}

// householdTemplate serves the import template of a round's indicator set
// (?round=), or of the newest household round.
func (s *Server) householdTemplate(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	want := r.URL.Query().Get("round")
	setID := ""
	for _, rd := range rounds {
		if rd.AggregateOnly {
			continue
		}
		if rd.ID == want || (want == "" && setID == "") {
			setID = rd.SetID
		}
	}
	if setID == "" {
		setID = "bmn-2566-2570"
	}
	set, err := indicator.Lookup(setID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="households-%s.xlsx"`, setID))
	xw := tabular.NewXLSXWriter(w)
	if err := surveyfile.WriteTemplate(xw, set, true); err != nil {
		return err
	}
	return xw.Close()
}

// problemMessage says what went wrong in one sentence; the problems
// themselves are listed in the table below it.
func problemMessage(err error) apperr.Text {
	var ps apperr.Problems
	if errors.As(err, &ps) {
		return apperr.Tf("ไฟล์มีข้อผิดพลาด %d รายการ จึงไม่ได้บันทึกข้อมูลใด ๆ ดูรายละเอียดด้านล่าง",
			"the file has %d problems, so nothing was written: see below", len(ps))
	}
	return apperr.MessageOf(err)
}
