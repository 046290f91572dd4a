package web

import (
	"net/http"

	"tambon/internal/apperr"
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

// apiResults is an area's figures for one round.
type apiResults struct {
	Area            apiAreaBody    `json:"area"`
	Round           apiRound       `json:"round"`
	PreviousRound   *apiRound      `json:"previous_round,omitempty"`
	Households      int64          `json:"households"`
	People          int64          `json:"people"`
	NetIncome       *int64         `json:"net_income"`        // null: the round holds no income (TPMAP) or it is withheld
	IncomePerPerson *float64       `json:"income_per_person"` // null: unknown, as net_income, or nobody to divide by
	Indicators      []apiIndicator `json:"indicators"`
	Groups          []apiGroup     `json:"groups"`
	Problems        []string       `json:"problems"`
	MPI             *apiMPI        `json:"mpi"`                      // null: the round holds no one's deprivations (TPMAP), or they are withheld
	WithheldBelow   int64          `json:"withheld_below,omitempty"` // public requests: counts under it are hidden
	// Coverage, status and certification: coverage.go, coverage_api.go.
	Coverage      *apiCoverage      `json:"coverage,omitempty"`
	Status        string            `json:"status,omitempty"` // certified, provisional or published
	Certification *apiCertification `json:"certification,omitempty"`
}

type apiIndicator struct {
	Code            string   `json:"code"`
	Number          int      `json:"number"`
	NameTH          string   `json:"name_th"`
	NameEN          string   `json:"name_en"`
	Group           string   `json:"group"`
	Unit            string   `json:"unit"`
	Surveyed        int64    `json:"surveyed"`
	Passed          int64    `json:"passed"`
	Failed          int64    `json:"failed"`
	PassedPct       *float64 `json:"passed_pct"`
	Target          float64  `json:"target_pct"`
	MeetsTarget     bool     `json:"meets_target"`
	ChangePassedPct *float64 `json:"change_passed_pct,omitempty"`
	ChangeFailed    *int64   `json:"change_failed,omitempty"`
	// Withheld (public requests only): a count from 1 to withheld_below−1
	// was hidden, so surveyed, passed and failed are 0 here.
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
}

type apiMPI struct {
	Spec       string            `json:"spec"`
	K          mpi.Frac          `json:"k"`
	N          int64             `json:"n"`
	Q          int64             `json:"q"`
	H          float64           `json:"h"`
	A          float64           `json:"a"`
	M0         float64           `json:"m0"`
	Dimensions []apiContribution `json:"dimensions"`
	Indicators []apiContribution `json:"indicators"`
}

type apiContribution struct {
	ID           string   `json:"id"`
	Weight       mpi.Frac `json:"weight"`
	Contribution float64  `json:"contribution"`
}

func apiRoundOf(rd survey.Round) apiRound {
	return apiRound{ID: rd.ID, Kind: string(rd.Kind), SurveyYear: rd.SurveyYear, SetID: rd.SetID, AggregateOnly: rd.AggregateOnly, Source: rd.Source}
}

func (s *Server) apiAreaResults(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	p, err := s.loadProfile(r.Context(), a, r.URL.Query().Get("round"), false)
	if err != nil {
		return err
	}
	if !p.HasRound {
		return apperr.New(apperr.NotFound, apperr.Tf("ยังไม่มีข้อมูลของพื้นที่ %s", "there are no figures for area %s yet", a.Code))
	}
	rep := p.Report
	body := apiResults{Area: s.apiAreaOf(a), Round: apiRoundOf(p.Round), Households: rep.Households, People: rep.People,
		Indicators: []apiIndicator{}, Groups: []apiGroup{}, Problems: []string{},
		WithheldBelow: rep.WithheldBelow}
	body.NetIncome, body.IncomePerPerson = apiIncome(p.Round, rep)
	body.coverageFields(p.Cover)
	if p.HasPrev {
		pr := apiRoundOf(p.Prev)
		body.PreviousRound = &pr
	}
	for _, ir := range rep.Indicators {
		ai := apiIndicator{Code: ir.Code, Number: ir.Number, NameTH: ir.Name.TH, NameEN: ir.Name.EN, Group: ir.Group, Unit: string(ir.Unit),
			Surveyed: ir.Surveyed, Passed: ir.Passed, Failed: ir.Failed, Target: ir.Target, MeetsTarget: ir.MeetsTarget, Withheld: ir.Withheld}
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
			Assessed: g.Assessed, MeetTarget: g.MeetTarget, BelowTarget: g.BelowTarget})
	}
	for _, ir := range p.Problems {
		body.Problems = append(body.Problems, ir.Code)
	}
	if p.HasMPI {
		m := &apiMPI{Spec: p.Eng.Poverty().Spec().ID, K: p.MPI.K, N: p.MPI.N, Q: p.MPI.Q, H: p.MPI.H, A: p.MPI.A, M0: p.MPI.M0,
			Dimensions: []apiContribution{}, Indicators: []apiContribution{}}
		for _, d := range p.MPI.Dimensions {
			m.Dimensions = append(m.Dimensions, apiContribution{ID: d.ID, Weight: d.Weight, Contribution: d.Contribution})
		}
		for _, in := range p.MPI.Indicators {
			m.Indicators = append(m.Indicators, apiContribution{ID: in.ID, Weight: in.Weight, Contribution: in.Contribution})
		}
		body.MPI = m
	}
	return writeJSON(w, http.StatusOK, body)
}
