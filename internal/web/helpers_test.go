package web_test

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/web"
)

var embeddedTree = sync.OnceValues(area.Embedded)

func mustTree(tb testing.TB) *area.Tree {
	tb.Helper()
	t, err := embeddedTree()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// The fixture's rounds, as the demo has them: TPMAP's published figures for
// all of Ratchaburi, and two household rounds in ตำบลเขาขลุง.
const (
	roundTPMAP = "tpmap-2561"
	round2561  = "bmn-2561"
	round2562  = "bmn-2562"
)

// mustFixture opens a SQLite store holding the fixture's rounds.
func mustFixture(tb testing.TB) *store.Store {
	tb.Helper()
	return mustFixtureOn(tb, storetest.MustOpenSQLite(tb))
}

// mustFixtureOn fills an opened store (SQLite or PostgreSQL) with the fixture.
func mustFixtureOn(tb testing.TB, s *store.Store) *store.Store {
	tb.Helper()
	ctx := context.Background()
	tree := mustTree(tb)
	for _, r := range []survey.Round{
		{ID: roundTPMAP, Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564", AggregateOnly: true, Source: "TPMAP"},
		{ID: round2561, Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564"},
		{ID: round2562, Kind: survey.KindBMN, SurveyYear: 2562, SetID: "bmn-2560-2564"},
	} {
		if err := s.CreateRound(ctx, r); err != nil {
			tb.Fatal(err)
		}
	}
	// Published aggregates: indicator counts for every village of the
	// province, no poverty counts.
	r, _ := s.Round(ctx, roundTPMAP)
	eng, err := engine.ForRound(r)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(70, 2561))
	villages := map[string]*engine.Totals{}
	for _, a := range tree.All() {
		if a.Level != area.Village || !strings.HasPrefix(a.Code, "70") {
			continue
		}
		t := &engine.Totals{Households: 100 + rng.Int64N(150), Indicators: make([]engine.Count, len(eng.Set().Indicators))}
		t.People = t.Households * 3
		t.NetIncome = t.People * (40000 + rng.Int64N(60000))
		for i := range t.Indicators {
			el := t.Households
			if i%3 == 0 {
				el = t.People / (2 + int64(i%4))
			}
			t.Indicators[i] = engine.Count{Eligible: el, Passed: el - rng.Int64N(el/5+1)}
		}
		villages[a.Code] = t
	}
	all := engine.RollUp(villages, func() *engine.Totals { return &engine.Totals{} })
	if err := s.ReplaceTotals(ctx, roundTPMAP, all); err != nil {
		tb.Fatal(err)
	}
	// Households in four villages of เขาขลุง, two rounds.
	for i, id := range []string{round2561, round2562} {
		r, _ := s.Round(ctx, id)
		eng, err := engine.ForRound(r)
		if err != nil {
			tb.Fatal(err)
		}
		for v, village := range []string{"70051301", "70051302", "70051303", "70051304"} {
			hs := surveyfile.Example(eng.Set(), village, 12+3*v, uint64(10*i+v+1))
			for _, h := range hs {
				h.RoundID = id
			}
			if _, err := s.WriteHouseholds(ctx, eng, id, hs, "test", nil); err != nil {
				tb.Fatalf("households %s %s: %v", id, village, err)
			}
		}
	}
	return s
}

// mustServer starts the web application on a fresh fixture.
func mustServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	s := mustFixture(tb)
	srv, err := web.New(web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test", SmallCell: 1 /* the feature tests read as the public; suppression has its own test */})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// get fetches a path and returns the status, body and headers.
func get(tb testing.TB, ts *httptest.Server, path string, header ...string) (int, string, http.Header) {
	tb.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// sources returns the package's Go source files (not the tests) by name:
// tests that check every route read the route table from them, so a new
// route is covered without anyone remembering to list it.
func sources(tb testing.TB) map[string]string {
	tb.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[f] = string(b)
	}
	return out
}
