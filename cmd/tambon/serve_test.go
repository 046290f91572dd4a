package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestServePagesAndAPI(t *testing.T) {
	base, _ := startApp(t, nil, "serve", "--db", tempDB(t))

	t.Run("home in Thai, then English", func(t *testing.T) {
		code, body, h := get(t, base+"/")
		if code != 200 || !strings.Contains(body, `lang="th"`) || !strings.Contains(body, "ราชบุรี") {
			t.Fatalf("home: %d\n%.400s", code, body)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP = %q", csp)
		}
		code, body, _ = get(t, base+"/?lang=en")
		if code != 200 || !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Ratchaburi") {
			t.Errorf("home in English: %d", code)
		}
	})

	t.Run("area browser", func(t *testing.T) {
		code, body, _ := get(t, base+"/areas/700513")
		if code != 200 || !strings.Contains(body, "ตำบลเขาขลุง") || !strings.Contains(body, "หนองไม้เฝ้า") || !strings.Contains(body, "70051304") {
			t.Fatalf("Khao Khlung page: %d", code)
		}
		if n := strings.Count(childTable(body), `href="/areas/700513`); n != 18 {
			t.Errorf("Khao Khlung's table links to %d villages, want 18", n)
		}
		code, body, _ = get(t, base+"/areas/70")
		if n := strings.Count(childTable(body), `href="/areas/70`); code != 200 || n != 10 {
			t.Errorf("Ratchaburi page: %d, %d amphoe links", code, n)
		}
	})

	t.Run("unknown code is 404 in HTML and JSON, both languages", func(t *testing.T) {
		code, body, _ := get(t, base+"/areas/99999999")
		if code != 404 || !strings.Contains(body, "ไม่พบพื้นที่รหัส 99999999") {
			t.Errorf("HTML 404: %d", code)
		}
		code, body, _ = get(t, base+"/api/v1/areas/99999999")
		var e struct {
			Error struct {
				Code    string            `json:"code"`
				Message map[string]string `json:"message"`
			} `json:"error"`
		}
		if code != 404 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "not_found" ||
			!strings.Contains(e.Error.Message["th"], "99999999") || !strings.Contains(e.Error.Message["en"], "no area has the code") {
			t.Errorf("JSON 404: %d %s", code, body)
		}
	})

	t.Run("API area, children and search", func(t *testing.T) {
		code, body, _ := get(t, base+"/api/v1/areas/70051304")
		var a struct {
			Code string                  `json:"code"`
			Name string                  `json:"name_th"`
			Path []struct{ Code string } `json:"path"`
		}
		if code != 200 || json.Unmarshal([]byte(body), &a) != nil || a.Name != "หนองไม้เฝ้า" || len(a.Path) != 4 || a.Path[3].Code != "700513" {
			t.Errorf("area: %d %s", code, body)
		}
		code, body, _ = get(t, base+"/api/v1/areas/7005/children")
		var c struct {
			Children []struct{ Code string } `json:"children"`
		}
		if code != 200 || json.Unmarshal([]byte(body), &c) != nil || len(c.Children) != 15 {
			t.Errorf("Ban Pong children: %d, %d", code, len(c.Children))
		}
		code, body, _ = get(t, base+"/api/v1/areas?q="+url.QueryEscape("ต.เขาขลุง"))
		var s struct {
			Matches []struct{ Code string } `json:"matches"`
		}
		if code != 200 || json.Unmarshal([]byte(body), &s) != nil || len(s.Matches) == 0 || s.Matches[0].Code != "700513" {
			t.Errorf("search: %d %s", code, body)
		}
		if code, _, _ := get(t, base+"/api/v1/areas"); code != 400 {
			t.Errorf("search without q: %d", code)
		}
	})

	t.Run("search page goes straight to a single match", func(t *testing.T) {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(base + "/search?q=" + url.QueryEscape("หมู่ 4 เขาขลุง"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/areas/70051304" {
			t.Errorf("search redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("healthz and assets", func(t *testing.T) {
		code, body, _ := get(t, base+"/healthz")
		if code != 200 || !strings.Contains(body, `"ok"`) {
			t.Errorf("healthz: %d %s", code, body)
		}
		_, home, _ := get(t, base+"/")
		i := strings.Index(home, `/static/css/app.`)
		if i < 0 {
			t.Fatal("no hashed stylesheet link on the home page")
		}
		href := home[i : i+strings.Index(home[i:], `"`)]
		code, _, h := get(t, base+href, "Accept-Encoding", "gzip")
		if code != 200 || !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("asset %s: %d %v", href, code, h)
		}
	})
}

// childTable returns the HTML of the page's table of child areas.
func childTable(page string) string {
	i := strings.Index(page, `id="children"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</table>")
	if j < 0 {
		return page[i:]
	}
	return page[i : i+j]
}
