package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/signin"
)

// `tambon serve` shares one sign-in rule between the login form and
// OpenRosa, and counts addresses by X-Forwarded-For only when the peer is a
// trusted proxy.
func TestServeSignInRule(t *testing.T) {
	// The counts are kept in the database: each case starts from its own.
	newDB := func(t *testing.T) string {
		db := tempDB(t)
		if _, _, err := run(t, nil, "khao-khlung-2567\n", "user", "create", "--db", db, "--username", "somchai", "--role", "enumerator", "--area", "700513"); err != nil {
			t.Fatal(err)
		}
		return db
	}
	attempt := func(base, door, user, from string) int {
		t.Helper()
		var req *http.Request
		if door == "web" {
			req, _ = http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {user}, "password": {"wrong-guess-1"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req, _ = http.NewRequest("GET", base+"/openrosa/formList", nil)
			req.SetBasicAuth(user, "wrong-guess-1")
		}
		req.Header.Set("X-Forwarded-For", from)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	t.Run("one rule for both doors", func(t *testing.T) {
		db := newDB(t)
		base, _ := startApp(t, nil, "serve", "--db", db)
		for i, door := range []string{"web", "openrosa", "web"} {
			if got := attempt(base, door, "somchai", ""); got != http.StatusUnauthorized {
				t.Fatalf("wrong password %d (%s): %d", i+1, door, got)
			}
		}
		if got := attempt(base, "openrosa", "somchai", ""); got != http.StatusTooManyRequests {
			t.Errorf("fourth wrong password, on OpenRosa after the web: %d, want 429", got)
		}
		other, _ := startApp(t, nil, "serve", "--db", db)
		if got := attempt(other, "web", "somchai", ""); got != http.StatusTooManyRequests {
			t.Errorf("the same account at another server process on the database: %d, want 429", got)
		}
	})
	for _, tc := range []struct {
		name  string
		args  []string
		other int // the answer to another client behind the proxy
	}{
		{"proxy trusted: another client is not held back", []string{"--trusted-proxies", "127.0.0.1"}, http.StatusUnauthorized},
		{"no trusted proxy: the header is ignored", nil, http.StatusTooManyRequests},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := newDB(t)
			base, _ := startApp(t, nil, append([]string{"serve", "--db", db}, tc.args...)...)
			for i := range signin.AddressRule.Free {
				if got := attempt(base, "openrosa", "nobody"+string(rune('a'+i)), "203.0.113.5"); got != http.StatusUnauthorized {
					t.Fatalf("attempt %d: %d", i+1, got)
				}
			}
			if got := attempt(base, "openrosa", "nobody-else", "203.0.113.5"); got != http.StatusTooManyRequests {
				t.Errorf("the same client again: %d, want 429", got)
			}
			if got := attempt(base, "openrosa", "nobody-else", "203.0.113.6"); got != tc.other {
				t.Errorf("another client: %d, want %d", got, tc.other)
			}
		})
	}
	if _, _, err := run(t, nil, "", "serve", "--db", tempDB(t), "--trusted-proxies", "10.0.0.0/99", "--addr", "127.0.0.1:0"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a bad --trusted-proxies: %v, want invalid", err)
	}
}
