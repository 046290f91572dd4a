package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/area"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
	"tambon/internal/web"
)

// mustAdminApp is the household test app with two administrators: one for
// the country and one for province 70 (Ratchaburi), and an account in
// another province.
func mustAdminApp(tb testing.TB) *householdApp { return mustAdminAppWith(tb, nil) }

// mustAdminAppWith is mustAdminApp with its configuration changed by tweak.
func mustAdminAppWith(tb testing.TB, tweak func(*web.Config)) *householdApp {
	tb.Helper()
	s := mustFixture(tb)
	// The fixture holds province 70 only; province 10 (Bangkok) too lets
	// the tests put an account outside it.
	var bkk []area.Area
	for _, a := range mustTree(tb).All() {
		if len(a.Code) <= 4 && strings.HasPrefix(a.Code, "10") {
			bkk = append(bkk, a)
		}
	}
	if _, err := s.SyncAreas(context.Background(), bkk, false); err != nil {
		tb.Fatal(err)
	}
	hash, err := user.HashPassword(hhPassword)
	if err != nil {
		tb.Fatal(err)
	}
	users := append([]user.User{
		{Username: "admin", Role: user.Admin, AreaCode: "TH"},
		{Username: "padmin", Role: user.Admin, AreaCode: "70"},
		{Username: "bkk", Role: user.Tambon, AreaCode: "10"},
	}, hhUsers...)
	for _, u := range users {
		u.PasswordHash, u.DisplayName = hash, u.Username
		if _, err := s.CreateUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	cfg := web.Config{Store: s, Areas: mustTree(tb), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: storetest.Now, Version: "test"}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(web.AdminHandler(srv))
	tb.Cleanup(ts.Close)
	return &householdApp{ts: ts, store: s}
}

// signIn tries a password and returns the status: 303 when it worked.
func signIn(c *client, username, password string) (int, string) {
	status, body, _ := c.post("/login", url.Values{"username": {username}, "password": {password}})
	return status, body
}

func mustStatus(t *testing.T, what string, got, want int, body string) {
	t.Helper()
	if got != want {
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, body)
	}
}

