package store_test

import (
	"context"
	"testing"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A write moves the generations of its own chain — village, tambon, amphoe,
// province — and the country's, and no other area's: a tambon beside it
// keeps its own. A review step moves its tambon's, its parents' and every
// village's inside it; a new round moves every area's.
func TestAreaGenerationsFollowTheirChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		// 70051304 is in tambon 700513; o in another amphoe.
		o := villagesUnder(t, "7001")[0]
		codes := []string{"TH", "70", "7005", "700513", "70051304", "70051301", "700514", "7001", o[:6], o}
		gens := func() map[string]int64 {
			t.Helper()
			out := map[string]int64{}
			for _, c := range codes {
				g, err := s.AreaGeneration(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				out[c] = g
			}
			if g, err := s.StatsGeneration(ctx); err != nil || g != out["TH"] {
				t.Fatalf("StatsGeneration %d, the country's %d: %v", g, out["TH"], err)
			}
			return out
		}
		expect := func(what string, before, after map[string]int64, moved ...string) {
			t.Helper()
			want := map[string]bool{}
			for _, c := range moved {
				want[c] = true
			}
			for _, c := range codes {
				if got := after[c] != before[c]; got != want[c] {
					t.Errorf("%s: the generation of %s moved %v, want %v (%d → %d)", what, c, got, want[c], before[c], after[c])
				}
			}
		}
		g0 := gens()
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051304", 2, 3), "t", nil); err != nil {
			t.Fatal(err)
		}
		g1 := gens()
		expect("a write in 70051304", g0, g1, "TH", "70", "7005", "700513", "70051304")
		// Rewriting the same households changes nothing, and moves nothing.
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051304", 2, 3), "t", nil); err != nil {
			t.Fatal(err)
		}
		g2 := gens()
		expect("an unchanged write", g1, g2)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), o, 2, 4), "t", nil); err != nil {
			t.Fatal(err)
		}
		g3 := gens()
		expect("a write in another amphoe", g2, g3, "TH", "70", "7001", o[:6], o)
		if _, err := s.Review(ctx, "bmn-2564", "700513", survey.Submit, "t", ""); err != nil {
			t.Fatal(err)
		}
		g4 := gens()
		expect("a review step of 700513", g3, g4, "TH", "70", "7005", "700513", "70051304", "70051301")
		if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2565", Kind: survey.KindBMN, SurveyYear: 2565, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		expect("a new round", g4, gens(), codes...)
	})
}

// A database written before the country's rows were dropped keeps them;
// migrating drops them, and every figure reads the same after, the
// country's included; writes after the migration keep it exact.
func TestMigratingDropsTheCountryRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		const round = "bmn-2564"
		if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		o := villagesUnder(t, "7001")[0]
		for i, v := range []string{"70051304", o, "70051301"} {
			if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), v, 4, uint64(20+i)), "t", nil); err != nil {
				t.Fatal(err)
			}
		}
		rd := mustVillageRound(t, s, 2562)
		vcodes := append(villagesUnder(t, "700513"), villagesUnder(t, "7001")...)
		if _, err := s.WriteVillages(ctx, rd.ID, synthRecords(t, vcodes, 5), "x"); err != nil {
			t.Fatal(err)
		}
		before, err := s.AllTotals(ctx, eng, round)
		if err != nil {
			t.Fatal(err)
		}
		vBefore, err := s.VillageCounts(ctx, rd.ID, area.CountryCode)
		if err != nil {
			t.Fatal(err)
		}
		// The schema as it was: the country's rows, kept by every write,
		// and no area_generations.
		for _, q := range []string{"DELETE FROM schema_migrations WHERE version = 21", "DROP TABLE area_generations",
			`INSERT INTO village_stats (round_id, area_code, indicator, score, n)
			 SELECT round_id, 'TH', indicator, score, sum(n) FROM village_stats WHERE length(area_code) = 2 GROUP BY round_id, indicator, score`} {
			if err := s.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := s.PutTotalsForTest(ctx, round, area.CountryCode, before[area.CountryCode]); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT count(*) FROM area_stats WHERE area_code = 'TH'"); n != 1 {
			t.Fatalf("the old country row was not set up (%d)", n)
		}
		applied, err := s.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 1 || applied[0] != 21 {
			t.Fatalf("migrations applied %v, want [21]", applied)
		}
		for _, q := range []string{"SELECT count(*) FROM area_stats WHERE area_code = 'TH'", "SELECT count(*) FROM village_stats WHERE area_code = 'TH'"} {
			if n, _ := s.QueryIntForTest(ctx, q); n != 0 {
				t.Errorf("%s: %d after migrating", q, n)
			}
		}
		after, err := s.AllTotals(ctx, eng, round)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("%d areas before migrating, %d after", len(before), len(after))
		}
		for code, b := range before {
			if a := after[code]; a == nil || !a.Equal(b) {
				t.Errorf("area %s reads differently after migrating", code)
			}
		}
		th, err := s.AreaTotals(ctx, eng, round, area.CountryCode)
		if err != nil || !th.Equal(before[area.CountryCode]) || th.Households != 12 {
			t.Errorf("the country after migrating: %d households (%v)", th.Households, err)
		}
		if vAfter, err := s.VillageCounts(ctx, rd.ID, area.CountryCode); err != nil || !vAfter.Equal(vBefore) || vAfter.Villages != len(vcodes) {
			t.Errorf("the country's กชช. 2ค counts after migrating: %d villages, %v (was %d)", vAfter.Villages, err, vBefore.Villages)
		}
		// Writes after the migration keep the country exact.
		if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), o, 3, 40), "t", nil); err != nil {
			t.Fatal(err)
		}
		checkEqualsRecompute(t, s, eng, round)
	})
}

// The country's figures are the sum of its provinces', for every reader.
func TestCountryIsTheSumOfProvinces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		const round = "bmn-2564"
		if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
			t.Fatal(err)
		}
		empty, err := s.AreaTotals(ctx, eng, round, area.CountryCode)
		if err != nil || !empty.IsZero() {
			t.Fatalf("an empty round's country: %+v, %v", empty, err)
		}
		if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), "70051304", 5, 7), "t", nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT count(*) FROM area_stats WHERE area_code = 'TH'"); n != 0 {
			t.Errorf("a write stored %d country rows", n)
		}
		th, err := s.AreaTotals(ctx, eng, round, area.CountryCode)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.AreaTotals(ctx, eng, round, "70")
		if err != nil {
			t.Fatal(err)
		}
		if th.Households != 5 || !th.Equal(p) {
			t.Errorf("the country holds %d households, its only province %d", th.Households, p.Households)
		}
		kids, err := s.ChildTotals(ctx, eng, round, area.CountryCode, 2)
		if err != nil || len(kids) != 1 || !kids["70"].Equal(p) {
			t.Errorf("the country's children: %v, %v", kids, err)
		}
		// Replaced statistics (a recompute, published aggregates) keep no
		// country row either, and read the same.
		all := engine.RollUp(map[string]*engine.Totals{"70051304": p}, eng.NewTotals)
		if err := s.ReplaceTotals(ctx, round, all); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.QueryIntForTest(ctx, "SELECT count(*) FROM area_stats WHERE area_code = 'TH'"); n != 0 {
			t.Errorf("replaced statistics stored %d country rows", n)
		}
		checkEqualsRecompute(t, s, eng, round)
	})
}
