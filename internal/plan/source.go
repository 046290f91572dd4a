package plan

import (
	"context"
	"fmt"
	"sort"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// EachHousehold reads a round's households within an area (the store's
// EachHousehold).
type EachHousehold func(ctx context.Context, round, area string, fn func(survey.Record) error) error

// SurveySource proposes problems from the จปฐ. household survey: every
// indicator some households fail, and multidimensional poverty when the
// round has an MPI, each with the number of households behind it, judged
// by the engine exactly as the targeting list judges them.
type SurveySource struct {
	Engine func(ctx context.Context, round string) (*engine.Engine, error)
	Each   EachHousehold
}

// Name is SourceBMN.
func (SurveySource) Name() string { return SourceBMN }

// Propose counts, per failed indicator, the complete households that fail
// it, and the households with an MPI-poor member.
func (src SurveySource) Propose(ctx context.Context, round, area string) ([]Proposal, error) {
	eng, err := src.Engine(ctx, round)
	if err != nil {
		return nil, err
	}
	set := eng.Set()
	f := engine.Filter{}
	if eng.Poverty() != nil {
		f.PoorAt = eng.Poverty().K()
	}
	for _, ind := range set.Indicators {
		f.Indicators = append(f.Indicators, ind.Code)
	}
	failed := map[string]int{}
	poor, total := 0, 0
	w := eng.Worker()
	err = src.Each(ctx, round, area, func(rec survey.Record) error {
		if rec.Household.Status != survey.Complete {
			return nil
		}
		total++
		hit, ok := engine.Target(w, rec.Household, f)
		if !ok {
			return nil
		}
		for _, code := range hit.Failed {
			failed[code]++
		}
		for _, m := range hit.Matched {
			if m == "poor" {
				poor++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("propose problems of %s in %s: %w", area, round, err)
	}
	var out []Proposal
	detail := func(n int) string {
		return fmt.Sprintf("%d/%d", n, total)
	}
	for _, ind := range set.Indicators {
		if n := failed[ind.Code]; n > 0 {
			out = append(out, Proposal{Source: SourceBMN, Code: ind.Code, Households: n, Detail: detail(n),
				Title: apperr.Text{TH: "ตัวชี้วัดที่ " + ind.Code + " " + ind.Name.TH, EN: "Indicator " + ind.Code + " " + ind.Name.EN}})
		}
	}
	if poor > 0 {
		out = append(out, Proposal{Source: SourceMPI, Code: MPICode, Households: poor, Detail: detail(poor),
			Title: apperr.T("ครัวเรือนยากจนหลายมิติ (มีสมาชิกยากจนตามดัชนี MPI)", "Multidimensionally poor households (a member poor by the MPI)")})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Households > out[j].Households })
	return out, nil
}

// FilterFor is the targeting filter that lists the households behind a
// problem: failing its indicator, or MPI-poor. ok is false for problems
// the survey cannot judge (another source's, or the team's own).
func FilterFor(eng *engine.Engine, source, code string) (engine.Filter, bool) {
	switch source {
	case SourceBMN:
		return engine.Filter{Indicators: []string{code}}, true
	case SourceMPI:
		if eng.Poverty() == nil {
			return engine.Filter{}, false
		}
		return engine.Filter{PoorAt: eng.Poverty().K()}, true
	}
	return engine.Filter{}, false
}

// Graduation counts what became of helped households by the next round:
// only pairs that start from a helped household count (prev holds the
// helped households, their Poor meaning "had the problem"; cur the next
// round's households of the area).
func Graduation(prev, cur []engine.HouseholdRef) (engine.TransitionCounts, []engine.Pair) {
	var t engine.TransitionCounts
	var kept []engine.Pair
	for _, p := range engine.Match(prev, cur) {
		if p.Prev == nil {
			continue
		}
		t.Add(p.Kind)
		kept = append(kept, p)
	}
	return t, kept
}
