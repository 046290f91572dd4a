package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Every link a page shows opens for the one who sees it. For each demo
// account, and signed out, the pages reachable from the home page are
// crawled (same-origin links, GET only, breadth first, a bounded number of
// pages); a link shown that answers 403, 404 or a server error fails,
// naming the page that showed it.
func TestEveryLinkShownOpens(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo")
	}
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t), "--area", "700513")
	accounts := append([]string{""}, usernames(demoUsers)...)
	for _, name := range accounts {
		who := name
		if who == "" {
			who = "signed-out"
		}
		t.Run(who, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			if name != "" {
				resp, err := c.PostForm(base+"/login", url.Values{"username": {name}, "password": {demoPassword}, "next": {"/"}})
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
					t.Fatalf("sign in as %s: %d at %s", name, resp.StatusCode, resp.Request.URL)
				}
			}
			crawl(t, c, base, 300)
		})
	}
}

var hrefRE = regexp.MustCompile(`<a\b[^>]*\bhref="([^"#]+)`)

// skipLink are links a crawl does not follow: assets, the language switch
// (it only sets a cookie) and files whose links the crawl counts but need
// not fetch again and again.
func skipLink(u *url.URL) bool {
	return strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/geo/") || u.Query().Has("lang") ||
		strings.HasPrefix(u.Path, "/photos/")
}

var digitsRE = regexp.MustCompile(`[0-9]+`)

// perShape bounds the pages of one shape (the path with its numbers and
// query left out) a crawl visits, so that 77 provinces' pages do not use up
// the crawl before it reaches plans, programmes and reviews.
const perShape = 4

// crawl visits pages breadth first from "/" until limit pages are fetched.
func crawl(t *testing.T, c *http.Client, base string, limit int) {
	t.Helper()
	root, _ := url.Parse(base)
	shapes := map[string]int{}
	type link struct{ path, from string }
	queue := []link{{"/", "(start)"}}
	seen := map[string]bool{"/": true}
	fetched := 0
	for len(queue) > 0 && fetched < limit {
		l := queue[0]
		queue = queue[1:]
		resp, err := c.Get(base + l.path)
		if err != nil {
			t.Fatalf("GET %s: %v", l.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fetched++
		if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 {
			t.Errorf("%s links to %s, which answers %d", l.from, l.path, resp.StatusCode)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(body), -1) {
			ref, err := root.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || ref.Host != root.Host || skipLink(ref) {
				continue
			}
			p := ref.RequestURI()
			shape := digitsRE.ReplaceAllString(ref.Path, "#")
			if !seen[p] && shapes[shape] < perShape {
				seen[p] = true
				shapes[shape]++
				queue = append(queue, link{p, resp.Request.URL.RequestURI()})
			}
		}
	}
	if fetched < 5 {
		t.Errorf("the crawl reached only %d pages", fetched)
	}
	t.Logf("%d pages fetched, %d links seen", fetched, len(seen))
}
