package store_test

import (
	"context"
	"errors"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// count is a number from the database, for checking what was written.
func count(t *testing.T, s *store.Store, q string, args ...any) int64 {
	t.Helper()
	n, err := s.QueryIntForTest(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mustImportRound creates the example round and returns it with its engine.
func mustImportRound(t *testing.T, s *store.Store) (*engine.Engine, survey.Round) {
	t.Helper()
	eng := mustImportEngine(t)
	round := surveyfile.ExampleRound(eng.Set())
	if err := s.CreateRound(context.Background(), round); err != nil {
		t.Fatal(err)
	}
	return eng, round
}

// An import that fails after writing batches leaves nothing behind: not
// the batches written before the failure, nor their members, nor their
// statistics, on either database.
func TestImportIsAllOrNothingMidway(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, round := mustImportRound(t, s)
		hs := surveyfile.Example(eng.Set(), "70051304", 1300, 3)
		bad := *hs[700]
		bad.VillageCode = "70051399" // not in the area register: the insert fails
		hs[700] = &bad

		im, err := s.BeginHouseholdImport(ctx, eng, round.ID, "import", nil)
		if err != nil {
			t.Fatal(err)
		}
		// The bad household is in the second batch, written after the
		// first; on PostgreSQL a batch is copied while the next is read, so
		// its failure may surface at a later Add or at Commit.
		var failedAt = -1
		var failed error
		for i, h := range hs {
			if err := im.Add(h); err != nil {
				failedAt, failed = i, err
				break
			}
		}
		if failed != nil && failedAt < 700 {
			t.Fatalf("the import failed at household %d, before the bad one (700)", failedAt)
		}
		if _, err := im.Commit(); err == nil {
			t.Fatal("an import with a household of an unknown village committed")
		} else if failed == nil {
			failed = err
		}
		if !apperr.Is(failed, apperr.Invalid) {
			t.Errorf("error %v, want the village code refused", failed)
		}
		im.Rollback() // does nothing after Commit
		for _, q := range []string{"SELECT count(*) FROM households", "SELECT count(*) FROM members", "SELECT count(*) FROM household_history",
			"SELECT count(*) FROM area_stats", "SELECT count(*) FROM village_stats"} {
			if n := count(t, s, q); n != 0 {
				t.Errorf("%s: %d after a failed import, want 0", q, n)
			}
		}

		// The same households without the bad one import whole.
		hs = append(hs[:700], hs[701:]...)
		im, err = s.BeginHouseholdImport(ctx, eng, round.ID, "import", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		for _, h := range hs {
			if err := im.Add(h); err != nil {
				t.Fatal(err)
			}
		}
		sum, err := im.Commit()
		if err != nil || sum != (store.WriteSummary{Inserted: len(hs)}) {
			t.Fatalf("import: %+v, %v", sum, err)
		}
		assertStatsMatch(t, s, eng, round.ID)
	})
}

// A batch whose rows the database refuses (here a citizen ID already
// written by an earlier batch of a first import, which the import does not
// look up: the members' key refuses it) fails the import, wherever the
// failure surfaces, and leaves nothing: on PostgreSQL the batch is copied
// while the next ones are read and prepared.
func TestImportFailingBatchLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, round := mustImportRound(t, s)
		hs := surveyfile.Example(eng.Set(), "70051304", 1400, 5)
		hs = append(hs, surveyfile.Example(eng.Set(), "70051305", 1400, 6)...)
		twin := *hs[1700]
		twin.Members = append([]survey.Member(nil), twin.Members...)
		twin.Members[0].CitizenID = hs[100].Members[0].CitizenID
		hs[1700] = &twin

		_, err := s.ImportHouseholds(ctx, eng, round.ID, "import", nil, func(add func(*survey.Household) error) error {
			for _, h := range hs {
				if err := add(h); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			t.Fatal("an import holding one citizen ID twice, in two batches, committed")
		}
		for _, q := range []string{"SELECT count(*) FROM households", "SELECT count(*) FROM members", "SELECT count(*) FROM household_history",
			"SELECT count(*) FROM area_stats", "SELECT count(*) FROM village_stats", "SELECT count(*) FROM household_columns"} {
			if n := count(t, s, q); n != 0 {
				t.Errorf("%s: %d after a failed import, want 0", q, n)
			}
		}
	})
}

// An import refused only at its end (a citizen ID held by a household the
// import does not touch) writes nothing either, though every batch went in.
func TestImportRefusedAtCommitWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, round := mustImportRound(t, s)
		stored := surveyfile.Example(eng.Set(), "70051304", 3, 21)
		if _, err := s.WriteHouseholds(ctx, eng, round.ID, stored, "first", nil); err != nil {
			t.Fatal(err)
		}
		before := count(t, s, "SELECT count(*) FROM households")
		hs := surveyfile.Example(eng.Set(), "70051305", 1200, 22)
		thief := *hs[700]
		thief.Members = append([]survey.Member(nil), thief.Members...)
		thief.Members[0].CitizenID = stored[1].Members[0].CitizenID
		hs[700] = &thief

		im, err := s.BeginHouseholdImport(ctx, eng, round.ID, "import", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		for _, h := range hs {
			if err := im.Add(h); err != nil {
				t.Fatalf("add: %v", err)
			}
		}
		_, err = im.Commit()
		var ps apperr.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Value != stored[1].Members[0].CitizenID {
			t.Fatalf("commit: %v, want the citizen ID of %s refused", err, stored[1].Key())
		}
		if n := count(t, s, "SELECT count(*) FROM households"); n != before {
			t.Errorf("%d households after a refused import, want the %d stored before", n, before)
		}
		assertStatsMatch(t, s, eng, round.ID)
	})
}

// A person who moves from a household written late in an import to one
// written early (in an earlier batch) is moved: the later household is
// rewritten without them before the import ends.
func TestImportMovesAMemberAcrossBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, round := mustImportRound(t, s)
		hs := surveyfile.Example(eng.Set(), "70051304", 700, 5)
		if _, err := s.WriteHouseholds(ctx, eng, round.ID, hs, "first", nil); err != nil {
			t.Fatal(err)
		}
		from, to := *hs[650], *hs[10] // batch 2, batch 1
		var mover survey.Member
		for i, m := range from.Members {
			if m.CitizenID != "" && m.Relation != survey.RelHead {
				mover = m
				from.Members = append(append([]survey.Member(nil), from.Members[:i]...), from.Members[i+1:]...)
				break
			}
		}
		if mover.CitizenID == "" {
			t.Fatal("no member to move")
		}
		mover.No = 90
		to.Members = append(append([]survey.Member(nil), to.Members...), mover)
		hs[650], hs[10] = &from, &to

		im, err := s.BeginHouseholdImport(ctx, eng, round.ID, "again", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		for _, h := range hs {
			if err := im.Add(h); err != nil {
				t.Fatal(err)
			}
		}
		sum, err := im.Commit()
		if err != nil || sum.Updated != 2 || sum.Unchanged != 698 {
			t.Fatalf("import: %+v, %v; want 2 updated", sum, err)
		}
		holder := count(t, s, "SELECT count(*) FROM members WHERE citizen_id = $1 AND hh_key = $2", mover.CitizenID, to.Key())
		if holder != 1 || count(t, s, "SELECT count(*) FROM members WHERE citizen_id = $1", mover.CitizenID) != 1 {
			t.Errorf("the moved member is not indexed under %s alone", to.Key())
		}
		assertStatsMatch(t, s, eng, round.ID)
	})
}
