package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tambon/internal/thai"
	"tambon/internal/tpmap"
)

// A visitor, signed out, opens ตำบลเขาขลุง in the demo and reads TPMAP's
// target poor in a section of its own, in Thai and English: the tambon's
// published figures, the five dimensions and the year coupling, said to be
// TPMAP's. On a phone the page does not scroll sideways.
func TestBrowserTPMAPTargetPoor(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	var pub tpmap.PovertyRow
	for _, r := range MustParseTPMAP(t, "61_70_tambol_11111.csv").Poverty {
		if r.Code == "700513" {
			pub = r
		}
	}
	if pub.TargetPoor == 0 {
		t.Fatal("no published target poor for 700513")
	}
	for _, tc := range []struct{ lang, title, whose, dim string }{
		{"th", "คนจนเป้าหมาย ตามข้อมูล TPMAP ปี 2561", "ตามที่ TPMAP เผยแพร่", "สุขภาพ"},
		{"en", "Target poor, TPMAP 2561", "as TPMAP published them", "Health"},
	} {
		var title, whose, coupling, target, poor, dims string
		var rows int
		err := chromedp.Run(ctx,
			chromedp.Navigate(base+"/areas/700513?lang="+tc.lang),
			chromedp.WaitVisible(`#tpmap`, chromedp.ByQuery),
			chromedp.ScrollIntoView(`#tpmap`, chromedp.ByQuery),
			chromedp.Text(`#h-tpmap`, &title, chromedp.ByQuery),
			chromedp.Text(`#tpmap-whose`, &whose, chromedp.ByQuery),
			chromedp.Text(`#tpmap-coupling`, &coupling, chromedp.ByQuery),
			chromedp.Text(`#tpmap-target`, &target, chromedp.ByQuery),
			chromedp.Text(`#tpmap-poor`, &poor, chromedp.ByQuery),
			chromedp.Text(`#tpmap-dims tbody`, &dims, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll("#tpmap-dims tbody tr").length`, &rows),
		)
		if err != nil {
			save(t, ctx, "tpmap-"+tc.lang+"-failed.png")
			t.Fatal(err)
		}
		var shot []byte
		if err := chromedp.Run(ctx, chromedp.Screenshot(`#tpmap`, &shot, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir(t), "tpmap-section-"+tc.lang+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
		if title != tc.title || !strings.Contains(whose, tc.whose) {
			t.Errorf("%s: title %q, whose %q", tc.lang, title, whose)
		}
		if !strings.Contains(coupling, "TPMAP 2561") || !strings.Contains(coupling, "2560") || !strings.Contains(coupling, "tpmap.in.th/2562/501405") {
			t.Errorf("%s: the year coupling reads %q", tc.lang, coupling)
		}
		if !strings.Contains(target, thai.FormatInt(pub.TargetPoor)) || !strings.Contains(poor, thai.FormatInt(pub.Poor)) {
			t.Errorf("%s: target poor %q, poor %q; TPMAP published %d and %d", tc.lang, target, poor, pub.TargetPoor, pub.Poor)
		}
		if rows != 5 || !strings.Contains(dims, tc.dim) {
			t.Errorf("%s: %d dimension rows: %q", tc.lang, rows, dims)
		}
	}
	assertFitsPhone(t, base, "banpong", []string{"/areas/700513", "/areas/70051304"})
}
