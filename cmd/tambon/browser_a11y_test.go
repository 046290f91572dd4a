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

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeDir holds axe-core, the accessibility rules engine, installed for this
// test only by `npm ci` (see its package.json); tambon never serves it.
const axeDir = "testdata/axe"

// a11yPages are the public pages, one of each kind.
var a11yPages = []struct{ name, path string }{
	{"home", "/"},
	{"province", "/areas/70"},
	{"amphoe", "/areas/7005"},
	{"tambon", "/areas/700513"},
	{"village", "/areas/70051304"},
	{"indicator", "/areas/700513/indicators/6"},
	{"poverty", "/areas/700513/poverty"},
	{"report", "/areas/700513/report"},
	{"search", "/search?q=%E0%B9%80%E0%B8%82%E0%B8%B2%E0%B8%82%E0%B8%A5%E0%B8%B8%E0%B8%87"},
	{"provenance", "/about/indicators"},
	{"login", "/login"},
}

// axeViolation is what axe-core reports of one broken rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// drawn waits until the page's maps and charts are drawn (or failed), so
// that axe checks what a reader gets, not the page before its scripts ran.
//
// A page still replacing the one before (a navigation that had not finished)
// destroys the script context the poll runs in; the poll is then asked again
// in the new page's context.
func drawn(ctx context.Context) error {
	var err error
	for range 5 {
		err = chromedp.Run(ctx, chromedp.Poll(`document.readyState === "complete" &&
		!document.querySelector("figure.map[aria-busy]") &&
		Array.from(document.querySelectorAll("figure.map[data-topo]")).every(f => f.querySelector(".map-svg, .map-error")) &&
		Array.from(document.querySelectorAll("figure.chart[data-chart]")).every(f => f.querySelector(".chart-svg"))`,
			nil, chromedp.WithPollingTimeout(30*time.Second)))
		if err == nil || ctx.Err() != nil || !contextGone(err) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}

// contextGone reports whether a DevTools call failed because the page's
// script context went away under it (the page navigated meanwhile).
func contextGone(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") || strings.Contains(msg, "Execution context was destroyed")
}

// Every public page, in Thai and English, passes axe-core's WCAG 2.1 A and
// AA rules with no violation, after its maps and charts are drawn; among
// them the experimental one that a control's name contains its visible text
// (WCAG 2.5.3, label in name).
func TestBrowserAccessibility(t *testing.T) {
	axe, err := os.ReadFile(filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Skip("accessibility test skipped: run `npm ci` in cmd/tambon/testdata/axe (needs the npm registry)")
	}
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	for _, lang := range []string{"th", "en"} {
		for _, p := range a11yPages {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			if err := chromedp.Run(ctx, chromedp.Navigate(base+p.path+sep+"lang="+lang)); err != nil {
				t.Fatalf("%s (%s): %v", p.path, lang, err)
			}
			if err := drawn(ctx); err != nil {
				save(t, ctx, "a11y-undrawn-"+p.name+"-"+lang+".png")
				t.Fatalf("%s (%s): maps or charts not drawn: %v", p.path, lang, err)
			}
			var raw string
			err := chromedp.Run(ctx,
				chromedp.Evaluate(string(axe), nil),
				chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
						rules: {"label-content-name-mismatch": {enabled: true}}, resultTypes: ["violations"]})
					.then(r => JSON.stringify(r.violations))`, &raw, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
					return p.WithAwaitPromise(true)
				}),
			)
			if err != nil {
				t.Fatalf("%s (%s): axe: %v", p.path, lang, err)
			}
			var vs []axeViolation
			if err := json.Unmarshal([]byte(raw), &vs); err != nil {
				t.Fatalf("%s (%s): axe result: %v", p.path, lang, err)
			}
			for _, v := range vs {
				var where []string
				for i, n := range v.Nodes {
					if i == 3 {
						where = append(where, fmt.Sprintf("… %d more", len(v.Nodes)-3))
						break
					}
					where = append(where, fmt.Sprint(n.Target)+": "+strings.ReplaceAll(n.Summary, "\n", " "))
				}
				t.Errorf("%s (%s): %s [%s, %s]: %s", p.path, lang, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
			}
			if len(vs) > 0 {
				save(t, ctx, "a11y-"+p.name+"-"+lang+".png")
			}
			// No link hides inside an image: role=img makes its content
			// silent, so screen readers would hear nothing of the links.
			var silent int
			chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('[role="img"] a, [aria-hidden="true"] a:not([tabindex="-1"])').length`, &silent))
			if silent > 0 {
				t.Errorf("%s (%s): %d links inside an image or hidden content", p.path, lang, silent)
			}
		}
	}
}

