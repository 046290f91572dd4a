package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
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

// An import runs as a job: the upload is spooled to a temporary file (0600)
// while the request lasts, checked at once for what refuses a whole file,
// then read, checked and written in the background, and the page polls
// /imports/{id} (household.js) until it is done; the file is removed at the
// end. A 200 MB workbook takes minutes; a request held open that long dies
// on the first flaky mobile connection. The file is read twice
// (surveyfile.Stream) and written as it is read the second time, in one
// transaction, so the server holds a batch of households, not the file.

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
	var (
		rdr  *tabular.Reader
		path string
	)
	opts := tabular.Options{Expect: surveyfile.Columns(eng.Set())}
	defer func() {
		if rdr == nil && path != "" {
			os.Remove(path) // not handed to a job
		}
	}()
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
			if path, err = tabular.Spool(j.File, part, opts); err != nil {
				return s.importRefused(w, r, rd, j, err)
			}
			if rdr, err = tabular.OpenNamed(path, j.File, opts); err != nil {
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
	first := rdr
	open := func(pass int) (*tabular.Reader, error) {
		if r := first; r != nil {
			first = nil
			return r, nil // the reader that checked the file, for the first pass
		}
		again := opts
		again.Checked = true
		return tabular.OpenNamed(path, j.File, again)
	}
	go func() {
		defer func() {
			if first != nil {
				first.Close() // the job ended before reading
			}
			os.Remove(path)
		}()
		s.runImport(j, u, rd, eng, open)
	}()
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

// householdImporter is what an import needs from the store beyond
// householdStore. *store.Store implements it.
type householdImporter interface {
	ImportHouseholds(ctx context.Context, eng *engine.Engine, round, by string, progress func(done int),
		fill func(add func(h *survey.Household) error) error) (survey.WriteSummary, error)
	CountStoredHouseholds(ctx context.Context, round string, keys []string) (int, error)
}

// errNotWritten stops an import's transaction when the file turned out to
// have problems (or villages outside the user's area): its households are
// checked to the end, and nothing is written.
var errNotWritten = errors.New("import not written")

func (s *Server) runImport(j *importJob, u *user.User, rd survey.Round, eng *engine.Engine, open func(pass int) (*tabular.Reader, error)) {
	set := eng.Set()
	ctx := context.Background()
	fail := func(msg apperr.Text) {
		j.mu.Lock()
		j.State, j.Message = "failed", msg
		j.mu.Unlock()
	}
	hs, err := s.hstore()
	if err != nil {
		fail(problemMessage(err))
		return
	}
	im, ok := s.store.(householdImporter)
	if !ok {
		fail(apperr.T("ระบบจัดเก็บนี้ไม่รองรับการนำเข้าครัวเรือน", "this store cannot import households"))
		return
	}
	known := func(code string) bool { a, ok := s.areas.Get(code); return ok && a.Level == area.Village }
	outside := map[string]bool{}
	opts := surveyfile.ReadOptions{KnownVillage: known, Now: s.now, Planned: func(households int) {
		j.mu.Lock()
		j.Total, j.Valid = households, households
		if !j.DryRun {
			j.State = "writing"
		}
		j.mu.Unlock()
	}}
	// A dry run counts which valid households are stored already, a batch
	// of keys at a time.
	var keys []string
	stored, checked := 0, 0
	countStored := func() error {
		n, err := im.CountStoredHouseholds(ctx, rd.ID, keys)
		stored += n
		keys = keys[:0]
		return err
	}
	var res *surveyfile.Summary
	read := func(add func(h *survey.Household) error) error {
		var err error
		res, err = surveyfile.Stream(open, set, rd, opts, func(h *survey.Household, problems int) error {
			checked++
			if !u.CanAt(user.EditHouseholds, h.VillageCode) {
				outside[h.VillageCode] = true
			}
			j.mu.Lock()
			j.Done = checked
			j.mu.Unlock()
			switch {
			case j.DryRun:
				if keys = append(keys, h.Key()); len(keys) == 500 {
					return countStored()
				}
				return nil
			case len(outside) > 0 || problems > 0 && !j.SkipInvalid:
				return nil // nothing will be written: check the rest
			}
			return add(h)
		})
		if err != nil {
			return err
		}
		if len(outside) > 0 || len(res.Problems) > 0 && !j.SkipInvalid || j.DryRun {
			return errNotWritten
		}
		return nil
	}
	var sum survey.WriteSummary
	if j.DryRun {
		err = read(func(*survey.Household) error { return nil })
		if errors.Is(err, errNotWritten) && len(keys) > 0 {
			err = countStored()
		}
	} else {
		sum, err = im.ImportHouseholds(ctx, eng, rd.ID, u.Username, nil, read)
	}
	if res != nil {
		j.mu.Lock()
		j.Total, j.Valid, j.Problems, j.Warnings, j.More = res.Total, res.Valid, res.Problems, res.Warnings, res.More
		j.mu.Unlock()
	}
	if err != nil && !errors.Is(err, errNotWritten) {
		var ps apperr.Problems
		if errors.As(err, &ps) {
			j.mu.Lock()
			j.Problems = append(j.Problems, ps...)
			j.mu.Unlock()
		}
		fail(problemMessage(err))
		return
	}
	if len(outside) > 0 {
		list := slices.Sorted(maps.Keys(outside))
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
	if j.DryRun {
		j.mu.Lock()
		j.Known, j.New, j.State = stored, res.Valid-stored, "done"
		j.Message = apperr.T("ตรวจสอบแล้ว ยังไม่ได้บันทึก (ทดลองนำเข้า)", "checked, nothing written (dry run)")
		j.mu.Unlock()
		return
	}
	detail, _ := json.Marshal(map[string]any{"file": j.File, "inserted": sum.Inserted, "updated": sum.Updated, "unchanged": sum.Unchanged, "skipped": res.Invalid})
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
	var set *indicator.Set
	for _, rd := range rounds {
		if rd.AggregateOnly {
			continue
		}
		if rd.ID == want || (want == "" && set == nil) {
			// The version of the set the round is pinned to.
			if set, err = indicator.ForRound(rd); err != nil {
				return err
			}
		}
	}
	if set == nil {
		if set, err = s.householdSet(r.Context(), "bmn-2566-2570"); err != nil {
			return err
		}
	}
	setID := set.ID
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
