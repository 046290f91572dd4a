package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// The PostgreSQL backup and restore commands end to end: a backup into a
// folder, a restore into an empty database that checks the statistics
// against a recompute, a trial restore by backup --verify, a restore over
// a database that holds data refused. A backup whose stored statistics do
// not equal its households is restored but marked as a failed restore,
// and the command fails saying which round.
func TestPostgresBackupRestoreCommands(t *testing.T) {
	src := storetest.PostgresDSN(t)
	env := map[string]string{"USER": "somchai"}
	must := mustRun(t, env)
	must("gen", "--area", "70051304", "--round", "bmn-2564", "--year", "2564", "--db", src)
	dir := t.TempDir()
	out := must("backup", "--to", dir, "--db", src)
	files, _ := filepath.Glob(filepath.Join(dir, "tambon-*.tambon-backup"))
	if len(files) != 1 || !strings.Contains(out, "one snapshot") {
		t.Fatalf("backup into a folder wrote %v:\n%s", files, out)
	}
	file := files[0]
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}

	dst := storetest.PostgresDSN(t)
	out = must("restore", "--from", file, "--db", dst)
	if !strings.Contains(out, "round bmn-2564: the statistics of all") || !strings.Contains(out, "checksums equal the manifest") {
		t.Errorf("restore says:\n%s", out)
	}
	if st := restoreState(t, dst); !strings.HasPrefix(st, "verified") {
		t.Errorf("restore_state %q after a verified restore", st)
	}
	must("check", "--round", "bmn-2564", "--db", dst)

	out = must("backup", "--verify", file, "--db", src)
	if !strings.Contains(out, "verified by a trial restore") {
		t.Errorf("backup --verify says:\n%s", out)
	}
	out = must("backup", "--verify", file, "--db", filepath.Join(dir, "none.db"))
	if !strings.Contains(out, "is whole") {
		t.Errorf("backup --verify without PostgreSQL says:\n%s", out)
	}

	_, _, err := run(t, env, "", "restore", "--from", file, "--db", dst)
	if err == nil || apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("restore over the restored database: %v", err)
	}

	// Statistics that do not equal the households they came from.
	db, err := sql.Open("pgx", src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE area_stats SET households = households + 1 WHERE round_id = 'bmn-2564' AND area_code = '70051304'"); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "stale.tambon-backup")
	must("backup", "--to", stale, "--db", src)
	bad := storetest.PostgresDSN(t)
	_, errOut, err := run(t, env, "", "restore", "--from", stale, "--db", bad)
	if err == nil {
		t.Fatal("a backup whose statistics differ from its households was restored as verified")
	}
	msg := apperr.MessageOf(err)
	if !strings.Contains(msg.EN, "round bmn-2564") || !strings.Contains(msg.EN, "failed verification") || !strings.Contains(msg.TH, "ไม่ผ่านการตรวจสอบ") {
		t.Errorf("failed restore says %q / %q\n%s", msg.EN, msg.TH, errOut)
	}
	if st := restoreState(t, bad); !strings.HasPrefix(st, "failed") {
		t.Errorf("restore_state %q after a failed restore, want failed", st)
	}
	_, _, err = run(t, env, "", "recompute", "--round", "bmn-2564", "--db", bad)
	if msg := apperr.MessageOf(err); apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(msg.EN, "failed the check after the restore") || strings.Contains(msg.EN, "time not recorded") {
		t.Errorf("recompute on the failed restore: %v, want it refused saying when the check failed", err)
	}
}

func restoreState(t *testing.T, dsn string) string {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return s.RestoreState(context.Background())
}
