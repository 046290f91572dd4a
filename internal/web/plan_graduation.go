package web

import (
	"context"
	"net/http"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// planGraduationData follows the households a plan helped into the next
// survey round: of those who had the problem the help answered, how many
// no longer have it.
type planGraduationData struct {
	Plan     plan.Plan
	AreaView bool // every plan of Area, not one plan
	Area     area.Area
	Round    survey.Round
	Next     survey.Round
	HasNext  bool
	CanSeeHH bool
	Problems []graduationRow
	Total    engine.TransitionCounts
	// TotalHidden: the total row is hidden from the requester (hideGraduation).
	TotalHidden bool
	Helped      []helpedRow
}

type graduationRow struct {
	PlanID    int64
	PlanTitle string
	Problem   plan.Problem
	Counts    engine.TransitionCounts
	Helped    int
	Hidden    bool // its counts are hidden from the requester (hideGraduation)
}

// helpedRow is one helped household and what became of its problem.
type helpedRow struct {
	PrevID, NextID int64
	Moo            int
	HouseNo        string
	Head           string // masked
	Item           string
	What, Status   string
	Problem        string
	Kind           engine.Transition
}

func (s *Server) planGraduation(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.planOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &planGraduationData{Plan: p, CanSeeHH: u.CanAt(user.ViewHouseholds, p.AreaCode)}
	d.Area, _ = s.areas.Get(p.AreaCode)
	if err := s.graduate(ctx, d, p, ps); err != nil {
		return err
	}
	s.hideGraduation(ctx, d)
	return s.render(w, r, http.StatusOK, "plan_graduation", s.msgs.text(lang, "plan.grad.title", "plan", p.Title), d)
}

// areaGraduation is the graduation view of every plan in an area.
func (s *Server) areaGraduation(w http.ResponseWriter, r *http.Request) error {
	a, u, ps, err := areaAllowed(s, r, user.ViewPlans, s.pstore)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	d := &planGraduationData{Area: a, AreaView: true, CanSeeHH: u.CanAt(user.ViewHouseholds, a.Code)}
	plans, err := ps.Plans(ctx, a.Code)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if err := s.graduate(ctx, d, p, ps); err != nil {
			return err
		}
	}
	s.hideGraduation(ctx, d)
	return s.render(w, r, http.StatusOK, "plan_graduation", s.msgs.text(lang, "plan.grad.area.title", "area", areaTitle(lang, a)), d)
}

