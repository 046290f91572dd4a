package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// While a store has a SQLite file open, restoring over it or deleting it is
// refused (the holder would go on writing into a deleted file); once it is
// closed both work. The store keeps everything it wrote.
func TestRestoreAndRemoveRefusedWhileOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	s, err := store.Open(ctx, dbPath, store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	mustRound(t, s, "bmn-2564", false)

	_, err = store.RestoreSQLite(ctx, backup, dbPath)
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err).EN, dbPath) {
		t.Fatalf("restore over an open database: %v, want a conflict naming the file", err)
	}
	if err := store.RemoveSQLite(dbPath); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("removing an open database: %v, want a conflict", err)
	}
	if _, err := os.Stat(dbPath + ".restoring"); err == nil {
		t.Error("the refused restore left its copy behind")
	}
	mustRound(t, s, "bmn-2565", false) // the store still writes where it reads
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = storetest.MustOpenDSN(t, dbPath)
	for _, id := range []string{"bmn-2564", "bmn-2565"} {
		if _, err := s.Round(ctx, id); err != nil {
			t.Errorf("round %s written before and after the refused restore: %v", id, err)
		}
	}
	s.Close()
	if _, err := store.RestoreSQLite(ctx, backup, dbPath); err != nil {
		t.Fatalf("restore once the database is closed: %v", err)
	}
	s = storetest.MustOpenDSN(t, dbPath)
	if _, err := s.Round(ctx, "bmn-2564"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("after the restore the round written after the backup is still there: %v", err)
	}
	s.Close()
	if err := store.RemoveSQLite(dbPath); err != nil {
		t.Fatalf("remove once closed: %v", err)
	}
	if _, err := os.Stat(dbPath); !os.IsNotExist(err) {
		t.Errorf("the database is still there: %v", err)
	}
}

// While a restore holds the file, opening it is refused rather than reading
// a file about to be replaced.
func TestOpenRefusedDuringRestore(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "live.db")
	lock, err := store.LockForTest(dbPath, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(ctx, dbPath, store.Options{})
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err).EN, "being restored") {
		t.Fatalf("open during a restore: %v", err)
	}
	lock.Close()
	s, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// A restore from a damaged backup leaves the database as it was and no
// copy behind.
func TestRestoreFromDamagedBackupKeepsTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	s := storetest.MustOpenDSN(t, dbPath)
	mustRound(t, s, "bmn-2564", false)
	backup := filepath.Join(dir, "backup.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	s.Close()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 3; i < 2*len(b)/3; i++ {
		b[i] = 0x5a
	}
	if err := os.WriteFile(backup, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.RestoreSQLite(ctx, backup, dbPath); err == nil || !strings.Contains(apperr.MessageOf(err).EN, backup) {
		t.Fatalf("restore from a damaged backup: %v, want a refusal naming %s", err, backup)
	}
	matches, _ := filepath.Glob(dbPath + ".restoring*")
	if len(matches) > 0 {
		t.Errorf("left behind: %v", matches)
	}
	s = storetest.MustOpenDSN(t, dbPath)
	if _, err := s.Round(ctx, "bmn-2564"); err != nil {
		t.Errorf("the database changed: %v", err)
	}
}

// MustExist refuses a SQLite file that is not there, and does not create
// it; without it a new database is made.
func TestOpenMustExist(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "typo.db")
	_, err := store.Open(ctx, path, store.Options{MustExist: true})
	if !apperr.Is(err, apperr.NotFound) || !strings.Contains(apperr.MessageOf(err).TH, path) {
		t.Fatalf("open a missing file: %v, want not found naming it", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the missing file was created: %v", err)
	}
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(ctx, path, store.Options{MustExist: true})
	if err != nil {
		t.Fatalf("open the file once it exists: %v", err)
	}
	s.Close()
}

// A database file damaged in the middle opens, and the first query that
// reads the damage is answered with what to do (restore a backup) in Thai
// and English; the driver's words stay in the error's chain for the log.
func TestDamagedDatabaseSaysRestore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tambon.db")
	s := storetest.MustOpenDSN(t, path)
	mustRound(t, s, "bmn-2564", false)
	s.Close()
	storetest.Corrupt(t, path, "rounds")

	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("a file damaged in the middle should still open: %v", err)
	}
	defer s.Close()
	for name, call := range map[string]func() error{
		"Rounds": func() error { _, err := s.Rounds(ctx); return err },
		"Round":  func() error { _, err := s.Round(ctx, "bmn-2564"); return err },
	} {
		err := store.Explain(call())
		if !errors.Is(err, store.ErrDamaged) || !apperr.Is(err, apperr.Unavailable) {
			t.Fatalf("%s on a damaged file: %v, want it reported as damaged", name, err)
		}
		msg := apperr.MessageOf(err)
		if !strings.Contains(msg.EN, "damaged") || !strings.Contains(msg.EN, "tambon restore") ||
			!strings.Contains(msg.TH, "เสียหาย") || strings.Contains(msg.String(), "malformed") {
			t.Errorf("%s: the user reads %q", name, msg)
		}
		if !strings.Contains(err.Error(), "malformed") {
			t.Errorf("%s: the driver's error is lost for the log: %v", name, err)
		}
	}
	if err := store.Explain(apperr.New(apperr.NotFound, apperr.T("x", "x"))); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Explain changed an unrelated error: %v", err)
	}
}
