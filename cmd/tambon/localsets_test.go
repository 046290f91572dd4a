package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// The command-line doors read the sets from the database: a round generated
// after a local indicator was imported is judged with it (tambon gen, tambon
// results, with the round opened before as the previous round); tambon
// template says which set version it wrote, takes the newest in the
// database (also the tambon.db of the working directory when no database is
// named) or a round's pinned version; tambon mpi-spec shows which set its
// preset stands on and refuses a spec that a round's version cannot judge,
// storing nothing.
func TestLocalIndicatorCommands(t *testing.T) {
	t.Cleanup(func() { engine.UsePoverty(nil) })
	eachDB(t, func(t *testing.T, dsn string) {
		env := map[string]string{"TAMBON_DB": dsn, "USER": "province"}
		mustRun := func(args ...string) (string, string) {
			t.Helper()
			out, stderr, err := run(t, env, "", args...)
			if err != nil {
				t.Fatalf("%v: %v\n%s\n%s", args, err, out, stderr)
			}
			return out, stderr
		}
		local := filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json")
		mustRun("round", "--year", "2566")
		writeExample(t, dsn, "bmn-2566", 6)
		mustRun("sets", "import", local, "--note", "local indicator")
		mustRun("round", "--year", "2570")
		if out, _ := mustRun("sets", "show", "bmn-2566-2570"); !strings.Contains(out, "rounds pinned to it: bmn-2570") {
			t.Errorf("the new round is not on version 2:\n%s", out)
		}
		// A file of the round's template columns imports, local answers and all.
		file := filepath.Join(t.TempDir(), "households.csv")
		os.WriteFile(file, exampleCSV(t, dsn, "bmn-2570", 8), 0o644)
		if out, _ := mustRun("import", "households", file, "--round", "bmn-2570"); !strings.Contains(out, "8") {
			t.Errorf("import: %s", out)
		}
		out, _ := mustRun("results", "--round", "bmn-2570", "--area", "70051304", "--format", "json")
		var res []struct {
			PreviousRound string `json:"previous_round"`
			Indicators    []struct {
				Code     string `json:"indicator"`
				Surveyed int64  `json:"surveyed"`
			} `json:"indicators"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 {
			t.Fatalf("results: %v\n%.400s", err, out)
		}
		found := false
		for _, ind := range res[0].Indicators {
			found = found || ind.Code == "LOC01" && ind.Surveyed > 0
		}
		if !found || res[0].PreviousRound != "bmn-2566" {
			t.Errorf("results of bmn-2570: LOC01 judged %v, previous round %q (want bmn-2566, pinned to version 1)", found, res[0].PreviousRound)
		}
		if out, _, err := run(t, env, "", "check", "--round", "bmn-2570"); err != nil {
			t.Errorf("check: %v %s", err, out)
		}

		if out, _ := mustRun("gen", "--area", "70051304", "--round", "bmn-2561", "--year", "2561"); !strings.Contains(out, "indicator set bmn-2560-2564 version 1") {
			t.Errorf("gen does not say which set version it judged with: %s", out)
		}

		// Templates.
		for _, tc := range []struct {
			args      []string
			which     string
			withLocal bool
		}{
			{[]string{"--set", "bmn-2566-2570"}, "bmn-2566-2570 version 2, the newest in the database", true},
			{[]string{"--round", "bmn-2566"}, "bmn-2566-2570 version 1, the version round bmn-2566 is pinned to", false},
			{[]string{"--round", "bmn-2570"}, "bmn-2566-2570 version 2, the version round bmn-2570 is pinned to", true},
			{[]string{"--set", "bmn-2566-2570", "--db", ""}, "bmn-2566-2570 as built into tambon", false},
		} {
			out, stderr := mustRun(append([]string{"template", "households", "--format", "csv"}, tc.args...)...)
			if !strings.Contains(stderr, tc.which) || strings.Contains(out, "(loc01_sorts_waste)") != tc.withLocal {
				t.Errorf("template %v: says %q, has the local column %v (want %v)", tc.args, stderr, !tc.withLocal, tc.withLocal)
			}
		}
		// กชช. 2ค: a round opened after the local village set is imported
		// has the local indicator in its template.
		mustRun("villages", "round", "--year", "2562")
		mustRun("sets", "import", filepath.Join("..", "..", "docs", "examples", "kcc2k-2560-2564-local.json"))
		if out, _ := mustRun("villages", "round", "--year", "2564"); !strings.Contains(out, "set kcc2k-2560-2564 version 2") {
			t.Errorf("villages round does not say the set version: %s", out)
		}
		for round, want := range map[string]bool{"kcc2k-2562": false, "kcc2k-2564": true} {
			out, stderr := mustRun("template", "villages", "--round", round, "--format", "csv")
			if strings.Contains(out, "loc01_waste_bank") != want || !strings.Contains(stderr, "the version round "+round+" is pinned to") {
				t.Errorf("village template of %s: says %q, has the local column %v", round, stderr, !want)
			}
		}
		// mpi-spec: the preset stands on the database's set.
		if _, stderr := mustRun("mpi-spec"); !strings.Contains(stderr, "TPMAP preset over indicator set bmn-2560-2564 version 1") {
			t.Errorf("mpi-spec does not say which set its preset uses: %q", stderr)
		}
		spec := filepath.Join(t.TempDir(), "spec.json")
		os.WriteFile(spec, []byte(`{"id": "ratchaburi-local", "name": {"th": "ท้องถิ่น", "en": "local"},
			"dimensions": [{"id": "living", "name": {"th": "ความเป็นอยู่", "en": "living"}}],
			"indicators": [
				{"id": "waste", "name": {"th": "ขยะ", "en": "waste"}, "dimension": "living", "weight": "1", "maps": "bmn-2566-2570:LOC01"},
				{"id": "power", "name": {"th": "ไฟฟ้า", "en": "electricity"}, "dimension": "living", "weight": "1", "maps": "bmn-2566-2570:HE07"}],
			"k": "1/2"}`), 0o644)
		_, _, err := run(t, env, "", "mpi-spec", "--set", spec)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, "bmn-2566") || !strings.Contains(apperr.MessageOf(err).TH, "bmn-2566") {
			t.Errorf("a spec that round bmn-2566 (version 1, no LOC01) cannot be judged under: %v", err)
		}
		if _, stderr := mustRun("mpi-spec"); !strings.Contains(stderr, "TPMAP preset") {
			t.Errorf("the refused spec was stored: %q", stderr)
		}
		os.WriteFile(spec, []byte(strings.Replace(mustReadFile(t, spec), "LOC01", "LOC99", 1)), 0o644)
		if _, _, err := run(t, env, "", "mpi-spec", "--set", spec); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).EN, "LOC99") {
			t.Errorf("a spec naming an indicator the set lacks: %v", err)
		}
	})
}

// With no database named, tambon template uses the tambon.db of the working
// directory when there is one.
func TestTemplateReadsTheDefaultDatabase(t *testing.T) {
	dir := t.TempDir()
	local, err := filepath.Abs(filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	env := map[string]string{}
	out, stderr, err := run(t, env, "", "template", "households", "--set", "bmn-2566-2570", "--format", "csv")
	if err != nil || !strings.Contains(stderr, "as built into tambon") || strings.Contains(out, "loc01") {
		t.Fatalf("no database: %v %q", err, stderr)
	}
	if _, _, err := run(t, env, "", "sets", "import", local); err != nil { // makes tambon.db
		t.Fatal(err)
	}
	out, stderr, err = run(t, env, "", "template", "households", "--set", "bmn-2566-2570", "--format", "csv")
	if err != nil || !strings.Contains(stderr, "version 2, the newest in the database") || !strings.Contains(out, "(loc01_sorts_waste)") {
		t.Errorf("with tambon.db: %v %q", err, stderr)
	}
}

func mustReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeExample stores n example households of หมู่ 4 in a round, judged by
// the set version the round is pinned to.
func writeExample(t *testing.T, dsn, round string, n int) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rd, err := s.Round(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), "70051304", n, 7), "test", nil); err != nil {
		t.Fatal(err)
	}
}

// exampleCSV writes n complete example households of หมู่ 4 in the columns
// of a round's template, surveyed in the past.
func exampleCSV(t *testing.T, dsn, round string, n int) []byte {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rd, err := s.Round(ctx, round)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	var hs []*survey.Household
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	for _, h := range surveyfile.Example(eng.Set(), "70051304", 3*n, 8) {
		born := false
		for _, m := range h.Members {
			born = born || m.BirthDate.After(day)
		}
		if !born && len(hs) < n {
			h.Status, h.SurveyDate = survey.Complete, day
			hs = append(hs, h)
		}
	}
	var buf bytes.Buffer
	w := tabular.NewCSVWriter(&buf)
	if err := surveyfile.Write(w, eng.Set(), hs); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}
