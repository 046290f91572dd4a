package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a headless browser, or skips the test saying how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	if raceBuild {
		// Under -race the demo takes minutes to build and every page is ten
		// times slower, past any sensible wait. .ci/run runs these tests
		// without it; the server code they drive runs under -race in
		// internal/web's tests.
		t.Skip("browser test skipped under -race (run without -race, as .ci/run does)")
	}
	if os.Getenv("TAMBON_BROWSER_LATER") != "" {
		// .ci/run sets this for the first pass of go test ./... and runs
		// the browser tests once, on their own, in its third step.
		t.Skip("browser test skipped: TAMBON_BROWSER_LATER is set (.ci/run runs the browser tests in their own step)")
	}
	for _, name := range []string{os.Getenv("TAMBON_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test skipped: no Chromium found (apt-get install -y chromium, or set TAMBON_CHROMIUM)")
	return ""
}

// browser starts a headless Chromium with the flags this closed network needs.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserFor(t, 90*time.Second)
}

// browserFor is browser with another time limit for the whole test.
func browserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, limit)
	t.Cleanup(cancel3)
	return ctx
}

// screenshotDir is where browser tests leave their pictures to be looked at.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("TAMBON_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tambon-screenshots")
	}
	os.MkdirAll(dir, 0o755)
	return dir
}

func save(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// A new user opens the home page, searches เขาขลุง, walks down to หมู่ 4.
func TestBrowserFindKhaoKhlungMoo4(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "serve", "--db", tempDB(t))

	var title, crumbs, heading, villages string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#q`, chromedp.ByID),
		chromedp.Title(&title),
	)
	if err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "home.png")
	if !strings.Contains(title, "tambon") {
		t.Errorf("title %q", title)
	}
	err = chromedp.Run(ctx,
		// Thai is typed through an input method, which key events cannot
		// imitate (they drop the vowels), so the text is set as an IME would.
		chromedp.SetValue(`#q`, "เขาขลุง", chromedp.ByID),
		chromedp.Submit(`#q`, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(wctx, chromedp.WaitVisible(`#results, #children`, chromedp.ByQuery)); err != nil {
		save(t, ctx, "search-failed.png")
		var loc, val string
		chromedp.Run(ctx, chromedp.Location(&loc), chromedp.Value(`#q`, &val, chromedp.ByID))
		t.Fatalf("no search results at %s (box holds %q): %v", loc, val, err)
	}
	save(t, ctx, "search.png")
	// Several places may be called เขาขลุง; pick the one in Ban Pong.
	var loc string
	chromedp.Run(ctx, chromedp.Location(&loc))
	if !strings.HasSuffix(loc, "/areas/700513") {
		if err := chromedp.Run(ctx, chromedp.Click(`#results a[href="/areas/700513"]`, chromedp.ByQuery)); err != nil {
			t.Fatalf("no link to 700513 among the results: %v", err)
		}
	}
	err = chromedp.Run(ctx,
		chromedp.WaitVisible(`#children`, chromedp.ByID),
		chromedp.Text(`#children tbody`, &villages, chromedp.ByQuery),
		chromedp.Click(`a[href="/areas/70051304"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`h1`, chromedp.ByQuery),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		chromedp.Text(`.crumbs`, &crumbs, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "moo4.png")
	if !strings.Contains(villages, "หนองไม้เฝ้า") {
		t.Errorf("Khao Khlung's villages do not list หนองไม้เฝ้า: %q", villages)
	}
	if !strings.Contains(heading, "หมู่ 4") || !strings.Contains(heading, "หนองไม้เฝ้า") {
		t.Errorf("heading %q", heading)
	}
	for _, want := range []string{"ราชบุรี", "บ้านโป่ง", "เขาขลุง"} {
		if !strings.Contains(crumbs, want) {
			t.Errorf("breadcrumbs %q lack %s", crumbs, want)
		}
	}
	// And in English.
	var en string
	if err := chromedp.Run(ctx, chromedp.Click(`a.lang`, chromedp.ByQuery), chromedp.WaitVisible(`h1`, chromedp.ByQuery), chromedp.Text(`.crumbs`, &en, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	save(t, ctx, "moo4-en.png")
	if !strings.Contains(en, "Ban Pong") || !strings.Contains(en, "Khao Khlung") {
		t.Errorf("English breadcrumbs %q", en)
	}
}

// assertFitsPhone signs in as user in a fresh browser 390 CSS pixels wide and
// opens every path in Thai and in English: no page may scroll sideways (wide
// tables scroll inside their own box). It keeps a screenshot of any that do.
func assertFitsPhone(t *testing.T, base, user string, paths []string) {
	t.Helper()
	ctx := browser(t)
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next=/"),
		chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, user, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.user form[action="/logout"]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("sign in as %s: %v", user, err)
	}
	for _, lang := range []string{"th", "en"} {
		for _, p := range paths {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			var page, view int
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+p+sep+"lang="+lang),
				chromedp.WaitVisible(`main`, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &page),
				chromedp.Evaluate(`document.documentElement.clientWidth`, &view),
			); err != nil {
				t.Fatalf("%s (%s): %v", p, lang, err)
			}
			if page > view {
				name := "sideways-" + lang + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p) + ".png"
				save(t, ctx, name)
				t.Errorf("%s in %s is %d px wide on a %d px phone: it scrolls sideways", p, lang, page, view)
			}
		}
	}
}
