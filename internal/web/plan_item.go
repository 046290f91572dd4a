package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/photo"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// planItemData is one plan item: its details, target households, the help
// delivered to them and the evidence of its progress.
type planItemData struct {
	Plan    plan.Plan
	Area    area.Area
	Item    plan.Item
	Problem *plan.Problem
	// ProblemShown is its households as the requester may see them; "" when hidden (plan_disclose.go)
	ProblemShown string
	Round        survey.Round
	Start, End   string
	CanEdit      bool
	CanSeeHH     bool
	Form         itemForm
	Problems     []plan.Problem
	Partners     []partnerOption
	Sources      []string
	Targets      []targetRow
	Candidates   []targetRow // the targeting list of the item's problem
	Assistance   []assistRow
	Evidence     []evidenceRow
	Statuses     []string
	Today        string
	Error        string
	Section      string     // the form the error belongs to
	Posted       url.Values // the help form's values, shown again when refused
	formErrors              // the item form's refused fields
}

type targetRow struct {
	ID      int64
	Moo     int
	HouseNo string
	Head    string // masked
	Failed  []string
	Score   string
	Chosen  bool
}

type assistRow struct {
	plan.Assistance
	Moo  int
	Date string
}

type evidenceRow struct {
	plan.Evidence
	Image bool
	At    string
}

func (s *Server) planItemView(w http.ResponseWriter, r *http.Request) error {
	return s.showItem(w, r, http.StatusOK, nil, "", nil)
}

func (s *Server) showItem(w http.ResponseWriter, r *http.Request, status int, form *itemForm, section string, formErr error) error {
	p, u, ps, err := s.planOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	it, err := itemOf(r, ps, p)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &planItemData{Plan: p, Item: it, CanEdit: u.CanAt(user.EditPlans, p.AreaCode), CanSeeHH: u.CanAt(user.ViewHouseholds, p.AreaCode),
		Start: formatDate(lang, it.Start), End: formatDate(lang, it.End), Sources: plan.BudgetSources, Statuses: plan.Statuses,
		Today: formatDate(lang, s.now().In(thai.Bangkok())), Section: section}
	d.Area, _ = s.areas.Get(p.AreaCode)
	if form != nil {
		d.Form = *form
	} else {
		d.Form = itemForm{ProblemID: it.ProblemID, PartnerID: it.PartnerID, Title: it.Title, Objective: it.Objective, Budget: strconv.FormatInt(it.Budget, 10),
			BudgetSource: it.BudgetSource, Start: it.Start.Format(isoDate), End: it.End.Format(isoDate),
			Physical: strconv.Itoa(it.Physical), Financial: strconv.Itoa(it.Financial)}
	}
	if d.Problems, err = ps.PlanProblems(ctx, p.ID); err != nil {
		return err
	}
	for i := range d.Problems {
		if d.Problems[i].ID == it.ProblemID {
			d.Problem = &d.Problems[i]
		}
	}
	if d.Problem != nil {
		shown, err := s.planProblemCounts(ctx, p.AreaCode, p.RoundID, []plan.Problem{*d.Problem})
		if err != nil {
			return err
		}
		d.ProblemShown = shown[d.Problem.ID]
	}
	rd, eng, err := s.roundOf(ctx, p.RoundID)
	if err != nil {
		return err
	}
	d.Round = rd
	if d.CanEdit {
		if d.Partners, err = s.partnerOptions(r, p.AreaCode); err != nil {
			return err
		}
		// The partner the item names already stays on offer (the save keeps
		// it), even if it no longer works in the area.
		if it.PartnerID != 0 && !slices.ContainsFunc(d.Partners, func(o partnerOption) bool { return o.ID == it.PartnerID }) {
			name := it.PartnerName
			if lang == "en" && it.PartnerEN != "" {
				name = it.PartnerEN
			}
			d.Partners = append(d.Partners, partnerOption{ID: it.PartnerID, Name: name})
		}
	}
	if d.CanSeeHH {
		if d.Targets, d.Candidates, err = s.itemTargets(ctx, ps, eng, rd.ID, p, it, d.Problem, d.CanEdit); err != nil {
			return err
		}
		list, err := ps.Assistance(ctx, plan.AssistanceFilter{ItemID: it.ID})
		if err != nil {
			return err
		}
		for _, a := range list {
			ar := assistRow{Assistance: a, Date: formatDate(lang, a.Date)}
			if v, ok := s.areas.Get(a.VillageCode); ok {
				ar.Moo = v.Moo
			}
			d.Assistance = append(d.Assistance, ar)
		}
	}
	evs, err := ps.ItemEvidence(ctx, it.ID)
	if err != nil {
		return err
	}
	for _, e := range evs {
		d.Evidence = append(d.Evidence, evidenceRow{Evidence: e, Image: strings.HasPrefix(e.ContentType, "image/"), At: formatStamp(lang, e.UploadedAt)})
	}
	switch {
	case formErr != nil && section == "item":
		d.formErrors = s.formErrorsOf(formErr, lang, "plan.item.", nil)
	case formErr != nil && section == "assist":
		d.formErrors = s.formErrorsOf(formErr, lang, "plan.assist.", nil)
		d.Posted = r.PostForm
	case formErr != nil:
		d.Error = apperr.MessageOf(formErr).In(lang)
	}
	return s.render(w, r, status, "plan_item", it.Title, d)
}

