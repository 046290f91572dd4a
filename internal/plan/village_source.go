package plan

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/village"
)

// SourceKCC2C marks a problem proposed by the กชช. 2ค village survey.
const SourceKCC2C = "kcc2c"

// VillageSource proposes problems from the กชช. 2ค village survey: every
// indicator scored a serious problem (score 1) in some village of the area.
// Moderate scores (2) are common — most indicators have some — so they are
// counted in the detail but do not make a proposal on their own. A plan is
// made from a household round, so the village round used is the newest one
// surveyed no later than that round's year. The households behind a problem
// are the household round's households living in the villages where it is
// serious.
type VillageSource struct {
	// SurveyYear is the Buddhist Era year of a household round.
	SurveyYear func(ctx context.Context, round string) (int, error)
	// Rounds lists the village rounds, in any order.
	Rounds func(ctx context.Context) ([]village.Round, error)
	// Problems are a village round's problems within an area.
	Problems func(ctx context.Context, round, area string) ([]village.Problem, error)
	// Households counts a household round's households within an area.
	Households func(ctx context.Context, round, area string) (int, error)
}

// Name is SourceKCC2C.
func (VillageSource) Name() string { return SourceKCC2C }

// Propose lists the area's กชช. 2ค problems, the ones behind the most
// households first. An area with no village round yet has no proposals.
func (src VillageSource) Propose(ctx context.Context, round, area string) ([]Proposal, error) {
	year, err := src.SurveyYear(ctx, round)
	if err != nil {
		return nil, err
	}
	rounds, err := src.Rounds(ctx)
	if err != nil {
		return nil, fmt.Errorf("village rounds: %w", err)
	}
	vr, ok := villageRoundFor(rounds, year)
	if !ok {
		return nil, nil
	}
	problems, err := src.Problems(ctx, vr.ID, area)
	if err != nil {
		return nil, fmt.Errorf("village problems of %s in %s: %w", area, vr.ID, err)
	}
	inVillage := map[string]int{} // household counts, asked once per village
	out := make([]Proposal, 0, len(problems))
	for _, p := range problems {
		if p.Serious() == 0 {
			continue
		}
		n := 0
		for _, v := range p.Villages {
			if v.Score != village.Serious {
				continue
			}
			c, seen := inVillage[v.Village]
			if !seen {
				if c, err = src.Households(ctx, round, v.Village); err != nil {
					return nil, fmt.Errorf("households of %s in %s: %w", v.Village, round, err)
				}
				inVillage[v.Village] = c
			}
			n += c
		}
		title := apperr.Text{
			TH: "กชช. 2ค ข้อ " + strconv.Itoa(p.Number) + " " + p.Name.TH,
			EN: "Village survey item " + strconv.Itoa(p.Number) + " " + p.Name.EN,
		}
		out = append(out, Proposal{Source: SourceKCC2C, Code: p.Code, Title: title, Households: n,
			Detail: fmt.Sprintf("%s · %d หมู่บ้าน/villages (คะแนน/score 1: %d, 2: %d)", vr.ID, len(p.Villages), p.Serious(), p.Moderate())})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Households > out[j].Households })
	return out, nil
}

// villageRoundFor is the newest village round surveyed in or before year.
func villageRoundFor(rounds []village.Round, year int) (village.Round, bool) {
	var best village.Round
	found := false
	for _, r := range rounds {
		if r.SurveyYear <= year && (!found || r.SurveyYear > best.SurveyYear) {
			best, found = r, true
		}
	}
	return best, found
}
