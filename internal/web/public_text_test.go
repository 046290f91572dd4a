package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/indicator"
)

// publicPages are the pages anyone can open without signing in, at least one
// of each kind.
var publicPages = []string{
	"/",
	"/areas/70",
	"/areas/7005",
	"/areas/700513",
	"/areas/700513?round=" + roundTPMAP,
	"/areas/700513?round=" + round2561,
	"/areas/70051304",
	"/areas/700513/indicators/6",
	"/areas/700513/indicators/22?round=" + roundTPMAP,
	"/areas/700513/poverty",
	"/areas/700513/poverty?round=" + roundTPMAP,
	"/areas/7005/poverty",
	"/areas/700513/report",
	"/areas/700513/report?round=" + roundTPMAP,
	"/search?q=" + "%E0%B9%80%E0%B8%82%E0%B8%B2%E0%B8%82%E0%B8%A5%E0%B8%B8%E0%B8%87", // เขาขลุง
	"/villages/" + villageRound2562 + "/700513",
	"/villages/" + villageRound2562 + "/70051304",
	"/about/indicators",
	"/areas/99999999", // the not-found page
}

// leaks are what developers write for each other and a reader of the public
// pages must never see: file paths, section signs, confidence letters,
// command lines and raw round ids.
var leaks = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a file path", regexp.MustCompile(`\.md\b|reference/|\.go\b|\.json\b`)},
	{"a section sign", regexp.MustCompile(`§`)},
	{"a confidence letter", regexp.MustCompile(`\[[RS]\]|\[S:|(^|\s)R(\s|$)`)},
	{"a command", regexp.MustCompile(`\btambon (gen|import|export|serve|demo|round|rounds|user|migrate|mpi|mpi-spec|villages|recompute|results|review|target|targets|template|transitions|backup|restore|check|audit|device|bench|loadtest|version)\b|--[a-z]+`)},
	{"a raw round id", regexp.MustCompile(`\b(bmn|tpmap|kcc2k)-\d{4}\b`)},
}

var (
	hiddenParts = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`)
	tag         = regexp.MustCompile(`(?s)<[^>]*>`)
	spokenAttr  = regexp.MustCompile(`\s(?:title|aria-label|alt|placeholder)="([^"]*)"`)
)

// readable is what a reader sees or hears of a page: its text, and the
// attributes that screen readers and tooltips speak.
func readable(page string) string {
	page = hiddenParts.ReplaceAllString(page, " ")
	var b strings.Builder
	for _, m := range spokenAttr.FindAllStringSubmatch(page, -1) {
		b.WriteString(html.UnescapeString(m[1]))
		b.WriteString("\n")
	}
	b.WriteString(html.UnescapeString(tag.ReplaceAllString(page, " ")))
	return b.String()
}

// No public page, in Thai or English, shows developers' notes: neither with
// small numbers hidden as the public sees them, nor with every figure shown
// (where the poverty index and its description appear).
func TestPublicPagesShowNoDevelopersNotes(t *testing.T) {
	app := mustHouseholdApp(t)
	seedVillages(t, app.store)
	c := app.as(t, "")
	all := mustServer(t)
	for _, lang := range []string{"th", "en"} {
		for i, p := range append(publicPages, publicPages...) {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			var status int
			var body string
			if i < len(publicPages) {
				status, body, _ = c.get(p + sep + "lang=" + lang)
			} else if strings.HasPrefix(p, "/villages/") {
				continue // that fixture has no village survey
			} else {
				status, body, _ = get(t, all, p+sep+"lang="+lang)
			}
			if status != http.StatusOK && !(p == "/areas/99999999" && status == http.StatusNotFound) {
				t.Errorf("%s (%s): %d", p, lang, status)
				continue
			}
			text := readable(body)
			for _, l := range leaks {
				if m := l.re.FindStringIndex(text); m != nil {
					from, to := max(0, m[0]-60), min(len(text), m[1]+60)
					t.Errorf("%s (%s) shows %s: …%s…", p, lang, l.what, strings.Join(strings.Fields(text[from:to]), " "))
				}
			}
		}
	}
}

// "Where the indicators come from" names every indicator set and, for each,
// how many of its rules no handbook has confirmed; the marks beside
// provisional village indicators and the poverty page link to it.
func TestProvenancePage(t *testing.T) {
	app := mustHouseholdApp(t)
	seedVillages(t, app.store)
	c := app.as(t, "")
	for _, lang := range []string{"th", "en"} {
		status, body, _ := c.get("/about/indicators?lang=" + lang)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", lang, status)
		}
		for _, set := range indicator.Sets() {
			n := 0
			for _, ind := range set.Indicators {
				if ind.Provenance.Confidence != "S" {
					n++
				}
			}
			want := map[string]string{"th": fmt.Sprintf("%d จาก %d ตัว", n, len(set.Indicators)), "en": fmt.Sprintf("%d of %d", n, len(set.Indicators))}[lang]
			if !strings.Contains(body, `id="`+set.ID+`"`) || !strings.Contains(body, set.Name.In(lang)) || !strings.Contains(body, want) {
				t.Errorf("%s: the page does not describe %s with %q", lang, set.ID, want)
			}
		}
		if !strings.Contains(body, map[string]string{"th": "“ชั่วคราว” หมายความว่าอย่างไร", "en": "What “provisional” means"}[lang]) {
			t.Errorf("%s: the page does not say what provisional means", lang)
		}
	}
	_, village, _ := c.get("/villages/" + villageRound2562 + "/70051304")
	if !strings.Contains(village, `<a class="prov-mark" href="/about/indicators#h-kcc"`) {
		t.Error("provisional village indicators are not marked with a link to where the indicators come from")
	}
	_, pov, _ := get(t, mustServer(t), "/areas/700513/poverty")
	if !strings.Contains(pov, `href="/about/indicators#mpi"`) {
		t.Error("the poverty page does not link to where its index comes from")
	}
}
