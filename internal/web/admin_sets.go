package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
)

// setsRoutes is the administrator's page of indicator sets: every stored
// version, the rounds pinned to each, the file to download, an upload that
// checks and imports a new version, and a form to set a threshold.
func (s *Server) setsRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /admin/sets", page(s.adminSets))
	mux.Handle("GET /admin/sets/{id}/{version}", page(s.adminSetFile))
	mux.Handle("POST /admin/sets", page(s.adminImportSet))
	mux.Handle("POST /admin/sets/threshold", page(s.adminSetThreshold))
	mux.Handle("GET /admin/sets/jobs/{id}", s.api(s.thresholdStatus))
}

// setAdminStore is what the page needs from storage. *store.Store
// implements it.
type setAdminStore interface {
	SetVersions(ctx context.Context) ([]store.SetVersion, error)
	SetVersion(ctx context.Context, id string, version int) (store.SetVersion, []byte, error)
	ImportSet(ctx context.Context, b []byte, by, note string) (store.SetVersion, bool, error)
	SetThreshold(ctx context.Context, id, name string, year int, value float64, by string) (store.ThresholdChange, error)
	RecomputeRound(ctx context.Context, round string, eng *engine.Engine, progress func(done, total int)) (*store.Recomputed, error)
	RepinRecomputed(ctx context.Context, rc *store.Recomputed, from, to int) error
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
}

func (s *Server) setStore() (setAdminStore, error) {
	ss, ok := s.store.(setAdminStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่เก็บชุดตัวชี้วัด", "this store does not keep indicator sets"))
	}
	return ss, nil
}

// maxSetFile bounds an uploaded set file; the built-in sets are under 70 kB.
const maxSetFile = 2 << 20

type adminSetsData struct {
	Versions []store.SetVersion
	Job      *thresholdJobView // a threshold change's recompute (?job=)
	Done     string            // import, same, threshold
	DoneSet  string
	DoneVer  int
	Moved    []string // rounds recomputed under a threshold change
	Error    string   // why an upload or a threshold was refused
	TH       thresholdForm
}

type thresholdForm struct{ Set, Name, Year, Value string }

func (s *Server) adminSets(w http.ResponseWriter, r *http.Request) error {
	d := adminSetsData{Done: r.URL.Query().Get("done"), DoneSet: r.URL.Query().Get("set"),
		DoneVer: atoiOr(r.URL.Query().Get("version")), Moved: splitNonEmpty(r.URL.Query().Get("rounds"))}
	if id := r.URL.Query().Get("job"); id != "" {
		if _, err := mayOpenRounds(r); err != nil {
			return err
		}
		j, err := findThresholdJob(id)
		if err != nil {
			return err
		}
		v := j.view()
		d.Job = &v
	}
	return s.renderSets(w, r, http.StatusOK, d)
}

func (s *Server) renderSets(w http.ResponseWriter, r *http.Request, status int, d adminSetsData) error {
	if _, err := mayOpenRounds(r); err != nil {
		return err
	}
	ss, err := s.setStore()
	if err != nil {
		return err
	}
	if d.Versions, err = ss.SetVersions(r.Context()); err != nil {
		return err
	}
	lang := langFrom(r.Context())
	return s.render(w, r, status, "admin_sets", s.msgs.text(lang, "sets.title"), d)
}

// adminSetFile downloads one version's file, exactly as stored.
func (s *Server) adminSetFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := mayOpenRounds(r); err != nil {
		return err
	}
	ss, err := s.setStore()
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("version"), ".json"))
	if err != nil || version < 1 {
		return apperr.New(apperr.NotFound, apperr.T("ไม่มีรุ่นนี้", "there is no such version"))
	}
	v, body, err := ss.SetVersion(r.Context(), r.PathValue("id"), version)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-v%d.json"`, v.ID, v.Version))
	_, err = w.Write(body)
	return err
}

