package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flags("backup", "backup --to FILE|DIR [--db …]   (a consistent, verified copy while tambon keeps running)\n       backup --verify FILE [--db postgres://…]   (check a backup; with a PostgreSQL --db, by restoring it into a scratch schema)")
	dsn := e.dbFlag(fs, "tambon.db")
	to := fs.String("to", "", "the backup file to write, or a folder to write a dated one in")
	verify := fs.String("verify", "", "check this backup instead of writing one")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *verify != "" {
		return e.verifyBackup(ctx, *verify, *dsn)
	}
	if *to == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --to หรือ --verify", "--to or --verify is required"))
	}
	s, _, err := e.openReading(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	path := *to
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, backupName(e.now(), s.Dialect()))
	}
	store.BackupVersion = version()
	start := time.Now()
	if err := s.Backup(ctx, path); err != nil {
		return err
	}
	took := time.Since(start)
	if !store.IsPostgres(*dsn) {
		_, counts, err := store.VerifyBackup(ctx, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "backup %s written and verified (%d tables, %d households) in %s\n",
			path, len(counts), counts["households"], took.Round(time.Millisecond))
		return nil
	}
	m, err := store.VerifyPostgresBackup(path)
	if err != nil {
		return err
	}
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(e.stdout, "backup %s written from one snapshot in %s and read back whole (schema %d, %d tables, %d rows, %d rounds, %.1f MB); restore with tambon restore --from %s --db postgres://…\n",
		path, took.Round(time.Millisecond), m.Schema, len(m.Tables), totalRows(m), len(m.Rounds), float64(size)/1e6, path)
	return nil
}

// verifyBackup checks a backup file: a SQLite one is opened and checked;
// a PostgreSQL one is read through and, given a PostgreSQL --db, restored
// into a scratch schema there and verified as a restore is.
func (e *env) verifyBackup(ctx context.Context, file, dsn string) error {
	if !store.IsPostgresBackup(file) {
		v, counts, err := store.VerifyBackup(ctx, file)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "backup %s is whole (SQLite, schema %d, %d tables, %d households)\n", file, v, len(counts), counts["households"])
		return nil
	}
	m, err := store.VerifyPostgresBackup(file)
	if err != nil {
		return err
	}
	if !store.IsPostgres(dsn) {
		fmt.Fprintf(e.stdout, "backup %s is whole: every table the manifest lists is there with its rows (schema %d, %d tables, %d rows, taken %s by tambon %s); give --db postgres://… to verify its content by a trial restore\n",
			file, m.Schema, len(m.Tables), totalRows(m), m.TakenAt, m.Tambon)
		return nil
	}
	start := time.Now()
	if _, err := e.verifyPostgresBackup(ctx, file, dsn); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup %s verified by a trial restore in %s: row counts and checksums of %d tables equal the manifest, and the statistics of %d rounds equal a recompute\n",
		file, time.Since(start).Round(time.Millisecond), len(m.Tables), len(m.Rounds))
	return nil
}

// backupName is the name of a backup taken at t.
func backupName(t time.Time, dialect string) string {
	name := "tambon-" + t.UTC().Format("20060102-150405")
	if dialect == "postgres" {
		return name + ".tambon-backup"
	}
	return name + ".db"
}

// backupLoop writes a backup every interval into dir, keeping the newest
// keep files, until ctx ends. Failures are logged, never fatal: a full disk
// must not stop the service.
func (e *env) backupLoop(ctx context.Context, s *store.Store, every time.Duration, dir string, keep int) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			name := filepath.Join(dir, backupName(now, s.Dialect()))
			if err := s.Backup(ctx, name); err != nil {
				e.log.Error("scheduled backup failed", "file", name, "err", err)
				continue
			}
			e.log.Info("scheduled backup written", "file", name)
			pruneBackups(dir, keep, e)
		}
	}
}

func pruneBackups(dir string, keep int, e *env) {
	matches, _ := filepath.Glob(filepath.Join(dir, "tambon-*"))
	sort.Strings(matches) // names carry the time, so this is oldest first
	for len(matches) > keep {
		if err := os.Remove(matches[0]); err != nil {
			e.log.Error("remove old backup", "file", matches[0], "err", err)
		}
		matches = matches[1:]
	}
}
