package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
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
	// Recording help from a programme (help under a plan item is recorded
	// on the item's page).
	CanRecord  bool
	ID         int64
	Programmes []string
	Statuses   []string
	Today      string
}

type helpRow struct {
	plan.Assistance
	Date                   string
	Problem                string
	Result                 string // "passed", "failed" or "" when the next round cannot judge it
	StatusText, ResultText string
	ItemLink               bool // the account may open the plan item (a link only then)
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
	if u := userFrom(ctx); u != nil && u.CanAt(user.EditPlans, rec.Household.VillageCode) {
		d.CanRecord, d.ID, d.Statuses = true, rec.ID, plan.Statuses
		d.Today = formatDate(lang, s.now().In(thai.Bangkok()))
		if prs, err := s.prstore(); err == nil {
			list, err := prs.Programmes(ctx, rec.Household.VillageCode[:6])
			if err != nil {
				return nil, err
			}
			for _, p := range list {
				d.Programmes = append(d.Programmes, p.Title)
			}
		}
	}
	if len(d.After) == 0 && len(d.Before) == 0 && !d.CanRecord {
		return nil, nil
	}
	return d, nil
}

// householdAssist records help to a household from a programme (or any
// other help not under a plan item).
func (s *Server) householdAssist(w http.ResponseWriter, r *http.Request) error {
	rec, u, err := s.householdOf(r, user.ViewHouseholds)
	if err != nil {
		return err
	}
	if !u.CanAt(user.EditPlans, rec.Household.VillageCode) {
		return denied()
	}
	ps, err := s.pstore()
	if err != nil {
		return err
	}
	a := plan.Assistance{HouseholdID: rec.ID, RoundID: rec.Household.RoundID, Programme: r.PostFormValue("programme"), What: r.PostFormValue("what"),
		Helper: r.PostFormValue("helper"), Status: r.PostFormValue("status"), Note: r.PostFormValue("note"), CreatedBy: u.Username}
	if other := strings.TrimSpace(r.PostFormValue("programme_other")); other != "" {
		a.Programme = other
	}
	if v := strings.TrimSpace(r.PostFormValue("date")); v != "" {
		if a.Date, err = thai.ParseDate(v); err != nil {
			return err
		}
	}
	if _, err := ps.AddAssistance(r.Context(), a); err != nil {
		return err // a refusal says precisely what is missing, on the error page
	}
	http.Redirect(w, r, fmt.Sprintf("/households/%d#help", rec.ID), http.StatusSeeOther)
	return nil
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
			if u := userFrom(ctx); u != nil && u.Can(user.ViewPlans) {
				if p, err := ps.Plan(ctx, it.PlanID); err == nil {
					row.ItemLink = u.CanAt(user.ViewPlans, p.AreaCode)
				}
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
