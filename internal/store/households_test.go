package store_test

import (
	"context"
	"math/rand/v2"
	"runtime"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

func mustEngine(t testing.TB) *engine.Engine {
	t.Helper()
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	pov, err := mpi.New(mpi.TPMAP())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(set, 2564, pov)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func mustRound(t *testing.T, s *store.Store, id string, agg bool) {
	t.Helper()
	if err := s.CreateRound(context.Background(), survey.Round{ID: id, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564", AggregateOnly: agg}); err != nil {
		t.Fatal(err)
	}
}

// recompute rebuilds a round's statistics from the stored households.
func recompute(t *testing.T, s *store.Store, eng *engine.Engine, round string) map[string]*engine.Totals {
	t.Helper()
	ctx := context.Background()
	v, err := eng.Recompute(ctx, func(yield func(*survey.Household) bool) error {
		return s.EachHousehold(ctx, round, "TH", func(r survey.Record) error {
			yield(r.Household)
			return nil
		})
	}, runtime.GOMAXPROCS(0))
	if err != nil {
		t.Fatal(err)
	}
	return engine.RollUp(v, eng.NewTotals)
}

func assertStatsMatch(t *testing.T, s *store.Store, eng *engine.Engine, round string) {
	t.Helper()
	stored, err := s.AllTotals(context.Background(), eng, round)
	if err != nil {
		t.Fatal(err)
	}
	fresh := recompute(t, s, eng, round)
	for code, want := range fresh {
		if got, ok := stored[code]; !ok || !got.Equal(want) {
			t.Errorf("area %s: stored %+v, recompute %+v", code, got, want)
		}
	}
	for code, got := range stored {
		if _, ok := fresh[code]; !ok && !got.IsZero() {
			t.Errorf("area %s stored but not in a recompute", code)
		}
	}
}

func TestWriteHouseholdsKeepsStatisticsLive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051304", 6, 1)
		hs = append(hs, surveyfile.Example(eng.Set(), "70051301", 4, 2)...)
		sum, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Inserted != 10 || sum.Updated != 0 {
			t.Fatalf("first write: %+v", sum)
		}
		tambon, err := s.AreaTotals(ctx, eng, "bmn-2564", "700513")
		if err != nil {
			t.Fatal(err)
		}
		if tambon.Households != 10 {
			t.Errorf("tambon counts %d households, want 10", tambon.Households)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")

		// The same file again changes nothing.
		sum, err = s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "test", nil)
		if err != nil || sum.Unchanged != 10 {
			t.Fatalf("re-import: %+v, %v", sum, err)
		}
		// An edit: one household earns less and loses a member.
		edited := *hs[0]
		edited.Income.MainOccupation = 1000
		edited.Income.SecondaryOccupation, edited.Income.Other = 0, 0
		sum, err = s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&edited}, "editor", nil)
		if err != nil || sum.Updated != 1 {
			t.Fatalf("edit: %+v, %v", sum, err)
		}
		hist, err := s.HouseholdHistory(ctx, "bmn-2564", edited.Key())
		if err != nil || len(hist) != 1 || hist[0].ChangedBy != "editor" || len(hist[0].Changes) == 0 {
			t.Fatalf("history: %+v, %v", hist, err)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "7005"); n != 10 {
			t.Errorf("Ban Pong has %d households, want 10", n)
		}
	})
}

func TestWriteHouseholdsRefusesAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		mustRound(t, s, "tpmap", true)
		hs := surveyfile.Example(eng.Set(), "70051304", 3, 7)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[:2], "test", nil); err != nil {
			t.Fatal(err)
		}
		// A new household that claims a member of a stored one.
		clash := *hs[2]
		clash.Members = append([]survey.Member(nil), hs[2].Members...)
		clash.Members[0].CitizenID = hs[0].Members[0].CitizenID
		_, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{&clash}, "test", nil)
		var ps apperr.Problems
		if !apperr.Is(err, apperr.Invalid) || !asProblems(err, &ps) || len(ps) != 1 {
			t.Fatalf("duplicate citizen ID: %v", err)
		}
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "TH"); n != 2 {
			t.Errorf("%d households stored after a refused write, want 2", n)
		}
		// An unknown village: nothing of the batch is written.
		bad := *hs[2]
		bad.VillageCode = "70051399"
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{hs[2], &bad}, "test", nil); err == nil {
			t.Fatal("a household in an unknown village was written")
		}
		if n, _ := s.CountHouseholds(ctx, "bmn-2564", "TH"); n != 2 {
			t.Errorf("%d households after a failed batch, want 2: the batch was half written", n)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
		if _, err := s.WriteHouseholds(ctx, eng, "tpmap", hs[:1], "test", nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("households into an aggregate round: %v", err)
		}
	})
}

