package main

import (
	"bufio"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store/storetest"
)

// A restore under a running server used to succeed: the server went on
// writing into the deleted file and everything it acknowledged afterwards
// was gone after a restart. Now restore is refused while the server has the
// database open, names the file and says what to do, and works once the
// server has stopped; nothing the server acknowledged is lost.
func TestRestoreRefusedWhileServing(t *testing.T) {
	db := tempDB(t)
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "correct-horse-battery\n", "user", "create", "--username", "admin", "--role", "admin", "--area", "TH"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(filepath.Dir(db), "before.db")
	if _, _, err := run(t, env, "", "backup", "--to", backup); err != nil {
		t.Fatal(err)
	}

	years := []int{2566, 2567, 2568, 2569, 2570}
	t.Run("while serving", func(t *testing.T) {
		base, _ := startApp(t, env, "serve")
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		post := func(path string, form url.Values) int {
			resp, err := c.PostForm(base+path, form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st := post("/login", url.Values{"username": {"admin"}, "password": {"correct-horse-battery"}}); st != http.StatusSeeOther {
			t.Fatalf("sign in: %d", st)
		}
		for _, y := range years {
			if st := post("/admin/rounds/household", url.Values{"survey_year": {strconv.Itoa(y)}}); st != http.StatusSeeOther {
				t.Fatalf("open round %d: status %d", y, st)
			}
		}
		_, _, err := run(t, env, "", "restore", backup)
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("restore while serving: %v, want it refused", err)
		}
		msg := describe(err)
		for _, want := range []string{db, "tambon serve", "stop it first", "หยุดโปรแกรมนั้นก่อน"} {
			if !strings.Contains(msg, want) {
				t.Errorf("refusal %q does not say %q", msg, want)
			}
		}
		if _, _, err := run(t, env, "", "demo", "--reset", "--db", db); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("demo --reset while serving: %v, want it refused", err)
		}
		// The server still writes to the database it has.
		if st := post("/admin/rounds/household", url.Values{"survey_year": {"2561"}}); st != http.StatusSeeOther {
			t.Fatalf("open round 2561 after the refused restore: status %d", st)
		}
	})

	// The server has stopped: everything it acknowledged is in the file.
	out, _, err := run(t, env, "", "rounds")
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range append(years, 2561) {
		if !strings.Contains(out, "bmn-"+strconv.Itoa(y)) {
			t.Errorf("round bmn-%d, acknowledged by the server, is gone:\n%s", y, out)
		}
	}
	// And now the restore is allowed, and puts the backup in place.
	if out, _, err := run(t, env, "", "restore", backup); err != nil {
		t.Fatalf("restore after the server stopped: %v %s", err, out)
	}
	out, _, err = run(t, env, "", "rounds")
	if err != nil || strings.Contains(out, "bmn-2566") {
		t.Errorf("after the restore: %v\n%s", err, out)
	}
}

// Commands that only read, or change what is there, refuse a database file
// that does not exist instead of creating an empty one under a mistyped
// name; the commands that set a database up still create it.
func TestMissingDatabaseIsRefusedNotCreated(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "tambom.db") // a typo of tambon.db
	for _, args := range [][]string{
		{"check", "--round", "bmn-2564"},
		{"recompute", "--round", "bmn-2564"},
		{"rounds"},
		{"results", "--round", "bmn-2564", "--area", "70"},
		{"export", "households", "--round", "bmn-2564", "--area", "70", "--out", filepath.Join(dir, "x.csv")},
		{"target", "--round", "bmn-2564", "--area", "70", "--poor"},
		{"transitions", "--from", "bmn-2563", "--to", "bmn-2564", "--area", "70"},
		{"audit"},
		{"user", "list"},
		{"device", "list"},
		{"villages", "rounds"},
		{"targets"},
		{"mpi-spec"},
		{"backup", "--to", filepath.Join(dir, "b.db")},
	} {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			_, _, err := run(t, nil, "", append(args, "--db", missing)...)
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("tambon %s on a missing file: %v, want not found", strings.Join(args, " "), err)
			}
			msg := describe(err)
			for _, want := range []string{missing, "does not exist", "ไม่พบไฟล์ฐานข้อมูล", "tambon migrate"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			if _, err := os.Stat(missing); err == nil {
				t.Fatalf("tambon %s created %s", args[0], missing)
			}
		})
	}
	for _, args := range [][]string{{"migrate"}, {"round", "--year", "2564"}} {
		db := filepath.Join(t.TempDir(), "new.db")
		if _, _, err := run(t, nil, "", append(args, "--db", db)...); err != nil {
			t.Errorf("tambon %s on a new file: %v", args[0], err)
		}
		if _, err := os.Stat(db); err != nil {
			t.Errorf("tambon %s did not create the database: %v", args[0], err)
		}
	}
}

