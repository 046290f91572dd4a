package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/tabular"
)

// resultRow is one indicator's figures in one area, as `tambon results`
// prints them.
type resultRow struct {
	Area            string   `json:"area"`
	AreaName        string   `json:"area_name"`
	Round           string   `json:"round"`
	Indicator       string   `json:"indicator"`
	Name            string   `json:"name"`
	Group           string   `json:"group"`
	Unit            string   `json:"unit"`
	Surveyed        int64    `json:"surveyed"`
	Passed          int64    `json:"passed"`
	Failed          int64    `json:"failed"`
	PassedPct       float64  `json:"passed_pct"`
	Target          float64  `json:"target"`
	MeetsTarget     bool     `json:"meets_target"`
	ProblemRank     int      `json:"problem_rank"`
	ChangePassedPct *float64 `json:"change_passed_pct,omitempty"`
	ChangeFailed    *int64   `json:"change_failed,omitempty"`
}

type areaResult struct {
	Area            string      `json:"area"`
	AreaName        string      `json:"area_name"`
	Round           string      `json:"round"`
	PreviousRound   string      `json:"previous_round,omitempty"`
	Households      int64       `json:"households"`
	People          int64       `json:"people"`
	IncomePerPerson *float64    `json:"income_per_person"` // null: unknown (published aggregates hold no income) or nobody lives there
	Indicators      []resultRow `json:"indicators"`
	Poverty         *mpi.Result `json:"poverty,omitempty"`
}

func cmdResults(ctx context.Context, e *env, args []string) error {
	fs := e.flags("results", "results --round R --area CODE [--children] [--k 1/5] [--format csv|json]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "TH", "area code")
	children := fs.Bool("children", false, "one block per child area instead of the area itself")
	kFlag := fs.String("k", "", "MPI poverty cut-off as a fraction of the total weight (default the spec's)")
	format := fs.String("format", "csv", "csv or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		return apperr.New(apperr.Invalid, apperr.Tf("--format ต้องเป็น csv หรือ json ไม่ใช่ %q", "--format must be csv or json, not %q", *format))
	}
	s, tree, err := e.openReading(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	var k mpi.Frac
	if eng.Poverty() != nil {
		k = eng.Poverty().K()
		if *kFlag != "" {
			if k, err = mpi.ParseFrac(*kFlag); err != nil {
				return err
			}
		}
	}
	areas := []area.Area{a}
	if *children {
		areas = tree.Children(a.Code)
	}
	var out []areaResult
	for _, x := range areas {
		res, err := areaResults(ctx, s, eng, r, x, k)
		if err != nil {
			return err
		}
		out = append(out, res)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	w := csv.NewWriter(e.stdout)
	w.Write([]string{"area", "area_name", "round", "indicator", "name", "group", "unit", "surveyed", "passed", "failed", "passed_pct", "target", "meets_target", "problem_rank", "change_passed_pct", "change_failed"})
	for _, res := range out {
		for _, row := range res.Indicators {
			chPct, chFail := "", ""
			if row.ChangePassedPct != nil {
				chPct = strconv.FormatFloat(*row.ChangePassedPct, 'f', 2, 64)
				chFail = strconv.FormatInt(*row.ChangeFailed, 10)
			}
			text := tabular.SafeCSVText // names a spreadsheet must not run as formulas
			w.Write([]string{text(row.Area), text(row.AreaName), text(row.Round), text(row.Indicator), text(row.Name), text(row.Group), text(row.Unit),
				strconv.FormatInt(row.Surveyed, 10), strconv.FormatInt(row.Passed, 10), strconv.FormatInt(row.Failed, 10),
				strconv.FormatFloat(row.PassedPct, 'f', 2, 64), strconv.FormatFloat(row.Target, 'f', 0, 64),
				strconv.FormatBool(row.MeetsTarget), strconv.Itoa(row.ProblemRank), chPct, chFail})
		}
	}
	w.Flush()
	return w.Error()
}

// areaResults gathers one area's indicator results, the change from the
// previous round and, where the round has poverty counts, its MPI at k.
func areaResults(ctx context.Context, s *store.Store, eng *engine.Engine, r survey.Round, a area.Area, k mpi.Frac) (areaResult, error) {
	cur, err := s.AreaTotals(ctx, eng, r.ID, a.Code)
	if err != nil {
		return areaResult{}, err
	}
	res := areaResult{Area: a.Code, AreaName: a.TitleTH(), Round: r.ID}
	var prev *engine.Totals
	if p, err := s.PreviousRound(ctx, r); err == nil && p.SetID == r.SetID {
		// The previous round may be pinned to another version of the set
		// (a local indicator added since): read it with its own version
		// and line its indicators up with this round's by code.
		peng, err := engine.ForRound(p)
		if err != nil {
			return res, err
		}
		pt, err := s.AreaTotals(ctx, peng, p.ID, a.Code)
		if err != nil {
			return res, err
		}
		if !pt.IsZero() {
			prev = engine.Align(pt, peng.Set(), eng.Set())
			res.PreviousRound = p.ID
		}
	}
	targets, err := s.Targets(ctx, eng.Set().ID)
	if err != nil {
		return res, err
	}
	rep := engine.Results(eng.Set(), cur, prev, targets)
	res.Households, res.People = rep.Households, rep.People
	if !r.AggregateOnly && rep.People > 0 { // unknown is not zero
		v := rep.IncomePerPerson
		res.IncomePerPerson = &v
	}
	rank := map[string]int{}
	for i, p := range rep.Problems() {
		rank[p.Code] = i + 1
	}
	for _, ir := range rep.Indicators {
		row := resultRow{Area: a.Code, AreaName: a.TitleTH(), Round: r.ID, Indicator: ir.Code, Name: ir.Name.TH, Group: ir.Group,
			Unit: string(ir.Unit), Surveyed: ir.Surveyed, Passed: ir.Passed, Failed: ir.Failed, PassedPct: ir.PassedPct,
			Target: ir.Target, MeetsTarget: ir.MeetsTarget, ProblemRank: rank[ir.Code]}
		if ir.HasPrev {
			ch, cf := ir.ChangePassedPct, ir.ChangeFailed
			row.ChangePassedPct, row.ChangeFailed = &ch, &cf
		}
		res.Indicators = append(res.Indicators, row)
	}
	if cur.Poverty != nil && cur.Poverty.N > 0 {
		p, err := engine.Poverty(cur, k)
		if err != nil {
			return res, err
		}
		res.Poverty = &p
	}
	return res, nil
}
