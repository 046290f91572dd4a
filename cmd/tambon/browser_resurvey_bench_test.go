package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// TestMeasureWebFormsOpenTime measures ODK Web Forms opening the update
// form with a whole tambon's preload (2,000 households of last round in
// ตำบลเขาขลุง, the enumerator's area), and the time from choosing a
// household to its roster filled in; the median of TAMBON_BENCH_WEBFORMS
// runs is logged (docs/BENCHMARKS.md). It asserts nothing about time and
// is skipped unless that variable is set; it is not named TestBrowser…, so
// CI's browser step, which fails on any skipped browser test, leaves it out:
//
//	TAMBON_BENCH_WEBFORMS=7 go test ./cmd/tambon -run TestMeasureWebFormsOpenTime -v
func TestMeasureWebFormsOpenTime(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("TAMBON_BENCH_WEBFORMS"))
	if runs <= 0 {
		t.Skip("a measurement: set TAMBON_BENCH_WEBFORMS to the number of runs")
	}
	if _, err := os.Stat(filepath.Join(webClientDir, "node_modules", "@getodk", "web-forms", "dist", "index.js")); err != nil {
		t.Skip("ODK Web Forms test skipped: run `npm ci` in internal/openrosa/webclient (needs the npm registry)")
	}
	ctx := browserFor(t, time.Duration(runs)*4*time.Minute+2*time.Minute)
	db := tempDB(t)
	for _, args := range [][]string{
		{"round", "--db", db, "--year", "2563"},
		{"round", "--db", db, "--year", "2564"},
		{"user", "create", "--db", db, "--username", "khaokhlung", "--role", "enumerator", "--area", "700513", "--password", "khao-khlung-survey"},
	} {
		if _, errOut, err := run(t, nil, "", args...); err != nil {
			t.Fatalf("%v: %v %s", args, err, errOut)
		}
	}
	first := fillTambon(t, db, 2000)
	if _, errOut, err := run(t, nil, "", "user", "create", "--db", db, "--username", "onevillage", "--role", "enumerator",
		"--area", first.VillageCode, "--password", "one-village-survey"); err != nil {
		t.Fatalf("user: %v %s", err, errOut)
	}
	token := func(user string) string {
		out, errOut, err := run(t, nil, "", "device", "create", "--db", db, "--username", user, "--name", "bench")
		if err != nil {
			t.Fatalf("device: %v %s", err, errOut)
		}
		return regexp.MustCompile(`token \(shown once\): (\S+)`).FindStringSubmatch(out)[1]
	}
	accounts := []struct{ name, token string }{{"the whole tambon (2,000 households)", token("khaokhlung")}, {"one village", token("onevillage")}}
	base, _ := startApp(t, nil, "serve", "--db", db)
	target, _ := url.Parse(base)
	mux := http.NewServeMux()
	mux.Handle("/webclient/", http.StripPrefix("/webclient/", http.FileServer(http.Dir(webClientDir))))
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2].Round(time.Millisecond)
	}
	for _, acc := range accounts {
		page := front.URL + "/webclient/index.html?server=" + url.QueryEscape("/openrosa/key/"+acc.token)
		var opens, fills []time.Duration
		for i := 0; i < runs; i++ {
			start := time.Now()
			if err := chromedp.Run(ctx,
				chromedp.EmulateViewport(390, 844),
				chromedp.Navigate(page),
				chromedp.WaitVisible(`input[value="`+first.VillageCode+`"]`, chromedp.ByQuery),
			); err != nil {
				var st string
				chromedp.Run(ctx, chromedp.Text(`#status`, &st, chromedp.ByID))
				save(t, ctx, "webforms-open-time-failed.png")
				t.Fatalf("%v (page status %q)", err, st)
			}
			opens = append(opens, time.Since(start))
			if err := chromedp.Run(ctx,
				chromedp.Evaluate(webFormsHelpers, nil),
				chromedp.Evaluate(`tambonChoose("หมู่บ้าน", `+jsString(first.VillageCode)+`)`, nil),
				chromedp.WaitVisible(`input[value="`+first.Key()+`"]`, chromedp.ByQuery),
			); err != nil {
				t.Fatal(err)
			}
			start = time.Now()
			if err := chromedp.Run(ctx,
				chromedp.Evaluate(`tambonChoose("ครัวเรือนจากการสำรวจรอบที่แล้ว", `+jsString(first.Key())+`)`, nil),
				chromedp.Evaluate(`tambonChoose("ผลการเยี่ยมครัวเรือน", "interviewed")`, nil),
				chromedp.Poll(`(tambonContainer("ชื่อ")?.querySelector('input') ?? {}).value === `+jsString(first.Members[0].FirstName), nil),
			); err != nil {
				t.Fatal(err)
			}
			fills = append(fills, time.Since(start))
		}
		t.Logf("%s, %d runs: form open median %v (all %v); household chosen → roster filled median %v (all %v)",
			acc.name, runs, median(opens), opens, median(fills), fills)
	}
}

// fillTambon stores n households of round bmn-2563 over the villages of
// ตำบลเขาขลุง and returns the first.
func fillTambon(t *testing.T, db string, n int) *survey.Household {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rd, err := s.Round(ctx, "bmn-2563")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var villages []string
	for _, a := range tree.Children("700513") {
		if a.Level == area.Village {
			villages = append(villages, a.Code)
		}
	}
	var first *survey.Household
	for i, v := range villages {
		k := n / len(villages)
		if i < n%len(villages) {
			k++
		}
		hs := surveyfile.Example(eng.Set(), v, k, 2563)
		for _, h := range hs {
			h.RoundID = rd.ID
		}
		if _, err := s.WriteHouseholds(ctx, eng, rd.ID, hs, "seed", nil); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = hs[0]
		}
	}
	return first
}
