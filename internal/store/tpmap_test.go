package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
)

// TPMAP's target poor is kept exactly, every field, and a year is replaced
// whole.
func TestTPMAPTargetPoorRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		inds := make([]int64, tpmap.NumIndicators)
		for i := range inds {
			inds[i] = int64(i * 3)
		}
		village := tpmap.TargetPoor{Year: 2561, Code: "70051304", Level: tpmap.LevelVillage, Published: true,
			Households: 180, People: 512, PoorHouseholds: 7, Poor: 21, Registered: 9, TargetPoor: 8,
			Dimensions: [5]int64{1, 2, 3, 8, 0}, Rate: 1.5625, Indicators: inds}
		tambon := village
		tambon.Code, tambon.Level, tambon.Published, tambon.Rate = "700513", tpmap.LevelTambon, false, 1.0/3*100
		other := village
		other.Year = 2562
		if err := s.ReplaceTPMAPYear(ctx, 2561, []tpmap.TargetPoor{tambon, village}); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceTPMAPYear(ctx, 2562, []tpmap.TargetPoor{other}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []tpmap.TargetPoor{village, tambon, other} {
			got, ok, err := s.TPMAPTargetPoor(ctx, want.Code, want.Year)
			if err != nil || !ok {
				t.Fatalf("%s %d: ok %v, %v", want.Code, want.Year, ok, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %d:\n got %+v\nwant %+v", want.Code, want.Year, got, want)
			}
		}
		if _, ok, err := s.TPMAPTargetPoor(ctx, "700513", 2562); ok || err != nil {
			t.Errorf("tambon in 2562: ok %v, %v; want nothing", ok, err)
		}
		years, err := s.TPMAPYears(ctx, "70051304")
		if err != nil || !reflect.DeepEqual(years, []int{2562, 2561}) {
			t.Errorf("years %v, %v", years, err)
		}
		kids, err := s.TPMAPTargetPoorChildren(ctx, "700513", 2561)
		if err != nil || len(kids) != 1 || kids[0].Code != "70051304" {
			t.Errorf("children %+v, %v", kids, err)
		}
		// Replacing a year drops what the new one lacks.
		if err := s.ReplaceTPMAPYear(ctx, 2561, []tpmap.TargetPoor{tambon}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.TPMAPTargetPoor(ctx, "70051304", 2561); ok {
			t.Error("the village is still there after its year was replaced without it")
		}
		// A figure of another year is refused, and nothing is written.
		if err := s.ReplaceTPMAPYear(ctx, 2561, []tpmap.TargetPoor{village, other}); err == nil {
			t.Error("a 2562 figure was stored as 2561")
		}
		if _, ok, _ := s.TPMAPTargetPoor(ctx, "700513", 2561); !ok {
			t.Error("a refused replacement removed the year")
		}
	})
}

// One import of TPMAP files is written whole or not at all: when its last
// step fails, the round it created, the areas it added and its statistics
// are gone too.
func TestLoadTPMAPAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rd := survey.Round{ID: "tpmap-2561", Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564", AggregateOnly: true, Source: "TPMAP"}
		village, _ := area.NewVillage("70051399", "")
		totals := map[string]*engine.Totals{"70051399": {Households: 10, People: 30}, "TH": {Households: 10, People: 30}}
		good := tpmap.TargetPoor{Year: 2561, Code: "70051399", Level: tpmap.LevelVillage, Poor: 3, Indicators: []int64{1}}
		bad := good
		bad.Code, bad.Year = "700513", 2562
		load := store.TPMAPLoad{Year: 2561, Round: &rd, NewRound: true, Areas: []area.Area{village}, Totals: totals,
			TargetPoor: []tpmap.TargetPoor{good, bad}}
		if err := s.LoadTPMAP(ctx, load); err == nil {
			t.Fatal("a figure of another year was stored")
		}
		if _, err := s.Round(ctx, rd.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the round is there after a failed load: %v", err)
		}
		if kids, err := s.StoredChildren(ctx, "700513"); err != nil || slices.Contains(kids, village.Code) {
			t.Errorf("the village is there after a failed load (%v)", err)
		}
		load.TargetPoor = []tpmap.TargetPoor{good}
		if err := s.LoadTPMAP(ctx, load); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.TPMAPTargetPoor(ctx, "70051399", 2561); !ok || err != nil {
			t.Errorf("after a good load: %v %v", ok, err)
		}
	})
}
