package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The PDPA commands end to end: an erasure is shown before it is done, the
// statistics pass `tambon check` after a member's and a household's
// erasure, and retention on a certified tambon leaves every figure as it was.
func TestPDPACommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db"), "USER": "dpo"}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")
	b, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	var cids []string // whole cells of 13 digits
	for _, m := range regexp.MustCompile(`(?m)(?:^|,)(\d{13})(?:,|$)`).FindAllStringSubmatch(string(b), -1) {
		cids = append(cids, m[1])
	}
	if len(cids) < 2 {
		t.Fatalf("no citizen IDs in the generated file")
	}
	if _, _, err := run(t, env, "", "pdpa", "erase", "--round", "bmn-2561", "--citizen-id", cids[0]); err == nil || !strings.Contains(describe(err), "reason") {
		t.Errorf("erasure without a reason: %v", err)
	}
	out := must("pdpa", "erase", "--round", "bmn-2561", "--citizen-id", cids[0], "--reason", "request 1/2569")
	if !strings.Contains(out, "would erase member") || !strings.Contains(out, "--yes") {
		t.Errorf("dry run: %s", out)
	}
	if !strings.Contains(must("check", "--round", "bmn-2561"), "equal a recompute") {
		t.Fatal("check before")
	}
	out = must("pdpa", "erase", "--round", "bmn-2561", "--citizen-id", cids[0], "--reason", "request 1/2569", "--yes")
	if !strings.Contains(out, "erased member") {
		t.Errorf("erase: %s", out)
	}
	must("check", "--round", "bmn-2561")
	out = must("pdpa", "erase", "--round", "bmn-2561", "--citizen-id", cids[len(cids)-1], "--whole", "--reason", "request 2/2569", "--yes")
	if !strings.Contains(out, "erased household") {
		t.Errorf("erase a household: %s", out)
	}
	must("check", "--round", "bmn-2561")
	log := must("audit", "--action", "pdpa.erase_member")
	if !strings.Contains(log, "dpo") || !strings.Contains(log, "1/2569") || strings.Contains(log, cids[0]) {
		t.Errorf("audit: %s", log)
	}

	for _, step := range []string{"submit", "verify", "certify"} {
		// Only หมู่ 4 is surveyed: the other villages are overridden.
		must("review", "--round", "bmn-2561", "--area", "700513", "--step", step, "--override", "test: one village only")
	}
	must("pdpa", "retention", "--round", "bmn-2561", "--months", "0")
	if out := must("pdpa", "retain", "--round", "bmn-2561"); !strings.Contains(out, "700513") || !strings.Contains(out, "due") {
		t.Errorf("retain list: %s", out)
	}
	before := must("results", "--round", "bmn-2561", "--area", "700513")
	out = must("pdpa", "retain", "--round", "bmn-2561", "--apply")
	if !strings.Contains(out, "[700513]") {
		t.Errorf("retain: %s", out)
	}
	if after := must("results", "--round", "bmn-2561", "--area", "700513"); after != before {
		t.Errorf("results changed by retention:\n%s\n%s", before, after)
	}
	must("check", "--round", "bmn-2561")
	if out := must("pdpa", "retain", "--round", "bmn-2561"); !strings.Contains(out, "pseudonymised") {
		t.Errorf("retain list after: %s", out)
	}
	exported := filepath.Join(dir, "export.csv")
	must("export", "households", "--round", "bmn-2561", "--area", "700513", "--out", exported)
	b, _ = os.ReadFile(exported)
	for _, id := range cids {
		if strings.Contains(string(b), id) {
			t.Fatalf("an export after retention still has the citizen ID %s", id)
		}
	}
}

// A person's request covers every round they are in: `--round all` finds
// the citizen ID in each household round, shows each, and erases it from
// each, with the statistics of both rounds still equal to a recompute.
func TestPDPAEraseEveryRound(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db"), "USER": "dpo"}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	must("round", "--year", "2562")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")
	// A year later most households answer alike; those whose answers no
	// longer fit (a child grown out of a question) are left out.
	// The command says so by failing, after writing the valid ones.
	if out, _, _ := run(t, env, "", "import", "households", gen, "--round", "bmn-2562", "--skip-invalid"); !strings.Contains(out, "households inserted") {
		t.Fatalf("import into bmn-2562: %s", out)
	}
	b, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, env, "", "pdpa", "erase", "--round", "all", "--reason", "r"); err == nil || !strings.Contains(describe(err), "--citizen-id") {
		t.Errorf("--round all without a citizen ID: %v", err)
	}
	cid := ""
	for _, m := range regexp.MustCompile(`(?m)(?:^|,)(\d{13})(?:,|$)`).FindAllStringSubmatch(string(b), -1) {
		out := must("pdpa", "erase", "--round", "all", "--citizen-id", m[1], "--reason", "request 3/2569")
		if strings.Contains(out, "from round bmn-2561") && strings.Contains(out, "from round bmn-2562") {
			cid = m[1]
			break
		}
	}
	if cid == "" {
		t.Fatal("no citizen ID is in both rounds: the test would prove nothing")
	}
	out := must("pdpa", "erase", "--round", "all", "--citizen-id", cid, "--reason", "request 3/2569", "--yes")
	if strings.Count(out, "erased member") != 2 {
		t.Errorf("erase from every round: %s", out)
	}
	must("check", "--round", "bmn-2561")
	must("check", "--round", "bmn-2562")
	if _, _, err := run(t, env, "", "pdpa", "erase", "--round", "all", "--citizen-id", cid, "--reason", "again"); err == nil {
		t.Error("the erased citizen ID is still found in some round")
	}
}
