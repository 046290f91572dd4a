package web

import (
	"context"

	"tambon/internal/area"
	"tambon/internal/plan"
	"tambon/internal/thai"
)

// planCounts says how the households behind a plan's problems are shown to
// the requester. Roles that see exact counts (public in suppress.go is
// false) see the survey's own counts. The others — a partner account — see
// a count only where the public pages of the area and round show the
// figure it stands on, and never from 1 to 4 (the threshold): an indicator's
// failing households where the area page shows its failed count
// (engine.Protect's pattern, secondary cells included), the MPI-poor households as the forum
// presentation shows them (shownCount), and a กชช. 2ค problem's households
// only when every village of the area shows its households. Anything else
// is hidden; there is no second rule.
type planCounts struct {
	public   bool
	prof     *profile
	shownInd map[string]bool // indicators whose failed count the area's public page shows
	villages bool            // every village of the area publishes its households
}

// planCountsOf reads the public figures of an area in a round, for a
// requester who may not see exact counts.
func (s *Server) planCountsOf(ctx context.Context, areaCode, round string) (*planCounts, error) {
	c := &planCounts{public: public(ctx) && s.smallCell() > 1}
	if !c.public {
		return c, nil
	}
	a, ok := s.areas.Get(areaCode)
	if !ok || round == "" {
		return c, nil
	}
	p, err := s.loadProfile(ctx, a, round, a.Level != area.Village)
	if err != nil {
		return nil, err
	}
	if !p.HasRound || p.Round.ID != round {
		return c, nil
	}
	c.prof = p
	c.shownInd = map[string]bool{}
	rep := p.Report
	for _, ir := range rep.Indicators {
		c.shownInd[ir.Code] = !ir.Withheld && !rep.AreaWithheld
	}
	c.villages = !rep.AreaWithheld && !rep.HouseholdsWithheld
	for _, ch := range p.Children {
		if !ch.HasData || ch.Report.AreaWithheld || ch.Report.HouseholdsWithheld {
			c.villages = false
		}
	}
	return c, nil
}

// shown is the count of households behind a problem as the requester may
// see it, formatted; "" when hidden.
func (s *Server) shownHouseholds(c *planCounts, source, code string, n int) string {
	if !c.public {
		return thai.FormatInt(int64(n))
	}
	if c.prof == nil {
		return ""
	}
	switch source {
	case plan.SourceBMN:
		if !c.shownInd[code] {
			return ""
		}
	case plan.SourceMPI:
		return s.shownCount(c.prof, int64(n))
	case plan.SourceKCC2C:
		if !c.villages {
			return ""
		}
	case plan.SourceForum:
		if n != 0 {
			return ""
		}
	default:
		return ""
	}
	if n > 0 && int64(n) < s.smallCell() {
		return ""
	}
	return thai.FormatInt(int64(n))
}

// planProblemCounts is each problem of a plan's households as the requester
// may see them, by problem id; "" when hidden.
func (s *Server) planProblemCounts(ctx context.Context, areaCode, round string, problems []plan.Problem) (map[int64]string, error) {
	c, err := s.planCountsOf(ctx, areaCode, round)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(problems))
	for _, pr := range problems {
		out[pr.ID] = s.shownHouseholds(c, pr.Source, pr.Code, pr.Households)
	}
	return out, nil
}

// hideGraduation hides the graduation counts a requester who may not see
// exact counts must not read: a problem's row (households helped and what
// became of them, which add up to each other) wholly when any of its counts
// is from 1 to 4, and the total row when any problem's row is hidden (else
// the total less the rows shown gives the hidden one) or its own counts
// are.
func (s *Server) hideGraduation(ctx context.Context, d *planGraduationData) {
	if !public(ctx) || s.smallCell() <= 1 {
		return
	}
	small := func(ns ...int64) bool {
		for _, n := range ns {
			if n > 0 && n < s.smallCell() {
				return true
			}
		}
		return false
	}
	for i := range d.Problems {
		g := &d.Problems[i]
		c := g.Counts
		if g.Hidden = small(int64(g.Helped), c.Graduated, c.StillPoor, c.FellBack, c.NeverPoor, c.Gone); g.Hidden {
			d.TotalHidden = true
		}
	}
	t := d.Total
	if small(t.Graduated, t.StillPoor, t.FellBack, t.NeverPoor, t.Gone) {
		d.TotalHidden = true
	}
}
