package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The ตำบลเขาขลุง team records a meeting the way officials work: two
// follow-ups as rows with dates from the browser's picker (shown in พ.ศ.),
// one more row added and removed again, a village head picked from the
// partners, another attendee typed in a row and the village found by its
// name. Sent with one mistake, the page comes back with the field marked
// invalid, its error beside it and the focus on it; corrected, it is saved.
// In Thai on a desktop and in English on a phone.
func TestBrowserActivityFormRowsAndErrors(t *testing.T) {
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	base := activityApp(t)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, "forms-"+name+"-failed.png")
		t.Fatal(err)
	}
	eval := func(js string, out any) {
		t.Helper()
		if err := chromedp.Run(ctx, chromedp.Evaluate(js, out)); err != nil {
			fail("eval", fmt.Errorf("%s: %w", js, err))
		}
	}
	// pickDate does what the browser's date picker does: it sets the
	// input's value (always YYYY-MM-DD, whatever the display) and tells the page.
	pickDate := func(id, iso string) {
		t.Helper()
		var ok bool
		eval(fmt.Sprintf(`(function(){var e=document.getElementById(%q); e.focus(); e.value=%q;
			e.dispatchEvent(new Event("input",{bubbles:true})); e.dispatchEvent(new Event("change",{bubbles:true})); return e.value===%q})()`, id, iso, iso), &ok)
		if !ok {
			t.Fatalf("the date input %s did not take %s", id, iso)
		}
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`nav.user form[action="/logout"]`),
	); err != nil {
		fail("signin", err)
	}

	for _, tt := range []struct {
		lang, device  string
		width, height int64
		be, added     string
		title         string
	}{
		{"th", "desktop", 1280, 900, "31 ม.ค. 2570", "เพิ่มงานติดตาม", "ประชุมวางแผนแหล่งน้ำ หมู่ 4"},
		{"en", "phone", 390, 844, "31 Jan 2027", "Add a follow-up", "Water planning meeting, Moo 4"},
	} {
		t.Run(tt.lang+"-"+tt.device, func(t *testing.T) {
			name := func(s string) string { return "forms-activity-" + s + "-" + tt.lang + "-" + tt.device + ".png" }
			if err := chromedp.Run(ctx,
				chromedp.EmulateViewport(tt.width, tt.height),
				chromedp.Navigate(base+"/activities/new?lang="+tt.lang),
				wait(`#activity-form`),
				wait(`[data-add-row]`), // the script shows the row buttons
				chromedp.SendKeys(`#title_th`, tt.title, chromedp.ByQuery),
			); err != nil {
				fail("open", err)
			}
			pickDate("date", "2027-01-18")

			// The village by its name, from the list of matches.
			if err := chromedp.Run(ctx,
				chromedp.Clear(`#area`, chromedp.ByQuery),
				chromedp.SendKeys(`#area`, "หนองไม้", chromedp.ByQuery),
				wait(`#area-options [role=option]`),
			); err != nil {
				fail("area-options", err)
			}
			save(t, ctx, name("area-picker"))
			// (a full screenshot takes the focus away, which closes the list)
			if err := chromedp.Run(ctx,
				chromedp.Clear(`#area`, chromedp.ByQuery),
				chromedp.SendKeys(`#area`, "หนองไม้", chromedp.ByQuery),
				wait(`#area-options [role=option]`),
				chromedp.KeyEvent(kb.ArrowDown),
				chromedp.KeyEvent(kb.Enter),
			); err != nil {
				fail("area-pick", err)
			}
			var code, shown string
			eval(`document.getElementById("area_code").value`, &code)
			eval(`document.getElementById("area").value`, &shown)
			if code != "70051304" || !strings.Contains(shown, "หนองไม้เฝ้า") {
				t.Errorf("picked area %q shown as %q, want 70051304 บ้านหนองไม้เฝ้า", code, shown)
			}

			// The village head from the searchable list of partners.
			var hidden int
			if err := chromedp.Run(ctx, chromedp.SendKeys(`#attendee-search`, "สมบัติ", chromedp.ByQuery)); err != nil {
				fail("attendee-search", err)
			}
			eval(`Array.prototype.filter.call(document.querySelectorAll("#attendee-list label"), function(l){return l.hidden}).length`, &hidden)
			if hidden == 0 {
				t.Errorf("typing a name hides no partner")
			}
			// (brought to the middle of the screen: the sticky save bar covers the bottom)
			eval(`document.querySelector('#attendee-list label[data-names*="สมบัติ"]').scrollIntoView({block: "center"})`, nil)
			if err := chromedp.Run(ctx,
				chromedp.Click(`#attendee-list label[data-names*="สมบัติ"] input`, chromedp.ByQuery),
				chromedp.SendKeys(`#guests-1-name`, "นางสมศรี ใจงาม", chromedp.ByQuery),
				chromedp.SendKeys(`#guests-1-role`, "ผู้นำเสนอ", chromedp.ByQuery),
			); err != nil {
				fail("attendees", err)
			}

			// Two follow-ups; the second's due date is left out (the mistake).
			if err := chromedp.Run(ctx,
				chromedp.SendKeys(`#followups-1-action`, "สำรวจแหล่งน้ำ", chromedp.ByQuery),
				chromedp.SendKeys(`#followups-1-owner`, "นายสมบัติ ใจเย็น", chromedp.ByQuery),
				chromedp.SetValue(`#followups-1-status`, "in_progress", chromedp.ByQuery),
				chromedp.SendKeys(`#followups-2-action`, "ส่งรายงานผล", chromedp.ByQuery),
				chromedp.SendKeys(`#followups-2-owner`, "องค์การบริหารส่วนตำบลเขาขลุง", chromedp.ByQuery),
			); err != nil {
				fail("followups", err)
			}
			pickDate("followups-1-due", "2027-01-31")
			var be string
			eval(`document.getElementById("followups-1-due-shown").textContent`, &be)
			if be != tt.be {
				t.Errorf("beside the picker: %q, want %q", be, tt.be)
			}
			// A row added by the button takes the focus; removed again.
			var rows int
			var focused string
			if err := chromedp.Run(ctx, chromedp.Click(`[data-rows=followups] [data-add-row]`, chromedp.ByQuery)); err != nil {
				fail("add-row", err)
			}
			eval(`document.querySelectorAll("[data-rows=followups] [data-row]").length`, &rows)
			eval(`document.activeElement.id`, &focused)
			if rows != 3 || focused != "followups-3-action" {
				t.Errorf("after adding: %d rows, focus on %q; want 3 rows and the new row's task", rows, focused)
			}
			save(t, ctx, name("rows"))
			eval(`document.querySelector('[data-rows=followups] [data-row="3"] [data-remove-row]').click()`, nil)
			eval(`document.querySelectorAll("[data-rows=followups] [data-row]").length`, &rows)
			if rows != 2 {
				t.Errorf("after removing: %d rows, want 2", rows)
			}

			// Sent with the mistake: the field is marked, described and focused.
			if err := chromedp.Run(ctx, chromedp.Click(`#save`, chromedp.ByQuery), wait(`#form-errors`)); err != nil {
				fail("submit-bad", err)
			}
			time.Sleep(300 * time.Millisecond) // the deferred script moves the focus
			var invalid []string
			var described, errText string
			eval(`document.activeElement.id`, &focused)
			eval(`Array.prototype.map.call(document.querySelectorAll("[aria-invalid=true]"), function(e){return e.id})`, &invalid)
			eval(`document.getElementById("followups-2-due").getAttribute("aria-describedby")`, &described)
			eval(`(document.getElementById("followups-2-due-error")||{}).textContent||""`, &errText)
			save(t, ctx, name("error"))
			if focused != "followups-2-due" || len(invalid) != 1 || invalid[0] != "followups-2-due" {
				t.Errorf("focus on %q, invalid %v; want both on followups-2-due", focused, invalid)
			}
			if !strings.Contains(described, "followups-2-due-error") || errText == "" {
				t.Errorf("the due date is described by %q, error %q", described, errText)
			}
			var page, view int
			eval(`document.documentElement.scrollWidth`, &page)
			eval(`document.documentElement.clientWidth`, &view)
			if page > view {
				t.Errorf("the refused form is %d px wide on a %d px screen: it scrolls sideways", page, view)
			}
			// The form with its error passes the accessibility rules.
			axeCheck(t, ctx, name("axe"))
			// What was entered came back: the rows, the picked area and people.
			var back struct {
				Code, Area, Due, Status string
				Head                    bool
				Guest                   string
			}
			eval(`({Code: document.getElementById("area_code").value, Area: document.getElementById("area").value,
				Due: document.getElementById("followups-1-due").value, Status: document.getElementById("followups-1-status").value,
				Head: Array.prototype.some.call(document.querySelectorAll("input[name=attendee_id]:checked"), function(e){return e.parentNode.getAttribute("data-names").indexOf("สมบัติ")>=0}),
				Guest: document.getElementById("guests-1-name").value})`, &back)
			if back.Code != "70051304" || back.Due != "2027-01-31" || back.Status != "in_progress" || !back.Head || back.Guest != "นางสมศรี ใจงาม" {
				t.Errorf("the refused form lost what was entered: %+v", back)
			}

			// Corrected and saved.
			pickDate("followups-2-due", "2027-02-28")
			if err := chromedp.Run(ctx, chromedp.Click(`#save`, chromedp.ByQuery), wait(`#fu-h`)); err != nil {
				fail("submit-good", err)
			}
			save(t, ctx, name("saved"))
			var fu, people string
			if err := chromedp.Run(ctx, chromedp.Text(`#followups`, &fu, chromedp.ByQuery), chromedp.Text(`main`, &people, chromedp.ByQuery)); err != nil {
				fail("saved", err)
			}
			for _, want := range []string{"สำรวจแหล่งน้ำ", "ส่งรายงานผล"} {
				if !strings.Contains(fu, want) {
					t.Errorf("the saved follow-ups %q lack %s", fu, want)
				}
			}
			if !strings.Contains(people, "นายสมบัติ ใจเย็น") || !strings.Contains(people, "นางสมศรี ใจงาม") {
				t.Errorf("the saved attendees lack the village head or the guest")
			}
		})
	}
}

