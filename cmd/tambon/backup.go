package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flags("backup", "backup --to FILE [--db …]   (a consistent copy while tambon keeps running)")
	dsn := e.dbFlag(fs, "tambon.db")
	to := fs.String("to", "", "the backup file to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --to", "--to is required"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	if err := s.Backup(ctx, *to); err != nil {
		return err
	}
	if !store.IsPostgres(*dsn) {
		if _, counts, err := store.VerifyBackup(ctx, *to); err != nil {
			return err
		} else {
			fmt.Fprintf(e.stdout, "backup %s written and verified (%d tables, %d households) in %s\n",
				*to, len(counts), counts["households"], time.Since(start).Round(time.Millisecond))
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "backup %s written with pg_dump in %s (restore with pg_restore)\n", *to, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flags("restore", "restore FILE [--db FILE]   (verify a backup, then replace the SQLite database with it; stop the server first)")
	dsn := e.dbFlag(fs, "tambon.db")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์สำรองที่จะกู้คืน", "give the backup file to restore"))
	}
	counts, err := store.RestoreSQLite(ctx, file, *dsn)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s from %s (%d tables, %d households); the backup was verified first\n", *dsn, file, len(counts), counts["households"])
	return nil
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
			name := filepath.Join(dir, "tambon-"+now.UTC().Format("20060102-150405")+".db")
			if s.Dialect() == "postgres" {
				name = strings.TrimSuffix(name, ".db") + ".dump"
			}
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
