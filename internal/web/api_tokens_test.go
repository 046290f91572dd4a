package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/signin"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
	"tambon/internal/web"
)

var tokenShown = regexp.MustCompile(`id="token-secret">(tbn_[A-Za-z0-9_-]+)<`)

// issueToken issues a token on /admin/tokens as the signed-in administrator
// c and returns the token the page shows once.
func issueToken(t *testing.T, c *client, name, role, area, expires string) string {
	t.Helper()
	status, body, h := c.post("/admin/tokens", url.Values{"name": {name}, "role": {role}, "area_code": {area}, "area": {""}, "expires": {expires}})
	mustStatus(t, "issue "+name, status, http.StatusOK, body)
	if h.Get("Cache-Control") != "no-store" {
		t.Errorf("the page showing a token may be cached: %q", h.Get("Cache-Control"))
	}
	m := tokenShown.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page shows no token:\n%s", body)
	}
	return m[1]
}

// bearerGet asks path with a token.
func bearerGet(t *testing.T, ts *httptest.Server, path, token string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// An administrator issues a token on the page; the token is shown once and
// works as "Authorization: Bearer" on the API with its role and area; its
// last use is recorded; revoked at one server process, it stops working at
// another within a second.
func TestAPITokenIssueUseRevoke(t *testing.T) {
	clk := &testClock{t: storetest.Now()}
	app := mustAdminAppWith(t, func(c *web.Config) { c.Now = clk.now })
	admin := app.as(t, "admin")

	status, page, _ := admin.get("/admin/tokens")
	mustStatus(t, "tokens page", status, http.StatusOK, page)
	for _, want := range []string{`type="date"`, `data-area-picker`, `<select id="t-role"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the issue form has no %s", want)
		}
	}
	auditor := issueToken(t, admin, "audit-reader", "admin", "70", "2026-12-31")
	viewer := issueToken(t, admin, "powerbi-70", "viewer", "70", "2027-01-31")
	if strings.Contains(mustGetBody(t, admin, "/admin/tokens"), auditor) {
		t.Fatal("the token is shown again on the list")
	}

	status, body, _ := bearerGet(t, app.ts, "/api/v1/audit?limit=5", auditor)
	mustStatus(t, "audit log with an administrator's token", status, http.StatusOK, body)
	if !strings.Contains(body, "token.issue") {
		t.Errorf("the audit log does not hold the issue: %s", body)
	}
	status, body, _ = bearerGet(t, app.ts, "/api/v1/audit", viewer)
	mustStatus(t, "audit log with a viewer's token", status, http.StatusForbidden, body)
	status, body, _ = bearerGet(t, app.ts, "/api/v1/rounds", viewer)
	mustStatus(t, "rounds with a viewer's token", status, http.StatusOK, body)

	// The token's last use is on the page; a cookie sent beside a bad
	// token does not rescue it.
	list := mustGetBody(t, admin, "/admin/tokens")
	if !strings.Contains(list, "powerbi-70") || strings.Contains(list, "ยังไม่เคยใช้") {
		t.Errorf("both tokens were used but the list says one never was")
	}

	// A second process on the same database caches the token, the first
	// revokes it: within a second the second refuses it too.
	srv2, err := web.New(web.Config{Store: app.store, Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.now, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(web.AdminHandler(srv2))
	defer ts2.Close()
	if status, body, _ := bearerGet(t, ts2, "/api/v1/rounds", viewer); status != http.StatusOK {
		t.Fatalf("the second process: %d %s", status, body)
	}
	toks, err := app.store.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, tk := range toks {
		if tk.Name == "powerbi-70" {
			id = strconv.FormatInt(tk.ID, 10)
			if tk.LastUsedAt.IsZero() {
				t.Error("the token's last use was not recorded")
			}
		}
	}
	status, body, h := admin.post("/admin/tokens/"+id+"/revoke", url.Values{})
	mustStatus(t, "revoke", status, http.StatusSeeOther, body)
	if !strings.Contains(h.Get("Location"), "done=revoke") {
		t.Errorf("revoke sent the browser to %q", h.Get("Location"))
	}
	clk.add(1100 * time.Millisecond)
	for _, ts := range []*httptest.Server{app.ts, ts2} {
		status, body, h := bearerGet(t, ts, "/api/v1/rounds", viewer)
		mustStatus(t, "a revoked token", status, http.StatusUnauthorized, body)
		if !strings.Contains(h.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(body, `"unauthorized"`) {
			t.Errorf("a revoked token's answer: %v %s", h, body)
		}
	}
}

func mustGetBody(t *testing.T, c *client, path string) string {
	t.Helper()
	status, body, _ := c.get(path)
	mustStatus(t, path, status, http.StatusOK, body)
	return body
}

// An administrator issues only inside their own area and powers; the form
// says why beside the field, in Thai and English, and issues nothing.
func TestAPITokenIssueRefusals(t *testing.T) {
	app := mustAdminApp(t)
	padmin := app.as(t, "padmin") // an administrator of province 70
	for _, c := range []struct {
		name, role, area, expires, want string
	}{
		{"outside", "viewer", "10", "2026-12-31", "outside the area you administer"},
		{"Bad Name!", "viewer", "70", "2026-12-31", "is not valid"},
		{"past", "viewer", "70", "2026-11-01", "must be after today"},
		{"too-long", "viewer", "70", "2028-12-31", "a year at most"},
		{"no-role", "superuser", "70", "2026-12-31", "unknown role"},
	} {
		status, body, _ := padmin.post("/admin/tokens?lang=en", url.Values{"name": {c.name}, "role": {c.role}, "area_code": {c.area}, "expires": {c.expires}})
		if status != http.StatusBadRequest || !strings.Contains(body, c.want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: status %d, want 400 saying %q beside the field", c.name, status, c.want)
		}
	}
	if toks, _ := app.store.Tokens(context.Background()); len(toks) != 0 {
		t.Errorf("refused forms issued %d tokens", len(toks))
	}
	for _, who := range []string{"province", "tambon", "viewer"} {
		status, body, _ := app.as(t, who).post("/admin/tokens", url.Values{"name": {"x-" + who}, "role": {"viewer"}, "area_code": {"70"}, "expires": {"2026-12-31"}})
		mustStatus(t, who+" issuing a token", status, http.StatusForbidden, body)
	}
	if err := user.CanIssue(user.User{Role: user.Admin, AreaCode: "70"}, user.Admin, "TH"); err == nil {
		t.Error("a provincial administrator may issue a national token")
	}
}

// A bad token counts against the client's address like a wrong password:
// after the free failures the address waits, with 429 and Retry-After.
func TestAPITokenGuessesAreLimited(t *testing.T) {
	clk := &testClock{t: storetest.Now()}
	app := mustAdminAppWith(t, func(c *web.Config) { c.SignIn = signin.New(signin.Config{Now: clk.now}); c.Now = clk.now })
	var status int
	var h http.Header
	for i := 0; i < 40 && status != http.StatusTooManyRequests; i++ {
		status, _, h = bearerGet(t, app.ts, "/api/v1/rounds", "tbn_guess"+string(rune('a'+i%26))+strings.Repeat("x", i))
		if status != http.StatusUnauthorized && status != http.StatusTooManyRequests {
			t.Fatalf("guess %d: status %d", i, status)
		}
	}
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Fatalf("40 guessed tokens: last status %d, Retry-After %q; want 429", status, h.Get("Retry-After"))
	}
	// The address waits on the login form too: one rule for every door.
	c := app.as(t, "")
	if status, _ := signIn(c, "admin", hhPassword); status != http.StatusTooManyRequests {
		t.Errorf("the login form after guessed tokens: %d, want 429", status)
	}
}

// Many requests with one token at once: each is answered, the token's
// last use is written once, not once a request.
func TestAPITokenConcurrentUse(t *testing.T) {
	app := mustHouseholdApp(t)
	tok := mustToken(t, app.store, "busy-client", user.Viewer, "70")
	var wg sync.WaitGroup
	fails := make(chan string, 40)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", app.ts.URL+"/odata/Rounds", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				fails <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				fails <- resp.Status
			}
		}()
	}
	wg.Wait()
	close(fails)
	for f := range fails {
		t.Errorf("a request with the token: %s", f)
	}
	toks, err := app.store.Tokens(context.Background())
	if err != nil || len(toks) != 1 || toks[0].LastUsedAt.IsZero() {
		t.Errorf("last use not recorded: %+v %v", toks, err)
	}
}
