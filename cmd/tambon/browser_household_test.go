package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tambon/internal/indicator"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// fullCitizenID matches a citizen ID as stored or as printed on the card.
var fullCitizenID = regexp.MustCompile(`\b\d{13}\b|\b\d-\d{4}-\d{5}-\d{2}-\d\b`)

// The ตำบลเขาขลุง team, on a phone, signs in, opens หมู่ 4's households,
// opens one, adds a member in the form (the questions that apply to her
// appear once her birth date is typed), saves, and sees the new member in
// the record's history.
func TestBrowserHouseholdEdit(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	list := base + "/rounds/" + demoRound2 + "/areas/70051304/households"
	if status, _, _ := get(t, list); status == http.StatusNotFound {
		t.Skip("household pages are not wired: routes.go must call s.householdRoutes(mux)")
	}
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}

	// A phone: 390 CSS pixels wide.
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next="+strings.TrimPrefix(list, base)),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#households`),
	); err != nil {
		fail("household-list", err)
	}
	save(t, ctx, "household-list-phone.png")
	saveScreen(t, ctx, "household-list-screen.png")
	var listText string
	chromedp.Run(ctx, chromedp.Text(`#households tbody`, &listText, chromedp.ByQuery))
	if !strings.Contains(listText, "***") {
		t.Errorf("the list's head names are not masked: %.200q", listText)
	}

	// Open the first household.
	var heading string
	var members int
	if err := chromedp.Run(ctx,
		chromedp.Click(`#households tbody tr:first-child a`, chromedp.ByQuery),
		wait(`#members`),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#members tbody tr").length`, &members),
	); err != nil {
		fail("household-view", err)
	}
	save(t, ctx, "household-view-phone.png")
	saveScreen(t, ctx, "household-view-screen.png")
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#members`, chromedp.ByQuery))
	saveScreen(t, ctx, "household-members-screen.png")
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#outcomes`, chromedp.ByQuery))
	saveScreen(t, ctx, "household-outcomes-screen.png")
	if !strings.Contains(heading, "บ้านเลขที่") || members == 0 {
		t.Fatalf("household page: heading %q, %d members", heading, members)
	}
	var page string
	chromedp.Run(ctx, chromedp.Text(`main`, &page, chromedp.ByQuery))
	if fullCitizenID.MatchString(page) {
		t.Errorf("the household page shows a citizen ID unmasked: %s", fullCitizenID.FindString(page))
	}

	// Edit: add a member with the button household.js shows.
	var row string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#edit`, chromedp.ByQuery),
		wait(`#hh-form`),
		wait(`#add-member`),
		chromedp.Value(`#rows`, &row, chromedp.ByQuery),
	); err != nil {
		fail("household-form", err)
	}
	saveScreen(t, ctx, "household-form-top-screen.png")
	if err := chromedp.Run(ctx,
		chromedp.Click(`#add-member`, chromedp.ByQuery),
	); err != nil {
		fail("household-form", err)
	}
	p := func(f string) string { return fmt.Sprintf(`#m%s-%s`, row, f) }
	if err := chromedp.Run(ctx,
		wait(p("first_name")),
		chromedp.SendKeys(p("first_name"), "มะลิ", chromedp.ByQuery),
		chromedp.SendKeys(p("last_name"), "ทดสอบระบบ", chromedp.ByQuery),
		chromedp.SendKeys(p("citizen_id"), "1101700230707", chromedp.ByQuery), // wrong check digit first
	); err != nil {
		fail("household-form", err)
	}
	var msg string
	chromedp.Run(ctx, chromedp.Text(p("citizen_id")+"-msg", &msg, chromedp.ByQuery))
	if !strings.Contains(msg, "เลขตรวจสอบ") {
		t.Errorf("typing a wrong citizen ID shows %q, want the check-digit message", msg)
	}
	saveScreen(t, ctx, "household-form-cid-screen.png")
	set := func(field, value string) chromedp.Action {
		return chromedp.Evaluate(fmt.Sprintf(`(function(){ var e = document.querySelector(%q); e.value = %q;
			e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); })()`, p(field), value), nil)
	}
	if err := chromedp.Run(ctx,
		set("citizen_id", "1101700230708"),
		set("sex", "f"),
		set("relation", "relative"),
		set("education", "primary"),
		set("occupation", "รับจ้างทั่วไป"),
		// household.js asks the server which questions apply to her.
		set("birth_date", "05/05/2530"),
	); err != nil {
		fail("household-form", err)
	}
	shown := 0
	for i := 0; i < 50 && shown == 0; i++ {
		time.Sleep(100 * time.Millisecond)
		chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll('fieldset.member[data-row="%s"] .hh-q:not([hidden])').length`, row), &shown))
	}
	if shown == 0 {
		fail("household-form", fmt.Errorf("no question appeared for the new adult member"))
	}
	// Answer what is asked of her: yes to every yes/no, the first choice.
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(fmt.Sprintf(`(function(){
			var fs = document.querySelector('fieldset.member[data-row="%s"]');
			fs.querySelector("details").open = true;
			fs.querySelectorAll(".hh-q:not([hidden]) select").forEach(function(s){ if (!s.value) s.selectedIndex = 1; });
			fs.querySelectorAll(".hh-q:not([hidden]) input").forEach(function(i){ if (!i.value) i.value = i.getAttribute("data-min") || "0"; });
		})()`, row), nil),
		chromedp.ScrollIntoView(`fieldset.member[data-row="`+row+`"]`, chromedp.ByQuery),
	); err != nil {
		fail("household-form", err)
	}
	save(t, ctx, "household-form-phone.png")
	saveScreen(t, ctx, "household-form-member-screen.png")
	var after string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#save`, chromedp.ByQuery),
		wait(`#history`),
		chromedp.Location(&after),
	); err != nil {
		fail("household-save", err)
	}
	if strings.Contains(after, "/edit") {
		var errs string
		chromedp.Run(ctx, chromedp.Text(`#hh-form`, &errs, chromedp.ByQuery))
		fail("household-save", fmt.Errorf("the form was refused: %.600s", errs))
	}
	var saved, history string
	if err := chromedp.Run(ctx,
		chromedp.Text(`#saved`, &saved, chromedp.ByQuery),
		chromedp.Text(`#history`, &history, chromedp.ByQuery),
		chromedp.ScrollIntoView(`#history`, chromedp.ByQuery),
	); err != nil {
		fail("household-saved", err)
	}
	save(t, ctx, "household-history-phone.png")
	saveScreen(t, ctx, "household-history-screen.png")
	if !strings.Contains(saved, "บันทึกเรียบร้อย") {
		t.Errorf("no saved notice: %q", saved)
	}
	if !strings.Contains(history, "khaokhlung") || !strings.Contains(history, "· ชื่อ") || !strings.Contains(history, "ม***") {
		t.Errorf("the history does not show the new member: %.400q", history)
	}
	if strings.Contains(history, "มะลิ") || strings.Contains(history, "1101700230708") {
		t.Errorf("the history shows the new member unmasked")
	}

	// The same record in English.
	var enHeading, enMembers string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(strings.Split(after, "?")[0]+"?lang=en"),
		wait(`#members`),
		chromedp.Text(`h1`, &enHeading, chromedp.ByQuery),
		chromedp.TextContent(`#members thead`, &enMembers, chromedp.ByQuery),
	); err != nil {
		fail("household-en", err)
	}
	saveScreen(t, ctx, "household-view-en-screen.png")
	if !strings.Contains(enHeading, "House no.") || !strings.Contains(enMembers, "Citizen ID") {
		t.Errorf("English page: heading %q, member columns %q", enHeading, enMembers)
	}

	// The tambon's review page offers the tambon team its one step.
	var steps int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/rounds/"+demoRound2+"/areas/700513/review?lang=th"),
		wait(`#review-status`),
		chromedp.Evaluate(`document.querySelectorAll("form.rev-step").length`, &steps),
	); err != nil {
		fail("review", err)
	}
	saveScreen(t, ctx, "review-screen.png")
	if steps != 1 {
		t.Errorf("the tambon team sees %d review steps, want 1 (submit)", steps)
	}

	// Import a file with a mistake: nothing is written, the problems are
	// listed by row and column, and household.js follows the job.
	bmn, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	hs := surveyfile.Example(bmn, "70051304", 3, 8080)
	hs[0].Members[0].CitizenID = "1101700230709" // a wrong check digit
	var buf bytes.Buffer
	cw := tabular.NewCSVWriter(&buf)
	if err := surveyfile.Write(cw, bmn, hs); err != nil {
		t.Fatal(err)
	}
	cw.Close()
	csv := filepath.Join(t.TempDir(), "households.csv")
	if err := os.WriteFile(csv, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/rounds/"+demoRound2+"/import"),
		wait(`#import-form`),
		chromedp.SetUploadFiles(`#file`, []string{csv}, chromedp.ByQuery),
		chromedp.Click(`#import-submit`, chromedp.ByQuery),
		wait(`#import-message`),
	); err != nil {
		fail("import", err)
	}
	save(t, ctx, "import-problems-phone.png")
	saveScreen(t, ctx, "import-problems-screen.png")
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#import-form`, chromedp.ByQuery))
	saveScreen(t, ctx, "import-form-screen.png")
	var problems string
	chromedp.Run(ctx, chromedp.Text(`#import-job`, &problems, chromedp.ByQuery))
	if !strings.Contains(problems, "เลขตรวจสอบ") {
		t.Errorf("the import page does not explain the wrong citizen ID: %.400q", problems)
	}
}

// saveScreen saves what the phone's screen shows now (a full-page shot of a
// long list is too tall to judge).
func saveScreen(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}
