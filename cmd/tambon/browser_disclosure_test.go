package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A visitor who is not signed in reads the demo's tambon, province and
// poverty pages: the poverty index is there at every level, hidden figures
// say "ซ่อนไว้" in the tables and in the charts (never "no data" or 0), and
// the page says why.
func TestBrowserPublicFiguresHidden(t *testing.T) {
	ctx := browser(t)
	db := os.Getenv("TAMBON_TEST_DEMO_DB") // a demo database built before, to look again quickly
	if db == "" {
		db = tempDB(t)
	}
	base, _ := startApp(t, nil, "demo", "--db", db)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	for _, pg := range []struct{ path, shot, ready string }{
		{"/areas/700513?round=bmn-2562", "disclosure-tambon.png", "figure.chart svg.chart-svg"},
		{"/areas/70?round=bmn-2562", "disclosure-province.png", "figure.chart svg.chart-svg"},
		{"/areas/700513/poverty?round=bmn-2562", "disclosure-poverty.png", "#measures"},
	} {
		var mpi, body string
		var hiddenMarks, chartHidden int
		err := chromedp.Run(ctx,
			chromedp.Navigate(base+pg.path),
			wait(pg.ready),
			chromedp.Text(`main`, &body, chromedp.ByQuery),
			chromedp.Evaluate(`(document.querySelector("#mpi, #measures") || {}).innerText || ""`, &mpi),
			chromedp.Evaluate(`document.querySelectorAll(".withheld").length`, &hiddenMarks),
			chromedp.Evaluate(`[...document.querySelectorAll("figure.chart text")].filter(e => e.textContent.startsWith("ซ่อนไว้")).length`, &chartHidden),
		)
		if err != nil {
			save(t, ctx, "failed-"+pg.shot)
			t.Fatalf("%s: %v", pg.path, err)
		}
		save(t, ctx, pg.shot)
		if !strings.Contains(mpi, "%") {
			t.Errorf("%s: the public sees no poverty index: %q", pg.path, mpi)
		}
		if strings.Contains(body, "ไม่มีข้อมูลรายคน") {
			t.Errorf("%s: says the round has no person-level data", pg.path)
		}
		if hiddenMarks == 0 {
			t.Errorf("%s: nothing is marked hidden", pg.path)
		}
		if strings.HasPrefix(pg.path, "/areas/700513?") && chartHidden == 0 {
			t.Errorf("%s: the chart does not say which bars are hidden", pg.path)
		}
	}
	// The map of a withheld village figure: drawn and named as hidden, and
	// the legend says so, never "no data".
	code := withheldIndicator(t, base+"/api/v1/areas/70051304/results?round=bmn-2562")
	var inJSON, named int
	var legend string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513?round=bmn-2562&map="+code+"#map"),
		wait("#map .map-svg"),
		chromedp.Evaluate(`JSON.parse(document.querySelector("#map script.map-points").textContent).filter(p => p.value === "hidden").length`, &inJSON),
		chromedp.Evaluate(`[...document.querySelectorAll("#map .map-point")].filter(a => (a.getAttribute("aria-label") || "").includes("ซ่อนไว้")).length`, &named),
		chromedp.Text(`#map .map-legend`, &legend, chromedp.ByQuery),
	)
	if err != nil {
		save(t, ctx, "failed-disclosure-map.png")
		t.Fatal(err)
	}
	save(t, ctx, "disclosure-map.png")
	if inJSON == 0 || named != inJSON || !strings.Contains(legend, "ซ่อนไว้") {
		t.Errorf("map of withheld indicator %s: %d villages hidden, %d named hidden, legend %q", code, inJSON, named, legend)
	}
}

// withheldIndicator is the code of an indicator the public results at url
// withhold.
func withheldIndicator(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Indicators []struct {
			Code     string `json:"code"`
			Withheld bool   `json:"withheld"`
		} `json:"indicators"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	for _, ind := range body.Indicators {
		if ind.Withheld {
			return ind.Code
		}
	}
	t.Fatalf("%s withholds nothing: the map check would prove nothing", url)
	return ""
}
