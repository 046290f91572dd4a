package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// The administrator's sets page lists every version with the rounds on it,
// gives the stored file back byte for byte, refuses a broken upload with
// where and why and stores nothing, imports a changed file as a new version
// (the round keeps its version), and sets a threshold, recomputing the round
// that used the set so that its statistics equal a recompute from scratch.
func TestAdminSetsPage(t *testing.T) {
	app := mustAdminApp(t)
	ctx := context.Background()
	admin := app.as(t, "admin")
	status, body, _ := admin.get("/admin/sets")
	mustStatus(t, "sets page", status, http.StatusOK, body)
	for _, want := range []string{`id="set-bmn-2560-2564-v1"`, `id="set-bmn-2566-2570-v1"`, `id="set-kcc2k-2560-2564-v1"`, "<code>" + round2562 + "</code>",
		`href="/admin/sets/bmn-2566-2570/1.json"`, `action="/admin/sets"`, `action="/admin/sets/threshold"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the sets page lacks %s", want)
		}
	}
	status, file, h := admin.get("/admin/sets/bmn-2566-2570/1.json")
	builtin, _ := indicator.Lookup("bmn-2566-2570")
	if status != http.StatusOK || file != string(builtin.File()) || !strings.Contains(h.Get("Content-Disposition"), "bmn-2566-2570-v1.json") {
		t.Errorf("download: %d, equal to the built-in file: %v", status, file == string(builtin.File()))
	}

	broken := strings.Replace(file, `"type": "number"`, `"type": "text"`, 1)
	status, body = admin.postFile("/admin/sets", "file", "broken.json", []byte(broken), "note", "x")
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="sets-error"`) || !strings.Contains(body, "questions[") {
		t.Errorf("a broken upload: %d\n%.400s", status, body)
	}
	if vs, _ := app.store.SetVersions(ctx); len(vs) != 3 {
		t.Errorf("a refused upload stored a version: %d versions", len(vs))
	}

	// A threshold of the fixture round's set: a new version, and the round,
	// recomputed from its households, moves to it.
	rd, err := app.store.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	before, err := app.store.AllTotals(ctx, mustRoundEngine(t, rd), rd.ID)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ = admin.post("/admin/sets/threshold", url.Values{"set": {rd.SetID}, "name": {"no_such"}, "year": {"2562"}, "value": {"1"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "no_such") {
		t.Errorf("an unknown threshold: %d", status)
	}
	status, body, h = admin.post("/admin/sets/threshold", url.Values{"set": {rd.SetID}, "name": {"income_threshold"}, "year": {"2562"}, "value": {"1,000,000"}})
	mustStatus(t, "threshold", status, http.StatusSeeOther, body)
	job := waitThresholdJob(t, admin, h.Get("Location"))
	households, _ := app.store.CountHouseholds(ctx, job.Round, "TH")
	if job.State != "done" || households == 0 || job.Done != households || job.Total != households || !slices.Contains(job.Moved, round2562) {
		t.Errorf("the finished job: %+v, want every household of its last round (%d) done and %s moved", job, households, round2562)
	}
	_, body, _ = admin.get(h.Get("Location"))
	if !strings.Contains(body, `id="sets-done"`) || !strings.Contains(body, "<code>"+round2562+"</code>") || strings.Contains(body, "data-job=") {
		t.Errorf("after the threshold, the page does not say which round was recomputed:\n%.500s", body)
	}
	if rd, _ = app.store.Round(ctx, round2562); rd.SetVersion != 2 {
		t.Fatalf("the round is on version %d, want 2", rd.SetVersion)
	}
	eng := mustRoundEngine(t, rd)
	if v, _ := eng.Set().Threshold("income_threshold", 2562); v != 1_000_000 {
		t.Errorf("version 2's line is %v", v)
	}
	after, _ := app.store.AllTotals(ctx, eng, rd.ID)
	if after["TH"].Equal(before["TH"]) {
		t.Error("an income line of a million baht changed no figure")
	}
	fresh := recomputeAll(t, app.store, eng, rd.ID)
	for code, want := range fresh {
		if got, ok := after[code]; !ok || !got.Equal(want) {
			t.Errorf("area %s: stored statistics differ from a recompute", code)
		}
	}
	if status, body, _ := admin.get("/admin/audit?action=set.threshold"); status != http.StatusOK || !strings.Contains(body, "income_threshold") {
		t.Errorf("the threshold is not in the audit log: %d", status)
	}

	// A changed file is a new version; the round keeps its own.
	_, v2, _ := admin.get("/admin/sets/" + rd.SetID + "/2.json")
	changed := strings.Replace(v2, `"provisional": false`, `"provisional": true`, 1)
	if changed == v2 {
		t.Fatal("the fixture's set file has no provisional flag to change")
	}
	if status, body = admin.postFile("/admin/sets", "file", "set.json", []byte(changed), "note", "trial"); status != http.StatusSeeOther {
		t.Errorf("import: %d\n%.300s", status, body)
	}
	_, body, _ = admin.get("/admin/sets?done=import&set=" + rd.SetID + "&version=3")
	if !strings.Contains(body, `id="sets-done"`) || !strings.Contains(body, `id="set-`+rd.SetID+`-v3"`) || !strings.Contains(body, "trial") {
		t.Errorf("the page does not list version 3 with its note")
	}
	if rd, _ = app.store.Round(ctx, round2562); rd.SetVersion != 2 {
		t.Errorf("the round moved to version %d on an import", rd.SetVersion)
	}

	// Other accounts may not see or change the sets.
	n, _ := app.store.SetVersions(ctx)
	for _, who := range []string{"tambon", ""} {
		c := app.as(t, who)
		if status, body, _ := c.get("/admin/sets"); status == http.StatusOK || strings.Contains(body, "set-versions") {
			t.Errorf("%q GET /admin/sets: %d", who, status)
		}
		if status, _, _ := c.get("/admin/sets/" + rd.SetID + "/1.json"); status == http.StatusOK {
			t.Errorf("%q downloaded a set file", who)
		}
		c.post("/admin/sets/threshold", url.Values{"set": {rd.SetID}, "name": {"income_threshold"}, "year": {"2562"}, "value": {"5"}})
		c.postFile("/admin/sets", "file", "set.json", []byte(strings.Replace(changed, `"provisional": true`, `"provisional": false, "note": {"th": "x", "en": "y"}`, 1)))
	}
	if m, _ := app.store.SetVersions(ctx); len(m) != len(n) {
		t.Errorf("accounts that are not administrators stored %d versions", len(m)-len(n))
	}
}

// thresholdJobStatus is what /admin/sets/jobs/{id} answers.
type thresholdJobStatus struct {
	ID      string      `json:"id"`
	State   string      `json:"state"`
	Round   string      `json:"round"`
	Moved   []string    `json:"moved"`
	Done    int         `json:"done"`
	Total   int         `json:"total"`
	Message apperr.Text `json:"message"`
}

// jobStatus reads a threshold job's status, the job named by the page
// address the form redirected to.
func jobStatus(t *testing.T, c *client, location string) thresholdJobStatus {
	t.Helper()
	u, err := url.Parse(location)
	if err != nil || u.Query().Get("job") == "" {
		t.Fatalf("the form redirected to %q, not to a job", location)
	}
	status, body, _ := c.get("/admin/sets/jobs/" + u.Query().Get("job"))
	var st thresholdJobStatus
	if status != http.StatusOK || json.Unmarshal([]byte(body), &st) != nil {
		t.Fatalf("job status: %d %s", status, body)
	}
	return st
}

// waitThresholdJob polls a threshold job until it is no longer running.
func waitThresholdJob(t *testing.T, c *client, location string) thresholdJobStatus {
	t.Helper()
	for range 3000 {
		if st := jobStatus(t, c, location); st.State != "running" {
			return st
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the threshold job still runs after 30 s")
	return thresholdJobStatus{}
}

func mustRoundEngine(t *testing.T, rd survey.Round) *engine.Engine {
	t.Helper()
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// recomputeAll rebuilds a round's statistics from its stored households.
func recomputeAll(t *testing.T, s *store.Store, eng *engine.Engine, round string) map[string]*engine.Totals {
	t.Helper()
	ctx := context.Background()
	v, err := eng.Recompute(ctx, func(yield func(*survey.Household) bool) error {
		return s.EachHousehold(ctx, round, "TH", func(r survey.Record) error {
			yield(r.Household)
			return nil
		})
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	return engine.RollUp(v, eng.NewTotals)
}