// graduate adds one plan's helped households, followed into the round after
// the plan's, to d.
func (s *Server) graduate(ctx context.Context, d *planGraduationData, p plan.Plan, ps planStore) error {
	lang := langFrom(ctx)
	rd, eng, err := s.roundOf(ctx, p.RoundID)
	if err != nil {
		return err
	}
	d.Round = rd
	if d.Next, d.HasNext, err = s.nextRound(ctx, rd); err != nil {
		return err
	}
	problems, err := ps.PlanProblems(ctx, p.ID)
	if err != nil {
		return err
	}
	items, err := ps.PlanItems(ctx, p.ID)
	if err != nil {
		return err
	}
	problemOf := map[int64]int64{} // item → problem
	itemTitle := map[int64]string{}
	for _, it := range items {
		problemOf[it.ID], itemTitle[it.ID] = it.ProblemID, it.Title
	}
	help, err := ps.Assistance(ctx, plan.AssistanceFilter{PlanID: p.ID})
	if err != nil {
		return err
	}
	// The helped households of each problem (help that was not cancelled).
	byProblem := map[int64][]plan.Assistance{}
	seen := map[[2]int64]bool{}
	for _, a := range help {
		pid := problemOf[a.ItemID]
		if a.Status == plan.Cancelled || pid == 0 || seen[[2]int64{pid, a.HouseholdID}] {
			continue
		}
		seen[[2]int64{pid, a.HouseholdID}] = true
		byProblem[pid] = append(byProblem[pid], a)
	}
	var nextEng *engine.Engine
	if d.HasNext {
		if _, nextEng, err = s.roundOf(ctx, d.Next.ID); err != nil {
			return err
		}
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	prevIDs, err := s.followIDs(ctx, p.RoundID)
	if err != nil {
		return err
	}
	for _, pr := range problems {
		helped := byProblem[pr.ID]
		row := graduationRow{Problem: pr, Helped: len(helped), PlanID: p.ID, PlanTitle: p.Title}
		if len(helped) == 0 || !d.HasNext {
			d.Problems = append(d.Problems, row)
			continue
		}
		prevF, ok1 := plan.FilterFor(eng, pr.Source, pr.Code)
		curF, ok2 := plan.FilterFor(nextEng, pr.Source, pr.Code)
		if !ok1 || !ok2 {
			d.Problems = append(d.Problems, row)
			continue
		}
		var prev []engine.HouseholdRef
		records := map[int64]survey.Record{}
		pw := eng.Worker()
		for _, a := range helped {
			rec, err := hs.Household(ctx, a.HouseholdID)
			if err != nil {
				return err
			}
			records[rec.ID] = rec
			ref := householdRef(rec, prevIDs)
			_, ref.Poor = engine.Target(pw, rec.Household, prevF)
			prev = append(prev, ref)
		}
		cur, err := s.householdRefs(ctx, nextEng, d.Next.ID, p.AreaCode, curF)
		if err != nil {
			return err
		}
		counts, pairs := plan.Graduation(prev, cur)
		row.Counts = counts
		addCounts(&d.Total, counts)
		d.Problems = append(d.Problems, row)
		if !d.CanSeeHH {
			continue
		}
		byID := map[int64]plan.Assistance{}
		for _, a := range helped {
			byID[a.HouseholdID] = a
		}
		for _, pair := range pairs {
			rec := records[pair.Prev.ID]
			a := byID[pair.Prev.ID]
			hr := helpedRow{PrevID: rec.ID, HouseNo: rec.Household.HouseNo, Item: itemTitle[a.ItemID], What: a.What, Status: a.Status,
				Problem: pr.Title.In(lang), Kind: pair.Kind}
			if pair.Cur != nil {
				hr.NextID = pair.Cur.ID
			}
			if v, ok := s.areas.Get(rec.Household.VillageCode); ok {
				hr.Moo = v.Moo
			}
			if hd := headOf(rec.Household); hd != nil {
				hr.Head = maskName(hd.FirstName)
			}
			d.Helped = append(d.Helped, hr)
		}
	}
	return nil
}

func addCounts(t *engine.TransitionCounts, c engine.TransitionCounts) {
	t.Graduated += c.Graduated
	t.StillPoor += c.StillPoor
	t.FellBack += c.FellBack
	t.NeverPoor += c.NeverPoor
	t.Gone += c.Gone
	t.New += c.New
}

// householdRef is what matching needs of a household; ids names its
// members (followIDs: citizen IDs, or their pseudonyms once a round has
// been pseudonymised).
func householdRef(rec survey.Record, ids func(survey.Record) []string) engine.HouseholdRef {
	h := rec.Household
	return engine.HouseholdRef{ID: rec.ID, Key: h.Key(), Village: h.VillageCode, CitizenIDs: ids(rec)}
}

// householdRefs reads a round's households of an area for matching, Poor
// meaning the filter takes them.
func (s *Server) householdRefs(ctx context.Context, eng *engine.Engine, round, areaCode string, f engine.Filter) ([]engine.HouseholdRef, error) {
	w := eng.Worker()
	ids, err := s.followIDs(ctx, round)
	if err != nil {
		return nil, err
	}
	var out []engine.HouseholdRef
	err = s.store.EachHousehold(ctx, round, areaCode, func(rec survey.Record) error {
		ref := householdRef(rec, ids)
		_, ref.Poor = engine.Target(w, rec.Household, f)
		out = append(out, ref)
		return nil
	})
	return out, err
}
