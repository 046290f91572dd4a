package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// TestStaleEngineWriteIsRefused: a household write computed with the set
// version the round was pinned to before a threshold change is refused, and
// nothing of it is written; written again with the new version it is kept,
// and the stored figures still equal a recompute.
func TestStaleEngineWriteIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustRound(t, s, "bmn-2564", false)
		old := mustEngine(t)
		hs := surveyfile.Example(old.Set(), "70051304", 20, 1)
		if _, err := s.WriteHouseholds(ctx, old, "bmn-2564", hs[:10], "test", nil); err != nil {
			t.Fatal(err)
		}
		c, after := setThresholdEngine(t, s, 60000)
		rc, err := s.RecomputeRound(ctx, "bmn-2564", after, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version); err != nil {
			t.Fatal(err)
		}
		before, _ := s.AllTotals(ctx, after, "bmn-2564")
		if _, err := s.WriteHouseholds(ctx, old, "bmn-2564", hs[10:], "test", nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a write with the old version's engine: %v, want a conflict", err)
		}
		now, _ := s.AllTotals(ctx, after, "bmn-2564")
		if !now["TH"].Equal(before["TH"]) {
			t.Error("the refused write changed the figures")
		}
		if _, err := s.WriteHouseholds(ctx, after, "bmn-2564", hs[10:], "test", nil); err != nil {
			t.Fatal(err)
		}
		assertStatsMatch(t, s, after, "bmn-2564")
	})
}

// TestRepinWaitsForWriteInFlight (PostgreSQL): a repin that starts while a
// household write is still open waits for it, then sees it and refuses, so
// the write is never left out of the new figures.
func TestRepinWaitsForWriteInFlight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != "postgres" {
			t.Skip("SQLite has one writer at a time: a repin cannot start while a write is open")
		}
		ctx := context.Background()
		mustRound(t, s, "bmn-2564", false)
		eng := mustEngine(t)
		hs := surveyfile.Example(eng.Set(), "70051304", 20, 1)
		if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[:10], "test", nil); err != nil {
			t.Fatal(err)
		}
		c, after := setThresholdEngine(t, s, 60000)
		rc, err := s.RecomputeRound(ctx, "bmn-2564", after, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The write holds its transaction open in its progress report
		// until the repin is seen waiting.
		inWrite, release := make(chan struct{}), make(chan struct{})
		wrote := make(chan error, 1)
		go func() {
			once := false
			_, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs[10:], "test", func(int) {
				if !once {
					once = true
					close(inWrite)
					<-release
				}
			})
			wrote <- err
		}()
		<-inWrite
		repinned := make(chan error, 1)
		go func() { repinned <- s.RepinRecomputed(ctx, rc, c.Rounds["bmn-2564"], c.Version) }()
		mon, err := sql.Open("pgx", storetest.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		defer mon.Close()
		waiting := false
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && !waiting; {
			select {
			case err := <-repinned:
				close(release)
				t.Fatalf("the repin finished while a write was open: %v", err)
			default:
			}
			var n int
			if err := mon.QueryRowContext(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").Scan(&n); err != nil {
				t.Fatal(err)
			}
			waiting = n > 0
			time.Sleep(20 * time.Millisecond)
		}
		close(release)
		if !waiting {
			t.Fatal("the repin was never seen waiting for the open write")
		}
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		if err := <-repinned; !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a repin after a write in flight: %v, want a conflict", err)
		}
		assertStatsMatch(t, s, eng, "bmn-2564")
	})
}
