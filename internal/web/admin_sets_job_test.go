package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/web"
)

// heldStore is a store whose threshold recomputes wait, once they have read
// the round, until the test lets them go on, and then fail to store the
// result as a busy database would.
type heldStore struct {
	*store.Store
	read, release chan struct{}
}

func (h *heldStore) RecomputeRound(ctx context.Context, round string, eng *engine.Engine, progress func(done, total int)) (*store.Recomputed, error) {
	rc, err := h.Store.RecomputeRound(ctx, round, eng, progress)
	h.read <- struct{}{}
	<-h.release
	return rc, err
}

func (h *heldStore) RepinRecomputed(ctx context.Context, rc *store.Recomputed, from, to int) error {
	return apperr.New(apperr.Unavailable, apperr.T("ฐานข้อมูลไม่ว่าง", "the database is busy"))
}

// While a threshold change is recomputed the page shows the households done
// (and refreshes itself without JavaScript), its JSON status says the same,
// a second change is refused; a recompute that fails leaves every round on
// its version with its figures and says why in Thai and English.
func TestThresholdJobProgressAndFailure(t *testing.T) {
	held := &heldStore{read: make(chan struct{}), release: make(chan struct{})}
	app := mustAdminAppWith(t, func(cfg *web.Config) {
		held.Store = cfg.Store.(*store.Store)
		cfg.Store = held
	})
	ctx := context.Background()
	admin := app.as(t, "admin")
	rd, err := app.store.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := app.store.AllTotals(ctx, mustRoundEngine(t, rd), rd.ID)
	form := url.Values{"set": {rd.SetID}, "name": {"income_threshold"}, "year": {"2562"}, "value": {"90000"}}
	status, body, h := admin.post("/admin/sets/threshold", form)
	mustStatus(t, "threshold", status, http.StatusSeeOther, body)
	loc := h.Get("Location")
	<-held.read // the first round is read; its repin waits
	st := jobStatus(t, admin, loc)
	households, _ := app.store.CountHouseholds(ctx, st.Round, "TH")
	if st.State != "running" || st.Round == "" || households == 0 || st.Done != households || st.Total != households {
		t.Errorf("while the first round waits: %+v, want %d households of it done", st, households)
	}
	_, page, _ := admin.get(loc)
	for _, want := range []string{`data-job="` + st.ID + `"`, `http-equiv="refresh"`, `id="threshold-job-progress"`, st.Round} {
		if !strings.Contains(page, want) {
			t.Errorf("the running job's page lacks %s", want)
		}
	}
	status, body, _ = admin.post("/admin/sets/threshold", url.Values{"set": {rd.SetID}, "name": {"income_threshold"}, "year": {"2562"}, "value": {"1"}})
	if status != http.StatusConflict || !strings.Contains(body, `id="sets-error"`) {
		t.Errorf("a second change while one runs: %d", status)
	}
	close(held.release)
	go func() { // later rounds, if any, are read and let go at once
		for range held.read {
		}
	}()
	st = waitThresholdJob(t, admin, loc)
	if st.State != "failed" || st.Message.TH != "ฐานข้อมูลไม่ว่าง" || st.Message.EN != "the database is busy" || len(st.Moved) != 0 {
		t.Errorf("the failed job: %+v", st)
	}
	_, page, _ = admin.get(loc)
	for _, want := range []string{`id="threshold-job-failed"`, "ฐานข้อมูลไม่ว่าง", "the database is busy"} {
		if !strings.Contains(page, want) {
			t.Errorf("the failed job's page lacks %s", want)
		}
	}
	if strings.Contains(page, "data-job=") {
		t.Error("the failed job's page still polls")
	}
	rd, _ = app.store.Round(ctx, round2562)
	if rd.SetVersion != 1 {
		t.Errorf("the failed recompute moved the round to version %d", rd.SetVersion)
	}
	after, _ := app.store.AllTotals(ctx, mustRoundEngine(t, rd), rd.ID)
	for code, want := range before {
		if !after[code].Equal(want) {
			t.Errorf("area %s: the failed recompute changed the figures", code)
		}
	}
	if status, _, _ := app.as(t, "tambon").get("/admin/sets/jobs/" + st.ID); status == http.StatusOK {
		t.Error("an account that may not open rounds read the job")
	}
}
