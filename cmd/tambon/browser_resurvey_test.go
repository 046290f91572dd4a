package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// lastRoundHousehold stores round bmn-2563 with one household of หมู่ 4 of
// two members, the head and a spouse, with its answers to every question
// and some income, savings and debt, and returns it.
func lastRoundHousehold(t *testing.T, db string) *survey.Household {
	t.Helper()
	if _, errOut, err := run(t, nil, "", "round", "--db", db, "--year", "2563"); err != nil {
		t.Fatalf("round: %v %s", err, errOut)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rd, err := s.Round(ctx, "bmn-2563")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	var h *survey.Household
	for _, x := range surveyfile.Example(eng.Set(), "70051304", 20, 2563) {
		if len(x.Members) >= 2 && x.Members[0].AgeAt(rd.ReferenceDate()) >= 25 && x.Members[1].AgeAt(rd.ReferenceDate()) >= 25 {
			h = x
			break
		}
	}
	if h == nil {
		t.Fatal("no example household of two adults")
	}
	h.RoundID, h.HouseNo, h.HouseCode, h.Status = rd.ID, "45/2", "", survey.Draft
	h.Members = h.Members[:2]
	h.Members[0].FirstName, h.Members[0].LastName, h.Members[0].Relation, h.Members[0].Occupation = "บุญมี", "ทองดี", survey.RelHead, "farming"
	h.Members[1].FirstName, h.Members[1].LastName, h.Members[1].Relation, h.Members[1].Occupation = "สายใจ", "ทองดี", survey.RelSpouse, "farming"
	h.Income.MainOccupation, h.Income.Other, h.Savings, h.Debt.InSystem = 120000, 8000, 15000, 40000
	lat, lon := 13.617245, 102.061883
	h.Lat, h.Lon = &lat, &lon
	for i := range h.Members {
		h.Members[i].No, h.Members[i].Resident = i+1, true
	}
	if _, err := s.WriteHouseholds(ctx, eng, rd.ID, []*survey.Household{h}, "seed", nil); err != nil {
		t.Fatal(err)
	}
	return h
}

// The update form in ODK Web Forms: the enumerator picks last round's
// household, finds its roster, its answers, income, savings and debt
// filled in, confirms both members, changes the spouse's occupation and
// the household's other income, adds a new member and sends; the
// household's history in the new round then holds exactly those changes,
// and every answer not touched arrives as it was.
func TestBrowserOpenRosaResurvey(t *testing.T) {
	if _, err := os.Stat(filepath.Join(webClientDir, "node_modules", "@getodk", "web-forms", "dist", "index.js")); err != nil {
		t.Skip("ODK Web Forms test skipped: run `npm ci` in internal/openrosa/webclient (needs the npm registry)")
	}
	ctx := browser(t)
	base, key, db := openRosaApp(t)
	prev := lastRoundHousehold(t, db)
	target, _ := url.Parse(base)
	mux := http.NewServeMux()
	mux.Handle("/webclient/", http.StripPrefix("/webclient/", http.FileServer(http.Dir(webClientDir))))
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)

	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		var labels []string
		chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('.question-container .control-text label')].map(l => l.textContent.trim())`, &labels))
		t.Fatalf("%s: %v (questions shown %q)", name, err, labels)
	}
	js := func(expr string) chromedp.Action { return chromedp.Evaluate(expr, nil) }
	at := func(n int) chromedp.Action { return js(fmt.Sprintf("tambonAt(%d)", n)) }
	typeText := func(label, value string) chromedp.Action {
		return js(`tambonType(` + jsString(label) + `, ` + jsString(value) + `)`)
	}
	choose := func(label, value string) chromedp.Action {
		return js(`tambonChoose(` + jsString(label) + `, ` + jsString(value) + `)`)
	}
	value := func(label string) string {
		var v string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(tambonContainer(`+jsString(label)+`)?.querySelector('input') ?? {}).value ?? ''`, &v)); err != nil {
			fail("webforms-resurvey-read", err)
		}
		return v
	}
	started := time.Now()
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(front.URL+"/webclient/index.html?server="+url.QueryEscape(key)),
		chromedp.WaitVisible(`input[value="70051304"]`, chromedp.ByQuery),
		chromedp.Evaluate(webFormsHelpers, nil),
	); err != nil {
		fail("webforms-resurvey-load", err)
	}
	t.Logf("the form opened in %v", time.Since(started).Round(time.Millisecond))
	if err := chromedp.Run(ctx,
		choose("หมู่บ้าน", "70051304"),
		chromedp.Sleep(200*time.Millisecond),
		choose("ครัวเรือนจากการสำรวจรอบที่แล้ว", prev.Key()),
		chromedp.Sleep(200*time.Millisecond),
		choose("ผลการเยี่ยมครัวเรือน", "interviewed"),
		webFormsNewMembers(1),
	); err != nil {
		fail("webforms-resurvey-choose", err)
	}
	saveScreen(t, ctx, "webforms-resurvey-prefilled-phone.png")
	// Last round's answers are there to confirm: the house number and each
	// member's name, citizen ID and birth date.
	if got := value("บ้านเลขที่"); got != prev.HouseNo {
		t.Errorf("the house number shows %q, want last round's %q", got, prev.HouseNo)
	}
	if got := value("22.1 รายได้จากอาชีพหลัก (บาท/ปี)"); got != "120000" {
		t.Errorf("the main income shows %q, want last round's 120000", got)
	}
	for i, m := range prev.Members {
		chromedp.Run(ctx, at(i))
		if got := value("ชื่อ"); got != m.FirstName {
			t.Errorf("member %d's first name shows %q, want %q", i+1, got, m.FirstName)
		}
		if got := value("เลขประจำตัวประชาชน 13 หลัก"); got != m.CitizenID {
			t.Errorf("member %d's citizen ID shows %q, want %q", i+1, got, m.CitizenID)
		}
	}
	chromedp.Run(ctx, at(2))
	if got := value("ชื่อ"); got != "" {
		t.Errorf("the new member's name is filled in: %q", got)
	}
	if err := chromedp.Run(ctx,
		at(0), choose("สมาชิกคนนี้ปีนี้", "here"),
		at(1), choose("สมาชิกคนนี้ปีนี้", "here"),
		choose("อาชีพหลัก", "trade"),
		// The new member, the third on the roster.
		at(2),
		typeText("ชื่อ", "มานะ"),
		typeText("นามสกุล", "ทองดี"),
		typeText("เลขประจำตัวประชาชน 13 หลัก", validID),
		choose("เพศ", "m"),
		chromedp.Evaluate(`tambonPickDate("วันเกิด", 1990, 7, 20)`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
		choose("ความเกี่ยวข้องกับหัวหน้าครัวเรือน", "child"),
		choose("อาศัยอยู่ในครัวเรือนจริง", "1"),
		at(0),
		typeText("22.1 รายได้อื่น ๆ (บาท/ปี)", "9500"),
		choose("สถานะของแบบสำรวจ", "draft"),
		chromedp.Click(`button[aria-label="Send"]`, chromedp.ByQuery),
	); err != nil {
		fail("webforms-resurvey-fill", err)
	}
	result := webFormsResult(ctx, fail, "webforms-resurvey-submit")
	saveScreen(t, ctx, "webforms-resurvey-sent-phone.png")
	if !strings.HasPrefix(result, "201") || !strings.Contains(result, "saved") || strings.Contains(result, "not yet") {
		t.Fatalf("the server's answer: %s", result)
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hist, err := s.HouseholdHistory(context.Background(), "bmn-2564", prev.Key())
	if err != nil || len(hist) != 1 {
		t.Fatalf("history in bmn-2564: %+v %v", hist, err)
	}
	got := map[string]string{}
	for _, c := range hist[0].Changes {
		got[c.Field] = fmt.Sprint(c.Old) + " → " + fmt.Sprint(c.New)
	}
	want := map[string]string{
		"resurvey.from":         "<nil> → bmn-2563",
		"roster.joined":         "<nil> → มานะ ทองดี",
		"members[1].occupation": "farming → trade",
		"income.other":          "8000 → 9500",
	}
	if !maps.Equal(got, want) {
		t.Errorf("the household's history says\n%v\nwant exactly\n%v", got, want)
	}
	rec, err := s.HouseholdByKey(context.Background(), "bmn-2564", prev.Key())
	if err != nil {
		t.Fatal(err)
	}
	m := rec.Household.Members
	if len(m) != 3 || m[0].CitizenID != prev.Members[0].CitizenID || m[1].BirthDate != prev.Members[1].BirthDate || m[2].FirstName != "มานะ" || rec.Household.Collector != "moo4" {
		t.Errorf("stored roster: %+v", m)
	}
	// What the enumerator did not touch arrives as last round had it.
	got2 := rec.Household
	if got2.Income.MainOccupation != 120000 || got2.Savings != 15000 || got2.Debt.InSystem != 40000 || got2.Income.Other != 9500 {
		t.Errorf("stored income %+v, savings %d, debt %+v", got2.Income, got2.Savings, got2.Debt)
	}
	if got2.Lat == nil || got2.Lon == nil || *got2.Lat != *prev.Lat || *got2.Lon != *prev.Lon {
		t.Errorf("stored location %v %v, want last round's %v %v", got2.Lat, got2.Lon, *prev.Lat, *prev.Lon)
	}
	if len(prev.Answers) == 0 || !maps.Equal(got2.Answers, prev.Answers) {
		t.Errorf("stored answers\n%v\nwant last round's\n%v", got2.Answers, prev.Answers)
	}
	for i := range 2 {
		if !maps.Equal(m[i].Answers, prev.Members[i].Answers) {
			t.Errorf("member %d's answers\n%v\nwant last round's\n%v", i+1, m[i].Answers, prev.Members[i].Answers)
		}
	}
}
