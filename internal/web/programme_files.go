package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// Evidence documents and self-assessment of programme participants;
// programmeRoutes calls this.
func (s *Server) programmeFileRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("POST /programmes/{prog}/files", page(s.audited("programme.file", s.programmeFileUpload)))
	mux.Handle("GET /programmes/{prog}/files/{ev}", page(s.programmeFileServe))
	mux.Handle("GET /programmes/{prog}/dossier.zip", page(s.programmeDossier))
	mux.Handle("POST /programmes/{prog}/files/{ev}/delete", page(s.audited("programme.file.delete", s.programmeFileDelete)))
	mux.Handle("POST /programmes/{prog}/self", page(s.audited("programme.self_assessment", s.programmeSelf)))
}

// programmeFileStore is what the evidence pages need from storage.
type programmeFileStore interface {
	AddProgrammeFile(ctx context.Context, programmeID int64, f programme.File, data []byte) (programme.File, error)
	ProgrammeFiles(ctx context.Context, programmeID int64) ([]programme.File, error)
	ProgrammeFile(ctx context.Context, id int64) (programme.File, int64, []byte, error)
	DeleteProgrammeFile(ctx context.Context, programmeID, id int64) (programme.File, error)
	SetSelfAssessment(ctx context.Context, programmeID int64, scores []programme.SelfScore) error
	SelfAssessment(ctx context.Context, programmeID int64) ([]programme.SelfScore, error)
}

func (s *Server) pfstore() (programmeFileStore, error) {
	ps, ok := s.store.(programmeFileStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับเอกสารหลักฐาน", "this store does not hold evidence documents"))
	}
	return ps, nil
}

// programmeFilesOf is programmeOf for the evidence handlers, with their store.
func (s *Server) programmeFilesOf(r *http.Request, a user.Action) (programme.Programme, *user.User, programmeFileStore, error) {
	p, u, _, err := s.programmeOf(r, a)
	if err != nil {
		return p, nil, nil, err
	}
	fs, err := s.pfstore()
	return p, u, fs, err
}

// errNoFile answers for a document that is not there, or not under this programme.
var errNoFile = apperr.New(apperr.NotFound, apperr.T("ไม่พบไฟล์หลักฐานนี้", "no such evidence file"))

// uploadTooLarge is the refusal when the body limit (maxBody) cuts an upload.
func uploadTooLarge() error {
	return apperr.New(apperr.Invalid, apperr.Tf("ไฟล์ใหญ่เกิน %d MB: โปรดย่อหรือแยกไฟล์ก่อนส่ง",
		"the file is larger than %d MB: shrink or split it before sending", programme.MaxFile>>20))
}

