package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// planListData is an area's development plans and, at a tambon or
// village, the problems its survey proposes for a new plan.
type planListData struct {
	Area       area.Area
	Crumbs     []area.Area
	Plans      []planRow
	CanPlan    bool // the area is a tambon or a village
	CanEdit    bool
	Rounds     []survey.Round
	Round      survey.Round
	Proposals  []proposalRow
	FiscalYear int
	Title      string
	Error      string
	HasForums  bool // village forums of the round ranked problems here: plan_forum.go
}

type planRow struct {
	plan.Plan
	AreaName string
}

type proposalRow struct {
	plan.Proposal
	Key        string // source:code, the form's value
	Checked    bool
	Shown      string    // the households behind it as the requester may see them; "" when hidden (plan_disclose.go)
	SurveyRank int       // by the households behind it, among the survey's proposals
	Marks      []markRow // the village forums' ranks of it
}

func (s *Server) planList(w http.ResponseWriter, r *http.Request) error {
	return s.showPlanList(w, r, http.StatusOK, nil)
}

func (s *Server) showPlanList(w http.ResponseWriter, r *http.Request, status int, formErr error) error {
	code := r.PathValue("code")
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return err
	}
	if !u.CanAt(user.ViewPlans, a.Code) {
		return deniedPlan()
	}
	ps, err := s.pstore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d := &planListData{Area: a, Crumbs: s.areas.Ancestors(a.Code), CanPlan: a.Level == area.Subdistrict || a.Level == area.Village,
		FiscalYear: thai.FiscalYear(s.now().In(thai.Bangkok())), Title: strings.TrimSpace(r.FormValue("title"))}
	d.CanEdit = d.CanPlan && u.CanAt(user.EditPlans, a.Code)
	plans, err := ps.Plans(r.Context(), a.Code)
	if err != nil {
		return err
	}
	for _, p := range plans {
		row := planRow{Plan: p}
		if pa, ok := s.areas.Get(p.AreaCode); ok {
			row.AreaName = areaTitle(lang, pa)
		}
		d.Plans = append(d.Plans, row)
	}
	if d.CanPlan {
		rounds, err := s.store.Rounds(r.Context())
		if err != nil {
			return err
		}
		for _, rd := range rounds {
			if !rd.AggregateOnly {
				d.Rounds = append(d.Rounds, rd)
			}
		}
		want := r.FormValue("round")
		for _, rd := range d.Rounds {
			if rd.ID == want || want == "" && rd.SurveyYear > d.Round.SurveyYear {
				d.Round = rd
			}
		}
		if fy, err := strconv.Atoi(thai.FromThaiDigits(r.FormValue("fiscal_year"))); err == nil {
			d.FiscalYear = fy
		}
		if d.Round.ID != "" {
			counts, err := s.planCountsOf(r.Context(), a.Code, d.Round.ID)
			if err != nil {
				return err
			}
			picked := map[string]bool{}
			for _, k := range r.Form["pick"] {
				picked[k] = true
			}
			for _, src := range s.problemSources() {
				props, err := src.Propose(r.Context(), d.Round.ID, a.Code)
				if err != nil {
					return err
				}
				for _, p := range props {
					key := p.Source + ":" + p.Code
					row := proposalRow{Proposal: p, Key: key, Checked: picked[key], Shown: s.shownHouseholds(counts, p.Source, p.Code, p.Households)}
					if counts.public {
						row.Detail = "" // "n/total": the survey's exact counts
					}
					d.Proposals = append(d.Proposals, row)
				}
			}
			if counts.public {
				// Proposals come most households first: a hidden count's
				// place among the shown ones would bound it, so hidden ones
				// go last, by source and code.
				slices.SortStableFunc(d.Proposals, func(x, y proposalRow) int {
					hx, hy := x.Shown == "", y.Shown == ""
					switch {
					case hx != hy && hx:
						return 1
					case hx != hy:
						return -1
					case hx:
						return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(len(x.Code), len(y.Code)), cmp.Compare(x.Code, y.Code))
					}
					return 0
				})
			}
			if err := s.proposalForums(r.Context(), d, lang); err != nil {
				return err
			}
		}
	}
	if formErr != nil {
		d.Error = apperr.MessageOf(formErr).In(lang)
	}
	return s.render(w, r, status, "plan_list", s.msgs.text(lang, "plan.list.title", "area", areaTitle(lang, a)), d)
}

// planCreate makes a plan from the proposals the team ticked, in the order
// they were listed (most households first); the team ranks them next.
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return err
	}
	if !u.CanAt(user.EditPlans, a.Code) {
		return deniedPlan()
	}
	ps, err := s.pstore()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	fy, err := strconv.Atoi(thai.FromThaiDigits(strings.TrimSpace(r.PostFormValue("fiscal_year"))))
	if err != nil {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.Tf(
			"ปีงบประมาณ %q ไม่ใช่ตัวเลขปี พ.ศ.", "the fiscal year %q is not a Buddhist Era year", r.PostFormValue("fiscal_year"))))
	}
	p := plan.Plan{AreaCode: a.Code, FiscalYear: fy, RoundID: r.PostFormValue("round"), Title: r.PostFormValue("title"), CreatedBy: u.Username}
	if err := p.Validate(); err != nil {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, err)
	}
	if _, _, err := s.roundOf(r.Context(), p.RoundID); err != nil {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, err)
	}
	picked := map[string]bool{}
	for _, k := range r.PostForm["pick"] {
		picked[k] = true
	}
	if len(picked) == 0 {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.T(
			"เลือกปัญหาอย่างน้อยหนึ่งข้อเข้าแผน", "tick at least one problem to take into the plan")))
	}
	var problems []plan.Problem
	for _, src := range s.problemSources() {
		props, err := src.Propose(r.Context(), p.RoundID, a.Code)
		if err != nil {
			return err
		}
		for _, pr := range props {
			if picked[pr.Source+":"+pr.Code] {
				problems = append(problems, plan.Problem{Source: pr.Source, Code: pr.Code, Title: pr.Title, Households: pr.Households, Priority: 1})
				delete(picked, pr.Source+":"+pr.Code)
			}
		}
	}
	for k := range picked {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, apperr.Tf(
			"ปัญหา %s ไม่ได้อยู่ในรายการที่เสนอสำหรับพื้นที่และรอบนี้", "the problem %s is not among those proposed for this area and round", k)))
	}
	created, err := ps.CreatePlan(r.Context(), p, problems)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showPlanList(w, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/plans/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
	return nil
}
