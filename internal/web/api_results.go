package web

import (
	"context"
	"net/http"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/mpi"
	"tambon/internal/survey"
)

// apiRound is a survey round in the API.
type apiRound struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	SurveyYear    int    `json:"survey_year"`
	SetID         string `json:"set_id"`
	AggregateOnly bool   `json:"aggregate_only"`
	Source        string `json:"source,omitempty"`
}

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request) error {
	rounds, err := s.store.Rounds(r.Context())
	if err != nil {
		return err
	}
	out := []apiRound{}
	for _, rd := range rounds {
		out = append(out, apiRound{ID: rd.ID, Kind: string(rd.Kind), SurveyYear: rd.SurveyYear, SetID: rd.SetID,
			AggregateOnly: rd.AggregateOnly, Source: rd.Source})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"rounds": out})
}

// apiResults is an area's figures for one round. A figure withheld from
// the public (a small count, or one that would reveal one) is absent, never
// 0, and named in withheld (the area's own figures) or marked withheld (an
// indicator's counts).
type apiResults struct {
	Area            apiAreaBody    `json:"area"`
	Round           apiRound       `json:"round"`
	PreviousRound   *apiRound      `json:"previous_round,omitempty"`
	Households      *int64         `json:"households,omitempty"` // absent when withheld
	People          *int64         `json:"people,omitempty"`     // absent when withheld
	NetIncome       *int64         `json:"net_income"`           // null: the round holds no income (TPMAP) or it is withheld
	IncomePerPerson *float64       `json:"income_per_person"`    // null: unknown, as net_income, or nobody to divide by
	Indicators      []apiIndicator `json:"indicators"`
	Groups          []apiGroup     `json:"groups"`
	Problems        []string       `json:"problems"`
	MPI             *apiMPI        `json:"mpi"`                      // null: the round holds no one's deprivations (TPMAP), or they are withheld
	WithheldBelow   int64          `json:"withheld_below,omitempty"` // public requests: counts under it are hidden
	// Coverage, status and certification: coverage.go, coverage_api.go.
	Coverage      *apiCoverage      `json:"coverage,omitempty"`
	Status        string            `json:"status,omitempty"` // certified, provisional or published
	Certification *apiCertification `json:"certification,omitempty"`
	// Withheld names the area's own figures that are hidden: households,
	// people, net_income (and income_per_person), mpi.
	Withheld []string `json:"withheld,omitempty"`
}

type apiIndicator struct {
	Code            string   `json:"code"`
	Number          int      `json:"number"`
	NameTH          string   `json:"name_th"`
	NameEN          string   `json:"name_en"`
	Group           string   `json:"group"`
	Unit            string   `json:"unit"`
	Surveyed        *int64   `json:"surveyed,omitempty"`
	Passed          *int64   `json:"passed,omitempty"`
	Failed          *int64   `json:"failed,omitempty"`
	PassedPct       *float64 `json:"passed_pct"`
	Target          float64  `json:"target_pct"`
	MeetsTarget     *bool    `json:"meets_target,omitempty"`
	ChangePassedPct *float64 `json:"change_passed_pct,omitempty"`
	ChangeFailed    *int64   `json:"change_failed,omitempty"`
	// Withheld (public requests only): passed and failed are hidden, and
	// surveyed too unless it is given; meets_target is absent.
	Withheld bool `json:"withheld,omitempty"`
}

type apiGroup struct {
	Code        string `json:"code"`
	NameTH      string `json:"name_th"`
	NameEN      string `json:"name_en"`
	Indicators  int    `json:"indicators"`
	Assessed    int    `json:"assessed"`
	MeetTarget  int    `json:"meet_target"`
	BelowTarget int    `json:"below_target"`
	Withheld    int    `json:"withheld,omitempty"` // indicators whose counts are hidden: in neither count above
}

// apiMPI is the poverty index; a figure withheld from the public is absent
// and named in withheld.
type apiMPI struct {
	Spec       string            `json:"spec"`
	K          mpi.Frac          `json:"k"`
	N          *int64            `json:"n,omitempty"`
	Q          *int64            `json:"q,omitempty"`
	H          *float64          `json:"h,omitempty"`
	A          *float64          `json:"a,omitempty"`
	M0         *float64          `json:"m0,omitempty"`
	Dimensions []apiContribution `json:"dimensions"`
	Indicators []apiContribution `json:"indicators"`
	Withheld   []string          `json:"withheld,omitempty"`
}

type apiContribution struct {
	ID           string   `json:"id"`
	Weight       mpi.Frac `json:"weight"`
	Contribution *float64 `json:"contribution,omitempty"`
	Withheld     bool     `json:"withheld,omitempty"` // public requests: the contribution is hidden
}

func apiRoundOf(rd survey.Round) apiRound {
	return apiRound{ID: rd.ID, Kind: string(rd.Kind), SurveyYear: rd.SurveyYear, SetID: rd.SetID, AggregateOnly: rd.AggregateOnly, Source: rd.Source}
}