// axeCheck runs axe-core on the page shown, when it is installed.
func axeCheck(t *testing.T, ctx context.Context, shot string) {
	t.Helper()
	axe, err := os.ReadFile(filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Log("axe-core not installed: accessibility rules not checked")
		return
	}
	var raw string
	if err := chromedp.Run(ctx,
		chromedp.Evaluate(string(axe), nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
			.then(r => JSON.stringify(r.violations))`, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	); err != nil {
		t.Fatalf("axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+": "+strings.ReplaceAll(n.Summary, "\n", " "))
		}
		t.Errorf("%s [%s]: %s", v.ID, v.Help, strings.Join(where, "; "))
	}
	if len(vs) > 0 {
		save(t, ctx, shot)
	}
}

// The partner, plan and sign-in forms share the same errors: on a phone,
// a partner with a bad e-mail and an area typed by name comes back with
// the e-mail marked and focused, the area found, and nothing axe-core
// objects to; the sign-in form focuses an empty password.
func TestBrowserPartnerAndLoginFormErrors(t *testing.T) {
	ctx := browser(t)
	base := activityApp(t)
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	var focused string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?lang=th"),
		wait(`#username`),
		chromedp.SendKeys(`#username`, "khaokhlung", chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		wait(`#form-errors`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	); err != nil {
		save(t, ctx, "forms-login-failed.png")
		t.Fatal(err)
	}
	saveScreen(t, ctx, "forms-login-error-th-phone.png")
	if focused != "password" {
		t.Errorf("after an empty password the focus is on %q", focused)
	}
	axeCheck(t, ctx, "forms-login-axe.png")
	if err := chromedp.Run(ctx,
		chromedp.SendKeys(`#password`, demoPassword, chromedp.ByQuery),
		chromedp.Click(`form[action="/login"] button[type=submit]`, chromedp.ByQuery),
		wait(`nav.user form[action="/logout"]`),
		chromedp.Navigate(base+"/partners/new?lang=th"),
		wait(`#partner-form`),
		chromedp.SendKeys(`#name_th`, "นางทดสอบ แบบฟอร์ม", chromedp.ByQuery),
		chromedp.Clear(`#area`, chromedp.ByQuery),
		chromedp.SendKeys(`#area`, "หนองไม้เฝ้า", chromedp.ByQuery), // typed, not picked: the server reads the name
		chromedp.SendKeys(`#email`, "ไม่ใช่อีเมล", chromedp.ByQuery),
		chromedp.Click(`#save`, chromedp.ByQuery),
		wait(`#form-errors`),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	); err != nil {
		save(t, ctx, "forms-partner-failed.png")
		t.Fatal(err)
	}
	saveScreen(t, ctx, "forms-partner-error-th-phone.png")
	var code, invalid string
	chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("area_code").value`, &code),
		chromedp.Evaluate(`Array.prototype.map.call(document.querySelectorAll("[aria-invalid=true]"), function(e){return e.id}).join(" ")`, &invalid))
	if focused != "email" || invalid != "email" || code != "70051304" {
		t.Errorf("focus on %q, invalid %q, area %q; want the e-mail alone refused and focused, the area 70051304", focused, invalid, code)
	}
	axeCheck(t, ctx, "forms-partner-axe.png")
}
