package web

import (
	"net/http"
	"strings"

	"tambon/internal/plan"
	"tambon/internal/user"
)

// planListExport is an area's development plans as Excel: one row per plan
// (fiscal year, area, round, items, budget) and one per item of every plan
// (problem, responsible agency, budget and its source, period, progress).
// The plan's own page has the annex for one plan (plan_annex.go).
func (s *Server) planListExport(w http.ResponseWriter, r *http.Request) error {
	a, _, ps, err := areaAllowed(s, r, user.ViewPlans, s.pstore)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	plans, err := ps.Plans(ctx, a.Code)
	if err != nil {
		return err
	}
	list := xlsxSheet{name: t("export.sheet.plans"), head: []string{t("plan.title"), t("plan.fiscal_year"), t("export.col.area"),
		t("plan.round"), t("export.col.items"), t("plan.item.budget")}}
	items := xlsxSheet{name: t("plan.annex.sheet.items"), head: []string{t("plan.title"), t("plan.item.title"), t("plan.item.problem"),
		t("plan.item.partner"), t("plan.item.budget"), t("plan.item.source"), t("plan.item.start"), t("plan.item.end"),
		t("plan.item.targets"), t("export.col.physical"), t("export.col.financial")}}
	for _, p := range plans {
		roundName := p.RoundID
		if rd, err := s.store.Round(ctx, p.RoundID); err == nil {
			roundName = s.roundName(lang, rd)
		}
		where := p.AreaCode
		if pa, ok := s.areas.Get(p.AreaCode); ok {
			where = areaTitle(lang, pa)
		}
		problems, err := ps.PlanProblems(ctx, p.ID)
		if err != nil {
			return err
		}
		problemText := map[int64]string{}
		for _, pr := range problems {
			problemText[pr.ID] = pr.Title.In(lang)
		}
		its, err := ps.PlanItems(ctx, p.ID)
		if err != nil {
			return err
		}
		var budget int64
		for _, it := range its {
			budget += it.Budget
			items.add(p.Title, it.Title, problemText[it.ProblemID], it.Partner(lang), it.Budget, t("plan.source."+it.BudgetSource),
				formatDate(lang, it.Start), formatDate(lang, it.End), it.Targets, it.Physical, it.Financial)
		}
		list.add(p.Title, p.FiscalYear, where, roundName, len(its), budget)
	}
	return s.sendSheets(w, r, exportName("plans", a.Code), []xlsxSheet{list, items}, nil)
}

// planGraduationExport is a plan's graduation page as Excel.
func (s *Server) planGraduationExport(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	d := &planGraduationData{Plan: p, CanSeeHH: u.CanAt(user.ViewHouseholds, p.AreaCode)}
	d.Area, _ = s.areas.Get(p.AreaCode)
	if err := s.graduate(r.Context(), d, p, ps); err != nil {
		return err
	}
	s.hideGraduation(r.Context(), d)
	return s.graduationXLSX(w, r, d, exportName("graduation-plan", idString(p.ID)), "graduation:plan:"+idString(p.ID))
}

// areaGraduationExport is an area's graduation page (every plan) as Excel.
func (s *Server) areaGraduationExport(w http.ResponseWriter, r *http.Request) error {
	a, u, ps, err := areaAllowed(s, r, user.ViewPlans, s.pstore)
	if err != nil {
		return err
	}
	d := &planGraduationData{Area: a, AreaView: true, CanSeeHH: u.CanAt(user.ViewHouseholds, a.Code)}
	plans, err := ps.Plans(r.Context(), a.Code)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := s.graduate(r.Context(), d, p, ps); err != nil {
			return err
		}
	}
	s.hideGraduation(r.Context(), d)
	return s.graduationXLSX(w, r, d, exportName("graduation", a.Code), "graduation:area:"+a.Code)
}

