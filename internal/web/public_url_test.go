package web_test

import (
	"html"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/web"
)

// What the server hands to others — ODK Collect's address and QR code —
// names the configured public address, not the one an administrator's
// browser happened to use; an unusable address is refused at start.
func TestPublicURLNamesTheServerToOthers(t *testing.T) {
	for _, bad := range []string{"tambon.example.go.th", "ftp://tambon.example.go.th", "https://", "https://tambon.example.go.th/sub",
		"https://tambon.example.go.th/?a=1", "https://tambon.example.go.th/#top", "https://u:p@tambon.example.go.th", "http://%zz"} {
		_, err := web.New(web.Config{Areas: mustTree(t), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: bad})
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("public address %q: %v, want refused as invalid", bad, err)
		}
	}
	const public = "https://tambon.example.go.th"
	app := mustAdminAppWith(t, func(c *web.Config) { c.PublicURL = public + "/" })
	admin := app.as(t, "admin")
	status, body, _ := admin.get("/admin/devices")
	mustStatus(t, "GET /admin/devices", status, 200, body)
	if !strings.Contains(body, public+"/openrosa") || strings.Contains(body, app.ts.URL+"/openrosa") {
		t.Errorf("the devices page does not give ODK Collect the public address %s/openrosa", public)
	}
	status, body, _ = admin.post("/admin/devices", url.Values{"username": {"moo4"}, "name": {"โทรศัพท์ หมู่ 4"}})
	mustStatus(t, "POST /admin/devices", status, 200, body)
	key := regexp.MustCompile(`id="device-key-url">([^<]+)<`).FindStringSubmatch(body)
	if key == nil || !strings.HasPrefix(html.UnescapeString(key[1]), public+"/openrosa/key/") {
		t.Errorf("the new device's address is %v, want it under %s/openrosa/key/", key, public)
	}
}
