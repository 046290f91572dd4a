package store_test

import (
	"context"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// An import keeps the columns of the villages it writes whole, so the first
// threshold change after it decodes no stored household and still equals a
// full recompute; an import adding to a village already stored rebuilds
// that village's columns from the stored households once it has committed.
func TestImportKeepsVillageColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustRound(t, s, "bmn-2564", false)
		eng := mustEngine(t)
		hs := surveyfile.Example(eng.Set(), "70051304", 40, 1)
		hs = append(hs, surveyfile.Example(eng.Set(), "70051301", 30, 2)...)
		hs = append(hs, surveyfile.Example(eng.Set(), "70051302", 3, 3)...)
		hs[3].Status, hs[41].Status = survey.Draft, survey.Draft
		for _, h := range hs[70:] { // a village of drafts only
			h.Status = survey.Draft
		}
		importAll := func(hs []*survey.Household) {
			t.Helper()
			// Written with the set version the round is pinned to now.
			rd, err := s.Round(ctx, "bmn-2564")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportHouseholds(ctx, mustEngineFor(t, rd), "bmn-2564", "test", nil, func(add func(*survey.Household) error) error {
				for _, h := range hs {
					if err := add(h); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		importAll(hs)
		stored := len(hs)
		change := func(what string, value float64, wantDecoded int) {
			t.Helper()
			c, after := setThresholdEngine(t, s, value)
			rc, err := s.RecomputeRound(ctx, "bmn-2564", after, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rc.Households != stored {
				t.Errorf("%s: %d households read, want %d", what, rc.Households, stored)
			}
			if rc.Decoded != wantDecoded {
				t.Errorf("%s: %d stored households decoded, want %d", what, rc.Decoded, wantDecoded)
			}
			assertTotalsEqual(t, what, rc.Totals, recompute(t, s, after, "bmn-2564"))
			if err := s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version); err != nil {
				t.Fatal(err)
			}
			assertStatsMatch(t, s, after, "bmn-2564")
		}
		change("first change after the import", 1000, 0)
		change("another change", 1e12, 0)

		// The same file again (unchanged) and a village added whole: still
		// nothing to decode.
		more := surveyfile.Example(eng.Set(), "70051303", 12, 4)
		importAll(append(append([]*survey.Household(nil), hs...), more...))
		stored += len(more)
		change("after an import of a new village", 40000, 0)

		// Households added to a village already stored, and one changed in
		// another: the villages the import wrote in part are decoded right
		// after it commits, so the change still decodes nothing.
		extra := surveyfile.Example(eng.Set(), "70051304", 45, 5)[40:]
		for i, h := range extra {
			h.HouseNo = "99/" + string(rune('1'+i))
		}
		hs[45].Income.MainOccupation += 2_000_000
		importAll(append(extra, hs[45]))
		stored += len(extra)
		change("after adding to a village", 38000, 0)
		change("and again", 39000, 0)

		// tambon recompute rebuilds the round from its households alone,
		// and keeps every village's columns.
		rd, err := s.Round(ctx, "bmn-2564")
		if err != nil {
			t.Fatal(err)
		}
		now := mustEngineFor(t, rd)
		rc, err := s.RebuildRound(ctx, "bmn-2564", now, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Decoded != stored {
			t.Errorf("a rebuild decoded %d stored households, want all %d", rc.Decoded, stored)
		}
		assertTotalsEqual(t, "rebuild", rc.Totals, recompute(t, s, now, "bmn-2564"))
		if err := s.RepinRecomputed(ctx, rc, rd.SetVersion, rd.SetVersion); err != nil {
			t.Fatal(err)
		}
		change("after a rebuild", 41000, 0)
	})
}

func mustEngineFor(t *testing.T, rd survey.Round) *engine.Engine {
	t.Helper()
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}
