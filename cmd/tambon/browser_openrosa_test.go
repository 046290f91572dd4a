package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// webClientDir holds the ODK Web Forms harness (npm ci installs it).
var webClientDir = filepath.Join("..", "..", "internal", "openrosa", "webclient")

// openRosaApp starts tambon serve on a new database holding round
// bmn-2564, the enumerator moo4 of หมู่ 4 เขาขลุง and a device token of
// theirs, and returns the server URL and the device's OpenRosa base path.
func openRosaApp(t *testing.T) (base, key string, db string) {
	t.Helper()
	db = tempDB(t)
	if _, errOut, err := run(t, nil, "", "round", "--db", db, "--year", "2564"); err != nil {
		t.Fatalf("round: %v %s", err, errOut)
	}
	if _, errOut, err := run(t, nil, "", "user", "create", "--db", db, "--username", "moo4", "--role", "enumerator",
		"--area", "70051304", "--password", "nong-mai-fao-4"); err != nil {
		t.Fatalf("user: %v %s", err, errOut)
	}
	out, errOut, err := run(t, nil, "", "device", "create", "--db", db, "--username", "moo4", "--name", "web forms test")
	if err != nil {
		t.Fatalf("device: %v %s", err, errOut)
	}
	m := regexp.MustCompile(`token \(shown once\): (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("device create printed no token:\n%s", out)
	}
	base, _ = startApp(t, nil, "serve", "--db", db)
	return base, "/openrosa/key/" + m[1], db
}

// ODK's own browser client, @getodk/web-forms from the npm registry, loads
// the generated form in headless Chromium, is filled in on a phone-sized
// screen and submits to tambon; the household is then in the round.
func TestBrowserOpenRosaWebForms(t *testing.T) {
	if _, err := os.Stat(filepath.Join(webClientDir, "node_modules", "@getodk", "web-forms", "dist", "index.js")); err != nil {
		t.Skip("ODK Web Forms test skipped: run `npm ci` in internal/openrosa/webclient (needs the npm registry)")
	}
	ctx := browser(t)
	base, key, db := openRosaApp(t)
	// One origin for the harness and the server, as a deployment would
	// serve Web Forms beside its OpenRosa endpoints.
	target, _ := url.Parse(base)
	mux := http.NewServeMux()
	mux.Handle("/webclient/", http.StripPrefix("/webclient/", http.FileServer(http.Dir(webClientDir))))
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)

	page := front.URL + "/webclient/index.html?server=" + url.QueryEscape(key)
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		var st, res string
		var labels []string
		chromedp.Run(ctx, chromedp.Text(`#status`, &st, chromedp.ByID), chromedp.Text(`#result`, &res, chromedp.ByID),
			chromedp.Evaluate(`[...document.querySelectorAll('.question-container .control-text label')].map(l => l.textContent.trim())`, &labels))
		t.Fatalf("%s: %v (page status %q, result %q; questions shown %q)", name, err, st, res, labels)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(page),
		chromedp.WaitVisible(`input[value="70051304"]`, chromedp.ByQuery), // from villages.csv, the device's own village
		chromedp.Evaluate(webFormsHelpers, nil),
	); err != nil {
		fail("webforms-load", err)
	}
	// The Thai is drawn in tambon's Sarabun, not as the empty boxes of a
	// machine without a Thai font: its Thai face loads, and waits to be
	// used ("block"), since an "optional" face that comes late is never
	// used on this page, which nothing preloads.
	var thaiFont string
	if err := chromedp.Run(wctx, chromedp.Evaluate(`document.fonts.load('16px "Sarabun"', "ก").then(fs =>
		fs.filter(f => f.unicodeRange.includes("E01")).map(f => f.status + " " + f.display).join(","))`,
		&thaiFont, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })); err != nil || thaiFont != "loaded block" {
		fail("webforms-font", fmt.Errorf("the Thai Sarabun face: %q, want %q (%v)", thaiFont, "loaded block", err))
	}
	if err := chromedp.Run(wctx, chromedp.Evaluate(`document.fonts.ready`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	})); err != nil {
		fail("webforms-font", err)
	}
	saveScreen(t, ctx, "webforms-loaded-phone.png")

	// byLabel finds the n-th control whose question label is exactly label.
	id := func(label string) string {
		var v string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`tambonControl(`+jsString(label)+`)`, &v)); err != nil || v == "" {
			fail("webforms-find", fmt.Errorf("no control labelled %q (%v)", label, err))
		}
		return `[id="` + v + `"]`
	}
	typeText := func(label, value string) chromedp.Action {
		// Thai goes in as an input method would put it (key events drop
		// vowels): set the value, then the input event Vue listens to.
		return chromedp.Evaluate(`tambonType(`+jsString(label)+`, `+jsString(value)+`)`, nil)
	}
	choose := func(label, value string) chromedp.Action {
		return chromedp.Evaluate(`tambonChoose(`+jsString(label)+`, `+jsString(value)+`)`, nil)
	}
	if err := chromedp.Run(ctx,
		choose("หมู่บ้าน", "70051304"),
		typeText("บ้านเลขที่", "99/1"),
		typeText("ชื่อผู้ให้ข้อมูล", "นางสมหญิง ใจดี"),
		// A new household: all its members are new; the roster then has
		// that many members to fill in.
		webFormsNewMembers(1),
		typeText("ชื่อ", "สมหญิง"),
		typeText("นามสกุล", "ใจดี"),
		// A citizen ID with a wrong check digit first: the form's own
		// constraint must refuse it in the client.
		typeText("เลขประจำตัวประชาชน 13 หลัก", "1234567890123"),
		chromedp.Click(`button[aria-label="Send"]`, chromedp.ByQuery),
		chromedp.Sleep(500*time.Millisecond),
	); err != nil {
		fail("webforms-fill", err)
	}
	var shown string
	chromedp.Run(ctx, chromedp.Evaluate(`tambonMessage("เลขประจำตัวประชาชน 13 หลัก")`, &shown))
	chromedp.Run(ctx, chromedp.ScrollIntoView(id("เลขประจำตัวประชาชน 13 หลัก"), chromedp.ByQuery))
	saveScreen(t, ctx, "webforms-bad-id-phone.png")
	if !strings.Contains(shown, "เลขตรวจสอบ") {
		t.Errorf("the client did not refuse a wrong check digit; the message under the field is %q", shown)
	}
	var subs int
	chromedp.Run(ctx, chromedp.Evaluate(`window.tambon.submissions.length`, &subs))
	if subs != 0 {
		t.Fatalf("the client submitted a form that breaks its constraints")
	}
	// The date picker reads typed dates in the format it shows the
	// preloaded survey date in.
	var today string
	chromedp.Run(ctx, chromedp.Value(id("วันที่สำรวจ"), &today, chromedp.ByQuery))
	t.Logf("the survey date is shown as %q", today)
	shownIs := func(when string, want map[string]bool) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			for label, want := range want {
				var shown bool
				chromedp.Evaluate(`!!tambonContainer(`+jsString(label)+`)`, &shown).Do(ctx)
				if shown != want {
					t.Errorf("occupation %s: question %q shown = %v, want %v", when, label, shown, want)
				}
			}
			return nil
		})
	}
	if err := chromedp.Run(ctx,
		typeText("เลขประจำตัวประชาชน 13 หลัก", validID),
		choose("เพศ", "f"),
		// The birth date through the date picker, as a person taps it:
		// year view, back to the 1980s, 1980, March, the 15th.
		chromedp.Evaluate(`tambonPickDate("วันเกิด", 1980, 3, 15)`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var v string
			chromedp.Value(id("วันเกิด"), &v, chromedp.ByQuery).Do(ctx)
			t.Logf("the birth date box shows %q", v)
			var errs []string
			chromedp.Evaluate(`window.tambonErrors.filter(e => !e.startsWith('console.warn'))`, &errs).Do(ctx)
			if len(errs) > 0 {
				t.Errorf("the client reported errors evaluating the form: %q", errs)
			}
			return nil
		}),
		choose("อาศัยอยู่ในครัวเรือนจริง", "1"),
		// Who is asked what follows the indicator set: born in 1980 she
		// is 40 at the reference date (31 Dec 2020), so the literacy
		// question (15-59) shows, the birth weight (newborns) and the
		// elderly-care question (60+) do not.
		chromedp.ActionFunc(func(ctx context.Context) error {
			for label, want := range map[string]bool{
				"19.2 อ่าน เขียนภาษาไทย และคิดเลขอย่างง่ายได้":            true,
				"1.2 น้ำหนักแรกเกิด (กรัม)":                               false,
				"27.2 ได้รับการดูแลจากครอบครัว ชุมชน ภาครัฐ หรือภาคเอกชน": false,
				// One resident: the questions for those living alone show,
				// those for families of two or more do not.
				"31.2 มีบิดา มารดา ลูกหลาน หรือญาติพี่น้อง":                                 true,
				"31.1 (1) มีเวลาอยู่พร้อมหน้าและทำกิจกรรมร่วมกันอย่างน้อยสัปดาห์ละ 1 ครั้ง": false,
			} {
				var shown bool
				chromedp.Evaluate(`!!tambonContainer(`+jsString(label)+`)`, &shown).Do(ctx)
				if shown != want {
					t.Errorf("question %q shown = %v, want %v", label, shown, want)
				}
			}
			return nil
		}),
		// Questions 18 and 20 hang on the occupation list's codes: only
		// studying hides 20; no occupation after M.3 asks 18.
		choose("อาชีพหลัก", "student"),
		chromedp.Sleep(200*time.Millisecond),
		shownIs("student", map[string]bool{"20.2 อาชีพและรายได้": false, "18.2 ได้รับการฝึกอบรมด้านอาชีพ": false}),
		choose("การศึกษาสูงสุด", "lower_secondary"),
		choose("อาชีพหลัก", "none"),
		chromedp.Sleep(200*time.Millisecond),
		shownIs("none after M.3", map[string]bool{"20.2 อาชีพและรายได้": true, "18.2 ได้รับการฝึกอบรมด้านอาชีพ": true}),
		choose("อาชีพหลัก", "farming"),
		chromedp.Sleep(200*time.Millisecond),
		shownIs("farming", map[string]bool{"20.2 อาชีพและรายได้": true, "18.2 ได้รับการฝึกอบรมด้านอาชีพ": false}),
		choose("ความเกี่ยวข้องกับหัวหน้าครัวเรือน", "head"),
		choose("อาศัยอยู่ในครัวเรือนจริง", "1"),
		choose("สถานะของแบบสำรวจ", "draft"),
		chromedp.Click(`button[aria-label="Send"]`, chromedp.ByQuery),
	); err != nil {
		fail("webforms-fill", err)
	}
	result := webFormsResult(ctx, fail, "webforms-submit")
	saveScreen(t, ctx, "webforms-submitted-phone.png")
	if !strings.HasPrefix(result, "201") || !strings.Contains(result, "saved") {
		t.Fatalf("the server's answer to Web Forms: %s", result)
	}
	// The household is in the round, as Web Forms filled it in.
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var found *survey.Household
	s.EachHousehold(context.Background(), "bmn-2564", "70051304", func(r survey.Record) error {
		if r.Household.HouseNo == "99/1" {
			found = r.Household
		}
		return nil
	})
	if found == nil {
		t.Fatal("the submitted household is not in the round")
	}
	m := found.Members
	if len(m) != 1 || m[0].FirstName != "สมหญิง" || m[0].CitizenID != validID || m[0].Sex != "f" || m[0].BirthDate.Format(time.DateOnly) != "1980-03-15" || m[0].Occupation != "farming" ||
		found.Collector != "moo4" || found.Respondent != "นางสมหญิง ใจดี" {
		t.Fatalf("stored as %+v with members %+v", found, m)
	}
}