// The map's areas are links a keyboard reaches and opens; village labels do
// not overlap; charts keep their numbers for screen readers; and the pages
// people look at most are kept as screenshots.
func TestBrowserMapKeyboardAndScreenshots(t *testing.T) {
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))

	// A keyboard user tabs to an amphoe's first tambon on the map and presses Enter.
	var href, loc string
	err := chromedp.Run(ctx, chromedp.Navigate(base+"/areas/7005"))
	if err == nil {
		err = drawn(ctx)
	}
	if err == nil {
		err = chromedp.Run(ctx,
			chromedp.Evaluate(`document.querySelector("#map a.map-area").getAttribute("href")`, &href),
			chromedp.Focus(`#map a.map-area`, chromedp.ByQuery),
			chromedp.KeyEvent("\r"),
		)
	}
	// Wait for the new page, however slow the machine (while it loads, the
	// old page's context is gone and asking may fail).
	for end := time.Now().Add(30 * time.Second); err == nil && time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if chromedp.Run(ctx, chromedp.Location(&loc)) == nil && strings.Contains(loc, "/areas/7005") && !strings.HasSuffix(loc, "/areas/7005") {
			break
		}
	}
	if err != nil {
		chromedp.Run(ctx, chromedp.Location(&loc))
		t.Fatalf("Enter on the map link to %s: %v (at %s)", href, err, loc)
	}
	if strings.Contains(strings.ToLower(href), "%7bcode%7d") || !strings.HasPrefix(href, "/areas/7005") {
		t.Errorf("the map's first link goes to %s", href)
	}
	if !strings.Contains(loc, href) {
		t.Errorf("Enter on the map link to %s opened %s", href, loc)
	}

	for _, p := range []struct{ name, path string }{
		{"a11y-tambon.png", "/areas/700513"},
		{"a11y-province.png", "/areas/70"},
		{"a11y-poverty.png", "/areas/700513/poverty"},
		{"a11y-village.png", "/areas/70051304"},
	} {
		if err := chromedp.Run(ctx, chromedp.Navigate(base+p.path)); err != nil {
			t.Fatal(err)
		}
		if err := drawn(ctx); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		save(t, ctx, p.name)
		// Labels of village points: no two overlap.
		var overlaps []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => {
			const boxes = Array.from(document.querySelectorAll("#map .map-label")).map(t => [t.textContent, t.getBoundingClientRect()]);
			const out = [];
			for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
				const [a, r] = boxes[i], [b, s] = boxes[j];
				if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) out.push(a + " × " + b);
			}
			return out;
		})()`, &overlaps)); err != nil {
			t.Fatal(err)
		}
		if len(overlaps) > 0 {
			t.Errorf("%s: village labels overlap: %v", p.path, overlaps)
		}
		// Every drawn chart's numbers reach screen readers: a table beside
		// it, or links and values inside a labelled group.
		var mute int
		chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll("figure.chart")).filter(f =>
			!f.querySelector("table.chart-fallback") && !f.querySelector('svg.chart-svg[role="group"] a[aria-label]')).length`, &mute))
		if mute > 0 {
			t.Errorf("%s: %d charts give screen readers no numbers", p.path, mute)
		}
	}
}

// On a phone on a slow line, the text does not move once shown: the
// cumulative layout shift of the pages stays under 0.1, Google's "good"
// bound (fonts swapped in late moved it by 0.36). Every shift counts:
// Chromium marks those of a page opened by the test as following input,
// though nobody touched it.
func TestBrowserNoLayoutShiftOnPhones(t *testing.T) {
	ctx := browser(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		network.Enable(), network.SetCacheDisabled(true),
		// A slow mobile line: 150 ms round trips, 1.6 Mbit/s down.
		network.EmulateNetworkConditions(false, 150, 200*1024, 100*1024),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(`window.__shift = 0;
				new PerformanceObserver(l => { for (const e of l.getEntries()) window.__shift += e.value; })
					.observe({type: "layout-shift", buffered: true});`).Do(ctx)
			return err
		})); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/areas/700513", "/areas/70", "/"} {
		var cls float64
		err := chromedp.Run(ctx, chromedp.Navigate(base+p))
		if err == nil {
			err = drawn(ctx)
		}
		if err == nil {
			err = chromedp.Run(ctx, chromedp.Sleep(time.Second), chromedp.Evaluate(`window.__shift`, &cls))
		}
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		t.Logf("%s: cumulative layout shift %.3f", p, cls)
		if cls >= 0.1 {
			save(t, ctx, "layout-shift"+strings.ReplaceAll(p, "/", "-")+".png")
			t.Errorf("%s: cumulative layout shift %.3f on a phone, want < 0.1", p, cls)
		}
	}
}
