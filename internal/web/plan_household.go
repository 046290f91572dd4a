package web

import (
	"context"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/survey"
)

// householdHelp is the household page's assistance log: the help recorded
// after this round's survey, judged by the next round, and the help
// recorded after the previous round, judged by this one.
type householdHelp struct {
	After, Before    []helpRow
	Next             survey.Round
	NextID           int64 // the household's record in the next round, 0 when none
	NextFailed       []string
	HasNext, HasPrev bool
	Prev             survey.Round
}

type helpRow struct {
	plan.Assistance
	Date                   string
	Problem                string
	Result                 string // "passed", "failed" or "" when the next round cannot judge it
	StatusText, ResultText string
}

// householdHelpFor builds the section; it is nil when the household has no
// help recorded and the store keeps no plans.
func (s *Server) householdHelpFor(ctx context.Context, rec survey.Record, rd survey.Round) (*householdHelp, error) {
	ps, err := s.pstore()
	if err != nil {
		return nil, nil
	}
	lang := langFrom(ctx)
	d := &householdHelp{}
	after, err := ps.Assistance(ctx, plan.AssistanceFilter{Round: rd.ID, Key: rec.Key})
	if err != nil {
		return nil, err
	}
	if d.Next, d.HasNext, err = s.nextRound(ctx, rd); err != nil {
		return nil, err
	}
	var next survey.Record
	var nextEng *engine.Engine
	if d.HasNext {
		next, err = ps.HouseholdByKey(ctx, d.Next.ID, rec.Key)
		switch {
		case apperr.Is(err, apperr.NotFound):
		case err != nil:
			return nil, err
		default:
			d.NextID = next.ID
			if _, nextEng, err = s.roundOf(ctx, d.Next.ID); err != nil {
				return nil, err
			}
			hit, _ := engine.Target(nextEng.Worker(), next.Household, engine.Filter{})
			d.NextFailed = hit.Failed
		}
	}
	if d.After, err = s.helpRows(ctx, ps, lang, after, next, nextEng); err != nil {
		return nil, err
	}
	prev, err := s.store.PreviousRound(ctx, rd)
	if err == nil && !prev.AggregateOnly {
		before, err := ps.Assistance(ctx, plan.AssistanceFilter{Round: prev.ID, Key: rec.Key})
		if err != nil {
			return nil, err
		}
		if len(before) > 0 {
			_, eng, err := s.roundOf(ctx, rd.ID)
			if err != nil {
				return nil, err
			}
			d.Prev, d.HasPrev = prev, true
			if d.Before, err = s.helpRows(ctx, ps, lang, before, rec, eng); err != nil {
				return nil, err
			}
		}
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if len(d.After) == 0 && len(d.Before) == 0 {
		return nil, nil
	}
	return d, nil
}

// helpRows judges each record's problem in the record later (when there is one).
func (s *Server) helpRows(ctx context.Context, ps planStore, lang string, list []plan.Assistance, later survey.Record, eng *engine.Engine) ([]helpRow, error) {
	var out []helpRow
	problems := map[int64][]plan.Problem{}
	for _, a := range list {
		row := helpRow{Assistance: a, Date: formatDate(lang, a.Date), StatusText: s.msgs.text(lang, "plan.status."+a.Status)}
		if a.ItemID != 0 {
			it, err := ps.Item(ctx, a.ItemID)
			if err != nil {
				return nil, err
			}
			if _, ok := problems[it.PlanID]; !ok {
				if problems[it.PlanID], err = ps.PlanProblems(ctx, it.PlanID); err != nil {
					return nil, err
				}
			}
			for _, pr := range problems[it.PlanID] {
				if pr.ID != it.ProblemID {
					continue
				}
				row.Problem = pr.Title.In(lang)
				if later.Household != nil && eng != nil {
					if f, ok := plan.FilterFor(eng, pr.Source, pr.Code); ok {
						row.Result = "passed"
						if _, hit := engine.Target(eng.Worker(), later.Household, f); hit {
							row.Result = "failed"
						}
					}
				}
			}
		}
		if row.Result != "" {
			row.ResultText = s.msgs.text(lang, "plan.hh.result."+row.Result)
		}
		out = append(out, row)
	}
	return out, nil
}
