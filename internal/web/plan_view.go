package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// planViewData is a plan: its ranked problems and its items.
type planViewData struct {
	Plan        plan.Plan
	Area        area.Area
	Crumbs      []area.Area
	Round       survey.Round
	Problems    []plan.Problem
	Items       []itemRow
	Budget      int64
	CanEdit     bool
	CanSeeHH    bool
	Partners    []partnerOption
	Sources     []string
	Form        itemForm
	ProblemText map[int64]string
	Shown       map[int64]string // a problem's households as the requester may see them; "" when hidden (plan_disclose.go)
	Forums      planForums       // the villages' rankings beside the survey's: plan_forum.go
	formErrors                   // the item form's refused fields
}

type itemRow struct {
	plan.Item
	Problem    string
	Start, End string
}

// itemForm is the item form's values, kept when a save is refused.
type itemForm struct {
	ProblemID, PartnerID                   int64
	Title, Objective, Budget, BudgetSource string
	Start, End, Physical, Financial        string
}

// partnerOption is a partner the item form offers as responsible.
type partnerOption struct {
	ID   int64
	Name string
}

func (s *Server) planView(w http.ResponseWriter, r *http.Request) error {
	return s.showPlan(w, r, http.StatusOK, itemForm{BudgetSource: "local"}, nil)
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, status int, form itemForm, formErr error) error {
	p, u, ps, err := s.planOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &planViewData{Plan: p, Crumbs: s.areas.Ancestors(p.AreaCode), CanEdit: u.CanAt(user.EditPlans, p.AreaCode),
		CanSeeHH: u.CanAt(user.ViewHouseholds, p.AreaCode), Sources: plan.BudgetSources, Form: form, ProblemText: map[int64]string{}}
	d.Area, _ = s.areas.Get(p.AreaCode)
	if d.Round, err = s.store.Round(ctx, p.RoundID); err != nil {
		return err
	}
	if d.Problems, err = ps.PlanProblems(ctx, p.ID); err != nil {
		return err
	}
	if d.Shown, err = s.planProblemCounts(ctx, p.AreaCode, p.RoundID, d.Problems); err != nil {
		return err
	}
	for _, pr := range d.Problems {
		d.ProblemText[pr.ID] = pr.Title.In(lang)
	}
	if d.Forums, err = s.planForums(ctx, p, d.Problems, lang); err != nil {
		return err
	}
	items, err := ps.PlanItems(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, it := range items {
		d.Items = append(d.Items, itemRow{Item: it, Problem: d.ProblemText[it.ProblemID], Start: formatDate(lang, it.Start), End: formatDate(lang, it.End)})
		d.Budget += it.Budget
	}
	if d.CanEdit {
		if d.Partners, err = s.partnerOptions(r, p.AreaCode); err != nil {
			return err
		}
	}
	if formErr != nil {
		d.formErrors = s.formErrorsOf(formErr, lang, "plan.item.", nil)
	}
	return s.render(w, r, status, "plan_view", p.Title, d)
}

// planRank takes the team's ranking: a number per problem (rank_<id>);
// ties keep the present order.
func (s *Server) planRank(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	problems, err := ps.PlanProblems(r.Context(), p.ID)
	if err != nil {
		return err
	}
	type ranked struct {
		id       int64
		rank, at int
	}
	var list []ranked
	for i, pr := range problems {
		v := strings.TrimSpace(thai.FromThaiDigits(r.PostFormValue("rank_" + strconv.FormatInt(pr.ID, 10))))
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s.showPlan(w, r, http.StatusUnprocessableEntity, itemForm{BudgetSource: "local"}, apperr.New(apperr.Invalid, apperr.Tf(
				"ลำดับของปัญหา %q ต้องเป็นเลข 1 ขึ้นไป (ได้ %q)", "the rank of %q must be a number from 1 (got %q)", pr.Title.TH, v)))
		}
		list = append(list, ranked{pr.ID, n, i})
	}
	slices.SortFunc(list, func(a, b ranked) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.at, b.at)) })
	order := make([]int64, len(list))
	for i, x := range list {
		order[i] = x.id
	}
	if err := ps.RankProblems(r.Context(), p.ID, order); err != nil {
		return err
	}
	http.Redirect(w, r, "/plans/"+strconv.FormatInt(p.ID, 10)+"#problems", http.StatusSeeOther)
	return nil
}

