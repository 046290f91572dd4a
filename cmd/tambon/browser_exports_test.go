package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The demo administrator, on a phone, finds the Khao Khlung team's account
// on the users page and opens its password page, where a common password is
// refused beside the field; downloads the graduation of Khao Khlung's plans
// as Excel (a file with households: audited); then finds that download in
// the audit log by person and action, in Thai and in English.
func TestBrowserUsersAuditAndExports(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	var rows, count string
	var overflow bool
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next=/admin/users"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#user-search`),
		chromedp.SetValue(`#uq`, "เขาขลุง", chromedp.ByQuery), // typed Thai is mangled by the key events; the value is what a keyboard leaves
		chromedp.Submit(`#uq`, chromedp.ByQuery),
		wait(`#users-clear`),
		chromedp.Text(`#accounts tbody`, &rows, chromedp.ByQuery),
		chromedp.Text(`#users-count`, &count, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
	); err != nil {
		fail("users-search", err)
	}
	save(t, ctx, "users-search-phone.png")
	if !strings.Contains(rows, "ทีมตำบลเขาขลุง") || !strings.Contains(rows, "khaokhlung") || strings.Contains(rows, "ratchaburi") {
		t.Errorf("the search for เขาขลุง lists %q", rows)
	}
	if !strings.Contains(count, "พบ") {
		t.Errorf("the count says %q", count)
	}
	if overflow {
		t.Error("the users page is wider than a phone's screen")
	}

	// The whole list at phone width, and one account's password page.
	var pwError, who string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/admin/users"),
		wait(`#accounts`),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
	); err != nil {
		fail("users-phone", err)
	}
	save(t, ctx, "users-phone.png")
	if overflow {
		t.Error("the users list is wider than a phone's screen")
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#pw-khaokhlung`, chromedp.ByQuery),
		wait(`#password-form`),
		chromedp.Text(`#pw-who`, &who, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "qwertyuiop", chromedp.ByQuery),
		chromedp.Submit(`#password`, chromedp.ByQuery),
		wait(`#pw-error`),
		chromedp.Text(`#pw-error`, &pwError, chromedp.ByQuery),
	); err != nil {
		fail("user-password", err)
	}
	save(t, ctx, "user-password-refused-phone.png")
	if !strings.Contains(who, "khaokhlung") || !strings.Contains(pwError, "รหัสผ่านที่ใช้กันทั่วไป") {
		t.Errorf("password page for %q says %q", who, pwError)
	}

	// The graduation of Khao Khlung's plans as Excel, downloaded and read back.
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/areas/700513/graduation"),
		wait(`#graduation-xlsx`),
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(`#graduation-xlsx`, chromedp.ByQuery),
	); err != nil {
		fail("graduation-xlsx", err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the graduation download did not finish")
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the graduation file is not a workbook: %v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("graduation sheets: %v", sheets)
	}
	counts, _ := f.GetRows(sheets[0])
	helped, _ := f.GetRows(sheets[1])
	if len(counts) < 2 || counts[0][0] != "แผน" || len(helped) < 2 || !strings.HasSuffix(helped[1][2], "***") {
		t.Errorf("graduation file: %q / %.3q", counts, helped)
	}

	// The download is in the audit log: by person and action, in Thai…
	var found, entries string
	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/admin/audit"),
		wait(`#audit-search`),
		chromedp.SetValue(`#a-user`, "admin", chromedp.ByQuery),
		chromedp.SetValue(`#a-action`, "export.personal", chromedp.ByQuery),
		chromedp.SetValue(`#a-from`, from, chromedp.ByQuery),
		chromedp.Submit(`#a-user`, chromedp.ByQuery),
		wait(`#audit-count`),
		chromedp.Text(`#audit-count`, &found, chromedp.ByQuery),
		chromedp.Text(`#audit-log tbody`, &entries, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
	); err != nil {
		fail("audit-th", err)
	}
	save(t, ctx, "audit-filtered-phone.png")
	if !strings.Contains(found, "พบ 1 รายการ") || !strings.Contains(entries, "ดาวน์โหลดไฟล์ที่มีข้อมูลส่วนบุคคล") || !strings.Contains(entries, "ผู้ดูแลระบบ") {
		t.Errorf("the Thai audit log: %q / %q", found, entries)
	}
	if overflow {
		t.Error("the audit log is wider than a phone's screen")
	}
	// …and in English, the same search kept.
	if err := chromedp.Run(ctx,
		chromedp.Click(`a.lang`, chromedp.ByQuery),
		wait(`#audit-count`),
		chromedp.Text(`#audit-count`, &found, chromedp.ByQuery),
		chromedp.Text(`#audit-log tbody`, &entries, chromedp.ByQuery),
	); err != nil {
		fail("audit-en", err)
	}
	save(t, ctx, "audit-filtered-en-phone.png")
	if !strings.Contains(found, "1 entries found") || !strings.Contains(entries, "File with personal data downloaded") {
		t.Errorf("the English audit log: %q / %q", found, entries)
	}
}