// Random edits, in many transactions, always leave the statistics equal to a
// recompute from scratch.
func TestStatisticsEqualRecomputeAfterRandomEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		pool := append(surveyfile.Example(eng.Set(), "70051304", 15, 3), surveyfile.Example(eng.Set(), "70051302", 15, 4)...)
		rng := rand.New(rand.NewPCG(5, 6))
		for step := 0; step < 25; step++ {
			var batch []*survey.Household
			for _, h := range pool {
				if rng.IntN(3) == 0 {
					c := *h
					c.Income.MainOccupation = int64(rng.IntN(400000))
					if rng.IntN(4) == 0 {
						c.Status = survey.Draft
					} else {
						c.Status = survey.Complete
					}
					batch = append(batch, &c)
				}
			}
			if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", batch, "fuzz", nil); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}

func asProblems(err error, ps *apperr.Problems) bool {
	p, ok := err.(apperr.Problems)
	if ok {
		*ps = p
	}
	return ok
}

// A submitted or certified tambon is read-only until returned or reopened,
// and every review step is recorded.
func TestReviewLocksHouseholds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051304", 2, 9)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[:1], "t", nil); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			step    survey.Review
			comment string
			want    survey.Status
		}{
			{survey.Submit, "", survey.StatusSubmitted},
			{survey.Return, "หมู่ 4 ยังไม่ครบ", survey.StatusOpen},
			{survey.Submit, "", survey.StatusSubmitted},
			{survey.Verify, "", survey.StatusVerified},
			{survey.Certify, "", survey.StatusCertified},
		}
		for _, st := range steps {
			got, err := s.Review(ctx, "bmn-2564", "700513", st.step, "officer", st.comment)
			if err != nil || got != st.want {
				t.Fatalf("%s: %q, %v", st.step, got, err)
			}
		}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[1:], "t", nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("write into a certified tambon: %v", err)
		}
		if _, err := s.Review(ctx, "bmn-2564", "700513", survey.Reopen, "admin", ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("reopen without a reason: %v", err)
		}
		if _, err := s.Review(ctx, "bmn-2564", "700513", survey.Reopen, "admin", "แก้รายได้หมู่ 4"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[1:], "t", nil); err != nil {
			t.Errorf("write after reopening: %v", err)
		}
		hist, err := s.ReviewHistory(ctx, "bmn-2564", "700513")
		if err != nil || len(hist) != 6 || hist[1].Comment != "หมู่ 4 ยังไม่ครบ" || hist[5].Step != survey.Reopen {
			t.Errorf("history: %+v %v", hist, err)
		}
		if err := s.Audit(ctx, store.AuditEntry{User: "admin", Action: "household.view", Area: "70051304", Object: "household:1"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.AuditLog(ctx, store.AuditFilter{AreaPrefix: "7005"})
		if err != nil || len(got) != 1 || got[0].User != "admin" {
			t.Errorf("audit search inside: %+v %v", got, err)
		}
		if got, _ := s.AuditLog(ctx, store.AuditFilter{AreaPrefix: "7006"}); len(got) != 0 {
			t.Errorf("audit search outside found %d", len(got))
		}
	})
}

// Everything that changes what an area page shows bumps the statistics
// generation, in the same transaction.
func TestStatsGenerationMoves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		last, err := s.StatsGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		step := func(what string, fn func() error) {
			t.Helper()
			if err := fn(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			g, err := s.StatsGeneration(ctx)
			if err != nil || g <= last {
				t.Errorf("%s left the generation at %d (was %d): %v", what, g, last, err)
			}
			last = g
		}
		step("a new round", func() error {
			return s.CreateRound(ctx, survey.Round{ID: "bmn-2564", Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"})
		})
		step("a household write", func() error {
			_, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051304", 2, 3), "t", nil)
			return err
		})
		step("new targets", func() error { return s.SetTargets(ctx, "bmn-2560-2564", map[string]float64{"22": 95}) })
		step("replaced statistics", func() error { return s.ReplaceTotals(ctx, "bmn-2564", nil) })
		// A refused write leaves it alone.
		before := last
		bad := surveyfile.Example(eng.Set(), "70051304", 1, 4)[0]
		bad.VillageCode = "70051399"
		s.WriteHouseholds(ctx, eng, "bmn-2564", []*survey.Household{bad}, "t", nil)
		if g, _ := s.StatsGeneration(ctx); g != before {
			t.Errorf("a refused write moved the generation from %d to %d", before, g)
		}
	})
}
