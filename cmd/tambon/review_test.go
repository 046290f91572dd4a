package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// `tambon review` shows the completeness checklist and refuses to submit an
// incomplete tambon, listing why in Thai and English; --override with a
// reason takes the step and the audit log keeps the reason.
func TestReviewChecklistCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db"), "USER": "officer"}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")

	out := must("review", "--round", "bmn-2561", "--area", "700513")
	for _, want := range []string{"70051304", "no earlier round", "not complete", "no households at all in this round", "ยังไม่มีครัวเรือนในรอบนี้เลย", "ENTERED BY"} {
		if !strings.Contains(out, want) {
			t.Errorf("checklist lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Moo 4 ") && strings.Contains(line, "no households at all") {
			t.Errorf("หมู่ 4 has households but is listed as empty: %s", line)
		}
	}
	stdout, stderr, err := run(t, env, "", "review", "--round", "bmn-2561", "--area", "700513", "--step", "submit")
	if err == nil || !strings.Contains(describe(err), "override") || !strings.Contains(stderr, "no households at all") || !strings.Contains(stderr, "ยังไม่มีครัวเรือน") {
		t.Fatalf("submit of an incomplete tambon: %v\n%s\n%s", err, stdout, stderr)
	}
	if out := must("review", "--round", "bmn-2561", "--area", "700513"); strings.Contains(out, "submitted") {
		t.Errorf("the refused step was recorded:\n%s", out)
	}
	out = must("review", "--round", "bmn-2561", "--area", "700513", "--step", "submit", "--override", "หมู่อื่นสำรวจรอบหน้า")
	if !strings.Contains(out, "submitted") || !strings.Contains(out, "หมู่อื่นสำรวจรอบหน้า") {
		t.Errorf("submit with override:\n%s", out)
	}
	log := must("audit", "--action", "round.override")
	if !strings.Contains(log, "officer") || !strings.Contains(log, "หมู่อื่นสำรวจรอบหน้า") || !strings.Contains(log, "no households at all") {
		t.Errorf("audit:\n%s", log)
	}
	// Returning is never gated.
	must("review", "--round", "bmn-2561", "--area", "700513", "--step", "return", "--comment", "แก้หมู่ 4")
}
