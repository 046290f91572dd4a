package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
)

// An installation's own MPI spec is stored, used by every figure, and the
// rounds are recomputed under it; an invalid spec changes nothing.
func TestInstallationMPISpec(t *testing.T) {
	t.Cleanup(func() { engine.UsePoverty(nil) })
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	for _, args := range [][]string{{"round", "--year", "2561"}, {"gen", "--area", "70051304", "--round", "bmn-2561"}} {
		if _, _, err := run(t, env, "", args...); err != nil {
			t.Fatal(err)
		}
	}
	shown, _, err := run(t, env, "", "mpi-spec")
	if err != nil || !strings.Contains(shown, `"k": "1/20"`) {
		t.Fatalf("the preset: %v\n%.300s", err, shown)
	}
	custom := strings.Replace(strings.Replace(shown, `"k": "1/20"`, `"k": "1/5"`, 1), `"id": "tpmap-bmn-2560-2564"`, `"id": "khaokhlung-local"`, 1)
	file := filepath.Join(dir, "spec.json")
	os.WriteFile(file, []byte(custom), 0o644)
	out, _, err := run(t, env, "", "mpi-spec", "--set", file)
	if err != nil || !strings.Contains(out, "round bmn-2561 recomputed") {
		t.Fatalf("set: %v %s", err, out)
	}
	res, _, err := run(t, env, "", "results", "--round", "bmn-2561", "--area", "70051304", "--format", "json")
	if err != nil || !strings.Contains(res, `"k": "1/5"`) {
		t.Errorf("results do not use the installation's k: %v\n%.200s", err, res)
	}
	if out, _, err := run(t, env, "", "check", "--round", "bmn-2561"); err != nil {
		t.Errorf("check under the new spec: %v %s", err, out)
	}
	bad := strings.Replace(custom, `"k": "1/5"`, `"k": "7/5"`, 1)
	os.WriteFile(file, []byte(bad), 0o644)
	if _, _, err := run(t, env, "", "mpi-spec", "--set", file); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an invalid spec: %v", err)
	}
	if shown, _, _ := run(t, env, "", "mpi-spec"); !strings.Contains(shown, "khaokhlung-local") {
		t.Error("a refused spec replaced the stored one")
	}
}
