package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/tabular"
	"tambon/internal/tpmap"
	"tambon/internal/user"
	"tambon/internal/welfare"
)

// The state welfare-card register (docs/welfare.md): its lists are
// imported per area and round by those who may handle personal-data files
// (export_personal), matched to the round's households, counted on the area
// page for signed-in officials (welfare_box.go) and listed by group
// (welfare_people.go). Nothing of it is on the public pages.

// welfareRoutes registers the pages; routes.go calls it once.
func (s *Server) welfareRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /areas/{code}/welfare", page(s.welfareListsPage))
	mux.Handle("POST /areas/{code}/welfare", page(s.welfareUpload))
	mux.Handle("POST /welfare/lists/{id}/delete", page(s.welfareDelete))
	mux.Handle("GET /rounds/{round}/areas/{code}/welfare", page(s.welfarePeople))
	mux.Handle("GET /admin/welfare", page(s.adminWelfare))
	mux.Handle("POST /admin/welfare", page(s.adminWelfareSave))
}

// welfareStore is what the pages need from storage. *store.Store
// implements it.
type welfareStore interface {
	ImportWelfare(ctx context.Context, im store.WelfareImport, entries []welfare.Entry) (store.WelfareImport, error)
	WelfareImports(ctx context.Context, round, scope string) ([]store.WelfareImport, error)
	DeleteWelfareImport(ctx context.Context, id int64, scope, by string) (store.WelfareImport, error)
	WelfareArea(ctx context.Context, j *welfare.Judge, round, code string, list welfare.Group) (store.WelfareReport, error)
	WelfareRawIDs(ctx context.Context) bool
	SetWelfareRawIDs(ctx context.Context, on bool, by string) error
	TPMAPYears(ctx context.Context, areaCode string) ([]int, error)
	TPMAPTargetPoor(ctx context.Context, areaCode string, year int) (tpmap.TargetPoor, bool, error)
}

func (s *Server) wstore() (welfareStore, error) {
	ws, ok := s.store.(welfareStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับทะเบียนบัตรสวัสดิการแห่งรัฐ", "this store does not keep the welfare-card register"))
	}
	return ws, nil
}

// welfareArea checks an area a register list can be for: a province or
// anything below.
func (s *Server) welfareArea(code string) (area.Area, error) {
	a, err := s.areaOr404(code)
	if err != nil {
		return a, err
	}
	if a.Level == area.Country {
		return a, apperr.New(apperr.NotFound, apperr.T("ทะเบียนบัตรสวัสดิการแห่งรัฐมีตั้งแต่ระดับจังหวัดลงไป", "the welfare-card register is kept from the province level down"))
	}
	return a, nil
}

// welfareJudge is the judge of TPMAP's dimensions for a round; ok is false
// when tambon has no mapping for the round's indicator set.
func (s *Server) welfareJudge(ctx context.Context, id string) (survey.Round, *welfare.Judge, bool, error) {
	rd, eng, err := s.roundOf(ctx, id)
	if err != nil {
		return rd, nil, false, err
	}
	m, ok := welfare.MappingFor(eng.Set().ID)
	if !ok {
		return rd, nil, false, nil
	}
	j, err := welfare.NewJudge(m, eng.Set(), eng.SurveyYear())
	return rd, j, err == nil, err
}

// welfareListsData is the register page of an area: the lists imported
// for it (or inside it), and the upload form.
type welfareListsData struct {
	Area      area.Area
	Crumbs    []area.Area
	Lists     []welfareListRow
	Rounds    []survey.Round // household rounds a list can be matched to
	Round     string         // the one chosen first: the round the area page showed
	CanImport bool
	RawIDs    bool
	Done      string // the list just imported or deleted
	Problems  apperr.Problems
	More      int
	Refused   string
	File      string
}

type welfareListRow struct {
	store.WelfareImport
	AreaName  string
	RoundName string
	At        string
}

func (s *Server) welfareListsPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.welfareArea(r.PathValue("code"))
	if err != nil {
		return err
	}
	u, err := allow(r, user.ViewHouseholds, a.Code)
	if err != nil {
		return err
	}
	d, err := s.welfareLists(r, u, a)
	if err != nil {
		return err
	}
	switch {
	case r.URL.Query().Get("deleted") != "":
		d.Done = s.msgs.text(langFrom(r.Context()), "welfare.deleted", "n", r.URL.Query().Get("deleted"))
	case r.URL.Query().Get("imported") != "":
		d.Done = s.msgs.text(langFrom(r.Context()), "welfare.imported", "n", r.URL.Query().Get("imported"))
	}
	return s.renderWelfareLists(w, r, http.StatusOK, d)
}

func (s *Server) welfareLists(r *http.Request, u *user.User, a area.Area) (*welfareListsData, error) {
	ctx := r.Context()
	ws, err := s.wstore()
	if err != nil {
		return nil, err
	}
	d := &welfareListsData{Area: a, Crumbs: s.areas.Ancestors(a.Code), CanImport: u.CanAt(user.ExportPersonal, a.Code), RawIDs: ws.WelfareRawIDs(ctx),
		Round: r.URL.Query().Get("round")}
	all, err := ws.WelfareImports(ctx, "", a.Code[:2])
	if err != nil {
		return nil, err
	}
	lang := langFrom(ctx)
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, rd := range rounds {
		names[rd.ID] = s.roundName(lang, rd)
		if rd.Kind == survey.KindBMN && !rd.AggregateOnly {
			d.Rounds = append(d.Rounds, rd)
		}
	}
	for _, im := range all {
		if strings.HasPrefix(im.Area, a.Code) || strings.HasPrefix(a.Code, im.Area) {
			row := welfareListRow{WelfareImport: im, RoundName: names[im.Round], At: when(im.At, lang)}
			if x, ok := s.areas.Get(im.Area); ok {
				row.AreaName = areaTitle(lang, x)
			}
			d.Lists = append(d.Lists, row)
		}
	}
	return d, nil
}