// adminImportSet checks an uploaded set file whole and stores it as a new
// version; a refused file is named with where and why and stores nothing.
func (s *Server) adminImportSet(w http.ResponseWriter, r *http.Request) error {
	u, err := mayOpenRounds(r)
	if err != nil {
		return err
	}
	ss, err := s.setStore()
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSetFile+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่พบไฟล์ที่ส่งมา", "no file was uploaded"))
	}
	var file []byte
	var note string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอนหรือใหญ่เกิน 2 MB", "the upload was cut off or is over 2 MB"))
		}
		b, err := io.ReadAll(io.LimitReader(part, maxSetFile+1))
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอน โปรดลองใหม่", "the upload was cut off: try again"))
		}
		switch part.FormName() {
		case "file":
			file = b
		case "note":
			note = strings.TrimSpace(string(b))
		}
	}
	lang := langFrom(r.Context())
	if len(file) == 0 || len(file) > maxSetFile || len(note) > 1000 {
		return s.renderSets(w, r, http.StatusUnprocessableEntity, adminSetsData{Error: s.msgs.text(lang, "sets.upload.missing")})
	}
	v, created, err := ss.ImportSet(r.Context(), file, u.Username, note)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.renderSets(w, r, http.StatusUnprocessableEntity, adminSetsData{Error: apperr.MessageOf(err).In(lang)})
	}
	if err != nil {
		return err
	}
	done := "same"
	if created {
		done = "import"
		detail, _ := json.Marshal(map[string]any{"version": v.Version, "sha256": v.Digest, "note": note})
		if err := ss.AuditEvent(r.Context(), u.Username, store.AuditSetImport, "", store.AuditSetObject+v.ID, string(detail)); err != nil {
			return err
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/sets?done=%s&set=%s&version=%d", done, url.QueryEscape(v.ID), v.Version), http.StatusSeeOther)
	return nil
}

// adminSetThreshold sets one threshold for a survey year: a new version,
// audited, then every round that used the set recomputed from its stored
// households and moved to it, one transaction per round, in the background:
// the page follows the job (/admin/sets?job=…, polling
// /admin/sets/jobs/{id}). One change is recomputed at a time.
func (s *Server) adminSetThreshold(w http.ResponseWriter, r *http.Request) error {
	u, err := mayOpenRounds(r)
	if err != nil {
		return err
	}
	ss, err := s.setStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	f := thresholdForm{Set: strings.TrimSpace(r.FormValue("set")), Name: strings.TrimSpace(r.FormValue("name")),
		Year: strings.TrimSpace(r.FormValue("year")), Value: strings.TrimSpace(r.FormValue("value"))}
	year, err1 := strconv.Atoi(f.Year)
	value, err2 := strconv.ParseFloat(strings.ReplaceAll(f.Value, ",", ""), 64)
	if err1 != nil || err2 != nil {
		return s.renderSets(w, r, http.StatusUnprocessableEntity, adminSetsData{TH: f, Error: s.msgs.text(lang, "sets.th.bad")})
	}
	j := &thresholdJob{Owner: u.Username, Started: s.now(), State: "running"}
	if running := startThresholdJob(j, s.now()); running != nil {
		return s.renderSets(w, r, http.StatusConflict, adminSetsData{TH: f, Error: s.msgs.text(lang, "sets.job.busy")})
	}
	started := false
	defer func() {
		if !started {
			forgetThresholdJob(j.ID)
		}
	}()
	c, err := ss.SetThreshold(ctx, f.Set, f.Name, year, value, u.Username)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
		return s.renderSets(w, r, http.StatusUnprocessableEntity, adminSetsData{TH: f, Error: apperr.MessageOf(err).In(lang)})
	}
	if err != nil {
		return err
	}
	if c.Created {
		var old any
		if c.HadOld {
			old = c.Old
		}
		detail, _ := json.Marshal(map[string]any{"threshold": c.Name, "year": c.Year, "old": old, "new": value, "version": c.Version})
		if err := ss.AuditEvent(ctx, u.Username, store.AuditSetThreshold, "", store.AuditSetObject+c.Set, string(detail)); err != nil {
			return err
		}
	}
	j.mu.Lock()
	j.Set, j.Version, j.Rounds = c.Set, c.Version, c.RoundsToMove()
	j.mu.Unlock()
	started = true
	go s.runThresholdJob(j, ss, c)
	http.Redirect(w, r, "/admin/sets?job="+url.QueryEscape(j.ID), http.StatusSeeOther)
	return nil
}

// thresholdStatus is the job's progress as JSON, for the page to poll.
func (s *Server) thresholdStatus(w http.ResponseWriter, r *http.Request) error {
	if _, err := mayOpenRounds(r); err != nil {
		return err
	}
	j, err := findThresholdJob(r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, j.view())
}

// runThresholdJob recomputes each round of a threshold change under its
// new version and moves it there, as tambon sets threshold does, counting
// the households done into j. A failed round is rolled back whole (its
// figures and version stay as they were) and ends the job.
func (s *Server) runThresholdJob(j *thresholdJob, ss setAdminStore, c store.ThresholdChange) {
	ctx := context.Background()
	err := s.repinRounds(ctx, j, ss, c)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Finished, j.RoundEnded = s.now(), time.Now()
	if err != nil {
		j.State, j.Message = "failed", apperr.MessageOf(err)
		if apperr.CodeOf(err) == apperr.Internal {
			s.log.Error("threshold recompute", "set", c.Set, "version", c.Version, "round", j.Round, "err", err)
			j.Message = apperr.T("คำนวณใหม่ไม่สำเร็จเพราะข้อผิดพลาดของระบบ", "the recompute failed on a system error")
		}
		return
	}
	j.State = "done"
}

