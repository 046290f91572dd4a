package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// A phone on a slow line downloads the fonts once per release: the style
// sheet names them by hashed URLs, served as immutable for a year, and every
// page preloads them so that they are in before the text is laid out.
func TestFontsAreCachedLongAndPreloaded(t *testing.T) {
	ts := mustServer(t)
	page := mustGet(t, ts.URL, "/areas/700513")
	sheet := regexp.MustCompile(`href="(/static/css/fonts\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(page)
	if sheet == nil {
		t.Fatal("the page links no hashed fonts.css")
	}
	css := mustGet(t, ts.URL, sheet[1])
	fonts := regexp.MustCompile(`url\("([^"]+)"\)`).FindAllStringSubmatch(css, -1)
	if len(fonts) != 4 {
		t.Fatalf("fonts.css names %d fonts, want 4:\n%s", len(fonts), css)
	}
	for _, f := range fonts {
		u := f[1]
		if !regexp.MustCompile(`^/static/fonts/sarabun-[a-z]+-[47]00-normal\.[0-9a-f]{10}\.woff2$`).MatchString(u) {
			t.Errorf("fonts.css names %s, not a hashed URL", u)
			continue
		}
		code, _, h := get(t, ts, u)
		if code != 200 || !strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(h.Get("Cache-Control"), "max-age=31536000") {
			t.Errorf("%s: %d, Cache-Control %q", u, code, h.Get("Cache-Control"))
		}
		if h.Get("Content-Type") != "font/woff2" {
			t.Errorf("%s: Content-Type %q", u, h.Get("Content-Type"))
		}
		if strings.Contains(u, "-400-") && !strings.Contains(page, `<link rel="preload" href="`+u+`" as="font" type="font/woff2" crossorigin>`) {
			t.Errorf("the page does not preload %s", u)
		}
	}
	if strings.Contains(css, "font-display: swap") {
		t.Error("fonts.css swaps fonts in late, which moves the text under the reader")
	}
}
