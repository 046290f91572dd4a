package store_test

import (
	"context"
	"reflect"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
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
