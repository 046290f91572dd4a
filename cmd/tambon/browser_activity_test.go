package main

import (
	"context"
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/user"
)

// activityApp serves a database holding the demo's activity story (not yet
// published as news) and the ตำบลเขาขลุง team's account.
func activityApp(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := tempDB(t)
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncAreas(ctx, tree.All(), true); err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword(demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, user.User{Username: "khaokhlung", DisplayName: "ทีมตำบลเขาขลุง", PasswordHash: hash,
		Role: user.Tambon, AreaCode: "700513"}); err != nil {
		t.Fatal(err)
	}
	if _, err := seedActivityStory(ctx, s, false); err != nil {
		t.Fatal(err)
	}
	// Seeding twice changes nothing.
	if n, err := seedActivityStory(ctx, s, false); err != nil || n != 0 {
		t.Fatalf("second seeding created %d records, %v", n, err)
	}
	s.Close()
	base, _ := startApp(t, nil, "serve", "--db", db)
	return base
}

// The ตำบลเขาขลุง team signs in, sees the overdue follow-up on the home
// page, opens the meeting of 18 January 2564 from the calendar and publishes
// it as news; a signed-out visitor then finds it in the news list and the
// Atom feed, and each visit counts.
func TestBrowserPublishMeetingAsNews(t *testing.T) {
	ctx := browser(t)
	base := activityApp(t)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery)); err != nil {
			fail("text", err)
		}
		return s
	}

	// Before: no news for the public.
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/news"), wait(`#news`)); err != nil {
		fail("news-empty", err)
	}
	if got := text(`#news`); !strings.Contains(got, "ยังไม่มีข่าว") {
		t.Fatalf("news before publishing: %q", got)
	}

	// Sign in; the home page lists the overdue follow-up of the meeting.
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#overdue`),
	); err != nil {
		fail("home-overdue", err)
	}
	save(t, ctx, "activity-home-overdue-phone.png")
	if got := text(`#overdue`); !strings.Contains(got, "จัดทำศูนย์ข้อมูล") || strings.Contains(got, "ส่งรายชื่อผู้นำ") {
		t.Errorf("overdue box = %q; want the open data-centre action and not the done ones", got)
	}

	// Today's month is empty: the calendar offers the latest activities,
	// and from the meeting's line, January 2564, the meeting on the 18th.
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(`#nav-activities`, chromedp.ByQuery),
		wait(`#recent`),
	); err != nil {
		fail("calendar-now", err)
	}
	if got := text(`#recent`); !strings.Contains(got, "ลงพื้นที่ติดตามหมู่บ้านต้นแบบ") {
		t.Errorf("the latest activities are %q", got)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#recent li:last-child a[href*="month=2021-01"]`, chromedp.ByQuery),
		wait(`#calendar`),
	); err != nil {
		fail("calendar", err)
	}
	save(t, ctx, "activity-calendar-desktop.png")
	if h := text(`h1`); !strings.Contains(h, "มกราคม 2564") {
		t.Errorf("calendar heading %q, want มกราคม 2564", h)
	}
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Click(`#calendar a.act-meeting`, chromedp.ByQuery),
		wait(`#resolutions`),
	); err != nil {
		fail("activity-view", err)
	}
	save(t, ctx, "activity-meeting-phone.png")
	if got := text(`#when`); got != "18 ม.ค. 2564 15:00 น." {
		t.Errorf("the meeting's time shows %q, want 18 ม.ค. 2564 15:00 น.", got)
	}
	if got := text(`#resolutions`); !strings.Contains(got, "ตำบลสารสนเทศต้นแบบ") || !strings.Contains(got, "1 มีนาคม 2564") {
		t.Errorf("resolutions %q", got)
	}
	if got := text(`#attendees`); !strings.Contains(got, "นายกองค์การบริหารส่วนตำบลเขาขลุง") || !strings.Contains(got, "ประธานการประชุม") {
		t.Errorf("attendees %q lack the chief executive or the chair", got)
	}
	if got := text(`#safety`); !strings.Contains(got, "สวมหน้ากากอนามัย") {
		t.Errorf("safety checklist %q", got)
	}
	var overdueRows int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#followups tr.act-late").length`, &overdueRows))
	if overdueRows != 1 {
		t.Errorf("%d follow-ups marked overdue on the meeting, want 1", overdueRows)
	}

	// Publish it, with an English headline typed in.
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`#news-body`, "ตำบลเขาขลุงได้รับคัดเลือกเป็นตำบลสารสนเทศต้นแบบของจังหวัดราชบุรี", chromedp.ByQuery),
		chromedp.Click(`#publish`, chromedp.ByQuery),
		wait(`#visits`),
	); err != nil {
		fail("publish", err)
	}
	save(t, ctx, "activity-news-post-phone.png")
	if got := text(`#body`); !strings.Contains(got, "ตำบลสารสนเทศต้นแบบของจังหวัดราชบุรี") {
		t.Errorf("news text %q", got)
	}
	first := visits(t, text(`#visits`))

	// Signed out, a visitor finds the post.
	if err := chromedp.Run(ctx, network.ClearBrowserCookies(), chromedp.Navigate(base+"/news"), wait(`#news`)); err != nil {
		fail("news-list", err)
	}
	save(t, ctx, "activity-news-list-phone.png")
	if got := text(`#news`); !strings.Contains(got, "ประชุมบูรณาการการทำงานร่วมกับภาคีเครือข่ายตำบลเขาขลุง") {
		t.Fatalf("the news list lacks the meeting: %q", got)
	}
	var home string
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), wait(`#home-news`), chromedp.Text(`#home-news`, &home, chromedp.ByQuery)); err != nil {
		fail("home-news", err)
	}
	if !strings.Contains(home, "ประชุมบูรณาการ") {
		t.Errorf("the public home page's news box says %q", home)
	}
	var overdueBoxes int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#overdue").length`, &overdueBoxes))
	if overdueBoxes != 0 {
		t.Errorf("a signed-out visitor sees the team's overdue follow-ups")
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/news"), wait(`#news`)); err != nil {
		fail("news-list-again", err)
	}
	if err := chromedp.Run(ctx, chromedp.Click(`#news h2 a`, chromedp.ByQuery), wait(`#visits`)); err != nil {
		fail("news-post", err)
	}
	second := visits(t, text(`#visits`))
	if err := chromedp.Run(ctx, chromedp.Reload(), wait(`#visits`)); err != nil {
		fail("news-reload", err)
	}
	third := visits(t, text(`#visits`))
	// One reader counts once a day: this browser counted when the post
	// opened after publishing; reading it again signed out, and reloading,
	// are not further visits.
	if !(first[0] >= 1 && second == first && third == second && third[1] == third[0]) {
		t.Errorf("visits (total, today) went %v → %v → %v; want one visit for this browser today, not one per view", first, second, third)
	}
	var loggedOutLink int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('a[href^="/activities/"]').length`, &loggedOutLink))
	if loggedOutLink != 0 {
		t.Errorf("a signed-out visitor is offered the activity's private record")
	}
	var imgOK bool
	chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll(".act-photos img")].every(i => i.complete && i.naturalWidth > 0) && document.querySelectorAll(".act-photos img").length > 0`, &imgOK))
	if !imgOK {
		t.Errorf("the post's photos do not load for a signed-out visitor")
	}

	// The Atom feed lists it.
	status, body, h := get(t, base+"/news.atom")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", status, h.Get("Content-Type"))
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
			Link  []struct {
				Rel  string `xml:"rel,attr"`
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatalf("the feed is not Atom XML: %v", err)
	}
	if len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].Title, "ประชุมบูรณาการ") || feed.ID == "" || feed.Updated == "" {
		t.Fatalf("feed = %+v", feed)
	}
	if l := feed.Entries[0].Link; len(l) == 0 || !strings.HasPrefix(l[0].Href, base+"/news/") {
		t.Errorf("the entry's link %+v does not lead to the post", l)
	}
}

