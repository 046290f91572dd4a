package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildTambon compiles the real binary once per test, for tests that must
// kill a process.
func buildTambon(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tambon")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Killing tambon with SIGKILL in the middle of an import or a backup loses
// nothing committed and leaves nothing half written: the round holds all of
// the file or none of it, its statistics equal a recompute, and no partial
// backup is left under the backup's name.
func TestKillDuringImportAndBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes; skipped with -short")
	}
	bin := buildTambon(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "round", "--year", "2561"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "banpong.csv")
	out, _, err := run(t, env, "", "gen", "--area", "7005", "--round", "bmn-2561", "--out", file)
	if err != nil {
		t.Fatal(err)
	}
	total := strings.Fields(strings.TrimPrefix(out, "wrote "))[0]

	for i, after := range []time.Duration{1500 * time.Millisecond, 3 * time.Second, 5 * time.Second} {
		cmd := exec.Command(bin, "import", "households", file, "--round", "bmn-2561", "--db", db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			t.Logf("run %d: the import finished before the kill", i)
		case <-time.After(after):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
		}
		rounds, _, err := run(t, env, "", "rounds")
		if err != nil {
			t.Fatalf("after kill %d: %v", i, err)
		}
		if !strings.Contains(rounds, "bmn-2561  2561  bmn-2560-2564  0 ") && !strings.Contains(rounds, "bmn-2560-2564  "+total+" ") {
			t.Fatalf("after kill %d the round holds part of the file:\n%s", i, rounds)
		}
		if out, _, err := run(t, env, "", "check", "--round", "bmn-2561"); err != nil {
			t.Fatalf("after kill %d the statistics are inconsistent: %v %s", i, err, out)
		}
	}

	backup := filepath.Join(dir, "b.db")
	cmd := exec.Command(bin, "backup", "--to", backup, "--db", db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if _, err := os.Stat(backup); err == nil {
		if out, _, err := run(t, nil, "", "restore", backup, "--db", filepath.Join(dir, "r.db")); err != nil {
			t.Errorf("a backup file exists after the kill but does not verify: %v %s", err, out)
		}
	}
	if out, _, err := run(t, env, "", "check", "--round", "bmn-2561"); err != nil {
		t.Errorf("the database is damaged after a killed backup: %v %s", err, out)
	}
}
