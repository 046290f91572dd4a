package openrosa_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/openrosa"
	"tambon/internal/store/storetest"
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

// Every door of OpenRosa follows the sign-in rule: after the free wrong
// attempts the next one, even with the right secret, is answered 429 with
// Retry-After; once the wait is over the right secret works.
func TestEveryDoorBacksOff(t *testing.T) {
	type door struct {
		name    string
		free    int // wrong attempts before the wait: the account's, or the address's for tokens
		refused int // the status of a wrong attempt
		wrong   func(f *fixture, n int) *http.Request
		right   func(f *fixture, n int) *http.Request
	}
	basic := func(user, pass string) func(f *fixture, n int) *http.Request {
		return func(f *fixture, n int) *http.Request {
			req := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
			req.SetBasicAuth(user, pass)
			return req
		}
	}
	digest := func(secret func(f *fixture) string) func(f *fixture, n int) *http.Request {
		return func(f *fixture, n int) *http.Request {
			resp, _ := do(t, collectRequest("HEAD", f.ts.URL+"/openrosa/submission", nil))
			var challenge string
			for _, c := range resp.Header.Values("WWW-Authenticate") {
				if strings.HasPrefix(c, "Digest ") {
					challenge = c
				}
			}
			req := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
			req.Header.Set("Authorization", digestAuth(challenge, "GET", "/openrosa/formList", "somchai", secret(f), n))
			return req
		}
	}
	token := func(tok func(f *fixture) string) func(f *fixture, n int) *http.Request {
		return func(f *fixture, n int) *http.Request {
			return collectRequest("GET", f.ts.URL+"/openrosa/key/"+tok(f)+"/formList", nil)
		}
	}
	doors := []door{
		{"Basic", 3, http.StatusUnauthorized, basic("somchai", "not-the-password"), basic("somchai", password)},
		{"Digest", 3, http.StatusUnauthorized, digest(func(*fixture) string { return "not-the-token" }), digest(func(f *fixture) string { return f.token })},
		{"device token", 20, http.StatusForbidden, token(func(*fixture) string { return openrosa.NewToken() }), token(func(f *fixture) string { return f.token })},
	}
	for _, d := range doors {
		t.Run(d.name, func(t *testing.T) {
			clk := &testClock{t: time.Now().UTC()}
			f := newFixtureWith(t, storetest.MustOpenSQLite(t), func(c *openrosa.Config) { c.Now = clk.now })
			for i := 1; i <= d.free; i++ {
				if resp, body := do(t, d.wrong(f, i)); resp.StatusCode != d.refused {
					t.Fatalf("wrong attempt %d: %d %s", i, resp.StatusCode, body)
				}
			}
			resp, body := do(t, d.right(f, 100))
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
				t.Fatalf("right secret at once after %d wrong: %d Retry-After %q %s, want 429 with Retry-After 1",
					d.free, resp.StatusCode, resp.Header.Get("Retry-After"), body)
			}
			mustContain(t, "the 429 response", body, `<OpenRosaResponse`, "wait 1 second and", "โปรดรอ 1 วินาที")
			clk.add(time.Second)
			if resp, body := do(t, d.right(f, 101)); resp.StatusCode/100 != 2 {
				t.Fatalf("right secret after the wait: %d %s", resp.StatusCode, body)
			}
		})
	}
}

// A disabled account, an account that may not collect, an unknown name and
// a wrong password get the same answer on Basic; on the token door a token
// of a disabled account is answered like an unknown token.
func TestSameAnswerForEveryFailure(t *testing.T) {
	s := storetest.MustOpenSQLite(t)
	f := newFixtureWith(t, s, func(*openrosa.Config) {})
	basic := func(user, pass string) (int, string) {
		req := collectRequest("GET", f.ts.URL+"/openrosa/formList", nil)
		req.SetBasicAuth(user, pass)
		resp, body := do(t, req)
		if resp.StatusCode == http.StatusUnauthorized && len(resp.Header.Values("WWW-Authenticate")) != 2 {
			t.Errorf("%s: a 401 without both challenges", user)
		}
		return resp.StatusCode, body
	}
	wantStatus, wantBody := basic("somchai", "not-the-password")
	if wantStatus != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", wantStatus)
	}
	tokenURL := f.keyURL() + "/formList"
	resp, badToken := do(t, collectRequest("GET", f.ts.URL+"/openrosa/key/"+openrosa.NewToken()+"/formList", nil))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unknown token: %d", resp.StatusCode)
	}
	if _, err := s.SetUserDisabled(context.Background(), "somchai", true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, user, pass string }{
		{"unknown user", "nobody", password},
		{"viewer with the right password", "viewer", password},
		{"disabled with the right password", "somchai", password},
		{"disabled with the device token as password", "somchai", f.token},
	} {
		if status, body := basic(c.user, c.pass); status != wantStatus || body != wantBody {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, wantStatus, wantBody)
		}
	}
	resp, body := do(t, collectRequest("GET", tokenURL, nil))
	if resp.StatusCode != http.StatusForbidden || body != badToken {
		t.Errorf("a disabled account's token: %d %s, want %s", resp.StatusCode, body, badToken)
	}
}
