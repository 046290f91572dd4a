package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/signin"
	"tambon/internal/web"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// After three wrong passwords the account must wait, longer each time, and
// after ten it is locked: even the right password is refused with 429,
// Retry-After and, in Thai and English, how long to wait. Another account
// from the same address is not held back.
func TestLoginBacksOffThenLocks(t *testing.T) {
	clk := &testClock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	app := mustAdminAppWith(t, func(c *web.Config) { c.SignIn = signin.New(signin.Config{Now: clk.now}) })
	c := app.as(t, "")
	wrong := func(i int) {
		t.Helper()
		if status, body := signIn(c, "tambon", "wrong-password"); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d\n%s", i, status, body)
		}
	}
	refused := func(what, lang, retry string, msg *regexp.Regexp) {
		t.Helper()
		status, body, h := c.post("/login?lang="+lang, url.Values{"username": {"tambon"}, "password": {hhPassword}})
		if status != http.StatusTooManyRequests || h.Get("Retry-After") != retry {
			t.Fatalf("%s: status %d, Retry-After %q; want 429 and %s", what, status, h.Get("Retry-After"), retry)
		}
		if !msg.MatchString(body) {
			t.Errorf("%s: the %s page does not say how long to wait (%s)", what, lang, msg)
		}
		if strings.Contains(h.Get("Set-Cookie"), "tambon_session") {
			t.Errorf("%s: a refused sign-in got a session", what)
		}
	}
	for i := 1; i <= 3; i++ {
		wrong(i)
	}
	refused("the fourth try at once", "th", "1", regexp.MustCompile(`โปรดรอ 1 วินาที`))
	for i, wait := range []time.Duration{1, 2, 4, 8, 16, 32, 64} {
		clk.add(wait * time.Second)
		wrong(4 + i)
	}
	refused("after ten failures", "th", "900", regexp.MustCompile(`โปรดรอ 15 นาที`))
	refused("after ten failures", "en", "900", regexp.MustCompile(`wait 15 minutes and try again`))
	if status, _ := signIn(app.as(t, ""), "district", hhPassword); status != http.StatusSeeOther {
		t.Errorf("another account was locked too: %d", status)
	}
	clk.add(15 * time.Minute)
	if status, _ := signIn(c, "tambon", hhPassword); status != http.StatusSeeOther {
		t.Errorf("after the lock the right password: %d", status)
	}
}

// Wrong passwords sent at once are not all checked: the first three are,
// the rest are answered 429 before any password hashing.
func TestParallelWrongLogins(t *testing.T) {
	app := mustAdminApp(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := signIn(app.as(t, ""), "tambon", "wrong-password")
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] > signin.AccountRule.Free || statuses[http.StatusTooManyRequests] < 20-signin.AccountRule.Free {
		t.Errorf("statuses %v: want at most %d wrong-password answers, the rest 429", statuses, signin.AccountRule.Free)
	}
}

// An unknown name, a wrong password and a disabled account get the same
// page and status.
func TestLoginSameAnswer(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	if status, body, _ := admin.post("/admin/users/bkk/disable", nil); status != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", status, body)
	}
	answer := func(user, pass string) (int, string) {
		status, body := signIn(app.as(t, ""), user, pass)
		return status, strings.ReplaceAll(body, `value="`+user+`"`, `value=""`)
	}
	wantStatus, wantBody := answer("tambon", "wrong-password")
	for _, c := range [][2]string{{"nobody", hhPassword}, {"bkk", hhPassword}} {
		if status, body := answer(c[0], c[1]); status != wantStatus || body != wantBody {
			t.Errorf("%s: status %d, or another page than for a wrong password", c[0], status)
		}
	}
}

func TestSafeNext(t *testing.T) {
	tests := []struct {
		name, next, want string
	}{
		{"a page", "/areas/7005?round=bmn-2562", "/areas/7005?round=bmn-2562"},
		{"a Thai query", "/households?q=สมชาย", "/households?q=สมชาย"},
		{"an encoded Thai query", "/households?q=%E0%B8%AA", "/households?q=%E0%B8%AA"},
		{"empty", "", "/"},
		{"relative", "areas", "/"},
		{"absolute URL", "https://evil.example/", "/"},
		{"scheme-relative", "//evil.example/", "/"},
		{"backslash", `/\evil.example/`, "/"},
		{"backslashes", `\\evil.example/`, "/"},
		{"backslash later", `/a\b`, "/"},
		{"tab", "/\t/evil.example/", "/"},
		{"newline", "/\n/evil.example/", "/"},
		{"carriage return", "/\r/evil.example/", "/"},
		{"tab between slashes", "//\tevil.example", "/"},
		{"encoded tab", "/%09/evil.example/", "/"},
		{"encoded newline", "/%0a/evil.example/", "/"},
		{"encoded slash", "/%2f/evil.example/", "/"},
		{"encoded slash, capitals", "/%2F%2Fevil.example/", "/"},
		{"encoded backslash", "/%5cevil.example/", "/"},
		{"double-encoded tab", "/%2509/evil.example/", "/"},
		{"double-encoded slash", "/%252f/evil.example/", "/"},
		{"NUL", "/\x00/evil.example", "/"},
		{"DEL", "/\x7f/evil.example", "/"},
		{"broken escape", "/a%zz", "/"},
		{"javascript", "javascript:alert(1)", "/"},
		{"slash javascript", "/javascript:alert(1)", "/javascript:alert(1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := web.SafeNext(tc.next); got != tc.want {
				t.Errorf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

// The session cookie is Secure and Strict-Transport-Security is sent when
// the server is reached over https: served with TLS, or with an https
// public address (a TLS proxy in front).
func TestSecureCookieAndHSTS(t *testing.T) {
	tests := []struct {
		name   string
		set    func(*web.Config)
		secure bool
	}{
		{"plain http", func(*web.Config) {}, false},
		{"http public address", func(c *web.Config) { c.PublicURL = "http://tambon.example.go.th" }, false},
		{"https public address", func(c *web.Config) { c.PublicURL = "https://tambon.example.go.th" }, true},
		{"served with TLS", func(c *web.Config) { c.SecureCookies = true }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			app := mustAdminAppWith(t, tc.set)
			status, _, h := app.as(t, "").post("/login", url.Values{"username": {"tambon"}, "password": {hhPassword}})
			if status != http.StatusSeeOther {
				t.Fatalf("sign in: %d", status)
			}
			var session *http.Cookie
			for _, c := range (&http.Response{Header: h}).Cookies() {
				if c.Name == "tambon_session" {
					session = c
				}
			}
			if session == nil {
				t.Fatal("no session cookie")
			}
			if session.Secure != tc.secure {
				t.Errorf("session cookie Secure = %v, want %v", session.Secure, tc.secure)
			}
			_, _, h = app.as(t, "").get("/login")
			if hsts := h.Get("Strict-Transport-Security"); (hsts != "") != tc.secure {
				t.Errorf("Strict-Transport-Security %q, want sent=%v", hsts, tc.secure)
			}
		})
	}
}