// auditObjects returns the objects of the audit API's answer for a query.
func auditObjects(t *testing.T, c *client, query string) []string {
	t.Helper()
	status, body, _ := c.get("/api/v1/audit?" + query)
	mustStatus(t, "audit API "+query, status, http.StatusOK, body)
	var got struct {
		Entries []struct{ User, Action, Area, Object string }
		Limit   int
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range got.Entries {
		out = append(out, e.Action+" "+e.Object)
	}
	return out
}

func TestAdminCreatesAndManagesAnAccount(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")

	status, body, _ := admin.get("/admin/users")
	mustStatus(t, "users page", status, http.StatusOK, body)
	for _, name := range []string{"padmin", "bkk", "tambon", "moo4"} {
		if !strings.Contains(body, `id="user-`+name+`"`) {
			t.Errorf("the national administrator does not see %s", name)
		}
	}

	// Create.
	status, body, h := admin.post("/admin/users", url.Values{"username": {"malee"}, "display_name": {"มาลี ใจดี"},
		"role": {"tambon"}, "area": {"700513"}, "password": {"first-password-1"}})
	mustStatus(t, "create", status, http.StatusSeeOther, body)
	if loc := h.Get("Location"); !strings.HasPrefix(loc, "/admin/users?done=create") {
		t.Errorf("after create: Location %q", loc)
	}
	_, body, _ = admin.get("/admin/users?done=create&user=malee")
	if !strings.Contains(body, "มาลี ใจดี") || !strings.Contains(body, `id="admin-done"`) {
		t.Error("the list does not show the new account and the notice")
	}
	malee := app.as(t, "")
	if st, _ := signIn(malee, "malee", "first-password-1"); st != http.StatusSeeOther {
		t.Fatalf("the new account cannot sign in: %d", st)
	}
	other := app.as(t, "")
	if st, _ := signIn(other, "malee", "first-password-1"); st != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d", st)
	}
	if n := liveSessions(t, app, "malee"); n != 2 {
		t.Errorf("malee has %d sessions, want 2", n)
	}

	// Revoke every session: both browsers are signed out.
	status, body, _ = admin.post("/admin/users/malee/sessions/revoke", nil)
	mustStatus(t, "revoke", status, http.StatusSeeOther, body)
	if n := liveSessions(t, app, "malee"); n != 0 {
		t.Errorf("after revoke malee has %d sessions", n)
	}
	if st, _, _ := malee.get("/api/v1/audit"); st != http.StatusUnauthorized {
		t.Errorf("a revoked session still works: %d", st)
	}

	// Reset the password: the old one stops working, the new one works.
	status, body, _ = admin.post("/admin/users/malee/password", url.Values{"password": {"short"}})
	mustStatus(t, "too short a password", status, http.StatusBadRequest, body)
	status, body, _ = admin.post("/admin/users/malee/password", url.Values{"password": {"second-password-2"}})
	mustStatus(t, "reset password", status, http.StatusSeeOther, body)
	if st, _ := signIn(app.as(t, ""), "malee", "first-password-1"); st != http.StatusUnauthorized {
		t.Errorf("the old password still works: %d", st)
	}
	if st, _ := signIn(malee, "malee", "second-password-2"); st != http.StatusSeeOther {
		t.Fatalf("the new password does not work: %d", st)
	}

	// Disable: the session ends at once and signing in is refused.
	status, body, _ = admin.post("/admin/users/malee/disable", nil)
	mustStatus(t, "disable", status, http.StatusSeeOther, body)
	if st, _, _ := malee.get("/api/v1/audit"); st != http.StatusUnauthorized {
		t.Errorf("a disabled account's session still works: %d", st)
	}
	if st, _ := signIn(app.as(t, ""), "malee", "second-password-2"); st != http.StatusUnauthorized {
		t.Errorf("a disabled account signed in: %d", st)
	}
	_, body, _ = admin.get("/admin/users")
	if !strings.Contains(body, "/admin/users/malee/enable") {
		t.Error("the list offers no way to enable the disabled account")
	}
	status, body, _ = admin.post("/admin/users/malee/enable", nil)
	mustStatus(t, "enable", status, http.StatusSeeOther, body)
	if st, _ := signIn(app.as(t, ""), "malee", "second-password-2"); st != http.StatusSeeOther {
		t.Errorf("an enabled account cannot sign in: %d", st)
	}

	// Every change is in the audit log, newest first.
	got := auditObjects(t, admin, "object=user:malee")
	want := []string{"user.enable user:malee", "user.disable user:malee", "user.password user:malee", "session.revoke user:malee", "user.create user:malee"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit of malee:\n got %v\nwant %v", got, want)
	}
	if got := auditObjects(t, admin, "user=admin&action=session.revoke&area=700513"); len(got) != 1 {
		t.Errorf("search by user, action and area: %v", got)
	}
	status, body, _ = admin.get("/admin/audit?object=user:malee&lang=en")
	mustStatus(t, "audit page", status, http.StatusOK, body)
	for _, s := range []string{"user.create", "user.disable", "user.enable", "user.password", "session.revoke", "5 entries"} {
		if !strings.Contains(body, s) {
			t.Errorf("the audit page lacks %q", s)
		}
	}
}

func liveSessions(t *testing.T, app *householdApp, username string) int {
	t.Helper()
	u, err := app.store.UserByName(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := app.store.SessionCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return counts[u.ID]
}

func TestAdminCreateRefusesBadInput(t *testing.T) {
	app := mustAdminApp(t)
	padmin := app.as(t, "padmin")
	good := url.Values{"username": {"newone"}, "display_name": {"x"}, "role": {"viewer"}, "area": {"7005"}, "password": {"long-enough-1"}}
	tests := []struct {
		name   string
		field  string
		value  string
		status int
	}{
		{"bad username", "username", "no spaces allowed", http.StatusBadRequest},
		{"taken username", "username", "tambon", http.StatusConflict},
		{"unknown role", "role", "superuser", http.StatusBadRequest},
		{"unknown area", "area", "99999999", http.StatusBadRequest},
		{"area outside the province", "area", "10", http.StatusForbidden},
		{"short password", "password", "short", http.StatusBadRequest},
		{"common password", "password", "1234567890", http.StatusBadRequest},
		{"password holding the username", "password", "newone-2567", http.StatusBadRequest},
		{"no display name", "display_name", " ", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tt.field, tt.value)
			status, body, _ := padmin.post("/admin/users", form)
			mustStatus(t, tt.name, status, tt.status, body)
			if !strings.Contains(body, `id="admin-error"`) {
				t.Error("the form does not say what is wrong")
			}
		})
	}
	if _, err := app.store.UserByName(context.Background(), "newone"); err == nil {
		t.Error("a refused account was stored")
	}
}

