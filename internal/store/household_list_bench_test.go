package store_test

import (
	"context"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// BenchmarkListHouseholds pages household lists of a province of 1,113
// villages (30 example households each, one tambon's villages 300 each;
// repeated keys dropped) in SQLite: a page of 50 by SQL alone
// (first and last page of the province, first page of a tambon), a tambon's
// list filtered by what only the record tells (Keep decodes every row of the
// tambon), and a tambon's completeness checklist.
func BenchmarkListHouseholds(b *testing.B) {
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
			n = 300 // one tambon of a few thousand households, as a large real one
		}
		for _, h := range surveyfile.Example(set, v, n, uint64(i+1)) {
			if !seen[h.Key()] { // the example's keys may repeat across villages
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
	total, _ := s.CountHouseholds(ctx, "bmn-2564", tambon)
	b.Logf("%d households in the province, %d in tambon %s", len(hs), total, tambon)
	page := func(b *testing.B, q store.HouseholdQuery, want int) {
		for b.Loop() {
			p, err := s.ListHouseholds(ctx, q)
			if err != nil || len(p.Rows) != want {
				b.Fatalf("%d rows, %v", len(p.Rows), err)
			}
		}
	}
	b.Run("province-page1", func(b *testing.B) { page(b, store.HouseholdQuery{Round: "bmn-2564", Area: "70", Limit: 50}, 50) })
	b.Run("province-lastpage", func(b *testing.B) {
		page(b, store.HouseholdQuery{Round: "bmn-2564", Area: "70", Limit: 50, Offset: len(hs) - 50}, 50)
	})
	b.Run("tambon-page1", func(b *testing.B) { page(b, store.HouseholdQuery{Round: "bmn-2564", Area: tambon, Limit: 50}, 50) })
	b.Run("tambon-not-helped", func(b *testing.B) {
		page(b, store.HouseholdQuery{Round: "bmn-2564", Area: tambon, Helped: -1, Limit: 50}, 50)
	})
	b.Run("tambon-keep", func(b *testing.B) {
		keep := func(r survey.Record) bool { return len(r.Household.Members) > 0 }
		page(b, store.HouseholdQuery{Round: "bmn-2564", Area: tambon, Keep: keep, Limit: 50}, 50)
	})
	b.Run("tambon-checklist", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RoundChecklist(ctx, "bmn-2564", tambon); err != nil {
				b.Fatal(err)
			}
		}
	})
}
