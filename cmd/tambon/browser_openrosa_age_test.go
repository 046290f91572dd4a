package main

import (
	"context"
	"fmt"
	"html"
	"io"
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

	"github.com/chromedp/chromedp"

	"tambon/internal/survey"
)

// The phone's age limit and the server's agree to the day: the birth-date
// constraint of the form tambon serves is evaluated by ODK Web Forms' own
// XPath engine in headless Chromium, and the same dates go through the
// server's validation (survey.Validate), on the boundary days — exactly 120
// years, the day of turning 121 and the day before, 29 February births in
// common and leap years, a birth after the survey.
func TestBrowserOpenRosaAgeLimit(t *testing.T) {
	if _, err := os.Stat(filepath.Join(webClientDir, "node_modules", "@getodk", "web-forms", "dist", "index.js")); err != nil {
		t.Skip("ODK Web Forms test skipped: run `npm ci` in internal/openrosa/webclient (needs the npm registry)")
	}
	cases := []struct {
		survey, birth string
		ok            bool
	}{
		{"2026-03-01", "1906-03-01", true},  // exactly 120 today
		{"2026-03-01", "1906-02-28", true},  // 120 and a day
		{"2026-03-01", "1905-03-02", true},  // 121 tomorrow
		{"2026-03-01", "1905-03-01", false}, // 121 today
		{"2026-03-01", "1905-02-28", false}, // 121 and a day
		{"2025-02-28", "1904-02-29", true},  // born 29 Feb: 121 only on 1 March of a common year
		{"2025-03-01", "1904-02-29", false},
		{"2024-02-29", "1903-03-01", true}, // a survey on 29 February
		{"2024-02-29", "1903-02-28", false},
		{"2024-02-29", "1904-02-29", true},  // 120 on the very birthday
		{"2026-03-01", "2026-03-01", true},  // born on the survey day
		{"2026-03-01", "2026-03-02", false}, // born after it
	}

	// The server's rule.
	for i, c := range cases {
		sd, _ := time.Parse(time.DateOnly, c.survey)
		bd, _ := time.Parse(time.DateOnly, c.birth)
		h := &survey.Household{SurveyDate: sd, Members: []survey.Member{{No: 1, FirstName: "ก", BirthDate: bd}}}
		refused := false
		for _, p := range survey.Validate(h, nil, sd) {
			if strings.HasSuffix(p.Field, "birth_date") {
				refused = true
			}
		}
		if refused == c.ok {
			t.Errorf("case %d, born %s, surveyed %s: the server accepts %v, want %v", i, c.birth, c.survey, !refused, c.ok)
		}
	}

	// The phone's rule: the constraint exactly as tambon serves it.
	ctx := browser(t)
	base, key, _ := openRosaApp(t)
	form := getBody(t, base+key+"/forms/"+formIDOf(t, base+key)+".xml")
	m := regexp.MustCompile(`<bind nodeset="[^"]*/birth_date"[^>]*\sconstraint="([^"]*)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the served form has no birth-date constraint")
	}
	constraint := html.UnescapeString(m[1])
	t.Logf("the birth-date constraint: %s", constraint)

	// A form of one group per case, each shaped like a household (a
	// survey_date beside members/birth_date) so ../../survey_date means
	// what it means in the real form.
	var inst, binds, body strings.Builder
	for i, c := range cases {
		g := fmt.Sprintf("/data/c%d", i)
		fmt.Fprintf(&inst, "<c%d><survey_date>%s</survey_date><members><birth_date>%s</birth_date></members></c%d>", i, c.survey, c.birth, i)
		fmt.Fprintf(&binds, `<bind nodeset="%s/survey_date" type="date"/><bind nodeset="%s/members/birth_date" type="date" constraint="%s" jr:constraintMsg="refused"/>`,
			g, g, html.EscapeString(constraint))
		fmt.Fprintf(&body, `<group ref="%s"><input ref="%s/survey_date"><label>s%d</label></input><group ref="%s/members"><input ref="%s/members/birth_date"><label>b%d</label></input></group></group>`,
			g, g, i, g, g, i)
	}
	mini := `<?xml version="1.0" encoding="UTF-8"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>age limit</h:title><model>
<instance><data id="age-limit" version="1">` + inst.String() + `<meta><instanceID/></meta></data></instance>
` + binds.String() + `<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model></h:head>
<h:body>` + body.String() + `</h:body></h:html>`

	target, _ := url.Parse(base)
	mux := http.NewServeMux()
	mux.Handle("/webclient/", http.StripPrefix("/webclient/", http.FileServer(http.Dir(webClientDir))))
	mux.HandleFunc("/agelimit/formList", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<xforms xmlns="http://openrosa.org/xforms/xformsList"><xform><formID>age-limit</formID><name>age</name><version>1</version>`+
			`<downloadUrl>/agelimit/form.xml</downloadUrl><manifestUrl>/agelimit/manifest</manifestUrl></xform></xforms>`)
	})
	mux.HandleFunc("/agelimit/form.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, mini)
	})
	mux.HandleFunc("/agelimit/manifest", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<manifest xmlns="http://openrosa.org/xforms/xformsManifest"></manifest>`)
	})
	mux.HandleFunc("/agelimit/submission", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	mux.Handle("/", httputil.NewSingleHostReverseProxy(target)) // tambon's fonts
	front := httptest.NewServer(mux)
	t.Cleanup(front.Close)

	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var errs []string
	if err := chromedp.Run(wctx,
		chromedp.Navigate(front.URL+"/webclient/index.html?server=/agelimit"),
		chromedp.WaitVisible(`button[aria-label="Send"]`, chromedp.ByQuery),
		chromedp.Evaluate(webFormsHelpers, nil),
		chromedp.Click(`button[aria-label="Send"]`, chromedp.ByQuery),
		chromedp.Sleep(500*time.Millisecond),
		chromedp.Evaluate(`window.tambonErrors.filter(e => !e.startsWith('console.warn'))`, &errs),
	); err != nil {
		save(t, ctx, "webforms-age-failed.png")
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("the client reported errors evaluating the form: %q", errs)
	}
	for i, c := range cases {
		var msg string
		if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`tambonMessage("b%d")`, i), &msg)); err != nil {
			t.Fatal(err)
		}
		if refused := msg != ""; refused == c.ok {
			t.Errorf("case %d, born %s, surveyed %s: the phone accepts %v, want %v (message %q)", i, c.birth, c.survey, !refused, c.ok, msg)
		}
	}
}

func getBody(t *testing.T, u string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("X-OpenRosa-Version", "1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return string(b)
}

func formIDOf(t *testing.T, openrosa string) string {
	t.Helper()
	m := regexp.MustCompile(`<formID>([^<]+)</formID>`).FindStringSubmatch(getBody(t, openrosa+"/formList"))
	if m == nil {
		t.Fatal("formList names no form")
	}
	return m[1]
}
