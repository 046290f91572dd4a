package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
)

func cmdRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flags("restore", "restore --from FILE [--db …] [--replace]   (verify a backup and restore it: a SQLite file is replaced (stop the server first); PostgreSQL must be empty)\n"+
		"       restore --accept --reason TEXT [--by NAME] [--db …]   (use a database whose restore failed or was cut short, after tambon check of every round; audited)")
	dsn := e.dbFlag(fs, "tambon.db")
	from := fs.String("from", "", "the backup to restore (or give it as the argument)")
	replace := fs.Bool("replace", false, "PostgreSQL: drop every table already in the target database first")
	accept := fs.Bool("accept", false, "accept a database whose restore failed its statistics check or was cut short, so that serve and the commands that write open it again")
	reason := fs.String("reason", "", "with --accept: why it may be used, e.g. which rounds tambon check passed (required; kept in the audit log)")
	by := fs.String("by", e.envOr("USER", "cli"), "with --accept: who accepts it, for the audit log")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if *accept {
		if file != "" || *from != "" {
			return apperr.New(apperr.Invalid, apperr.T("--accept ใช้กับฐานข้อมูลที่กู้คืนแล้ว ไม่ต้องระบุไฟล์สำรอง", "--accept works on the database already restored; give no backup file with it"))
		}
		return e.acceptRestore(ctx, *dsn, *by, *reason)
	}
	if file == "" {
		file = *from
	}
	if file == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์สำรองที่จะกู้คืน (--from)", "give the backup file to restore (--from)"))
	}
	if !store.IsPostgresBackup(file) {
		counts, err := store.RestoreSQLite(ctx, file, *dsn)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "restored %s from %s (%d tables, %d households); the backup was verified first\n", *dsn, file, len(counts), counts["households"])
		return nil
	}
	start := time.Now()
	m, err := e.restorePostgres(ctx, file, *dsn, *replace)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s (schema %d, %d tables, %d rows, %d rounds) in %s; verified: row counts and checksums equal the manifest, every round's statistics equal a recompute from its households\n",
		file, m.Schema, len(m.Tables), totalRows(m), len(m.Rounds), time.Since(start).Round(time.Millisecond))
	return nil
}

// restorePostgres restores a PostgreSQL backup into dsn and verifies it:
// the store checks rows and checksums against the manifest (and commits
// nothing that differs), then every round's statistics are checked against
// a recompute from the restored households, as tambon check does. The
// outcome is recorded in the database (meta restore_state), so a restore
// that failed its statistics check stays marked as failed.
func (e *env) restorePostgres(ctx context.Context, file, dsn string, replace bool) (store.BackupManifest, error) {
	if !store.IsPostgres(dsn) {
		return store.BackupManifest{}, apperr.New(apperr.Invalid, apperr.T(
			"ไฟล์สำรองนี้มาจาก PostgreSQL กู้คืนได้เฉพาะลงฐานข้อมูล PostgreSQL (--db postgres://…)",
			"this backup is of PostgreSQL and restores only into PostgreSQL (--db postgres://…)"))
	}
	s, err := store.Open(ctx, dsn, store.Options{Now: e.now})
	if err != nil {
		return store.BackupManifest{}, err
	}
	start := time.Now()
	m, err := s.RestorePostgres(ctx, file, store.RestoreOptions{Replace: replace})
	s.Close()
	if err != nil {
		return m, err
	}
	fmt.Fprintf(e.stdout, "%d tables loaded; their row counts and checksums and the rounds' statistics digests equal the manifest (%s)\n",
		len(m.Tables), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	s, _, err = e.open(ctx, dsn, true, openRestoring)
	if err != nil {
		return m, err
	}
	defer s.Close()
	var failed []string
	for _, r := range m.Rounds {
		areas, bad, err := checkRoundStats(ctx, e, s, r.ID)
		if err != nil {
			failed = append(failed, fmt.Sprintf("round %s: %v", r.ID, err))
			continue
		}
		if len(bad) > 0 {
			if len(bad) > 5 {
				bad = append(bad[:5], "…")
			}
			failed = append(failed, fmt.Sprintf("round %s: %d areas differ from a recompute (%s) / สถิติ %d พื้นที่ต่างจากการคำนวณใหม่",
				r.ID, len(bad), strings.Join(bad, ", "), len(bad)))
			continue
		}
		fmt.Fprintf(e.stdout, "round %s: the statistics of all %d areas equal a recompute (%s)\n", r.ID, areas, time.Since(start).Round(time.Millisecond))
		start = time.Now()
	}
	if len(failed) > 0 {
		why := strings.Join(failed, "; ")
		s.MarkRestore(ctx, "failed: "+why)
		return m, apperr.New(apperr.Conflict, apperr.Tf(
			"กู้คืนจาก %s แล้ว แต่สถิติไม่ผ่านการตรวจสอบ ฐานข้อมูลถูกบันทึกว่ากู้คืนไม่สำเร็จ (restore_state): %s",
			"restored from %s, but the statistics failed verification; the database is marked as a failed restore (restore_state): %s",
			file, why))
	}
	if err := s.MarkRestore(ctx, "verified "+e.now().UTC().Format(time.RFC3339)+" from "+file); err != nil {
		return m, err
	}
	return m, nil
}

// checkRoundStats compares a round's stored statistics with a recompute,
// as tambon check does, and returns how many areas it compared and the
// codes of those that differ.
func checkRoundStats(ctx context.Context, e *env, s *store.Store, id string) (int, []string, error) {
	r, eng, err := roundEngine(ctx, s, id)
	if err != nil {
		return 0, nil, err
	}
	stored, err := s.AllTotals(ctx, eng, r.ID)
	if err != nil {
		return 0, nil, err
	}
	var fresh map[string]*engine.Totals
	if r.AggregateOnly {
		// Published rounds: every level must be the sum of its villages.
		villages := map[string]*engine.Totals{}
		for code, t := range stored {
			if len(code) == 8 {
				villages[code] = t
			}
		}
		fresh = engine.RollUp(villages, eng.NewTotals)
	} else if fresh, err = recomputeRound(ctx, e, s, eng, r.ID); err != nil {
		return 0, nil, err
	}
	return len(fresh), diffTotals(stored, fresh), nil
}

// verifyPostgresBackup restores a PostgreSQL backup into a new schema of
// the database at dsn, verifies it as a restore does, and drops the schema.
func (e *env) verifyPostgresBackup(ctx context.Context, file, dsn string) (store.BackupManifest, error) {
	var m store.BackupManifest
	err := store.WithScratchSchema(ctx, dsn, func(scratch string) error {
		var err error
		m, err = e.restorePostgres(ctx, file, scratch, false)
		return err
	})
	return m, err
}

func totalRows(m store.BackupManifest) int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}
