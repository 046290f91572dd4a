package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// /admin lists the administration pages an account may open, and every
// link it shows opens for that account: a country administrator sees them
// all, a province office the audit log only, and an account with none is
// refused.
func TestAdminIndexShowsOnlyWhatOpens(t *testing.T) {
	app := mustAdminApp(t)
	link := regexp.MustCompile(`<li><a href="(/admin/[a-z]+)">`)
	for _, tc := range []struct {
		who  string
		want []string
	}{
		{"admin", []string{"/admin/users", "/admin/devices", "/admin/tokens", "/admin/rounds", "/admin/sets", "/admin/pdpa", "/admin/welfare", "/admin/audit"}},
		{"padmin", []string{"/admin/users", "/admin/devices", "/admin/tokens", "/admin/pdpa", "/admin/audit"}},
		{"province", []string{"/admin/audit"}},
	} {
		c := app.as(t, tc.who)
		for _, path := range []string{"/admin", "/admin/"} {
			status, body, _ := c.get(path)
			if status != http.StatusOK {
				t.Fatalf("%s GET %s: %d", tc.who, path, status)
			}
			var got []string
			for _, m := range link.FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("%s GET %s lists %v, want %v", tc.who, path, got, tc.want)
			}
			for _, href := range got {
				if status, _, _ := c.get(href); status != http.StatusOK {
					t.Errorf("%s: /admin links %s, which answers %d", tc.who, href, status)
				}
			}
		}
	}
	if status, _, _ := app.as(t, "viewer").get("/admin"); status != http.StatusForbidden {
		t.Errorf("a viewer's /admin: %d, want 403", status)
	}
	if status, _, h := app.as(t, "").get("/admin"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("signed out /admin: %d %q, want a redirect to sign in", status, h.Get("Location"))
	}
	if _, body, _ := app.as(t, "admin").get("/admin?lang=en"); !strings.Contains(body, "Administration") || !strings.Contains(body, "Indicator set versions") {
		t.Error("the English /admin lacks its title or a description")
	}
}
