package main

import (
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
}
