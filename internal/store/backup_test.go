package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// A backup taken while households are being written is a consistent
// snapshot: restored, its statistics equal a recompute of its households, and
// every table matches the backup.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	s := storetest.MustOpenDSN(t, dbPath)
	eng := mustEngine(t)
	mustRound(t, s, "bmn-2564", false)
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051304", 20, 1), "t", nil); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		villages := []string{"70051301", "70051302", "70051303", "70051305"}
		for i := 0; !stop.Load(); i++ {
			hs := surveyfile.Example(eng.Set(), villages[i%len(villages)], 5, uint64(100+i))
			if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "load", nil); err != nil {
				t.Errorf("write under load: %v", err)
				return
			}
			writes.Add(1)
		}
	}()
	for writes.Load() < 3 {
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	wg.Wait()

	v, counts, err := store.VerifyBackup(ctx, backup)
	if err != nil || v != store.SchemaVersion() {
		t.Fatalf("verify: v%d %v", v, err)
	}
	if counts["households"] < 20 {
		t.Errorf("backup holds %d households, fewer than were there before it started", counts["households"])
	}
	restoredPath := filepath.Join(dir, "restored.db")
	if _, err := store.RestoreSQLite(ctx, backup, restoredPath); err != nil {
		t.Fatal(err)
	}
	r := storetest.MustOpenDSN(t, restoredPath)
	got, err := r.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range counts {
		if table == "areas" {
			continue // opening syncs the area register again
		}
		if got[table] != n {
			t.Errorf("table %s: %d rows restored, %d in the backup", table, got[table], n)
		}
	}
	assertStatsMatch(t, r, eng, "bmn-2564")
	var first survey.Record
	r.EachHousehold(ctx, "bmn-2564", "TH", func(rec survey.Record) error { first = rec; return nil })
	if first.Household == nil {
		t.Error("no household readable after restore")
	}
}

func TestRestoreRefusesABrokenBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := store.RestoreSQLite(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")); err == nil {
		t.Error("restored from a missing file")
	}
	junk := filepath.Join(dir, "junk.db")
	writeFile(t, junk, "not a database at all, but long enough to look like something .......................")
	if _, err := store.RestoreSQLite(ctx, junk, filepath.Join(dir, "x.db")); err == nil {
		t.Error("restored from junk")
	}
}
