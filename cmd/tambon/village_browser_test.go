package main

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// On a phone, หมู่ 4 of ตำบลเขาขลุง's area page shows its จปฐ. figures, MPI
// and กชช. 2ค level side by side; the กชช. 2ค page gives every score with its
// reason; the tambon team corrects an answer in the form (typed in Thai
// digits) and sees the new score; the page reads in English too.
func TestBrowserVillageSurvey(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	var level, mpi string
	var households int
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/areas/70051304?lang=th"),
		wait(`#kcc2k`),
		chromedp.Text(`#kcc-level`, &level, chromedp.ByQuery),
		chromedp.Text(`#h-mpi`, &mpi, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#households").length`, &households),
		chromedp.ScrollIntoView(`#kcc2k`, chromedp.ByQuery),
	); err != nil {
		fail("village-area", err)
	}
	saveScreen(t, ctx, "village-area-box-phone.png")
	if !strings.Contains(level, "อันดับ") || households != 1 || mpi == "" {
		t.Errorf("the area page does not show both sources: level %q, households %d, MPI %q", level, households, mpi)
	}

	var reason, k02 string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#kcc-more`, chromedp.ByQuery),
		wait(`#kcc-reason`),
		chromedp.Text(`#kcc-reason`, &reason, chromedp.ByQuery),
		chromedp.Text(`#kcc-k02`, &k02, chromedp.ByQuery),
	); err != nil {
		fail("village-view", err)
	}
	save(t, ctx, "village-view-phone.png")
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#h-g-infra`, chromedp.ByQuery))
	saveScreen(t, ctx, "village-view-scores-phone.png")
	if !strings.Contains(reason, "ปัญหามาก") || !strings.Contains(reason, "อันดับ") || !strings.Contains(k02, "น้ำดื่ม") {
		t.Errorf("the village page: reason %q, k02 %q", reason, k02)
	}

	// The tambon team signs in and records that drinking water reaches only
	// ๕๐ per cent of households: a serious problem.
	var after, k02After, saved string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/villages/kcc2k-2562/70051304/edit"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#kcc-form`),
		chromedp.SetValue(`#f-k02`, "๕๐", chromedp.ByQuery),
		chromedp.SetValue(`#f-k33`, "1", chromedp.ByQuery),
	); err != nil {
		fail("village-form", err)
	}
	save(t, ctx, "village-form-phone.png")
	if err := chromedp.Run(ctx,
		chromedp.Click(`#kcc-save`, chromedp.ByQuery),
		wait(`#kcc-reason`),
		chromedp.Location(&after),
		chromedp.Text(`#kcc-k02`, &k02After, chromedp.ByQuery),
		chromedp.Text(`#saved`, &saved, chromedp.ByQuery),
	); err != nil {
		fail("village-save", err)
	}
	if !strings.Contains(saved, "บันทึก") {
		t.Errorf("no saved notice: %q", saved)
	}
	if !strings.Contains(after, "/villages/kcc2k-2562/70051304") || !strings.Contains(k02After, "50") || !strings.Contains(k02After, "ปัญหามาก") {
		t.Errorf("after saving: %s, k02 %q", after, k02After)
	}

	var heading string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/villages/kcc2k-2562/7005?lang=en"),
		wait(`#problems`),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
	); err != nil {
		fail("village-district-en", err)
	}
	saveScreen(t, ctx, "village-district-en-screen.png")
	if !strings.Contains(heading, "Ban Pong") {
		t.Errorf("English heading %q", heading)
	}

	// The demo administrator opens the survey rounds page from the menu and
	// sees the demo's จปฐ. and กชช. 2ค rounds, in Thai and in English, on a
	// phone too; then gives a phone its token and QR code.
	var bmn, kcc, bmnEN string
	if err := chromedp.Run(ctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/login?next=/admin/users&lang=th"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#accounts`),
		chromedp.Click(`#nav-rounds`, chromedp.ByQuery),
		wait(`#bmn-rounds`),
		chromedp.Text(`#bmn-rounds tbody`, &bmn, chromedp.ByQuery),
		chromedp.Text(`#village-rounds tbody`, &kcc, chromedp.ByQuery),
	); err != nil {
		fail("admin-rounds", err)
	}
	save(t, ctx, "admin-rounds-th.png")
	for _, want := range []string{demoRound1, demoRound2, "ข้อมูลรายครัวเรือน"} {
		if !strings.Contains(bmn, want) {
			t.Errorf("the rounds page does not list %s: %q", want, bmn)
		}
	}
	for _, want := range []string{"kcc2k-2560", "kcc2k-2562"} {
		if !strings.Contains(kcc, want) {
			t.Errorf("the rounds page does not list the village round %s: %q", want, kcc)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/admin/rounds?lang=en"),
		wait(`#bmn-rounds`),
		chromedp.Text(`#bmn-rounds tbody`, &bmnEN, chromedp.ByQuery),
	); err != nil {
		fail("admin-rounds-en", err)
	}
	save(t, ctx, "admin-rounds-en-phone.png")
	if !strings.Contains(bmnEN, demoRound2) || !strings.Contains(bmnEN, "households") {
		t.Errorf("the English rounds page: %q", bmnEN)
	}
	// A Common Era year is refused beside the field, in the page's language.
	var yearMsg string
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`#bmn-year`, "2024", chromedp.ByQuery),
		chromedp.Click(`#open-bmn`, chromedp.ByQuery),
		wait(`#form-errors`),
		chromedp.Text(`#bmn-year-msg`, &yearMsg, chromedp.ByQuery),
		chromedp.ScrollIntoView(`#new-bmn-round`, chromedp.ByQuery),
	); err != nil {
		fail("admin-rounds-refused", err)
	}
	saveScreen(t, ctx, "admin-rounds-refused-en-phone.png")
	if !strings.Contains(yearMsg, "Buddhist Era") {
		t.Errorf("beside the year: %q", yearMsg)
	}
	var qr int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/admin/devices?lang=th"),
		wait(`#create-device`),
		chromedp.SetValue(`#d-user`, "moo4", chromedp.ByQuery),
		chromedp.SetValue(`#d-name`, "โทรศัพท์ หมู่ 4", chromedp.ByQuery),
		chromedp.Click(`#create-device-submit`, chromedp.ByQuery),
		wait(`#device-qr svg`),
		chromedp.Evaluate(`document.querySelector("#device-qr svg").getBoundingClientRect().width`, &qr),
	); err != nil {
		fail("admin-devices", err)
	}
	save(t, ctx, "admin-device-phone.png")
	if qr < 200 {
		t.Errorf("the QR code is %d px wide on a phone: too small to scan", qr)
	}
}
