package web_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"tambon/internal/web"
)

// TestHealthzNamesNoVersion: monitoring learns that the server and its
// database answer, and nobody but an administrator learns which release
// runs (a version tells an attacker which known flaws to try).
func TestHealthzNamesNoVersion(t *testing.T) {
	const version = "9.8.7-abcdef1234"
	app := mustAdminAppWith(t, func(c *web.Config) { c.Version = version })

	status, body, _ := app.as(t, "").get("/healthz")
	if status != http.StatusOK {
		t.Fatalf("healthz: %d %s", status, body)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("healthz is not JSON: %v\n%s", err, body)
	}
	if want := map[string]string{"status": "ok", "database": "ok"}; !reflect.DeepEqual(got, want) {
		t.Errorf("healthz = %v, want %v", got, want)
	}

	for _, who := range []string{"", "tambon", "province", "admin"} {
		status, page, _ := app.as(t, who).get("/areas/70")
		if status != http.StatusOK {
			t.Fatalf("area page as %q: %d", who, status)
		}
		if shown := strings.Contains(page, version); shown != (who == "admin") {
			t.Errorf("area page as %q: version shown = %v", who, shown)
		}
	}
}
