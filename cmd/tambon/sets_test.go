package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
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

// tambon sets threshold stores a new version, recomputes the round that used
// the set from its households and moves it there; tambon check passes after
// and the figures moved.
func TestSetsThresholdCommand(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		env := map[string]string{"USER": "somchai", "TAMBON_DB": dsn}
		if _, _, err := run(t, env, "", "round", "--year", "2570"); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rd, err := s.Round(ctx, "bmn-2570")
		if err != nil {
			t.Fatal(err)
		}
		eng, err := engine.ForRound(rd)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteHouseholds(ctx, eng, rd.ID, surveyfile.Example(eng.Set(), "70051304", 50, 11), "test", nil); err != nil {
			t.Fatal(err)
		}
		s.Close()
		results := func() string {
			out, _, err := run(t, env, "", "results", "--round", "bmn-2570", "--area", "70051304")
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, ",EC03,") {
					return line
				}
			}
			t.Fatalf("no EC03 in\n%s", out)
			return ""
		}
		before := results()
		out, stderr, err := run(t, env, "", "sets", "threshold", "bmn-2566-2570", "income_threshold", "2570=38000")
		if err != nil || !strings.Contains(out, "none → 38000, stored as version 2") || !strings.Contains(out, "round bmn-2570 recomputed and moved from version 1 to 2") {
			t.Fatalf("threshold: %v\n%s", err, out)
		}
		if !strings.Contains(stderr, "recomputing under bmn-2566-2570 version 2") || !strings.Contains(stderr, "households 50/50") ||
			!strings.Contains(stderr, "/s") {
			t.Errorf("no progress on the terminal: %q", stderr)
		}
		if out, _, err := run(t, env, "", "check", "--round", "bmn-2570"); err != nil {
			t.Errorf("check after the threshold: %v %s", err, out)
		}
		if after := results(); after == before {
			t.Errorf("EC03 did not change: %s", after)
		}
		audit, _, _ := run(t, env, "", "audit")
		if !strings.Contains(audit, "somchai") || !strings.Contains(audit, `"new":38000,"old":null,"threshold":"income_threshold"`) {
			t.Errorf("the change is not audited:\n%s", audit)
		}
		if _, _, err := run(t, env, "", "sets", "threshold", "bmn-2566-2570", "income_threshold", "2570"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a value without a year: %v", err)
		}
	})
}

// The worked example of docs/indicators.md, a local indicator added to the
// 2566-2570 set, validates, imports as a new version, and its question is a
// column of the household template of that version.
func TestLocalIndicatorExample(t *testing.T) {
	db := tempDB(t)
	env := map[string]string{"TAMBON_DB": db}
	file := filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json")
	if _, _, err := run(t, env, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := run(t, env, "", "sets", "validate", file); err != nil || !strings.Contains(out, "would store version 2") {
		t.Fatalf("validate: %v %s", err, out)
	}
	if out, _, err := run(t, env, "", "sets", "import", file); err != nil || !strings.Contains(out, "version 2") {
		t.Fatalf("import: %v %s", err, out)
	}
	out, _, err := run(t, env, "", "template", "households", "--set", "bmn-2566-2570", "--format", "csv", "--db", db)
	if err != nil || !strings.Contains(out, "(loc01_sorts_waste)") {
		t.Errorf("the template lacks the local question: %v\n%.300s", err, out)
	}
	builtin, _, _ := run(t, env, "", "template", "households", "--set", "bmn-2566-2570", "--format", "csv", "--db", "")
	if strings.Contains(builtin, "loc01") {
		t.Error("the built-in set's template has the local question")
	}
}
