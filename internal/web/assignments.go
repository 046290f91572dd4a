package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/assign"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// The field assignments of a round in a tambon: the tambon team gives
// villages, or chosen households of the previous round, to enumerators,
// sees progress per enumerator and per village, and marks what became of a
// visit (refused, moved away, not found). The rules are internal/assign's,
// the same as `tambon assign`; every change is audited.

func (s *Server) assignRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /rounds/{round}/areas/{code}/assignments", page(s.assignPage))
	mux.Handle("GET /rounds/{round}/areas/{code}/assignments.xlsx", page(s.assignExport))
	mux.Handle("POST /rounds/{round}/areas/{code}/assignments", page(s.audited("assign.change", s.assignPost)))
	mux.Handle("POST /rounds/{round}/areas/{code}/outcomes", page(s.audited("assign.outcome", s.outcomePost)))
}

// assignStore is what the page needs of the store (store.Store has it).
type assignStore interface {
	Users(ctx context.Context) ([]user.User, error)
	Assign(ctx context.Context, by user.User, round, village, username string, households []string) error
	Unassign(ctx context.Context, by user.User, round, village string, households []string) error
	AssignProgress(ctx context.Context, round, area string) (store.AssignProgress, error)
	AssignPanel(ctx context.Context, round, area string, names bool) ([]assign.Household, error)
	RecordVisitOutcome(ctx context.Context, round, householdKey string, outcome assign.Outcome, note, by string) error
	ClearVisitOutcome(ctx context.Context, round, householdKey string) error
}

type assignChoice struct{ Value, Label string }

type assignVillageRow struct {
	store.VillageProgress
	Area    area.Area
	Href    string // the village's households on this page
	Whole   string // who holds the whole village, by name
	Others  []string
	Choices []assignChoice // accounts that may be given the village
}

type assignPersonRow struct {
	store.EnumeratorProgress
	Label string
}

type assignHouseholdRow struct {
	assign.Household
	Head     string // masked
	Assignee string // by name
	State    string // the outcome, in the page's language
}

type assignData struct {
	Area      area.Area
	Crumbs    []area.Area
	Round     survey.Round
	PrevName  string
	Progress  store.AssignProgress
	Total     store.VillageProgress
	Villages  []assignVillageRow
	People    []assignPersonRow
	Village   *assignVillageRow // the village whose households are listed
	Rows      []assignHouseholdRow
	Outcomes  []assignChoice
	Errors    []string
	Done      string
	Base      string // this page
	Dashboard string // the completeness dashboard
}

// assignScope checks the request's round and tambon and the account's
// right to assign there.
func (s *Server) assignScope(r *http.Request) (*user.User, area.Area, survey.Round, assignStore, error) {
	code := r.PathValue("code")
	u, err := signedIn(r)
	if err != nil {
		return nil, area.Area{}, survey.Round{}, nil, err
	}
	if !u.CanAt(user.AssignWork, code) {
		return nil, area.Area{}, survey.Round{}, nil, apperr.New(apperr.Forbidden, apperr.T(
			"บัญชีของท่านไม่มีสิทธิ์มอบงานสำรวจในพื้นที่นี้", "your account may not assign survey work in this area"))
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return nil, a, survey.Round{}, nil, err
	}
	if a.Level != area.Subdistrict {
		return nil, a, survey.Round{}, nil, apperr.New(apperr.NotFound, apperr.T(
			"การมอบงานสำรวจจัดทำรายตำบล", "survey work is assigned per tambon"))
	}
	rd, err := s.store.Round(r.Context(), r.PathValue("round"))
	if err != nil {
		return nil, a, rd, nil, err
	}
	if rd.AggregateOnly || rd.Kind != survey.KindBMN {
		return nil, a, rd, nil, apperr.New(apperr.NotFound, apperr.T(
			"รอบนี้ไม่มีรายครัวเรือนให้สำรวจ", "this round has no households to survey"))
	}
	as, ok := s.store.(assignStore)
	if !ok {
		return nil, a, rd, nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับการมอบงาน", "this store keeps no assignments"))
	}
	return u, a, rd, as, nil
}

func (s *Server) assignPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.assignData(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if done := q.Get("done"); done == "assign" || done == "remove" || done == "outcome" {
		d.Done = done
	}
	return s.renderAssign(w, r, http.StatusOK, d)
}

func (s *Server) renderAssign(w http.ResponseWriter, r *http.Request, status int, d *assignData) error {
	lang := langFrom(r.Context())
	return s.render(w, r, status, "assignments", s.msgs.text(lang, "assign.title", "area", areaTitle(lang, d.Area)), d)
}

