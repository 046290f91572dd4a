package store_test

import (
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// setThresholdEngine stores a new income line for 2564 and returns the
// change and the engine of its version.
func setThresholdEngine(t *testing.T, s *store.Store, value float64) (store.ThresholdChange, *engine.Engine) {
	t.Helper()
	ctx := context.Background()
	c, err := s.SetThreshold(ctx, "bmn-2560-2564", "income_threshold", 2564, value, "official")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := s.Round(ctx, "bmn-2564")
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := s.SetVersion(ctx, "bmn-2560-2564", c.Version)
	if err != nil {
		t.Fatal(err)
	}
	rd.SetVersion, rd.SetDigest = v.Version, v.Digest
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	return c, eng
}

// assertTotalsEqual compares a recompute with the full one, area by area.
func assertTotalsEqual(t *testing.T, what string, got, want map[string]*engine.Totals) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d areas, a full recompute has %d", what, len(got), len(want))
	}
	for code, w := range want {
		if g, ok := got[code]; !ok || !g.Equal(w) {
			t.Errorf("%s: area %s: %+v, a full recompute gives %+v", what, code, g, w)
		}
	}
}

// poor counts the people poor at a cut-off of k.
func poor(t *testing.T, tt *engine.Totals, k mpi.Frac) int64 {
	t.Helper()
	r, err := engine.Poverty(tt, k)
	if err != nil {
		t.Fatal(err)
	}
	return r.Q
}

// TestFastRecomputeEqualsFull: a threshold change recomputed from the
// stored columns gives exactly the figures of judging every stored
// household again — the first time (columns built from the households),
// after a change that moves people across the MPI cut-off, and after a
// household write, which rebuilds only the village written to.
func TestFastRecomputeEqualsFull(t *testing.T) {
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
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "test", nil); err != nil {
			t.Fatal(err)
		}
		repin := func(what string, value float64, wantDecoded int) map[string]*engine.Totals {
			t.Helper()
			c, after := setThresholdEngine(t, s, value)
			var last, total int
			rc, err := s.RecomputeRound(ctx, "bmn-2564", after, func(done, n int) { last, total = done, n })
			if err != nil {
				t.Fatal(err)
			}
			if last != len(hs) || total != len(hs) || rc.Households != len(hs) {
				t.Errorf("%s: progress ended at %d of %d, want %d", what, last, total, len(hs))
			}
			if rc.Decoded != wantDecoded {
				t.Errorf("%s: %d households decoded, want %d", what, rc.Decoded, wantDecoded)
			}
			assertTotalsEqual(t, what, rc.Totals, recompute(t, s, after, "bmn-2564"))
			if err := s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version); err != nil {
				t.Fatal(err)
			}
			assertStatsMatch(t, s, after, "bmn-2564")
			return rc.Totals
		}
		before, err := s.AllTotals(ctx, eng, "bmn-2564")
		if err != nil {
			t.Fatal(err)
		}
		cut := mpi.F(1, 5) // TPMAP's cut-off
		first := repin("first change", 1000, len(hs))
		if first["TH"].Indicators[21].Passed <= before["TH"].Indicators[21].Passed {
			t.Errorf("lowering the income line passed %d households, before %d", first["TH"].Indicators[21].Passed, before["TH"].Indicators[21].Passed)
		}
		// Everyone below the line: indicator 22 deprives every member, and
		// people cross the MPI cut-off.
		second := repin("second change", 1e12, 0)
		if poor(t, second["TH"], cut) <= poor(t, first["TH"], cut) {
			t.Errorf("an income line no one reaches made %d people poor, before %d", poor(t, second["TH"], cut), poor(t, first["TH"], cut))
		}
		// A household written: only its village is decoded again.
		rd, _ := s.Round(ctx, "bmn-2564")
		now, err := engine.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		hs[0].Income.MainOccupation += 5_000_000
		hs[0].Members = hs[0].Members[:1]
		if _, err := s.WriteHouseholds(ctx, now, "bmn-2564", hs[:1], "test", nil); err != nil {
			t.Fatal(err)
		}
		repin("after a write", 40000, 40)
		// Back to the line of 2564, the columns of every village already stored.
		back := repin("back to 38,000", 38000, 0)
		if poor(t, back["TH"], cut) >= poor(t, second["TH"], cut) {
			t.Errorf("back to 38,000: %d people poor, with no one above the line %d", poor(t, back["TH"], cut), poor(t, second["TH"], cut))
		}
	})
}

// A write between the recompute and its repin is refused, and the refused
// repin changes nothing: the round keeps its version and figures.
func TestRepinAfterWriteIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustRound(t, s, "bmn-2564", false)
		eng := mustEngine(t)
		hs := surveyfile.Example(eng.Set(), "70051304", 20, 1)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "test", nil); err != nil {
			t.Fatal(err)
		}
		old, _ := s.AllTotals(ctx, eng, "bmn-2564")
		c, after := setThresholdEngine(t, s, 60000)
		rc, err := s.RecomputeRound(ctx, "bmn-2564", after, nil)
		if err != nil {
			t.Fatal(err)
		}
		hs[1].Income.Other += 1000
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[1:2], "test", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("repin after a write: %v", err)
		}
		rd, _ := s.Round(ctx, "bmn-2564")
		if rd.SetVersion != 1 {
			t.Errorf("the refused repin moved the round to version %d", rd.SetVersion)
		}
		now, _ := s.AllTotals(ctx, eng, "bmn-2564")
		if now["TH"].Equal(old["TH"]) {
			t.Error("the write between did not change the figures")
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}

