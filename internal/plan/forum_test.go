package plan_test

import (
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/plan"
)

// The survey ranks problems by the households behind them; a village's
// rank is flagged where it is DisagreeBy or more places from its own
// survey's, or where the survey does not show the problem at all.
func TestVillageRanksBesideTheSurveys(t *testing.T) {
	survey := plan.SurveyRanks([]string{"bmn:23", "bmn:25", "mpi:poor", "bmn:7", "forum:4-v1"}, []int{30, 45, 12, 30, 0})
	for key, want := range map[string]int{"bmn:25": 1, "bmn:23": 2, "bmn:7": 3, "mpi:poor": 4, "forum:4-v1": 0} {
		if survey[key] != want {
			t.Errorf("survey rank of %s = %d, want %d", key, survey[key], want)
		}
	}
	vr := plan.VillageRanking{ActivityID: 4, Village: "70051304", Label: apperr.T("ประชาคมหมู่ 4, 1 มี.ค. 2564", "Village forum Moo 4, 1 Mar 2021"),
		SurveyRanks: survey, Problems: []plan.RankedProblem{
			{Source: plan.SourceForum, Code: plan.ForumCode(4, "v1"), Rank: 1, Votes: 48, Added: true},
			{Source: "mpi", Code: "poor", Rank: 2, Votes: 30}, // the survey's 4th: 2 places apart
			{Source: "bmn", Code: "25", Rank: 4, Votes: 9},    // the survey's 1st: 3 places apart
		}}
	marks := plan.Beside([]plan.VillageRanking{vr})
	tests := []struct {
		key              string
		rank, surveyRank int
		disagree         bool
	}{
		{"forum:4-v1", 1, 0, true},
		{"mpi:poor", 2, 4, false},
		{"bmn:25", 4, 1, true},
	}
	for _, tt := range tests {
		ms := marks[tt.key]
		if len(ms) != 1 || ms[0].Rank != tt.rank || ms[0].SurveyRank != tt.surveyRank || ms[0].Disagree != tt.disagree || ms[0].Label.TH != vr.Label.TH {
			t.Errorf("%s: %+v, want rank %d beside %d, disagree %v", tt.key, ms, tt.rank, tt.surveyRank, tt.disagree)
		}
	}
	if len(marks["bmn:23"]) != 0 {
		t.Errorf("a problem the village did not rank has marks: %+v", marks["bmn:23"])
	}
	// The forum source proposes only what the village added, keyed so the
	// plan's problem meets its marks.
	props, err := plan.ForumSource{Rankings: func(context.Context, string, string) ([]plan.VillageRanking, error) {
		return []plan.VillageRanking{vr}, nil
	}}.Propose(context.Background(), "bmn-2562", "700513")
	if err != nil || len(props) != 1 || props[0].Source+":"+props[0].Code != "forum:4-v1" || props[0].Households != 0 {
		t.Errorf("forum proposals %+v, %v", props, err)
	}
}
