package store_test

import (
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A write of a few households (on PostgreSQL, sent by pipeline) keeps every
// rule of a larger one: an edit is kept with its history and moves the
// statistics, a member may move between two households written together,
// and a write that fails at any of its statements, the last included,
// writes nothing and says why.
func TestSmallWritesKeepTheRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051304", 12, 11)
		for _, h := range hs[:10] {
			if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{h}, "a", nil); err != nil {
				t.Fatal(err)
			}
		}
		// An edit: one history entry, the figures follow.
		edit := *hs[3]
		edit.Income.MainOccupation += 12345
		sum, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&edit}, "b", nil)
		if err != nil || sum.Updated != 1 {
			t.Fatalf("edit: %+v, %v", sum, err)
		}
		hist, err := s.HouseholdHistory(ctx, "bmn-2564", edit.Key())
		if err != nil || len(hist) != 1 || hist[0].ChangedBy != "b" || hist[0].Version != 2 {
			t.Fatalf("history of the edit: %+v, %v", hist, err)
		}
		// The same again: nothing changes.
		if sum, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&edit}, "b", nil); err != nil || sum.Unchanged != 1 {
			t.Fatalf("the same household again: %+v, %v", sum, err)
		}
		// A member moves from one stored household to another, both written.
		from, to := *hs[4], *hs[5]
		from.Members = append([]survey.Member(nil), hs[4].Members[1:]...)
		to.Members = append(append([]survey.Member(nil), hs[5].Members...), hs[4].Members[0])
		to.Members[len(to.Members)-1].No = len(to.Members)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&to, &from}, "c", nil); err != nil {
			t.Fatalf("a member moves: %v", err)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")

		// Refused at its first statements (the citizen ID of a stored
		// household) and at its last (a village not in the register).
		clash := *hs[10]
		clash.Members = append([]survey.Member(nil), hs[10].Members...)
		clash.Members[0].CitizenID = hs[0].Members[0].CitizenID
		bad := *hs[11]
		bad.VillageCode = "70051399"
		for _, c := range []struct {
			name string
			hs   []*survey.Household
		}{{"a citizen ID held", []*survey.Household{&clash}}, {"an unknown village", []*survey.Household{&bad}},
			{"an unknown village after a good household", []*survey.Household{hs[10], &bad}}} {
			_, err := s.WriteHouseholds(ctx, eng, "bmn-2564", c.hs, "d", nil)
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s: %v, want it refused as invalid", c.name, err)
			}
			if n, _ := s.CountHouseholds(ctx, "bmn-2564", "TH"); n != 10 {
				t.Errorf("%s: %d households stored, want 10", c.name, n)
			}
		}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&bad}, "d", nil); apperr.MessageOf(err).EN != "the village code is not in the area register" {
			t.Errorf("an unknown village: %q", apperr.MessageOf(err).EN)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}