func (s *Server) repinRounds(ctx context.Context, j *thresholdJob, ss setAdminStore, c store.ThresholdChange) error {
	v, body, err := ss.SetVersion(ctx, c.Set, c.Version)
	if err != nil {
		return err
	}
	if _, err := indicator.Intern(body); err != nil {
		return err
	}
	for _, id := range c.RoundsToMove() {
		j.mu.Lock()
		j.Round, j.Done, j.Total, j.RoundStarted, j.RoundEnded = id, 0, 0, time.Now(), time.Time{}
		j.mu.Unlock()
		rd, err := s.store.Round(ctx, id)
		if err != nil {
			return err
		}
		rd.SetVersion, rd.SetDigest = v.Version, v.Digest
		eng, err := engine.ForRound(rd)
		if err != nil {
			return err
		}
		for attempt := 1; ; attempt++ {
			rc, err := ss.RecomputeRound(ctx, id, eng, func(done, total int) {
				j.mu.Lock()
				j.Done, j.Total = done, total
				j.mu.Unlock()
			})
			if err != nil {
				return err
			}
			err = ss.RepinRecomputed(ctx, rc, c.Rounds[id], v.Version)
			if err == nil {
				break
			}
			if !apperr.Is(err, apperr.Conflict) || attempt == 5 {
				return err
			}
		}
		j.mu.Lock()
		j.Moved = append(j.Moved, id)
		j.mu.Unlock()
	}
	return nil
}

// thresholdJob is a threshold change being recomputed in the background.
type thresholdJob struct {
	mu           sync.Mutex
	ID           string
	Owner        string
	Set          string
	Version      int
	Rounds       []string // the rounds to move, in order
	Moved        []string // the rounds moved so far
	Round        string   // the round being recomputed
	Done, Total  int      // its households done and stored
	Started      time.Time
	RoundStarted time.Time // on the server's clock, for the rate
	RoundEnded   time.Time // the same, once the job ended (zero while it runs)
	Finished     time.Time
	State        string // running, done, failed
	Message      apperr.Text
}

// thresholdJobView is a job as the page and its JSON show it.
type thresholdJobView struct {
	ID      string      `json:"id"`
	State   string      `json:"state"`
	Set     string      `json:"set"`
	Version int         `json:"version"`
	Rounds  []string    `json:"rounds"`
	Moved   []string    `json:"moved"`
	Round   string      `json:"round"`
	Done    int         `json:"done"`
	Total   int         `json:"total"`
	Rate    int         `json:"rate"` // households a second in the current round
	Message apperr.Text `json:"message"`
}

func (j *thresholdJob) view() thresholdJobView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := thresholdJobView{ID: j.ID, State: j.State, Set: j.Set, Version: j.Version, Rounds: slices.Clone(j.Rounds),
		Moved: slices.Clone(j.Moved), Round: j.Round, Done: j.Done, Total: j.Total, Message: j.Message}
	end := j.RoundEnded
	if end.IsZero() {
		end = time.Now()
	}
	if secs := end.Sub(j.RoundStarted).Seconds(); j.Done > 0 && secs > 0 {
		v.Rate = int(float64(j.Done) / secs)
	}
	if v.Rounds == nil {
		v.Rounds = []string{}
	}
	if v.Moved == nil {
		v.Moved = []string{}
	}
	return v
}

// thresholdJobs holds the threshold changes recomputed by this server;
// finished ones are forgotten after an hour.
var thresholdJobs = struct {
	sync.Mutex
	m map[string]*thresholdJob
}{m: map[string]*thresholdJob{}}

// startThresholdJob registers j under a new id, unless another change is
// still being recomputed: then it returns that one.
func startThresholdJob(j *thresholdJob, now time.Time) *thresholdJob {
	thresholdJobs.Lock()
	defer thresholdJobs.Unlock()
	for id, o := range thresholdJobs.m {
		o.mu.Lock()
		state, started := o.State, o.Started
		o.mu.Unlock()
		if state == "running" {
			return o
		}
		if now.Sub(started) > time.Hour {
			delete(thresholdJobs.m, id)
		}
	}
	var raw [9]byte
	rand.Read(raw[:])
	j.ID = hex.EncodeToString(raw[:])
	thresholdJobs.m[j.ID] = j
	return nil
}

func forgetThresholdJob(id string) {
	thresholdJobs.Lock()
	delete(thresholdJobs.m, id)
	thresholdJobs.Unlock()
}

func findThresholdJob(id string) (*thresholdJob, error) {
	thresholdJobs.Lock()
	j := thresholdJobs.m[id]
	thresholdJobs.Unlock()
	if j == nil {
		return nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบงานคำนวณใหม่นี้ (งานที่เสร็จแล้วจะถูกลบหลัง 1 ชั่วโมง)",
			"no such recompute (finished ones are forgotten after an hour)"))
	}
	return j, nil
}

func atoiOr(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