func (s *Server) planItemUpdate(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	it, err := itemOf(r, ps, p)
	if err != nil {
		return err
	}
	kept := it.PartnerID
	f, err := readItemForm(r, &it)
	if err == nil {
		err = s.itemPartnerRefused(r.Context(), u, it.PartnerID, kept)
	}
	if err == nil {
		_, err = ps.SaveItem(r.Context(), it, u.Username)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.showItem(w, r, http.StatusUnprocessableEntity, &f, "item", err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, itemURL(p.ID, it.ID), http.StatusSeeOther)
	return nil
}

func itemURL(planID, itemID int64) string {
	return fmt.Sprintf("/plans/%d/items/%d", planID, itemID)
}

// planItemTargets replaces the item's target households with those ticked
// on the targeting list.
func (s *Server) planItemTargets(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	if u := userFrom(r.Context()); !u.CanAt(user.ViewHouseholds, p.AreaCode) {
		return deniedPlan()
	}
	it, err := itemOf(r, ps, p)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	var ids []int64
	for _, v := range r.PostForm["hh"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "targets", apperr.New(apperr.Invalid, apperr.Tf(
				"ครัวเรือน %q ไม่ใช่หมายเลขครัวเรือน", "household %q is not a household number", v)))
		}
		ids = append(ids, id)
	}
	if err := ps.SetItemTargets(r.Context(), it.ID, ids); apperr.Is(err, apperr.Invalid) {
		return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "targets", err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, itemURL(p.ID, it.ID)+"#targets", http.StatusSeeOther)
	return nil
}

// planItemAssist records help delivered to one of the item's target households.
func (s *Server) planItemAssist(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	if !u.CanAt(user.ViewHouseholds, p.AreaCode) {
		return deniedPlan()
	}
	it, err := itemOf(r, ps, p)
	if err != nil {
		return err
	}
	targets, err := ps.ItemTargets(r.Context(), it.ID)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PostFormValue("household"), 10, 64)
	if !slices.ContainsFunc(targets, func(t plan.Target) bool { return t.HouseholdID == id }) {
		return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "assist", apperr.New(apperr.Invalid, apperr.T(
			"เลือกครัวเรือนจากครัวเรือนเป้าหมายของโครงการ", "choose one of the item's target households")))
	}
	a := plan.Assistance{HouseholdID: id, RoundID: p.RoundID, ItemID: it.ID, What: r.PostFormValue("what"), Helper: r.PostFormValue("helper"),
		Status: r.PostFormValue("status"), Note: r.PostFormValue("note"), CreatedBy: u.Username}
	// Every refused field at once: a date that cannot be read, and what the
	// record's own check refuses.
	var ps2 apperr.Problems
	if v := strings.TrimSpace(r.PostFormValue("date")); v != "" {
		t, err := thai.ParseDate(v)
		if err != nil {
			ps2 = append(ps2, apperr.Problem{Field: "date", Value: v, Reason: apperr.MessageOf(err)})
		}
		a.Date = t
	}
	var checked apperr.Problems
	if errors.As(a.Validate(), &checked) {
		for _, p := range checked {
			if p.Field != "date" || len(ps2) == 0 {
				ps2 = append(ps2, p)
			}
		}
	}
	if len(ps2) > 0 {
		return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "assist", ps2)
	}
	if _, err := ps.AddAssistance(r.Context(), a); apperr.Is(err, apperr.Invalid) {
		return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "assist", err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, itemURL(p.ID, it.ID)+"#assistance", http.StatusSeeOther)
	return nil
}