// Erasing a member rewrites the household outside the household writer: its
// village's columns go too, so the next recompute decodes that village again
// (and only it) and still equals a full one.
func TestErasureDropsVillageColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := mustPDPAFixture(t, s)
		build, err := s.RecomputeRound(ctx, pdpaRound, f.eng, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RepinRecomputed(ctx, build, 1, 1); err != nil {
			t.Fatal(err)
		}
		h0 := f.hs[0]
		victim := h0.Members[len(h0.Members)-1]
		if _, err := s.Erase(ctx, f.eng, store.ErasureRequest{Round: pdpaRound, HouseholdID: f.ids[0], MemberNo: victim.No,
			Scope: "700513", By: "admin", Reason: "คำขอเลขที่ 12/2569"}); err != nil {
			t.Fatal(err)
		}
		rc, err := s.RecomputeRound(ctx, pdpaRound, f.eng, nil)
		if err != nil {
			t.Fatal(err)
		}
		inVillage, _ := s.CountHouseholds(ctx, pdpaRound, h0.VillageCode)
		if build.Decoded != rc.Households || rc.Decoded != inVillage || inVillage == rc.Households {
			t.Errorf("decoded %d of %d households after the erasure (%d the first time); the village erased from holds %d",
				rc.Decoded, rc.Households, build.Decoded, inVillage)
		}
		assertTotalsEqual(t, "after an erasure", rc.Totals, recompute(t, s, f.eng, pdpaRound))
	})
}

// A threshold change on a round whose villages' columns are kept reads no
// count of the households table: each kept row is checked against its
// village's statistics, and only the villages written to since are counted
// and decoded, through the index — one household rewritten, one moved to
// another village (the village it left keeps its row, now one household
// short of its statistics, and is decoded too), one new village. Every time
// the figures equal judging every stored household again.
func TestRecomputeDecodesOnlyVillagesWrittenTo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustRound(t, s, "bmn-2564", false)
		eng := mustEngine(t)
		villages := []string{"70051301", "70051302", "70051303", "70051304", "70051305", "70051306", "70051307", "70051308", "70051309", "70051310"}
		var hs []*survey.Household
		for i, v := range villages {
			hs = append(hs, surveyfile.Example(eng.Set(), v, 12, uint64(i+1))...)
		}
		hs[5].Status = survey.Draft
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "test", nil); err != nil {
			t.Fatal(err)
		}
		line := 30000.0
		repin := func(what string, stored, wantDecoded int, counted bool) {
			t.Helper()
			line += 1000
			c, after := setThresholdEngine(t, s, line)
			rc, err := s.RecomputeRound(ctx, "bmn-2564", after, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rc.Decoded != wantDecoded || rc.Households != stored {
				t.Errorf("%s: %d households decoded of %d, want %d of %d", what, rc.Decoded, rc.Households, wantDecoded, stored)
			}
			// Only the villages to decode are counted, not the round.
			steps := map[string]bool{}
			for _, p := range rc.Phases {
				steps[p.Name] = true
			}
			if steps["count villages to decode"] != (wantDecoded > 0 && counted) {
				t.Errorf("%s: steps %+v", what, rc.Phases)
			}
			assertTotalsEqual(t, what, rc.Totals, recompute(t, s, after, "bmn-2564"))
			if err := s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version); err != nil {
				t.Fatal(err)
			}
			assertStatsMatch(t, s, after, "bmn-2564")
		}
		repin("first change", len(hs), len(hs), false)
		repin("from the kept columns", len(hs), 0, false)

		now := func() *engine.Engine {
			rd, _ := s.Round(ctx, "bmn-2564")
			e, err := engine.ForRound(rd)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		hs[13].Income.MainOccupation += 900_000 // village 2
		if _, err := s.WriteHouseholds(ctx, now(), "bmn-2564", hs[13:14], "test", nil); err != nil {
			t.Fatal(err)
		}
		repin("one household rewritten", len(hs), 12, true)

		moved := *hs[30] // village 3 → village 5, same key
		moved.VillageCode = "70051305"
		if moved.Key() != hs[30].Key() {
			t.Fatalf("the moved household changed its key: %s, was %s", moved.Key(), hs[30].Key())
		}
		if _, err := s.WriteHouseholds(ctx, now(), "bmn-2564", []*survey.Household{&moved}, "test", nil); err != nil {
			t.Fatal(err)
		}
		repin("one household moved", len(hs), 11+13, true)

		more := surveyfile.Example(eng.Set(), "70051311", 5, 99)
		if _, err := s.WriteHouseholds(ctx, now(), "bmn-2564", more, "test", nil); err != nil {
			t.Fatal(err)
		}
		repin("a new village", len(hs)+5, 5, true)
		repin("from the kept columns again", len(hs)+5, 0, false)
	})
}
