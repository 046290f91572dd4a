package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store/storetest"
)

// eachDB runs fn on a SQLite file and, when TAMBON_TEST_POSTGRES is set, on a
// fresh PostgreSQL schema.
func eachDB(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, tempDB(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresDSN(t)) })
}

// The sets commands: list, show, export, validate and import, with flags
// before or after the file; a broken file is refused and stores nothing; a
// round keeps its version after an import.
func TestSetsCommands(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		env := map[string]string{"USER": "somchai"}
		mustRun := func(args ...string) string {
			t.Helper()
			out, _, err := run(t, env, "", args...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
			return out
		}
		mustRun("migrate", "--db", dsn)
		list := mustRun("sets", "list", "--db", dsn)
		for _, id := range []string{"bmn-2560-2564", "bmn-2566-2570", "kcc2k-2560-2564"} {
			if !strings.Contains(list, id) {
				t.Errorf("list lacks %s:\n%s", id, list)
			}
		}
		mustRun("round", "--year", "2566", "--db", dsn)
		show := mustRun("sets", "show", "--db", dsn, "bmn-2566-2570")
		if !strings.Contains(show, "version 1") || !strings.Contains(show, "rounds pinned to it: bmn-2566") || !strings.Contains(show, "income_threshold") {
			t.Errorf("show:\n%s", show)
		}
		file := filepath.Join(dir, "set.json")
		mustRun("sets", "export", "bmn-2566-2570", "--out", file, "--db", dsn)
		b, err := os.ReadFile(file)
		if err != nil || !strings.Contains(string(b), `"id": "bmn-2566-2570"`) {
			t.Fatalf("export: %v", err)
		}
		if out := mustRun("sets", "validate", file, "--db", dsn); !strings.Contains(out, "equals its newest stored version") {
			t.Errorf("validate of the exported file: %s", out)
		}
		changed := strings.Replace(string(b), `"provisional": true`, `"provisional": false`, 1)
		os.WriteFile(file, []byte(changed), 0o644)
		if out := mustRun("sets", "validate", "--db", dsn, file); !strings.Contains(out, "would store version 2") {
			t.Errorf("validate of a changed file: %s", out)
		}
		broken := filepath.Join(dir, "broken.json")
		os.WriteFile(broken, []byte(strings.Replace(changed, `"type": "number"`, `"type": "text"`, 1)), 0o644)
		for _, verb := range []string{"validate", "import"} {
			_, _, err := run(t, env, "", "sets", verb, broken, "--db", dsn)
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, "questions[") {
				t.Errorf("%s of a broken file: %v", verb, err)
			}
		}
		if out := mustRun("sets", "import", file, "--note", "confirmed by the handbook", "--db", dsn); !strings.Contains(out, "stored bmn-2566-2570 version 2") {
			t.Errorf("import: %s", out)
		}
		list = mustRun("sets", "list", "--db", dsn)
		if strings.Count(list, "bmn-2566-2570") != 2 || !strings.Contains(list, "confirmed by the handbook") {
			t.Errorf("list after import:\n%s", list)
		}
		if show := mustRun("sets", "show", "bmn-2566-2570", "--version", "1", "--db", dsn); !strings.Contains(show, "rounds pinned to it: bmn-2566") {
			t.Errorf("the round left version 1:\n%s", show)
		}
		if out := mustRun("round", "--year", "2567", "--db", dsn); !strings.Contains(out, "version 2") {
			t.Errorf("a new round: %s", out)
		}
		audit := mustRun("audit", "--db", dsn)
		if !strings.Contains(audit, "set.import") {
			t.Errorf("the import is not audited:\n%s", audit)
		}
	})
}
