package web

import (
	"context"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/village"
)

// villageBox is the กชช. 2ค panel of the area page: beside the จปฐ. results
// and the MPI, the newest village round's levels and problems for the area,
// or for a village its level and problems with the reasons.
type villageBox struct {
	Round     village.Round
	Rounds    int // กชช. 2ค rounds kept, to say others can be chosen
	Set       *village.Set
	IsVillage bool
	Villages  int // villages surveyed in the area
	Level     int
	Reason    apperr.Text
	Scores    []village.Score // a village's problems, serious first
	Levels    []levelRow
	Top       []problemRow // an area's five commonest problems
}

// villageBoxFor builds the panel, or nil when there is no กชช. 2ค round
// (or the store keeps none), so the area page stays as it was.
func (s *Server) villageBoxFor(ctx context.Context, a area.Area) (*villageBox, error) {
	vs, err := s.vstore()
	if err != nil {
		return nil, nil
	}
	rounds, err := vs.VillageRounds(ctx)
	if err != nil || len(rounds) == 0 {
		return nil, err
	}
	rd, _, err := latestVillageRound(ctx, vs, rounds, a)
	if err != nil {
		return nil, err
	}
	set, err := village.ForRound(rd)
	if err != nil {
		return nil, err
	}
	b := &villageBox{Round: rd, Set: set, IsVillage: a.Level == area.Village, Rounds: len(rounds)}
	if b.IsVillage {
		rec, err := vs.VillageRecord(ctx, rd.ID, a.Code)
		if apperr.Is(err, apperr.NotFound) {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		res, err := set.Evaluate(rec.Answers)
		if err != nil {
			return nil, err
		}
		b.Villages, b.Level, b.Reason = 1, res.Level, res.Reason
		for _, sc := range res.Scores {
			if sc.Score < village.Fine {
				b.Scores = append(b.Scores, sc)
			}
		}
		slices.SortStableFunc(b.Scores, func(x, y village.Score) int { return x.Score - y.Score })
		return b, nil
	}
	d, err := s.villageArea(ctx, vs, villageHead{Area: a, Round: rd}, set, false)
	if err != nil {
		return nil, err
	}
	b.Villages, b.Levels = d.Counts.Villages, d.Levels
	for _, p := range d.Problems {
		if len(b.Top) < 5 && p.Serious+p.Moderate > 0 {
			b.Top = append(b.Top, p)
		}
	}
	return b, nil
}