func (s *Server) apiAreaResults(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	body, err := s.resultsOf(r.Context(), a, r.URL.Query().Get("round"))
	if err != nil {
		return err
	}
	if body == nil {
		return apperr.New(apperr.NotFound, apperr.Tf("ยังไม่มีข้อมูลของพื้นที่ %s", "there are no figures for area %s yet", a.Code))
	}
	return writeJSON(w, http.StatusOK, body)
}

// resultsOf is an area's figures of a round ("" for the newest with data)
// as the results API and the OData feed publish them to the request's
// caller; nil when the area has none.
func (s *Server) resultsOf(ctx context.Context, a area.Area, round string) (*apiResults, error) {
	p, err := s.loadProfile(ctx, a, round, false)
	if err != nil {
		return nil, err
	}
	if !p.HasRound {
		return nil, nil
	}
	rep := p.Report
	body := apiResults{Area: s.apiAreaOf(a), Round: apiRoundOf(p.Round), Indicators: []apiIndicator{}, Groups: []apiGroup{}, Problems: []string{},
		WithheldBelow: rep.WithheldBelow}
	if rep.HouseholdsWithheld {
		body.Withheld = append(body.Withheld, "households")
	} else {
		body.Households = &rep.Households
	}
	if rep.PeopleWithheld {
		body.Withheld = append(body.Withheld, "people")
	} else {
		body.People = &rep.People
	}
	if rep.IncomeWithheld || rep.PeopleWithheld {
		body.Withheld = append(body.Withheld, "net_income")
	} else {
		body.NetIncome, body.IncomePerPerson = apiIncome(p.Round, rep)
	}
	body.coverageFields(p.Cover)
	if p.HasPrev {
		pr := apiRoundOf(p.Prev)
		body.PreviousRound = &pr
	}
	for _, ir := range rep.Indicators {
		ai := apiIndicator{Code: ir.Code, Number: ir.Number, NameTH: ir.Name.TH, NameEN: ir.Name.EN, Group: ir.Group, Unit: string(ir.Unit),
			Target: ir.Target, Withheld: ir.Withheld}
		if ir.Withheld {
			if ir.WithheldSurveyed > 0 {
				ai.Surveyed = ptrInt(ir.WithheldSurveyed)
			}
		} else {
			ai.Surveyed, ai.Passed, ai.Failed = ptrInt(ir.Surveyed), ptrInt(ir.Passed), ptrInt(ir.Failed)
			ai.MeetsTarget = &ir.MeetsTarget
		}
		if ir.Surveyed > 0 {
			ai.PassedPct = ptr(round2(ir.PassedPct))
		}
		if ir.HasPrev {
			ch, cf := round2(ir.ChangePassedPct), ir.ChangeFailed
			ai.ChangePassedPct, ai.ChangeFailed = &ch, &cf
		}
		body.Indicators = append(body.Indicators, ai)
	}
	for _, g := range rep.Groups {
		body.Groups = append(body.Groups, apiGroup{Code: g.Code, NameTH: g.Name.TH, NameEN: g.Name.EN, Indicators: g.Indicators,
			Assessed: g.Assessed, MeetTarget: g.MeetTarget, BelowTarget: g.BelowTarget, Withheld: g.Withheld})
	}
	for _, ir := range p.Problems {
		body.Problems = append(body.Problems, ir.Code)
	}
	if p.MPIWithheld {
		body.Withheld = append(body.Withheld, "mpi")
	}
	if p.HasMPI {
		body.MPI = apiMPIOf(p)
	}
	return &body, nil
}

// apiMPIOf is the area's poverty index with what the public may not see
// left out.
func apiMPIOf(p *profile) *apiMPI {
	sh := p.MPIShown
	m := &apiMPI{Spec: p.Eng.Poverty().Spec().ID, K: p.MPI.K, Dimensions: []apiContribution{}, Indicators: []apiContribution{}}
	field := func(shown bool, name string, set func()) {
		if shown {
			set()
		} else {
			m.Withheld = append(m.Withheld, name)
		}
	}
	field(sh.N, "n", func() { m.N = ptrInt(p.MPI.N) })
	field(sh.Q, "q", func() { m.Q = ptrInt(p.MPI.Q) })
	field(sh.H, "h", func() { m.H = ptr(p.MPI.H) })
	field(sh.A, "a", func() { m.A = ptr(p.MPI.A) })
	field(sh.M0, "m0", func() { m.M0 = ptr(p.MPI.M0) })
	if !sh.Contributions {
		m.Withheld = append(m.Withheld, "contributions")
	}
	for i, d := range p.MPI.Dimensions {
		c := apiContribution{ID: d.ID, Weight: d.Weight, Withheld: !sh.Dimension[i]}
		if sh.Dimension[i] {
			c.Contribution = ptr(d.Contribution)
		}
		m.Dimensions = append(m.Dimensions, c)
	}
	for i, in := range p.MPI.Indicators {
		c := apiContribution{ID: in.ID, Weight: in.Weight, Withheld: !sh.Contribution[i]}
		if sh.Contribution[i] {
			c.Contribution = ptr(in.Contribution)
		}
		m.Indicators = append(m.Indicators, c)
	}
	return m
}

func ptrInt(n int64) *int64 { return &n }
