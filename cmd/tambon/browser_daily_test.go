package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The tambon team, on a phone, opens the tambon's MPI-poor households with
// the filters open, pages on, then the same list in English, and the review
// page's completeness checklist: nothing scrolls sideways at 390 pixels.
func TestBrowserDailyListsOnPhone(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	list := "/rounds/" + demoRound2 + "/areas/700513/households"
	if status, _, _ := get(t, base+list); status == http.StatusNotFound {
		t.Skip("household pages are not wired")
	}
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	overflow := func(name string) {
		t.Helper()
		var page, view int
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &page),
			chromedp.Evaluate(`window.innerWidth`, &view),
		); err != nil {
			t.Fatal(err)
		}
		if page > view+1 {
			t.Errorf("%s scrolls sideways on a phone: %d px wide in a %d px window", name, page, view)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next="+list+"?poor=1"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#households`),
	); err != nil {
		fail("daily-list", err)
	}
	var rows int
	var count, heading string
	chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelectorAll("#households tbody tr").length`, &rows),
		chromedp.Text(`#list-count`, &count, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
	)
	if rows == 0 || rows > 50 || !strings.Contains(count, "พบ") {
		t.Errorf("poor list: %d rows, count %q", rows, count)
	}
	overflow("the poor list (Thai)")
	saveScreen(t, ctx, "daily-list-poor-th-screen.png")
	var poorBadges int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#households .dl-poor").length`, &poorBadges))
	if poorBadges != rows {
		t.Errorf("%d of %d rows of the poor list carry the poor badge", poorBadges, rows)
	}
	// The filters fold away on a phone; their summary says how many are
	// set, and opening them shows the poor box ticked.
	var summary string
	var ticked bool
	if err := chromedp.Run(ctx,
		chromedp.Text(`#filters-more summary`, &summary, chromedp.ByQuery),
		chromedp.Click(`#filters-more summary`, chromedp.ByQuery),
		wait(`#f-fails`),
		chromedp.Evaluate(`document.querySelector("input[name=poor]").checked`, &ticked),
		chromedp.ScrollIntoView(`#filters-more`, chromedp.ByQuery),
	); err != nil {
		fail("daily-list-filters", err)
	}
	if !strings.Contains(summary, "1") || !ticked {
		t.Errorf("filters: summary %q, poor ticked %v", summary, ticked)
	}
	overflow("the list with its filters open")
	saveScreen(t, ctx, "daily-list-filters-th-screen.png")
	var hasNext bool
	chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector(".dl-pages a[rel=next]")`, &hasNext))
	if hasNext {
		if err := chromedp.Run(ctx,
			chromedp.ScrollIntoView(`.dl-pages`, chromedp.ByQuery),
		); err != nil {
			fail("daily-list-pages", err)
		}
		saveScreen(t, ctx, "daily-list-pages-th-screen.png")
		if err := chromedp.Run(ctx, chromedp.Click(`.dl-pages a[rel=next]`, chromedp.ByQuery), wait(`#households`)); err != nil {
			fail("daily-list-page2", err)
		}
		var loc string
		chromedp.Run(ctx, chromedp.Location(&loc))
		if !strings.Contains(loc, "page=2") || !strings.Contains(loc, "poor=1") {
			t.Errorf("the next page link went to %s", loc)
		}
		overflow("page 2 of the poor list")
	}

	// English: a failing indicator's list.
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+list+"?fails=4&lang=en"),
		wait(`#list-count`),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Text(`#list-count`, &count, chromedp.ByQuery),
	); err != nil {
		fail("daily-list-en", err)
	}
	if !strings.Contains(heading, "Households") || !strings.Contains(count, "found") {
		t.Errorf("English list: %q, %q", heading, count)
	}
	overflow("the failing list (English)")
	saveScreen(t, ctx, "daily-list-fails-en-screen.png")

	// The review page's checklist, in English then Thai.
	review := "/rounds/" + demoRound2 + "/areas/700513/review"
	for _, lang := range []string{"en", "th"} {
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+review+"?lang="+lang),
			wait(`#check-villages`),
			chromedp.ScrollIntoView(`#checklist`, chromedp.ByQuery),
		); err != nil {
			fail("daily-review-"+lang, err)
		}
		overflow("the review checklist (" + lang + ")")
		saveScreen(t, ctx, "daily-review-"+lang+"-screen.png")
	}
	save(t, ctx, "daily-review-th-phone.png")

	// The gate: the demo's round still has open items, so the first review
	// step, asked without a written override, is refused with its reasons
	// and the tambon's status does not move.
	var before, after string
	var open, reasons int
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelectorAll('#check-reasons li').length`, &open),
		chromedp.Text(`#review-status`, &before, chromedp.ByQuery),
	); err != nil {
		fail("daily-gate", err)
	}
	if open == 0 {
		t.Fatal("the demo's review checklist lists nothing open, so the gate cannot be shown")
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`form.rev-step button[type=submit]`, chromedp.ByQuery),
		wait(`#review-error`),
		chromedp.Evaluate(`document.querySelectorAll('#review-error li').length`, &reasons),
		chromedp.Text(`#review-status`, &after, chromedp.ByQuery),
	); err != nil {
		fail("daily-gate", err)
	}
	save(t, ctx, "daily-gate-th-phone.png")
	if reasons == 0 {
		t.Error("the refused step gives no reasons")
	}
	if before != after {
		t.Errorf("a refused step moved the review status from %q to %q", before, after)
	}
	overflow("the refused review step")
}
