package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Five wrong passwords lock the account from that address: the sixth try
// is refused even with the right password, in both languages.
func TestLoginLocksAfterFiveFailures(t *testing.T) {
	app := mustHouseholdApp(t)
	c := app.as(t, "")
	for i := 1; i <= 5; i++ {
		if status, body := signIn(c, "tambon", "wrong-password"); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d\n%s", i, status, body)
		}
	}
	status, body := signIn(c, "tambon", hhPassword)
	if status != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: status %d, want 429", status)
	}
	if !regexp.MustCompile(`โปรดรอ \d+ นาที`).MatchString(body) {
		t.Errorf("the Thai page does not say how long to wait")
	}
	if _, _, h := c.get("/"); h.Get("Set-Cookie") != "" && strings.Contains(h.Get("Set-Cookie"), "tambon_session") {
		t.Error("a locked-out sign-in got a session")
	}
	// The same message in English.
	status, body, _ = c.post("/login?lang=en", map[string][]string{"username": {"tambon"}, "password": {hhPassword}})
	if status != http.StatusTooManyRequests || !regexp.MustCompile(`wait \d+ minutes`).MatchString(body) {
		t.Errorf("English: status %d, body lacks the wait message", status)
	}
	// Another account from the same address is not locked.
	if status, _ := signIn(app.as(t, ""), "district", hhPassword); status != http.StatusSeeOther {
		t.Errorf("another account was locked too: %d", status)
	}
}
