package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// tambon round and tambon villages round follow the shared rules (package
// rounds) and write the audit log as the web page does.
func TestRoundCommandsAuditAndRefuse(t *testing.T) {
	env := map[string]string{"TAMBON_DB": filepath.Join(t.TempDir(), "t.db"), "USER": "somsak"}
	out, _, err := run(t, env, "", "round", "--year", "2567")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "created round bmn-2567: จปฐ. 2567 (describes 2566), indicator set bmn-2566-2570") {
		t.Errorf("round: %s", out)
	}
	if _, _, err := run(t, env, "", "villages", "round", "--year", "2566"); err != nil {
		t.Fatal(err)
	}
	log, _, err := run(t, env, "", "audit")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"somsak  round.create", "round:bmn-2567", "village-round.create", "village-round:kcc2k-2566"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, log)
		}
	}
	for _, args := range [][]string{{"round", "--year", "2024"}, {"villages", "round", "--year", "2024"}, {"round", "--year", "2567", "--id", "Bad Id"}} {
		_, _, err := run(t, env, "", args...)
		if err == nil || !strings.Contains(describe(err), "Buddhist Era") && !strings.Contains(describe(err), "round id") {
			t.Errorf("%v: %v", args, err)
		}
	}
	// A second bmn-2567 is a conflict, named.
	if _, _, err := run(t, env, "", "round", "--year", "2567"); err == nil || !strings.Contains(describe(err), "bmn-2567 exists already") {
		t.Errorf("duplicate round: %v", err)
	}
}
