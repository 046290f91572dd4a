package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/engine"
)

// The public portal never shows a count from 1 to 4: the results API, read
// signed out, holds no indicator whose surveyed or failed number is small,
// while a signed-in officer sees the true figures.
func TestPublicPortalSuppressesSmallCells(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	r, _ := app.store.Round(ctx, round2562)
	eng, _ := engine.ForRound(r)
	truth, err := app.store.AreaTotals(ctx, eng, round2562, "70051304")
	if err != nil {
		t.Fatal(err)
	}
	small := 0
	for _, c := range truth.Indicators {
		if f := c.Eligible - c.Passed; (c.Eligible > 0 && c.Eligible < 5) || (f > 0 && f < 5) {
			small++
		}
	}
	if small == 0 {
		t.Fatal("the fixture village has no small cell to hide: the test would prove nothing")
	}
	path := "/api/v1/areas/70051304/results?round=" + round2562
	num := regexp.MustCompile(`"(surveyed|failed)":(\d+)`)
	_, pub, _ := app.as(t, "").get(path)
	for _, m := range num.FindAllStringSubmatch(pub, -1) {
		if n, _ := strconv.Atoi(m[2]); n > 0 && n < 5 {
			t.Errorf("the public sees %s = %d", m[1], n)
		}
	}
	if n := strings.Count(pub, `"withheld":true`); n != small || !strings.Contains(pub, `"withheld_below":5`) {
		t.Errorf("the public results mark %d indicators withheld (want %d), or do not give the threshold", n, small)
	}
	_, officer, _ := app.as(t, "tambon").get(path)
	if strings.Contains(officer, `"withheld`) {
		t.Error("an officer's results withhold counts")
	}
	shown := 0
	for _, m := range num.FindAllStringSubmatch(officer, -1) {
		if n, _ := strconv.Atoi(m[2]); n > 0 && n < 5 {
			shown++
		}
	}
	if shown == 0 {
		t.Error("a signed-in officer does not see the small counts either")
	}
	_, page, _ := app.as(t, "").get("/areas/70051304?round=" + round2562)
	if !strings.Contains(page, `id="public-notice"`) {
		t.Error("the public page does not say that small counts are hidden")
	}
	// Where a count was hidden the table says "<5", not "nobody surveyed".
	if n := strings.Count(page, `class="muted withheld"`); n != small || !strings.Contains(page, `>&lt;5</td>`) {
		t.Errorf("the public page marks %d indicators withheld (want %d) or shows no <5", n, small)
	}
	if _, rep, _ := app.as(t, "").get("/areas/70051304/report?round=" + round2562); !strings.Contains(rep, `>&lt;5</td>`) {
		t.Error("the public printable report does not show <5 where it hid a count")
	}
	_, signedIn, _ := app.as(t, "tambon").get("/areas/70051304?round=" + round2562)
	if strings.Contains(signedIn, `class="muted withheld"`) {
		t.Error("a signed-in officer's page withholds counts")
	}
}
