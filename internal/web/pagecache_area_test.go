package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
	"tambon/internal/web"
)

// Two server processes on one database, each with its own page cache: a
// write in one province refreshes, at both, exactly the pages of its own
// chain (village, tambon, amphoe, province) and the country's; the pages
// of another province, and of other amphoes of the same province, stay
// cached. Every page served, from the cache or not, is what a server that
// never cached anything renders.
func TestPageCacheFollowsTheWrittenArea(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "tambon.db")
		testPageCacheFollowsTheWrittenArea(t, storetest.MustOpenDSN(t, path), storetest.MustOpenDSN(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		testPageCacheFollowsTheWrittenArea(t, storetest.MustOpenDSN(t, dsn), storetest.MustOpenDSN(t, dsn))
	})
}

func testPageCacheFollowsTheWrittenArea(t *testing.T, sa, sb *store.Store) {
	ctx := context.Background()
	tree := mustTree(t)
	// Ratchaburi and one more province with villages.
	var other, otherVillage string
	for _, a := range tree.All() {
		if a.Level == area.Village && !strings.HasPrefix(a.Code, "70") {
			other, otherVillage = a.Code[:2], a.Code
			break
		}
	}
	var areas []area.Area
	for _, a := range tree.All() {
		if a.Code == area.CountryCode || strings.HasPrefix(a.Code, "70") || strings.HasPrefix(a.Code, other) {
			areas = append(areas, a)
		}
	}
	if _, err := sa.SyncAreas(ctx, areas, true); err != nil {
		t.Fatal(err)
	}
	mustFixtureOn(t, sa)
	appA := mustHouseholdAppOn(t, sa)
	newServer := func(s *store.Store) *httptest.Server {
		srv, err := web.New(web.Config{Store: s, Areas: tree, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: storetest.Now, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(web.HouseholdHandler(srv))
		t.Cleanup(ts.Close)
		return ts
	}
	tsB := newServer(sb)
	// An official (who sees unsuppressed figures), signed in once: the
	// session is in the database, so both servers know it.
	ca := appA.as(t, "province")
	cb := &client{tb: t, ts: tsB, c: ca.c}

	r, _ := sa.Round(ctx, round2562)
	eng, _ := engine.ForRound(r)
	write := func(s *store.Store, village string, seed uint64) {
		t.Helper()
		hs := surveyfile.Example(eng.Set(), village, 2, seed)
		for _, h := range hs {
			h.RoundID = round2562
			h.SurveyDate = h.SurveyDate.AddDate(2562-2564, 0, 0)
		}
		if _, err := s.WriteHouseholds(ctx, eng, round2562, hs, "t", nil); err != nil {
			t.Fatal(err)
		}
	}
	write(sb, otherVillage, 1)

	o := otherVillage
	pages := []string{"TH", "70", "7005", "700513", "70051304", "7001", other, o[:4], o[:6], o}
	url := func(code string) string { return "/areas/" + code + "?round=" + round2562 }
	// fresh is what a server that never cached renders now.
	fresh := func(code string) string {
		t.Helper()
		c := &client{tb: t, ts: newServer(sa), c: ca.c}
		_, body, _ := c.get(url(code))
		return body
	}
	var hits, misses int
	view := func(c *client, code string, wantHit bool, when string) string {
		t.Helper()
		status, body, h := c.get(url(code))
		hit := h.Get("X-Tambon-Cache") == "hit"
		if status != 200 || hit != wantHit {
			t.Errorf("%s: %s at %s: status %d, from the cache %v, want %v", when, code, c.ts.URL, status, hit, wantHit)
		}
		if hit {
			hits++
		} else {
			misses++
		}
		return body
	}
	for _, c := range []*client{ca, cb} {
		for _, code := range pages {
			view(c, code, false, "first view")
			view(c, code, true, "second view")
		}
	}
	before := map[string]string{}
	for _, code := range pages {
		before[code] = fresh(code)
	}

	check := func(when string, changed ...string) {
		t.Helper()
		isChanged := map[string]bool{}
		for _, c := range changed {
			isChanged[c] = true
		}
		for _, c := range []*client{ca, cb} {
			for _, code := range pages {
				body := view(c, code, !isChanged[code], when)
				want := fresh(code)
				if withoutPositions(body) != withoutPositions(want) {
					t.Errorf("%s: the page of %s at %s is not what a fresh render gives", when, code, c.ts.URL)
				}
				if isChanged[code] && withoutPositions(body) == withoutPositions(before[code]) {
					t.Errorf("%s: the page of %s did not change", when, code)
				}
				view(c, code, true, when+", again")
			}
		}
		for _, code := range pages {
			before[code] = fresh(code)
		}
	}
	// A write in the other province, at server B, refreshes its chain and
	// the country at both servers, and nothing in Ratchaburi.
	write(sb, o, 2)
	check("after a write in "+o, "TH", other, o[:4], o[:6], o)
	// A write in 70051304, at server A: its chain and the country only.
	write(sa, "70051304", 3)
	check("after a write in 70051304", "TH", "70", "7005", "700513", "70051304")
	if hits == 0 || misses == 0 {
		t.Fatalf("hits %d, misses %d", hits, misses)
	}
	t.Logf("%d hits, %d misses", hits, misses)
}

// mapPoints is the map's list of villages: their positions, the mean of
// their households' as a server read them in the last few minutes
// (villageGPS), may differ between two servers; the figures may not.
var mapPoints = regexp.MustCompile(`"lat":[0-9.]+,"lon":[0-9.]+,`)

func withoutPositions(page string) string { return mapPoints.ReplaceAllString(page, "") }
