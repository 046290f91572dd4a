package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The yearly re-survey on a laptop: round 2563 is opened; the ตำบลเขาขลุง
// team opens หมู่ 4's households not yet re-surveyed, starts one from last
// round, marks one member as moved out, adds a newcomer and saves; the
// household's history says exactly that. Then a phone photo of the house
// is uploaded and shows on the household's page without where it was taken.
func TestBrowserResurvey(t *testing.T) {
	ctx := browser(t)
	db := tempDB(t)
	base, _ := startApp(t, nil, "demo", "--db", db)
	mustRun(t, map[string]string{"TAMBON_DB": db, "USER": "tester"})("round", "--year", "2563")
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	list := "/rounds/bmn-2563/areas/70051304/households?missing=1"
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/login?next="+list),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#households a.rs-start`),
	); err != nil {
		fail("resurvey-list", err)
	}
	saveScreen(t, ctx, "resurvey-list-screen.png")

	// The first household of last round with two members or more.
	var rows int
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`(function(){ for (const tr of document.querySelectorAll("#households tbody tr")) {
			if (parseInt(tr.querySelector("td.num:not(:first-child), td:nth-child(4)").textContent) >= 2) { tr.querySelector("a.rs-start").click(); return 1 } }
			return 0 })()`, &rows),
	); err != nil || rows == 0 {
		fail("resurvey-list", fmt.Errorf("no household of two members to start from: %v", err))
	}
	var carried int
	var houseNo string
	if err := chromedp.Run(ctx,
		wait(`#resurvey-note`),
		wait(`#add-member`),
		chromedp.Value(`#f-house_no`, &houseNo, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('input[type=hidden][name$=".carried"]').length`, &carried),
	); err != nil {
		fail("resurvey-form", err)
	}
	saveScreen(t, ctx, "resurvey-form-top-screen.png")
	if carried < 2 || houseNo == "" {
		t.Fatalf("the form started from last round carries %d members, house number %q", carried, houseNo)
	}
	// The last member of last round's roster moved out.
	leaver := carried - 1
	var leaverName, row string
	if err := chromedp.Run(ctx,
		chromedp.Value(fmt.Sprintf(`#m%d-first_name`, leaver), &leaverName, chromedp.ByQuery),
		chromedp.SetValue(fmt.Sprintf(`#m%d-left`, leaver), "moved_out", chromedp.ByQuery),
		chromedp.ScrollIntoView(fmt.Sprintf(`#m%d-left`, leaver), chromedp.ByQuery),
	); err != nil {
		fail("resurvey-form", err)
	}
	saveScreen(t, ctx, "resurvey-form-moved-out-screen.png")
	if err := chromedp.Run(ctx,
		chromedp.Value(`#rows`, &row, chromedp.ByQuery),
		chromedp.Click(`#add-member`, chromedp.ByQuery),
	); err != nil {
		fail("resurvey-form", err)
	}
	p := func(f string) string { return fmt.Sprintf(`#m%s-%s`, row, f) }
	set := func(field, value string) chromedp.Action {
		return chromedp.Evaluate(fmt.Sprintf(`(function(){ var e = document.querySelector(%q); e.value = %q;
			e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); })()`, p(field), value), nil)
	}
	if err := chromedp.Run(ctx,
		wait(p("first_name")),
		chromedp.SendKeys(p("first_name"), "มะลิ", chromedp.ByQuery),
		chromedp.SendKeys(p("last_name"), "ย้ายเข้าใหม่", chromedp.ByQuery),
		set("sex", "f"),
		set("relation", "relative"),
		set("education", "primary"),
		set("birth_date", "05/05/2530"),
		chromedp.ScrollIntoView(`#save-draft`, chromedp.ByQuery),
	); err != nil {
		fail("resurvey-form", err)
	}
	saveScreen(t, ctx, "resurvey-form-new-member-screen.png")
	var history string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#save-draft`, chromedp.ByQuery),
		wait(`#history`),
		chromedp.Text(`#history`, &history, chromedp.ByQuery),
	); err != nil {
		fail("resurvey-saved", err)
	}
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#history`, chromedp.ByQuery))
	saveScreen(t, ctx, "resurvey-history-screen.png")
	var changes int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#history > li").length * 100 + document.querySelectorAll("#history li li").length`, &changes))
	if changes != 103 {
		t.Errorf("history: %d entries and changes (want one entry of three: from, moved out, joined): %q", changes, history)
	}
	for _, want := range []string{"เริ่มจากข้อมูลรอบ", "bmn-2562", "สมาชิกย้ายออก", string([]rune(leaverName)[:1]) + "***", "สมาชิกใหม่", "ม*** ย***"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q: %q", want, history)
		}
	}
	if strings.Contains(history, leaverName) || strings.Contains(history, "มะลิ") {
		t.Errorf("the history shows names unmasked: %q", history)
	}

	// A photo of the house, taken by a phone that records where.
	jpg, _ := filepath.Abs("../../internal/photo/testdata/house_gps.jpg")
	if err := chromedp.Run(ctx,
		chromedp.ScrollIntoView(`#photo-form`, chromedp.ByQuery),
		chromedp.SetValue(`#ph-kind`, "house", chromedp.ByQuery),
		chromedp.SetUploadFiles(`#ph-file`, []string{jpg}, chromedp.ByQuery),
		chromedp.SendKeys(`#ph-caption`, "หน้าบ้าน ปี 2563", chromedp.ByQuery),
		chromedp.Click(`#ph-upload`, chromedp.ByQuery),
		wait(`.hh-photo img`),
	); err != nil {
		fail("resurvey-photo", err)
	}
	var loaded bool
	var meta string
	var photos string
	if err := chromedp.Run(ctx,
		chromedp.ScrollIntoView(`#photos`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector(".hh-photo img").complete && document.querySelector(".hh-photo img").naturalWidth > 0`, &loaded, chromedp.WithPollingTimeout(10e9)),
		chromedp.Evaluate(`fetch(document.querySelector(".hh-photo a").href).then(r => r.arrayBuffer()).then(b => {
			const s = String.fromCharCode(...new Uint8Array(b).slice(0, 4096)); return (s.includes("Exif") ? "exif " : "") + (s.includes("Samsung") ? "maker" : "") + "ok" })`,
			&meta, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Text(`#photos`, &photos, chromedp.ByQuery),
	); err != nil {
		fail("resurvey-photo", err)
	}
	saveScreen(t, ctx, "resurvey-photo-screen.png")
	if !loaded || meta != "ok" {
		t.Errorf("the photo: loaded %v, served with %q", loaded, meta)
	}
	if !strings.Contains(photos, "หน้าบ้าน ปี 2563") || regexp.MustCompile(`13\.80|99\.86`).MatchString(photos) {
		t.Errorf("the photos section: %q", photos)
	}
	// Revealed (logged), the team sees where it was taken.
	if err := chromedp.Run(ctx,
		chromedp.Click(`#reveal`, chromedp.ByQuery),
		wait(`.ph-gps`),
		chromedp.Text(`.ph-gps`, &photos, chromedp.ByQuery),
	); err != nil {
		fail("resurvey-photo-revealed", err)
	}
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#photos`, chromedp.ByQuery))
	saveScreen(t, ctx, "resurvey-photo-revealed-screen.png")
	if !strings.Contains(photos, "13.808") {
		t.Errorf("the revealed page does not say where the photo was taken: %q", photos)
	}
}