// assignData builds the page for the request's round and tambon, with the
// households of ?village= listed.
func (s *Server) assignData(r *http.Request) (*assignData, error) {
	u, a, rd, as, err := s.assignScope(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &assignData{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd}
	d.Base = "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + a.Code + "/assignments"
	d.Dashboard = "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + a.Code + "/completeness"
	if d.Progress, err = as.AssignProgress(ctx, rd.ID, a.Code); err != nil {
		return nil, err
	}
	d.Total = d.Progress.Total()
	if d.Progress.Prev != "" {
		d.PrevName = d.Progress.Prev
		if prev, err := s.store.Round(ctx, d.Progress.Prev); err == nil {
			d.PrevName = s.roundName(lang, prev)
		}
	}
	all, err := as.Users(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, x := range all {
		names[x.Username] = accountLabel(x)
	}
	nameOf := func(username string) string {
		if n, ok := names[username]; ok {
			return n
		}
		return username
	}
	byCode := map[string]store.VillageProgress{}
	for _, v := range d.Progress.Villages {
		byCode[v.Code] = v
	}
	// Every register village of the tambon, with the accounts that may be
	// given it: in the assigner's area, enabled, collecting, covering it.
	want := r.URL.Query().Get("village")
	for _, v := range s.areas.Children(a.Code) {
		if v.Level != area.Village {
			continue
		}
		row := assignVillageRow{VillageProgress: byCode[v.Code], Area: v, Href: d.Base + "?village=" + v.Code + "#households"}
		row.Code = v.Code
		if row.VillageProgress.Whole != "" {
			row.Whole = nameOf(row.VillageProgress.Whole)
		}
		for _, x := range row.Assignees {
			if x != row.VillageProgress.Whole {
				row.Others = append(row.Others, nameOf(x))
			}
		}
		for _, x := range all {
			if u.Covers(x.AreaCode) && assign.Check(*u, x, v.Code) == nil {
				row.Choices = append(row.Choices, assignChoice{Value: x.Username, Label: names[x.Username]})
			}
		}
		d.Villages = append(d.Villages, row)
		if v.Code == want {
			d.Village = &d.Villages[len(d.Villages)-1]
		}
	}
	for _, e := range d.Progress.Enumerators {
		d.People = append(d.People, assignPersonRow{EnumeratorProgress: e, Label: nameOf(e.User)})
	}
	for _, o := range assign.Recordable {
		d.Outcomes = append(d.Outcomes, assignChoice{Value: string(o), Label: o.Name().In(lang)})
	}
	if d.Village != nil {
		v := *d.Village
		d.Village = &v
		hs, err := as.AssignPanel(ctx, rd.ID, v.Code, true)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			row := assignHouseholdRow{Household: h, State: h.Outcome.Name().In(lang)}
			if h.Assignee != "" {
				row.Assignee = nameOf(h.Assignee)
			}
			first, last, _ := strings.Cut(h.HeadName, " ")
			row.Head = strings.TrimSpace(maskName(first) + " " + maskName(last))
			d.Rows = append(d.Rows, row)
		}
	}
	return d, nil
}

// accountLabel names an account on a choice: its display name and username.
func accountLabel(u user.User) string {
	if u.DisplayName != "" && u.DisplayName != u.Username {
		return u.DisplayName + " (" + u.Username + ")"
	}
	return u.Username
}

// refused shows the page again with the reasons of a refused form; an error
// that is not the input's goes up as it is.
func (s *Server) refusedAssign(w http.ResponseWriter, r *http.Request, err error) error {
	var ps apperr.Problems
	code := apperr.CodeOf(err)
	if !errors.As(err, &ps) && code != apperr.Invalid && code != apperr.Forbidden && code != apperr.NotFound {
		return err
	}
	d, derr := s.assignData(r)
	if derr != nil {
		return derr
	}
	lang := langFrom(r.Context())
	if len(ps) > 0 {
		for _, p := range ps {
			d.Errors = append(d.Errors, p.Reason.In(lang))
		}
	} else {
		d.Errors = append(d.Errors, apperr.MessageOf(err).In(lang))
	}
	status := http.StatusUnprocessableEntity
	if code == apperr.Forbidden {
		status = http.StatusForbidden
	}
	return s.renderAssign(w, r, status, d)
}

// panelOf finds the previous round's households of a village posted by id.
func panelOf(ctx context.Context, as assignStore, round, village string, ids []string) ([]assign.Household, error) {
	hs, err := as.AssignPanel(ctx, round, village, false)
	if err != nil {
		return nil, err
	}
	byID := map[string]assign.Household{}
	for _, h := range hs {
		byID[strconv.FormatInt(h.ID, 10)] = h
	}
	var out []assign.Household
	for _, id := range ids {
		h, ok := byID[id]
		if !ok {
			return nil, apperr.Problems{{Field: "household", Value: id, Reason: apperr.T(
				"ไม่พบครัวเรือนที่เลือกในหมู่บ้านนี้ของรอบก่อน", "the household chosen is not one of this village's in the previous round")}}
		}
		out = append(out, h)
	}
	return out, nil
}

// assignPost gives a village (or the households ticked) to an account, or
// takes it back (op=remove).
func (s *Server) assignPost(w http.ResponseWriter, r *http.Request) error {
	u, a, rd, as, err := s.assignScope(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	village := strings.TrimSpace(r.PostForm.Get("village"))
	if v, ok := s.areas.Get(village); !ok || v.Level != area.Village || v.Parent != a.Code {
		return s.refusedAssign(w, r, apperr.Problems{{Field: "village", Value: village, Reason: apperr.T(
			"โปรดเลือกหมู่บ้านของตำบลนี้", "please choose a village of this tambon")}})
	}
	noteRecord(ctx, village, nil)
	hs, err := panelOf(ctx, as, rd.ID, village, r.PostForm["household"])
	if err != nil {
		return s.refusedAssign(w, r, err)
	}
	keys := make([]string, len(hs))
	for i, h := range hs {
		keys[i] = h.Key
	}
	done := "assign"
	if r.PostForm.Get("op") == "remove" {
		done = "remove"
		err = as.Unassign(ctx, *u, rd.ID, village, keys)
	} else {
		to := strings.TrimSpace(r.PostForm.Get("username"))
		if to == "" {
			err = apperr.Problems{{Field: "username", Reason: apperr.T("โปรดเลือกผู้จัดเก็บข้อมูล", "please choose an enumerator")}}
		} else {
			err = as.Assign(ctx, *u, rd.ID, village, to, keys)
		}
	}
	if err != nil {
		return s.refusedAssign(w, r, err)
	}
	http.Redirect(w, r, "/rounds/"+url.PathEscape(rd.ID)+"/areas/"+a.Code+"/assignments?village="+village+"&done="+done+"#households", http.StatusSeeOther)
	return nil
}

// outcomePost records what became of the visit to one household, with a
// note, or clears it (outcome=none).
func (s *Server) outcomePost(w http.ResponseWriter, r *http.Request) error {
	u, a, rd, as, err := s.assignScope(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	village := strings.TrimSpace(r.PostForm.Get("village"))
	if v, ok := s.areas.Get(village); !ok || v.Level != area.Village || v.Parent != a.Code {
		return s.refusedAssign(w, r, apperr.Problems{{Field: "village", Value: village, Reason: apperr.T(
			"โปรดเลือกหมู่บ้านของตำบลนี้", "please choose a village of this tambon")}})
	}
	if err := assign.MayRecord(*u, village); err != nil {
		return err
	}
	hs, err := panelOf(ctx, as, rd.ID, village, []string{r.PostForm.Get("household")})
	if err != nil {
		return s.refusedAssign(w, r, err)
	}
	noteRecord(ctx, village, map[string]any{"outcome": string(hs[0].Outcome), "note": hs[0].Note})
	if o := r.PostForm.Get("outcome"); o == "none" {
		err = as.ClearVisitOutcome(ctx, rd.ID, hs[0].Key)
	} else if out, perr := assign.ParseOutcome(o); perr != nil {
		err = perr
	} else {
		err = as.RecordVisitOutcome(ctx, rd.ID, hs[0].Key, out, r.PostForm.Get("note"), u.Username)
	}
	if err != nil {
		return s.refusedAssign(w, r, err)
	}
	http.Redirect(w, r, "/rounds/"+url.PathEscape(rd.ID)+"/areas/"+a.Code+"/assignments?village="+village+"&done=outcome#hh-"+strconv.FormatInt(hs[0].ID, 10), http.StatusSeeOther)
	return nil
}

// assignExport is the page's progress as an Excel file: per enumerator and
// per village. It names accounts, as the completeness file does, and no
// household.
func (s *Server) assignExport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.assignData(r)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	t := func(key string) string { return s.msgs.text(lang, key) }
	counts := []string{t("assign.households"), t("assign.visited"), t("assign.remaining"), t("assign.refused"), t("assign.moved"), t("assign.notfound"), t("assign.new")}
	line := func(p store.Progress) []any {
		return []any{p.Households, p.Visited, p.Remaining, p.Refused, p.Moved, p.NotFound, p.New}
	}
	people := xlsxSheet{name: t("assign.by.people"), head: append([]string{t("assign.enumerator"), t("assign.villages")}, counts...)}
	for _, p := range d.People {
		people.add(append([]any{p.Label, p.Villages}, line(p.Progress)...)...)
	}
	villages := xlsxSheet{name: t("assign.by.village"), head: append([]string{t("daily.check.village"), t("assign.whole"), t("assign.unassigned")}, counts...)}
	for _, v := range d.Villages {
		villages.add(append([]any{areaTitle(lang, v.Area), v.Whole, v.Unassigned}, line(v.Progress)...)...)
	}
	villages.add(append([]any{t("daily.check.total"), "", d.Total.Unassigned}, line(d.Total.Progress)...)...)
	return s.sendSheets(w, r, exportName("assignments", d.Round.ID, d.Area.Code), []xlsxSheet{people, villages}, nil)
}