// webFormsNewMembers answers how many members are not yet on the list (a
// new household: all of them), typed as a keyboard does (a numeric input
// reads key presses); the roster then has that many more members.
func webFormsNewMembers(n int) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var id string
		if err := chromedp.Evaluate(`tambonControl("จำนวนสมาชิกใหม่ที่ยังไม่มีในรายชื่อ")`, &id).Do(ctx); err != nil || id == "" {
			return fmt.Errorf("no question for the number of new members (%v)", err)
		}
		if err := chromedp.SendKeys(`[id="`+id+`"]`, strconv.Itoa(n)+"\t", chromedp.ByQuery).Do(ctx); err != nil {
			return err
		}
		return chromedp.Sleep(300 * time.Millisecond).Do(ctx)
	})
}

// validID has a correct check digit.
const validID = "1101700203450"

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// webFormsHelpers finds Web Forms' controls by their question label (the
// ids are generated) and fills them as a person would.
const webFormsHelpers = `
window.tambonErrors = [];
window.addEventListener('error', e => tambonErrors.push('error: ' + e.message));
window.addEventListener('unhandledrejection', e => tambonErrors.push('rejection: ' + (e.reason && e.reason.stack || e.reason)));
const origError = console.error, origWarn = console.warn;
console.error = (...a) => { tambonErrors.push('console.error: ' + a.map(x => x && x.stack || String(x)).join(' ')); origError(...a); };
console.warn = (...a) => { tambonErrors.push('console.warn: ' + a.map(String).join(' ')); origWarn(...a); };
// tambonAt(n) makes the helpers below act on the n-th question of a label
// (0 first): a roster asks each member the same questions.
window.tambonIndex = 0;
window.tambonAt = (n) => { window.tambonIndex = n; };
window.tambonContainer = (label) => [...document.querySelectorAll('.question-container')]
  .filter(c => (c.querySelector('.control-text label')?.textContent ?? '').trim() === label)[window.tambonIndex];
window.tambonControl = (label) => {
  const c = tambonContainer(label);
  return c ? (c.querySelector('input') ?? {}).id ?? '' : '';
};
window.tambonType = (label, value) => {
  const el = tambonContainer(label).querySelector('input');
  el.focus();
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
  el.blur();
};
window.tambonChoose = (label, value) => {
  tambonContainer(label).querySelector('input[value="' + value + '"]').click();
};
const tick = () => new Promise(r => setTimeout(r, 150));
window.tambonPickDate = async (label, year, month, day) => {
  tambonContainer(label).querySelector('input').click();
  await tick();
  const panel = () => document.querySelector('.p-datepicker-panel');
  panel().querySelector('.p-datepicker-select-year').click();
  await tick();
  for (let i = 0; i < 30; i++) {
    const years = [...panel().querySelectorAll('.p-datepicker-year')].map(e => +e.textContent.trim());
    if (years.includes(year)) break;
    panel().querySelector(years[0] > year ? '.p-datepicker-prev-button' : '.p-datepicker-next-button').click();
    await tick();
  }
  [...panel().querySelectorAll('.p-datepicker-year')].find(e => +e.textContent.trim() === year).click();
  await tick();
  panel().querySelectorAll('.p-datepicker-month')[month - 1].click();
  await tick();
  [...panel().querySelectorAll('td.p-datepicker-day-cell:not(.p-datepicker-other-month) .p-datepicker-day')]
    .find(e => +e.textContent.trim() === day).click();
  await tick();
};
window.tambonMessage = (label) => {
  const m = tambonContainer(label).querySelector('.validation-message');
  return m && m.offsetParent ? m.textContent : '';
};
`

