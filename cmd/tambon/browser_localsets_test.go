package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tambon/internal/store"
	"tambon/internal/survey"
)

// A province's local indicator reaches the phone: with the worked example
// of docs/indicators.md imported and round bmn-2570 opened after it, ODK
// Web Forms (ODK's own browser client) loads the round's XForm, which asks
// the local question; it is answered on a phone-sized screen, submitted,
// and the answer is in the stored household.
func TestBrowserOpenRosaLocalIndicator(t *testing.T) {
	if _, err := os.Stat(filepath.Join(webClientDir, "node_modules", "@getodk", "web-forms", "dist", "index.js")); err != nil {
		t.Skip("ODK Web Forms test skipped: run `npm ci` in internal/openrosa/webclient (needs the npm registry)")
	}
	ctx := browser(t)
	db := tempDB(t)
	local := filepath.Join("..", "..", "docs", "examples", "bmn-2566-2570-local.json")
	for _, args := range [][]string{
		{"migrate"},
		{"sets", "import", local, "--note", "local indicator"},
		{"round", "--year", "2570"},
		{"user", "create", "--username", "moo4", "--role", "enumerator", "--area", "70051304", "--password", "nong-mai-fao-4"},
	} {
		if out, errOut, err := run(t, nil, "", append(args, "--db", db)...); err != nil {
			t.Fatalf("%v: %v %s %s", args, err, out, errOut)
		}
	}
	out, errOut, err := run(t, nil, "", "device", "create", "--db", db, "--username", "moo4", "--name", "web forms test")
	if err != nil {
		t.Fatalf("device: %v %s", err, errOut)
	}
	m := regexp.MustCompile(`token \(shown once\): (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("device create printed no token:\n%s", out)
	}
	base, _ := startApp(t, nil, "serve", "--db", db)
	target, _ := url.Parse(base)
	mux := http.NewServeMux()
	mux.Handle("/webclient/", http.StripPrefix("/webclient/", http.FileServer(http.Dir(webClientDir))))
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target))
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)

	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		var st, res string
		chromedp.Run(ctx, chromedp.Text(`#status`, &st, chromedp.ByID), chromedp.Text(`#result`, &res, chromedp.ByID))
		t.Fatalf("%s: %v (page status %q, result %q)", name, err, st, res)
	}
	const question = "ครัวเรือนคัดแยกขยะก่อนทิ้ง (ตัวชี้วัดท้องถิ่น)"
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(front.URL+"/webclient/index.html?server="+url.QueryEscape("/openrosa/key/"+m[1])),
		chromedp.WaitVisible(`input[value="70051304"]`, chromedp.ByQuery),
		chromedp.Evaluate(webFormsHelpers, nil),
	); err != nil {
		fail("webforms-local-load", err)
	}
	var asked bool
	chromedp.Run(ctx, chromedp.Evaluate(`!!tambonContainer(`+jsString(question)+`)`, &asked))
	if !asked {
		fail("webforms-local-question", fmt.Errorf("the form of round bmn-2570 does not ask %q", question))
	}
	typeText := func(label, value string) chromedp.Action {
		return chromedp.Evaluate(`tambonType(`+jsString(label)+`, `+jsString(value)+`)`, nil)
	}
	choose := func(label, value string) chromedp.Action {
		return chromedp.Evaluate(`tambonChoose(`+jsString(label)+`, `+jsString(value)+`)`, nil)
	}
	if err := chromedp.Run(ctx,
		choose("หมู่บ้าน", "70051304"),
		typeText("บ้านเลขที่", "38/8"),
		typeText("ชื่อผู้ให้ข้อมูล", "นายสมชาย รักถิ่น"),
		webFormsNewMembers(1),
		typeText("ชื่อ", "สมชาย"),
		typeText("นามสกุล", "รักถิ่น"),
		typeText("เลขประจำตัวประชาชน 13 หลัก", validID),
		choose("เพศ", "m"),
		chromedp.Evaluate(`tambonPickDate("วันเกิด", 1975, 6, 10)`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
		choose("ความเกี่ยวข้องกับหัวหน้าครัวเรือน", "head"),
		choose("อาศัยอยู่ในครัวเรือนจริง", "1"),
		choose(question, "1"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var id string
			if err := chromedp.Evaluate(`tambonContainer(`+jsString(question)+`).querySelector('input').id`, &id).Do(ctx); err != nil {
				return err
			}
			return chromedp.ScrollIntoView(`[id="`+id+`"]`, chromedp.ByQuery).Do(ctx)
		}),
	); err != nil {
		fail("webforms-local-fill", err)
	}
	saveScreen(t, ctx, "webforms-local-question-phone.png")
	if err := chromedp.Run(ctx,
		choose("สถานะของแบบสำรวจ", "draft"),
		chromedp.Click(`button[aria-label="Send"]`, chromedp.ByQuery),
	); err != nil {
		fail("webforms-local-send", err)
	}
	result := webFormsResult(ctx, fail, "webforms-local-submit")
	if !strings.HasPrefix(result, "201") {
		t.Fatalf("the server's answer to Web Forms: %s", result)
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var found *survey.Household
	s.EachHousehold(context.Background(), "bmn-2570", "70051304", func(r survey.Record) error {
		if r.Household.HouseNo == "38/8" {
			found = r.Household
		}
		return nil
	})
	if found == nil {
		t.Fatal("the submitted household is not in round bmn-2570")
	}
	if b, ok := found.Answers["loc01_sorts_waste"].Bool(); !ok || !b {
		t.Errorf("the local answer landed as %v, want yes", found.Answers["loc01_sorts_waste"])
	}
}
