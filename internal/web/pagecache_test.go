package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/surveyfile"
)

// A cached area page is served while nothing changed, and a household write
// makes the next view fresh: the figures stay live.
func TestPageCacheStaysLive(t *testing.T) {
	app := mustHouseholdApp(t)
	c := app.as(t, "")
	path := "/areas/70051304?round=" + round2562
	_, first, h1 := c.get(path)
	_, second, h2 := c.get(path)
	if h1.Get("X-Tambon-Cache") == "hit" || h2.Get("X-Tambon-Cache") != "hit" || first != second {
		t.Fatalf("the second view was not served from the cache (%q, %q)", h1.Get("X-Tambon-Cache"), h2.Get("X-Tambon-Cache"))
	}
	ctx := context.Background()
	r, _ := app.store.Round(ctx, round2562)
	eng, _ := engine.ForRound(r)
	before, _ := app.store.AreaTotals(ctx, eng, round2562, "70051304")
	hs := surveyfile.Example(eng.Set(), "70051304", 3, 777)
	for _, h := range hs {
		h.RoundID = round2562
		h.SurveyDate = h.SurveyDate.AddDate(2562-2564, 0, 0)
	}
	if _, err := app.store.WriteHouseholds(ctx, eng, round2562, hs, "t", nil); err != nil {
		t.Fatal(err)
	}
	status, third, h3 := c.get(path)
	if status != http.StatusOK || h3.Get("X-Tambon-Cache") == "hit" {
		t.Fatalf("after a write the page came from the cache (%d)", status)
	}
	after, _ := app.store.AreaTotals(ctx, eng, round2562, "70051304")
	if after.Households != before.Households+3 {
		t.Fatalf("households %d → %d", before.Households, after.Households)
	}
	if !strings.Contains(third, `id="households">`) || third == second {
		t.Error("the page after the write is the same as before it")
	}
	// Signed-in pages are kept per account: another user never gets them.
	_, mine, _ := app.as(t, "tambon").get(path)
	_, theirs, hx := app.as(t, "moo4").get(path)
	if hx.Get("X-Tambon-Cache") == "hit" || mine == theirs {
		t.Error("one account's page was served to another")
	}
}
