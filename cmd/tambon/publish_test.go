package main

import (
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

// serve publishes certified tambons only unless told --publish all; the
// demo's setting is all. A bad value is refused.
func TestServePublishSetting(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	env := map[string]string{"TAMBON_DB": db}
	must := func(args ...string) {
		t.Helper()
		if out, errOut, err := run(t, env, "", args...); err != nil {
			t.Fatalf("tambon %s: %v\n%s\n%s", strings.Join(args, " "), err, out, errOut)
		}
	}
	must("round", "--year", "2561")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")

	const api = "/api/v1/areas/700513/results"
	base, _ := startApp(t, nil, "serve", "--db", db)
	if code, body, _ := get(t, base+api); code != 404 {
		t.Errorf("default (certified): the public gets %d for an uncertified tambon:\n%.300s", code, body)
	}
	if code, body, _ := get(t, base+"/areas/700513"); code != 200 || !strings.Contains(body, `id="coverage-unpublished"`) {
		t.Errorf("default (certified): the public page (%d) does not say the tambon's figures wait for certification", code)
	}
	base, _ = startApp(t, map[string]string{"TAMBON_PUBLISH": "all"}, "serve", "--db", db)
	if code, body, _ := get(t, base+api); code != 200 || !strings.Contains(body, `"status":"provisional"`) {
		t.Errorf("TAMBON_PUBLISH=all: %d, want the figures marked provisional:\n%.300s", code, body)
	}
	for _, step := range []string{"submit", "verify", "certify"} {
		must("review", "--round", "bmn-2561", "--area", "700513", "--step", step, "--override", "หมู่ 4 เท่านั้นในการทดสอบ")
	}
	base, _ = startApp(t, nil, "serve", "--db", db, "--publish", "certified")
	if code, body, _ := get(t, base+api); code != 200 || !strings.Contains(body, `"status":"certified"`) {
		t.Errorf("after certification: %d:\n%.300s", code, body)
	}
	if _, _, err := run(t, nil, "", "serve", "--db", db, "--publish", "some", "--addr", "127.0.0.1:0"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("--publish some: %v, want invalid", err)
	}
}
