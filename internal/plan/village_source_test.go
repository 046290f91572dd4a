package plan_test

import (
	"context"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/plan"
	"tambon/internal/village"
)

func TestVillageSourceProposesFromTheRightRound(t *testing.T) {
	households := map[string]int{"70051301": 120, "70051304": 95, "70051305": 60}
	asked := map[string]string{} // village round asked for each area
	src := plan.VillageSource{
		SurveyYear: func(_ context.Context, round string) (int, error) {
			return map[string]int{"bmn-2561": 2561, "bmn-2557": 2557}[round], nil
		},
		Rounds: func(context.Context) ([]village.Round, error) {
			return []village.Round{{ID: "kcc2k-2562", SurveyYear: 2562}, {ID: "kcc2k-2560", SurveyYear: 2560}, {ID: "kcc2k-2558", SurveyYear: 2558}}, nil
		},
		Problems: func(_ context.Context, round, area string) ([]village.Problem, error) {
			asked[area] = round
			return []village.Problem{
				{Code: "k05", Number: 5, Name: apperr.T("น้ำดื่ม", "drinking water"),
					Villages: []village.VillageScore{{Village: "70051305", Score: 1}}},
				{Code: "k12", Number: 12, Name: apperr.T("ถนน", "roads"),
					Villages: []village.VillageScore{{Village: "70051301", Score: 1}, {Village: "70051304", Score: 2}}},
				{Code: "k20", Number: 20, Name: apperr.T("การเรียนต่อ", "further schooling"),
					Villages: []village.VillageScore{{Village: "70051301", Score: 2}, {Village: "70051304", Score: 2}}},
			}, nil
		},
		Households: func(_ context.Context, round, area string) (int, error) {
			if round != "bmn-2561" {
				t.Errorf("households counted in %s, want the plan's round", round)
			}
			return households[area], nil
		},
	}
	got, err := src.Propose(context.Background(), "bmn-2561", "700513")
	if err != nil {
		t.Fatal(err)
	}
	if asked["700513"] != "kcc2k-2560" {
		t.Errorf("village round used for a 2561 plan = %q, want the newest not after it, kcc2k-2560", asked["700513"])
	}
	if len(got) != 2 {
		t.Fatalf("got %d proposals, want 2: %+v", len(got), got)
	}
	// Roads are serious in a village of 120 households (moderate in one of
	// 95), water in one of 60: roads first; schooling, only moderate, is left out.
	if got[0].Code != "k12" || got[0].Households != 120 || got[1].Code != "k05" || got[1].Households != 60 {
		t.Errorf("proposals = %+v, want k12 with 120 households then k05 with 60", got)
	}
	for _, p := range got {
		if p.Source != plan.SourceKCC2C || !strings.Contains(p.Title.TH, "กชช. 2ค") || p.Title.EN == "" {
			t.Errorf("proposal %+v: want source %s and a Thai and English title", p, plan.SourceKCC2C)
		}
	}
	if !strings.Contains(got[0].Detail, "score 1: 1, 2: 1") {
		t.Errorf("detail %q does not give the villages by score", got[0].Detail)
	}

	// A plan from before any village round has nothing from this source.
	if got, err := src.Propose(context.Background(), "bmn-2557", "700513"); err != nil || len(got) != 0 {
		t.Errorf("2557: got %v, %v; want no proposals", got, err)
	}
}
