package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// A district official opens the demo, finds ตำบลเขาขลุง, opens หมู่ 4
// หนองไม้เฝ้า, reads its indicator table and map, switches to English,
// downloads a table as Excel, and prints the department's report.
func TestBrowserAreaProfile(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }

	// Find the tambon from the search box.
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		wait(`#q`),
		chromedp.SetValue(`#q`, "เขาขลุง", chromedp.ByID),
		chromedp.Submit(`#q`, chromedp.ByID),
		wait(`#results, #children`),
	)
	if err != nil {
		t.Fatal(err)
	}
	var loc string
	chromedp.Run(ctx, chromedp.Location(&loc))
	if !strings.Contains(loc, "/areas/700513") {
		if err := chromedp.Run(ctx, chromedp.Click(`#results a[href="/areas/700513"]`, chromedp.ByQuery)); err != nil {
			t.Fatalf("no link to 700513 among the results: %v", err)
		}
	}
	var villages string
	err = chromedp.Run(ctx,
		wait(`#children`),
		wait(`#map svg.map-svg`), // map.js drew the tambon and its villages
		chromedp.Text(`#children tbody`, &villages, chromedp.ByQuery),
	)
	if err != nil {
		save(t, ctx, "profile-tambon-failed.png")
		t.Fatal(err)
	}
	save(t, ctx, "profile-tambon.png")
	if !strings.Contains(villages, "หนองไม้เฝ้า") {
		t.Errorf("the villages of เขาขลุง do not list หนองไม้เฝ้า: %q", villages)
	}

	// Open หมู่ 4: its indicator table, map and charts.
	var heading, table, caption string
	var points, current, bars int
	err = chromedp.Run(ctx,
		chromedp.Click(`#children a[href^="/areas/70051304"]`, chromedp.ByQuery),
		wait(`#indicators`),
		wait(`#map svg.map-svg`),
		wait(`figure.chart svg.chart-svg`),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Text(`#indicators`, &table, chromedp.ByQuery),
		chromedp.Text(`#map figcaption`, &caption, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#map .map-point").length`, &points),
		chromedp.Evaluate(`document.querySelectorAll("#map .map-current").length`, &current),
		chromedp.Evaluate(`document.querySelectorAll("figure.chart .chart-row").length`, &bars),
	)
	if err != nil {
		save(t, ctx, "profile-moo4-failed.png")
		t.Fatal(err)
	}
	save(t, ctx, "profile-moo4.png")
	if !strings.Contains(heading, "หมู่ 4") || !strings.Contains(heading, "หนองไม้เฝ้า") {
		t.Errorf("heading %q", heading)
	}
	for _, want := range []string{"สุขภาพ", "ครัวเรือน", "ผ่านเกณฑ์", "ไม่ผ่านเกณฑ์", "เป้าหมาย"} {
		if !strings.Contains(table, want) {
			t.Errorf("indicator table lacks %q", want)
		}
	}
	if points < 2 || current != 1 {
		t.Errorf("map: %d village points, %d marked as this village", points, current)
	}
	if bars < 31 {
		t.Errorf("indicator chart has %d bars, want 31", bars)
	}
	if caption == "" {
		t.Error("the map has no caption")
	}
	var credit string
	if err := chromedp.Run(ctx, chromedp.Text(`#map .map-credit`, &credit, chromedp.ByQuery)); err != nil || !strings.Contains(credit, "OCHA") {
		t.Errorf("map credit %q: %v", credit, err)
	}

	// On a phone.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), wait(`#map svg.map-svg`)); err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "profile-moo4-phone.png")
	var overflow bool
	chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("the page is wider than a phone's screen (only tables may scroll sideways)")
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Reload(), wait(`#indicators`)); err != nil {
		t.Fatal(err)
	}

	// Switch to English, keeping the round.
	var en, enCaption string
	err = chromedp.Run(ctx,
		chromedp.Click(`a.lang`, chromedp.ByQuery),
		wait(`#indicators`),
		wait(`#map svg.map-svg`),
		chromedp.Text(`h1`, &en, chromedp.ByQuery),
		chromedp.Text(`#indicators caption`, &enCaption, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "profile-moo4-en.png")
	if !strings.Contains(en, "Moo 4") || !strings.Contains(enCaption, "Results of") {
		t.Errorf("English: heading %q, caption %q", en, enCaption)
	}

	// Download the indicator table as Excel and read it back.
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	err = chromedp.Run(ctx,
		chromedp.Navigate(strings.Replace(loc, "lang=en", "lang=th", 1)),
		wait(`#indicators`),
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(`a[href*="export.xlsx?table=indicators"]`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the Excel download did not finish")
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	if len(rows) != 32 || rows[0][1] != "ตัวชี้วัด" || rows[0][4] != "สำรวจ" {
		t.Fatalf("sheet %q: %d rows, header %q", sheet, len(rows), rows[0])
	}
	// A count the public may see is a number Excel can add up; one withheld
	// from the public says so in words (never 0).
	numbers := 0
	for i := 2; i <= len(rows); i++ {
		cell := fmt.Sprintf("E%d", i)
		v, _ := f.GetCellValue(sheet, cell)
		typ, _ := f.GetCellType(sheet, cell)
		switch {
		case v == "ซ่อนไว้":
		case typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset:
			numbers++
		default:
			t.Errorf("surveyed in %s is %q of type %v, not a number", cell, v, typ)
		}
	}
	if numbers == 0 {
		t.Error("no indicator's surveyed count is a number in the public Excel")
	}

	// The print view: the department's table, A4.
	var report string
	err = chromedp.Run(ctx,
		chromedp.Click(`a[href*="/report"]`, chromedp.ByQuery),
		wait(`#report`),
		chromedp.Text(`#report`, &report, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "report-moo4.png")
	for _, want := range []string{"สำรวจ", "ผ่านเกณฑ์", "ไม่ผ่านเกณฑ์", "จปฐ. ปี 2562", "จปฐ. ปี 2561"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	var pdf []byte
	err = chromedp.Run(ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).WithPrintBackground(true).Do(ctx)
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "report-moo4-print.png")
	p := filepath.Join(screenshotDir(t), "report-moo4.pdf")
	os.WriteFile(p, pdf, 0o644)
	t.Logf("report PDF: %s", p)
	// A4 is 595 × 842 points; the page size is in the PDF's MediaBox.
	if !bytes.Contains(pdf, []byte("/MediaBox [0 0 594.9")) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 595 ")) {
		t.Error("the printed report is not A4")
	}
	if !bytes.Contains(pdf, []byte("Sarabun")) {
		t.Error("the printed report does not embed the Sarabun font")
	}
}
