package web

import (
	"context"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
	"tambon/internal/user"
	"tambon/internal/welfare"
)

// welfareBox is the area page's section on the welfare-card register, for
// signed-in officials who may see households there: tambon's own target
// poor by TPMAP's rule, the people to help register, and TPMAP's published
// figure for the same survey year beside them when both exist.
type welfareBox struct {
	Area       area.Area
	Round      survey.Round
	Mapping    welfare.Mapping
	NoMapping  bool
	Lists      int
	Households int
	Covered    int
	Counts     welfare.Counts
	Dims       []welfareDim
	CanImport  bool
	People     string // the list page of the poor not registered
	TPMAP      *tpmap.TargetPoor
	// TPMAPUncertain: TPMAP's year is the survey's, not the year after it.
	TPMAPUncertain bool
}

type welfareDim struct {
	Name apperr.Text
	N    int64
}

// welfareBoxFor builds the section, or nil when the account may not see
// it or the page shows no household round (the public never sees it).
func (s *Server) welfareBoxFor(ctx context.Context, a area.Area, p *profile) (*welfareBox, error) {
	u := userFrom(ctx)
	if u == nil || !u.CanAt(user.ViewHouseholds, a.Code) || a.Level == area.Country || !p.HasRound || p.Round.AggregateOnly {
		return nil, nil
	}
	ws, err := s.wstore()
	if err != nil {
		return nil, nil
	}
	b := &welfareBox{Area: a, Round: p.Round, CanImport: u.CanAt(user.ExportPersonal, a.Code),
		People: "/rounds/" + p.Round.ID + "/areas/" + a.Code + "/welfare?group=" + string(welfare.PoorUnregistered)}
	rd, j, ok, err := s.welfareJudge(ctx, p.Round.ID)
	if err != nil {
		return nil, err
	}
	b.Round = rd
	if !ok {
		b.NoMapping = true
		return b, nil
	}
	b.Mapping = j.Mapping
	rep, err := ws.WelfareArea(ctx, j, rd.ID, a.Code, "")
	if err != nil {
		return nil, err
	}
	b.Lists, b.Households, b.Covered, b.Counts = len(rep.Lists), rep.Households, rep.Covered, rep.Counts
	for i, d := range j.Mapping.Dimensions {
		b.Dims = append(b.Dims, welfareDim{Name: d.Name(), N: rep.Counts.TargetByDimension[i]})
	}
	// TPMAP year Y is built on the survey of Y−1 (tpmap.SurveyYear); the
	// 2561 files say they were built on the 2561 survey. Where no year
	// pairs by the first rule, the same year is shown, saying the pairing
	// is uncertain.
	years, err := ws.TPMAPYears(ctx, a.Code)
	if err != nil {
		return nil, err
	}
	pick := 0
	for _, y := range years {
		if tpmap.SurveyYear(y) == rd.SurveyYear {
			pick = y
		}
	}
	if pick == 0 && slices.Contains(years, rd.SurveyYear) {
		pick, b.TPMAPUncertain = rd.SurveyYear, true
	}
	if pick > 0 {
		tp, ok, err := ws.TPMAPTargetPoor(ctx, a.Code, pick)
		if err != nil {
			return nil, err
		}
		if ok {
			b.TPMAP = &tp
		}
	}
	return b, nil
}
