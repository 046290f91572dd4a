package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// BenchmarkHouseholdByID times the household page's lookup on PostgreSQL
// with 5 rounds of households partitioned by every province of the
// country (78 partitions a round): by id alone, as before household_ids,
// and through household_ids, as Household does now. Needs
// TAMBON_TEST_POSTGRES.
func BenchmarkHouseholdByID(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.PostgresDSN(b), store.Options{Now: storetest.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	tree, err := area.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	var areas []area.Area
	for _, a := range tree.All() {
		if a.Code == area.CountryCode || a.Level == area.Province || strings.HasPrefix(a.Code, "70") {
			areas = append(areas, a)
		}
	}
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		b.Fatal(err)
	}
	_, villages := areasOf(b, "70")
	eng := mustEngine(b)
	var ids []int64
	for i := range 5 {
		r := fmt.Sprintf("bmn-%d", 2560+i)
		if err := s.CreateRound(ctx, survey.Round{ID: r, Kind: survey.KindBMN, SurveyYear: 2560 + i, SetID: "bmn-2560-2564"}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.WriteHouseholds(ctx, eng, r, surveyfile.Example(eng.Set(), villages[0], 200, uint64(700+i)), "import", nil); err != nil {
			b.Fatal(err)
		}
		n, err := s.QueryIntForTest(ctx, "SELECT min(id) FROM households WHERE round_id = $1", r)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, n)
	}
	if n, _ := s.QueryIntForTest(ctx, "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r'"); n < 5*78 {
		b.Fatalf("%d partitions, want 5 rounds × 78", n)
	}
	b.Run("id-alone", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if err := s.HouseholdByIDAloneForTest(ctx, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("household_ids", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := s.Household(ctx, ids[i%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
