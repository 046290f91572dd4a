package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The signed-out home page says where data are, in Thai and English and on
// a phone: Ratchaburi is listed and linked, the other provinces are said to
// have nothing published yet (not zero), and the map is drawn.
func TestBrowserLandingPublic(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t), "--area", "700513")
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	for _, c := range []struct {
		lang, others, name string
		width, height      int64
	}{
		{"th", "อีก 76 จังหวัดยังไม่มีข้อมูลเผยแพร่", "landing-public-th.png", 1280, 900},
		{"en", "The other 76 provinces have no data published", "landing-public-en.png", 1280, 900},
		{"th", "อีก 76 จังหวัดยังไม่มีข้อมูลเผยแพร่", "landing-public-th-phone.png", 390, 844},
	} {
		var list, others string
		var page, view int
		if err := chromedp.Run(ctx,
			chromedp.EmulateViewport(c.width, c.height),
			chromedp.Navigate(base+"/?lang="+c.lang),
			wait(`#data-provinces a[href="/areas/70"]`),
			wait(`#map .map-svg`),
			chromedp.Text(`#data-provinces`, &list, chromedp.ByQuery),
			chromedp.Text(`#data-others`, &others, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &page),
			chromedp.Evaluate(`document.documentElement.clientWidth`, &view),
		); err != nil {
			save(t, ctx, "failed-"+c.name)
			t.Fatalf("%s: %v", c.name, err)
		}
		save(t, ctx, c.name)
		if err := drawn(ctx); err != nil {
			t.Fatalf("%s: map not drawn: %v", c.name, err)
		}
		axeCheck(t, ctx, "a11y-"+c.name)
		want := map[string]string{"th": "ราชบุรี", "en": "Ratchaburi"}[c.lang]
		if !strings.Contains(list, want) {
			t.Errorf("%s: provinces with data %q lack %s", c.name, list, want)
		}
		if !strings.Contains(others, c.others) {
			t.Errorf("%s: the others are explained as %q", c.name, others)
		}
		if page > view {
			t.Errorf("%s: the page is %d px wide on a %d px screen", c.name, page, view)
		}
	}
	// The province opens from the list.
	var path string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#data-provinces a[href="/areas/70"]`, chromedp.ByQuery),
		wait(`#map .map-svg`),
		chromedp.Evaluate(`location.pathname`, &path),
	); err != nil || path != "/areas/70" {
		t.Fatalf("opening Ratchaburi from the list: %q, %v", path, err)
	}
}

// A tambon official and a provincial official land on their own area; every
// "what needs doing" link and the completeness dashboard open for them.
func TestBrowserLandingMyArea(t *testing.T) {
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t), "--area", "700513")
	for _, c := range []struct{ user, area string }{{"khaokhlung", "เขาขลุง"}, {"ratchaburi", "ราชบุรี"}} {
		t.Run(c.user, func(t *testing.T) {
			ctx := browser(t)
			wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
			var heading string
			var links []string
			if err := chromedp.Run(ctx,
				chromedp.EmulateViewport(390, 844),
				chromedp.Navigate(base+"/login?next=/"),
				wait(`input[name=username]`),
				chromedp.SendKeys(`input[name=username]`, c.user, chromedp.ByQuery),
				chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
				chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
				wait(`#my-area`),
				chromedp.Text(`#my-area-h`, &heading, chromedp.ByQuery),
				chromedp.Evaluate(`Array.from(document.querySelectorAll("#todo a, #my-figures a")).map(a => a.getAttribute("href"))`, &links),
			); err != nil {
				save(t, ctx, "landing-"+c.user+"-failed.png")
				t.Fatal(err)
			}
			save(t, ctx, "landing-"+c.user+"-phone.png")
			axeCheck(t, ctx, "a11y-landing-"+c.user+".png")
			if !strings.Contains(heading, c.area) {
				t.Errorf("home heading %q does not name %s", heading, c.area)
			}
			dashboard := false
			for _, href := range links {
				dashboard = dashboard || strings.HasSuffix(href, "/completeness")
			}
			if !dashboard {
				t.Errorf("no link to the completeness dashboard among %q", links)
			}
			for i, href := range links {
				if strings.HasPrefix(href, "#") {
					continue
				}
				var status int
				var title string
				if err := chromedp.Run(ctx,
					chromedp.Navigate(base+href),
					wait(`main`),
					chromedp.Evaluate(`performance.getEntriesByType("navigation")[0].responseStatus`, &status),
					chromedp.Title(&title),
				); err != nil {
					t.Fatalf("open %s: %v", href, err)
				}
				if status != 200 {
					t.Errorf("%s: home links to %s, which answers %d (%s)", c.user, href, status, title)
				}
				if strings.HasSuffix(href, "/completeness") {
					save(t, ctx, "landing-"+c.user+"-dashboard.png")
					axeCheck(t, ctx, "a11y-landing-"+c.user+"-dashboard.png")
				}
				if i > 12 {
					break
				}
			}
			// In English too.
			var en string
			if err := chromedp.Run(ctx, chromedp.Navigate(base+"/?lang=en"), wait(`#my-area`), chromedp.Text(`#todo`, &en, chromedp.ByQuery)); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(en, "What needs doing") {
				t.Errorf("English home: %q", en)
			}
			save(t, ctx, "landing-"+c.user+"-en-phone.png")
		})
	}
}