// The team looks up its partners and the March 2564 activities in
// English, on a phone.
func TestBrowserPartnersAndCalendarInEnglish(t *testing.T) {
	ctx := browser(t)
	base := activityApp(t)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	var partners, month, kick string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next=/partners%3Flang%3Den"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#partners`),
		chromedp.Text(`#partners`, &partners, chromedp.ByQuery),
	); err != nil {
		save(t, ctx, "activity-partners-failed.png")
		t.Fatal(err)
	}
	save(t, ctx, "activity-partners-en-phone.png")
	for _, want := range []string{"Ratchaburi Provincial Community Development Office", "Kamnan of Khao Khlung", "Private company"} {
		if !strings.Contains(partners, want) {
			t.Errorf("the partner list lacks %q", want)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/activities?month=2021-03"),
		wait(`#month-list`),
		chromedp.Text(`#month-list`, &month, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "activity-calendar-en-phone.png")
	if !strings.Contains(month, "Kick-off of the change-leader project") || !strings.Contains(month, "Field visit to Moo 4") {
		t.Errorf("March 2021 lists %q; want the kick-off and the field visit", month)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#month-list a`, chromedp.ByQuery),
		wait(`#venue`),
		chromedp.Text(`#venue`, &kick, chromedp.ByQuery),
	); err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "activity-kickoff-en-phone.png")
	if !strings.Contains(kick, "ศาลาประชาคมบ้านหนองไม้เฝ้า") {
		t.Errorf("the kick-off's venue is %q", kick)
	}
	// The date pickers hold ISO dates; beside each the page writes the
	// พ.ศ. date. Follow-ups are rows: due date and a status chosen.
	var date, shown, followups string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#edit`, chromedp.ByQuery),
		wait(`#activity-form`),
		chromedp.Value(`input[name=date]`, &date, chromedp.ByQuery),
		chromedp.Text(`#date-shown`, &shown, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('input[name$="-due"]')).map(i => i.value + ' ' + i.closest('.fu-row').querySelector('select[name$="-status"]').value).join(';')`, &followups),
	); err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "activity-form-en-phone.png")
	if date != "2021-03-01" || !strings.Contains(shown, "1 Mar 2021") || !strings.Contains(followups, "2021-03-15 done") {
		t.Errorf("the form shows the date %q (%q) and follow-ups %q; want 1 March 2021 (2564) shown as such and a follow-up due 15 March 2021, done", date, shown, followups)
	}
}

var visitsRE = regexp.MustCompile(`เข้าชม\s+([\d,]+)\s+ครั้ง\s+\(วันนี้\s+([\d,]+)\)`)

// visits reads "เข้าชม 3 ครั้ง (วันนี้ 3)" as [3 3].
func visits(t *testing.T, s string) [2]int {
	t.Helper()
	m := visitsRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no visit counter in %q", s)
	}
	var out [2]int
	for i := range out {
		for _, c := range strings.ReplaceAll(m[i+1], ",", "") {
			out[i] = out[i]*10 + int(c-'0')
		}
	}
	return out
}
