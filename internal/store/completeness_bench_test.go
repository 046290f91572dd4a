package store_test

import (
	"context"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// BenchmarkRoundCompleteness counts a round's completeness for a tambon, a
// district and a province of 28,600 households a round (the list
// benchmark's data): what the dashboard and a provincial official's home
// page read.
func BenchmarkRoundCompleteness(b *testing.B) {
	s := storetest.MustOpenSQLite(b)
	ctx := context.Background()
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		b.Fatal(err)
	}
	eng, err := engine.New(set, 2564, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []survey.Round{
		{ID: "bmn-2563", Kind: survey.KindBMN, SurveyYear: 2563, SetID: set.ID},
		{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: set.ID},
	} {
		if err := s.CreateRound(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	var hs []*survey.Household
	seen := map[string]bool{}
	villages := villagesUnder(&testing.T{}, "70")
	for i, v := range villages {
		n := 30
		if v[:6] == villages[0][:6] {
			n = 300
		}
		for _, h := range surveyfile.Example(set, v, n, uint64(i+1)) {
			if !seen[h.Key()] {
				seen[h.Key()] = true
				hs = append(hs, h)
			}
		}
	}
	for _, round := range []string{"bmn-2563", "bmn-2564"} {
		if _, err := s.WriteHouseholds(ctx, eng, round, hs, "bench", nil); err != nil {
			b.Fatal(err)
		}
	}
	tambon := hs[0].VillageCode[:6]
	for _, code := range []string{tambon, tambon[:4], "70"} {
		b.Run(code, func(b *testing.B) {
			for b.Loop() {
				c, err := s.RoundCompleteness(ctx, "bmn-2564", code)
				if err != nil || c.Total().Surveyed == 0 {
					b.Fatalf("%+v, %v", c.Total(), err)
				}
			}
		})
	}
}