// The database, its WAL and shared-memory files, its lock file, backups
// and the folder for scheduled backups are the owner's only: they hold
// names and citizen IDs.
func TestDatabaseFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "tambon.db")
	backups := filepath.Join(dir, "backups")
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "round", "--year", "2564"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "", "backup", "--to", filepath.Join(dir, "b.db")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "", "restore", filepath.Join(dir, "b.db"), "--db", filepath.Join(dir, "restored.db")); err != nil {
		t.Fatal(err)
	}
	if _, stderr, _ := run(t, env, "", "rounds"); strings.Contains(stderr, "may read the database file") {
		t.Errorf("a private database file is warned about:\n%s", stderr)
	}
	// A file made readable by others (an older version, a copy) is warned about.
	shared := filepath.Join(dir, "shared.db")
	if _, _, err := run(t, env, "", "restore", filepath.Join(dir, "b.db"), "--db", shared); err != nil {
		t.Fatal(err)
	}
	os.Chmod(shared, 0o644)
	if _, stderr, _ := run(t, env, "", "rounds", "--db", shared); !strings.Contains(stderr, "chmod 600 "+shared) {
		t.Errorf("a database file others can read is not warned about:\n%s", stderr)
	}
	t.Run("serving", func(t *testing.T) {
		startApp(t, env, "serve", "--backup-every", "24h", "--backup-dir", backups)
		for _, f := range []string{db, db + "-wal", db + "-shm", db + ".lock", filepath.Join(dir, "b.db"), filepath.Join(dir, "restored.db")} {
			fi, err := os.Stat(f)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s has mode %v, want -rw-------", filepath.Base(f), fi.Mode().Perm())
			}
		}
		if fi, err := os.Stat(backups); err != nil {
			t.Errorf("the backup folder: %v", err)
		} else if fi.Mode().Perm() != 0o700 {
			t.Errorf("the backup folder has mode %v, want drwx------", fi.Mode().Perm())
		}
	})
}

// A database file damaged in the middle: the command says, in Thai and
// English, to restore a backup; SQLite's own words go to the log only.
func TestDamagedDatabaseSaysRestore(t *testing.T) {
	db := tempDB(t)
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "round", "--year", "2564"); err != nil {
		t.Fatal(err)
	}
	storetest.Corrupt(t, db, "rounds")
	_, stderr, err := run(t, env, "", "rounds")
	if err == nil {
		t.Fatal("listing the rounds of a damaged file worked")
	}
	msg := describe(err)
	for _, want := range []string{"เสียหาย", "damaged", "tambon restore"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the user reads %q, which does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "malformed") {
		t.Errorf("the user reads the driver's error: %q", msg)
	}
	if !strings.Contains(stderr, "malformed") {
		t.Errorf("the log lacks the driver's error:\n%s", stderr)
	}
}

// The lock belongs to the server process: while a real `tambon serve` runs
// restore is refused, and once the process is killed (no clean shutdown, no
// chance to release anything) restore works at once: a crash never leaves
// a stale lock to clear by hand.
func TestRestoreLockDiesWithTheServerProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills a real process; skipped with -short")
	}
	bin := buildTambon(t)
	db := tempDB(t)
	env := map[string]string{"TAMBON_DB": db}
	if _, _, err := run(t, env, "", "round", "--year", "2564"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(filepath.Dir(db), "b.db")
	if _, _, err := run(t, env, "", "backup", "--to", backup); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !servingRE.MatchString(line) {
		t.Fatalf("the server did not start: %q %v", line, err)
	}
	if _, _, err := run(t, env, "", "restore", backup); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("restore while the server process runs: %v, want it refused", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if out, _, err := run(t, env, "", "restore", backup); err != nil {
		t.Fatalf("restore after the server was killed: %v %s", err, out)
	}
}
