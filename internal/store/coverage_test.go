package store_test

import (
	"context"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// TestRoundCoverage: the tambons holding data under an area, with their
// villages, households and review status; and the sum of chosen areas.
func TestRoundCoverage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		for i, v := range []string{"70051301", "70051304", "70011501"} {
			if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), v, 2+i, uint64(i+1)), "t", nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
			if _, err := s.Review(ctx, "bmn-2564", "700513", step, "officer", ""); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.RoundCoverage(ctx, "bmn-2564", "70")
		if err != nil {
			t.Fatal(err)
		}
		want := []store.TambonCover{
			{Code: "700115", Villages: 1, Households: 4, Status: survey.StatusOpen},
			{Code: "700513", Villages: 2, Households: 5, Status: survey.StatusCertified},
		}
		if len(got) != len(want) {
			t.Fatalf("coverage of 70: %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("tambon %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		for code, n := range map[string]int{"TH": 2, "7005": 1, "700513": 1, "70051304": 1, "70051302": 0, "10": 0} {
			got, err := s.RoundCoverage(ctx, "bmn-2564", code)
			if err != nil || len(got) != n {
				t.Errorf("coverage of %s: %d tambons (%v), want %d", code, len(got), err, n)
			}
		}
		sum, err := s.SumTotals(ctx, eng, "bmn-2564", []string{"700513", "700115", "700199"})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := s.AreaTotals(ctx, eng, "bmn-2564", "70")
		if !sum.Equal(all) {
			t.Errorf("the sum of the two tambons %+v is not the province's %+v", sum, all)
		}
	})
}
