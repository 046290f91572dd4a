package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tambon/internal/village"
)

// TestEmptyVillageRoundDoesNotHideData opens a new กชช. 2ค round with no
// village entered: the area page and /villages/ keep showing the newest
// round that has villages, and say which round that is.
func TestEmptyVillageRoundDoesNotHideData(t *testing.T) {
	app := mustHouseholdApp(t)
	set := seedVillages(t, app.store)
	if err := app.store.CreateVillageRound(context.Background(), village.Round{ID: "kcc2k-2568", SurveyYear: 2568, SetID: set.ID}); err != nil {
		t.Fatal(err)
	}
	c := app.as(t, "")
	status, _, h := c.get("/villages/")
	if status != http.StatusSeeOther || h.Get("Location") != "/villages/"+villageRound2562+"/TH" {
		t.Errorf("/villages/ goes to %d %q, want the 2562 round (the newest with villages)", status, h.Get("Location"))
	}
	for _, code := range []string{"70", "700513", "70051304"} {
		status, body, _ := c.get("/areas/" + code)
		if status != http.StatusOK {
			t.Fatalf("area %s: %d", code, status)
		}
		if !strings.Contains(body, "กชช. 2ค ปี 2562") || strings.Contains(body, "ปี 2568") {
			t.Errorf("area %s: the panel does not show the 2562 round", code)
		}
		if !strings.Contains(body, `id="kcc-shown">แสดงข้อมูลรอบ กชช. 2ค ปี 2562`) {
			t.Errorf("area %s does not say which กชช. 2ค round it shows", code)
		}
	}
	// An area nobody surveyed in any round still gets the newest round.
	_, body, _ := c.get("/areas/10")
	if !strings.Contains(body, "ปี 2568") {
		t.Error("an area without village data does not show the newest round")
	}
}

// TestPagesSayWhichRoundTheyShow: the จปฐ. pages name the round shown and,
// when none was asked for, that it is the latest with data.
func TestPagesSayWhichRoundTheyShow(t *testing.T) {
	ts := mustServer(t)
	for _, tc := range []struct{ path, want string }{
		{"/areas/700513", `id="round-shown">แสดงข้อมูลรอบ จปฐ. ปี 2562 <span class="muted">(รอบล่าสุดที่มีข้อมูลของพื้นที่นี้)`},
		{"/areas/700513?round=" + round2561, `id="round-shown">แสดงข้อมูลรอบ จปฐ. ปี 2561</p>`},
		{"/areas/70?lang=en", `id="round-shown">Showing round BMN 2562`},
		{"/areas/70/poverty", `id="round-shown">`},
	} {
		status, body, _ := get(t, ts, tc.path)
		if status != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, lacks %q", tc.path, status, tc.want)
		}
	}
}