// graduationXLSX writes the graduation counts by problem and, for those who
// may see households, the helped households (names masked as on the page).
func (s *Server) graduationXLSX(w http.ResponseWriter, r *http.Request, d *planGraduationData, file, object string) error {
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	head := []string{t("plan.problem.title"), t("plan.grad.helped"), t("plan.grad.graduated"), t("plan.grad.still"),
		t("plan.grad.fell_back"), t("plan.grad.never"), t("plan.grad.gone")}
	if d.AreaView {
		head = append([]string{t("plan.grad.plan")}, head...)
	}
	counts := xlsxSheet{name: t("plan.grad.crumb"), head: head}
	for _, pr := range d.Problems {
		hidden := t("sdc.hidden")
		row := []any{pr.Problem.Title.In(lang), pr.Helped}
		if pr.Hidden {
			row[1] = hidden
		}
		if d.HasNext {
			c := pr.Counts
			if pr.Hidden {
				row = append(row, hidden, hidden, hidden, hidden, hidden)
			} else {
				row = append(row, c.Graduated, c.StillPoor, c.FellBack, c.NeverPoor, c.Gone)
			}
		}
		if d.AreaView {
			row = append([]any{pr.PlanTitle}, row...)
		}
		counts.add(row...)
	}
	if d.HasNext {
		c := d.Total
		total := []any{t("plan.annex.total"), nil, c.Graduated, c.StillPoor, c.FellBack, c.NeverPoor, c.Gone}
		if d.TotalHidden {
			h := t("sdc.hidden")
			total = []any{t("plan.annex.total"), nil, h, h, h, h, h}
		}
		if d.AreaView {
			total = append([]any{nil}, total...)
		}
		counts.add(total...)
	}
	sheets := []xlsxSheet{counts}
	var pf *personalFile
	if d.CanSeeHH && d.HasNext {
		hh := xlsxSheet{name: t("plan.grad.households"), head: []string{t("hh.moo"), t("hh.house_no"), t("hh.head"), t("plan.item.title"),
			t("plan.assist.what"), t("plan.problem.title"), t("plan.grad.next")}}
		for _, h := range d.Helped {
			hh.add(h.Moo, h.HouseNo, h.Head, h.Item, h.What, h.Problem, t("plan.grad.kind."+string(h.Kind)))
		}
		sheets = append(sheets, hh)
		if len(d.Helped) > 0 {
			pf = &personalFile{area: d.Area.Code, object: object, detail: map[string]any{"list": "graduation", "households": len(d.Helped)}}
		}
	}
	return s.sendSheets(w, r, file, sheets, pf)
}

// itemTargetsExport is a plan item's target households and, for those who
// may choose them, the targeting list of its problem, as on the item page.
func (s *Server) itemTargetsExport(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.ViewPlans)
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
	ctx := r.Context()
	lang := langFrom(ctx)
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	rd, eng, err := s.roundOf(ctx, p.RoundID)
	if err != nil {
		return err
	}
	problems, err := ps.PlanProblems(ctx, p.ID)
	if err != nil {
		return err
	}
	var problem *plan.Problem
	for i := range problems {
		if problems[i].ID == it.ProblemID {
			problem = &problems[i]
		}
	}
	canEdit := u.CanAt(user.EditPlans, p.AreaCode)
	targets, cands, err := s.itemTargets(ctx, ps, eng, rd.ID, p, it, problem, canEdit)
	if err != nil {
		return err
	}
	chosen := xlsxSheet{name: t("plan.targets"), head: []string{t("hh.moo"), t("hh.house_no"), t("hh.head"), t("hh.failed")}}
	for _, tr := range targets {
		chosen.add(tr.Moo, tr.HouseNo, tr.Head, strings.Join(tr.Failed, " "))
	}
	sheets := []xlsxSheet{chosen}
	if canEdit && problem != nil {
		list := xlsxSheet{name: t("export.sheet.candidates"), head: []string{t("export.col.chosen"), t("hh.moo"), t("hh.house_no"), t("hh.head"),
			t("plan.score"), t("hh.failed")}}
		for _, tr := range cands {
			list.add(yesNo(t, tr.Chosen), tr.Moo, tr.HouseNo, tr.Head, tr.Score, strings.Join(tr.Failed, " "))
		}
		sheets = append(sheets, list)
	}
	pf := &personalFile{area: p.AreaCode, object: "targets:item:" + idString(it.ID),
		detail: map[string]any{"list": "targets", "plan": p.ID, "item": it.ID}}
	return s.sendSheets(w, r, exportName("targets-item", idString(it.ID)), sheets, pf)
}
