package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/openrosa"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// TestAuthorisationMatrix walks every GET route of the application (read
// from the package's source, so a new route is walked without anyone
// remembering to add it) × every role × an area inside and outside the
// account's scope, and fails on any leak: a server error, a household page
// answered to an account that may not see it, or a citizen ID in any
// response (they are shown only after an audited reveal, or in the edit
// form to those who may edit them, whose opening is audited as a reveal).
// The ids inside forms are walked by TestFormReferencesAreScoped and
// TestEveryFormReferenceIsScoped (authz_refs_test.go).
func TestAuthorisationMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { authorisationMatrix(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		authorisationMatrix(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, dsn))))
	})
}

func authorisationMatrix(t *testing.T, app *householdApp) {
	ctx := context.Background()
	seedVillages(t, app.store) // กชช. 2ค rounds: village_test.go
	// One household inside หมู่ 4 and one in หมู่ 1, with every citizen ID.
	target := map[string]survey.Record{}
	ids := map[string][]string{}
	for _, v := range []string{"70051304", "70051301"} {
		app.store.EachHousehold(ctx, round2562, v, func(r survey.Record) error {
			if _, ok := target[v]; !ok {
				target[v] = r
			}
			for _, m := range r.Household.Members {
				ids[v] = append(ids[v], m.CitizenID, thai.FormatCitizenID(m.CitizenID))
			}
			return nil
		})
		if _, ok := target[v]; !ok {
			t.Fatalf("the fixture has no household in %s", v)
		}
	}
	// A live device of the enumerator, for the revoke route below.
	moo4, err := app.store.UserByName(ctx, "moo4")
	if err != nil {
		t.Fatal(err)
	}
	nd, _, hash := openrosa.NewDevice(moo4, "matrix phone", "test")
	dev, err := app.store.CreateDevice(ctx, nd, hash)
	if err != nil {
		t.Fatal(err)
	}
	roundsBefore, _ := app.store.Rounds(ctx)
	vroundsBefore, _ := app.store.VillageRounds(ctx)
	var routes []string
	for _, src := range sources(t) {
		for _, m := range regexp.MustCompile(`"GET (/[^"]*)"`).FindAllStringSubmatch(src, -1) {
			routes = append(routes, m[1])
		}
	}
	if len(routes) < 15 {
		t.Fatalf("found only %d GET routes", len(routes))
	}
	fill := func(route, village string, rec survey.Record) string {
		r := strings.NewReplacer("{code}", village, "{tambon}", village[:6], "{round}", round2562, "{id}", strconv.FormatInt(rec.ID, 10),
			"{ind}", "22", "{level}", "subdistrict", "{province}", "70", "{vround}", villageRound2562, "{$}", "",
			"{plan}", "1", "{item}", "1", "{ev}", "1", "{prog}", "1").Replace(route)
		if strings.HasSuffix(r, "/static/") {
			r += "css/app.css"
		}
		if strings.HasPrefix(r, "/geo/") && !strings.HasSuffix(r, ".json") {
			r += ".json"
		}
		return r
	}
	private := regexp.MustCompile(`^/(households|rounds/[^/]+/(households|import|areas/[^/]+/(households|review))|imports|templates)`)
	accounts := append([]user.User{{}}, hhUsers...)
	walked := 0
	for _, u := range accounts {
		c := app.as(t, u.Username)
		for _, route := range routes {
			for village, rec := range target {
				path := fill(route, village, rec)
				status, body, _ := c.get(path)
				walked++
				who := u.Username
				if who == "" {
					who = "(signed out)"
				}
				if status >= 500 {
					t.Errorf("%s GET %s: %d", who, path, status)
				}
				// Only the edit form, for accounts that may edit there (and
				// its opening is audited), carries the IDs unmasked.
				editing := strings.HasSuffix(path, "/edit") && u.Username != "" && u.CanAt(user.EditHouseholds, village)
				for _, id := range ids[village] {
					if id != "" && !editing && strings.Contains(body, id) {
						t.Errorf("%s GET %s shows the citizen ID %s unmasked", who, path, id)
					}
				}
				if strings.HasPrefix(path, "/villages/") && strings.HasSuffix(path, "/edit") && status == http.StatusOK &&
					!(u.Username != "" && u.CanAt(user.EditHouseholds, village)) {
					t.Errorf("%s may not enter กชช. 2ค data for %s, but GET %s answered 200", who, village, path)
				}
				if private.MatchString(path) && strings.Contains(path, "/households") && path != "/templates/households.xlsx" {
					allowed := u.Username != "" && u.CanAt(user.ViewHouseholds, village)
					if !allowed && status == http.StatusOK {
						t.Errorf("%s may not see households of %s, but GET %s answered 200", who, village, path)
					}
				}
			}
		}
		// Revealing personal data is refused outside the account's rights.
		for village, rec := range target {
			status, body, _ := c.post("/households/"+strconv.FormatInt(rec.ID, 10)+"/reveal", url.Values{})
			allowed := u.Username != "" && u.CanAt(user.RevealPersonal, village)
			leaked := false
			for _, id := range ids[village] {
				leaked = leaked || (id != "" && strings.Contains(body, id))
			}
			if !allowed && (status == http.StatusOK || leaked) {
				t.Errorf("%s revealed %s's personal data: %d, leaked=%v", u.Username, village, status, leaked)
			}
		}
	}
	// Opening survey rounds and making or revoking field devices are for
	// administrators only: every other account (and the signed-out) is
	// refused, and nothing is written.
	adminPosts := []struct {
		path string
		form url.Values
	}{
		{"/admin/rounds/household", url.Values{"survey_year": {"2567"}}},
		{"/admin/rounds/village", url.Values{"survey_year": {"2566"}}},
		{"/admin/devices", url.Values{"username": {"moo4"}, "name": {"matrix"}}},
		{"/admin/devices/" + strconv.FormatInt(dev.ID, 10) + "/revoke", url.Values{}},
		{"/admin/tokens", url.Values{"name": {"matrix"}, "role": {"viewer"}, "area_code": {"70"}, "expires": {"2026-12-31"}}},
	}
	for _, u := range accounts {
		c := app.as(t, u.Username)
		for _, p := range adminPosts {
			status, _, _ := c.post(p.path, p.form)
			allowed := u.Username != "" && (u.CanAt(user.ManageRounds, "TH") || u.Can(user.ManageUsers))
			if !allowed && status < 400 {
				t.Errorf("%q POST %s: %d, want a refusal", u.Username, p.path, status)
			}
		}
	}
	roundsAfter, _ := app.store.Rounds(ctx)
	vroundsAfter, _ := app.store.VillageRounds(ctx)
	if len(roundsAfter) != len(roundsBefore) || len(vroundsAfter) != len(vroundsBefore) {
		t.Errorf("refused accounts opened rounds: %d → %d household, %d → %d village", len(roundsBefore), len(roundsAfter), len(vroundsBefore), len(vroundsAfter))
	}
	if ts, _ := app.store.Tokens(ctx); len(ts) > 1 {
		t.Errorf("refused accounts issued tokens: %+v", ts)
	}
	if ds, _ := app.store.Devices(ctx, ""); len(ds) != 1 || !ds[0].RevokedAt.IsZero() {
		t.Errorf("refused accounts made or revoked devices: %+v", ds)
	}
	t.Logf("walked %d requests over %d routes", walked, len(routes))
}