// readItemForm reads the item form into an item, or says precisely which
// fields are wrong — all of them at once, each under its input's name.
func readItemForm(r *http.Request, it *plan.Item) (itemForm, error) {
	f := itemForm{Title: r.PostFormValue("title"), Objective: r.PostFormValue("objective"), Budget: strings.TrimSpace(r.PostFormValue("budget")),
		BudgetSource: r.PostFormValue("budget_source"), Start: strings.TrimSpace(r.PostFormValue("start")), End: strings.TrimSpace(r.PostFormValue("end")),
		Physical: strings.TrimSpace(r.PostFormValue("physical")), Financial: strings.TrimSpace(r.PostFormValue("financial"))}
	f.ProblemID, _ = strconv.ParseInt(r.PostFormValue("problem"), 10, 64)
	f.PartnerID, _ = strconv.ParseInt(r.PostFormValue("partner"), 10, 64)
	it.Title, it.Objective, it.BudgetSource, it.ProblemID, it.PartnerID = f.Title, f.Objective, f.BudgetSource, f.ProblemID, f.PartnerID
	var ps apperr.Problems
	bad := func(field, value string, reason apperr.Text) {
		ps = append(ps, apperr.Problem{Field: field, Value: value, Reason: reason})
	}
	if strings.TrimSpace(f.Title) == "" {
		bad("title", "", apperr.T("โครงการต้องมีชื่อ", "the item needs a title"))
	}
	num := func(field, v string, dflt int64) int64 {
		v = strings.ReplaceAll(thai.FromThaiDigits(v), ",", "")
		if v == "" {
			return dflt
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad(field, v, apperr.T("ไม่ใช่ตัวเลข", "not a number"))
			return dflt
		}
		return int64(n + 0.5)
	}
	if it.Budget = num("budget", f.Budget, -1); f.Budget == "" {
		bad("budget", "", apperr.T("ต้องระบุงบประมาณ (บาท)", "give the budget (baht)"))
	} else if it.Budget < 0 {
		bad("budget", f.Budget, apperr.T("งบประมาณติดลบไม่ได้", "the budget cannot be negative"))
	}
	it.Physical, it.Financial = int(num("physical", f.Physical, 0)), int(num("financial", f.Financial, 0))
	for _, pc := range []struct {
		field string
		v     int
	}{{"physical", it.Physical}, {"financial", it.Financial}} {
		if pc.v < 0 || pc.v > 100 {
			bad(pc.field, strconv.Itoa(pc.v), apperr.T("ต้องอยู่ระหว่าง 0 ถึง 100", "must be between 0 and 100"))
		}
	}
	day := func(field string, label apperr.Text, v string) time.Time {
		if v == "" {
			bad(field, "", apperr.Text{TH: "ต้องระบุ" + label.TH, EN: "give the " + label.EN})
			return time.Time{}
		}
		t, err := thai.ParseDate(v)
		if err != nil {
			m := apperr.MessageOf(err)
			bad(field, v, apperr.Text{TH: label.TH + "อ่านไม่ได้: " + m.TH, EN: "the " + label.EN + " cannot be read: " + m.EN})
		}
		return t
	}
	it.Start = day("start", apperr.T("วันเริ่มโครงการ", "start date"), f.Start)
	it.End = day("end", apperr.T("วันสิ้นสุดโครงการ", "end date"), f.End)
	if !it.Start.IsZero() && !it.End.IsZero() && it.End.Before(it.Start) {
		bad("end", f.End, apperr.T("วันสิ้นสุดโครงการต้องไม่ก่อนวันเริ่ม", "the item's end date is before its start date"))
	}
	if len(ps) > 0 {
		return f, ps
	}
	return f, it.Validate()
}

func (s *Server) planItemCreate(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	it := plan.Item{PlanID: p.ID}
	f, err := readItemForm(r, &it)
	if err == nil {
		err = s.itemPartnerRefused(r.Context(), u, it.PartnerID, 0)
	}
	if err == nil {
		it, err = ps.SaveItem(r.Context(), it, u.Username)
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound) {
		return s.showPlan(w, r, http.StatusUnprocessableEntity, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/plans/"+strconv.FormatInt(p.ID, 10)+"/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}
