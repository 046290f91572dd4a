package store_test

import (
	"context"
	"reflect"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// The completeness dashboard counts what the review checklist counts, for a
// tambon and for any area above it, and tells each account's part: what it
// entered this round and what it surveyed last round that is not
// re-surveyed yet.
func TestRoundCompletenessMatchesTheChecklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		dailyRounds(t, s)
		// Another account re-surveys one household of หมู่ 1.
		eng := mustEngine(t)
		again := surveyfile.Example(eng.Set(), "70051301", 4, 2)[:1]
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", again, "tambon", nil); err != nil {
			t.Fatal(err)
		}
		check, err := s.RoundChecklist(ctx, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"700513", "7005", "70"} {
			c, err := s.RoundCompleteness(ctx, "bmn-2564", code)
			if err != nil {
				t.Fatal(err)
			}
			if c.Prev != check.Prev || c.PrevRecords != check.PrevRecords {
				t.Errorf("%s: previous round %q/%v, the checklist's %q/%v", code, c.Prev, c.PrevRecords, check.Prev, check.PrevRecords)
			}
			var mine []store.VillageCheck
			for _, v := range c.Villages {
				if v.Code[:6] == "700513" {
					mine = append(mine, v)
				} else if v.Surveyed != 0 || v.ExpectedKnown || v.Waiting != 0 {
					t.Errorf("%s: village %s has figures it never had: %+v", code, v.Code, v)
				}
			}
			if !reflect.DeepEqual(mine, check.Villages) {
				t.Errorf("%s: villages of 700513\n%+v\nthe checklist's\n%+v", code, mine, check.Villages)
			}
			if code == "70" && len(c.Villages) <= len(check.Villages) {
				t.Errorf("the province lists %d villages, no more than one tambon's %d", len(c.Villages), len(check.Villages))
			}
			tot := c.Total()
			if tot.Surveyed != 5 || tot.Drafts != 1 || tot.Expected != 10 || tot.NotResurveyed != 5 || tot.ExpectedKnown {
				t.Errorf("%s: total %+v, want 5 surveyed, 1 draft, 10 expected, 5 not re-surveyed, expected not known everywhere", code, tot)
			}
			want := []store.EnumeratorWork{
				{User: "moo4", Villages: 1, Households: 4, Drafts: 1, NotResurveyed: 5},
				{User: "tambon", Villages: 1, Households: 1},
			}
			if !reflect.DeepEqual(c.Enumerators, want) {
				t.Errorf("%s: enumerators %+v, want %+v", code, c.Enumerators, want)
			}
		}
		// A village alone, and an area with nothing.
		v, err := s.RoundCompleteness(ctx, "bmn-2564", "70051304")
		if err != nil || len(v.Villages) != 1 || v.Villages[0].Surveyed != 4 || v.Villages[0].NotResurveyed != 2 {
			t.Errorf("หมู่ 4 alone: %+v, %v", v.Villages, err)
		}
		if e, err := s.RoundCompleteness(ctx, "bmn-2564", "10"); err != nil || len(e.Enumerators) != 0 || e.Total().Surveyed != 0 {
			t.Errorf("Bangkok: %+v, %v", e, err)
		}
		if _, err := s.RoundCompleteness(ctx, "bmn-2599", "70"); err == nil {
			t.Error("a round that does not exist is counted")
		}
	})
}
