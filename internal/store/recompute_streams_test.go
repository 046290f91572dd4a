package store_test

import (
	"context"
	"testing"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A recompute that streams a round's households with several readers, one
// region at a time each, gives exactly the figures of one reader over the
// whole round, and both equal the statistics the writes kept (what tambon
// check proves), on both stores. The round holds villages of several
// amphoes, so four readers each read more than one.
func TestRecomputeStreamsAgree(t *testing.T) {
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var villages []string
	for _, amphoe := range tree.Children("70") {
		for _, tambon := range tree.Children(amphoe.Code) {
			if vs := tree.Children(tambon.Code); len(vs) > 0 {
				villages = append(villages, vs[0].Code)
				break
			}
		}
	}
	if len(villages) < 6 {
		t.Fatalf("only %d amphoes with villages in Ratchaburi", len(villages))
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, round := mustImportRound(t, s)
		var hs []*survey.Household
		for i, v := range villages {
			hs = append(hs, surveyfile.Example(eng.Set(), v, 40+30*i, uint64(60+i))...)
		}
		if _, err := s.WriteHouseholds(ctx, eng, round.ID, hs, "import", nil); err != nil {
			t.Fatal(err)
		}
		s.SetRecomputeStreams(1)
		one, err := s.RebuildRound(ctx, round.ID, eng, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.SetRecomputeStreams(4)
		four, err := s.RebuildRound(ctx, round.ID, eng, nil)
		if err != nil {
			t.Fatal(err)
		}
		if one.Decoded != len(hs) || four.Decoded != len(hs) {
			t.Fatalf("decoded %d with one reader, %d with four, want %d", one.Decoded, four.Decoded, len(hs))
		}
		stored, err := s.AllTotals(ctx, eng, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(four.Totals) != len(one.Totals) || len(one.Totals) < len(villages) {
			t.Fatalf("%d areas with four readers, %d with one", len(four.Totals), len(one.Totals))
		}
		for code, want := range one.Totals {
			if got := four.Totals[code]; got == nil || !got.Equal(want) {
				t.Errorf("area %s: four readers %+v, one %+v", code, got, want)
			}
			if got := stored[code]; got == nil || !got.Equal(want) {
				t.Errorf("area %s: stored %+v, recompute %+v", code, got, want)
			}
		}
	})
}
