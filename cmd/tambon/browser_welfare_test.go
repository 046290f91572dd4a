package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The ตำบลเขาขลุง team reads, on its area page, its own target poor from
// the 2561 survey and the demo's welfare-card register beside TPMAP's
// published figure, then opens the people the survey finds poor who are
// not registered — masked — in Thai, at phone width, and in English.
func TestBrowserWelfareRegister(t *testing.T) {
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t), "--area", "700513")
	ctx := browser(t)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	number := func(s string) int {
		n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	var poor, target, unregistered, notFound, provisional, tpmapTable string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/areas/700513%3Fround%3Dbmn-2561"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#welfare`),
		chromedp.Text(`#welfare-poor`, &poor, chromedp.ByQuery),
		chromedp.Text(`#welfare-target`, &target, chromedp.ByQuery),
		chromedp.Text(`#welfare-unregistered`, &unregistered, chromedp.ByQuery),
		chromedp.Text(`#welfare-notfound`, &notFound, chromedp.ByQuery),
		chromedp.Text(`#welfare-provisional`, &provisional, chromedp.ByQuery),
		chromedp.Text(`#welfare-tpmap`, &tpmapTable, chromedp.ByQuery),
		chromedp.ScrollIntoView(`#welfare`, chromedp.ByQuery),
	); err != nil {
		fail("welfare-area", err)
	}
	saveSection(t, ctx, "#welfare", "welfare-area.png")
	p, tp, un, nf := number(poor), number(target), number(unregistered), number(notFound)
	if p != tp+un || tp == 0 || un == 0 || nf == 0 {
		t.Errorf("the section's counts do not add up or miss a group: poor %d, target %d, not registered %d, not found %d", p, tp, un, nf)
	}
	if !strings.Contains(provisional, "ยังไม่ยืนยัน") {
		t.Errorf("the mapping is not said to be unconfirmed: %q", provisional)
	}
	if !strings.Contains(tpmapTable, "TPMAP 2561") {
		t.Errorf("TPMAP's published figure is not beside ours: %q", tpmapTable)
	}

	// The people to help register, masked, at phone width.
	var count, rows string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Click(`#welfare-more`, chromedp.ByQuery),
		wait(`#welfare-people`),
		chromedp.Text(`#list-count`, &count, chromedp.ByQuery),
		chromedp.Text(`#welfare-people tbody`, &rows, chromedp.ByQuery),
	); err != nil {
		fail("welfare-people", err)
	}
	save(t, ctx, "welfare-people-phone.png")
	if m := regexp.MustCompile(`([0-9,]+) คน`).FindStringSubmatch(count); m == nil || number(m[1]) != un {
		t.Errorf("the list counts %q, the area page %d", count, un)
	}
	if !strings.Contains(rows, "-xxxxx-xx-") || regexp.MustCompile(`\d{13}|\d-\d{4}-\d{5}-\d{2}-\d`).MatchString(rows) {
		t.Errorf("citizen IDs are not masked: %.300q", rows)
	}
	var width int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.documentElement.scrollWidth`, &width)); err != nil || width > 400 {
		t.Errorf("the list is wider than a phone: %d (%v)", width, err)
	}

	// The same in English.
	var heading, tabs string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/rounds/bmn-2561/areas/700513/welfare?group=poor_unregistered&lang=en"),
		wait(`#welfare-people`),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Text(`#welfare-tabs`, &tabs, chromedp.ByQuery),
	); err != nil {
		fail("welfare-people-en", err)
	}
	save(t, ctx, "welfare-people-en.png")
	if !strings.Contains(heading, "Target poor and the welfare-card register") || !strings.Contains(tabs, "Poor but not registered") {
		t.Errorf("English page: %q / %q", heading, tabs)
	}
	var section string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513?round=bmn-2561&lang=en"),
		wait(`#welfare`),
		chromedp.Text(`#welfare`, &section, chromedp.ByQuery),
		chromedp.ScrollIntoView(`#welfare`, chromedp.ByQuery),
	); err != nil {
		fail("welfare-area-en", err)
	}
	saveSection(t, ctx, "#welfare", "welfare-area-en.png")
	if !strings.Contains(section, "Poor but not registered") || !strings.Contains(section, "not confirmed") {
		t.Errorf("English section: %.300q", section)
	}

	// The lists behind it: the demo's list for the tambon, which its team
	// may delete as a whole.
	var lists string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#welfare-lists`, chromedp.ByQuery),
		wait(`#welfare-list-table`),
		chromedp.Text(`#welfare-list-table`, &lists, chromedp.ByQuery),
	); err != nil {
		fail("welfare-lists-en", err)
	}
	save(t, ctx, "welfare-lists-en.png")
	var buttons int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('form[action^="/welfare/lists/"] button').length`, &buttons)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lists, "BMN 2561") || !strings.Contains(lists, "Khao Khlung") || buttons != 2 {
		t.Errorf("lists: %.300q", lists)
	}
}

// saveSection saves one element's picture: the area page is too long for
// its section to be read in a whole-page one.
func saveSection(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.Screenshot(sel, &png, chromedp.ByQuery)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}
