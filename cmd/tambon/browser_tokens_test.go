package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The administrator issues a token for Power BI on /admin/tokens: a name,
// a role from the list, the province picked by its name and the expiry
// from the date picker; the token is shown once, and listed after.
func TestBrowserIssueAPIToken(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/admin/tokens"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#issue-token`),
		chromedp.SendKeys(`#t-name`, "powerbi-ratchaburi", chromedp.ByQuery),
		chromedp.SetValue(`#t-role`, "viewer", chromedp.ByQuery),
		chromedp.SendKeys(`#t-area`, "ราชบุรี", chromedp.ByQuery),
		wait(`#t-area-options [role=option]`),
		chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.Enter),
	); err != nil {
		fail("tokens-form", err)
	}
	var code, shownDate string
	var ok bool
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(`document.getElementById("t-area_code").value`, &code),
		chromedp.Evaluate(`(function(){var e=document.getElementById("t-expires"); e.focus(); e.value="2027-03-31";
			e.dispatchEvent(new Event("input",{bubbles:true})); e.dispatchEvent(new Event("change",{bubbles:true})); return e.value==="2027-03-31"})()`, &ok),
		chromedp.Text(`#t-expires-shown`, &shownDate, chromedp.ByQuery),
	); err != nil || !ok {
		fail("tokens-date", err)
	}
	if code != "70" || !strings.Contains(shownDate, "2570") {
		t.Errorf("picked area %q, expiry shown %q; want 70 and a date in พ.ศ. 2570", code, shownDate)
	}
	save(t, ctx, "tokens-form-th.png")
	var secret, list string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#issue-token-submit`, chromedp.ByQuery),
		wait(`#token-secret`),
		chromedp.Text(`#token-secret`, &secret, chromedp.ByQuery),
		chromedp.Text(`#tokens`, &list, chromedp.ByQuery),
	); err != nil {
		fail("tokens-issue", err)
	}
	save(t, ctx, "tokens-issued-th.png")
	if !strings.HasPrefix(secret, "tbn_") || !strings.Contains(list, "powerbi-ratchaburi") || !strings.Contains(list, "ราชบุรี") {
		t.Errorf("issued token %q, list %q", secret, list)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/admin/tokens?lang=en"),
		wait(`#tokens`),
		chromedp.Text(`#tokens`, &list, chromedp.ByQuery),
	); err != nil {
		fail("tokens-en", err)
	}
	save(t, ctx, "tokens-list-en.png")
	if strings.Contains(list, secret) || !strings.Contains(list, "Viewer") {
		t.Errorf("the English list: %q", list)
	}
	assertFitsPhone(t, base, "admin", []string{"/admin/tokens"})
}
