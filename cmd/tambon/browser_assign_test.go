package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The tambon team opens the assignments from the completeness dashboard,
// sees the demo's villages given to its enumerator and to itself with
// progress per enumerator and per village, gives two of หมู่ 4's
// households to itself by ticking them and choosing a name, and marks
// another as not found with a note: the progress moves and adds up, in
// Thai and in English, and nothing scrolls sideways on a phone.
func TestBrowserAssignments(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	dash := "/rounds/" + demoRound2 + "/areas/700513/completeness"
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next="+dash),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#dash-assign`),
		chromedp.Click(`#dash-assign`, chromedp.ByQuery),
		wait(`#assign-people-table`),
	); err != nil {
		fail("assign-open", err)
	}
	counts := func(user string) []int {
		t.Helper()
		var cells []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('#assign-people-table tr[data-user="`+user+`"] td')).map(td => td.textContent.replace(/,/g, ""))`, &cells)); err != nil {
			t.Fatal(err)
		}
		out := make([]int, len(cells))
		for i, c := range cells {
			out[i], _ = strconv.Atoi(strings.TrimSpace(c))
		}
		return out
	}
	adds := func(what string, c []int) {
		t.Helper()
		// villages, households, visited, remaining, refused, moved, not found, new
		if len(c) != 8 || c[1] == 0 || c[2]+c[3]+c[4]+c[5]+c[6] != c[1] {
			t.Errorf("%s: %v does not add up", what, c)
		}
	}
	moo4 := counts("moo4")
	team := counts("khaokhlung")
	adds("moo4", moo4)
	adds("khaokhlung", team)
	if moo4[0] != 1 || team[0] < 2 {
		t.Errorf("villages: moo4 %d, the tambon team %d", moo4[0], team[0])
	}
	save(t, ctx, "assign-tambon.png")
	axeCheck(t, ctx, "assign-tambon-axe.png")

	// หมู่ 4's households: tick two, give them to the tambon team.
	var ids []string
	if err := chromedp.Run(ctx,
		chromedp.Click(`tr[data-village="70051304"] th a`, chromedp.ByQuery),
		wait(`#assign-hh-table`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#assign-hh-table input[name=household]')).slice(0, 2).map(i => i.value)`, &ids),
	); err != nil || len(ids) != 2 {
		fail("assign-village", err)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#pick-`+ids[0], chromedp.ByQuery),
		chromedp.Click(`#pick-`+ids[1], chromedp.ByQuery),
		chromedp.SetValue(`#hh-to`, "khaokhlung", chromedp.ByQuery),
		chromedp.Click(`#assign-households button[value=assign]`, chromedp.ByQuery),
		wait(`#assign-done`),
	); err != nil {
		fail("assign-households", err)
	}
	after := counts("moo4")
	adds("moo4 after", after)
	if after[1] != moo4[1]-2 || counts("khaokhlung")[1] != team[1]+2 {
		t.Errorf("two households moved from moo4 (%v → %v) to the team (%v → %v)", moo4, after, team, counts("khaokhlung"))
	}
	// Mark one not found, if any is left to visit.
	var open int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('#oc-hh option[value]:not([value=""])').length`, &open))
	if open > 0 {
		var first string
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector('#oc-hh option[value]:not([value=""])').value`, &first),
			chromedp.SetValue(`#oc-hh`, first, chromedp.ByQuery),
			chromedp.SetValue(`#oc-outcome`, "not_found", chromedp.ByQuery),
			chromedp.SendKeys(`#oc-note`, "ไม่พบบ้านเลขที่นี้ในพื้นที่", chromedp.ByQuery),
			chromedp.Submit(`#oc-note`, chromedp.ByQuery),
			wait(`#assign-done`),
		); err != nil {
			fail("assign-outcome", err)
		}
		var state string
		chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector('#hh-`+first+`').dataset.outcome`, &state))
		if state != "not_found" {
			t.Errorf("the household marked is %q", state)
		}
		adds("moo4 after the outcome", counts("moo4"))
	}
	saveScreen(t, ctx, "assign-village-top.png")
	axeCheck(t, ctx, "assign-village-axe.png")
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#assign-outcome`, chromedp.ByQuery))
	saveScreen(t, ctx, "assign-village-bottom.png")

	// English, and a phone.
	var heading string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/rounds/"+demoRound2+"/areas/700513/assignments?lang=en"),
		wait(`#assign-people-table`),
		chromedp.Text(`#assign-people-h`, &heading, chromedp.ByQuery),
	); err != nil {
		fail("assign-en", err)
	}
	if heading != "By enumerator" {
		t.Errorf("English heading %q", heading)
	}
	save(t, ctx, "assign-en.png")
	axeCheck(t, ctx, "assign-en-axe.png")
	chromedp.Run(ctx, chromedp.Navigate(base+"/rounds/"+demoRound2+"/areas/700513/assignments?lang=th"), wait(`#assign-people-table`))
	assertFitsPhone(t, base, "khaokhlung", []string{"/rounds/" + demoRound2 + "/areas/700513/assignments", "/rounds/" + demoRound2 + "/areas/700513/assignments?village=70051304"})
}
