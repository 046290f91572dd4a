package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"tambon/internal/user"
)

// planAnnex writes the plan as an Excel annex for the local development
// plan (แผนพัฒนาท้องถิ่น): the ranked problems with the households behind
// them, and the projects in the layout of the plan's project table (แบบ
// ผ.02): objective, problem, target households, budget and its source,
// period, responsible agency, progress.
func (s *Server) planAnnex(w http.ResponseWriter, r *http.Request) error {
	p, _, ps, err := s.planOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	problems, err := ps.PlanProblems(ctx, p.ID)
	if err != nil {
		return err
	}
	items, err := ps.PlanItems(ctx, p.ID)
	if err != nil {
		return err
	}
	a, _ := s.areas.Get(p.AreaCode)
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	write := func(sheet string, row int, values ...any) {
		for i, v := range values {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			f.SetCellValue(sheet, cell, v)
		}
	}
	// Projects first: it is the annex proper.
	items1 := t("plan.annex.sheet.items")
	f.SetSheetName("Sheet1", items1)
	write(items1, 1, t("plan.annex.heading", "year", p.FiscalYear))
	write(items1, 2, fmt.Sprintf("%s · %s", areaTitle(lang, a), p.Title))
	f.SetCellStyle(items1, "A1", "A2", bold)
	cols := []string{t("plan.annex.no"), t("plan.item.title"), t("plan.item.objective"), t("plan.item.problem"), t("plan.item.targets"),
		t("plan.item.budget"), t("plan.item.source"), t("plan.item.start"), t("plan.item.end"), t("plan.item.partner"),
		t("plan.item.physical"), t("plan.item.financial")}
	write(items1, 4, toAny(cols)...)
	f.SetCellStyle(items1, "A4", "L4", head)
	problemText := map[int64]string{}
	for _, pr := range problems {
		problemText[pr.ID] = pr.Title.In(lang)
	}
	var total int64
	row := 5
	for i, it := range items {
		write(items1, row, i+1, it.Title, it.Objective, problemText[it.ProblemID], it.Targets, it.Budget,
			t("plan.source."+it.BudgetSource), formatDate(lang, it.Start), formatDate(lang, it.End), it.Partner(lang), it.Physical, it.Financial)
		total += it.Budget
		row++
	}
	write(items1, row, "", t("plan.annex.total"), "", "", "", total)
	f.SetCellStyle(items1, fmt.Sprintf("B%d", row), fmt.Sprintf("F%d", row), bold)
	f.SetCellStyle(items1, "F5", fmt.Sprintf("F%d", row), money)
	for col, width := range map[string]float64{"A": 5, "B": 40, "C": 40, "D": 36, "E": 12, "F": 14, "G": 22, "H": 14, "I": 14, "J": 28, "K": 12, "L": 12} {
		f.SetColWidth(items1, col, col, width)
	}
	probs := t("plan.annex.sheet.problems")
	f.NewSheet(probs)
	write(probs, 1, t("plan.annex.problems.heading", "round", s.roundCalled(ctx, lang, p.RoundID)))
	f.SetCellStyle(probs, "A1", "A1", bold)
	fo, err := s.planForums(ctx, p, problems, lang)
	if err != nil {
		return err
	}
	write(probs, 3, t("plan.problem.priority"), t("plan.problem.title"), t("plan.problem.source"), t("plan.problem.households"),
		t("plan.forum.survey_rank"), t("plan.forum.village_rank"))
	f.SetCellStyle(probs, "A3", "F3", head)
	shown, err := s.planProblemCounts(ctx, p.AreaCode, p.RoundID, problems)
	if err != nil {
		return err
	}
	for i, pr := range problems {
		var households any = t("sdc.hidden")
		if shown[pr.ID] != "" { // shown: the count itself
			households = pr.Households
		}
		var survey any = ""
		if n := fo.SurveyRank[pr.ID]; n > 0 {
			survey = n
		}
		var village []string
		for _, m := range fo.Marks[pr.ID] {
			text := m.Text
			if m.Disagree {
				text += " ⚠ " + t("plan.forum.disagree")
			}
			village = append(village, text)
		}
		write(probs, 4+i, pr.Priority, pr.Title.In(lang), t("plan.problem.source."+pr.Source), households, survey, strings.Join(village, "; "))
	}
	f.SetColWidth(probs, "E", "E", 14)
	f.SetColWidth(probs, "F", "F", 60)
	f.SetColWidth(probs, "B", "B", 60)
	f.SetColWidth(probs, "C", "D", 18)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="plan-%s-%d-%d.xlsx"`, p.AreaCode, p.FiscalYear, p.ID))
	return f.Write(w)
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
