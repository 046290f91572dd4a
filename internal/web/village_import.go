package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/tabular"
	"tambon/internal/user"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

// villageImportData is the import page: the form, then either what was
// written or every problem of the refused file.
type villageImportData struct {
	Round    village.Round
	Set      *village.Set
	File     string
	Done     bool
	Summary  village.WriteSummary
	Problems apperr.Problems
	More     int // problems not listed
	Refused  string
}

// maxListed is how many problems the page lists; the rest are counted.
const maxListed = 200

// listed is the problems a page lists — at most maxListed — and how many
// more there are.
func listed(ps apperr.Problems) (apperr.Problems, int) {
	if len(ps) > maxListed {
		return ps[:maxListed], len(ps) - maxListed
	}
	return ps, 0
}

// fileProblems are the problems of a refused file: err's own, or, when err
// has one of codes, one problem naming the file with err's message; false
// when err is not the file's fault but the server's.
func fileProblems(err error, file string, codes ...apperr.Code) (apperr.Problems, bool) {
	var ps apperr.Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	if slices.Contains(codes, apperr.CodeOf(err)) {
		return apperr.Problems{{File: file, Reason: apperr.MessageOf(err)}}, true
	}
	return nil, false
}

// villageImportPage shows the upload form.
func (s *Server) villageImportPage(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditHouseholds) {
		return denied()
	}
	_, rd, set, _, err := s.villageRound(r.Context(), r.PathValue("vround"))
	if err != nil {
		return err
	}
	return s.renderVillageImport(w, r, http.StatusOK, &villageImportData{Round: rd, Set: set})
}

// villageImportUpload reads the uploaded file and writes it all or not at
// all. Every village must be in the account's area.
func (s *Server) villageImportUpload(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditHouseholds) {
		return denied()
	}
	ctx := r.Context()
	vs, rd, set, _, err := s.villageRound(ctx, r.PathValue("vround"))
	if err != nil {
		return err
	}
	d := &villageImportData{Round: rd, Set: set}
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่พบไฟล์ที่ส่งมา", "no file was uploaded"))
	}
	lang := langFrom(ctx)
	check := func(code string) (apperr.Text, bool) {
		if a, ok := s.areas.Get(code); !ok || a.Level != area.Village {
			return villagefile.Known(func(string) bool { return false })(code)
		}
		if !u.CanAt(user.EditHouseholds, code) {
			return apperr.Tf("หมู่บ้าน %s อยู่นอกพื้นที่ของบัญชีนี้ (%s)", "village %s is outside this account's area (%s)", code, u.AreaCode), false
		}
		return apperr.Text{}, true
	}
	var recs []village.Record
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอน โปรดลองใหม่", "the upload was cut off: try again"))
		}
		if part.FormName() != "file" || part.FileName() == "" || d.File != "" {
			part.Close()
			continue
		}
		d.File = part.FileName()
		rdr, err := tabular.OpenStream(d.File, part, tabular.Options{Expect: villagefile.Columns(set)})
		if err != nil {
			return s.villageImportRefused(w, r, d, err)
		}
		var ps apperr.Problems
		recs, ps, err = villagefile.Read(rdr, set, check)
		rdr.Close()
		part.Close()
		if err != nil {
			return s.villageImportRefused(w, r, d, err)
		}
		if len(ps) > 0 {
			d.Problems, d.More = listed(ps)
			d.Refused = s.msgs.text(lang, "kcc.imp.refused", "n", len(ps))
			return s.renderVillageImport(w, r, http.StatusUnprocessableEntity, d)
		}
	}
	if d.File == "" {
		return apperr.New(apperr.Invalid, apperr.T("โปรดเลือกไฟล์ CSV หรือ XLSX", "choose a CSV or XLSX file"))
	}
	if d.Summary, err = vs.WriteVillages(ctx, rd.ID, recs, u.Username); err != nil {
		return s.villageImportRefused(w, r, d, err)
	}
	d.Done = true
	if hs, err := s.hstore(); err == nil {
		if err := hs.AuditEvent(ctx, u.Username, "village.import", u.AreaCode, "village-round:"+rd.ID,
			fmt.Sprintf(`{"file":%q,"inserted":%d,"updated":%d,"unchanged":%d}`, d.File, d.Summary.Inserted, d.Summary.Updated, d.Summary.Unchanged)); err != nil {
			return err
		}
	}
	return s.renderVillageImport(w, r, http.StatusOK, d)
}

// villageImportRefused shows a file that could not be read (or written) on
// the import page, with its problems when the error locates them.
func (s *Server) villageImportRefused(w http.ResponseWriter, r *http.Request, d *villageImportData, err error) error {
	ps, ok := fileProblems(err, d.File, apperr.Invalid)
	if !ok {
		return err
	}
	d.Problems = ps
	d.Refused = s.msgs.text(langFrom(r.Context()), "kcc.imp.refused", "n", len(d.Problems))
	return s.renderVillageImport(w, r, http.StatusUnprocessableEntity, d)
}

func (s *Server) renderVillageImport(w http.ResponseWriter, r *http.Request, status int, d *villageImportData) error {
	return s.render(w, r, status, "village_import", s.msgs.text(langFrom(r.Context()), "kcc.imp.title", "year", d.Round.SurveyYear), d)
}