// planItemEvidence stores an uploaded photo or PDF.
func (s *Server) planItemEvidence(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	it, err := itemOf(r, ps, p)
	if err != nil {
		return err
	}
	refuse := func(err error) error {
		return s.showItem(w, r, http.StatusUnprocessableEntity, nil, "evidence", err)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไม่ได้รับไฟล์ (ไฟล์ต้องไม่เกิน %d KB)", "no file arrived (files may be up to %d KB)", plan.MaxEvidence>>10)))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, plan.MaxEvidence+1))
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านไฟล์ไม่ได้", "cannot read the file")))
	}
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if !slices.Contains(plan.EvidenceTypes, ct) {
		return refuse(apperr.New(apperr.Invalid, apperr.Tf("ไฟล์ %s เป็นชนิด %s: รับเฉพาะรูปภาพ JPEG, PNG, WebP หรือ PDF",
			"%s is of type %s: only JPEG, PNG or WebP photos and PDFs are taken", hdr.Filename, ct)))
	}
	if data, err = photo.Clean(hdr.Filename, ct, data, plan.MaxEvidence); err != nil { // size checked, location and camera removed
		return refuse(err)
	}
	e := plan.Evidence{ItemID: it.ID, Name: path.Base(hdr.Filename), ContentType: ct, Caption: r.FormValue("caption"), UploadedBy: u.Username}
	if _, err := ps.AddEvidence(r.Context(), e, data); apperr.Is(err, apperr.Invalid) {
		return refuse(err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, itemURL(p.ID, it.ID)+"#evidence", http.StatusSeeOther)
	return nil
}

// planEvidence finds the evidence file named in the path under the plan
// named in the path, for a user who may do a to the plan; a file of another
// plan is NotFound.
func (s *Server) planEvidence(r *http.Request, a user.Action) (plan.Plan, planStore, plan.Evidence, []byte, error) {
	missing := apperr.New(apperr.NotFound, apperr.T("ไม่พบไฟล์หลักฐานนี้", "no such evidence file"))
	p, _, ps, err := s.planOf(r, a)
	if err != nil {
		return p, nil, plan.Evidence{}, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("ev"), 10, 64)
	if err != nil {
		return p, nil, plan.Evidence{}, nil, missing
	}
	e, data, err := ps.EvidenceFile(r.Context(), id)
	if err != nil {
		return p, nil, e, nil, err
	}
	if it, err := ps.Item(r.Context(), e.ItemID); err != nil || it.PlanID != p.ID {
		return p, nil, e, nil, missing
	}
	return p, ps, e, data, nil
}

// planEvidenceDelete removes a photo or document put up by mistake, for
// those who may edit the plan; the audit log keeps who removed what.
func (s *Server) planEvidenceDelete(w http.ResponseWriter, r *http.Request) error {
	p, ps, e, _, err := s.planEvidence(r, user.EditPlans)
	if err != nil {
		return err
	}
	if err := ps.DeleteEvidence(r.Context(), p.ID, e.ID); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/plans/%d/items/%d#evidence", p.ID, e.ItemID), http.StatusSeeOther)
	return nil
}

// planEvidenceFile serves one evidence file to those who may see the plan.
func (s *Server) planEvidenceFile(w http.ResponseWriter, r *http.Request) error {
	_, _, e, data, err := s.planEvidence(r, user.ViewPlans)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": e.Name}))
	w.Write(data)
	return nil
}

// itemTargets reads an item's target households and, when candidates is
// set and the item answers a problem, the targeting list of that problem
// (every household of the plan's round the problem's filter takes), names
// masked: the item page and its Excel file show the same rows.
func (s *Server) itemTargets(ctx context.Context, ps planStore, eng *engine.Engine, round string, p plan.Plan, it plan.Item,
	problem *plan.Problem, candidates bool) (targets, cands []targetRow, err error) {
	chosen, err := ps.ItemTargets(ctx, it.ID)
	if err != nil {
		return nil, nil, err
	}
	picked := map[int64]bool{}
	for _, t := range chosen {
		picked[t.HouseholdID] = true
	}
	hs, err := s.hstore()
	if err != nil {
		return nil, nil, err
	}
	w := eng.Worker()
	row := func(rec survey.Record, hit engine.Hit) targetRow {
		h := rec.Household
		tr := targetRow{ID: rec.ID, HouseNo: h.HouseNo, Failed: hit.Failed, Chosen: picked[rec.ID]}
		if v, ok := s.areas.Get(h.VillageCode); ok {
			tr.Moo = v.Moo
		}
		if hd := headOf(h); hd != nil {
			tr.Head = maskName(hd.FirstName)
		}
		if hit.Score.Den > 0 {
			tr.Score = thai.FormatFloat(float64(hit.Score.Num)/float64(hit.Score.Den), 3)
		}
		return tr
	}
	for _, t := range chosen {
		rec, err := hs.Household(ctx, t.HouseholdID)
		if err != nil {
			return nil, nil, err
		}
		hit, _ := engine.Target(w, rec.Household, engine.Filter{})
		targets = append(targets, row(rec, hit))
	}
	if candidates && problem != nil {
		if f, ok := plan.FilterFor(eng, problem.Source, problem.Code); ok {
			err := hs.EachHousehold(ctx, round, p.AreaCode, func(rec survey.Record) error {
				if hit, ok := engine.Target(w, rec.Household, f); ok {
					cands = append(cands, row(rec, hit))
				}
				return nil
			})
			if err != nil {
				return nil, nil, err
			}
		}
	}
	return targets, cands, nil
}