// A household sent from a phone with a mistyped citizen ID waits in the
// review queue; the enumerator, on a phone, opens it, reads the reason,
// corrects the ID, and the household is saved.
func TestBrowserSubmissionReviewQueue(t *testing.T) {
	ctx := browser(t)
	base, key, db := openRosaApp(t)
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rd, err := s.Round(context.Background(), "bmn-2564")
	if err != nil {
		t.Fatal(err)
	}
	eng, _ := engine.ForRound(rd)
	f, _ := xform.Build(rd, eng.Set())
	h := surveyfile.Example(eng.Set(), "70051304", 1, 77)[0]
	h.RoundID, h.HouseNo, h.HouseCode = rd.ID, "12/3", ""
	good := h.Members[0].CitizenID
	h.Members[0].CitizenID = good[:12] + fmt.Sprint((int(good[12]-'0')+1)%10)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("xml_submission_file", "instance.xml")
	part.Write(xform.Encode(f, eng.Set(), h, "uuid:browser-queue-1", ""))
	mw.Close()
	req, _ := http.NewRequest("POST", base+key+"/submission", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-OpenRosa-Version", "1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("the phone's submission: %v %v", resp, err)
	}
	resp.Body.Close()

	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	var list, reasons string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next=/submissions"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "moo4", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, "nong-mai-fao-4", chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#submissions`),
		chromedp.Text(`#submissions tbody`, &list, chromedp.ByQuery),
	); err != nil {
		fail("submission-queue", err)
	}
	saveScreen(t, ctx, "submission-queue-phone.png")
	if !strings.Contains(list, "เลขประจำตัวประชาชน") || strings.Contains(list, h.Members[0].CitizenID) {
		t.Errorf("the queue should give the reason in Thai without the ID itself: %q", list)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#submissions tbody a`, chromedp.ByQuery),
		wait(`#fix-form`),
		chromedp.Text(`#problems`, &reasons, chromedp.ByQuery),
	); err != nil {
		fail("submission-view", err)
	}
	save(t, ctx, "submission-view-phone.png")
	if !strings.Contains(reasons, "members[0].citizen_id") {
		t.Errorf("reasons shown: %q", reasons)
	}
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`#m0-cid`, good, chromedp.ByID),
		chromedp.SetValue(`#f-note`, "แก้เลขตามบัตรประชาชน", chromedp.ByID),
		chromedp.Click(`#fix-submit`, chromedp.ByID),
		wait(`#submissions, #submissions-empty`),
	); err != nil {
		fail("submission-fix", err)
	}
	var loc string
	chromedp.Run(ctx, chromedp.Location(&loc))
	if !strings.Contains(loc, "/submissions") {
		t.Fatalf("after the fix the page is %s", loc)
	}
	// In English too, the accepted tab lists it.
	var accepted string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/submissions?status=accepted&lang=en"),
		wait(`#submissions`),
		chromedp.Text(`#submissions tbody`, &accepted, chromedp.ByQuery),
	); err != nil {
		fail("submission-accepted", err)
	}
	saveScreen(t, ctx, "submission-accepted-en-phone.png")
	if !strings.Contains(accepted, "moo4") {
		t.Errorf("the fixed submission is not listed as saved: %q", accepted)
	}
	var found bool
	s.EachHousehold(context.Background(), rd.ID, "70051304", func(r survey.Record) error {
		found = found || (r.Household.HouseNo == "12/3" && r.Household.Members[0].CitizenID == good)
		return nil
	})
	if !found {
		t.Fatal("the corrected household is not in the round")
	}
}

// webFormsResult waits up to 20 s for ODK Web Forms to send the form and
// returns the server's answer as the page shows it; when nothing is sent,
// it fails (as name) with the validation messages the form shows.
func webFormsResult(ctx context.Context, fail func(string, error), name string) string {
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var result string
	if err := chromedp.Run(rctx, chromedp.Poll(`window.tambon.submissions.length > 0`, nil), chromedp.Text(`#result`, &result, chromedp.ByID)); err != nil {
		var msgs string
		chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll('.validation-message')].filter(e => e.offsetParent).map(e => e.closest('.question-container').querySelector('label').textContent + ': ' + e.textContent).join('\n')`, &msgs))
		fail(name, fmt.Errorf("%v; messages shown:\n%s", err, msgs))
	}
	return result
}