func TestProvinceAdminManagesOnlyItsProvince(t *testing.T) {
	app := mustAdminApp(t)
	padmin := app.as(t, "padmin")
	_, body, _ := padmin.get("/admin/users")
	if strings.Contains(body, `id="user-bkk"`) || strings.Contains(body, `id="user-admin"`) {
		t.Error("a provincial administrator sees accounts outside the province")
	}
	if !strings.Contains(body, `id="user-tambon"`) {
		t.Error("a provincial administrator does not see accounts inside the province")
	}
	for _, p := range []string{"/admin/users/bkk/disable", "/admin/users/admin/sessions/revoke", "/admin/users/bkk/password"} {
		status, body, _ := padmin.post(p, url.Values{"password": {"long-enough-1"}})
		mustStatus(t, p, status, http.StatusNotFound, body)
	}
	if u, _ := app.store.UserByName(context.Background(), "bkk"); u.Disabled {
		t.Error("the account outside the province was disabled")
	}
	status, body, _ := padmin.post("/admin/users/padmin/disable", nil)
	mustStatus(t, "disable oneself", status, http.StatusBadRequest, body)
}

func TestAdminRoutesRefuseOthers(t *testing.T) {
	app := mustAdminApp(t)
	gets := []string{"/admin/users", "/admin/audit"}
	posts := []string{"/admin/users", "/admin/users/tambon/disable", "/admin/users/tambon/enable",
		"/admin/users/tambon/password", "/admin/users/tambon/sessions/revoke"}
	form := url.Values{"username": {"x1"}, "display_name": {"x"}, "role": {"viewer"}, "area": {"70"}, "password": {"long-enough-1"}}
	for _, name := range []string{"tambon", "moo4", "partner", "viewer", "district", "province"} {
		c := app.as(t, name)
		for _, p := range posts {
			status, body, _ := c.post(p, form)
			mustStatus(t, name+" POST "+p, status, http.StatusForbidden, body)
		}
		if name == "province" { // province officers may read the audit log
			continue
		}
		for _, p := range gets {
			status, body, _ := c.get(p)
			mustStatus(t, name+" GET "+p, status, http.StatusForbidden, body)
		}
		status, body, _ := c.get("/api/v1/audit")
		mustStatus(t, name+" audit API", status, http.StatusForbidden, body)
		if !strings.Contains(body, `"code":"forbidden"`) {
			t.Errorf("%s: the 403 is not JSON: %s", name, body)
		}
	}
	if u, _ := app.store.UserByName(context.Background(), "tambon"); u.Disabled {
		t.Error("a refused request disabled an account")
	}

	anon := app.as(t, "")
	status, body, _ := anon.get("/api/v1/audit")
	mustStatus(t, "signed-out audit API", status, http.StatusUnauthorized, body)
	if !strings.Contains(body, `"code":"unauthorized"`) {
		t.Errorf("the 401 is not JSON: %s", body)
	}
	for _, p := range gets {
		status, _, h := anon.get(p)
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("signed-out GET %s: %d → %q, want the sign-in page", p, status, h.Get("Location"))
		}
	}
	for _, p := range posts {
		status, body, _ := anon.post(p, form)
		mustStatus(t, "signed-out POST "+p, status, http.StatusUnauthorized, body)
	}
}

func TestAuditIsScopedToTheProvince(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	for _, name := range []string{"bkk", "tambon"} {
		status, body, _ := admin.post("/admin/users/"+name+"/sessions/revoke", nil)
		mustStatus(t, "revoke "+name, status, http.StatusSeeOther, body)
	}
	province := app.as(t, "province")
	got := auditObjects(t, province, "action=session.revoke")
	if len(got) != 1 || got[0] != "session.revoke user:tambon" {
		t.Errorf("the province officer sees %v, want only the entry inside province 70", got)
	}
	if got := auditObjects(t, admin, "action=session.revoke"); len(got) != 2 {
		t.Errorf("the national administrator sees %v, want both", got)
	}
	status, body, _ := province.get("/api/v1/audit?area=10")
	mustStatus(t, "another province's area", status, http.StatusForbidden, body)
	status, body, _ = province.get("/admin/audit?action=session.revoke")
	mustStatus(t, "province audit page", status, http.StatusOK, body)
	// The object column names the account whose sessions were revoked.
	cells := regexp.MustCompile(`class="audit-object">(?:<a [^>]*>)?([^<]*)`).FindAllStringSubmatch(body, -1)
	var objects []string
	for _, c := range cells {
		objects = append(objects, c[1])
	}
	if len(objects) != 1 || !strings.Contains(objects[0], "tambon") {
		t.Errorf("the province officer's audit page names %q, want only the account tambon inside province 70", objects)
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "area=7%25"} {
		status, body, _ := admin.get("/api/v1/audit?" + q)
		mustStatus(t, q, status, http.StatusBadRequest, body)
	}
	if got := auditObjects(t, admin, "limit=1"); len(got) != 1 {
		t.Errorf("limit=1 gave %d entries", len(got))
	}
}
