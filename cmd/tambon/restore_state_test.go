package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store/storetest"
)

// A database whose PostgreSQL restore was cut short during its statistics
// check, or failed it, is not served or written to: serve and the writing
// commands refuse it saying what happened and the ways out, the reading
// commands work with a warning, and after an audited acceptance serve
// starts again.
func TestUnverifiedRestoreRefused(t *testing.T) {
	dbs := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return tempDB(t) },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	states := map[string]string{
		"verifying": "verifying: tambon-20261207-0100.tambon-backup",
		"failed":    "failed: round bmn-2564: 3 areas differ from a recompute (70051304, 700513, 7005)",
	}
	for dialect, newDB := range dbs {
		for name, state := range states {
			t.Run(dialect+"/"+name, func(t *testing.T) {
				db := newDB(t)
				env := map[string]string{"USER": "somchai"}
				must := mustRun(t, env)
				must("gen", "--area", "70051304", "--round", "bmn-2564", "--year", "2564", "--db", db)
				setRestoreState(t, db, state)

				refused := func(args ...string) {
					t.Helper()
					_, _, err := run(t, env, "", append(args, "--db", db)...)
					if apperr.CodeOf(err) != apperr.Conflict {
						t.Fatalf("tambon %s on a database marked %q: %v, want it refused", args[0], state, err)
					}
					msg := apperr.MessageOf(err)
					for _, want := range []string{state, "time not recorded", "tambon restore --from FILE --replace", "tambon check --round R", "tambon restore --accept"} {
						if !strings.Contains(msg.EN, want) {
							t.Errorf("tambon %s refusal does not say %q:\n%s", args[0], want, msg.EN)
						}
					}
					for _, want := range []string{"กู้คืน", "tambon restore --accept", "ไม่ทราบเวลา"} {
						if !strings.Contains(msg.TH, want) {
							t.Errorf("tambon %s refusal in Thai does not say %q:\n%s", args[0], want, msg.TH)
						}
					}
				}
				refused("serve", "--addr", "127.0.0.1:0")
				refused("recompute", "--round", "bmn-2564")

				_, errOut, err := run(t, env, "", "check", "--round", "bmn-2564", "--db", db)
				if err != nil {
					t.Fatalf("check on a database marked %q: %v", state, err)
				}
				if !strings.Contains(errOut, "warning") || !strings.Contains(errOut, state) {
					t.Errorf("check did not warn of the restore:\n%s", errOut)
				}
				file := filepath.Join(t.TempDir(), "households.csv")
				must("export", "households", "--round", "bmn-2564", "--area", "70051304", "--out", file, "--db", db)
				refused("import", "households", "--round", "bmn-2564", file)

				if _, _, err := run(t, env, "", "restore", "--accept", "--db", db); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("restore --accept without a reason: %v, want it refused", err)
				}
				out := must("restore", "--accept", "--reason", "tambon check bmn-2564 passed", "--db", db)
				if !strings.Contains(out, "accepted by somchai") {
					t.Errorf("restore --accept says:\n%s", out)
				}
				if st := restoreState(t, db); !strings.HasPrefix(st, "accepted by somchai at ") || !strings.Contains(st, "tambon check bmn-2564 passed") || !strings.Contains(st, state) {
					t.Errorf("restore_state after acceptance: %q", st)
				}
				if out := must("audit", "--action", "restore.accept", "--db", db); !strings.Contains(out, "somchai") || !strings.Contains(out, "tambon check bmn-2564 passed") {
					t.Errorf("the acceptance is not in the audit log:\n%s", out)
				}
				if _, _, err := run(t, env, "", "restore", "--accept", "--reason", "again", "--db", db); apperr.CodeOf(err) != apperr.Invalid {
					t.Errorf("a second restore --accept: %v, want nothing to accept", err)
				}
				startApp(t, env, "serve", "--db", db)
			})
		}
	}
}

// setRestoreState writes the meta row a restore writes, as a restore
// stopped at that point would have left it.
func setRestoreState(t *testing.T, dsn, state string) {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('restore_state', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, state); err != nil {
		t.Fatal(err)
	}
}