// evidenceOf reads an uploaded document: a picture is shrunk as activity
// photos are and kept as JPEG; a PDF is kept as sent; a ZIP is taken as
// XLSX or DOCX by its name. Anything else is refused by CheckFile.
func evidenceOf(name string, data []byte) (programme.File, []byte, error) {
	f := programme.File{Name: path.Base(strings.ReplaceAll(name, `\`, "/"))}
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "image/jpeg", "image/png", "image/gif":
		sh, err := activity.ShrinkPhoto(f.Name, data)
		if err != nil {
			return f, nil, err
		}
		data, ct = sh.Image, "image/jpeg"
		if ext := path.Ext(f.Name); !strings.EqualFold(ext, ".jpg") && !strings.EqualFold(ext, ".jpeg") {
			f.Name = strings.TrimSuffix(f.Name, ext) + ".jpg"
		}
	case "application/zip":
		for t, ext := range programme.FileTypes {
			if strings.EqualFold(path.Ext(f.Name), ext) {
				ct = t
			}
		}
	}
	f.ContentType = ct
	return f, data, programme.CheckFile(&f, len(data))
}

func (s *Server) programmeFileUpload(w http.ResponseWriter, r *http.Request) error {
	p, u, fs, err := s.programmeFilesOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	refuse := func(err error) error { return s.showProgramme(w, r, http.StatusUnprocessableEntity, err) }
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return refuse(uploadTooLarge())
		}
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบไฟล์", "no file was attached")))
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบไฟล์", "no file was attached")))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, programme.MaxFile+1))
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านไฟล์ที่ส่งมาไม่ได้", "cannot read the file sent")))
	}
	f, data, err := evidenceOf(hdr.Filename, data)
	if err != nil {
		return refuse(err)
	}
	f.ParticipantID, _ = strconv.ParseInt(r.FormValue("participant"), 10, 64)
	f.Step, f.By = r.FormValue("step"), u.Username
	if _, err := fs.AddProgrammeFile(r.Context(), p.ID, f, data); apperr.Is(err, apperr.Invalid) {
		return refuse(err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#evidence", p.ID), http.StatusSeeOther)
	return nil
}

// programmeFileDelete removes a document, for those who may edit the
// programme (the audit log keeps who removed what).
func (s *Server) programmeFileDelete(w http.ResponseWriter, r *http.Request) error {
	p, _, fs, err := s.programmeFilesOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("ev"), 10, 64)
	if err != nil {
		return errNoFile
	}
	if _, err := fs.DeleteProgrammeFile(r.Context(), p.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#evidence", p.ID), http.StatusSeeOther)
	return nil
}

// programmeFileServe gives a document to those who may view its programme.
func (s *Server) programmeFileServe(w http.ResponseWriter, r *http.Request) error {
	p, u, fs, err := s.programmeFilesOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("ev"), 10, 64)
	if err != nil {
		return errNoFile
	}
	f, prog, data, err := fs.ProgrammeFile(r.Context(), id)
	if err != nil {
		return err
	}
	if prog != p.ID {
		return errNoFile
	}
	if err := s.participantFilesAllowed(r, p, u, f.ParticipantID); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	disp := "attachment"
	if f.ContentType == "image/jpeg" || f.ContentType == "application/pdf" {
		disp = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.Name}))
	w.Write(data)
	return nil
}

// participantFilesAllowed refuses a participant's documents to an account
// that sees the programme but not the participant's area
// (participantInScope), with the refusal of a programme out of scope.
func (s *Server) participantFilesAllowed(r *http.Request, p programme.Programme, u *user.User, participantID int64) error {
	if u.CanAt(user.ViewPlans, p.AreaCode) {
		return nil
	}
	ps, err := s.prstore()
	if err != nil {
		return err
	}
	pts, err := ps.Participants(r.Context(), p.ID)
	if err != nil {
		return err
	}
	for _, pt := range pts {
		if pt.ID == participantID && participantInScope(u, p, pt) {
			return nil
		}
	}
	return deniedPlan()
}

// programmeSelf records the nominee team's own score and reason per criterion.
func (s *Server) programmeSelf(w http.ResponseWriter, r *http.Request) error {
	p, _, fs, err := s.programmeFilesOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(r.PostFormValue("participant"), 10, 64)
	var scores []programme.SelfScore
	for _, c := range p.Criteria {
		v := strings.TrimSpace(thai.FromThaiDigits(r.PostFormValue("s_" + c.Key)))
		if v == "" {
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s.showProgramme(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.Text{
				TH: fmt.Sprintf("คะแนนประเมินตนเอง เกณฑ์ %s: %q ไม่ใช่ตัวเลข", c.Name.TH, v), EN: fmt.Sprintf("self-assessment of %s: %q is not a number", c.Name.EN, v)}))
		}
		scores = append(scores, programme.SelfScore{ParticipantID: pid, Criterion: c.Key, Score: n, Note: r.PostFormValue("n_" + c.Key)})
	}
	if err := fs.SetSelfAssessment(r.Context(), p.ID, scores); apperr.Is(err, apperr.Invalid) {
		return s.showProgramme(w, r, http.StatusUnprocessableEntity, err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#self", p.ID), http.StatusSeeOther)
	return nil
}

// evidenceView fills the programme page's documents and self-assessment.
func (s *Server) evidenceView(ctx context.Context, lang string, d *programmeViewData, scores []programme.Score) error {
	fs, err := s.pfstore()
	if err != nil {
		return err
	}
	files, err := fs.ProgrammeFiles(ctx, d.P.ID)
	if err != nil {
		return err
	}
	self, err := fs.SelfAssessment(ctx, d.P.ID)
	if err != nil {
		return err
	}
	stepName := map[string]apperr.Text{}
	for _, st := range d.T.Steps {
		stepName[st.Key] = st.Name
	}
	for i := range d.Participants {
		pt := &d.Participants[i]
		if !pt.InScope {
			continue // another area's documents: see participantInScope
		}
		for _, f := range files {
			if f.ParticipantID != pt.ID {
				continue
			}
			pt.Files[f.Step] = append(pt.Files[f.Step], f)
			d.Files = append(d.Files, fileRow{File: f, Who: pt.Name, StepName: stepName[f.Step],
				KB: thai.FormatFloat(float64(f.Size)/1024, 0), Date: formatDate(lang, f.At.In(thai.Bangkok()))})
		}
		if !d.T.SelfAssessment {
			continue
		}
		row := selfRow{ID: pt.ID, Name: pt.Name}
		for _, c := range d.P.Criteria {
			line := selfLine{Key: c.Key, Name: c.Name, Weight: c.Weight, Self: "—", Committee: "—"}
			for _, sc := range self {
				if sc.ParticipantID == pt.ID && sc.Criterion == c.Key {
					line.Self, line.Note = thai.FormatFloat(sc.Score, 0), sc.Note
				}
			}
			var sum float64
			n := 0
			for _, sc := range scores {
				if sc.ParticipantID == pt.ID && sc.Criterion == c.Key {
					sum += sc.Score
					n++
				}
			}
			if n > 0 {
				line.Committee = thai.FormatFloat(sum/float64(n), 1)
			}
			row.Lines = append(row.Lines, line)
		}
		d.Self = append(d.Self, row)
	}
	return nil
}