func (s *Server) renderWelfareLists(w http.ResponseWriter, r *http.Request, status int, d *welfareListsData) error {
	lang := langFrom(r.Context())
	return s.render(w, r, status, "welfare_lists", s.msgs.text(lang, "welfare.lists.title", "area", areaTitle(lang, d.Area)), d)
}

// welfareUpload reads an uploaded list (CSV or XLSX) and stores it all or
// not at all; the store audits it.
func (s *Server) welfareUpload(w http.ResponseWriter, r *http.Request) error {
	a, err := s.welfareArea(r.PathValue("code"))
	if err != nil {
		return err
	}
	u, err := allow(r, user.ExportPersonal, a.Code)
	if err != nil {
		return err
	}
	ws, err := s.wstore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.welfareLists(r, u, a)
	if err != nil {
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่พบไฟล์ที่ส่งมา", "no file was uploaded"))
	}
	var (
		round   string
		entries []welfare.Entry
	)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.T("การส่งไฟล์ขาดตอน โปรดลองใหม่", "the upload was cut off: try again"))
		}
		switch {
		case part.FormName() == "round":
			b, _ := io.ReadAll(io.LimitReader(part, 100))
			round = strings.TrimSpace(string(b))
		case part.FormName() == "file" && part.FileName() != "" && d.File == "":
			d.File = part.FileName()
			rd, err := tabular.OpenStream(d.File, part, tabular.Options{Expect: welfare.Columns()})
			if err != nil {
				part.Close()
				return s.welfareRefused(w, r, d, err)
			}
			var ps apperr.Problems
			entries, ps, err = welfare.Read(rd, welfare.InArea(s.isVillage, a.Code))
			rd.Close()
			if err != nil {
				part.Close()
				return s.welfareRefused(w, r, d, err)
			}
			if len(ps) > 0 {
				part.Close()
				return s.welfareRefused(w, r, d, ps)
			}
		}
		part.Close()
	}
	if d.File == "" {
		return apperr.New(apperr.Invalid, apperr.T("โปรดเลือกไฟล์ CSV หรือ XLSX", "choose a CSV or XLSX file"))
	}
	if _, err := s.store.Round(ctx, round); err != nil {
		return s.welfareRefused(w, r, d, apperr.New(apperr.Invalid, apperr.T("โปรดเลือกรอบการสำรวจที่จะเทียบรายชื่อ", "choose the survey round to match the list to")))
	}
	im, err := ws.ImportWelfare(ctx, store.WelfareImport{Round: round, Area: a.Code, File: d.File, By: u.Username}, entries)
	if err != nil {
		return s.welfareRefused(w, r, d, err)
	}
	http.Redirect(w, r, "/areas/"+a.Code+"/welfare?imported="+strconv.Itoa(im.Entries), http.StatusSeeOther)
	return nil
}

func (s *Server) isVillage(code string) bool {
	a, ok := s.areas.Get(code)
	return ok && a.Level == area.Village
}

// welfareRefused shows a refused list on the page, with its problems.
func (s *Server) welfareRefused(w http.ResponseWriter, r *http.Request, d *welfareListsData, err error) error {
	ps, ok := fileProblems(err, d.File, apperr.Invalid, apperr.Conflict)
	if !ok {
		return err
	}
	d.Problems, d.More = listed(ps)
	d.Refused = s.msgs.text(langFrom(r.Context()), "welfare.refused", "n", len(ps))
	return s.renderWelfareLists(w, r, http.StatusUnprocessableEntity, d)
}

// welfareDelete deletes a list as a whole; the store checks it lies in the
// account's area and audits it.
func (s *Server) welfareDelete(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.ExportPersonal) {
		return denied()
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, apperr.T("ไม่มีรายชื่อชุดนี้", "there is no such list"))
	}
	if r.PostFormValue("confirm") != "1" {
		return apperr.New(apperr.Invalid, apperr.T("โปรดทำเครื่องหมายยืนยันก่อนลบรายชื่อทั้งชุด", "tick the confirmation before deleting a whole list"))
	}
	ws, err := s.wstore()
	if err != nil {
		return err
	}
	im, err := ws.DeleteWelfareImport(r.Context(), id, u.AreaCode, u.Username)
	if err != nil {
		return err
	}
	back := im.Area
	if !u.Covers(back) {
		back = u.AreaCode
	}
	http.Redirect(w, r, "/areas/"+url.PathEscape(back)+"/welfare?deleted="+strconv.Itoa(im.Entries), http.StatusSeeOther)
	return nil
}

// adminWelfare is the administrator's setting: keep the register's
// citizen IDs as they are, or (the default) only their keyed hashes.
func (s *Server) adminWelfare(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.CanAt(user.ManageUsers, area.CountryCode) {
		return forbidden() // the setting is the installation's: national administrators only
	}
	ws, err := s.wstore()
	if err != nil {
		return err
	}
	d := struct {
		RawIDs bool
		Saved  bool
	}{ws.WelfareRawIDs(r.Context()), r.URL.Query().Get("saved") == "1"}
	return s.render(w, r, http.StatusOK, "welfare_admin", s.msgs.text(langFrom(r.Context()), "welfare.admin.title"), d)
}

func (s *Server) adminWelfareSave(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.CanAt(user.ManageUsers, area.CountryCode) {
		return forbidden() // the setting is the installation's: national administrators only
	}
	ws, err := s.wstore()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	if err := ws.SetWelfareRawIDs(r.Context(), r.PostForm.Get("keep_ids") == "1", u.Username); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/welfare?saved=1", http.StatusSeeOther)
	return nil
}
