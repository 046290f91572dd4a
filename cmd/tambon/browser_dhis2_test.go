package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// An administrator uploads a DHIS2 ADX file on Administration → DHIS2: the
// village figures of ตำบลเขาขลุง exported by `tambon dhis2 export` become a
// new aggregate round; a file that is not DHIS2 is refused with the reason,
// and nothing is made of it. The page is read in Thai and English and fits
// a phone.
func TestBrowserDHIS2Import(t *testing.T) {
	ctx := browser(t)
	db := tempDB(t)
	base, _ := startApp(t, nil, "demo", "--db", db)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "khaokhlung.adx"), filepath.Join(dir, "notes.xml")
	mustRun(t, nil)("dhis2", "export", "--round", demoRound2, "--area", "700513", "--format", "adx", "--out", good, "--db", db)
	if err := os.WriteFile(bad, []byte(`<?xml version="1.0"?><notes><note>ประชุมหมู่บ้าน</note></notes>`), 0o600); err != nil {
		t.Fatal(err)
	}
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	upload := func(file string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.Navigate(base + "/admin/dhis2"),
			wait(`#dhis2-import`),
			chromedp.SetValue(`#dhis2-round`, "dhis2-2562", chromedp.ByQuery),
			chromedp.SetUploadFiles(`#dhis2-file`, []string{file}, chromedp.ByQuery),
			chromedp.Submit(`#dhis2-file`, chromedp.ByQuery),
		}
	}
	var refused string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login?next=/admin/dhis2"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "admin", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`#dhis2-import`),
		upload(bad),
		wait(`#dhis2-refused`),
		chromedp.Text(`#dhis2-refused`, &refused, chromedp.ByQuery),
	); err != nil {
		fail("dhis2-refused", err)
	}
	save(t, ctx, "dhis2-refused-th.png")
	if !strings.ContainsAny(refused, "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ") {
		t.Errorf("the refusal of a file that is not DHIS2 says %q", refused)
	}
	if _, _, err := run(t, nil, "", "dhis2", "export", "--round", "dhis2-2562", "--area", "700513", "--format", "adx", "--out", filepath.Join(dir, "none.adx"), "--db", db); err == nil {
		t.Error("a refused upload made the round dhis2-2562")
	}
	var done string
	if err := chromedp.Run(ctx,
		upload(good),
		wait(`#dhis2-done`),
		chromedp.Text(`#dhis2-done`, &done, chromedp.ByQuery),
	); err != nil {
		fail("dhis2-done", err)
	}
	save(t, ctx, "dhis2-done-th.png")
	if !strings.Contains(done, "dhis2-2562") || !strings.Contains(done, "khaokhlung.adx") {
		t.Errorf("after the upload the page says %q", done)
	}
	// The new round's figures are the exported round's, village by village.
	again := filepath.Join(dir, "again.adx")
	mustRun(t, nil)("dhis2", "export", "--round", "dhis2-2562", "--area", "700513", "--format", "adx", "--out", again, "--db", db)
	if a, b := adxValues(t, good), adxValues(t, again); a != b {
		t.Errorf("the imported round exports other figures than the round it came from")
	}
	var english string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/admin/dhis2?lang=en"),
		wait(`#dhis2-import`),
		chromedp.Text(`main`, &english, chromedp.ByQuery),
	); err != nil {
		fail("dhis2-en", err)
	}
	save(t, ctx, "dhis2-form-en.png")
	if !strings.Contains(english, "Import figures from DHIS2") || strings.Contains(english, "นำเข้า") {
		t.Errorf("the English page reads %q", english)
	}
	assertFitsPhone(t, base, "admin", []string{"/admin/dhis2"})
}

// adxValues is an ADX file's data values without the lines that name the
// round or the time of export, their comments, and without what an
// aggregate round does not hold: the net income (shown as unknown) and the
// certification (an aggregate round is not reviewed here).
func adxValues(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, "<dataValue ") || strings.Contains(line, `"TBN_NET_INCOME"`) ||
			strings.Contains(line, `"TBN_TAMBONS"`) || strings.Contains(line, `"TBN_TAMBONS_CERTIFIED"`) {
			continue
		}
		if value, _, noted := strings.Cut(line, "><annotation>"); noted {
			line = value + "/>"
		}
		keep = append(keep, strings.TrimSpace(line))
	}
	if len(keep) == 0 {
		t.Fatalf("%s holds no data values", file)
	}
	return strings.Join(keep, "\n")
}
